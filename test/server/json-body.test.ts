// Request-body parsing: Go's decoder texts per flavor, OpenBao's token walk,
// whitespace bodies and strict forms. Expected texts observed on OpenBao
// 2.6.2 (the Vault ones are encoding/json's Decode texts).
import t from 'tap'
import { parseBody } from '../../src/server/json-body.js'
import { goTokenWalkError } from '../../src/server/go-json-scan.js'
import { isVaultError } from '../../src/errors/index.js'

function errorOf (body: string, flavor: 'vault' | 'openbao', contentType = 'application/json'): string | undefined {
  try {
    parseBody(Buffer.from(body), contentType, flavor)
    return undefined
  } catch (err) {
    if (!isVaultError(err)) throw err
    return err.wireMessages()[0]
  }
}

t.test('OpenBao token-walk texts', async (t) => {
  const cases: Array<[string, string | undefined]> = [
    ['{bad}', "invalid character 'b'"],
    ['{,}', "invalid character ','"],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
    ['{"a":[1,]}', "invalid character ']' looking for beginning of value"],
    ['{"a":[1 2]}', "invalid character '2' after array element"],
    ['{"a":01}', "invalid character '1' after object key:value pair"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['}', "invalid character '}' looking for beginning of value"],
    ['{"a":1} x', "invalid character 'x' looking for beginning of value"],
    ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
    ['{"a":"\\x"}', "invalid character 'x' in string escape code"],
    ['{"a":', undefined],
    ['{"type":"kv"} {"x":', undefined],
    ['{"a":1}{}', undefined]
  ]
  for (const [body, expected] of cases) t.equal(goTokenWalkError(body), expected, body)
})

t.test('flavored prefixes and decode errors', async (t) => {
  t.equal(errorOf('{bad}', 'openbao'), "failed to decode JSON input: invalid character 'b'")
  t.equal(errorOf('{bad}', 'vault'), "failed to parse JSON input: invalid character 'b' looking for beginning of object key string")
  t.equal(errorOf('{"a":', 'openbao'), 'failed to decode JSON input: unexpected EOF')
  t.equal(errorOf('{"a":1} x', 'vault'), undefined, 'Vault decodes only the first value')
  t.equal(errorOf('{"a":1} x', 'openbao'), "failed to decode JSON input: invalid character 'x' looking for beginning of value")
  t.equal(errorOf('[1]', 'openbao'), 'failed to decode JSON input: json: cannot unmarshal array into Go value of type map[string]interface {}')
  t.equal(errorOf('"s"', 'vault'), 'failed to parse JSON input: json: cannot unmarshal string into Go value of type map[string]interface {}')
})

t.test('whitespace and null bodies carry no data', async (t) => {
  t.same(parseBody(Buffer.from('  \n'), 'application/json', 'openbao').data, null)
  t.same(parseBody(Buffer.from('null'), undefined, 'vault').data, null)
})

t.test('forms are parsed like Go url.ParseQuery', async (t) => {
  const form = 'application/x-www-form-urlencoded'
  t.same(parseBody(Buffer.from('type=kv&description=a+b&x=1&x=2'), form, 'vault').data,
    { type: 'kv', description: 'a b', x: '1,2' })
  t.equal(errorOf('type=%zz', 'vault', form), 'error parsing form data')
  t.equal(errorOf('a=1;b=2', 'openbao', form), 'error parsing form data')
  t.same(parseBody(Buffer.from(' {"type":"kv"}'), form, 'vault').data, { type: 'kv' }, 'JSON despite the form type')
})
