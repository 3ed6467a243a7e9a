/**
 * Token auth and ACL enforcement over real HTTP: what a narrow token can
 * and cannot do, expiry, use counts, revocation of subtrees, periodic
 * renewal, and capabilities-self agreeing with the evaluator.
 */
import t from 'tap'
import { call, startTestServer } from '../../helpers/server.js'
import type { RunningServer } from '../../../src/index.js'

async function policy (server: RunningServer, name: string, text: string): Promise<void> {
  const r = await call(server, 'PUT', `/v1/sys/policies/acl/${name}`, { body: { policy: text } })
  if (r.status !== 204) throw new Error(`policy ${name}: ${r.status} ${r.text}`)
}

async function token (server: RunningServer, body: Record<string, unknown>, parent?: string): Promise<string> {
  const r = await call(server, 'POST', '/v1/auth/token/create', { body, token: parent })
  if (r.status !== 200) throw new Error(`token create: ${r.status} ${r.text}`)
  return r.json.auth.client_token as string
}

const DENIED = '1 error occurred:\n\t* permission denied\n\n'
const sleep = async (ms: number): Promise<void> => await new Promise((resolve) => setTimeout(resolve, ms))

t.test('a read-only policy on secret/data/app/* allows exactly that', async (t) => {
  const server = await startTestServer(t)
  await call(server, 'POST', '/v1/secret/data/app/db', { body: { data: { password: 'p1' } } })
  await call(server, 'POST', '/v1/secret/data/other', { body: { data: { x: '1' } } })
  await policy(server, 'app-read', 'path "secret/data/app/*" {\n  capabilities = ["read"]\n}\n')
  const tok = await token(server, { policies: ['app-read'] })

  const read = await call(server, 'GET', '/v1/secret/data/app/db', { token: tok })
  t.equal(read.status, 200)
  t.equal(read.json.data.data.password, 'p1')

  const write = await call(server, 'POST', '/v1/secret/data/app/db', { token: tok, body: { data: { password: 'x' } } })
  t.equal(write.status, 403)
  t.same(write.json, { errors: [DENIED] })

  const other = await call(server, 'GET', '/v1/secret/data/other', { token: tok })
  t.equal(other.status, 403, 'nothing outside the granted prefix')
  const list = await call(server, 'LIST', '/v1/secret/metadata/app', { token: tok })
  t.equal(list.status, 403, 'listing metadata needs list on metadata/')
  const transit = await call(server, 'POST', '/v1/transit/encrypt/k', { token: tok, body: { plaintext: 'aGk=' } })
  t.equal(transit.status, 403, 'transit is out of reach')
  t.equal((await call(server, 'POST', '/v1/transit/keys/k', { token: tok })).status, 403)
  const sys = await call(server, 'GET', '/v1/sys/mounts', { token: tok })
  t.equal(sys.status, 403)

  // The default policy still lets it look itself up (GET only: POST is update).
  t.equal((await call(server, 'GET', '/v1/auth/token/lookup-self', { token: tok })).status, 200)
  t.equal((await call(server, 'POST', '/v1/auth/token/lookup-self', { token: tok })).status, 403)
})

t.test('encrypt on a missing transit key needs create, an existing one update', async (t) => {
  const server = await startTestServer(t, { mounts: ['transit'] })
  await call(server, 'POST', '/v1/transit/keys/have')
  await policy(server, 'enc-update', 'path "transit/encrypt/*" { capabilities = ["update"] }')
  await policy(server, 'enc-create', 'path "transit/encrypt/*" { capabilities = ["create", "update"] }')
  const upd = await token(server, { policies: ['enc-update'] })
  const crt = await token(server, { policies: ['enc-create'] })
  t.equal((await call(server, 'POST', '/v1/transit/encrypt/have', { token: upd, body: { plaintext: 'aGk=' } })).status, 200)
  t.equal((await call(server, 'POST', '/v1/transit/encrypt/new1', { token: upd, body: { plaintext: 'aGk=' } })).status, 403)
  t.equal((await call(server, 'POST', '/v1/transit/encrypt/new1', { token: crt, body: { plaintext: 'aGk=' } })).status, 200)
  t.equal((await call(server, 'POST', '/v1/transit/decrypt/have', { token: crt, body: { ciphertext: 'x' } })).status, 403)
})

t.test('list on metadata/ lets a token list keys', async (t) => {
  const server = await startTestServer(t)
  await call(server, 'POST', '/v1/secret/data/app/db', { body: { data: { a: '1' } } })
  await policy(server, 'lister', 'path "secret/metadata/app/*" { capabilities = ["list"] }\npath "secret/metadata/app" { capabilities = ["list"] }')
  const tok = await token(server, { policies: ['lister'] })
  const list = await call(server, 'LIST', '/v1/secret/metadata/app', { token: tok })
  t.equal(list.status, 200)
  t.same(list.json.data.keys, ['db'])
  t.equal((await call(server, 'GET', '/v1/secret/data/app/db', { token: tok })).status, 403)
})

t.test('deny beats a broader grant, across policies too', async (t) => {
  const server = await startTestServer(t)
  await call(server, 'POST', '/v1/secret/data/app/admin', { body: { data: { a: '1' } } })
  await call(server, 'POST', '/v1/secret/data/app/web', { body: { data: { a: '1' } } })
  await policy(server, 'broad', 'path "secret/data/app/*" { capabilities = ["read", "update", "create"] }\npath "secret/data/app/admin" { capabilities = ["deny"] }')
  await policy(server, 'sneaky', 'path "secret/data/app/admin" { capabilities = ["read", "sudo"] }')
  const tok = await token(server, { policies: ['broad', 'sneaky'] })
  t.equal((await call(server, 'GET', '/v1/secret/data/app/web', { token: tok })).status, 200)
  t.equal((await call(server, 'GET', '/v1/secret/data/app/admin', { token: tok })).status, 403)
  const caps = await call(server, 'POST', '/v1/sys/capabilities-self', { token: tok, body: { paths: ['secret/data/app/admin', 'secret/data/app/web'] } })
  t.same(caps.json.data, { 'secret/data/app/admin': ['deny'], 'secret/data/app/web': ['create', 'read', 'update'] })
})

t.test('+ and * precedence, and capabilities-self reports what the evaluator decides', async (t) => {
  const server = await startTestServer(t)
  await policy(server, 'prec', [
    'path "secret/+/teamb" { capabilities = ["read"] }',
    'path "secret/*" { capabilities = ["list"] }',
    'path "secret/a/b/*" { capabilities = ["update"] }',
    'path "secret/a/+/c" { capabilities = ["create"] }',
    'path "secret/a/+/c*" { capabilities = ["delete"] }',
    'path "secret/x/+/+" { capabilities = ["patch"] }',
    'path "secret/x/y/+" { capabilities = ["sudo"] }'
  ].join('\n'))
  const tok = await token(server, { policies: ['prec'] })
  // Expected answers recorded from OpenBao 2.6.2 with the same policy.
  const expected: Record<string, string[]> = {
    'secret/a/teamb': ['read'], // + later than * wins
    'secret/a/teamb/x': ['list'],
    'secret/a/b/c': ['update'], // the longer prefix puts its glob later
    'secret/a/q/c': ['create'], // exact segment beats the trailing glob
    'secret/a/q/cd': ['delete'],
    'secret/x/y/z': ['sudo'], // fewer + segments win
    'secret/x/q/z': ['patch'],
    'secret/zzz': ['list'],
    'other/path': ['deny']
  }
  const caps = await call(server, 'POST', '/v1/sys/capabilities-self', { token: tok, body: { paths: Object.keys(expected) } })
  t.equal(caps.status, 200)
  t.same(caps.json.data, expected)

  // The check in front of the engine agrees with what was reported.
  await call(server, 'POST', '/v1/secret/data/a/q/c', { body: { data: { v: '1' } } })
  t.equal((await call(server, 'GET', '/v1/secret/a/teamb', { token: tok })).status, 404, 'read allowed: KV answers')
  t.equal((await call(server, 'DELETE', '/v1/secret/x/y/z', { token: tok })).status, 403, 'sudo alone grants no delete')

  const single = await call(server, 'POST', '/v1/sys/capabilities-self', { token: tok, body: { path: 'secret/a/teamb' } })
  t.same(single.json.data, { capabilities: ['read'], 'secret/a/teamb': ['read'] })
  const root = await call(server, 'POST', '/v1/sys/capabilities-self', { body: { paths: ['x'] } })
  t.same(root.json.data.x, ['root'])
})

t.test('allowed, denied and required parameters', async (t) => {
  const server = await startTestServer(t)
  await policy(server, 'params', [
    'path "auth/token/create" {',
    '  capabilities = ["update"]',
    '  allowed_parameters = { "policies" = [] "display_name" = ["ci-*"] "ttl" = [] }',
    '}'
  ].join('\n'))
  await policy(server, 'kid', 'path "x" { capabilities = ["read"] }')
  const parent = await token(server, { policies: ['params', 'kid'] })
  const ok = await call(server, 'POST', '/v1/auth/token/create', { token: parent, body: { policies: ['kid'], display_name: 'ci-build' } })
  t.equal(ok.status, 200)
  const badValue = await call(server, 'POST', '/v1/auth/token/create', { token: parent, body: { policies: ['kid'], display_name: 'prod' } })
  t.equal(badValue.status, 403)
  const badParam = await call(server, 'POST', '/v1/auth/token/create', { token: parent, body: { policies: ['kid'], num_uses: 3 } })
  t.equal(badParam.status, 403)
})

t.test('an expired token and a spent num_uses token get 403', async (t) => {
  const server = await startTestServer(t)
  const short = await token(server, { policies: ['default'], ttl: '2s' })
  t.equal((await call(server, 'GET', '/v1/auth/token/lookup-self', { token: short })).status, 200)
  await sleep(2100)
  const expired = await call(server, 'GET', '/v1/auth/token/lookup-self', { token: short })
  t.equal(expired.status, 403)
  t.same(expired.json, { errors: ['2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n'] })

  const limited = await token(server, { policies: ['default'], num_uses: 2 })
  const first = await call(server, 'GET', '/v1/auth/token/lookup-self', { token: limited })
  t.equal(first.json.data.num_uses, 1)
  const last = await call(server, 'GET', '/v1/auth/token/lookup-self', { token: limited })
  t.equal(last.status, 200)
  t.equal(last.json.data.num_uses, -1, 'the last use reports the revocation marker')
  t.equal((await call(server, 'GET', '/v1/auth/token/lookup-self', { token: limited })).status, 403)

  // A use is spent even when the policy check then fails.
  const once = await token(server, { policies: ['default'], num_uses: 1 })
  t.equal((await call(server, 'GET', '/v1/sys/mounts', { token: once })).status, 403)
  t.equal((await call(server, 'GET', '/v1/auth/token/lookup-self', { token: once })).status, 403)
})

t.test('the openbao flavour answers a bad token with the plain text', async (t) => {
  const server = await startTestServer(t, { flavor: 'openbao' })
  const r = await call(server, 'GET', '/v1/auth/token/lookup-self', { token: 'nope' })
  t.equal(r.status, 403)
  t.same(r.json, { errors: ['permission denied'] })
  const tok = await token(server, { policies: ['default'] })
  t.match(tok, /^s\.[0-9A-Za-z]{24}$/)
})

t.test('revoking a parent revokes its children; revoke-orphan keeps them', async (t) => {
  const server = await startTestServer(t)
  await policy(server, 'creator', 'path "auth/token/create" { capabilities = ["update"] }')
  const parent = await token(server, { policies: ['creator'] })
  const child = await token(server, { policies: ['creator'] }, parent)
  const grandchild = await token(server, { policies: ['default'] }, child)
  const orphan = await token(server, { policies: ['default'], no_parent: true })
  // Vault 1.10+ signed (server-side consistent) service token: hvs. + base64url SignedToken.
  t.match(parent, /^hvs\.CAESI[A-Za-z0-9_-]{85,}$/)

  t.equal((await call(server, 'POST', '/v1/auth/token/revoke', { body: { token: parent } })).status, 204)
  for (const tok of [parent, child, grandchild]) {
    t.equal((await call(server, 'GET', '/v1/auth/token/lookup-self', { token: tok })).status, 403)
  }
  t.equal((await call(server, 'GET', '/v1/auth/token/lookup-self', { token: orphan })).status, 200)

  const p2 = await token(server, { policies: ['creator'] })
  const c2 = await token(server, { policies: ['default'] }, p2)
  t.equal((await call(server, 'POST', '/v1/auth/token/revoke-orphan', { body: { token: p2 } })).status, 204)
  const still = await call(server, 'GET', '/v1/auth/token/lookup-self', { token: c2 })
  t.equal(still.status, 200)
  t.equal(still.json.data.orphan, true)

  // The root token can be revoked and then no longer works.
  t.equal((await call(server, 'POST', '/v1/auth/token/revoke-self')).status, 204)
  t.equal((await call(server, 'GET', '/v1/sys/mounts')).status, 403)
})

t.test('a periodic token renews to its period again and again', async (t) => {
  const server = await startTestServer(t)
  const tok = await token(server, { policies: ['default'], period: '3s' })
  const created = await call(server, 'GET', '/v1/auth/token/lookup-self', { token: tok })
  t.equal(created.json.data.period, 3)
  const start = Date.now()
  for (let i = 0; i < 3; i++) {
    await sleep(1500)
    const r = await call(server, 'POST', '/v1/auth/token/renew-self', { token: tok, body: { increment: '1h' } })
    t.equal(r.status, 200, `renewal ${i + 1}`)
    t.equal(r.json.auth.lease_duration, 3, 'the increment is ignored for periodic tokens')
  }
  t.ok(Date.now() - start > 3000, 'the token outlived its first period')
  t.equal((await call(server, 'GET', '/v1/auth/token/lookup-self', { token: tok })).status, 200)
})

t.test('renewal without increment reuses the granted TTL; max TTL caps it', async (t) => {
  const server = await startTestServer(t)
  const tok = await token(server, { policies: ['default'], ttl: '1h', explicit_max_ttl: '2h' })
  const plain = await call(server, 'POST', '/v1/auth/token/renew-self', { token: tok })
  t.equal(plain.json.auth.lease_duration, 3600)
  const capped = await call(server, 'POST', '/v1/auth/token/renew', { body: { token: tok, increment: '5h' } })
  t.equal(capped.json.auth.lease_duration, 7200)
  t.same(capped.json.warnings, ['TTL of "5h" exceeded the effective max_ttl of "2h"; TTL value is capped accordingly'])
  const root = await call(server, 'POST', '/v1/auth/token/renew-self')
  t.equal(root.status, 400)
  t.same(root.json, { errors: ['lease is not renewable'] })
})

t.test('accessors list needs sudo; a token sees itself by accessor', async (t) => {
  const server = await startTestServer(t)
  await policy(server, 'acc', 'path "auth/token/accessors" { capabilities = ["list"] }')
  await policy(server, 'accsudo', 'path "auth/token/accessors" { capabilities = ["list", "sudo"] }')
  const plain = await token(server, { policies: ['acc'] })
  const sudo = await token(server, { policies: ['accsudo'] })
  t.equal((await call(server, 'LIST', '/v1/auth/token/accessors', { token: plain })).status, 403)
  const listed = await call(server, 'LIST', '/v1/auth/token/accessors', { token: sudo })
  t.equal(listed.status, 200)
  const mine = await call(server, 'GET', '/v1/auth/token/lookup-self', { token: sudo })
  t.ok(listed.json.data.keys.includes(mine.json.data.accessor))
  const byAccessor = await call(server, 'POST', '/v1/auth/token/lookup-accessor', { body: { accessor: mine.json.data.accessor } })
  t.equal(byAccessor.json.data.id, '')
})
