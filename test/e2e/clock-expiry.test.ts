/**
 * Clock control drives every time-based behaviour without sleeping: token
 * TTLs, KV delete_version_after, transit auto_rotate_period.
 */
import t from 'tap'
import { startServer } from '../../src/index.js'
import { call } from '../helpers/server.js'

t.test('a token TTL expires when the clock passes it', async (t) => {
  const server = await startServer({ rootToken: 'root', seed: { tokens: [{ id: 'short', ttl: '1h' }, { id: 'periodic', period: '2h' }] } })
  t.teardown(() => server.close())
  const created = await call(server, 'POST', '/v1/auth/token/create', { body: { ttl: '30m' } })
  const accessor = created.json.auth.accessor as string
  t.equal((await call(server, 'POST', '/_localvault/clock', { body: { advance: '59m' } })).status, 200)
  t.equal((await call(server, 'GET', '/v1/auth/token/lookup-self', { token: 'short' })).status, 200, 'valid before its TTL')
  t.equal((await call(server, 'POST', '/v1/auth/token/lookup-accessor', { body: { accessor } })).status, 400,
    'the 30m token was revoked by the tick that followed the clock move')
  const ttl = (await call(server, 'GET', '/v1/auth/token/lookup-self', { token: 'short' })).json.data.ttl as number
  t.ok(ttl > 0 && ttl <= 60, `about a minute left (${ttl}s)`)
  await call(server, 'POST', '/_localvault/clock', { body: { advance: '2m' } })
  const expired = await call(server, 'GET', '/v1/auth/token/lookup-self', { token: 'short' })
  t.equal(expired.status, 403, 'expired after its TTL')
  t.equal((await call(server, 'GET', '/v1/auth/token/lookup-self', { token: 'periodic' })).status, 200)
  server.clock.advance('2h')
  t.equal((await call(server, 'GET', '/v1/auth/token/lookup-self', { token: 'periodic' })).status, 403, 'a periodic token lapses without renewal')
})

t.test('KV delete_version_after deletes versions as the clock moves', async (t) => {
  const server = await startServer({
    rootToken: 'root',
    seed: { kv: { secret: { temp: { delete_version_after: '1h', data: { a: 1 } } } } }
  })
  t.teardown(() => server.close())
  t.equal((await call(server, 'GET', '/v1/secret/data/temp')).status, 200)
  server.clock.advance('61m')
  const gone = await call(server, 'GET', '/v1/secret/data/temp')
  t.equal(gone.status, 404)
  t.not(gone.json?.data?.metadata?.deletion_time, '', 'the version carries its deletion time')
  t.equal((await call(server, 'GET', '/v1/secret/metadata/temp')).json.data.versions['1'].deletion_time,
    gone.json.data.metadata.deletion_time)
})

t.test('transit auto_rotate_period rotates as the clock moves', async (t) => {
  const server = await startServer({
    rootToken: 'root',
    seed: { mounts: { transit: 'transit' }, transit: { transit: { auto: { auto_rotate_period: '1h' } } } }
  })
  t.teardown(() => server.close())
  const version = async (): Promise<number> => (await call(server, 'GET', '/v1/transit/keys/auto')).json.data.latest_version
  t.equal(await version(), 1)
  server.clock.advance('59m')
  t.equal(await version(), 1, 'not due yet')
  const r = await call(server, 'POST', '/_localvault/clock', { body: { advance: '2m' } })
  t.equal(r.status, 200)
  // The rotation starts in the tick that follows the move; it may finish a moment later.
  let latest = await version()
  for (let i = 0; i < 50 && latest === 1; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20))
    latest = await version()
  }
  t.equal(latest, 2, 'rotated once')
  const keys = (await call(server, 'GET', '/v1/transit/keys/auto')).json.data.keys
  const gap = keys['2'] - keys['1']
  t.ok(gap >= 3660 && gap <= 3662, `the new version is stamped with the moved clock (${gap}s later)`)
})
