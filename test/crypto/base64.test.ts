/** Go's base64 rules: padding required, \r\n skipped, Go's error offsets. */
import t from 'tap'
import fc from 'fast-check'
import { CorruptInputError, decodeRawUrlBase64, decodeStdBase64 } from '../../src/crypto/base64.js'

function offsetOf (fn: () => unknown): number | undefined {
  try { fn(); return undefined } catch (err) { return err instanceof CorruptInputError ? err.offset : -1 }
}

t.test('valid inputs decode like Buffer', async (t) => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
    const b = Buffer.from(bytes)
    return decodeStdBase64(b.toString('base64')).equals(b) && decodeRawUrlBase64(b.toString('base64url')).equals(b)
  }))
  t.same(decodeStdBase64(''), Buffer.alloc(0))
  t.same(decodeStdBase64('aGVs\r\nbG8='), Buffer.from('hello'))
  t.same(decodeStdBase64('QR=='), Buffer.from('A'), 'non-strict: trailing bits are not checked')
  t.same(decodeStdBase64('aGVsbA=\n='), Buffer.from('hell'), 'newlines inside the padding are skipped')
})

t.test('error offsets as Go reports them', async (t) => {
  const cases: Array<[string, number]> = [
    ['aGVsbG8', 4], ['a', 0], ['ab', 0], ['abc', 0], ['aGV$', 3], ['====', 0], ['a===', 1],
    ['ab=', 3], ['ab=c', 2], ['aGVsbG8=x', 8], ['aGVsbG8==', 8], ['-_-_', 0]
  ]
  for (const [input, offset] of cases) t.equal(offsetOf(() => decodeStdBase64(input)), offset, JSON.stringify(input))
  t.equal(offsetOf(() => decodeRawUrlBase64('aGVsbG8=')), 7, 'raw encodings refuse padding')
  t.equal(offsetOf(() => decodeRawUrlBase64('a')), 0)
  t.equal(new CorruptInputError(4).message, 'illegal base64 data at input byte 4')
})

t.test('the canonical fast path and Go\'s rules agree on near-canonical input', async (t) => {
  // Mutations of valid base64 that Node would accept silently: each must
  // decode as Go decodes it (bytes or the same error offset) whichever path runs.
  const mutate = fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.nat(), fc.constantFrom('\n', '\r', '=', '-', 'A', ' ', ''))
  fc.assert(fc.property(mutate, ([bytes, at, ch]) => {
    const canonical = Buffer.from(bytes).toString('base64')
    const i = at % (canonical.length + 1)
    const text = canonical.slice(0, i) + ch + canonical.slice(i)
    const stripped = text.replace(/[\r\n]/g, '')
    const got = offsetOf(() => decodeStdBase64(text))
    if (ch === '\n' || ch === '\r' || ch === '') {
      return got === undefined && decodeStdBase64(text).equals(Buffer.from(bytes))
    }
    // Any other insertion breaks canonical form: Go rejects it unless the
    // result is still valid padded base64 of the same length class.
    const valid = /^[A-Za-z0-9+/]*={0,2}$/.test(stripped) && stripped.length % 4 === 0
    return valid ? got === undefined : got !== undefined
  }), { numRuns: 1000 })
  t.pass('property held')
})
