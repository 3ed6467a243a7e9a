/**
 * sys/policies/acl, sys/policy and sys/capabilities* over HTTP, with the
 * shapes and texts recorded from OpenBao 2.6.2 (openbao flavour) and
 * Vault's documented ones (vault flavour).
 */
import t from 'tap'
import { call, startTestServer } from '../helpers/server.js'

const TEXT = 'path "secret/data/app/*" {\n  capabilities = ["read"]\n}\n'

t.test('policy CRUD, openbao flavour', async (t) => {
  const server = await startTestServer(t, { flavor: 'openbao' })
  const put = await call(server, 'PUT', '/v1/sys/policies/acl/App', { body: { policy: TEXT } })
  t.equal(put.status, 200)
  t.same(put.json.warnings, ['policy name was converted to app'])

  const read = await call(server, 'GET', '/v1/sys/policies/acl/app')
  t.equal(read.status, 200)
  t.same(Object.keys(read.json.data).sort(), ['allow_slashes_in_identity_templates', 'allow_wildcards_in_identity_templates', 'cas_required', 'modified', 'name', 'policy', 'version'])
  t.equal(read.json.data.policy, TEXT)
  t.equal(read.json.data.version, 1)

  const legacy = await call(server, 'GET', '/v1/sys/policy/app')
  t.equal(legacy.json.rules, TEXT, 'legacy read injects data at the top level as `rules`')
  const list = await call(server, 'LIST', '/v1/sys/policies/acl')
  t.same(list.json.data.keys, ['app', 'default', 'root'])
  const legacyList = await call(server, 'GET', '/v1/sys/policy')
  t.same(legacyList.json.policies, ['app', 'default', 'root'])

  const root = await call(server, 'GET', '/v1/sys/policies/acl/root')
  t.equal(root.json.data.policy, '')
  const dflt = await call(server, 'GET', '/v1/sys/policies/acl/default')
  t.match(dflt.json.data.policy, /^\n# Allow tokens to look up their own properties\npath "auth\/token\/lookup-self"/)

  const b64 = await call(server, 'PUT', '/v1/sys/policies/acl/b64', { body: { policy: Buffer.from('path "a" { policy = "read" }').toString('base64') } })
  t.equal(b64.status, 204)
  t.equal((await call(server, 'GET', '/v1/sys/policies/acl/b64')).json.data.policy, 'path "a" { policy = "read" }')

  const cas = await call(server, 'PUT', '/v1/sys/policies/acl/app', { body: { policy: TEXT, cas: 7 } })
  t.same(cas.json, { errors: ['check-and-set parameter did not match the current version'] })

  t.same((await call(server, 'PUT', '/v1/sys/policy/x', { body: {} })).json, { errors: ["'policy' parameter not supplied or empty"] })
  t.same((await call(server, 'DELETE', '/v1/sys/policies/acl/root')).json, { errors: ['cannot delete "root" policy'] })
  t.same((await call(server, 'DELETE', '/v1/sys/policies/acl/default')).json, { errors: ['cannot delete default policy'] })
  t.same((await call(server, 'PUT', '/v1/sys/policies/acl/root', { body: { policy: TEXT } })).json, { errors: ['cannot update "root" policy'] })
  t.same((await call(server, 'PUT', '/v1/sys/policies/acl/bad', { body: { policy: 'path "a" { capabilities = ["foo"] }' } })).json,
    { errors: ['failed to parse policy: path "a": invalid capability "foo"'] })
  t.equal((await call(server, 'DELETE', '/v1/sys/policies/acl/nonexistent')).status, 204)
  t.equal((await call(server, 'DELETE', '/v1/sys/policies/acl/app')).status, 204)
  t.equal((await call(server, 'GET', '/v1/sys/policies/acl/app')).status, 404)
})

t.test('policy shapes, vault flavour, and the rules alias', async (t) => {
  const server = await startTestServer(t)
  const put = await call(server, 'PUT', '/v1/sys/policy/old', { body: { rules: TEXT } })
  t.equal(put.status, 200)
  t.same(put.json.warnings, ["'rules' is deprecated, please use 'policy' instead"])
  const read = await call(server, 'GET', '/v1/sys/policies/acl/old')
  t.same(read.json.data, { name: 'old', policy: TEXT })
  const dflt = await call(server, 'GET', '/v1/sys/policies/acl/default')
  t.match(dflt.json.data.policy, /path "sys\/control-group\/request"/)
})

t.test('a policy write takes effect at once for existing tokens', async (t) => {
  const server = await startTestServer(t)
  await call(server, 'PUT', '/v1/sys/policies/acl/p', { body: { policy: 'path "sys/mounts" { capabilities = ["deny"] }' } })
  const created = await call(server, 'POST', '/v1/auth/token/create', { body: { policies: ['p'] } })
  const tok = created.json.auth.client_token as string
  t.equal((await call(server, 'GET', '/v1/sys/mounts', { token: tok })).status, 403)
  await call(server, 'PUT', '/v1/sys/policies/acl/p', { body: { policy: 'path "sys/mounts" { capabilities = ["read"] }' } })
  t.equal((await call(server, 'GET', '/v1/sys/mounts', { token: tok })).status, 200, 'cached ACL invalidated')
  await call(server, 'DELETE', '/v1/sys/policies/acl/p')
  t.equal((await call(server, 'GET', '/v1/sys/mounts', { token: tok })).status, 403)
})

t.test('capabilities endpoints', async (t) => {
  const server = await startTestServer(t)
  await call(server, 'PUT', '/v1/sys/policies/acl/p', { body: { policy: 'path "secret/data/*" { capabilities = ["read", "list"] }' } })
  const created = await call(server, 'POST', '/v1/auth/token/create', { body: { policies: ['p'] } })
  const tok = created.json.auth.client_token as string
  const accessor = created.json.auth.accessor as string

  const byToken = await call(server, 'POST', '/v1/sys/capabilities', { body: { token: tok, paths: ['secret/data/a', 'sys/mounts'] } })
  t.same(byToken.json.data, { 'secret/data/a': ['list', 'read'], 'sys/mounts': ['deny'] })
  t.same(byToken.json['secret/data/a'], ['list', 'read'], 'data is injected at the top level')
  const byAccessor = await call(server, 'POST', '/v1/sys/capabilities-accessor', { body: { accessor, paths: 'secret/data/a' } })
  t.same(byAccessor.json.data, { capabilities: ['list', 'read'], 'secret/data/a': ['list', 'read'] })
  const self = await call(server, 'POST', '/v1/sys/capabilities-self', { token: tok, body: { paths: ['secret/data/a'] } })
  t.same(self.json.data.capabilities, ['list', 'read'])

  t.same((await call(server, 'POST', '/v1/sys/capabilities', { body: { token: 'nope', paths: ['a'] } })).json,
    { errors: ['1 error occurred:\n\t* invalid token\n\n'] })
  t.same((await call(server, 'POST', '/v1/sys/capabilities-accessor', { body: { accessor: 'nope', paths: ['a'] } })).json,
    { errors: ['1 error occurred:\n\t* invalid accessor\n\n'] })
  t.same((await call(server, 'POST', '/v1/sys/capabilities-self', { token: tok, body: {} })).json,
    { errors: ['paths must be supplied'] })
})
