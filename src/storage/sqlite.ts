/**
 * The data-directory backend: one SQLite database (better-sqlite3) in WAL
 * mode with synchronous=FULL, so a write is on disk before the request that
 * made it is answered, and survives kill -9.
 */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type Database from 'better-sqlite3'
import { prefixedView, type StorageBackend, type StorageSnapshot } from './storage.js'

/** The layout version of a data directory; bump it (and add a migration) when the layout changes. */
export const DATA_FORMAT_VERSION = 1

/** The database file inside a data directory. */
export const DATA_FILE = 'localvault.db'

export interface SqliteStorageOptions {
  /** The data directory; created when missing. */
  dir: string
  /** localvault's own version, recorded in the directory and named in errors. */
  version: string
}

/** A data directory that cannot be opened; the message says why. */
export class DataDirError extends Error {
  override name = 'DataDirError'
}

interface Meta {
  format: number
  writtenBy: string
}

/** The smallest string greater than every string starting with `prefix` ('' has none). */
export function prefixUpperBound (prefix: string): string | undefined {
  if (prefix === '') return undefined
  const chars = [...prefix]
  const last = chars.pop() as string
  let cp = (last.codePointAt(0) as number) + 1
  if (cp === 0xd800) cp = 0xe000
  if (cp > 0x10ffff) return prefixUpperBound(chars.join(''))
  return chars.join('') + String.fromCodePoint(cp)
}

// better-sqlite3 loads a native addon, searching the disk for it: a tenth
// of start-up. Only a server with a data directory needs it.
const requireCjs = createRequire(import.meta.url)
let sqlite: typeof Database | undefined

function openDatabase (dir: string): Database.Database {
  if (dir.trim() === '') throw new DataDirError('data directory: the path must not be empty')
  try {
    fs.mkdirSync(dir, { recursive: true })
  } catch (err) {
    throw new DataDirError(`data directory ${dir}: ${(err as Error).message}`)
  }
  if (!fs.statSync(dir).isDirectory()) {
    throw new DataDirError(`data directory ${dir}: not a directory`)
  }
  try {
    sqlite ??= requireCjs('better-sqlite3') as typeof Database
    const db = new sqlite(path.join(dir, DATA_FILE), { timeout: 100 })
    // Exclusive locking before WAL: no shared-memory file, and a second
    // process on the same directory fails at once instead of corrupting
    // the first one's caches. The OS drops the lock when a process dies.
    db.pragma('locking_mode = EXCLUSIVE')
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    return db
  } catch (err) {
    throw openError(dir, err)
  }
}

function openError (dir: string, err: unknown): DataDirError {
  const code = (err as { code?: string }).code
  if (code === 'SQLITE_BUSY') {
    return new DataDirError(`data directory ${dir} is in use by another localvault process`)
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new DataDirError(`data directory ${dir}: ${DATA_FILE} is not a localvault database (${(err as Error).message})`)
  }
  return new DataDirError(`data directory ${dir}: ${(err as Error).message}`)
}

/** Create the tables in a new directory, or check the format of an existing one. */
function checkFormat (db: Database.Database, dir: string, version: string): void {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]
  if (!tables.includes('meta')) {
    if (tables.length > 0) {
      throw new DataDirError(`data directory ${dir}: ${DATA_FILE} is not a localvault database`)
    }
    db.exec('BEGIN IMMEDIATE')
    db.exec('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID')
    db.exec('CREATE TABLE entries (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID')
    const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)')
    put.run('format', String(DATA_FORMAT_VERSION))
    put.run('written_by', version)
    db.exec('COMMIT')
    return
  }
  const rows = db.prepare('SELECT key, value FROM meta').raw().all() as Array<[string, string]>
  const values = new Map(rows)
  const meta: Meta = { format: Number(values.get('format')), writtenBy: values.get('written_by') ?? 'unknown' }
  if (meta.format !== DATA_FORMAT_VERSION) {
    const what = Number.isInteger(meta.format) ? `data format ${meta.format}` : 'an unknown data format'
    throw new DataDirError(
      `data directory ${dir} was written by localvault ${meta.writtenBy} (${what}); ` +
      `localvault ${version} reads data format ${DATA_FORMAT_VERSION} only`)
  }
  // Taking the write lock now (even with nothing new to record) claims the
  // directory for this process until it exits.
  db.exec('BEGIN IMMEDIATE')
  db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run('written_by', version)
  db.exec('COMMIT')
}

/**
 * Open (or create) a data directory. Writes made in one turn of the event
 * loop share one transaction, committed in a microtask: before any reply
 * can be written, and atomically, so a crash never leaves half a request.
 */
export function openSqliteStorage (options: SqliteStorageOptions): StorageBackend {
  const { dir, version } = options
  const db = openDatabase(dir)
  try {
    checkFormat(db, dir, version)
  } catch (err) {
    db.close()
    throw err instanceof DataDirError ? err : openError(dir, err)
  }

  const q = {
    get: db.prepare('SELECT value FROM entries WHERE key = ?').pluck(),
    put: db.prepare('INSERT INTO entries (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    delete: db.prepare('DELETE FROM entries WHERE key = ?'),
    firstFrom: db.prepare('SELECT key FROM entries WHERE key >= ? ORDER BY key LIMIT 1').pluck(),
    firstAfter: db.prepare('SELECT key FROM entries WHERE key > ? ORDER BY key LIMIT 1').pluck(),
    deleteRange: db.prepare('DELETE FROM entries WHERE key >= ? AND key < ?'),
    deleteFrom: db.prepare('DELETE FROM entries WHERE key >= ?'),
    deleteAll: db.prepare('DELETE FROM entries'),
    all: db.prepare('SELECT key, value FROM entries').raw()
  }
  let commitQueued = false

  const commit = (): void => {
    commitQueued = false
    if (!db.open || !db.inTransaction) return
    try {
      db.exec('COMMIT')
    } catch (err) {
      // A write the caller believes done could not be made durable: stop
      // rather than answer 2xx for it.
      throw new DataDirError(`data directory ${dir}: commit failed: ${(err as Error).message}`)
    }
  }
  const write = (): void => {
    if (db.inTransaction) return
    db.exec('BEGIN IMMEDIATE')
    if (!commitQueued) {
      commitQueued = true
      queueMicrotask(commit)
    }
  }

  const backend: StorageBackend = {
    get: <T = unknown>(key: string): T | undefined => {
      const text = q.get.get(key) as string | undefined
      return text === undefined ? undefined : JSON.parse(text) as T
    },
    put: (key, value) => {
      const text = JSON.stringify(value)
      if (text === undefined) throw new TypeError(`storage: value for ${key} is not JSON-serialisable`)
      write()
      q.put.run(key, text)
    },
    delete: (key) => {
      write()
      q.delete.run(key)
    },
    list: (prefix) => {
      // Skip-scan: one index seek per child, however deep each folder is.
      const out: string[] = []
      let next = q.firstFrom.get(prefix) as string | undefined
      while (next !== undefined && next.startsWith(prefix)) {
        const rest = next.slice(prefix.length)
        const slash = rest.indexOf('/')
        if (slash < 0) {
          out.push(rest)
          next = q.firstAfter.get(next) as string | undefined
        } else {
          const folder = rest.slice(0, slash + 1)
          out.push(folder)
          const bound = prefixUpperBound(prefix + folder)
          next = bound === undefined ? undefined : q.firstFrom.get(bound) as string | undefined
        }
      }
      // The index orders by UTF-8 bytes; answer in the memory backend's order.
      return out.sort()
    },
    deletePrefix: (prefix) => {
      write()
      const bound = prefixUpperBound(prefix)
      if (bound === undefined) q.deleteFrom.run(prefix)
      else q.deleteRange.run(prefix, bound)
    },
    view: (prefix) => prefixedView(backend, prefix),
    clear: () => {
      write()
      q.deleteAll.run()
    },
    snapshot: (): StorageSnapshot => {
      const rows = q.all.all() as Array<[string, string]>
      return new Map(rows)
    },
    restore: (snapshot) => {
      write()
      q.deleteAll.run()
      for (const [key, text] of snapshot) q.put.run(key, text)
      commit()
    },
    flush: commit,
    close: () => {
      if (!db.open) return
      commit()
      db.close()
    }
  }
  return backend
}
