/**
 * The token store (auth/token/...): create and its policy rules, lookups,
 * renew, revoke, accessors and roles.
 */
import type { Area, CaseDef, Ctx } from '../lib/harness.js'
import { dataOf, expectEnvelope, expectErrors, expectNoContent, expectStatus, expectTrue } from '../lib/expect.js'
import { createPolicy, createToken } from '../lib/fixtures.js'
import { batchTokenPattern, serviceTokenPattern } from '../lib/flavor.js'
import { S, type Shape } from '../lib/shape.js'

const cases: CaseDef[] = []
function c (endpoint: string, title: string, run: CaseDef['run'], opts: Partial<CaseDef> = {}): void {
  cases.push({ endpoint, title, run, ...opts })
}

const TOK = { mountType: 'token' }
const ACCESSOR = /^[0-9A-Za-z]{24}$/
const TTL_768H = 2764800

// The exact token format has its own case below; elsewhere any token will do.
const TOKEN = /^[A-Za-z0-9._-]{20,}$/

function authShape (_ctx: Ctx, fields: Record<string, Shape>): Record<string, Shape> {
  return {
    client_token: TOKEN,
    accessor: ACCESSOR,
    policies: S.arr(S.str),
    token_policies: S.arr(S.str),
    metadata: null,
    lease_duration: TTL_768H,
    renewable: true,
    entity_id: '',
    token_type: 'service',
    orphan: false,
    mfa_requirement: null,
    num_uses: 0,
    ...fields
  }
}

function lookupShape (fields: Record<string, Shape>): Record<string, Shape> {
  return {
    accessor: ACCESSOR,
    creation_time: S.int,
    creation_ttl: TTL_768H,
    display_name: S.str,
    entity_id: '',
    expire_time: S.rfc3339,
    explicit_max_ttl: 0,
    id: S.str,
    issue_time: S.rfc3339,
    meta: null,
    num_uses: 0,
    orphan: false,
    path: 'auth/token/create',
    policies: S.arr(S.str),
    renewable: true,
    ttl: S.int,
    type: 'service',
    ...fields
  }
}

c('POST auth/token/create', 'create: data null, the auth block; policies sorted with default', async (ctx) => {
  const pol = await createPolicy(ctx, 'path "secret/*" { capabilities = ["read"] }')
  const res = await ctx.api.post('auth/token/create', { policies: [pol], meta: { app: 'x' }, ttl: '1h', display_name: 'My App!' })
  const body = expectEnvelope(ctx.t, res, null, {
    ...TOK,
    auth: authShape(ctx, {
      policies: S.tuple(['default', pol]),
      token_policies: S.tuple(['default', pol]),
      metadata: { app: 'x' },
      lease_duration: 3600
    })
  })
  const token = String((body.auth as Record<string, unknown>).client_token)
  ctx.run.defer('revoke', () => ctx.api.post('auth/token/revoke', { token }))
  dataOf(ctx, await ctx.api.get('auth/token/lookup-self', { token }), lookupShape({
    creation_ttl: 3600, display_name: 'token-My-App', id: token, meta: { app: 'x' }, policies: S.tuple(['default', pol])
  }), TOK)
})

c('POST auth/token/create', 'a missing policy warns; no policies copies the parent\'s (root: non-expiring)', async (ctx) => {
  const missing = ctx.name('nopol')
  const res = await ctx.api.post('auth/token/create', { policies: [missing] })
  const body = expectEnvelope(ctx.t, res, null, {
    ...TOK,
    warnings: S.tuple([`Policy "${missing}" does not exist`]),
    auth: authShape(ctx, { policies: S.tuple(['default', missing]), token_policies: S.tuple(['default', missing]) })
  })
  const token = String((body.auth as Record<string, unknown>).client_token)
  ctx.run.defer('revoke', () => ctx.api.post('auth/token/revoke', { token }))
  const rootChild = await createToken(ctx, {})
  expectTrue(JSON.stringify(rootChild.policies) === '["root"]', `copied root policy: ${JSON.stringify(rootChild.policies)}`)
  expectTrue(rootChild.lease_duration === 0 && rootChild.renewable === false, 'non-expiring, not renewable')
})

c('POST auth/token/create', 'create errors: 400 texts', async (ctx) => {
  const limited = await createToken(ctx, { policies: ['default'], num_uses: 5 })
  expectErrors(await ctx.api.post('auth/token/create', {}, { token: String(limited.client_token) }), 403,
    ['1 error occurred:\n\t* permission denied\n\n'])
  expectErrors(await ctx.api.post('auth/token/create', { num_uses: -1 }), 400, ['number of uses cannot be negative'])
  expectErrors(await ctx.api.post('auth/token/create', { ttl: 'bogus' }), 400,
    S.tuple([/bogus/]))
  expectErrors(await ctx.api.post('auth/token/create', { policies: ['response-wrapping'] }), 400,
    ['cannot assign policy "response-wrapping"'])
  expectErrors(await ctx.api.post('auth/token/create', { id: 'has.dot' }), 400, ["custom token ID cannot have a '.' in the value"])
})

c('POST auth/token/create', 'a non-root parent can only create subsets of its policies', async (ctx) => {
  const a = await createPolicy(ctx, 'path "auth/token/create" { capabilities = ["update"] }')
  const b = await createPolicy(ctx, 'path "secret/*" { capabilities = ["read"] }')
  const parent = await createToken(ctx, { policies: [a] })
  const token = String(parent.client_token)
  expectErrors(await ctx.api.post('auth/token/create', { policies: [b] }, { token }), 400, ['child policies must be subset of parent'])
  const child = await ctx.api.post('auth/token/create', { policies: [a] }, { token })
  const body = expectEnvelope(ctx.t, child, null, {
    ...TOK, auth: authShape(ctx, { policies: S.tuple(['default', a]), token_policies: S.tuple(['default', a]) })
  })
  const childToken = String((body.auth as Record<string, unknown>).client_token)
  ctx.run.defer('revoke', () => ctx.api.post('auth/token/revoke', { token: childToken }))
  // The subset check comes first, so a non-root parent asking for root hears about subsets.
  expectErrors(await ctx.api.post('auth/token/create', { policies: ['root'] }, { token }), 400,
    ['child policies must be subset of parent'])
})

c('POST auth/token/create', 'batch tokens: b./hvb. prefix, not renewable, cannot be revoked', async (ctx) => {
  const res = await ctx.api.post('auth/token/create', { type: 'batch', policies: ['default'], ttl: '10m' })
  const body = expectEnvelope(ctx.t, res, null, {
    ...TOK,
    auth: authShape(ctx, {
      client_token: batchTokenPattern(ctx.t),
      accessor: '',
      policies: S.tuple(['default']),
      token_policies: S.tuple(['default']),
      lease_duration: 600,
      renewable: false,
      token_type: 'batch'
    })
  })
  const token = String((body.auth as Record<string, unknown>).client_token)
  dataOf(ctx, await ctx.api.get('auth/token/lookup-self', { token }), S.loose({ type: 'batch', accessor: '', renewable: false }), TOK)
  expectErrors(await ctx.api.post('auth/token/revoke', { token }), 400, ['batch tokens cannot be revoked'])
  expectErrors(await ctx.api.post('auth/token/create', { type: 'batch', num_uses: 3 }), 400, ['batch tokens cannot have "num_uses" set'])
})

c('POST auth/token/create', 'service token format: s. + 24 base62 (OpenBao), hvs. + signed blob (Vault)', async (ctx) => {
  const auth = await createToken(ctx, { policies: ['default'] })
  expectTrue(serviceTokenPattern(ctx.t).test(String(auth.client_token)), `token format: ${String(auth.client_token).slice(0, 6)}... (${String(auth.client_token).length} chars)`)
})

c('GET auth/token/lookup-self', 'the dev root token: root policy, non-expiring', async (ctx) => {
  const data = dataOf(ctx, await ctx.api.get('auth/token/lookup-self'), S.loose({
    policies: S.tuple(['root']), ttl: 0, expire_time: null, explicit_max_ttl: 0, type: 'service'
  }), TOK)
  expectTrue(data.id === ctx.api.token, 'id is the token')
})

c('POST auth/token/lookup', 'lookup by token and by accessor; unknown token: 403 bad token', async (ctx) => {
  const auth = await createToken(ctx, { policies: ['default'] })
  const token = String(auth.client_token)
  dataOf(ctx, await ctx.api.post('auth/token/lookup', { token }), lookupShape({ id: token, policies: S.tuple(['default']), display_name: S.str }), TOK)
  dataOf(ctx, await ctx.api.post('auth/token/lookup-accessor', { accessor: auth.accessor }),
    lookupShape({ id: '', policies: S.tuple(['default']), display_name: S.str }), TOK)
  expectErrors(await ctx.api.post('auth/token/lookup', { token: 'bogus-token' }), 403, ['bad token'])
  expectErrors(await ctx.api.post('auth/token/lookup-accessor', { accessor: 'nope' }), 400, ['1 error occurred:\n\t* invalid accessor\n\n'])
  expectErrors(await ctx.api.post('auth/token/lookup-accessor', {}), 400, ['1 error occurred:\n\t* missing accessor\n\n'])
})

c('POST auth/token/lookup-self', 'a default-policy token can GET lookup-self but not POST it', async (ctx) => {
  const auth = await createToken(ctx, { policies: ['default'] })
  const token = String(auth.client_token)
  expectStatus(await ctx.api.get('auth/token/lookup-self', { token }), 200)
  expectErrors(await ctx.api.post('auth/token/lookup-self', {}, { token }), 403, ['1 error occurred:\n\t* permission denied\n\n'])
})

c('GET auth/token/lookup-self', 'num_uses: each request uses one; the last use reports -1, then the token is gone', async (ctx) => {
  const auth = await createToken(ctx, { policies: ['default'], num_uses: 3 })
  const token = String(auth.client_token)
  for (const expected of [2, 1, -1]) {
    dataOf(ctx, await ctx.api.get('auth/token/lookup-self', { token }), S.loose({ num_uses: expected }), TOK)
  }
  expectErrors(await ctx.api.get('auth/token/lookup-self', { token }), 403,
    [ctx.t.flavor === 'openbao' ? 'permission denied' : '2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n'])
})

c('POST auth/token/renew-self', 'renew: the last granted TTL again, or the increment', async (ctx) => {
  const auth = await createToken(ctx, { policies: ['default'], ttl: '1h' })
  const token = String(auth.client_token)
  expectEnvelope(ctx.t, await ctx.api.post('auth/token/renew-self', {}, { token }), null, {
    ...TOK, auth: authShape(ctx, { client_token: token, policies: S.tuple(['default']), token_policies: S.tuple(['default']), lease_duration: 3600 })
  })
  expectEnvelope(ctx.t, await ctx.api.post('auth/token/renew', { token, increment: '30m' }), null, {
    ...TOK, auth: authShape(ctx, { client_token: token, policies: S.tuple(['default']), token_policies: S.tuple(['default']), lease_duration: 1800 })
  })
  const data = dataOf(ctx, await ctx.api.get('auth/token/lookup-self', { token }), lookupShape({
    creation_ttl: 3600, id: token, policies: S.tuple(['default']), display_name: S.str,
    last_renewal: S.rfc3339, last_renewal_time: S.int
  }), TOK)
  expectTrue(Number(data.ttl) <= 1800 && Number(data.ttl) > 1700, `ttl after renew: ${String(data.ttl)}`)
})

c('POST auth/token/renew', 'renew errors: non-renewable, missing token', async (ctx) => {
  const auth = await createToken(ctx, { policies: ['default'], renewable: false })
  expectErrors(await ctx.api.post('auth/token/renew', { token: auth.client_token }), 400, ['lease is not renewable'])
  expectErrors(await ctx.api.post('auth/token/renew', {}), 400, ['missing token ID'])
})

c('POST auth/token/revoke', 'revoke: 204; the token and its children stop working', async (ctx) => {
  const pol = await createPolicy(ctx, 'path "auth/token/create" { capabilities = ["update"] }')
  const parent = await createToken(ctx, { policies: [pol] })
  const child = await ctx.api.post('auth/token/create', { policies: [pol] }, { token: String(parent.client_token) })
  const childToken = String((child.json as { auth: { client_token: string } }).auth.client_token)
  expectNoContent(await ctx.api.post('auth/token/revoke', { token: parent.client_token }))
  expectErrors(await ctx.api.get('auth/token/lookup-self', { token: childToken }), 403,
    [ctx.t.flavor === 'openbao' ? 'permission denied' : '2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n'])
  expectNoContent(await ctx.api.post('auth/token/revoke', { token: 'not-a-token' }))
  expectErrors(await ctx.api.post('auth/token/revoke', {}), 400, ['missing token ID'])
})

c('POST auth/token/revoke-accessor', 'revoke by accessor; unknown accessor: 200 with a warning', async (ctx) => {
  const auth = await createToken(ctx, { policies: ['default'] })
  expectNoContent(await ctx.api.post('auth/token/revoke-accessor', { accessor: auth.accessor }))
  expectStatus(await ctx.api.get('auth/token/lookup-self', { token: String(auth.client_token) }), 403)
  expectEnvelope(ctx.t, await ctx.api.post('auth/token/revoke-accessor', { accessor: 'nope' }), null, {
    ...TOK, warnings: S.tuple(['No token found with this accessor'])
  })
})

c('POST auth/token/revoke-orphan', 'revoke-orphan keeps the children alive as orphans', async (ctx) => {
  const pol = await createPolicy(ctx, 'path "auth/token/create" { capabilities = ["update"] }')
  const parent = await createToken(ctx, { policies: [pol] })
  const child = await ctx.api.post('auth/token/create', { policies: [pol] }, { token: String(parent.client_token) })
  const childToken = String((child.json as { auth: { client_token: string } }).auth.client_token)
  ctx.run.defer('revoke', () => ctx.api.post('auth/token/revoke', { token: childToken }))
  expectNoContent(await ctx.api.post('auth/token/revoke-orphan', { token: parent.client_token }))
  dataOf(ctx, await ctx.api.get('auth/token/lookup-self', { token: childToken }), S.loose({ orphan: true }), TOK)
  expectErrors(await ctx.api.post('auth/token/revoke-orphan', { token: 'nope' }), 400, ['token to revoke not found'])
})

c('POST auth/token/create-orphan', 'create-orphan: an orphan without sudo; no_parent needs sudo', async (ctx) => {
  const pol = await createPolicy(ctx, 'path "auth/token/create*" { capabilities = ["update"] }')
  const parent = await createToken(ctx, { policies: [pol] })
  const token = String(parent.client_token)
  const res = await ctx.api.post('auth/token/create-orphan', { policies: [pol] }, { token })
  const body = expectEnvelope(ctx.t, res, null, {
    ...TOK, auth: authShape(ctx, { policies: S.tuple(['default', pol]), token_policies: S.tuple(['default', pol]), orphan: true })
  })
  const orphan = String((body.auth as Record<string, unknown>).client_token)
  ctx.run.defer('revoke', () => ctx.api.post('auth/token/revoke', { token: orphan }))
  dataOf(ctx, await ctx.api.get('auth/token/lookup-self', { token: orphan }), S.loose({ orphan: true, path: 'auth/token/create-orphan' }), TOK)
  expectErrors(await ctx.api.post('auth/token/create', { policies: [pol], no_parent: true }, { token }), 400,
    ['root or sudo privileges required to create orphan token'])
})

c('GET auth/token/lookup', 'lookup without a token looks up the caller (GET and POST alike)', async (ctx) => {
  const data = dataOf(ctx, await ctx.api.get('auth/token/lookup'), S.loose({ policies: S.tuple(['root']) }), TOK)
  expectTrue(data.id === ctx.api.token, 'the caller')
  // The reference expected 400 "missing token ID" here; OpenBao 2.6.2 falls back to the caller.
  const posted = dataOf(ctx, await ctx.api.post('auth/token/lookup', {}), S.loose({ policies: S.tuple(['root']) }), TOK)
  expectTrue(posted.id === ctx.api.token, 'the caller')
})

c('POST auth/token/renew-accessor', 'renew by accessor: client_token is empty in the auth block', async (ctx) => {
  const auth = await createToken(ctx, { policies: ['default'], ttl: '1h' })
  expectEnvelope(ctx.t, await ctx.api.post('auth/token/renew-accessor', { accessor: auth.accessor, increment: '2h' }), null, {
    ...TOK,
    auth: authShape(ctx, { client_token: '', accessor: auth.accessor as string, policies: S.tuple(['default']), token_policies: S.tuple(['default']), lease_duration: 7200 })
  })
})

c('POST auth/token/revoke-self', 'revoke-self: 204, then the token is gone', async (ctx) => {
  const auth = await createToken(ctx, { policies: ['default'] })
  const token = String(auth.client_token)
  expectNoContent(await ctx.api.post('auth/token/revoke-self', {}, { token }))
  expectStatus(await ctx.api.get('auth/token/lookup-self', { token }), 403)
})

c('LIST auth/token/accessors', 'accessors list contains a new token\'s accessor', async (ctx) => {
  const auth = await createToken(ctx, { policies: ['default'] })
  const data = dataOf(ctx, await ctx.api.list('auth/token/accessors'), { keys: S.arr(ACCESSOR, 1) }, TOK)
  expectTrue((data.keys as string[]).includes(String(auth.accessor)), 'listed')
  const plain = await createToken(ctx, { policies: ['default'] })
  expectErrors(await ctx.api.list('auth/token/accessors', { token: String(plain.client_token) }), 403,
    ['1 error occurred:\n\t* permission denied\n\n'])
})

c('POST auth/token/roles/:role_name', 'roles: write 204, read the full role, create through it, delete', async (ctx) => {
  const role = ctx.name('role')
  const pol = await createPolicy(ctx, 'path "secret/*" { capabilities = ["read"] }')
  ctx.run.defer('delete role', () => ctx.api.delete(`auth/token/roles/${role}`))
  expectNoContent(await ctx.api.post(`auth/token/roles/${role}`, { allowed_policies: pol, orphan: true, token_period: '1h' }))
  dataOf(ctx, await ctx.api.get(`auth/token/roles/${role}`), {
    allowed_entity_aliases: null,
    allowed_policies: S.tuple([pol]),
    allowed_policies_glob: S.tuple([]),
    disallowed_policies: S.tuple([]),
    disallowed_policies_glob: S.tuple([]),
    explicit_max_ttl: 0,
    name: role,
    orphan: true,
    path_suffix: '',
    period: 0,
    renewable: true,
    token_explicit_max_ttl: 0,
    token_no_default_policy: false,
    token_period: 3600,
    token_type: 'default-service'
  }, TOK)
  const data = dataOf(ctx, await ctx.api.list('auth/token/roles'), { keys: S.arr(S.str, 1) }, TOK)
  expectTrue((data.keys as string[]).includes(role), 'role listed')
  const res = await ctx.api.post(`auth/token/create/${role}`, {})
  const body = expectEnvelope(ctx.t, res, null, {
    ...TOK,
    auth: authShape(ctx, {
      policies: S.tuple(['default', pol]), token_policies: S.tuple(['default', pol]), orphan: true, lease_duration: 3600
    })
  })
  const token = String((body.auth as Record<string, unknown>).client_token)
  ctx.run.defer('revoke', () => ctx.api.post('auth/token/revoke', { token }))
  // The role's token_period caps the TTL, but OpenBao 2.6.2's lookup shows no "period" key (observed).
  const looked = dataOf(ctx, await ctx.api.get('auth/token/lookup-self', { token }), S.loose({
    role, path: `auth/token/create/${role}`, orphan: true, creation_ttl: 3600
  }), TOK)
  if (ctx.t.flavor === 'openbao') expectTrue(!Object.hasOwn(looked, 'period'), 'no period key')
  expectErrors(await ctx.api.post(`auth/token/create/${role}`, { policies: ['other'] }), 400,
    [`token policies (["default" "other"]) must be subset of the role's allowed policies (["default" "${pol}"]) or glob policies ([])`])
  expectNoContent(await ctx.api.delete(`auth/token/roles/${role}`))
  expectErrors(await ctx.api.get(`auth/token/roles/${role}`), 404, [])
})

c('POST auth/token/tidy', 'tidy: 202 Accepted (raw status) with the family\'s log warning', async (ctx) => {
  const name = ctx.t.flavor === 'openbao' ? 'OpenBao' : 'Vault'
  expectEnvelope(ctx.t, await ctx.api.post('auth/token/tidy', {}), null, {
    status: 202, raw: true, warnings: S.tuple([`Tidy operation successfully started. Any information from the operation will be printed to ${name}'s server logs.`])
  })
})

export const tokenArea: Area = { name: 'token', cases }
