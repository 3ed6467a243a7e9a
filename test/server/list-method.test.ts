/**
 * The LIST rewriter: whatever way a byte stream of requests is split into
 * reads, each request's method is rewritten once (LIST -> LINK,
 * LINK -> UNLINK) and nothing else changes, bodies included.
 */
import t from 'tap'
import fc from 'fast-check'
import { MethodRewriter } from '../../src/server/list-method.js'

interface Req { wire: string, expected: string }

const body = fc.stringMatching(/^[ -~\r\n]{0,40}$/).map((s) => s + 'LIST /x HTTP/1.1\r\n\r\n'.slice(0, s.length % 20))

const request: fc.Arbitrary<Req> = fc.record({
  method: fc.constantFrom('GET', 'POST', 'LIST', 'LINK', 'PUT', 'DELETE'),
  framing: fc.constantFrom('none', 'length', 'chunked'),
  body,
  chunks: fc.integer({ min: 1, max: 3 }),
  trailer: fc.boolean(),
  leadingCrlf: fc.boolean()
}).map(({ method, framing, body, chunks, trailer, leadingCrlf }) => {
  let head = `/v1/secret/ HTTP/1.1\r\nHost: x\r\nX-Vault-Token: root\r\n`
  let tail = ''
  if (framing === 'length') {
    head += `content-Length:  ${Buffer.byteLength(body)} \r\n`
    tail = body
  } else if (framing === 'chunked') {
    head += 'Transfer-Encoding: chunked\r\n'
    const size = Math.max(1, Math.ceil(body.length / chunks))
    for (let i = 0; i < body.length; i += size) {
      const part = body.slice(i, i + size)
      tail += `${part.length.toString(16)};ext=1\r\n${part}\r\n`
    }
    tail += '0\r\n' + (trailer ? 'X-Trailer: LIST \r\n' : '') + '\r\n'
  }
  const lead = leadingCrlf ? '\r\n' : ''
  const rewritten = method === 'LIST' ? 'LINK' : method === 'LINK' ? 'UNLINK' : method
  return {
    wire: `${lead}${method} ${head}\r\n${tail}`,
    expected: `${lead}${rewritten} ${head}\r\n${tail}`
  }
})

function feed (wire: Buffer, cuts: number[]): string {
  const rw = new MethodRewriter()
  const points = [...new Set(cuts.map((c) => c % (wire.length + 1)))].sort((a, b) => a - b)
  const out: Buffer[] = []
  let from = 0
  for (const p of [...points, wire.length]) {
    out.push(rw.push(Buffer.from(wire.subarray(from, p))))
    from = p
  }
  return Buffer.concat(out).toString('latin1')
}

t.test('any split of any request sequence rewrites exactly the methods', async (t) => {
  fc.assert(fc.property(fc.array(request, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 12 }),
    (reqs, cuts) => {
      const wire = Buffer.from(reqs.map((r) => r.wire).join(''), 'latin1')
      const expected = reqs.map((r) => r.expected).join('')
      return feed(wire, cuts) === expected
    }), { numRuns: 400 })
  t.pass('property held')
})

t.test('every single split point of a LIST after a chunked POST', async (t) => {
  const wire = 'POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nLIST\r\n0\r\n\r\n' +
    'LIST /b HTTP/1.1\r\nContent-Length: 5\r\n\r\nLINK ' + 'LINK /c HTTP/1.1\r\n\r\n'
  const expected = 'POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nLIST\r\n0\r\n\r\n' +
    'LINK /b HTTP/1.1\r\nContent-Length: 5\r\n\r\nLINK ' + 'UNLINK /c HTTP/1.1\r\n\r\n'
  for (let i = 0; i <= wire.length; i++) {
    t.equal(feed(Buffer.from(wire, 'latin1'), [i]), expected, `split at ${i}`)
  }
  const everyByte = Array.from({ length: wire.length }, (_, k) => k)
  t.equal(feed(Buffer.from(wire, 'latin1'), everyByte), expected, 'one byte at a time')
})

t.test('a whole request in one read comes back as the same buffer', async (t) => {
  const rw = new MethodRewriter()
  const chunk = Buffer.from('LIST /v1/secret/ HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}GET / HTTP/1.1\r\n\r\n')
  const out = rw.push(chunk)
  t.equal(out, chunk, 'no copy')
  t.equal(out.toString(), 'LINK /v1/secret/ HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}GET / HTTP/1.1\r\n\r\n')
})

t.test('what cannot be framed passes through untouched from then on', async (t) => {
  const cases = [
    'GET / HTTP/1.1\r\nUpgrade: websocket\r\n\r\nLIST / HTTP/1.1\r\n\r\n',
    'POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabLIST / HTTP/1.1\r\n\r\n',
    'POST / HTTP/1.1\r\nContent-Length: x\r\n\r\nLIST / HTTP/1.1\r\n\r\n',
    'POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\nLIST / HTTP/1.1\r\n\r\n',
    'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\nLIST / HTTP/1.1\r\n\r\n',
    'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nLIST / HTTP/1.1\r\n\r\n',
    'CONNECT x:1 HTTP/1.1\r\n\r\nLIST / HTTP/1.1\r\n\r\n'
  ]
  for (const wire of cases) {
    t.equal(feed(Buffer.from(wire, 'latin1'), [7]), wire, JSON.stringify(wire.slice(0, 40)))
  }
})

t.test('an oversized head switches to pass-through instead of buffering', async (t) => {
  const rw = new MethodRewriter()
  const big = Buffer.from('LIST / HTTP/1.1\r\nX: ' + 'a'.repeat(130 * 1024))
  const out = rw.push(big)
  t.equal(out.length, big.length, 'handed on, not held')
  const next = Buffer.from('\r\n\r\nLIST / HTTP/1.1\r\n\r\n')
  t.equal(rw.push(next), next, 'pass-through from then on')
})
