/**
 * Reset: back to the state right after start-up (seed applied) in
 * milliseconds, without a restart, through the Node API and over HTTP,
 * in memory and with a data directory.
 */
import t, { type Test } from 'tap'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startServer, type RunningServer } from '../../src/index.js'
import { call } from '../helpers/server.js'

const SEED = {
  mounts: { transit: 'transit' },
  policies: { reader: 'path "secret/data/*" { capabilities = ["read"] }' },
  transit: { transit: { seeded: { type: 'aes256-gcm96' } } },
  kv: { secret: { 'app/config': { versions: [{ v: 1 }, { v: 2 }] } } },
  tokens: [{ id: 'reader-token', policies: ['reader'], ttl: '1h' }]
}

/** Change everything a test might touch. */
async function mess (t: Test, server: RunningServer): Promise<string> {
  t.equal((await call(server, 'POST', '/v1/secret/data/app/config', { body: { data: { v: 3 } } })).status, 200)
  t.equal((await call(server, 'POST', '/v1/secret/data/new', { body: { data: { x: 1 } } })).status, 200)
  t.equal((await call(server, 'POST', '/v1/sys/mounts/extra', { body: { type: 'kv' } })).status, 204)
  t.equal((await call(server, 'POST', '/v1/transit/keys/seeded/rotate')).status, 200)
  t.equal((await call(server, 'POST', '/v1/transit/keys/fresh')).status, 200)
  t.equal((await call(server, 'DELETE', '/v1/sys/policies/acl/reader')).status, 204)
  t.equal((await call(server, 'POST', '/v1/auth/token/revoke', { body: { token: 'reader-token' } })).status, 204)
  const created = await call(server, 'POST', '/v1/auth/token/create', { body: { policies: ['default'] } })
  server.clock.advance('5h')
  return created.json.auth.client_token as string
}

async function checkStartupState (t: Test, server: RunningServer, madeToken: string): Promise<void> {
  t.equal((await call(server, 'GET', '/v1/secret/metadata/app/config')).json?.data?.current_version, 2)
  t.equal((await call(server, 'GET', '/v1/secret/data/new')).status, 404)
  t.equal((await call(server, 'GET', '/v1/sys/mounts/extra')).status, 400)
  t.equal((await call(server, 'GET', '/v1/transit/keys/seeded')).json?.data?.latest_version, 1)
  t.equal((await call(server, 'GET', '/v1/transit/keys/fresh')).status, 404)
  t.equal((await call(server, 'GET', '/v1/sys/policies/acl/reader')).status, 200)
  t.equal((await call(server, 'GET', '/v1/secret/data/app/config', { token: 'reader-token' })).status, 200)
  t.equal((await call(server, 'GET', '/v1/auth/token/lookup-self', { token: madeToken })).status, 403)
  t.ok(Math.abs(server.clock.now().getTime() - Date.now()) < 60_000, 'the clock is back')
  t.equal((await call(server, 'GET', '/v1/auth/token/lookup-self')).status, 200, 'the root token still works')
}

t.test('reset() in memory', async (t) => {
  const server = await startServer({ rootToken: 'root', seed: SEED })
  t.teardown(() => server.close())
  const made = await mess(t, server)
  const started = performance.now()
  await server.reset()
  const ms = performance.now() - started
  t.ok(ms < 500, `reset took ${ms.toFixed(1)} ms`)
  await checkStartupState(t, server, made)
  // And it can be done again (tests reset between every case).
  await mess(t, server)
  await server.reset()
  await checkStartupState(t, server, made)
})

t.test('POST /_localvault/reset with a data directory; a restart keeps the reset state', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lv-reset-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  const server = await startServer({ seed: SEED, dataDir: dir })
  const made = await mess(t, server)
  const r = await call(server, 'POST', '/_localvault/reset')
  t.equal(r.status, 204)
  await checkStartupState(t, server, made)
  t.equal((await call(server, 'POST', '/v1/secret/data/after', { body: { data: { y: 1 } } })).status, 200)
  await server.close()
  const again = await startServer({ seed: SEED, dataDir: dir })
  t.teardown(() => again.close())
  t.equal(again.rootToken, server.rootToken)
  t.equal((await call(again, 'GET', '/v1/secret/data/new')).status, 404)
  t.equal((await call(again, 'GET', '/v1/secret/data/after')).status, 200, 'writes after the reset persist')
})

t.test('a reset drops engine caches: a key deleted behind the cache is gone', async (t) => {
  const server = await startServer({ rootToken: 'root', seed: SEED })
  t.teardown(() => server.close())
  // Warm transit's cache with a key created after start-up, then reset.
  t.equal((await call(server, 'POST', '/v1/transit/keys/cached')).status, 200)
  t.equal((await call(server, 'POST', '/v1/transit/encrypt/cached', { body: { plaintext: 'aGk=' } })).status, 200)
  await server.reset()
  t.equal((await call(server, 'GET', '/v1/transit/keys/cached')).status, 404)
  // An encrypt to a missing key with update-only rights would create it; root creates it afresh at version 1.
  const enc = await call(server, 'POST', '/v1/transit/encrypt/cached', { body: { plaintext: 'aGk=' } })
  t.match(enc.json?.data?.ciphertext, /^vault:v1:/)
})
