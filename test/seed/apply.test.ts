/**
 * Applying seeds to a running server: every section lands as a client
 * would see it, applying again changes no stored byte, and each way Vault
 * can refuse an item stops start-up naming the file and line.
 */
import t, { type Test } from 'tap'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createCipheriv, generateKeyPairSync } from 'node:crypto'
import { startServer } from '../../src/index.js'
import { openSqliteStorage } from '../../src/storage/index.js'
import { SeedError } from '../../src/seed/index.js'
import { call } from '../helpers/server.js'

const AES_V1 = Buffer.alloc(32, 1).toString('base64')
const AES_V2 = Buffer.alloc(32, 2).toString('base64')

function tempDir (t: Test): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lv-seed-apply-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

function writeSeed (t: Test, text: string, name = 'seed.yaml'): string {
  const file = path.join(tempDir(t), name)
  fs.writeFileSync(file, text)
  return file
}

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const EC_PEM = ec.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string

const SEED = `mounts:
  transit: transit
  kv1: kv-v1
  team:
    type: kv
    options: {version: "2"}
    description: team secrets
policies:
  app-read: |
    path "secret/data/app/*" { capabilities = ["read"] }
transit:
  transit:
    orders:
      type: aes256-gcm96
      exportable: true
      deletion_allowed: true
      versions:
        - ${AES_V1}
        - ${AES_V2}
    signer:
      type: ecdsa-p256
      exportable: true
      versions:
        - |
${EC_PEM.trim().split('\n').map((l) => `          ${l}`).join('\n')}
    rotating:
      type: ed25519
      versions: 3
      min_decryption_version: 2
kv:
  secret:
    app/config:
      custom_metadata: {owner: team-a}
      max_versions: 5
      versions:
        - {password: one}
        - {password: two, port: 5432}
  kv1:
    legacy: {data: {x: "1"}}
tokens:
  - id: app-token
    policies: [app-read]
    ttl: 1h
    renewable: true
    display_name: app
    meta: {team: a}
  - id: child-token
    policies: app-read
    orphan: false
`

t.test('a seed sets up mounts, policies, transit keys, KV secrets and tokens', async (t) => {
  const server = await startServer({ rootToken: 'root', seed: writeSeed(t, SEED) })
  t.teardown(() => server.close())
  const get = async (p: string, token?: string): Promise<any> => {
    const r = await call(server, 'GET', `/v1/${p}`, { token })
    t.equal(r.status, 200, `GET ${p}`)
    return r.json?.data
  }

  const mounts = await get('sys/mounts')
  t.same([mounts['transit/'].type, mounts['kv1/'].type, mounts['kv1/'].options, mounts['team/'].options, mounts['team/'].description],
    ['transit', 'kv', { version: '1' }, { version: '2' }, 'team secrets'])
  t.equal((await get('sys/policies/acl/app-read')).policy, 'path "secret/data/app/*" { capabilities = ["read"] }\n')

  // Fixed material: the exported versions are exactly the seeded bytes, and
  // a ciphertext made locally with version 2 decrypts.
  const exported = await get('transit/export/encryption-key/orders')
  t.same(exported.keys, { 1: AES_V1, 2: AES_V2 })
  const nonce = Buffer.alloc(12, 7)
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(AES_V2, 'base64'), nonce)
  const sealed = Buffer.concat([nonce, cipher.update('hello'), cipher.final(), cipher.getAuthTag()])
  const dec = await call(server, 'POST', '/v1/transit/decrypt/orders', { body: { ciphertext: `vault:v2:${sealed.toString('base64')}` } })
  t.equal(Buffer.from(dec.json.data.plaintext, 'base64').toString(), 'hello')
  const orders = await get('transit/keys/orders')
  t.same([orders.latest_version, orders.deletion_allowed, orders.imported_key, orders.exportable], [2, true, true, true])
  const signer = await get('transit/keys/signer')
  t.equal(signer.keys['1'].public_key.trim(), (ec.publicKey.export({ type: 'spki', format: 'pem' }) as string).trim())
  const rotating = await get('transit/keys/rotating')
  t.same([rotating.latest_version, rotating.min_decryption_version, rotating.imported_key], [3, 2, false])

  const v1 = await get('secret/data/app/config?version=1')
  t.same(v1.data, { password: 'one' })
  const meta = await get('secret/metadata/app/config')
  t.same([meta.current_version, meta.max_versions, meta.custom_metadata], [2, 5, { owner: 'team-a' }])
  t.same((await get('secret/data/app/config')).data, { password: 'two', port: 5432 })
  t.same(await get('kv1/legacy'), { x: '1' })

  const self = await get('auth/token/lookup-self', 'app-token')
  t.same([self.policies, self.display_name, self.renewable, self.creation_ttl, self.meta, self.orphan],
    [['app-read', 'default'], 'token-app', true, 3600, { team: 'a' }, true])
  const child = await get('auth/token/lookup-self', 'child-token')
  t.equal(child.orphan, false)
  // The seeded policy is in force for the seeded token.
  t.equal((await call(server, 'GET', '/v1/secret/data/app/config', { token: 'app-token' })).status, 200)
  t.equal((await call(server, 'GET', '/v1/secret/data/other', { token: 'app-token' })).status, 403)
})

t.test('applying the seed again changes no stored byte; missing items come back', async (t) => {
  const dir = tempDir(t)
  const seed = writeSeed(t, SEED)
  const snapshot = (): Map<string, string> => {
    const s = openSqliteStorage({ dir, version: 'test' })
    const snap = new Map(s.snapshot())
    s.close()
    return snap
  }
  const first = await startServer({ seed, dataDir: dir })
  const root = first.rootToken
  await first.close()
  const before = snapshot()
  t.ok(before.size > 20)

  const second = await startServer({ seed, dataDir: dir })
  t.equal(second.rootToken, root, 'the root token survives the restart')
  await second.close()
  t.same(snapshot(), before, 'the second application wrote nothing')

  // A client changes seeded state; the seed restores what is missing and
  // leaves the rest (a secret's later versions, a changed policy) alone.
  const third = await startServer({ seed, dataDir: dir })
  await call(third, 'DELETE', '/v1/secret/metadata/app/config')
  await call(third, 'POST', '/v1/kv1/legacy', { body: { x: 'changed' } })
  await call(third, 'PUT', '/v1/sys/policies/acl/app-read', { body: { policy: 'path "x" { capabilities = ["read"] }' } })
  await call(third, 'POST', '/v1/auth/token/revoke', { body: { token: 'app-token' } })
  await third.close()
  const fourth = await startServer({ seed, dataDir: dir })
  t.teardown(() => fourth.close())
  t.same((await call(fourth, 'GET', '/v1/secret/data/app/config?version=1')).json?.data?.data, { password: 'one' })
  t.same((await call(fourth, 'GET', '/v1/kv1/legacy')).json?.data, { x: 'changed' }, 'an existing secret is left as it is')
  t.equal((await call(fourth, 'GET', '/v1/sys/policies/acl/app-read')).json?.data?.policy,
    'path "secret/data/app/*" { capabilities = ["read"] }\n', 'a policy is written back when its text differs')
  t.equal((await call(fourth, 'GET', '/v1/auth/token/lookup-self', { token: 'app-token' })).status, 200, 'the revoked token is created again')
})

t.test('a seed given as an object through the Node API', async (t) => {
  const server = await startServer({
    rootToken: 'root',
    seed: { mounts: { transit: 'transit' }, transit: { transit: { k: { type: 'aes128-gcm96' } } } }
  })
  t.teardown(() => server.close())
  t.equal((await call(server, 'GET', '/v1/transit/keys/k')).json?.data?.type, 'aes128-gcm96')
})

// Errors Vault (or the mount table) raises while applying: file, line, field, what.
const APPLY_ERRORS: Array<[string, string, RegExp]> = [
  ['mount already there with another type', 'mounts:\n  secret: transit\n',
    /^FILE:2: mounts\.secret: "secret\/" is already mounted as kv version 2, not transit$/],
  ['kv version mismatch', 'mounts:\n  secret: kv-v1\n',
    /^FILE:2: mounts\.secret: "secret\/" is already mounted as kv version 2, not kv version 1$/],
  ['unknown engine type', 'mounts:\n  x: nosuch\n',
    /^FILE:2: mounts\.x: POST sys\/mounts\/x answered 400: plugin not found in the catalog: nosuch$/],
  ['kv mount missing', 'kv:\n  nope:\n    a: {data: {x: 1}}\n',
    /^FILE:3: kv\.nope\.a: no mount at "nope\/": add it under "mounts" \(e\.g\. nope: kv\)$/],
  ['transit section on a kv mount', 'transit:\n  secret:\n    k: {}\n',
    /^FILE:3: transit\.secret\.k: "secret\/" is a kv mount, not transit$/],
  ['kv v1 with versions', 'mounts:\n  old: kv-v1\nkv:\n  old:\n    a:\n      versions: [{x: 1}, {x: 2}]\n',
    /^FILE:5: kv\.old\.a: "old\/" is a KV version 1 mount: a secret there has one value \("data"\) and no versions or metadata$/],
  ['unknown key type', 'mounts:\n  transit: transit\ntransit:\n  transit:\n    k:\n      type: aes999\n',
    /^FILE:5: transit\.transit\.k: POST transit\/keys\/k answered 400: unknown key type/],
  ['bad key config', 'mounts:\n  transit: transit\ntransit:\n  transit:\n    k:\n      min_decryption_version: 5\n',
    /^FILE:5: transit\.transit\.k: POST transit\/keys\/k\/config answered 400: /],
  ['material unusable for the key type', `mounts:\n  transit: transit\ntransit:\n  transit:\n    k:\n      type: ecdsa-p256\n      versions:\n        - ${AES_V1}\n`,
    /^FILE:8: transit\.transit\.k\.versions\[0\]: not a usable private key for a ecdsa-p256 key/],
  ['policy that does not parse', 'policies:\n  broken: "path {"\n',
    /^FILE:2: policies\.broken: POST sys\/policies\/acl\/broken answered 400: /],
  ['token id Vault refuses', 'tokens:\n  - id: ok-token\n  - id: my.token\n    ttl: 1h\n',
    /^FILE:3: tokens\[1\]: POST auth\/token\/create-orphan answered 400: custom token ID cannot have a '\.' in the value$/]
]

for (const [name, text, pattern] of APPLY_ERRORS) {
  t.test(`seed apply error: ${name}`, async (t) => {
    const file = writeSeed(t, text)
    const err = await startServer({ rootToken: 'root', seed: file }).then(async (s) => { await s.close(); return undefined }, (e: unknown) => e)
    t.ok(err instanceof SeedError, 'start-up fails with a SeedError')
    t.match((err as Error).message, new RegExp(pattern.source.replace('FILE', file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))))
  })
}

t.test('a failed seed leaves the data directory closed and reusable', async (t) => {
  const dir = tempDir(t)
  await t.rejects(startServer({ dataDir: dir, seed: writeSeed(t, 'mounts:\n  secret: transit\n') }), SeedError)
  const ok = await startServer({ dataDir: dir })
  await ok.close()
  await t.rejects(startServer({ dataDir: dir, seed: writeSeed(t, 'mounts: [\n') }), { message: /invalid YAML/ })
})
