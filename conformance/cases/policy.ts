/**
 * ACL policies: the sys/policies/acl and legacy sys/policy endpoints, the
 * capabilities endpoints, and how rules are enforced (globs, +, deny,
 * parameters, sudo).
 */
import type { Area, CaseDef, Ctx } from '../lib/harness.js'
import { dataOf, expectEnvelope, expectErrors, expectNoContent, expectStatus, expectTrue } from '../lib/expect.js'
import { createPolicy, createToken, mountEngine, tokenWithPolicy } from '../lib/fixtures.js'
import { S, type Shape } from '../lib/shape.js'

const cases: CaseDef[] = []
function c (endpoint: string, title: string, run: CaseDef['run'], opts: Partial<CaseDef> = {}): void {
  cases.push({ endpoint, title, run, ...opts })
}

const SYS = { mountType: 'system' }
const DENIED = ['1 error occurred:\n\t* permission denied\n\n']

function aclRead (ctx: Ctx, name: string, policy: string): Record<string, Shape> {
  if (ctx.t.flavor === 'vault') return { name, policy }
  return {
    allow_slashes_in_identity_templates: false,
    allow_wildcards_in_identity_templates: false,
    cas_required: false,
    modified: S.rfc3339,
    name,
    policy,
    version: S.int
  }
}

c('PUT sys/policies/acl/:name', 'write 204, read back the text, delete 204 (also when missing)', async (ctx) => {
  const name = ctx.name('pol')
  const text = 'path "secret/data/*" {\n  capabilities = ["read"]\n}\n'
  ctx.run.defer('delete policy', () => ctx.api.delete(`sys/policies/acl/${name}`))
  expectNoContent(await ctx.api.put(`sys/policies/acl/${name}`, { policy: text }))
  dataOf(ctx, await ctx.api.get(`sys/policies/acl/${name}`), aclRead(ctx, name, text), SYS)
  expectNoContent(await ctx.api.delete(`sys/policies/acl/${name}`))
  expectErrors(await ctx.api.get(`sys/policies/acl/${name}`), 404, [])
  expectNoContent(await ctx.api.delete(`sys/policies/acl/${name}`))
})

c('PUT sys/policies/acl/:name', 'a base64 policy is decoded; JSON policies are accepted', async (ctx) => {
  const text = 'path "a/*" { capabilities = ["list"] }'
  const name = await createPolicy(ctx, Buffer.from(text).toString('base64'))
  dataOf(ctx, await ctx.api.get(`sys/policies/acl/${name}`), aclRead(ctx, name, text), SYS)
  const json = JSON.stringify({ path: { 'b/*': { capabilities: ['read'] } } })
  const jname = await createPolicy(ctx, json)
  dataOf(ctx, await ctx.api.get(`sys/policies/acl/${jname}`), aclRead(ctx, jname, json), SYS)
})

c('PUT sys/policies/acl/:name', 'errors: empty policy, bad HCL, unknown capability, root', async (ctx) => {
  const name = ctx.name('pol')
  ctx.run.defer('delete policy', () => ctx.api.delete(`sys/policies/acl/${name}`))
  expectErrors(await ctx.api.put(`sys/policies/acl/${name}`, {}), 400, ["'policy' parameter not supplied or empty"])
  expectErrors(await ctx.api.put(`sys/policies/acl/${name}`, { policy: 'path "x" { capabilities = ["foo"] }' }), 400,
    ['failed to parse policy: path "x": invalid capability "foo"'])
  expectErrors(await ctx.api.put(`sys/policies/acl/${name}`, { policy: 'path "x" {' }), 400,
    S.tuple([/^failed to parse policy: /]))
  expectErrors(await ctx.api.put('sys/policies/acl/root', { policy: 'path "x" { capabilities = ["read"] }' }), 400, ['cannot update "root" policy'])
  expectErrors(await ctx.api.delete('sys/policies/acl/root'), 400, ['cannot delete "root" policy'])
  expectErrors(await ctx.api.delete('sys/policies/acl/default'), 400, ['cannot delete default policy'])
})

c('PUT sys/policies/acl/:name', 'an upper-case name is lower-cased: 200 with a warning', async (ctx) => {
  const name = ctx.name('pol')
  ctx.run.defer('delete policy', () => ctx.api.delete(`sys/policies/acl/${name}`))
  const res = await ctx.api.put(`sys/policies/acl/${name.toUpperCase()}`, { policy: 'path "x" { capabilities = ["read"] }' })
  expectEnvelope(ctx.t, res, null, { ...SYS, warnings: S.tuple([`policy name was converted to ${name}`]) })
  expectStatus(await ctx.api.get(`sys/policies/acl/${name}`), 200)
})

c('PATCH sys/policies/acl/:name', 'OpenBao PATCH replaces the text: 200 with data null; version counts up', async (ctx) => {
  const name = await createPolicy(ctx, 'path "a" { capabilities = ["read"] }')
  const text = 'path "b" { capabilities = ["read"] }'
  expectEnvelope(ctx.t, await ctx.api.patch(`sys/policies/acl/${name}`, { policy: text }), null, SYS)
  dataOf(ctx, await ctx.api.get(`sys/policies/acl/${name}`), { ...aclRead(ctx, name, text), version: 2 }, SYS)
}, { only: 'openbao' })

c('LIST sys/policies/acl', 'list: stored names sorted, root last', async (ctx) => {
  const name = await createPolicy(ctx, 'path "x" { capabilities = ["read"] }')
  const data = dataOf(ctx, await ctx.api.list('sys/policies/acl'), { keys: S.arr(S.str, 3) }, SYS)
  const keys = data.keys as string[]
  expectTrue(keys[keys.length - 1] === 'root', `root last: ${keys.join(',')}`)
  expectTrue(keys.includes('default') && keys.includes(name), 'default and ours listed')
  const rest = keys.slice(0, -1)
  expectTrue(rest.join() === [...rest].sort().join(), 'sorted')
})

c('GET sys/policy', 'legacy list: keys and policies, copied to the top level', async (ctx) => {
  await createPolicy(ctx, 'path "x" { capabilities = ["read"] }')
  const data = dataOf(ctx, await ctx.api.get('sys/policy'), { keys: S.arr(S.str, 2), policies: S.arr(S.str, 2) }, { ...SYS, injected: true })
  expectTrue(JSON.stringify(data.keys) === JSON.stringify(data.policies), 'same list twice')
})

c('GET sys/policy/:name', 'legacy read: rules instead of policy; legacy write with rules warns', async (ctx) => {
  const name = ctx.name('pol')
  const text = 'path "y" { capabilities = ["read"] }'
  ctx.run.defer('delete policy', () => ctx.api.delete(`sys/policy/${name}`))
  expectEnvelope(ctx.t, await ctx.api.put(`sys/policy/${name}`, { rules: text }), null, {
    ...SYS, warnings: S.tuple(["'rules' is deprecated, please use 'policy' instead"])
  })
  const shape = aclRead(ctx, name, text)
  delete shape.policy
  dataOf(ctx, await ctx.api.get(`sys/policy/${name}`), { ...shape, rules: text }, { ...SYS, injected: true })
  expectNoContent(await ctx.api.delete(`sys/policy/${name}`))
})

c('POST sys/capabilities-self', 'capabilities of the caller; one path adds "capabilities"', async (ctx) => {
  const m = await mountEngine(ctx, 'kv-v2')
  const token = await tokenWithPolicy(ctx, [
    `path "${m}/data/*" { capabilities = ["read", "create", "update"] }`,
    `path "${m}/metadata/x" { capabilities = ["deny"] }`,
    // What the default policy would grant: the token may ask about itself.
    'path "sys/capabilities-self" { capabilities = ["update"] }'
  ].join('\n'))
  dataOf(ctx, await ctx.api.post('sys/capabilities-self', { paths: [`${m}/data/a`, `${m}/metadata/x`, 'other/path'] }, { token }), {
    [`${m}/data/a`]: S.tuple(['create', 'read', 'update']),
    [`${m}/metadata/x`]: S.tuple(['deny']),
    'other/path': S.tuple(['deny'])
  }, { ...SYS, injected: true })
  dataOf(ctx, await ctx.api.post('sys/capabilities-self', { path: `${m}/data/a` }, { token }), {
    [`${m}/data/a`]: S.tuple(['create', 'read', 'update']),
    capabilities: S.tuple(['create', 'read', 'update'])
  }, { ...SYS, injected: true })
  dataOf(ctx, await ctx.api.post('sys/capabilities-self', { paths: ['any/path'] }), {
    'any/path': S.tuple(['root']), capabilities: S.tuple(['root'])
  }, { ...SYS, injected: true })
})

c('POST sys/capabilities', 'capabilities of another token; errors', async (ctx) => {
  const token = await tokenWithPolicy(ctx, 'path "a/+/c" { capabilities = ["list"] }')
  dataOf(ctx, await ctx.api.post('sys/capabilities', { token, paths: ['a/b/c'] }), {
    'a/b/c': S.tuple(['list']), capabilities: S.tuple(['list'])
  }, { ...SYS, injected: true })
  expectErrors(await ctx.api.post('sys/capabilities-self', {}), 400, ['paths must be supplied'])
  expectErrors(await ctx.api.post('sys/capabilities', { token: 'bogus', paths: ['a'] }), 400, ['1 error occurred:\n\t* invalid token\n\n'])
})

c('POST sys/capabilities-accessor', 'capabilities by accessor; unknown accessor: 400', async (ctx) => {
  const name = await createPolicy(ctx, 'path "x/*" { capabilities = ["read", "list"] }')
  const auth = await createToken(ctx, { policies: [name], no_default_policy: true })
  dataOf(ctx, await ctx.api.post('sys/capabilities-accessor', { accessor: auth.accessor, paths: ['x/y'] }), {
    'x/y': S.tuple(['list', 'read']), capabilities: S.tuple(['list', 'read'])
  }, { ...SYS, injected: true })
  expectErrors(await ctx.api.post('sys/capabilities-accessor', { accessor: 'nope', paths: ['x/y'] }), 400,
    ['1 error occurred:\n\t* invalid accessor\n\n'])
})

c('GET :kv2/data/:path', 'enforcement: glob prefix, + segment, deny wins, no union across rules', async (ctx) => {
  const m = await mountEngine(ctx, 'kv-v2')
  for (const k of ['app/one', 'app/secret', 'team/x/conf', 'team/x/other']) {
    expectStatus(await ctx.api.post(`${m}/data/${k}`, { data: { v: 1 } }), 200)
  }
  const token = await tokenWithPolicy(ctx, [
    `path "${m}/data/app/*" { capabilities = ["read"] }`,
    `path "${m}/data/app/secret" { capabilities = ["deny"] }`,
    `path "${m}/data/team/+/conf" { capabilities = ["read"] }`
  ].join('\n'))
  expectStatus(await ctx.api.get(`${m}/data/app/one`, { token }), 200)
  expectErrors(await ctx.api.get(`${m}/data/app/secret`, { token }), 403, DENIED)
  expectStatus(await ctx.api.get(`${m}/data/team/x/conf`, { token }), 200)
  expectErrors(await ctx.api.get(`${m}/data/team/x/other`, { token }), 403, DENIED)
  expectErrors(await ctx.api.post(`${m}/data/app/one`, { data: { v: 2 } }, { token }), 403, DENIED)
  expectErrors(await ctx.api.list(`${m}/metadata/app`, { token }), 403, DENIED)
})

c('POST :kv2/data/:path', 'enforcement: allowed_parameters and required_parameters', async (ctx) => {
  const m = await mountEngine(ctx, 'kv', { options: { version: '1' } })
  const token = await tokenWithPolicy(ctx, [
    `path "${m}/open/*" { capabilities = ["create", "update"] \n allowed_parameters = { "a" = ["x", "y*"] } }`,
    `path "${m}/req/*" { capabilities = ["create", "update"] \n required_parameters = ["must"] }`
  ].join('\n'))
  expectNoContent(await ctx.api.post(`${m}/open/k`, { a: 'yes' }, { token }))
  expectErrors(await ctx.api.post(`${m}/open/k`, { a: 'z' }, { token }), 403, DENIED)
  expectErrors(await ctx.api.post(`${m}/open/k`, { a: 'x', b: '1' }, { token }), 403, DENIED)
  expectErrors(await ctx.api.post(`${m}/req/k`, { other: '1' }, { token }), 403, DENIED)
  expectNoContent(await ctx.api.post(`${m}/req/k`, { must: '1' }, { token }))
})

c('GET sys/auth/:path', 'sudo-protected paths need sudo even with read', async (ctx) => {
  const without = await tokenWithPolicy(ctx, 'path "sys/auth/*" { capabilities = ["read"] }')
  const withSudo = await tokenWithPolicy(ctx, 'path "sys/auth/*" { capabilities = ["read", "sudo"] }')
  expectErrors(await ctx.api.get('sys/auth/token/tune', { token: without }), 403, DENIED)
  expectStatus(await ctx.api.get('sys/auth/token/tune', { token: withSudo }), 200)
})

export const policyArea: Area = { name: 'policy', cases }
