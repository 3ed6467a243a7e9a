// node-vault 0.12 against localvault: the calls Node apps make, checked
// field by field. Needs a build (`npm run build`); run `npx tap clients/node/`.
// The suite spawns the CLI (`node bin/localvault.js server -dev`) on a free
// port and stops it at the end; set TEST_VAULT_ADDR/TEST_VAULT_TOKEN to run
// it against another server instead.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import nodeVault from 'node-vault'

const ROOT_TOKEN = 'root'
const CLI = process.env.LOCALVAULT_BIN ?? fileURLToPath(new URL('../../bin/localvault.js', import.meta.url))
const sfx = randomBytes(4).toString('hex')
const b64 = (s) => Buffer.from(s, 'utf8').toString('base64')
const unb64 = (s) => Buffer.from(s, 'base64').toString('utf8')

/** Spawn localvault and resolve with its address, read from the line it prints. */
function startLocalVault () {
  const child = spawn(process.execPath, [CLI, 'server', '-dev', `-dev-root-token-id=${ROOT_TOKEN}`,
    '-dev-listen-address=127.0.0.1:0', '-log-level=warn'], { stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => { child.kill(); reject(new Error(`localvault did not start:\n${out}`)) }, 20000)
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`localvault exited (${code}):\n${out}`)) })
    child.stdout.on('data', (chunk) => {
      out += chunk
      const m = /export VAULT_ADDR='([^']+)'/.exec(out)
      if (m !== null) {
        clearTimeout(timer)
        child.removeAllListeners('exit')
        resolve({ address: m[1], child })
      }
    })
  })
}

let addr = process.env.TEST_VAULT_ADDR
let token = process.env.TEST_VAULT_TOKEN ?? ROOT_TOKEN
if (!addr) {
  const server = await startLocalVault()
  addr = server.address
  t.teardown(() => new Promise((resolve) => {
    server.child.once('exit', resolve)
    server.child.kill('SIGTERM')
  }))
}

const client = (tok = token) => nodeVault({ endpoint: addr, token: tok })

/** The ApiResponseError a call rejects with (fails the test if it resolves). */
async function failure (t, promise) {
  try {
    await promise
  } catch (err) {
    return err
  }
  t.fail('expected the call to be rejected')
  return { message: '', response: { statusCode: 0, body: null } }
}

t.test('auth check and health', async (t) => {
  const self = await client().tokenLookupSelf()
  t.equal(self.data.id, token)
  t.same(self.data.policies, ['root'])
  t.equal(self.data.expire_time, null)

  const bad = await failure(t, client('not-a-token').tokenLookupSelf())
  t.equal(bad.response.statusCode, 403)
  t.match(bad.message, 'permission denied')

  const health = await client().health()
  t.equal(health.initialized, true)
  t.equal(health.sealed, false)
  t.type(health.server_time_utc, 'number')
  const seal = await client().status()
  t.equal(seal.sealed, false)
  t.type(seal.t, 'number')
})

t.test('mounts: list, enable, refuse a duplicate, disable', async (t) => {
  const vault = client()
  const mounts = await vault.mounts()
  t.equal(mounts.data['secret/'].type, 'kv')
  t.same(mounts.data['secret/'].options, { version: '2' })
  t.equal(mounts['secret/'].type, 'kv', 'legacy sys/mounts also answers at the top level')
  t.type(mounts.data['secret/'].config.default_lease_ttl, 'number')

  const path = `kv-node-m-${sfx}`
  const enabled = await vault.mount({ mount_point: path, type: 'kv', options: { version: '2' } })
  t.equal(enabled, '', 'enable answers 204 with no body')
  t.equal((await vault.mounts()).data[`${path}/`].type, 'kv')
  const dup = await failure(t, vault.mount({ mount_point: path, type: 'kv' }))
  t.equal(dup.response.statusCode, 400)
  t.match(dup.message, `path is already in use at ${path}/`)
  await vault.unmount({ mount_point: path })
  t.notOk((await vault.mounts()).data[`${path}/`])
})

t.test('transit with node-vault helpers', async (t) => {
  const vault = client()
  const mounts = await vault.mounts()
  if (!mounts.data['transit/']) await vault.mount({ mount_point: 'transit', type: 'transit' })
  const name = `node-key-${sfx}`

  await vault.transitCreateKey({ name })
  const key = await vault.transitReadKey({ name })
  t.equal(key.data.type, 'aes256-gcm96')
  t.equal(key.data.latest_version, 1)
  t.same(Object.keys(key.data.keys), ['1'])
  t.ok((await vault.transitListKeys()).data.keys.includes(name))

  const enc = await vault.encryptData({ name, plaintext: b64('card 4242') })
  t.match(enc.data.ciphertext, /^vault:v1:[A-Za-z0-9+/]+=*$/)
  t.equal(enc.data.key_version, 1)
  const dec = await vault.decryptData({ name, ciphertext: enc.data.ciphertext })
  t.equal(unb64(dec.data.plaintext), 'card 4242')

  await vault.write(`transit/keys/${name}/rotate`, {})
  t.equal((await vault.transitReadKey({ name })).data.latest_version, 2)
  const enc2 = await vault.encryptData({ name, plaintext: b64('after rotate') })
  t.match(enc2.data.ciphertext, /^vault:v2:/)
  t.equal(unb64((await vault.decryptData({ name, ciphertext: enc.data.ciphertext })).data.plaintext), 'card 4242')

  const rewrapped = await vault.rewrapData({ name, ciphertext: enc.data.ciphertext })
  t.match(rewrapped.data.ciphertext, /^vault:v2:/)
  t.equal(unb64((await vault.decryptData({ name, ciphertext: rewrapped.data.ciphertext })).data.plaintext), 'card 4242')

  const batch = await vault.encryptData({ name, batch_input: ['a', 'b', 'c'].map((p) => ({ plaintext: b64(p) })) })
  t.equal(batch.data.batch_results.length, 3)
  for (const r of batch.data.batch_results) t.match(r.ciphertext, /^vault:v2:/)
  const batchDec = await vault.decryptData({ name, batch_input: batch.data.batch_results.map((r) => ({ ciphertext: r.ciphertext })) })
  t.same(batchDec.data.batch_results.map((r) => unb64(r.plaintext)), ['a', 'b', 'c'])

  const partial = await failure(t, vault.decryptData({ name, batch_input: [{ ciphertext: enc.data.ciphertext }, { ciphertext: 'junk' }] }))
  t.equal(partial.response.statusCode, 400)
  t.equal(partial.message, 'Status 400', 'a failed batch item has no "errors" key')
  t.equal(unb64(partial.response.body.data.batch_results[0].plaintext), 'card 4242')
  t.match(partial.response.body.data.batch_results[1].error, 'invalid ciphertext')

  const notAllowed = await failure(t, vault.transitDeleteKey({ name }))
  t.equal(notAllowed.response.statusCode, 400)
  t.match(notAllowed.message, 'deletion is not allowed for this key')
  await vault.write(`transit/keys/${name}/config`, { deletion_allowed: true })
  await vault.transitDeleteKey({ name })
  const gone = await failure(t, vault.transitReadKey({ name }))
  t.equal(gone.response.statusCode, 404)
  t.equal(gone.message, 'Status 404')
})

t.test('KV v2 through read/write/list/delete/update', async (t) => {
  const vault = client()
  const mount = `kv-node-${sfx}`
  await vault.mount({ mount_point: mount, type: 'kv', options: { version: '2' } })
  t.teardown(() => vault.unmount({ mount_point: mount }))

  const w1 = await vault.write(`${mount}/data/app/db`, { data: { password: 'one' } })
  t.equal(w1.data.version, 1)
  t.equal(w1.data.deletion_time, '')
  t.equal(w1.data.destroyed, false)
  await vault.write(`${mount}/data/app/db`, { data: { password: 'two' } })
  await vault.write(`${mount}/data/app/db`, { data: { password: 'three' } })

  const latest = await vault.read(`${mount}/data/app/db`)
  t.same(latest.data.data, { password: 'three' })
  t.equal(latest.data.metadata.version, 3)
  t.same((await vault.read(`${mount}/data/app/db?version=1`)).data.data, { password: 'one' })

  const cas = await failure(t, vault.write(`${mount}/data/app/db`, { options: { cas: 1 }, data: { password: 'x' } }))
  t.equal(cas.response.statusCode, 400)
  t.match(cas.message, 'check-and-set parameter did not match the current version')

  // node-vault's update() is an HTTP PATCH with a JSON merge patch.
  const patched = await vault.update(`${mount}/data/app/db`, { data: { user: 'app' } })
  t.equal(patched.data.version, 4)
  t.same((await vault.read(`${mount}/data/app/db`)).data.data, { password: 'three', user: 'app' })

  await vault.delete(`${mount}/data/app/db`)
  const deleted = await failure(t, vault.read(`${mount}/data/app/db`))
  t.equal(deleted.response.statusCode, 404)
  t.equal(deleted.response.body.data.data, null, 'a deleted version answers 404 with the normal body')
  t.equal(deleted.response.body.data.metadata.version, 4)
  t.not(deleted.response.body.data.metadata.deletion_time, '')

  await vault.write(`${mount}/undelete/app/db`, { versions: [4] })
  t.same((await vault.read(`${mount}/data/app/db`)).data.data, { password: 'three', user: 'app' })
  await vault.write(`${mount}/delete/app/db`, { versions: [1] })
  await vault.destroySecretVersions({ mount_point: mount, path: 'app/db', versions: [2] })

  const meta = await vault.read(`${mount}/metadata/app/db`)
  t.equal(meta.data.current_version, 4)
  t.equal(meta.data.versions['2'].destroyed, true)
  t.not(meta.data.versions['1'].deletion_time, '')
  t.equal(meta.data.versions['4'].deletion_time, '')
  t.equal(meta.data.delete_version_after, '0s')

  await vault.write(`${mount}/metadata/app/db`, { max_versions: 3, custom_metadata: { owner: 'node' } })
  const meta2 = await vault.read(`${mount}/metadata/app/db`)
  t.equal(meta2.data.max_versions, 3)
  t.same(meta2.data.custom_metadata, { owner: 'node' })

  await vault.write(`${mount}/data/app/cache`, { data: { ttl: 5 } })
  t.same((await vault.list(`${mount}/metadata/app`)).data.keys, ['cache', 'db'])
  t.same((await vault.list(`${mount}/metadata/`)).data.keys, ['app/'])
  const empty = await failure(t, vault.list(`${mount}/metadata/nothing`))
  t.equal(empty.response.statusCode, 404)

  await vault.delete(`${mount}/metadata/app/db`)
  const noMeta = await failure(t, vault.read(`${mount}/metadata/app/db`))
  t.equal(noMeta.response.statusCode, 404)
})

t.test('tokens: create, lookup, renew, revoke', async (t) => {
  const admin = client()
  const created = await admin.tokenCreate({ policies: ['default'], ttl: '1h', meta: { app: 'node' } })
  const child = created.auth.client_token
  // node-vault adopts the token it just created as its own.
  t.equal(admin.token, child)
  admin.token = token
  t.same(created.auth.policies, ['default'])
  t.equal(created.auth.lease_duration, 3600)
  t.equal(created.auth.renewable, true)
  t.same(created.auth.metadata, { app: 'node' })

  const info = await admin.tokenLookup({ token: child })
  t.equal(info.data.id, child)
  t.equal(info.data.accessor, created.auth.accessor)
  t.ok(info.data.ttl > 3500 && info.data.ttl <= 3600, `ttl ${info.data.ttl}`)
  const byAccessor = await admin.tokenLookupAccessor({ accessor: created.auth.accessor })
  t.equal(byAccessor.data.id, '')

  const renewed = await admin.tokenRenew({ token: child, increment: '2h' })
  t.equal(renewed.auth.client_token, child)
  t.equal(renewed.auth.lease_duration, 7200)
  admin.token = token

  const self = client(child)
  const selfRenew = await self.tokenRenewSelf({ increment: 1800 })
  t.equal(selfRenew.auth.lease_duration, 1800)
  t.equal(self.token, child, 'renew-self echoes the same token')

  await admin.tokenRevoke({ token: child })
  const dead = await failure(t, self.tokenLookupSelf())
  t.equal(dead.response.statusCode, 403)
})

t.test('a policy, and the calls it denies', async (t) => {
  const admin = client()
  const mount = `kv-node-pol-${sfx}`
  const name = `node-reader-${sfx}`
  await admin.mount({ mount_point: mount, type: 'kv', options: { version: '2' } })
  t.teardown(() => client().unmount({ mount_point: mount }))
  await admin.write(`${mount}/data/app/config`, { data: { color: 'green' } })
  await admin.write(`${mount}/data/other`, { data: { k: 'v' } })

  const rules = `path "${mount}/data/app/*" {\n  capabilities = ["read", "list"]\n}\n`
  await admin.addPolicy({ name, rules })
  t.equal((await admin.getPolicy({ name })).rules, rules)
  t.ok((await admin.policies()).policies.includes(name))

  const created = await admin.tokenCreate({ policies: [name], ttl: '10m' })
  admin.token = token
  const reader = client(created.auth.client_token)
  t.same((await reader.read(`${mount}/data/app/config`)).data.data, { color: 'green' })

  for (const call of [
    () => reader.write(`${mount}/data/app/config`, { data: { color: 'red' } }),
    () => reader.read(`${mount}/data/other`),
    () => reader.mounts(),
    () => reader.addPolicy({ name: `evil-${sfx}`, rules: 'path "*" { capabilities = ["sudo"] }' })
  ]) {
    const denied = await failure(t, call())
    t.equal(denied.response.statusCode, 403)
    t.match(denied.message, 'permission denied')
  }

  await admin.removePolicy({ name })
  const gone = await failure(t, admin.getPolicy({ name }))
  t.equal(gone.response.statusCode, 404)
})
