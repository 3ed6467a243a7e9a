/**
 * goJsonStringify writes what Go's json.Marshal writes: fixed vectors for
 * the escapes and the key order, and a differential property against a
 * plain reference implementation (the serializer is tuned for speed, so
 * the reference keeps it honest).
 */
import t from 'tap'
import fc from 'fast-check'
import { goJsonStringify, ordered } from '../../src/engines/go-json.js'
import { RawJson } from '../../src/engines/engine.js'

t.test('Go vectors: HTML-safe escapes, sorted map keys, struct order', async (t) => {
  t.equal(goJsonStringify({ b: '<a&b>', a: '\u2028\u2029' }), '{"a":"\\u2028\\u2029","b":"\\u003ca\\u0026b\\u003e"}')
  t.equal(goJsonStringify({ '<k>': 1 }), '{"\\u003ck\\u003e":1}', 'keys are escaped too')
  // UTF-8 byte order puts U+FF21 (EF BC A1) before U+1F600 (F0 9F 98 80),
  // though UTF-16 code units say otherwise.
  t.equal(goJsonStringify({ '\u{1F600}': 1, '\uFF21': 2, z: 3, A: 4 }), '{"A":4,"z":3,"\uFF21":2,"\u{1F600}":1}')
  t.equal(goJsonStringify(ordered({ z: 1, a: 2, skip: undefined })), '{"z":1,"a":2}')
  t.equal(goJsonStringify([1, 'x', null, undefined, true, Number.NaN]), '[1,"x",null,null,true,null]')
  t.equal(goJsonStringify({ raw: new RawJson('{"x":1}'), buf: Buffer.from('hi') }), '{"buf":"aGk=","raw":{"x":1}}')
  t.equal(goJsonStringify({}), '{}')
  t.equal(goJsonStringify([]), '[]')
  t.equal(goJsonStringify(12n), '12')
})

// The reference: obviously right, not fast.
function reference (value: unknown): string {
  const esc = (s: string): string => s.replace(/[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'string') return esc(JSON.stringify(value))
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null'
  if (typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`
  const obj = value as Record<string, unknown>
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
  return `{${keys.map((k) => `${esc(JSON.stringify(k))}:${reference(obj[k])}`).join(',')}}`
}

t.test('matches the reference on arbitrary JSON-like values', async (t) => {
  const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('<', '&', '\u2028', 'é', '\u{10000}', ''))
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' },
      text, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined),
      fc.array(tie('value'), { maxLength: 5 }),
      fc.dictionary(text, tie('value'), { maxKeys: 6 }))
  }))
  fc.assert(fc.property(value, (v) => goJsonStringify(v) === reference(v)), { numRuns: 2000 })
  t.pass('property held')
})
