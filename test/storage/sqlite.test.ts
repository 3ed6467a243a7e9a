/**
 * The SQLite data-directory backend: the same answers as the memory
 * backend, durability across reopen, version checks, exclusive use.
 */
import t, { type Test } from 'tap'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import {
  createFence,
  createMemoryStorage,
  DATA_FILE,
  DataDirError,
  openSqliteStorage,
  type StorageBackend
} from '../../src/storage/index.js'
import { prefixUpperBound } from '../../src/storage/sqlite.js'

function tempDir (t: Test): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lv-storage-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** The same script against both backends: they must agree exactly. */
function exercise (s: StorageBackend): unknown[] {
  const out: unknown[] = []
  s.put('a/b', { x: 1 })
  s.put('a/c/d', [1, 2])
  s.put('a/c/e', 'text')
  s.put('a/cc', null)
  s.put('a-b', true)
  s.put('a.b', 0)
  s.put('b', { nested: { deep: 'ü€😀' } })
  s.put('😀/x', 1)
  s.put('z/', 'folder-named key')
  out.push(s.list(''), s.list('a/'), s.list('a/c/'), s.list('nope/'), s.list('z/'))
  out.push(s.get('a/b'), s.get('b'), s.get('missing'), s.get('a/cc'))
  const view = s.view('a/')
  view.put('v', 5)
  out.push(view.list(''), view.get('v'), s.get('a/v'), view.view('c/').list(''))
  s.delete('a/b')
  s.deletePrefix('a/c/')
  out.push(s.list(''), s.list('a/'))
  s.put('a/b', 'again')
  s.put('a/b', 'overwrite')
  out.push(s.get('a/b'))
  s.deletePrefix('a')
  out.push(s.list(''))
  return out
}

t.test('the SQLite backend answers exactly as the memory backend', async (t) => {
  const dir = tempDir(t)
  const sqlite = openSqliteStorage({ dir, version: '1.0.0' })
  t.teardown(() => sqlite.close())
  t.same(exercise(sqlite), exercise(createMemoryStorage()))
  t.same(sqlite.list('a/'), [])
})

t.test('values come back as copies', async (t) => {
  const s = openSqliteStorage({ dir: tempDir(t), version: '1.0.0' })
  t.teardown(() => s.close())
  const value = { list: [1] }
  s.put('k', value)
  value.list.push(2)
  const read = s.get<{ list: number[] }>('k')
  read?.list.push(3)
  t.same(s.get('k'), { list: [1] })
  t.throws(() => s.put('u', undefined), /not JSON-serialisable/)
})

t.test('writes survive close and reopen; the directory records the version', async (t) => {
  const dir = path.join(tempDir(t), 'nested', 'data')
  const first = openSqliteStorage({ dir, version: '1.0.0' })
  first.put('core/x', { n: 1 })
  first.put('core/y', 2)
  first.delete('core/y')
  first.close()
  const second = openSqliteStorage({ dir, version: '1.1.0' })
  t.same(second.get('core/x'), { n: 1 })
  t.equal(second.get('core/y'), undefined)
  second.close()
  const db = new Database(path.join(dir, DATA_FILE))
  t.same(db.prepare('SELECT key, value FROM meta ORDER BY key').raw().all(), [['format', '1'], ['written_by', '1.1.0']])
  t.equal(db.pragma('journal_mode', { simple: true }), 'wal')
  db.close()
})

t.test('a write is committed by the end of the turn, without close', async (t) => {
  const dir = tempDir(t)
  const s = openSqliteStorage({ dir, version: '1.0.0' })
  s.put('k', 'v')
  s.put('k2', 'v2')
  await Promise.resolve()
  // A child process that dies abruptly after its writes (no close) keeps them.
  const script = `
    import { openSqliteStorage } from ${JSON.stringify(new URL('../../src/storage/index.js', import.meta.url).href)}
    const s = openSqliteStorage({ dir: process.argv[1], version: '1.0.0' })
    s.put('child/a', 1)
    s.put('child/b', 2)
    await Promise.resolve()
    s.put('child/uncommitted', 3)
    process.kill(process.pid, 'SIGKILL')
  `
  s.close()
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script, dir])
  t.equal(child.signal, 'SIGKILL')
  const again = openSqliteStorage({ dir, version: '1.0.0' })
  t.teardown(() => again.close())
  t.same([again.get('k'), again.get('k2')], ['v', 'v2'])
  t.same(again.list('child/'), ['a', 'b'], 'the committed turn survives, the unfinished one does not')
})

t.test('a directory from another data format fails naming both versions', async (t) => {
  const dir = tempDir(t)
  openSqliteStorage({ dir, version: '9.9.9' }).close()
  const db = new Database(path.join(dir, DATA_FILE))
  db.prepare("UPDATE meta SET value = '2' WHERE key = 'format'").run()
  db.close()
  t.throws(() => openSqliteStorage({ dir, version: '1.0.0' }), {
    name: 'DataDirError',
    message: `data directory ${dir} was written by localvault 9.9.9 (data format 2); localvault 1.0.0 reads data format 1 only`
  })
})

t.test('a data file that is not localvault\'s is refused', async (t) => {
  const dir = tempDir(t)
  fs.writeFileSync(path.join(dir, DATA_FILE), 'not a database at all, just text '.repeat(200))
  t.throws(() => openSqliteStorage({ dir, version: '1.0.0' }), {
    name: 'DataDirError',
    message: `data directory ${dir}: ${DATA_FILE} is not a localvault database (file is not a database)`
  })
  const other = tempDir(t)
  const db = new Database(path.join(other, DATA_FILE))
  db.exec('CREATE TABLE users (id INTEGER)')
  db.close()
  t.throws(() => openSqliteStorage({ dir: other, version: '1.0.0' }),
    new DataDirError(`data directory ${other}: ${DATA_FILE} is not a localvault database`))
  const file = path.join(other, 'plain-file')
  fs.writeFileSync(file, '')
  t.throws(() => openSqliteStorage({ dir: file, version: '1.0.0' }), DataDirError)
})

t.test('a second process cannot open a directory in use', async (t) => {
  const dir = tempDir(t)
  const s = openSqliteStorage({ dir, version: '1.0.0' })
  const script = `
    import { openSqliteStorage } from ${JSON.stringify(new URL('../../src/storage/index.js', import.meta.url).href)}
    try { openSqliteStorage({ dir: process.argv[1], version: '1.0.0' }); console.log('opened') }
    catch (err) { console.log(err.message) }
  `
  const busy = spawnSync(process.execPath, ['--input-type=module', '-e', script, dir], { encoding: 'utf8' })
  t.equal(busy.stdout.trim(), `data directory ${dir} is in use by another localvault process`)
  s.close()
  const free = spawnSync(process.execPath, ['--input-type=module', '-e', script, dir], { encoding: 'utf8' })
  t.equal(free.stdout.trim(), 'opened')
})

for (const kind of ['memory', 'sqlite'] as const) {
  t.test(`${kind}: snapshot and restore bring back exactly the old contents`, async (t) => {
    const s = kind === 'memory' ? createMemoryStorage() : openSqliteStorage({ dir: tempDir(t), version: '1.0.0' })
    t.teardown(() => s.close())
    s.put('keep', 1)
    s.put('change', { v: 1 })
    const snap = s.snapshot()
    s.put('change', { v: 2 })
    s.put('new/key', 3)
    s.delete('keep')
    s.restore(snap)
    t.same(s.list(''), ['change', 'keep'])
    t.same(s.get('change'), { v: 1 })
    s.put('after', 1)
    s.restore(snap)
    t.equal(s.get('after'), undefined, 'a snapshot can be restored many times')
    s.clear()
    t.same(s.list(''), [])
  })
}

t.test('a retired fence refuses writes but lets reads through', async (t) => {
  const inner = createMemoryStorage()
  const fence = createFence(inner)
  const view = fence.storage.view('p/')
  view.put('a', 1)
  fence.retire()
  t.equal(view.get('a'), 1)
  t.throws(() => view.put('b', 2), /write after reset/)
  t.throws(() => fence.storage.delete('p/a'), /write after reset/)
  t.throws(() => view.deletePrefix(''), /write after reset/)
  t.same(inner.list('p/'), ['a'])
})

t.test('prefix upper bounds', async (t) => {
  t.equal(prefixUpperBound(''), undefined)
  t.equal(prefixUpperBound('a/'), 'a0')
  t.equal(prefixUpperBound('a\u{d7ff}'), 'a\u{e000}')
  t.equal(prefixUpperBound('a😀'), 'a😁')
  t.equal(prefixUpperBound('a\u{10ffff}'), 'b')
})
