/**
 * Durability: 10,000 concurrent KV writes to a CLI server with -data-dir,
 * SIGKILL part way, restart on the same directory: every write that was
 * answered 2xx is there, with its value; the root token is the same; a
 * data directory from another localvault data format is refused, naming
 * both versions; a second server on a directory in use is refused.
 */
import t from 'tap'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { Agent, request } from 'undici'
import { openSqliteStorage } from '../../src/storage/index.js'

const BIN = fileURLToPath(new URL('../../../bin/localvault.js', import.meta.url))
const WRITES = 10_000
// Two CLI starts and 10,000 requests: ~15 s on an idle machine, far more
// on a loaded one; the default 120 s per file is too tight there.
t.setTimeout(300_000)
const KILL_AFTER = 1_000

interface Started { child: ChildProcess, address: string, rootToken: string, stdout: () => string }

async function startCli (args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [BIN, 'server', '-dev', '-dev-listen-address=127.0.0.1:0', '-log-level=error', ...args])
  let out = ''
  let err = ''
  child.stdout?.on('data', (d) => { out += d })
  child.stderr?.on('data', (d) => { err += d })
  await new Promise<void>((resolve, reject) => {
    const check = (): void => {
      if (/Root Token: \S+\n/.test(out) && /VAULT_ADDR='[^']+'/.test(out)) resolve()
      else if (child.exitCode !== null) reject(new Error(`exited ${child.exitCode}: ${err}`))
      else setTimeout(check, 20)
    }
    check()
  })
  const address = /VAULT_ADDR='([^']+)'/.exec(out)?.[1] as string
  const rootToken = /Root Token: (\S+)\n/.exec(out)?.[1] as string
  return { child, address, rootToken, stdout: () => out }
}

async function exitOf (child: ChildProcess): Promise<{ code: number | null, signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode }
  return await new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
}

async function runToExit (args: string[]): Promise<{ code: number | null, stderr: string }> {
  const child = spawn(process.execPath, [BIN, 'server', '-dev', '-dev-listen-address=127.0.0.1:0', '-log-level=error', ...args])
  let stderr = ''
  child.stderr.on('data', (d) => { stderr += d })
  const { code } = await exitOf(child)
  return { code, stderr }
}

t.test('every write answered 2xx survives SIGKILL and a restart', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lv-crash-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  const t0 = performance.now()
  const lap = (what: string): void => { t.comment(`${what}: ${Math.round(performance.now() - t0)} ms`) }
  const first = await startCli([`-data-dir=${dir}`])
  lap('started')
  t.teardown(() => { first.child.kill('SIGKILL') })
  const writeAgent = new Agent({ connections: 64 })
  const agent = new Agent({ connections: 64 })
  t.teardown(() => agent.close())

  const acked = new Set<number>()
  let failed = 0
  let killed = false
  const writes = Array.from({ length: WRITES }, async (_, i) => {
    try {
      const res = await request(`${first.address}/v1/secret/data/crash/k${i}`, {
        method: 'POST',
        dispatcher: writeAgent,
        headers: { 'x-vault-token': first.rootToken, 'content-type': 'application/json' },
        body: JSON.stringify({ data: { i, text: `value-${i}` } })
      })
      await res.body.text()
      if (res.statusCode >= 200 && res.statusCode < 300) {
        acked.add(i)
        if (acked.size >= KILL_AFTER && !killed) {
          killed = true
          first.child.kill('SIGKILL')
          lap('killed')
          // Requests still queued in the client can only fail now: drop them at once.
          void writeAgent.destroy()
        }
      } else {
        failed++
      }
    } catch {
      failed++
    }
  })
  await Promise.all(writes)
  lap('writes done')
  const exit = await exitOf(first.child)
  t.equal(exit.signal, 'SIGKILL', 'the server was killed, not stopped')
  t.equal(failed + acked.size, WRITES)
  t.ok(acked.size >= KILL_AFTER && acked.size < WRITES, `killed part way: ${acked.size} of ${WRITES} acknowledged`)

  const second = await startCli([`-data-dir=${dir}`])
  lap('restarted')
  t.teardown(() => { second.child.kill('SIGKILL') })
  t.equal(second.rootToken, first.rootToken, 'the root token is the same after the restart')
  const missing: number[] = []
  const wrong: number[] = []
  const ids = [...acked]
  for (let start = 0; start < ids.length; start += 200) {
    await Promise.all(ids.slice(start, start + 200).map(async (i) => {
      const res = await request(`${second.address}/v1/secret/data/crash/k${i}`, {
        dispatcher: agent,
        headers: { 'x-vault-token': second.rootToken }
      })
      const body = await res.body.json() as { data?: { data?: { i?: number, text?: string } } }
      if (res.statusCode !== 200) missing.push(i)
      else if (body.data?.data?.i !== i || body.data?.data?.text !== `value-${i}`) wrong.push(i)
    }))
  }
  lap('read back')
  t.same(missing, [], 'no acknowledged write is missing')
  t.same(wrong, [], 'every acknowledged write has its value')

  // A second server on the same directory is refused while this one runs.
  const busy = await runToExit([`-data-dir=${dir}`])
  t.equal(busy.code, 1)
  t.equal(busy.stderr, `Error: data directory ${dir} is in use by another localvault process\n`)

  second.child.kill('SIGTERM')
  t.equal((await exitOf(second.child)).code, 0, 'clean stop')
})

t.test('a data directory from another data format fails naming both versions', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lv-format-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  openSqliteStorage({ dir, version: 'test' }).close()
  const db = new Database(path.join(dir, 'localvault.db'))
  db.prepare("UPDATE meta SET value = '7' WHERE key = 'format'").run()
  db.prepare("UPDATE meta SET value = '9.0.0' WHERE key = 'written_by'").run()
  db.close()
  const version = (JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version
  const run = await runToExit([`-data-dir=${dir}`])
  t.equal(run.code, 1)
  t.equal(run.stderr, `Error: data directory ${dir} was written by localvault 9.0.0 (data format 7); ` +
    `localvault ${version} reads data format 1 only\n`)
})
