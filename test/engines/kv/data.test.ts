/**
 * KV v2 data/ over real HTTP: read, write with check-and-set, merge-patch,
 * delete of the latest version, and the response shapes clients depend on
 * (checked against OpenBao 2.6.2).
 */
import t from 'tap'
import { MERGE_PATCH, startHarness } from '../../helpers/clocked-server.js'

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/

t.test('write then read: shapes, float64 numbers, Go escaping', async (t) => {
  const h = await startHarness(t)
  const w = await h.call('POST', '/v1/secret/data/app/one', {
    rawBody: '{"data":{"x":1.0,"big":12345678901234567890,"e":1E5,"neg":-0.0,"s":"<&>\\u2028","n":null,"arr":[1,{"a":null}],"o":{"k.d/s":"é"}}}'
  })
  t.equal(w.status, 200)
  t.same(Object.keys(w.json.data), ['created_time', 'custom_metadata', 'deletion_time', 'destroyed', 'version'])
  t.match(w.json.data.created_time, RFC3339)
  t.equal(w.json.data.deletion_time, '', 'deletion_time is an empty string, not null')
  t.equal(w.json.data.custom_metadata, null)
  t.equal(w.json.data.version, 1)
  t.equal(w.json.data.destroyed, false)

  const r = await h.call('GET', '/v1/secret/data/app/one')
  t.equal(r.status, 200)
  t.equal(r.json.lease_duration, 0, 'v2 reads carry no lease duration')
  // Read back as float64: 1.0 -> 1, big integers lose digits, -0 keeps its sign, HTML escaped.
  t.match(r.text, '"data":{"data":{"arr":[1,{"a":null}],"big":12345678901234567000,"e":100000,"n":null,"neg":-0,"o":{"k.d/s":"é"},"s":"\\u003c\\u0026\\u003e\\u2028","x":1},"metadata":{')
  t.same(r.json.data.metadata, {
    created_time: w.json.data.created_time,
    custom_metadata: null,
    deletion_time: '',
    destroyed: false,
    version: 1
  })
})

t.test('data validation and edge values', async (t) => {
  const h = await startHarness(t)
  const none = await h.call('POST', '/v1/secret/data/k', { body: { nodata: 1 } })
  t.same([none.status, none.json], [400, { errors: ['no data provided'] }])

  // data: null is stored as JSON null and read back as 200 with data null.
  t.equal((await h.call('POST', '/v1/secret/data/n', { body: { data: null } })).status, 200)
  const n = await h.call('GET', '/v1/secret/data/n')
  t.equal(n.status, 200)
  t.equal(n.json.data.data, null)

  // A list of maps is merged (mapstructure weak decoding); [] is an empty map.
  await h.call('POST', '/v1/secret/data/l', { body: { data: [{ a: 1 }, { b: 2 }] } })
  t.same((await h.call('GET', '/v1/secret/data/l')).json.data.data, { a: 1, b: 2 })
  await h.call('POST', '/v1/secret/data/e', { body: { data: [] } })
  t.same((await h.call('GET', '/v1/secret/data/e')).json.data.data, {})

  const extra = await h.call('POST', '/v1/secret/data/x', { body: { data: { a: 1 }, extra: 1 } })
  t.same(extra.json.warnings, ['Endpoint ignored these unrecognized parameters: [extra]'])

  const slash = await h.call('POST', '/v1/secret/data/dir/', { body: { data: { a: 1 } } })
  t.same([slash.status, slash.json], [400, { errors: ["cannot write to a path ending in '/'"] }])

  const missing = await h.call('GET', '/v1/secret/data/nope')
  t.same([missing.status, missing.json], [404, { errors: [] }])
})

t.test('versions: ?version=, missing versions, keys with odd characters', async (t) => {
  const h = await startHarness(t)
  await h.call('POST', '/v1/secret/data/v', { body: { data: { n: 1 } } })
  await h.call('POST', '/v1/secret/data/v', { body: { data: { n: 2 } } })
  t.same((await h.call('GET', '/v1/secret/data/v?version=1')).json.data.data, { n: 1 })
  t.same((await h.call('GET', '/v1/secret/data/v?version=0')).json.data.data, { n: 2 })
  t.same((await h.call('GET', '/v1/secret/data/v?version=-3')).json.data.data, { n: 2 })
  t.equal((await h.call('GET', '/v1/secret/data/v?version=9')).status, 404)
  const bad = await h.call('GET', '/v1/secret/data/v?version=abc')
  t.equal(bad.status, 400)
  t.match(bad.json.errors[0], /^Field validation failed: error converting input for field "version"/)

  // %2F arrives as a slash (node-vault encodes names); unicode and dots are literal.
  await h.call('POST', '/v1/secret/data/p/k%2Fx', { body: { data: { a: 1 } } })
  t.same((await h.call('GET', '/v1/secret/data/p/k/x')).json.data.data, { a: 1 })
  await h.call('POST', '/v1/secret/data/p/d.o.t%20s%C3%A9', { body: { data: { a: 2 } } })
  t.same((await h.call('LIST', '/v1/secret/metadata/p')).json.data.keys, ['d.o.t sé', 'k/'])
})

t.test('check-and-set', async (t) => {
  const h = await startHarness(t)
  const cas = async (value: string): Promise<[number, unknown]> => {
    const r = await h.call('POST', '/v1/secret/data/c', { rawBody: `{"data":{"a":1},"options":{"cas":${value}}}` })
    return [r.status, r.status === 200 ? r.json.data.version : r.json.errors[0]]
  }
  t.same(await cas('1'), [400, 'check-and-set parameter did not match the current version'], 'cas 1 on a missing key')
  t.same(await cas('0'), [200, 1], 'cas 0 creates')
  t.same(await cas('0'), [400, 'check-and-set parameter did not match the current version'])
  t.same(await cas('"1"'), [200, 2], 'numeric string')
  t.same(await cas('true'), [400, 'check-and-set parameter did not match the current version'], 'true = 1')
  t.same(await cas('"0x2"'), [200, 3], 'strings parse with Go base prefixes')
  t.same(await cas('1.5'), [400, 'error parsing check-and-set parameter'])
  t.same(await cas('3.0'), [400, 'error parsing check-and-set parameter'], '3.0 is not an integer literal to Go')
  t.same(await cas('"x"'), [400, 'error parsing check-and-set parameter'])
  t.same(await cas('[3]'), [400, 'error parsing check-and-set parameter'])
  t.same(await cas('99999999999999999999'), [400, 'error parsing check-and-set parameter'])
  t.same(await cas('-1'), [400, 'check-and-set parameter did not match the current version'])
  t.same(await cas('""'), [400, 'check-and-set parameter did not match the current version'], '"" = 0')

  // A soft-deleted current version still counts for cas.
  await h.call('DELETE', '/v1/secret/data/c')
  t.same(await cas('3'), [200, 4])

  // cas_required on the mount or on the key.
  await h.call('POST', '/v1/secret/config', { body: { cas_required: true } })
  const req1 = await h.call('POST', '/v1/secret/data/d', { body: { data: { a: 1 } } })
  t.same([req1.status, req1.json], [400, { errors: ['check-and-set parameter required for this call'] }])
  await h.call('POST', '/v1/secret/config', { body: { cas_required: false } })
  await h.call('POST', '/v1/secret/metadata/d', { body: { cas_required: true } })
  const req2 = await h.call('POST', '/v1/secret/data/d', { body: { data: { a: 1 } } })
  t.equal(req2.status, 400)
  const ok = await h.call('POST', '/v1/secret/data/d', { body: { data: { a: 1 }, options: { cas: 0 } } })
  t.equal(ok.status, 200, 'a metadata-only key has current_version 0')
})

t.test('deleted and destroyed versions: 404 with the full envelope', async (t) => {
  const h = await startHarness(t)
  await h.call('POST', '/v1/secret/data/z', { body: { data: { a: 1 } } })
  t.equal((await h.call('DELETE', '/v1/secret/data/z')).status, 204)
  const r = await h.call('GET', '/v1/secret/data/z')
  t.equal(r.status, 404)
  t.equal(r.headers['content-type'], 'application/json')
  t.notOk('errors' in r.json, 'no errors key')
  t.notOk(r.text.endsWith('\n'), 'raw-status bodies have no trailing newline')
  t.same(Object.keys(r.json), ['request_id', 'lease_id', 'renewable', 'lease_duration', 'data',
    'wrap_info', 'warnings', 'auth', 'mount_type'])
  t.equal(r.json.data.data, null)
  t.match(r.json.data.metadata.deletion_time, RFC3339)
  t.equal(r.json.data.metadata.destroyed, false)
  t.equal(r.json.warnings, null)

  // Destroyed without being deleted first: deletion_time stays "".
  await h.call('POST', '/v1/secret/data/y', { body: { data: { a: 1 } } })
  await h.call('POST', '/v1/secret/destroy/y', { body: { versions: [1] } })
  const d = await h.call('GET', '/v1/secret/data/y?version=1')
  t.equal(d.status, 404)
  t.same(d.json.data.data, null)
  t.equal(d.json.data.metadata.deletion_time, '')
  t.equal(d.json.data.metadata.destroyed, true)

  // Deleting an already deleted latest version changes nothing.
  const before = (await h.call('GET', '/v1/secret/metadata/z')).json.data.versions['1'].deletion_time
  await h.call('DELETE', '/v1/secret/data/z')
  t.equal((await h.call('GET', '/v1/secret/metadata/z')).json.data.versions['1'].deletion_time, before)
  t.equal((await h.call('DELETE', '/v1/secret/data/never')).status, 204, 'deleting a missing key is 204')
})

t.test('patch: merge-patch semantics and its 404s', async (t) => {
  const h = await startHarness(t)
  const patch = async (path: string, body: unknown) =>
    await h.call('PATCH', `/v1/secret/data/${path}`, { body, headers: MERGE_PATCH })

  const missing = await patch('p', { data: { x: 1 } })
  t.same([missing.status, missing.text], [404, ''], 'missing key: 404 with an empty body')

  await h.call('POST', '/v1/secret/data/p', { body: { data: { x: 1, o: { a: 1, b: [1, null, { c: null }] }, s: 'str' } } })
  const p = await patch('p', { data: { x: null, o: { b: null, n: { q: null, r: 1 } }, s: { z: null, y: [null, { k: null }] }, new: [{ a: null }] } })
  t.equal(p.status, 200)
  t.equal(p.json.data.version, 2)
  // Nulls delete members; new values are pruned of nulls (inside arrays only object members).
  t.same((await h.call('GET', '/v1/secret/data/p')).json.data.data,
    { o: { a: 1, n: { r: 1 } }, s: { y: [null, {}] }, new: [{}] })

  t.same((await patch('p', { nodata: 1 })).json, { errors: ['no data provided'] })
  const cas = await patch('p', { data: { x: 1 }, options: { cas: 5 } })
  t.same([cas.status, cas.json], [400, { errors: ['check-and-set parameter did not match the current version'] }])

  // data: null replaces the whole document; patching null data is a 500.
  t.equal((await patch('p', { data: null })).status, 200)
  t.equal((await h.call('GET', '/v1/secret/data/p')).json.data.data, null)
  const onNull = await patch('p', { data: { x: 1 } })
  t.same([onNull.status, onNull.json], [500, { errors: ['1 error occurred:\n\t* resource does not exist\n\n'] }])

  // Deleted current version: 404 whose data is the flat version metadata.
  await h.call('POST', '/v1/secret/data/p', { body: { data: { x: 1 } } })
  await h.call('DELETE', '/v1/secret/data/p')
  const del = await patch('p', { data: { x: 2 } })
  t.equal(del.status, 404)
  t.same(Object.keys(del.json.data), ['created_time', 'custom_metadata', 'deletion_time', 'destroyed', 'version'])
  t.equal(del.json.data.version, 4)

  // Metadata-only key: cas 0 matches, then the version is missing: empty 404.
  await h.call('POST', '/v1/secret/metadata/m', { body: { max_versions: 2 } })
  const meta = await patch('m', { data: { x: 1 }, options: { cas: 0 } })
  t.same([meta.status, meta.text], [404, ''])

  const ct = await h.call('PATCH', '/v1/secret/data/p', { body: { data: {} }, headers: { 'content-type': 'application/json' } })
  t.equal(ct.status, 415)
})

t.test('ACL create vs update follows key metadata existence', async (t) => {
  const h = await startHarness(t)
  const policy = 'path "secret/data/*" { capabilities = ["create", "read"] }'
  const put = await h.call('PUT', '/v1/sys/policies/acl/kvcreate', { body: { policy } })
  if (put.status !== 204) {
    t.test('create vs update', { skip: 'policies are not available yet' }, () => {})
    return
  }
  const tok = await h.call('POST', '/v1/auth/token/create', { body: { policies: ['kvcreate'] } })
  if (tok.status !== 200) {
    t.test('create vs update', { skip: 'token creation is not available yet' }, () => {})
    return
  }
  const token = tok.json.auth.client_token as string
  t.equal((await h.call('POST', '/v1/secret/data/new', { token, body: { data: { a: 1 } } })).status, 200, 'create allowed')
  t.equal((await h.call('POST', '/v1/secret/data/new', { token, body: { data: { a: 2 } } })).status, 403, 'update denied')
})
