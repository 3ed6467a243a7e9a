/**
 * Secrets never leak: a full workload at the most verbose log level, with
 * known secret values, plaintexts, key material (exported keys, backups,
 * data keys), HMACs, tokens and accessors, then a fuzz burst on the same
 * server; every log line and every error body is scanned for each secret
 * in its raw, base64, base64url and hex forms. An error body may only echo
 * a value the same request sent in a field of the wrong type (Vault's own
 * conversion errors quote it); log lines may echo nothing.
 */
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { Agent, request } from 'undici'
import { collectPools, startHardened } from './lib/fixture.js'
import { loadEndpoints } from './lib/endpoints.js'
import { runFuzz } from './lib/run.js'

const ROOT = `hvs.LeakScanRoot${randomBytes(8).toString('hex')}`

/** Every form a secret could take in text. */
export function forms (secret: string): string[] {
  const out = new Set([secret])
  const raw = Buffer.from(secret, 'utf8')
  out.add(raw.toString('base64').replace(/=+$/, ''))
  out.add(raw.toString('base64url'))
  out.add(raw.toString('hex'))
  // A secret that is itself base64 (plaintexts, key material): its bytes too.
  if (/^[A-Za-z0-9+/]{16,}={0,2}$/.test(secret)) {
    const bytes = Buffer.from(secret, 'base64')
    out.add(bytes.toString('hex'))
    out.add(bytes.toString('base64url'))
    const text = bytes.toString('utf8')
    if (/^[\x20-\x7e]{12,}$/.test(text)) out.add(text)
  }
  // Short forms would match by chance; every secret here is long.
  return [...out].filter((f) => f.length >= 12)
}

/** Which secrets (by label) appear in `text`, in any form. */
export function findSecrets (text: string, secrets: Map<string, string>): string[] {
  const found: string[] = []
  for (const [label, value] of secrets) {
    if (forms(value).some((f) => text.includes(f))) found.push(label)
  }
  return found
}

t.test('the scanner finds a secret in each of its forms', async (t) => {
  const secrets = new Map([['s', 'kv-secret-0123456789abcdef']])
  t.same(findSecrets('x kv-secret-0123456789abcdef y', secrets), ['s'])
  t.same(findSecrets(Buffer.from('kv-secret-0123456789abcdef').toString('base64'), secrets), ['s'])
  t.same(findSecrets(Buffer.from('kv-secret-0123456789abcdef').toString('hex'), secrets), ['s'])
  const b64 = Buffer.from('plaintext that is secret').toString('base64')
  t.same(findSecrets('the plaintext that is secret leaked', new Map([['p', b64]])), ['p'])
  t.same(findSecrets('nothing here', secrets), [])
})

t.test('no secret reaches a log line or another request\'s error', async (t) => {
  const { server, lines } = await startHardened({ rootToken: ROOT }, 'trace')
  const agent = new Agent({ connections: 8 })
  t.teardown(async () => { await agent.close(); await server.close() })

  const secrets = new Map<string, string>([['root token', ROOT]])
  let n = 0
  const secret = (label: string, prefix = 'secret'): string => {
    const v = `${prefix}-${label.replace(/\W+/g, '-')}-${randomBytes(10).toString('hex')}`
    secrets.set(label, v)
    return v
  }
  const b64secret = (label: string): string => {
    const v = Buffer.from(`plain ${label} ${randomBytes(12).toString('hex')}`).toString('base64')
    secrets.set(label, v)
    return v
  }
  const errors: Array<{ status: number, text: string, sent: string, call: string }> = []
  const call = async (method: string, path: string, body?: unknown, token = ROOT, headers: Record<string, string> = {}): Promise<any> => {
    const sent = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body)
    const res = await request(`${server.address}/v1/${path}`, {
      method: method as 'GET',
      headers: { 'x-vault-token': token, ...headers },
      body: sent === '' ? undefined : sent,
      dispatcher: agent
    })
    const text = await res.body.text()
    n++
    if (res.statusCode >= 400) errors.push({ status: res.statusCode, text, sent: sent + ' ' + path + ' ' + token, call: `${method} ${path}` })
    try { return text === '' ? undefined : JSON.parse(text) } catch { return undefined }
  }

  // KV v2, v1, cubbyhole: values written, read, patched, versioned.
  await call('POST', 'secret/data/app', { data: { password: secret('kv2 password'), api_key: secret('kv2 api key') } })
  await call('GET', 'secret/data/app')
  await call('PATCH', 'secret/data/app', { data: { password: secret('kv2 patched') } }, ROOT, { 'content-type': 'application/merge-patch+json' })
  await call('GET', 'secret/data/app?version=1')
  await call('GET', 'secret/subkeys/app')
  await call('POST', 'secret/data/app', { options: { cas: 0 }, data: { password: secret('kv2 cas loser') } })
  await call('POST', 'secret/delete/app', { versions: [1] })
  await call('POST', 'secret/undelete/app', { versions: [1] })
  await call('POST', 'secret/destroy/app', { versions: [1] })
  await call('LIST', 'secret/metadata/')
  await call('POST', 'hzkv1/app', { token: secret('kv1 value'), nested: { deep: secret('kv1 nested') } })
  await call('GET', 'hzkv1/app')
  await call('POST', 'cubbyhole/app', { value: secret('cubbyhole value') })
  await call('GET', 'cubbyhole/app')

  // Transit: plaintexts, data keys, HMACs, exported keys and backups.
  await call('POST', 'transit/keys/leak', { exportable: true, allow_plaintext_backup: true })
  await call('POST', 'transit/keys/leak-ed', { type: 'ed25519', exportable: true })
  await call('POST', 'transit/keys/leak-hmac', { type: 'hmac', key_size: 32, exportable: true })
  await call('POST', 'transit/keys/leak-derived', { derived: true })
  const enc = await call('POST', 'transit/encrypt/leak', { plaintext: b64secret('plaintext one') })
  await call('POST', 'transit/decrypt/leak', { ciphertext: enc.data.ciphertext })
  await call('POST', 'transit/keys/leak/rotate')
  await call('POST', 'transit/rewrap/leak', { ciphertext: enc.data.ciphertext })
  const batch = await call('POST', 'transit/encrypt/leak', { batch_input: [{ plaintext: b64secret('batch one') }, { plaintext: b64secret('batch two') }] })
  await call('POST', 'transit/decrypt/leak', { batch_input: batch.data.batch_results.map((r: any) => ({ ciphertext: r.ciphertext })) })
  const ctx = b64secret('derivation context')
  const derived = await call('POST', 'transit/encrypt/leak-derived', { plaintext: b64secret('derived plaintext'), context: ctx })
  await call('POST', 'transit/decrypt/leak-derived', { ciphertext: derived.data.ciphertext, context: ctx })
  for (const kind of ['plaintext', 'wrapped']) {
    const dk = await call('POST', `transit/datakey/${kind}/leak`, { bits: 256 })
    if (dk?.data?.plaintext !== undefined) secrets.set(`datakey ${kind}`, dk.data.plaintext)
  }
  const mac = await call('POST', 'transit/hmac/leak-hmac', { input: b64secret('hmac input') })
  if (mac?.data?.hmac !== undefined) secrets.set('hmac value', mac.data.hmac.replace(/^vault:v\d+:/, ''))
  await call('POST', 'transit/verify/leak-hmac', { input: secrets.get('hmac input'), hmac: mac?.data?.hmac })
  const sig = await call('POST', 'transit/sign/leak-ed', { input: b64secret('signing input') })
  await call('POST', 'transit/verify/leak-ed', { input: secrets.get('signing input'), signature: sig?.data?.signature })
  await call('POST', 'transit/hash', { input: b64secret('hash input') })
  for (const [type, key] of [['encryption-key', 'leak'], ['signing-key', 'leak-ed'], ['hmac-key', 'leak-hmac']]) {
    const exported = await call('GET', `transit/export/${type}/${key}`)
    for (const [v, material] of Object.entries(exported?.data?.keys ?? {})) secrets.set(`exported ${type} v${v}`, String(material))
  }
  const backup = await call('GET', 'transit/backup/leak')
  if (backup?.data?.backup !== undefined) {
    secrets.set('backup', backup.data.backup)
    await call('POST', 'transit/restore/leak-restored', { backup: backup.data.backup })
  }
  t.ok(secrets.has('exported encryption-key v1') && secrets.has('backup'), 'key material was exported and backed up')

  // Tokens: ids and accessors, used, looked up, renewed, revoked.
  await call('POST', 'sys/policies/acl/leak', { policy: 'path "secret/data/app" { capabilities = ["read"] }' })
  const tokens: Array<{ id: string, accessor: string }> = []
  for (let i = 0; i < 4; i++) {
    const c = await call('POST', 'auth/token/create', { policies: ['leak'], ttl: '1h', meta: { owner: 'scan' } })
    tokens.push({ id: c.auth.client_token, accessor: c.auth.accessor })
    secrets.set(`token ${i}`, c.auth.client_token)
    secrets.set(`accessor ${i}`, c.auth.accessor)
  }
  const custom = secret('custom token id', 'hvs.custom')
  await call('POST', 'auth/token/create-orphan', { id: custom, policies: ['default'] })
  await call('GET', 'secret/data/app', undefined, tokens[0].id)
  await call('GET', 'hzkv1/app', undefined, tokens[0].id)
  await call('POST', 'auth/token/lookup', { token: tokens[1].id })
  await call('GET', 'auth/token/lookup-self', undefined, tokens[1].id)
  await call('POST', 'auth/token/lookup-accessor', { accessor: tokens[1].accessor })
  await call('POST', 'auth/token/renew', { token: tokens[1].id, increment: '2h' })
  await call('POST', 'auth/token/renew-self', {}, tokens[2].id)
  await call('POST', 'sys/capabilities', { token: tokens[2].id, paths: ['secret/data/app'] })
  await call('POST', 'sys/capabilities-accessor', { accessor: tokens[2].accessor, paths: ['secret/data/app'] })
  await call('POST', 'auth/token/roles/leak-role', { allowed_policies: ['leak'] })
  const fromRole = await call('POST', 'auth/token/create/leak-role', {})
  if (fromRole?.auth !== undefined) secrets.set('role token', fromRole.auth.client_token)
  const limited = await call('POST', 'auth/token/create', { policies: ['leak'], num_uses: 1 })
  secrets.set('limited token', limited.auth.client_token)
  await call('GET', 'secret/data/app', undefined, limited.auth.client_token)
  await call('GET', 'secret/data/app', undefined, limited.auth.client_token)
  await call('POST', 'auth/token/revoke-accessor', { accessor: tokens[3].accessor })
  await call('POST', 'auth/token/revoke', { token: tokens[2].id })
  await call('POST', 'auth/token/revoke-self', {}, tokens[1].id)
  await call('LIST', 'auth/token/accessors')

  // Errors around secrets: wrong tokens, wrong keys, wrong types, bad JSON.
  await call('GET', 'secret/data/app', undefined, tokens[1].id)
  await call('GET', 'secret/data/app', undefined, secret('unknown token', 'hvs.unknown'))
  await call('GET', 'secret/data/app', undefined, '', { authorization: `Bearer ${tokens[2].id}` })
  await call('POST', 'transit/decrypt/leak-ed', { ciphertext: enc.data.ciphertext })
  await call('POST', 'transit/decrypt/leak-derived', { ciphertext: derived.data.ciphertext, context: b64secret('wrong context') })
  await call('POST', 'transit/decrypt/leak', { ciphertext: `vault:v1:${secrets.get('plaintext one') ?? ''}` })
  await call('POST', 'transit/encrypt/leak', { plaintext: `not base64 ${secret('bad plaintext')}` })
  await call('POST', 'transit/encrypt/leak', { plaintext: { wrapped: secret('plaintext in a map') } })
  await call('POST', 'transit/encrypt/leak', { plaintext: b64secret('with bad version'), key_version: 99 })
  await call('POST', 'transit/restore/leak', { backup: secrets.get('backup') })
  await call('POST', 'transit/restore/leak-bad', { backup: Buffer.from(`{"policy":"${secret('garbage backup')}"}`).toString('base64') })
  await call('GET', 'transit/export/encryption-key/leak-derived')
  await call('POST', 'secret/data/app', { options: { cas: 1 }, data: { password: secret('kv2 cas mismatch') } })
  await call('POST', 'secret/data/app', { data: secret('kv2 data not a map') })
  await call('POST', 'auth/token/create', { id: custom })
  await call('POST', 'auth/token/lookup', { token: secret('lookup unknown', 'hvs.nope') })
  await call('POST', 'auth/token/revoke-accessor', { accessor: secret('unknown accessor') })
  await call('POST', 'secret/data/app', `{"data":{"password":"${secret('kv2 broken json')}"`)
  await call('POST', 'secret/data/app', `{"data":{"password":"${secret('kv2 trailing garbage')}"}}x`)
  await call('POST', 'sys/policies/acl/broken', { policy: `path "x" { capabilities = ["${secret('policy with a secret')}"] ` })

  // Hostile input on the same server, into the same log.
  const pools = await collectPools(server.address, ROOT)
  pools.tokens.push(...tokens.map((tk) => tk.id))
  pools.accessors.push(...tokens.map((tk) => tk.accessor))
  const fuzz = await runFuzz(loadEndpoints(), pools, { address: server.address, seed: 777, count: 300, concurrency: 8 })
  t.equal(fuzz.failures.length, 0, 'the fuzz burst found nothing either')
  n += fuzz.requests

  t.comment(`log scan: ${n} requests, ${lines.length} log lines, ${errors.length} error bodies, ${secrets.size} secrets`)
  const messages = new Map<string, number>()
  for (const l of lines) { const m = /"msg":"([^"]*)"/.exec(l)?.[1] ?? '?'; messages.set(m, (messages.get(m) ?? 0) + 1) }
  t.comment(`log messages: ${[...messages].map(([m, c]) => `${m} x${c}`).join('; ')}`)
  t.ok(lines.some((l) => l.includes('"level":20')), 'debug lines were captured')
  t.ok(lines.length > n, 'at least one line per request')

  const inLogs: string[] = []
  for (const line of lines) {
    const found = findSecrets(line, secrets)
    if (found.length > 0) inLogs.push(`${found.join(', ')} in ${line.slice(0, 300)}`)
  }
  t.same(inLogs, [], 'no log line holds a secret')

  const inErrors: string[] = []
  for (const e of errors) {
    const found = findSecrets(e.text, secrets).filter((label) => {
      // Vault's conversion errors quote the value the request itself sent.
      const echoedOwn = /error converting input for field/.test(e.text) && forms(secrets.get(label) ?? '').some((f) => e.sent.includes(f))
      return !echoedOwn
    })
    if (found.length > 0) inErrors.push(`${e.call} -> ${e.status} ${found.join(', ')} in ${e.text.slice(0, 300)}`)
  }
  t.same(inErrors, [], 'no error body holds a secret it was not sent')
})
