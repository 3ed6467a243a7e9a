import { prefixedView, type StorageBackend } from './storage.js'

/**
 * The in-memory backend (the default, as in Vault's dev mode). Values are
 * kept as JSON text so a caller can never alias stored state.
 */
export function createMemoryStorage (): StorageBackend {
  const entries = new Map<string, string>()

  const backend: StorageBackend = {
    get: <T = unknown>(key: string): T | undefined => {
      const text = entries.get(key)
      return text === undefined ? undefined : JSON.parse(text) as T
    },
    put: (key, value) => {
      entries.set(key, JSON.stringify(value))
    },
    delete: (key) => {
      entries.delete(key)
    },
    list: (prefix) => {
      const children = new Set<string>()
      for (const key of entries.keys()) {
        if (!key.startsWith(prefix)) continue
        const rest = key.slice(prefix.length)
        const slash = rest.indexOf('/')
        children.add(slash < 0 ? rest : rest.slice(0, slash + 1))
      }
      return [...children].sort()
    },
    deletePrefix: (prefix) => {
      for (const key of [...entries.keys()]) {
        if (key.startsWith(prefix)) entries.delete(key)
      }
    },
    view: (prefix) => prefixedView(backend, prefix),
    clear: () => entries.clear(),
    snapshot: () => new Map(entries),
    restore: (snapshot) => {
      entries.clear()
      for (const [key, text] of snapshot) entries.set(key, text)
    },
    flush: () => {},
    close: () => {}
  }
  return backend
}
