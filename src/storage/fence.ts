import { prefixedView, type StorageBackend } from './storage.js'

/** A backend wrapper that stops accepting writes once retired. */
export interface Fence {
  /** The wrapped backend; snapshot, restore, close go straight through. */
  storage: StorageBackend
  /** From now on every write through `storage` throws. */
  retire: () => void
}

/**
 * Fence off one generation of the server's state: after a reset, a request
 * still running against the old core must not write into the restored
 * state, so its writes fail (the request answers 500) instead.
 */
export function createFence (inner: StorageBackend): Fence {
  let retired = false
  const check = (): void => {
    if (retired) throw new Error('storage: write after reset by a request that started before it')
  }
  const storage: StorageBackend = {
    get: (key) => inner.get(key),
    put: (key, value) => { check(); inner.put(key, value) },
    delete: (key) => { check(); inner.delete(key) },
    list: (prefix) => inner.list(prefix),
    deletePrefix: (prefix) => { check(); inner.deletePrefix(prefix) },
    view: (prefix) => prefixedView(storage, prefix),
    clear: () => { check(); inner.clear() },
    snapshot: () => inner.snapshot(),
    restore: (snapshot) => inner.restore(snapshot),
    flush: () => inner.flush(),
    close: () => inner.close()
  }
  return { storage, retire: () => { retired = true } }
}
