/**
 * The HTTP rules every path relies on (reference http-envelope.md), over a
 * real socket: LIST, body parsing, limits, tokens, unknown paths and methods.
 */
import t from 'tap'
import net from 'node:net'
import { call, startTestServer } from '../helpers/server.js'

/** Send raw bytes and collect the whole response text (connection closed by us after a pause). */
async function rawExchange (address: string, payload: string, waitMs = 300): Promise<string> {
  const url = new URL(address)
  return await new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname)
    let out = ''
    socket.on('data', (d) => { out += d.toString('latin1') })
    socket.on('error', reject)
    socket.on('connect', () => {
      socket.write(payload)
      setTimeout(() => { socket.destroy(); resolve(out) }, waitMs)
    })
  })
}

t.test('envelope and content type', async (t) => {
  const server = await startTestServer(t)
  const res = await call(server, 'GET', '/v1/auth/token/lookup-self')
  t.equal(res.status, 200)
  t.equal(res.headers['content-type'], 'application/json', 'exactly application/json, no charset')
  t.equal(res.headers['cache-control'], 'no-store')
  t.same(Object.keys(res.json), ['request_id', 'lease_id', 'renewable', 'lease_duration', 'data',
    'wrap_info', 'warnings', 'auth', 'mount_type'])
  t.match(res.json.request_id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  t.ok(res.text.endsWith('\n'), 'body ends with a newline like Go encoders')
})

t.test('a literal LIST verb over a real socket', async (t) => {
  const server = await startTestServer(t)
  const enable = await call(server, 'POST', '/v1/sys/mounts/lst', { body: { type: 'kv', options: { version: '1' } } })
  t.equal(enable.status, 204)
  const list = await call(server, 'LIST', '/v1/sys/policies/acl')
  t.not(list.status, 400, 'LIST is not rejected by the HTTP parser')
  // Two LIST requests pipelined on one keep-alive connection, then a GET.
  const url = new URL(server.address)
  const req = (m: string, p: string): string =>
    `${m} ${p} HTTP/1.1\r\nHost: ${url.host}\r\nX-Vault-Token: ${server.rootToken}\r\n\r\n`
  const text = await rawExchange(server.address,
    req('LIST', '/v1/lst/') + req('LIST', '/v1/lst') + req('GET', '/v1/sys/health'))
  const statuses = [...text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => m[1])
  t.equal(statuses.length, 3, 'three responses on one connection')
  t.equal(statuses[2], '200', 'the request after two LISTs is parsed correctly')
  t.notOk(statuses.includes('400'), 'no LIST was rejected')
})

t.test('a body-carrying request before a LIST keeps framing', async (t) => {
  const server = await startTestServer(t)
  const url = new URL(server.address)
  const body = '{"type":"kv"}'
  const chunked = `POST /v1/sys/mounts/c1 HTTP/1.1\r\nHost: ${url.host}\r\nX-Vault-Token: root\r\n` +
    `Transfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`
  const fixed = `POST /v1/sys/mounts/c2 HTTP/1.1\r\nHost: ${url.host}\r\nX-Vault-Token: root\r\n` +
    `Content-Length: ${body.length}\r\n\r\n${body}`
  const list = `LIST /v1/sys/policies/acl HTTP/1.1\r\nHost: ${url.host}\r\nX-Vault-Token: root\r\n\r\n`
  const text = await rawExchange(server.address, chunked + fixed + list)
  const statuses = [...text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => m[1])
  t.same(statuses.slice(0, 2), ['204', '204'])
  t.equal(statuses.length, 3)
  t.not(statuses[2], '400')
})

t.test('GET ?list= with every truthy spelling, and a bad value', async (t) => {
  const server = await startTestServer(t)
  await call(server, 'POST', '/v1/sys/mounts/l1', { body: { type: 'kv', options: { version: '1' } } })
  for (const v of ['1', 't', 'T', 'TRUE', 'true', 'True']) {
    const res = await call(server, 'GET', `/v1/l1/?list=${v}`)
    t.equal(res.status, 404, `list=${v} is a list (an empty one: 404)`)
    t.same(res.json, { errors: [] })
  }
  const bad = await call(server, 'GET', '/v1/l1/x?list=yes')
  t.equal(bad.status, 400)
  t.same(bad.json, { errors: [] })
})

t.test('bodies: no content type, text/plain, form, empty, null, broken, non-object', async (t) => {
  const server = await startTestServer(t)
  const noType = await call(server, 'POST', '/v1/sys/mounts/b1', { rawBody: '{"type":"kv"}' })
  t.equal(noType.status, 204, 'JSON without Content-Type')
  const plain = await call(server, 'PUT', '/v1/sys/mounts/b2', {
    rawBody: '{"type":"kv"}', headers: { 'content-type': 'text/plain; charset=utf-8' }
  })
  t.equal(plain.status, 204, 'JSON sent as text/plain, and PUT = POST')
  const form = await call(server, 'POST', '/v1/sys/mounts/b3', {
    rawBody: 'type=kv&description=x', headers: { 'content-type': 'application/x-www-form-urlencoded' }
  })
  t.equal(form.status, 204, 'form body')
  const mounts = await call(server, 'GET', '/v1/sys/mounts')
  t.equal(mounts.json.data['b3/'].description, 'x')

  const empty = await call(server, 'POST', '/v1/sys/mounts/b4', { rawBody: '' })
  t.equal(empty.status, 400)
  t.same(empty.json, { errors: ['backend type must be specified as a string'] }, 'empty body = no data')
  const nul = await call(server, 'POST', '/v1/sys/mounts/b5', { rawBody: 'null' })
  t.same(nul.json, { errors: ['backend type must be specified as a string'] }, 'null body = no data')

  const broken = await call(server, 'POST', '/v1/sys/mounts/b6', { rawBody: '{"type": ' })
  t.equal(broken.status, 400)
  t.same(broken.json, { errors: ['failed to parse JSON input: unexpected EOF'] })
  const garbage = await call(server, 'POST', '/v1/sys/mounts/b6', { rawBody: 'nope' })
  t.same(garbage.json, { errors: ["failed to parse JSON input: invalid character 'o' in literal null (expecting 'u')"] })
  const arr = await call(server, 'POST', '/v1/sys/mounts/b7', { rawBody: '[1]' })
  t.same(arr.json, { errors: ['failed to parse JSON input: json: cannot unmarshal array into Go value of type map[string]interface {}'] })
})

t.test('33 MiB body is refused with 413, and the server keeps serving', async (t) => {
  const server = await startTestServer(t)
  const big = Buffer.alloc(33 * 1024 * 1024, 0x20)
  const res = await call(server, 'POST', '/v1/sys/mounts/big', { rawBody: big })
  t.equal(res.status, 413)
  t.same(res.json, { errors: ['failed to parse JSON input: http: request body too large'] })
  const after = await call(server, 'GET', '/v1/sys/health', { token: null })
  t.equal(after.status, 200)
})

t.test('tokens: missing, unknown, X-Vault-Token and Bearer', async (t) => {
  const server = await startTestServer(t)
  const none = await call(server, 'GET', '/v1/sys/mounts', { token: null })
  t.equal(none.status, 403)
  t.same(none.json, { errors: ['permission denied'] })
  const unknown = await call(server, 'GET', '/v1/sys/mounts', { token: 'nope' })
  t.equal(unknown.status, 403)
  const bearer = await call(server, 'GET', '/v1/sys/mounts', {
    token: null, headers: { authorization: `Bearer ${server.rootToken}` }
  })
  t.equal(bearer.status, 200)
  const basic = await call(server, 'GET', '/v1/sys/mounts', {
    token: null, headers: { authorization: `Basic ${server.rootToken}` }
  })
  t.equal(basic.status, 403, 'only Bearer is read')
})

t.test('unknown paths, methods, trailing-slash writes, path cleaning', async (t) => {
  const server = await startTestServer(t)
  const route = await call(server, 'GET', '/v1/nomount/x')
  t.equal(route.status, 404)
  t.same(route.json, { errors: ['no handler for route "nomount/x". route entry not found.'] })
  const sys = await call(server, 'GET', '/v1/sys/nothing-here')
  t.equal(sys.status, 404)
  t.same(sys.json, { errors: ['1 error occurred:\n\t* unsupported path\n\n'] })
  const outside = await call(server, 'GET', '/nothing', { token: null })
  t.equal(outside.status, 404)
  t.same(outside.json, { errors: [] })
  const method = await call(server, 'PROPFIND', '/v1/sys/mounts')
  t.equal(method.status, 405)
  t.same(method.json, { errors: [] })
  const slash = await call(server, 'POST', '/v1/sys/mounts/abc/', { body: { type: 'kv' }, token: null })
  t.equal(slash.status, 400, 'checked before the token')
  t.same(slash.json, { errors: ["cannot write to a path ending in '/'"] })
  const dirty = await call(server, 'GET', '/v1/sys//mounts')
  // Go 1.22+ ServeMux answers 307 (observed on OpenBao 2.6.2).
  t.equal(dirty.status, 307)
  t.equal(dirty.headers.location, '/v1/sys/mounts')
})

t.test('HEAD on sys/health: status only', async (t) => {
  const server = await startTestServer(t)
  const head = await call(server, 'HEAD', '/v1/sys/health', { token: null })
  t.equal(head.status, 200)
  t.equal(head.text, '')
  t.equal(head.headers['content-type'], 'application/json')
  const code = await call(server, 'GET', '/v1/sys/health?activecode=299', { token: null })
  t.equal(code.status, 299)
  t.equal(code.json.initialized, true)
  const bad = await call(server, 'GET', '/v1/sys/health?activecode=abc', { token: null })
  t.equal(bad.status, 400)
  const headLogical = await call(server, 'HEAD', '/v1/sys/mounts')
  t.equal(headLogical.status, 405, 'HEAD on a logical path with a root token')
})

t.test('weak typing and unknown-field warnings', async (t) => {
  const server = await startTestServer(t)
  const res = await call(server, 'POST', '/v1/sys/mounts/w1', {
    body: { type: 'kv', local: 'true', config: { default_lease_ttl: '1h', max_lease_ttl: 7200 } }
  })
  t.equal(res.status, 204)
  const tune = await call(server, 'GET', '/v1/sys/mounts/w1/tune?bogus=1')
  t.equal(tune.json.data.default_lease_ttl, 3600)
  t.equal(tune.json.data.max_lease_ttl, 7200)
  t.same(tune.json.warnings, ['Endpoint ignored these unrecognized parameters: [bogus]'])
  const bad = await call(server, 'POST', '/v1/sys/mounts/w2', { body: { type: 'kv', local: 'maybe' } })
  t.equal(bad.status, 400)
  t.match(bad.json.errors[0], /^Field validation failed: error converting input for field "local": /)
})
