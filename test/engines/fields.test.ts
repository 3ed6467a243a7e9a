/**
 * Field coercion and its error texts. The v2 texts were observed on
 * OpenBao 2.6.2 (go-viper/mapstructure v2); v1 is Vault's mitchellh wording.
 */
import t from 'tap'
import { FieldData, type FieldSpecs } from '../../src/engines/fields.js'
import { isVaultError } from '../../src/errors/index.js'

const SPECS: FieldSpecs = {
  n: { type: 'int' },
  b: { type: 'bool' },
  s: { type: 'string' },
  m: { type: 'map' },
  v: { type: 'commaIntSlice' },
  l: { type: 'commaStringSlice' },
  o: { type: 'kvPairs' },
  d: { type: 'duration' }
}

function errorOf (raw: Record<string, unknown>, wording: 'v1' | 'v2' = 'v2', prefixed = true): string {
  try {
    new FieldData(raw, SPECS, wording).validate(prefixed)
  } catch (err) {
    if (isVaultError(err)) return err.messages[0]
    throw err
  }
  return 'no error'
}

const FV = 'Field validation failed: error converting input for field '

t.test('weak typing accepts what Vault accepts', async (t) => {
  const d = new FieldData({ n: '0x10', b: 'True', s: true, m: [{ a: 1 }, { b: 2 }], v: '1,2', l: ' a , b', o: ['k=v'], d: '1h' }, SPECS)
  d.validate()
  t.equal(d.get('n'), 16)
  t.equal(d.get('b'), true)
  t.equal(d.get('s'), '1')
  t.same(d.get('m'), { a: 1, b: 2 })
  t.same(d.get('v'), [1, 2])
  t.same(d.get('l'), ['a', 'b'])
  t.same(d.get('o'), { k: 'v' })
  t.equal(d.get('d'), 3600)
  t.equal(new FieldData({ n: '010' }, SPECS).get('n'), 8, 'leading zero is octal, as strconv base 0')
  t.equal(new FieldData({ n: '12' }, SPECS).get('n'), 12)
  t.equal(new FieldData({ n: 1 }, SPECS).get('n'), 1)
})

t.test('OpenBao (mapstructure v2) texts', async (t) => {
  t.equal(errorOf({ n: 'x' }), FV + `"n": '' cannot parse value as 'int': strconv.ParseInt: invalid syntax`)
  t.equal(errorOf({ n: 1.5 }), FV + `"n": '' cannot parse value as 'int': strconv.ParseInt: invalid syntax`)
  t.equal(errorOf({ n: [1] }), FV + `"n": '' expected type 'int', got unconvertible type '[]interface {}'`)
  t.equal(errorOf({ n: {} }), FV + `"n": '' expected type 'int', got unconvertible type 'map[string]interface {}'`)
  t.equal(errorOf({ b: 2 }), FV + `"b": '' cannot parse value as 'bool': strconv.ParseBool: invalid syntax`)
  t.equal(errorOf({ b: [true] }), FV + `"b": '' expected type 'bool', got unconvertible type '[]interface {}'`)
  t.equal(errorOf({ s: ['kv'] }), FV + `"s": '' expected type 'string', got unconvertible type '[]interface {}'`)
  t.equal(errorOf({ v: '1,2, 3' }), FV + `"v": decoding failed due to the following error(s):\n\n'[2]' cannot parse value as 'int': strconv.ParseInt: invalid syntax`)
  t.equal(errorOf({ v: [{ a: 1 }] }), FV + `"v": decoding failed due to the following error(s):\n\n'[0]' expected type 'int', got unconvertible type 'map[string]interface {}'`)
  t.equal(errorOf({ o: 'x' }), FV + `"o": invalid key pair "x"`)
  t.equal(errorOf({ m: [1] }), FV + `"m": '[0]' expected type 'map[string]interface {}', got unconvertible type 'json.Number'`)
  t.equal(errorOf({ m: 'x' }), FV + `"m": '' expected type 'map[string]interface {}', got unconvertible type 'string'`)
  t.equal(errorOf({ l: [{ a: 1 }] }), FV + `"l": 1 error(s) decoding:\n\n* '[0]' expected type 'string', got unconvertible type 'map[string]interface {}', value: 'map[a:1]'`)
  t.equal(errorOf({ d: true }), FV + '"d": could not parse duration from input')
})

t.test('existence-check validation has no prefix', async (t) => {
  t.equal(errorOf({ m: 'x' }, 'v2', false), `error converting input for field "m": '' expected type 'map[string]interface {}', got unconvertible type 'string'`)
})

t.test('Vault (mapstructure v1) texts', async (t) => {
  t.equal(errorOf({ n: 'x' }, 'v1'), FV + `"n": cannot parse '' as int: strconv.ParseInt: parsing "x": invalid syntax`)
  t.equal(errorOf({ n: [1] }, 'v1'), FV + `"n": '' expected type 'int', got unconvertible type '[]interface {}', value: '[1]'`)
})
