/**
 * KV v2 metadata/ (read, write, patch, delete, list), config, and
 * OpenBao's metadata check-and-set and detailed-metadata, over real HTTP.
 */
import t from 'tap'
import { MERGE_PATCH, startHarness } from '../../helpers/clocked-server.js'

const MULTI = (...msgs: string[]): string =>
  `${msgs.length === 1 ? '1 error occurred' : `${msgs.length} errors occurred`}:\n${msgs.map((m) => `\t* ${m}`).join('\n')}\n\n`

t.test('config read and write', async (t) => {
  const h = await startHarness(t)
  const read = async (): Promise<unknown> => (await h.call('GET', '/v1/secret/config')).json.data
  t.same(await read(), { cas_required: false, delete_version_after: '0s', max_versions: 0 })
  t.equal((await h.call('POST', '/v1/secret/config', { body: {} })).status, 204, 'no field is a no-op')
  await h.call('POST', '/v1/secret/config', { body: { max_versions: -1, cas_required: true, delete_version_after: '3h25m19s' } })
  t.same(await read(), { cas_required: true, delete_version_after: '3h25m19s', max_versions: 4294967295 }, 'max_versions is a uint32')
  // null counts as present for int and bool (Go's GetOk), not for durations.
  await h.call('POST', '/v1/secret/config', { body: { max_versions: null, cas_required: null, delete_version_after: null } })
  t.same(await read(), { cas_required: false, delete_version_after: '3h25m19s', max_versions: 0 })
  await h.call('POST', '/v1/secret/config', { body: { delete_version_after: 0 } })
  t.same(await read(), { cas_required: false, delete_version_after: '0s', max_versions: 0 })
  const del = await h.call('DELETE', '/v1/secret/config')
  t.equal(del.status, 405)
  const list = await h.call('LIST', '/v1/secret/config')
  t.equal(list.status, 404, 'LIST appends a slash, so the config pattern no longer matches')
  t.same(list.json.warnings, ["Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv list' for this operation."])
})

t.test('metadata write, read, delete', async (t) => {
  const h = await startHarness(t)
  t.equal((await h.call('POST', '/v1/secret/metadata/m', { body: { nothing: 1 } })).status, 204)
  t.equal((await h.call('GET', '/v1/secret/metadata/m')).status, 404, 'no field: metadata not created')

  await h.call('POST', '/v1/secret/metadata/m', {
    body: { max_versions: 5, delete_version_after: '90m', custom_metadata: { owner: 'jdoe', n: 1.50, t: true, f: false } }
  })
  const m = (await h.call('GET', '/v1/secret/metadata/m')).json.data
  t.same(Object.keys(m), ['cas_required', 'created_time', 'current_version', 'custom_metadata',
    'delete_version_after', 'max_versions', 'oldest_version', 'updated_time', 'versions'])
  t.same(m.custom_metadata, { f: '0', n: '1.5', owner: 'jdoe', t: '1' }, 'weakly converted to strings')
  t.equal(m.delete_version_after, '1h30m0s')
  t.equal(m.current_version, 0)
  t.same(m.versions, {})
  t.equal((await h.call('GET', '/v1/secret/data/m')).status, 404)
  t.same((await h.call('LIST', '/v1/secret/metadata/')).json.data.keys, ['m'], 'metadata-only keys are listed')

  // The whole map is replaced; custom_metadata null clears it; max_versions -2 wraps.
  await h.call('POST', '/v1/secret/metadata/m', { body: { custom_metadata: { a: 'b' } } })
  t.same((await h.call('GET', '/v1/secret/metadata/m')).json.data.custom_metadata, { a: 'b' })
  await h.call('POST', '/v1/secret/metadata/m', { body: { custom_metadata: null, max_versions: -2 } })
  const cleared = (await h.call('GET', '/v1/secret/metadata/m')).json.data
  t.equal(cleared.custom_metadata, null)
  t.equal(cleared.max_versions, 4294967294)

  await h.call('POST', '/v1/secret/data/m', { body: { data: { a: 1 } } })
  t.same((await h.call('GET', '/v1/secret/data/m')).json.data.metadata.custom_metadata, null)
  t.equal((await h.call('DELETE', '/v1/secret/metadata/m')).status, 204)
  t.equal((await h.call('GET', '/v1/secret/metadata/m')).status, 404)
  t.equal((await h.call('GET', '/v1/secret/data/m?version=1')).status, 404, 'all versions are gone')
  t.equal((await h.call('DELETE', '/v1/secret/metadata/m')).status, 204, 'deleting again is fine')
})

t.test('custom_metadata validation texts', async (t) => {
  const h = await startHarness(t)
  const err = async (custom: unknown): Promise<string> =>
    (await h.call('POST', '/v1/secret/metadata/v', { body: { custom_metadata: custom } })).json.errors[0]
  const P = 'custom_metadata validation failed'
  t.equal(await err({ a: '' }), MULTI(`${P}: length of value for key "a" is 0 but must be 0 < len(value) <= 512`))
  t.equal(await err({ a: null }), MULTI(`${P}: length of value for key "a" is 0 but must be 0 < len(value) <= 512`))
  t.equal(await err({ '': 'x' }), MULTI(`${P}: length of key "" is 0 but must be 0 < len(key) <= 128`))
  t.equal(await err({ k: 'v'.repeat(513) }), MULTI(`${P}: length of value for key "k" is 513 but must be 0 < len(value) <= 512`))
  t.equal(await err({ 'a\u0001': 'x\ty' }), MULTI(
    `${P}: key "a\\x01" (a\u0001) contains unprintable characters`,
    `${P}: value for key "a\\x01" contains unprintable characters`))
  t.equal(await err(Object.fromEntries(Array.from({ length: 65 }, (_, i) => [String(i), 'v']))),
    MULTI(`${P}: payload must contain at most 64 keys, provided 65`))
  t.equal(await err({ a: { x: 1 } }), `${P}: '' expected type 'string', got unconvertible type 'map[string]interface {}'`)
  t.equal(await err({ a: [1] }), `${P}: '' expected type 'string', got unconvertible type '[]interface {}'`)
})

t.test('metadata patch, quirks included', async (t) => {
  const h = await startHarness(t)
  const patch = async (body: unknown, path = 'c') =>
    await h.call('PATCH', `/v1/secret/metadata/${path}`, { body, headers: MERGE_PATCH })
  const read = async (): Promise<any> => (await h.call('GET', '/v1/secret/metadata/c')).json.data

  const missing = await patch({ max_versions: 1 }, 'none')
  t.same([missing.status, missing.text], [404, ''])
  t.equal((await patch({ nothing: 1 })).status, 204, 'no patchable field: no-op')

  await h.call('POST', '/v1/secret/metadata/c', { body: { custom_metadata: { a: '1', b: '2' }, delete_version_after: '1h' } })
  t.equal((await patch({ custom_metadata: { a: null, c: '3' } })).status, 204)
  t.same((await read()).custom_metadata, { b: '2', c: '3' }, 'merged key by key, null removes')
  // 0s marshals as an empty duration that merges into the stored one: no change.
  await patch({ delete_version_after: '0s' })
  t.equal((await read()).delete_version_after, '1h0m0s')
  await patch({ delete_version_after: '2h' })
  t.equal((await read()).delete_version_after, '2h0m0s')
  const num = await patch({ custom_metadata: { n: 5 } })
  t.same([num.status, num.json], [500, { errors: [MULTI('json: cannot unmarshal number into Go struct field KeyMetadata.custom_metadata of type string')] }])
  const neg = await patch({ max_versions: -1 })
  t.same([neg.status, neg.json], [500, { errors: [MULTI('json: cannot unmarshal number -1 into Go struct field KeyMetadata.max_versions of type uint32')] }])
  await patch({ max_versions: 7, cas_required: true })
  const after = await read()
  t.equal(after.max_versions, 7)
  t.equal(after.cas_required, true)
  await patch({ custom_metadata: null })
  t.equal((await read()).custom_metadata, null)
})

t.test('cas_required warnings when the mount mandates it', async (t) => {
  const h = await startHarness(t)
  await h.call('POST', '/v1/secret/config', { body: { cas_required: true } })
  const w = await h.call('POST', '/v1/secret/metadata/w', { body: { cas_required: false } })
  t.equal(w.status, 200)
  t.equal(w.json.data, null)
  t.same(w.json.warnings, ['"cas_required" set to false, but is mandated by backend config. This value will be ignored.'])
  const p = await h.call('PATCH', '/v1/secret/metadata/w', { body: { cas_required: false }, headers: MERGE_PATCH })
  t.same([p.status, p.json.warnings], [200, w.json.warnings])
})

t.test('list: folders, leaves, empty, extra parameters', async (t) => {
  const h = await startHarness(t)
  for (const k of ['a', 'b', 'c/d', 'c/e', 'e', 'f/g', 'foo', 'foo/bar']) {
    await h.call('POST', `/v1/secret/data/${k}`, { body: { data: { x: 1 } } })
  }
  await h.call('DELETE', '/v1/secret/data/e')
  t.same((await h.call('LIST', '/v1/secret/metadata')).json.data.keys, ['a', 'b', 'c/', 'e', 'f/', 'foo', 'foo/'])
  t.same((await h.call('GET', '/v1/secret/metadata/c?list=true')).json.data.keys, ['d', 'e'])
  const leaf = await h.call('LIST', '/v1/secret/metadata/a')
  t.same([leaf.status, leaf.json], [404, { errors: [] }], 'a leaf is not a folder')
  t.equal((await h.call('LIST', '/v1/secret/metadata/zz')).status, 404)
  // An unknown parameter turns an empty list into 200 with data {} and a warning.
  const extra = await h.call('GET', '/v1/secret/metadata/zz?list=true&zz=1')
  t.equal(extra.status, 200)
  t.same(extra.json.data, {})
  t.same(extra.json.warnings, ['Endpoint ignored these unrecognized parameters: [zz]'])
  // Vault's exclude_deleted drops keys whose current version is deleted.
  t.same((await h.call('LIST', '/v1/secret/metadata?exclude_deleted=true')).json.data.keys,
    ['a', 'b', 'c/', 'f/', 'foo', 'foo/'])
})

t.test('openbao flavour: metadata check-and-set, paging, detailed-metadata', async (t) => {
  const h = await startHarness(t, 'openbao')
  t.same((await h.call('GET', '/v1/secret/config')).json.data,
    { cas_required: false, delete_version_after: '0s', max_versions: 0, metadata_cas_required: false })
  const err = async (path: string, body: unknown): Promise<unknown> =>
    (await h.call('POST', `/v1/secret/metadata/${path}`, { body })).json
  t.same(await err('k2', { max_versions: 1, metadata_cas: 1 }), { errors: ['metadata_cas must be 0 when creating new metadata'] })
  await err('k', { max_versions: 1, metadata_cas: 0 })
  t.same(await err('k', { max_versions: 1, metadata_cas: 0 }), { errors: ['metadata check-and-set parameter does not match the current version'] })
  await err('k', { max_versions: 1, metadata_cas: 1 })
  const m = (await h.call('GET', '/v1/secret/metadata/k')).json.data
  t.equal(m.current_metadata_version, 2)
  t.equal(m.metadata_cas_required, false)
  await h.call('POST', '/v1/secret/config', { body: { metadata_cas_required: true } })
  t.same(await err('k', { max_versions: 3 }), { errors: ['metadata check-and-set parameter required for this call'] })
  const p = await h.call('PATCH', '/v1/secret/metadata/k', { body: { max_versions: 3, metadata_cas: 2 }, headers: MERGE_PATCH })
  t.equal(p.status, 204)
  const w = await h.call('POST', '/v1/secret/metadata/k', { body: { metadata_cas_required: false, metadata_cas: 3 } })
  t.same(w.json.warnings, ['"metadata_cas_required" set to false, but is mandated by backend config. This value will be ignored.'])
  await h.call('POST', '/v1/secret/config', { body: { metadata_cas_required: false } })

  for (const k of ['a', 'b', 'c/d', 'e']) await h.call('POST', `/v1/secret/data/${k}`, { body: { data: { x: 1 } } })
  t.same((await h.call('LIST', '/v1/secret/metadata?after=b&limit=2')).json.data.keys, ['c/', 'e'])
  const d = await h.call('LIST', '/v1/secret/detailed-metadata/')
  t.same(d.json.data.keys, ['a', 'b', 'c/', 'e', 'k'])
  t.same(d.json.data.key_info['c/'], {}, 'folders get an empty entry')
  t.equal(d.json.data.key_info.a.current_version, 1)
  const inv = await h.call('GET', '/v1/secret/foo')
  t.same(inv.json.warnings, ["Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the OpenBao CLI, use 'bao kv get' for this operation."])
})
