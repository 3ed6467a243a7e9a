/** Go-decoded JSON values: literal numbers, duplicate keys, surrogates, float64 reads (unit). */
import t from 'tap'
import { marshalGo, parseGoJson, toFloat64, FloatOverflowError, GoJsonSyntaxError } from '../../../src/engines/go-value.js'
import { parseGoInt, weakInt } from '../../../src/engines/kv/body.js'
import { goQuote, isPrintable } from '../../../src/engines/kv/go-quote.js'
import { RawJson } from '../../../src/engines/engine.js'

t.test('parse and marshal like Go with UseNumber', async (t) => {
  t.equal(marshalGo(parseGoJson('{"b":1,"a":1.0}')), '{"a":1.0,"b":1}')
  t.equal(marshalGo(parseGoJson('{"a":1,"a":{"x":2}}')), '{"a":{"x":2}}', 'last duplicate wins')
  t.equal(marshalGo(parseGoJson('{"__proto__":{"x":1}}')), '{"__proto__":{"x":1}}')
  t.equal(marshalGo(parseGoJson('"\\ud800\\u0041"')), '"\ufffdA"', 'lone surrogate becomes U+FFFD, next escape kept')
  t.equal(marshalGo(parseGoJson('"\\ud83d\\ude00<"')), '"😀\\u003c"')
  t.equal(marshalGo(parseGoJson(' [1e5, -0, true, false, null] trailing')), '[1e5,-0,true,false,null]', 'only the first value is read')
  t.throws(() => parseGoJson('{"a":}'), GoJsonSyntaxError)
  t.throws(() => parseGoJson('{"a":01}'), GoJsonSyntaxError)
  t.throws(() => parseGoJson('"\u0001"'), GoJsonSyntaxError)
})

t.test('float64 reads', async (t) => {
  t.equal(marshalGo(toFloat64(parseGoJson('[1.0,1e21,1e-7,12345678901234567890,-0.0,0.1]'))),
    '[1,1e+21,1e-7,12345678901234567000,-0,0.1]')
  t.throws(() => toFloat64(new RawJson('1e400')), FloatOverflowError)
})

t.test('weak integer decoding', async (t) => {
  t.equal(parseGoInt('0x1f', 0), 31n)
  t.equal(parseGoInt('017', 0), 15n)
  t.equal(parseGoInt('-0b11', 0), -3n)
  t.equal(parseGoInt('9223372036854775808', 10), undefined, 'int64 overflow')
  t.equal(parseGoInt('1.0', 10), undefined)
  t.equal(weakInt(null), 0n)
  t.equal(weakInt(true), 1n)
  t.equal(weakInt(''), 0n)
  t.equal(weakInt(new RawJson('42')), 42n)
  t.equal(weakInt([]), undefined)
})

t.test('Go %q and IsPrint', async (t) => {
  t.equal(goQuote('a\u0001"\\\n\u00e9\u00a0\u{1f600}\u007f'), '"a\\x01\\"\\\\\\n\u00e9\\u00a0\u{1f600}\\x7f"')
  t.ok(isPrintable('héllo wörld!'))
  t.notOk(isPrintable('tab\there'))
  t.notOk(isPrintable('nbsp\u00a0'))
})
