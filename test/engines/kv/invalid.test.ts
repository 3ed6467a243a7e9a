/** Paths under a KV v2 mount that match no pattern: Vault's 404 with a warning. */
import t from 'tap'
import { MERGE_PATCH, startHarness } from '../../helpers/clocked-server.js'

const invalid = (cli: string, op: string): string =>
  `Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the ${cli} kv ${op}' for this operation.`

t.test('vault flavour', async (t) => {
  const h = await startHarness(t)
  const cases: Array<[string, string, string, unknown?]> = [
    ['GET', '/v1/secret/foo', 'get'],
    ['POST', '/v1/secret/foo', 'put', { a: 1 }],
    ['DELETE', '/v1/secret/foo', 'delete'],
    ['LIST', '/v1/secret/', 'list'],
    // Vault's data/ pattern refuses a trailing slash.
    ['LIST', '/v1/secret/data/foo', 'list'],
    ['GET', '/v1/secret/data/', 'get']
  ]
  for (const [method, path, op, body] of cases) {
    const r = await h.call(method, path, { body })
    t.equal(r.status, 404, `${method} ${path}`)
    t.notOk('errors' in r.json)
    t.equal(r.json.data, null)
    t.same(r.json.warnings, [invalid("Vault CLI, use 'vault", op)])
    t.equal(r.json.mount_type, '', 'raw-status bodies carry an empty mount_type')
    t.notOk(r.text.endsWith('\n'))
  }
  const p = await h.call('PATCH', '/v1/secret/foo', { body: { a: 1 }, headers: MERGE_PATCH })
  t.same(p.json.warnings, [invalid("Vault CLI, use 'vault", 'patch')])
  for (const root of ['data', 'metadata', 'delete', 'undelete', 'destroy']) {
    const r = await h.call('GET', `/v1/secret/${root}`)
    t.equal(r.status, 404)
    t.same(r.json.warnings, ['Non-listing operations on the root of a K/V v2 mount are not supported.'], root)
  }
})

t.test('openbao flavour', async (t) => {
  const h = await startHarness(t, 'openbao')
  const r = await h.call('POST', '/v1/secret/foo', { body: { a: 1 } })
  t.same(r.json.warnings, [invalid("OpenBao CLI, use 'bao", 'put')])
  t.notOk('mount_type' in r.json)
  // OpenBao's data/ pattern takes a trailing slash literally: LIST is 405 there.
  const l = await h.call('LIST', '/v1/secret/data/foo')
  t.same([l.status, l.json], [405, { errors: ['1 error occurred:\n\t* unsupported operation\n\n'] }])
  t.same((await h.call('GET', '/v1/secret/data/')).json, { errors: [] })
})
