/**
 * Properties over real HTTP, checked with fast-check from a fixed seed
 * (FUZZ_SEED overrides it; a failure prints the seed and the shrunk
 * counterexample): any bytes survive an encrypt/decrypt round trip, any
 * string that is not a ciphertext is refused with a 400, any JSON object
 * written to KV reads back equal, and any base64 junk in a plaintext or
 * context is a 400, never a 5xx.
 */
import t from 'tap'
import fc from 'fast-check'
import { Agent, request } from 'undici'
import { startServer, type RunningServer } from '../../src/index.js'

const seed = Number(process.env.FUZZ_SEED ?? 20251203)
const agent = new Agent({ connections: 4 })
t.teardown(async () => await agent.close())

async function call (server: RunningServer, method: string, path: string, body?: unknown): Promise<{ status: number, json: any }> {
  const res = await request(`${server.address}/v1/${path}`, {
    method: method as 'GET',
    headers: { 'x-vault-token': server.rootToken },
    body: body === undefined ? undefined : JSON.stringify(body),
    dispatcher: agent
  })
  const text = await res.body.text()
  return { status: res.statusCode, json: text === '' ? undefined : JSON.parse(text) }
}

t.test('transit and KV properties', async (t) => {
  const server = await startServer({ rootToken: 'root', mounts: ['transit'] })
  t.teardown(() => server.close())
  const ctx = Buffer.from('property context').toString('base64')
  for (const [name, spec] of [['p-aes', {}], ['p-chacha', { type: 'chacha20-poly1305' }], ['p-derived', { derived: true }], ['p-aes128', { type: 'aes128-gcm96' }]] as const) {
    t.ok((await call(server, 'POST', `transit/keys/${name}`, spec)).status < 300, `key ${name} created`)
  }
  await call(server, 'POST', 'transit/keys/p-aes/rotate')
  const runs = { seed, numRuns: Number(process.env.PROPERTY_RUNS ?? 150), verbose: 1 as const }
  let requests = 0

  await t.test('any bytes round-trip through encrypt and decrypt', async (t) => {
    await fc.assert(fc.asyncProperty(
      fc.uint8Array({ maxLength: 2048 }), fc.constantFrom('p-aes', 'p-chacha', 'p-derived', 'p-aes128'), fc.boolean(),
      async (bytes, key, batch) => {
        const plaintext = Buffer.from(bytes).toString('base64')
        const extra = key === 'p-derived' ? { context: ctx } : {}
        requests += 2
        if (batch) {
          const enc = await call(server, 'POST', `transit/encrypt/${key}`, { batch_input: [{ plaintext, ...extra }, { plaintext, ...extra }] })
          const cts = enc.json.data.batch_results.map((r: any) => ({ ciphertext: r.ciphertext, ...extra }))
          const dec = await call(server, 'POST', `transit/decrypt/${key}`, { batch_input: cts })
          return dec.status === 200 && dec.json.data.batch_results.every((r: any) => (r.plaintext ?? '') === plaintext)
        }
        const enc = await call(server, 'POST', `transit/encrypt/${key}`, { plaintext, ...extra })
        const dec = await call(server, 'POST', `transit/decrypt/${key}`, { ciphertext: enc.json.data.ciphertext, ...extra })
        return enc.status === 200 && dec.status === 200 && (dec.json.data.plaintext ?? '') === plaintext
      }), runs)
    t.pass('round trips hold')
  })

  await t.test('a string that is not one of our ciphertexts is a 400', async (t) => {
    const real = (await call(server, 'POST', 'transit/encrypt/p-aes', { plaintext: 'aGVsbG8=' })).json.data.ciphertext as string
    const junk = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.uint8Array({ maxLength: 64 }).map((b) => `vault:v1:${Buffer.from(b).toString('base64')}`),
      fc.tuple(fc.nat({ max: real.length - 1 }), fc.constantFrom('A', 'z', '+', '/', '=', ':', ' '))
        .map(([i, c]) => real.slice(0, i) + c + real.slice(i + 1))
        .filter((s) => s !== real),
      fc.constantFrom('vault:v0:AAAA', 'vault:v3:' + real.slice(9), 'vault:v-1:AAAA', 'vault:v1:', 'vault:', real.slice(9))
    )
    await fc.assert(fc.asyncProperty(junk, fc.constantFrom('p-aes', 'p-chacha', 'p-derived'), async (ciphertext, key) => {
      requests++
      const res = await call(server, 'POST', `transit/decrypt/${key}`, { ciphertext, ...(key === 'p-derived' ? { context: ctx } : {}) })
      return res.status === 400 && typeof res.json.errors?.[0] === 'string' && res.json.errors[0] !== ''
    }), runs)
    t.pass('junk ciphertexts are refused')
  })

  await t.test('junk base64 in plaintext or context is a 4xx, never a 5xx', async (t) => {
    const notBase64 = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0)
    await fc.assert(fc.asyncProperty(notBase64, fc.constantFrom('plaintext', 'context'), async (value, field) => {
      requests++
      const body = field === 'plaintext' ? { plaintext: value } : { plaintext: 'aGk=', context: value }
      const res = await call(server, 'POST', 'transit/encrypt/p-derived', body)
      return res.status === 400
    }), runs)
    t.pass('junk base64 is refused')
  })

  await t.test('any JSON object written to KV v2 and v1 reads back equal', async (t) => {
    await call(server, 'POST', 'sys/mounts/p-kv1', { type: 'kv', options: { version: '1' } })
    const data = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 4 }), { minKeys: 1, maxKeys: 8 })
      .filter((d) => !Object.keys(d).includes('__proto__'))
    let i = 0
    await fc.assert(fc.asyncProperty(data, async (d) => {
      const path = `prop-${i++}`
      requests += 4
      const w2 = await call(server, 'POST', `secret/data/${path}`, { data: d })
      const r2 = await call(server, 'GET', `secret/data/${path}`)
      const w1 = await call(server, 'POST', `p-kv1/${path}`, d)
      const r1 = await call(server, 'GET', `p-kv1/${path}`)
      // Go writes map keys sorted, and -0 as 0: compare canonical forms.
      const canon = (v: unknown): unknown => Array.isArray(v)
        ? v.map(canon)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon((v as Record<string, unknown>)[k])]))
          : Object.is(v, -0) ? 0 : v
      const norm = (v: unknown): string => JSON.stringify(canon(v))
      return w2.status === 200 && w1.status === 204 && norm(r2.json.data.data) === norm(d) && norm(r1.json.data) === norm(d)
    }), runs)
    t.pass('KV keeps what it is given')
  })

  t.comment(`properties: sent ${requests} requests (seed ${seed})`)
})
