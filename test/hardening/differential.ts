/**
 * Differential fuzzing against a real server: the same generated requests
 * go to localvault (OpenBao flavor) and to OpenBao, and every difference in
 * status code (and error text) is reported, grouped. Not part of CI: it
 * needs a real server.
 *
 *   BAO_ADDR=http://127.0.0.1:8300 BAO_TOKEN=root FUZZ_SEED=1 FUZZ_COUNT=3000 \
 *     node dist/test/hardening/differential.js
 *
 * The real server may be shared, so only requests that cannot disturb it
 * are sent: reads of any path, and writes only under the fixtures' own
 * names (fz keys and secrets, the hzkv1/ and hzkv2/ mounts, cubbyhole,
 * token lookups and creation). Nothing is ever revoked, mounted,
 * unmounted, configured or deleted outside those names. Pools hold no real
 * ciphertexts or accessors (they would differ between the two servers).
 */
import fc from 'fast-check'
import { request } from 'undici'
import { fuzzCase, type FuzzCase } from './lib/cases.js'
import { loadEndpoints } from './lib/endpoints.js'
import { SEED, SEED_TOKENS, startHardened, type Pools } from './lib/fixture.js'
import { rawExchange, type RawResponse } from './lib/raw-http.js'

// A script, not a test: when a test runner picks it up, do nothing.
if (process.env.TAP_CHILD_ID !== undefined) {
  process.stdout.write('# skip: run with `node dist/test/hardening/differential.js`\n')
  process.exit(0)
}

const BAO = process.env.BAO_ADDR ?? 'http://127.0.0.1:8300'
const BAO_TOKEN = process.env.BAO_TOKEN ?? 'root'
const seed = Number(process.env.FUZZ_SEED ?? 1)
const count = Number(process.env.FUZZ_COUNT ?? 2000)

async function bao (method: string, path: string, body?: unknown): Promise<{ status: number, json: any }> {
  const res = await request(`${BAO}/v1/${path}`, { method: method as 'GET', headers: { 'x-vault-token': BAO_TOKEN }, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await res.body.text()
  let json: unknown
  try { json = JSON.parse(text) } catch {}
  return { status: res.statusCode, json }
}

/** Create on the real server whatever of the fixture is missing (never deletes anything). */
async function prepareBao (): Promise<void> {
  if (BAO_TOKEN !== 'root') throw new Error('the fixture tokens need the root token')
  const mounts = (await bao('GET', 'sys/mounts')).json.data as Record<string, unknown>
  for (const [path, type] of Object.entries(SEED.mounts)) {
    if (mounts[`${path}/`] !== undefined) continue
    const version = type === 'kv-v1' ? '1' : type === 'kv-v2' ? '2' : undefined
    await bao('POST', `sys/mounts/${path}`, { type: version === undefined ? type : 'kv', options: version === undefined ? undefined : { version } })
  }
  for (const [name, policy] of Object.entries(SEED.policies)) await bao('POST', `sys/policies/acl/${name}`, { policy })
  for (const [name, spec] of Object.entries(SEED.transit['transit/'])) {
    if ((await bao('GET', `transit/keys/${name}`)).status === 200) continue
    const { versions, deletion_allowed: _d, ...create } = (spec ?? {}) as Record<string, unknown>
    await bao('POST', `transit/keys/${name}`, create)
    for (let v = 1; v < Number(versions ?? 1); v++) await bao('POST', `transit/keys/${name}/rotate`)
  }
  for (const [mount, secrets] of Object.entries(SEED.kv)) {
    for (const [path, s] of Object.entries(secrets as Record<string, { versions?: unknown[], data?: unknown }>)) {
      const v2 = mount !== 'hzkv1'
      if ((await bao('GET', v2 ? `${mount}/data/${path}` : `${mount}/${path}`)).status === 200) continue
      for (const data of s.versions ?? [s.data]) await bao('POST', v2 ? `${mount}/data/${path}` : `${mount}/${path}`, v2 ? { data } : data)
    }
  }
  for (const tk of SEED.tokens) {
    if ((await bao('POST', 'auth/token/lookup', { token: tk.id })).status === 200) continue
    const { orphan, ...fields } = tk as Record<string, unknown>
    await bao('POST', orphan === false ? 'auth/token/create' : 'auth/token/create-orphan', fields)
  }
}

const WRITE_OK = /^\/v1\/(transit\/(encrypt|decrypt|rewrap|hmac|sign|verify|hash|random|datakey)(\/|$)|secret\/(data|metadata|delete|undelete|destroy|subkeys)\/fz|hzkv1\/|hzkv2\/|cubbyhole\/|auth\/token\/(lookup|lookup-self|lookup-accessor|create|create-orphan)(\/|$|\?)|sys\/capabilities)/
const READ_METHODS = new Set(['GET', 'HEAD', 'LIST', 'OPTIONS'])
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** Whether a case is safe to send to a shared real server. */
function safe (c: FuzzCase): boolean {
  for (const r of c.requests) {
    const line = r.toString('latin1', 0, Math.min(r.length, 200_000)).split('\r\n')[0]
    const [method = '', target = ''] = line.split(' ')
    if (/revoke|tidy|seal|rotate|restore|import|trim|config|roles|mounts|sys\/auth|polic|remount|wrapping|_localvault/i.test(target)) {
      if (!READ_METHODS.has(method)) return false
    }
    if (READ_METHODS.has(method)) continue
    // A method Go cannot parse or does not serve never reaches a handler.
    if (!WRITE_METHODS.has(method)) continue
    if (/\.\.|%2e|%2f|\/\/|\\|%5c/i.test(target)) return false
    if (!WRITE_OK.test(target)) return false
  }
  return true
}

function errorsOf (r: RawResponse): string {
  try {
    const e = JSON.parse(r.body.toString()).errors
    return Array.isArray(e) ? JSON.stringify(e) : ''
  } catch { return '' }
}

const { server } = await startHardened({ flavor: 'openbao' })
try {
  await prepareBao()
  const pools: Pools = {
    keyNames: Object.keys(SEED.transit['transit/']),
    kvPaths: ['fz', 'fz/sub/leaf', 'fz/sub/', 'missing', 'a/b/c'],
    // Ciphertexts that neither server made: both must refuse them alike.
    ciphertexts: ['vault:v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==', 'vault:v2:aGVsbG8gd29ybGQgaGVsbG8gd29ybGQ=', 'vault:v1:'],
    derivedCiphertexts: [],
    signatures: ['vault:v1:AAAA'],
    hmacs: ['vault:v1:AAAA'],
    tokens: ['root', ...Object.values(SEED_TOKENS)],
    accessors: ['nope']
  }
  const arb = fuzzCase(loadEndpoints('openbao'), pools)
  const byStatus = new Map<string, string[]>()
  const byText = new Map<string, string[]>()
  let sent = 0
  let skipped = 0
  for (let b = 0; b * 250 < count; b++) {
    const cases = fc.sample(arb, { seed: seed + b, numRuns: Math.min(250, count - b * 250) })
    for (const [i, c] of cases.entries()) {
      if (c.requests.length !== 1 || !safe(c)) { skipped++; continue }
      const [ours, theirs] = await Promise.all([rawExchange(server.address, c.requests[0], 15_000), rawExchange(BAO, c.requests[0], 15_000)])
      sent++
      const line = c.requests[0].toString('latin1').split('\r\n')[0]
      const show = `${seed + b}:${i} ${line.slice(0, 160)}`
      if (ours.status !== theirs.status) {
        const key = `${c.kind} ${theirs.status} vs ${ours.status}`
        byStatus.set(key, [...(byStatus.get(key) ?? []), `${show}\n      bao: ${theirs.body.toString().slice(0, 200)}\n      ours: ${ours.body.toString().slice(0, 200)}`])
      } else if (errorsOf(ours) !== errorsOf(theirs)) {
        const key = `${theirs.status} ${errorsOf(theirs).replace(/\d+/g, 'N').slice(0, 120)}`
        byText.set(key, [...(byText.get(key) ?? []), `${show}\n      bao:  ${errorsOf(theirs).slice(0, 300)}\n      ours: ${errorsOf(ours).slice(0, 300)}`])
      }
    }
  }
  process.stdout.write(`differential: sent ${sent} requests to each server (${skipped} cases skipped as unsafe for a shared server)\n`)
  process.stdout.write(`\n== status differences (real server's status vs ours): ${[...byStatus.values()].reduce((n, l) => n + l.length, 0)}\n`)
  for (const [key, list] of [...byStatus].sort((a, b) => b[1].length - a[1].length)) {
    process.stdout.write(`\n${list.length} x ${key}\n    ${list.slice(0, 3).join('\n    ')}\n`)
  }
  process.stdout.write(`\n== same status, different error text: ${[...byText.values()].reduce((n, l) => n + l.length, 0)}\n`)
  for (const [key, list] of [...byText].sort((a, b) => b[1].length - a[1].length).slice(0, 40)) {
    process.stdout.write(`\n${list.length} x ${key}\n    ${list.slice(0, 2).join('\n    ')}\n`)
  }
} finally {
  await server.close()
}
