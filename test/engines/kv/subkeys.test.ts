/** KV v2 subkeys/ over real HTTP, and removeValues on its own. */
import t from 'tap'
import { startHarness } from '../../helpers/clocked-server.js'
import { removeValues } from '../../../src/engines/kv/paths/subkeys.js'
import { parseGoJson, type GoObject } from '../../../src/engines/go-value.js'

t.test('subkeys with depth and versions', async (t) => {
  const h = await startHarness(t)
  await h.call('POST', '/v1/secret/data/s', { body: { data: { a: { b: { c: 1 }, e: {} }, f: [1], g: null } } })
  const sub = async (q = ''): Promise<any> => (await h.call('GET', `/v1/secret/subkeys/s${q}`)).json.data
  const full = await sub()
  t.same(full.subkeys, { a: { b: { c: null }, e: null }, f: null, g: null }, 'empty objects and arrays are leaves')
  t.same(full.metadata.version, 1)
  t.same((await sub('?depth=1')).subkeys, { a: null, f: null, g: null })
  t.same((await sub('?depth=2')).subkeys, { a: { b: null, e: null }, f: null, g: null })
  t.same((await sub('?depth=-1')).subkeys, { a: null, f: null, g: null })

  await h.call('POST', '/v1/secret/data/s', { body: { data: { z: 1 } } })
  t.same((await sub('?version=1')).subkeys.f, null)
  t.same((await sub()).subkeys, { z: null })
  t.equal((await h.call('GET', '/v1/secret/subkeys/s?version=5')).status, 404)
  t.equal((await h.call('GET', '/v1/secret/subkeys/none')).status, 404)

  await h.call('POST', '/v1/secret/delete/s', { body: { versions: [2] } })
  const del = await h.call('GET', '/v1/secret/subkeys/s')
  t.equal(del.status, 404)
  t.equal(del.json.data.subkeys, null)
  t.equal(del.json.data.metadata.version, 2)
  t.notOk('errors' in del.json)

  const post = await h.call('POST', '/v1/secret/subkeys/s', { body: {} })
  t.equal(post.status, 405)
})

t.test('removeValues', async (t) => {
  const doc = parseGoJson('{"a":{"b":{"c":{"d":1}}},"x":"y"}') as GoObject
  removeValues(doc, 3)
  t.same(JSON.parse(JSON.stringify(doc)), { a: { b: { c: null } }, x: null })
})
