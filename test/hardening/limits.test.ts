/**
 * Request limits and connection timeouts, as Vault's listener has them:
 * 32 MiB bodies (413 past it, whatever the framing), 1 MiB of headers (Go's
 * limit, not Node's 16 KiB), and slow or abandoned connections cut off so
 * they cannot pile up. The timeout tests shorten the timeouts through
 * startServer's `timeouts` option; the defaults are checked as values.
 */
import t from 'tap'
import net from 'node:net'
import { startServer } from '../../src/index.js'
import { serverOptions, VAULT_TIMEOUTS, MAX_HEADER_BYTES } from '../../src/server/http-limits.js'
import { rawExchange } from './lib/raw-http.js'

const MiB = 1024 * 1024

function portOf (address: string): number {
  return Number(new URL(address).port)
}

/** Open a connection, run `drive` on it, resolve with when (ms) and whether the server closed it. */
async function watchClose (port: number, limitMs: number, drive: (s: net.Socket) => void): Promise<{ closedAfterMs: number | undefined, received: string }> {
  return await new Promise((resolve) => {
    const started = Date.now()
    const socket = net.connect(port, '127.0.0.1')
    let received = ''
    let done = false
    const finish = (closed: boolean): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket.destroy()
      resolve({ closedAfterMs: closed ? Date.now() - started : undefined, received })
    }
    const timer = setTimeout(() => finish(false), limitMs)
    socket.on('data', (d) => { received += d.toString('latin1') })
    socket.on('close', () => finish(true))
    socket.on('error', () => finish(true))
    socket.on('connect', () => drive(socket))
  })
}

t.test('the defaults are Vault\'s listener defaults', async (t) => {
  t.same(VAULT_TIMEOUTS, { headersMs: 10_000, requestMs: 30_000, idleMs: 300_000 })
  const o = serverOptions()
  t.equal(o.headersTimeout, 10_000, 'http_read_header_timeout 10 s')
  t.equal(o.requestTimeout, 30_000, 'http_read_timeout 30 s')
  t.equal(o.keepAliveTimeout, 300_000, 'http_idle_timeout 5 min')
  t.equal(o.maxHeaderSize, MiB + 4096, 'Go\'s DefaultMaxHeaderBytes plus its slack')
  t.ok((o.connectionsCheckingInterval ?? 30_000) <= 1000, 'timeouts are checked at least every second')
})

t.test('body size: 32 MiB is Vault\'s max_request_size', async (t) => {
  for (const flavor of ['vault', 'openbao'] as const) {
    const server = await startServer({ rootToken: 'root', flavor })
    t.teardown(() => server.close())
    const over = Buffer.alloc(32 * MiB + 1, 0x20)
    const head = (extra: string): string => 'POST /v1/secret/data/big HTTP/1.1\r\nHost: x\r\nX-Vault-Token: root\r\n' + extra + 'Connection: close\r\n\r\n'
    const fixed = await rawExchange(server.address, Buffer.concat([Buffer.from(head(`Content-Length: ${over.length}\r\n`)), over]), 60_000)
    t.equal(fixed.status, 413, `${flavor}: a declared length past the limit is 413`)
    const expected = flavor === 'openbao' ? 'http: request body too large' : 'failed to parse JSON input: http: request body too large'
    t.same(JSON.parse(fixed.body.toString()).errors, [expected], `${flavor}: Vault's text`)

    // Chunked: no length up front, the limit still applies while reading.
    const chunk = Buffer.alloc(MiB, 0x20)
    const chunks: Buffer[] = [Buffer.from(head('Transfer-Encoding: chunked\r\n'))]
    for (let i = 0; i < 33; i++) chunks.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'))
    chunks.push(Buffer.from('0\r\n\r\n'))
    const chunked = await rawExchange(server.address, Buffer.concat(chunks), 60_000)
    t.equal(chunked.status, 413, `${flavor}: a chunked body past the limit is 413`)

    const under = JSON.stringify({ data: { a: 'x'.repeat(32 * MiB - 64) } })
    const ok = await rawExchange(server.address, Buffer.concat([Buffer.from(head(`Content-Length: ${Buffer.byteLength(under)}\r\n`)), Buffer.from(under)]), 60_000)
    t.equal(ok.status, 200, `${flavor}: just under the limit is accepted`)
  }
})

t.test('headers: up to Go\'s 1 MiB, then Go\'s plain 431', async (t) => {
  const server = await startServer({ rootToken: 'root' })
  t.teardown(() => server.close())
  const req = (size: number): string => `GET /v1/sys/health HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(size)}\r\nConnection: close\r\n\r\n`
  const big = await rawExchange(server.address, req(64 * 1024))
  t.equal(big.status, 200, 'a 64 KiB header is fine, as in Go')
  const huge = await rawExchange(server.address, req(MiB + 8192))
  t.equal(huge.status, 431)
  t.equal(huge.headers['content-type'], 'text/plain; charset=utf-8')
  t.equal(huge.body.toString(), '431 Request Header Fields Too Large')
})

t.test('slow and abandoned connections are cut off', async (t) => {
  const server = await startServer({ rootToken: 'root', timeouts: { headersMs: 400, requestMs: 800, idleMs: 600 } })
  t.teardown(() => server.close())
  const port = portOf(server.address)

  // Slowloris: a header line every 100 ms, never finishing the head.
  const slowHead = await watchClose(port, 5000, (s) => {
    s.write('GET /v1/sys/health HTTP/1.1\r\nHost: x\r\n')
    const timer = setInterval(() => { if (!s.destroyed) s.write('X-Slow: 1\r\n') }, 100)
    s.on('close', () => clearInterval(timer))
  })
  t.ok(slowHead.closedAfterMs !== undefined && slowHead.closedAfterMs < 2500, `a trickled head is closed (after ${slowHead.closedAfterMs} ms)`)
  t.equal(slowHead.received, '', 'without an answer, as Go closes a connection past its read deadline')

  // A body trickled one byte every 100 ms, headers complete.
  const slowBody = await watchClose(port, 5000, (s) => {
    s.write('POST /v1/secret/data/x HTTP/1.1\r\nHost: x\r\nX-Vault-Token: root\r\nContent-Length: 1000\r\n\r\n{')
    const timer = setInterval(() => { if (!s.destroyed) s.write(' ') }, 100)
    s.on('close', () => clearInterval(timer))
  })
  t.ok(slowBody.closedAfterMs !== undefined && slowBody.closedAfterMs < 3000, `a trickled body is closed (after ${slowBody.closedAfterMs} ms)`)

  // Connections that never send a byte.
  const silent = await Promise.all(Array.from({ length: 40 }, async () => await watchClose(port, 5000, () => {})))
  const open = silent.filter((r) => r.closedAfterMs === undefined).length
  t.equal(open, 0, `all 40 silent connections were closed (slowest after ${Math.max(...silent.map((r) => r.closedAfterMs ?? Infinity))} ms)`)

  // A keep-alive connection left idle after an answer.
  const idle = await watchClose(port, 5000, (s) => s.write('GET /v1/sys/health HTTP/1.1\r\nHost: x\r\n\r\n'))
  t.match(idle.received, /^HTTP\/1\.1 200 /, 'the request was answered')
  t.ok(idle.closedAfterMs !== undefined && idle.closedAfterMs < 2500, `then the idle connection was closed (after ${idle.closedAfterMs} ms)`)

  // The server still answers normally afterwards.
  const after = await rawExchange(server.address, 'GET /v1/sys/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
  t.equal(after.status, 200)
})

t.test('requests Node cannot parse get Go\'s answers, not Fastify\'s JSON', async (t) => {
  const server = await startServer({ rootToken: 'root' })
  t.teardown(() => server.close())
  const cases: Array<[string, number, string]> = [
    // Each answer checked against OpenBao 2.6.2 with the same bytes.
    ['GET /v1/sys/health HTTP/1.1\r\nHost: a\r\nBad Header\r\nConnection: close\r\n\r\n', 400, '400 Bad Request'],
    ['GET /v1/secret/data/%zz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n', 400, '400 Bad Request'],
    ['GET /v1/sys/health HTTP/1.1\r\nHost: a\r\nX-A: b\u0000c\r\nConnection: close\r\n\r\n', 400, '400 Bad Request'],
    ['POST /v1/secret/data/x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\nConnection: close\r\n\r\nabcd', 400, '400 Bad Request'],
    ['POST /v1/secret/data/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\nConnection: close\r\n\r\n', 501, 'Unsupported transfer encoding'],
    ['GET v1/sys/health HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n', 400, '400 Bad Request'],
    ['G@T /v1/sys/health HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n', 400, '400 Bad Request'],
    ['PRI /v1/% HTTP/9.9\r\nHost: a\r\n\r\n', 400, '400 Bad Request'],
    ['GET /v1/sys/health HTTP/2.0\r\nHost: a\r\n\r\n', 505, '505 HTTP Version Not Supported: unsupported protocol version'],
    ['GET /v1/sys/health HTTP/3.1\r\nHost: a\r\n\r\n', 505, '505 HTTP Version Not Supported: unsupported protocol version'],
    ['GET /v1/sys/health HTTP/1.1\r\nConnection: close\r\n\r\n', 400, '400 Bad Request: missing required Host header'],
    ['FOO /v1/sys/health HTTP/1.1\r\nConnection: close\r\n\r\n', 400, '400 Bad Request: missing required Host header'],
    ['GET /v1/sys/health HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n', 400, '400 Bad Request']
  ]
  for (const [raw, status, body] of cases) {
    const res = await rawExchange(server.address, raw)
    t.equal(res.status, status, JSON.stringify(raw.slice(0, 40)))
    t.equal(res.body.toString(), body)
    t.equal(res.headers['content-type'], 'text/plain; charset=utf-8')
  }
  for (const target of ['/v1/sys/health', '127.0.0.1:8200']) {
    const res = await rawExchange(server.address, `CONNECT ${target} HTTP/1.1\r\nHost: a\r\n\r\n`)
    t.equal(res.status, target.startsWith('/') ? 405 : 404, `CONNECT ${target} is answered like any method Vault does not serve`)
    t.equal(res.body.toString(), '{"errors":[]}\n')
  }
})

t.test('redirects, unknown methods, wrap TTL and help as OpenBao 2.6.2 answers them', async (t) => {
  const server = await startServer({ rootToken: 'root' })
  t.teardown(() => server.close())
  // Go 1.22's ServeMux escapes the cleaned escaped path once more.
  const redirect = await rawExchange(server.address, 'GET /v1//sys/%68ealth?a=%20 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')
  t.equal(redirect.status, 307)
  t.equal(redirect.headers.location, '/v1/sys/%2568ealth?a=%20')
  t.equal(redirect.body.toString(), '<a href="/v1/sys/%2568ealth?a=%20">Temporary Redirect</a>.\n\n')
  const foo = await rawExchange(server.address, 'FOO /v1/sys/health HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')
  t.equal(foo.status, 405, 'a token method Vault does not serve')
  const ctl = await rawExchange(server.address, 'get /%0av1/secret HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')
  t.same([ctl.status, ctl.body.toString()], [400, ''], 'a control character in the path, before the method')

  const req = async (path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<[number, unknown]> => {
    const res = await fetch(server.address + path, { method, headers: { 'x-vault-token': 'root', ...headers } })
    const text = await res.text()
    return [res.status, text === '' ? '' : JSON.parse(text).errors?.[0]]
  }
  t.same(await req('/v1/secret/data/x', { 'x-vault-wrap-ttl': 'junk' }), [400, 'error parsing X-Vault-Wrap-TTL header: time: invalid duration "junk"'])
  t.same(await req('/v1/secret/data/x', { 'x-vault-wrap-ttl': 'junk', 'x-vault-token': 'nope' }), [400, 'error parsing X-Vault-Wrap-TTL header: time: invalid duration "junk"'], 'before the token')
  t.same(await req('/v1/secret/data/x', { 'x-vault-wrap-ttl': '-5s' }), [400, 'error parsing X-Vault-Wrap-TTL header: requested wrap ttl cannot be negative'])
  t.same(await req('/v1/secret/data/x', { 'x-vault-wrap-ttl': '0' }), [404, undefined], 'a zero TTL wraps nothing')
  await fetch(server.address + '/v1/secret/data/wrapped', { method: 'POST', headers: { 'x-vault-token': 'root' }, body: '{"data":{"a":1}}' })
  t.same(await req('/v1/secret/data/wrapped', { 'x-vault-wrap-ttl': '1m' }), [400, 'response wrapping (X-Vault-Wrap-TTL) is not supported by localvault'])
  t.equal((await req('/v1/secret/data/wrapped', { 'x-vault-wrap-ttl': '1m', 'x-vault-token': 'nope' }))[0], 403, 'the token check comes first')
  t.same(await req('/v1/secret/data/x', { 'x-vault-wrap-ttl': '1m' }), [404, undefined], 'a read that finds nothing is not wrapped')
  const write = await fetch(server.address + '/v1/secret/data/wrapped', { method: 'POST', headers: { 'x-vault-token': 'root', 'x-vault-wrap-ttl': '1m' }, body: '{"data":{"a":2}}' })
  t.equal(write.status, 400, 'a write asking for wrapping is refused')
  const after = await (await fetch(server.address + '/v1/secret/data/wrapped', { headers: { 'x-vault-token': 'root' } })).json() as { data: { data: { a: number } } }
  t.equal(after.data.data.a, 1, 'and did not happen')

  await req('/v1/secret/data/keep', { 'content-type': 'application/json' }, 'GET')
  await fetch(server.address + '/v1/secret/data/keep', { method: 'POST', headers: { 'x-vault-token': 'root' }, body: '{"data":{"a":1}}' })
  t.same(await req('/v1/secret/metadata/keep?help=1', {}, 'DELETE'), [400, 'API help (?help=1) is not supported by localvault; see the Vault API documentation'])
  t.equal((await req('/v1/secret/data/keep'))[0], 200, 'a DELETE asking for help deleted nothing')
  t.same(await req('/v1/nomount/x?help=1'), [404, 'no handler for route "nomount/x". route entry not found.'])
  t.same(await req('/v1/sys/nothing/x?help=1'), [404, '1 error occurred:\n\t* unsupported path\n\n'])
  t.equal((await req('/v1/secret/data/x?help=1', { 'x-vault-token': 'nope' }))[0], 403, 'help needs a valid token')
  t.same(await req('/v1/secret/data/x?help='), [404, undefined], 'an empty help is no help')
})
