/**
 * Deterministic mode: the same requests in the same order give the same
 * bytes (bodies and Date headers) on two servers with the same seed, and
 * again after a reset; another seed gives other bytes.
 */
import t from 'tap'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startServer, type RunningServer } from '../../src/index.js'
import { call } from '../helpers/server.js'

const SCRIPT: Array<[string, string, unknown?]> = [
  ['GET', '/v1/sys/mounts'],
  ['GET', '/v1/sys/health'],
  ['POST', '/v1/auth/token/create', { policies: ['default'], ttl: '1h' }],
  ['POST', '/v1/sys/mounts/transit', { type: 'transit' }],
  ['POST', '/v1/transit/keys/aes', {}],
  ['POST', '/v1/transit/keys/rsa', { type: 'rsa-2048' }],
  ['POST', '/v1/transit/keys/ec', { type: 'ecdsa-p256' }],
  ['POST', '/v1/transit/keys/ed', { type: 'ed25519' }],
  ['GET', '/v1/transit/keys/rsa'],
  ['GET', '/v1/transit/keys/ec'],
  ['POST', '/v1/transit/encrypt/aes', { plaintext: 'aGVsbG8=' }],
  ['POST', '/v1/transit/encrypt/rsa', { plaintext: 'aGVsbG8=' }],
  ['POST', '/v1/transit/sign/ec', { input: 'aGVsbG8=' }],
  ['POST', '/v1/transit/sign/ec', { input: 'LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=', prehashed: true }],
  ['POST', '/v1/transit/sign/rsa', { input: 'aGVsbG8=' }],
  ['POST', '/v1/transit/sign/ed', { input: 'aGVsbG8=' }],
  ['POST', '/v1/transit/datakey/plaintext/aes', {}],
  ['POST', '/v1/transit/random/32', {}],
  ['POST', '/v1/transit/keys/aes/rotate', {}],
  ['POST', '/v1/secret/data/app', { data: { password: 'x' } }],
  ['GET', '/v1/secret/data/app'],
  ['GET', '/v1/secret/metadata/app'],
  ['GET', '/v1/auth/token/lookup-self'],
  ['POST', '/v1/sys/policies/acl/p', { policy: 'path "x" { capabilities = ["read"] }' }],
  ['GET', '/v1/sys/nope']
]

async function run (server: RunningServer): Promise<string[]> {
  const out: string[] = []
  for (const [method, path, body] of SCRIPT) {
    const r = await call(server, method, path, { body })
    out.push(`${method} ${path} ${r.status} date=${String(r.headers.date)}\n${r.text}`)
  }
  return out
}

t.test('same seed, same requests: the same bytes, and again after reset', async (t) => {
  // Seeded state is part of what a reset returns to.
  const seed = { tokens: [{ id: 'seeded', policies: ['default'] }] }
  const a = await startServer({ deterministic: 'snapshot-seed', seed })
  t.teardown(() => a.close())
  const b = await startServer({ deterministic: 'snapshot-seed', seed })
  t.teardown(() => b.close())
  t.equal(a.rootToken, b.rootToken, 'the random root token is the same')
  t.match(a.rootToken, /^hvs\.[0-9A-Za-z]{24}$/)

  const first = await run(a)
  const second = await run(b)
  for (let i = 0; i < SCRIPT.length; i++) t.equal(second[i], first[i], `${SCRIPT[i][0]} ${SCRIPT[i][1]}`)
  t.ok(first.every((r) => r.includes('date=Wed, 01 Jan 2025 00:00:00 GMT')), 'the clock stands still at the deterministic epoch')
  t.ok(first.filter((r) => / 20[04] /.test(r)).length >= SCRIPT.length - 1, 'the script itself succeeds')

  await a.reset()
  t.same(await run(a), first, 'after reset the same requests give the same bytes again')
})

t.test('another seed gives other bytes; the clock still moves when told', async (t) => {
  const a = await startServer({ deterministic: 'one' })
  t.teardown(() => a.close())
  const b = await startServer({ deterministic: 'two' })
  t.teardown(() => b.close())
  t.not(a.rootToken, b.rootToken)
  const ta = await call(a, 'POST', '/v1/auth/token/create', { body: {} })
  const tb = await call(b, 'POST', '/v1/auth/token/create', { body: {} })
  t.not(ta.json.auth.client_token, tb.json.auth.client_token)
  t.equal(a.clock.now().toISOString(), '2025-01-01T00:00:00.000Z')
  a.clock.advance('1h')
  t.equal(a.clock.now().toISOString(), '2025-01-01T01:00:00.000Z')
  a.clock.set('2030-06-01T12:00:00Z')
  const created = await call(a, 'POST', '/v1/secret/data/t', { body: { data: { a: 1 } } })
  t.equal(created.json.data.created_time, '2030-06-01T12:00:00Z', 'timestamps follow the clock')
  await a.reset()
  t.equal(a.clock.now().toISOString(), '2025-01-01T00:00:00.000Z', 'reset puts the clock back')
})

t.test('with a data directory each start draws a new stream: no id is handed out twice', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lv-det-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  const ids: string[] = []
  for (let i = 0; i < 2; i++) {
    const server = await startServer({ deterministic: 'persisted', dataDir: dir })
    const r = await call(server, 'POST', '/v1/auth/token/create', { body: {} })
    ids.push(r.json.auth.client_token, r.json.auth.accessor, r.json.request_id)
    await server.close()
  }
  t.equal(new Set(ids).size, ids.length, 'token ids, accessors and request ids all differ')
  const server = await startServer({ deterministic: 'persisted', dataDir: dir })
  t.teardown(() => server.close())
  for (const id of [ids[0], ids[3]]) {
    t.equal((await call(server, 'GET', '/v1/auth/token/lookup-self', { token: id })).status, 200, 'both tokens live')
  }
  // A fresh directory replays the in-memory stream exactly.
  const fresh = await startServer({ deterministic: 'persisted', dataDir: path.join(dir, 'fresh') })
  const memory = await startServer({ deterministic: 'persisted' })
  t.teardown(() => fresh.close())
  t.teardown(() => memory.close())
  t.equal(fresh.rootToken, memory.rootToken)
})
