/**
 * Upgrading a KV v1 mount to v2 in place (upgrade.go): every v1 key becomes
 * version 1 of a versioned key. Vault runs this in the background while
 * answering 400 "Upgrading..."; here storage is synchronous and the whole
 * upgrade happens while the engine is built, so no request ever sees it.
 */
import type { Storage } from '../../storage/storage.js'
import type { Clock } from '../../clock/index.js'
import { addVersion, KvStore, newKeyMeta, UPGRADE_KEY } from './store.js'
import { V1_PREFIX } from './v1.js'

function collectKeys (storage: Storage, folder: string, out: string[]): void {
  for (const child of storage.list(V1_PREFIX + folder)) {
    if (child.endsWith('/')) collectKeys(storage, folder + child, out)
    else out.push(folder + child)
  }
}

/** Run the upgrade unless it already ran on this storage; returns the number of keys moved. */
export function upgradeToV2 (storage: Storage, clock: Clock): number {
  if (storage.get(UPGRADE_KEY) !== undefined) return 0
  const started = clock.now()
  const keys: string[] = []
  collectKeys(storage, '', keys)
  const store = new KvStore(storage)
  for (const key of keys) {
    const text = storage.get<string>(V1_PREFIX + key)
    if (text === undefined) continue
    const now = clock.now()
    const meta = newKeyMeta(key)
    store.putVersionData(key, 1, text)
    // Vault adds the version with a limit of 1, so oldest_version starts at 1.
    addVersion(meta, { created: now, deletion: null, destroyed: false }, 1)
    store.putMeta(meta)
    storage.delete(V1_PREFIX + key)
  }
  storage.put(UPGRADE_KEY, { started, done: true })
  return keys.length
}
