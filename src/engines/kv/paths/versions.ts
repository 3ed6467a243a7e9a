/**
 * Shared by delete/, undelete/ and destroy/: the `versions` field and the
 * load-modify-store of one key's metadata.
 */
import { VaultError } from '../../../errors/index.js'
import type { EngineRequest } from '../../engine.js'
import type { FieldSpecs } from '../../fields.js'
import { KvStore, type KeyMeta, type VersionMeta } from '../store.js'

export const VERSIONS_FIELDS: FieldSpecs = {
  path: { type: 'string' },
  versions: { type: 'commaIntSlice' }
}

/** The requested version numbers; throws Vault's 400 when there are none. */
export function requestedVersions (req: EngineRequest, emptyMessage: string): number[] {
  const versions = req.data.get<number[]>('versions')
  if (versions.length === 0) throw VaultError.invalidRequest(emptyMessage)
  return versions
}

/**
 * Apply `change` to each listed version that exists and is not destroyed,
 * then store the metadata. A missing key is a silent no-op (204).
 */
export function updateVersions (req: EngineRequest, versions: number[],
  change: (vm: VersionMeta, version: number, meta: KeyMeta, store: KvStore) => void): KeyMeta | undefined {
  const store = new KvStore(req.storage)
  const meta = store.meta(req.params.path)
  if (meta === undefined) return undefined
  for (const v of versions) {
    const vm = meta.versions[String(v)]
    if (vm === undefined || vm.destroyed) continue
    change(vm, v, meta, store)
  }
  store.putMeta(meta)
  return meta
}
