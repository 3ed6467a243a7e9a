/**
 * The /_localvault/ endpoints over a real socket: root token only (any
 * other token, or none, is 403), the clock's body rules, and reset.
 */
import t from 'tap'
import { call, startTestServer } from '../helpers/server.js'
import { parseAdvance } from '../../src/server/routes/localvault.js'

t.test('every /_localvault/ endpoint needs the root token', async (t) => {
  const server = await startTestServer(t, { seed: { policies: { all: 'path "*" { capabilities = ["sudo", "create", "read", "update", "delete", "list"] }' }, tokens: [{ id: 'almighty', policies: ['all'] }] } })
  for (const [method, path] of [['POST', '/_localvault/reset'], ['GET', '/_localvault/clock'], ['POST', '/_localvault/clock']]) {
    for (const token of [null, '', 'wrong', 'almighty']) {
      const r = await call(server, method, path, { token, body: { advance: '1h' } })
      t.equal(r.status, 403, `${method} ${path} with ${JSON.stringify(token)}`)
      t.same(r.json, { errors: ['permission denied'] })
    }
  }
  const bearer = await call(server, 'GET', '/_localvault/clock', { token: null, headers: { authorization: `Bearer ${server.rootToken}` } })
  t.equal(bearer.status, 200, 'a Bearer root token works too')
})

t.test('GET and POST /_localvault/clock', async (t) => {
  const server = await startTestServer(t)
  const now = await call(server, 'GET', '/_localvault/clock')
  t.equal(now.status, 200)
  t.equal(now.headers['content-type'], 'application/json')
  const start = Date.parse(now.json.now)
  t.ok(Math.abs(start - Date.now()) < 5_000, 'the clock starts at the real time')

  const moved = await call(server, 'POST', '/_localvault/clock', { body: { advance: '1h30m' } })
  t.equal(moved.status, 200)
  const after = Date.parse(moved.json.now)
  t.ok(after - start >= 5_400_000 && after - start < 5_410_000, 'advanced by 90 minutes')
  t.ok(Date.parse((await call(server, 'GET', '/_localvault/clock')).json.now) >= after)

  const set = await call(server, 'POST', '/_localvault/clock', { body: { set: '2040-02-29T12:00:00+01:00' } })
  t.equal(set.status, 200)
  t.ok(Math.abs(Date.parse(set.json.now) - Date.UTC(2040, 1, 29, 11)) < 5_000)
  const health = await call(server, 'GET', '/v1/sys/health')
  t.ok(Math.abs(health.json.server_time_utc - Date.UTC(2040, 1, 29, 11) / 1000) < 5, 'Vault timestamps follow the clock')

  t.equal(health.headers.date?.toString().slice(0, 16), 'Wed, 29 Feb 2040', 'so does the Date header')
  const back = await call(server, 'POST', '/_localvault/clock', { body: { set: '2001-01-01T00:00:00Z' } })
  t.ok(Math.abs(Date.parse(back.json.now) - Date.UTC(2001, 0, 1)) < 5_000, 'set can move the clock back')
  for (const [advance, ms] of [[60, 60_000], ['7d', 604_800_000], ['120', 120_000]] as const) {
    const before = Date.parse((await call(server, 'GET', '/_localvault/clock')).json.now)
    const r = await call(server, 'POST', '/_localvault/clock', { body: { advance } })
    const delta = Date.parse(r.json.now) - before
    t.ok(delta >= ms && delta < ms + 5_000, `advance ${JSON.stringify(advance)}`)
  }
})

t.test('bad clock bodies: 400 with a reason', async (t) => {
  const server = await startTestServer(t)
  const cases: Array<[string | undefined, unknown, string]> = [
    [undefined, undefined, 'give exactly one of "advance" (a duration) or "set" (an RFC 3339 time)'],
    [undefined, {}, 'give exactly one of "advance" (a duration) or "set" (an RFC 3339 time)'],
    [undefined, { advance: '1h', set: '2030-01-01T00:00:00Z' }, 'give exactly one of "advance" (a duration) or "set" (an RFC 3339 time)'],
    [undefined, { advance: '1 hour' }, 'invalid advance: time: unknown unit " hour" in duration "1 hour"'],
    [undefined, { advance: '-1h' }, 'advance must not be negative; use "set" to move the clock back'],
    [undefined, { advance: -5 }, 'advance must not be negative; use "set" to move the clock back'],
    [undefined, { advance: true }, '"advance" must be a duration such as "1h" or a number of seconds'],
    [undefined, { advance: 1.5 }, '"advance" must be a duration such as "1h" or a number of seconds'],
    [undefined, { set: 'tomorrow' }, 'invalid set: "tomorrow" is not an RFC 3339 time (e.g. 2030-01-01T00:00:00Z)'],
    [undefined, { set: '2030-01-01' }, 'invalid set: "2030-01-01" is not an RFC 3339 time (e.g. 2030-01-01T00:00:00Z)'],
    [undefined, { set: 5 }, '"set" must be an RFC 3339 time such as "2030-01-01T00:00:00Z"'],
    [undefined, { advance: '1h', extra: 1 }, 'unknown field "extra": give "advance" or "set"'],
    [undefined, [1], 'the request body must be a JSON object'],
    ['{"advance":', undefined, 'failed to parse JSON input: '],
  ]
  for (const [raw, body, message] of cases) {
    const r = await call(server, 'POST', '/_localvault/clock', raw === undefined ? { body } : { rawBody: raw })
    t.equal(r.status, 400, JSON.stringify(raw ?? body))
    t.equal(r.json?.errors?.length, 1)
    if (message.endsWith(': ')) t.match(r.json.errors[0], message)
    else t.equal(r.json?.errors?.[0], message)
  }
})

t.test('advance parsing', async (t) => {
  t.equal(parseAdvance('1h'), 3_600_000)
  t.equal(parseAdvance('1.5s'), 1_500)
  t.equal(parseAdvance('2d'), 172_800_000)
  t.equal(parseAdvance(30), 30_000)
  t.equal(parseAdvance('0'), 0)
})

t.test('POST /_localvault/reset answers 204 and undoes changes', async (t) => {
  const server = await startTestServer(t)
  t.equal((await call(server, 'POST', '/v1/sys/mounts/extra', { body: { type: 'kv' } })).status, 204)
  const r = await call(server, 'POST', '/_localvault/reset')
  t.equal(r.status, 204)
  t.equal(r.text, '')
  t.equal((await call(server, 'GET', '/v1/sys/mounts/extra')).status, 400)
  t.equal((await call(server, 'GET', '/v1/sys/mounts/secret')).status, 200)
})

t.test('paths under /_localvault/ that do not exist: 404', async (t) => {
  const server = await startTestServer(t)
  const r = await call(server, 'GET', '/_localvault/nothing')
  t.equal(r.status, 404)
})
