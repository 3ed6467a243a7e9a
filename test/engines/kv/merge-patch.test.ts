/** RFC 7396 merge patch as evanphx/json-patch v5 applies it (unit). */
import t from 'tap'
import { mergePatch } from '../../../src/engines/kv/merge-patch.js'
import { marshalGo, parseGoJson, type GoObject } from '../../../src/engines/go-value.js'

const apply = (doc: string, patch: string): string =>
  marshalGo(mergePatch(parseGoJson(doc) as GoObject, parseGoJson(patch)))

t.test('RFC 7396 appendix A cases', async (t) => {
  const cases: Array<[string, string, string]> = [
    ['{"a":"b"}', '{"a":"c"}', '{"a":"c"}'],
    ['{"a":"b"}', '{"b":"c"}', '{"a":"b","b":"c"}'],
    ['{"a":"b"}', '{"a":null}', '{}'],
    ['{"a":"b","b":"c"}', '{"a":null}', '{"b":"c"}'],
    ['{"a":["b"]}', '{"a":"c"}', '{"a":"c"}'],
    ['{"a":"c"}', '{"a":["b"]}', '{"a":["b"]}'],
    ['{"a":{"b":"c"}}', '{"a":{"b":"d","c":null}}', '{"a":{"b":"d"}}'],
    ['{"a":[{"b":"c"}]}', '{"a":[1]}', '{"a":[1]}'],
    ['{"e":null}', '{"a":1}', '{"a":1,"e":null}'],
    ['{}', '{"a":{"bb":{"ccc":null}}}', '{"a":{"bb":{}}}']
  ]
  for (const [doc, patch, want] of cases) t.equal(apply(doc, patch), want, `${doc} + ${patch}`)
})

t.test('library specifics', async (t) => {
  t.equal(apply('{"a":1}', 'null'), 'null', 'a null patch replaces the document')
  t.equal(apply('{"a":{"x":1}}', '{"a":[null,{"k":null}]}'), '{"a":[null,{"k":null}]}', 'an array over an object is not pruned')
  t.equal(apply('{"a":"s"}', '{"a":[null,{"k":null}]}'), '{"a":[null,{}]}', 'an array over a scalar is pruned inside objects')
  t.equal(apply('{"a":null}', '{"a":{"b":null,"c":1}}'), '{"a":{"c":1}}', 'a null target is replaced with a pruned value')
})
