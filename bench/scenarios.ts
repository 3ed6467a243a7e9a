/**
 * The benchmark scenarios and the state they need on each target: a transit
 * mount with one aes256-gcm96 key, a KV v2 mount with one secret, and
 * ciphertexts to decrypt. Mount paths carry a random suffix so a run never
 * touches a shared server's own mounts, and are removed afterwards.
 */
import { randomBytes } from 'node:crypto'
import { request } from 'undici'
import type { LoadRequest } from './load.js'
import type { Target } from './targets.js'

export interface Scenario {
  id: string
  title: string
  requests: (ctx: BenchContext) => LoadRequest[]
  /** Whether a 2xx body is what this scenario should produce. */
  check: (body: Record<string, unknown>) => boolean
}

export interface BenchContext {
  transit: string
  kv: string
  ciphertext32: string
  ciphertext4k: string
}

// Fixed for the run, so every target encrypts the same bytes.
const PLAINTEXT_32 = randomBytes(32).toString('base64')
const PLAINTEXT_4K = randomBytes(4096).toString('base64')
const KV_SECRET = {
  username: 'app',
  password: randomBytes(24).toString('base64'),
  url: 'postgres://db.internal:5432/app'
}

const json = (v: unknown): string => JSON.stringify(v)
/** JSON with object keys sorted, to compare documents whatever their key order. */
const canonical = (v: unknown): string => JSON.stringify(v, (_k, val: unknown) =>
  val !== null && typeof val === 'object' && !Array.isArray(val)
    ? Object.fromEntries(Object.entries(val).sort(([a], [b]) => (a < b ? -1 : 1)))
    : val)
const data = (b: Record<string, unknown>): Record<string, unknown> =>
  (b.data ?? {}) as Record<string, unknown>
const isCiphertext = (v: unknown): boolean => typeof v === 'string' && v.startsWith('vault:v1:')

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'encrypt-32b',
    title: 'transit encrypt, 32 B',
    requests: (c) => [{ method: 'POST', path: `${c.transit}/encrypt/bench`, body: json({ plaintext: PLAINTEXT_32 }) }],
    check: (b) => isCiphertext(data(b).ciphertext)
  },
  {
    id: 'encrypt-4k',
    title: 'transit encrypt, 4 KiB',
    requests: (c) => [{ method: 'POST', path: `${c.transit}/encrypt/bench`, body: json({ plaintext: PLAINTEXT_4K }) }],
    check: (b) => isCiphertext(data(b).ciphertext)
  },
  {
    id: 'decrypt-32b',
    title: 'transit decrypt, 32 B',
    requests: (c) => [{ method: 'POST', path: `${c.transit}/decrypt/bench`, body: json({ ciphertext: c.ciphertext32 }) }],
    check: (b) => data(b).plaintext === PLAINTEXT_32
  },
  {
    id: 'decrypt-4k',
    title: 'transit decrypt, 4 KiB',
    requests: (c) => [{ method: 'POST', path: `${c.transit}/decrypt/bench`, body: json({ ciphertext: c.ciphertext4k }) }],
    check: (b) => data(b).plaintext === PLAINTEXT_4K
  },
  {
    id: 'encrypt-batch-100',
    title: 'transit batch encrypt, 100 × 32 B',
    requests: (c) => [{
      method: 'POST',
      path: `${c.transit}/encrypt/bench`,
      body: json({ batch_input: Array.from({ length: 100 }, () => ({ plaintext: PLAINTEXT_32 })) })
    }],
    check: (b) => {
      const results = data(b).batch_results
      return Array.isArray(results) && results.length === 100 &&
        results.every((r: { ciphertext?: unknown }) => isCiphertext(r.ciphertext))
    }
  },
  {
    id: 'kv-write',
    title: 'KV v2 write',
    requests: (c) => [{ method: 'POST', path: `${c.kv}/data/write`, body: json({ data: KV_SECRET }) }],
    check: (b) => typeof data(b).version === 'number'
  },
  {
    id: 'kv-read',
    title: 'KV v2 read',
    requests: (c) => [{ method: 'GET', path: `${c.kv}/data/read` }],
    check: (b) => canonical(data(b).data) === canonical(KV_SECRET)
  },
  {
    id: 'lookup-self',
    title: 'token lookup-self',
    requests: () => [{ method: 'GET', path: 'auth/token/lookup-self' }],
    check: (b) => Array.isArray(data(b).policies)
  }
]

/** One request of each single-item scenario given, for the memory phase. */
export function mixedRequests (ctx: BenchContext, scenarios: readonly Scenario[]): LoadRequest[] {
  return scenarios.filter((s) => s.id !== 'encrypt-batch-100').flatMap((s) => s.requests(ctx))
}

interface Answer {
  status: number
  body: Record<string, unknown>
}

async function call (target: Target, method: 'GET' | 'POST' | 'DELETE', path: string,
  body?: unknown): Promise<Answer> {
  const res = await request(`${target.origin}/v1/${path}`, {
    method,
    headers: { 'x-vault-token': target.token, 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
  })
  const text = await res.body.text()
  let parsed: Record<string, unknown> = {}
  try { parsed = text === '' ? {} : JSON.parse(text) } catch {}
  return { status: res.statusCode, body: parsed }
}

async function must (target: Target, method: 'GET' | 'POST' | 'DELETE', path: string,
  body?: unknown): Promise<Answer> {
  const answer = await call(target, method, path, body)
  if (answer.status < 200 || answer.status > 299) {
    throw new Error(`${target.label}: ${method} ${path} answered ${answer.status} ${JSON.stringify(answer.body)}`)
  }
  return answer
}

/**
 * Mount, create and encrypt what the scenarios need on one target. A step
 * that fails leaves its part empty; `verify` then reports which scenarios
 * cannot run there and why.
 */
export async function prepare (target: Target): Promise<BenchContext> {
  const suffix = randomBytes(3).toString('hex')
  const ctx: BenchContext = { transit: `bench-transit-${suffix}`, kv: `bench-kv-${suffix}`, ciphertext32: '', ciphertext4k: '' }
  try {
    await must(target, 'POST', `sys/mounts/${ctx.transit}`, { type: 'transit' })
    await must(target, 'POST', `${ctx.transit}/keys/bench`, { type: 'aes256-gcm96' })
    const enc32 = await must(target, 'POST', `${ctx.transit}/encrypt/bench`, { plaintext: PLAINTEXT_32 })
    const enc4k = await must(target, 'POST', `${ctx.transit}/encrypt/bench`, { plaintext: PLAINTEXT_4K })
    ctx.ciphertext32 = String(data(enc32.body).ciphertext)
    ctx.ciphertext4k = String(data(enc4k.body).ciphertext)
  } catch {}
  try {
    await must(target, 'POST', `sys/mounts/${ctx.kv}`, { type: 'kv', options: { version: '2' } })
    // A fresh KV v2 mount on Vault/OpenBao may answer 400 while it upgrades.
    const deadline = Date.now() + 10_000
    while ((await call(target, 'POST', `${ctx.kv}/data/read`, { data: KV_SECRET })).status !== 200 &&
      Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  } catch {}
  return ctx
}

/**
 * Send a scenario's requests once and check the answers, so a run never
 * times error responses: undefined when fine, else the reason.
 */
export async function verify (target: Target, ctx: BenchContext, scenario: Scenario): Promise<string | undefined> {
  for (const r of scenario.requests(ctx)) {
    const answer = await call(target, r.method, r.path, r.body)
    if (answer.status < 200 || answer.status > 299 || !scenario.check(answer.body)) {
      return `${r.method} ${r.path} answered ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`
    }
  }
  return undefined
}

/** Remove the run's mounts (best effort). */
export async function cleanup (target: Target, ctx: BenchContext): Promise<void> {
  for (const mount of [ctx.transit, ctx.kv]) {
    try { await call(target, 'DELETE', `sys/mounts/${mount}`) } catch {}
  }
}
