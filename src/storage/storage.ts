/**
 * Storage: the one synchronous key/value interface under every engine, the
 * token store and the policy store. Keys are '/'-separated paths; values are
 * JSON-serialisable. Synchronous on purpose: a handler that reads and then
 * writes without awaiting in between is atomic, which is how check-and-set
 * and key rotation stay race-free on one event loop.
 */
export interface Storage {
  /** The stored value, or undefined. Callers must not mutate it. */
  get: <T = unknown>(key: string) => T | undefined
  /** Store a JSON-serialisable value (a copy is kept). */
  put: (key: string, value: unknown) => void
  delete: (key: string) => void
  /** Immediate children under `prefix` (which ends in '/' or is ''), sorted; folders end in '/'. */
  list: (prefix: string) => string[]
  /** Delete every key under `prefix`. */
  deletePrefix: (prefix: string) => void
  /** A view whose keys are all under `prefix`. */
  view: (prefix: string) => Storage
}

/** Every stored entry at one moment: key to JSON text. */
export type StorageSnapshot = ReadonlyMap<string, string>

/** A backend: the root Storage plus lifecycle hooks. */
export interface StorageBackend extends Storage {
  /** Drop every key (used by reset). */
  clear: () => void
  /** Every entry as it stands now (pending writes included). */
  snapshot: () => StorageSnapshot
  /** Replace the whole contents with a snapshot, atomically. */
  restore: (snapshot: StorageSnapshot) => void
  /** Make every write so far durable (a no-op in memory). */
  flush: () => void
  close: () => void
}

/** Prefix every key of `inner` with `prefix`. */
export function prefixedView (inner: Storage, prefix: string): Storage {
  if (prefix === '') return inner
  return {
    get: <T = unknown>(key: string) => inner.get<T>(prefix + key),
    put: (key, value) => inner.put(prefix + key, value),
    delete: (key) => inner.delete(prefix + key),
    list: (p) => inner.list(prefix + p),
    deletePrefix: (p) => inner.deletePrefix(prefix + p),
    view: (p) => prefixedView(inner, prefix + p)
  }
}
