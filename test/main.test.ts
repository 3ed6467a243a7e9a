/**
 * The CLI as a user runs it: start-up output, a clean stop on SIGTERM, and
 * one clear line with exit code 1 for a bad flag or a busy port.
 */
import t from 'tap'
import net from 'node:net'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { request } from 'undici'

const BIN = fileURLToPath(new URL('../../bin/localvault.js', import.meta.url))

interface Run { code: number | null, stdout: string, stderr: string }

async function freePort (): Promise<number> {
  return await new Promise((resolve) => {
    const srv = net.createServer()
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port
      srv.close(() => resolve(port))
    })
  })
}

async function runToExit (args: string[], env: Record<string, string> = {}): Promise<Run> {
  return await new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => { stdout += d })
    child.stderr.on('data', (d) => { stderr += d })
    child.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

t.test('starts, prints address, token and export line, answers health, stops on SIGTERM', async (t) => {
  const port = await freePort()
  const child = spawn(process.execPath, [BIN, 'server', '-dev', `-dev-listen-address=127.0.0.1:${port}`],
    { env: { ...process.env, VAULT_DEV_ROOT_TOKEN_ID: 'cli-root' } })
  let stdout = ''
  child.stdout.on('data', (d) => { stdout += d })
  await new Promise<void>((resolve) => {
    const check = (): void => { if (stdout.includes('localvault ready')) resolve(); else setTimeout(check, 20) }
    check()
  })
  t.match(stdout, `export VAULT_ADDR='http://127.0.0.1:${port}'`)
  t.match(stdout, 'Root Token: cli-root')
  const res = await request(`http://127.0.0.1:${port}/v1/sys/health`)
  t.equal(res.statusCode, 200)
  const body = await res.body.json() as Record<string, unknown>
  t.equal(body.sealed, false)
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  child.kill('SIGTERM')
  t.equal(await exit, 0, 'clean exit on SIGTERM')
})

t.test('Vault-style flags with two dashes and a random root token', async (t) => {
  const port = await freePort()
  const child = spawn(process.execPath, [BIN, 'server', '--dev', '--dev-listen-address', `127.0.0.1:${port}`, '--log-level=error'])
  let stdout = ''
  child.stdout.on('data', (d) => { stdout += d })
  await new Promise<void>((resolve) => {
    const check = (): void => { if (stdout.includes('Root Token:')) resolve(); else setTimeout(check, 20) }
    check()
  })
  t.match(stdout, /Root Token: hvs\.[0-9A-Za-z]{24}\n/)
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  child.kill('SIGINT')
  t.equal(await exit, 0)
})

t.test('a bad flag: one line, exit 1, no stack', async (t) => {
  const run = await runToExit(['server', '-dev', '-no-such-flag'])
  t.equal(run.code, 1)
  t.match(run.stderr, /^Error: Unknown option '--no-such-flag'/)
  t.equal(run.stderr.trimEnd().split('\n').length, 1, 'exactly one line')
  t.notMatch(run.stderr, /\n\s+at /, 'no stack trace')
})

t.test('a bad log level and a bad address: exit 1', async (t) => {
  const level = await runToExit(['server', '-dev', '-log-level=loud'])
  t.equal(level.code, 1)
  t.match(level.stderr, /invalid log level "loud"/)
  const addr = await runToExit(['server', '-dev', '-dev-listen-address=nope'])
  t.equal(addr.code, 1)
  t.match(addr.stderr, /invalid listen address "nope"/)
})

t.test('a busy port: one clear line, exit 1', async (t) => {
  const blocker = net.createServer()
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
  t.teardown(() => blocker.close())
  const port = (blocker.address() as net.AddressInfo).port
  const run = await runToExit(['server', '-dev', `-dev-listen-address=127.0.0.1:${port}`, '-log-level=error'])
  t.equal(run.code, 1)
  t.equal(run.stderr, `Error: listen tcp 127.0.0.1:${port}: address already in use\n`)
})

t.test('version takes the flavor flag and refuses unknown ones', async (t) => {
  const vault = await runToExit(['version'])
  t.equal(vault.stdout, 'localvault 1.17.0+localvault\n')
  const bao = await runToExit(['version', '-flavor=openbao'])
  t.equal(bao.stdout, 'localvault 2.6.2+localvault\n')
  const bad = await runToExit(['version', '-x'])
  t.equal(bad.code, 1)
})
