/**
 * Many requests on one object at once, over real HTTP with enough
 * connections that they interleave in the server: KV writers with and
 * without check-and-set, Transit rotations racing encryptions, and child
 * tokens created while their parent is revoked. Nothing may be lost, torn
 * or left half-done, and no promise may be rejected unhandled.
 * CONCURRENCY_SCALE multiplies the number of parallel requests.
 */
import t, { type Test } from 'tap'
import { Agent, request } from 'undici'
import { startServer, type RunningServer } from '../../src/index.js'

const SCALE = Number(process.env.CONCURRENCY_SCALE ?? 1)
const agent = new Agent({ connections: 64, pipelining: 1 })
t.teardown(async () => await agent.close())

const unhandled: unknown[] = []
const onUnhandled = (err: unknown): void => { unhandled.push(err) }
process.on('unhandledRejection', onUnhandled)
t.teardown(() => { process.off('unhandledRejection', onUnhandled) })

interface Answer { status: number, json: any, text: string }

async function call (server: RunningServer, method: string, path: string, body?: unknown, token = server.rootToken): Promise<Answer> {
  const res = await request(server.address + path, {
    method: method as 'GET',
    headers: { 'x-vault-token': token },
    body: body === undefined ? undefined : JSON.stringify(body),
    dispatcher: agent
  })
  const text = await res.body.text()
  let json: unknown
  try { json = text === '' ? undefined : JSON.parse(text) } catch { json = undefined }
  return { status: res.statusCode, json, text }
}

async function start (t: Test): Promise<RunningServer> {
  const server = await startServer({ rootToken: 'root', mounts: ['transit', 'kv1=kv-v1'] })
  t.teardown(() => server.close())
  return server
}

t.test('KV v2: parallel writers without cas lose no version', async (t) => {
  const server = await start(t)
  const n = 64 * SCALE
  await call(server, 'POST', '/v1/secret/metadata/race', { max_versions: n + 10 })
  const answers = await Promise.all(Array.from({ length: n }, async (_, i) =>
    await call(server, 'POST', '/v1/secret/data/race', { data: { writer: i, pad: `w${i}-`.repeat(20) } })))
  t.same(answers.filter((a) => a.status !== 200).map((a) => a.text), [], 'every write succeeded')
  const versions = answers.map((a) => a.json.data.version as number).sort((a, b) => a - b)
  t.same(versions, Array.from({ length: n }, (_, i) => i + 1), 'each write got its own version, 1..n')

  const meta = await call(server, 'GET', '/v1/secret/metadata/race')
  t.equal(meta.json.data.current_version, n)
  t.equal(Object.keys(meta.json.data.versions).length, n)
  // Each version holds exactly the data of the writer it was reported to.
  const seen = new Set<number>()
  await Promise.all(answers.map(async (a, i) => {
    const r = await call(server, 'GET', `/v1/secret/data/race?version=${a.json.data.version as number}`)
    if (r.json.data.data.writer !== i || r.json.data.data.pad !== `w${i}-`.repeat(20)) t.fail(`version ${a.json.data.version as number} holds ${r.text}`)
    seen.add(r.json.data.data.writer)
  }))
  t.equal(seen.size, n, 'every writer\'s data is stored, none torn')
})

t.test('KV v2: parallel writers with cas: exactly one wins each round', async (t) => {
  const server = await start(t)
  const n = 32 * SCALE
  const rounds = 8
  for (let round = 0; round < rounds; round++) {
    const answers = await Promise.all(Array.from({ length: n }, async (_, i) =>
      await call(server, 'POST', '/v1/secret/data/cas', { options: { cas: round }, data: { round, writer: i } })))
    const won = answers.filter((a) => a.status === 200)
    t.equal(won.length, 1, `round ${round}: one write wins`)
    const lost = answers.filter((a) => a.status !== 200)
    t.ok(lost.every((a) => a.status === 400 && a.json.errors[0].includes('check-and-set parameter did not match the current version')),
      `round ${round}: the others get Vault's cas error`)
    t.equal(won[0]?.json.data.version, round + 1)
  }
  const latest = await call(server, 'GET', '/v1/secret/data/cas')
  t.equal(latest.json.data.data.round, rounds - 1)
  t.equal(latest.json.data.metadata.version, rounds)
})

t.test('KV v2: cas_required writers and deletes interleaved keep the metadata consistent', async (t) => {
  const server = await start(t)
  await call(server, 'POST', '/v1/secret/metadata/mixed', { cas_required: true, max_versions: 500 })
  const n = 48 * SCALE
  const answers = await Promise.all(Array.from({ length: n }, async (_, i) => {
    if (i % 4 === 3) return await call(server, 'POST', '/v1/secret/delete/mixed', { versions: [1, 2, 3] })
    const cur = await call(server, 'GET', '/v1/secret/metadata/mixed')
    return await call(server, 'POST', '/v1/secret/data/mixed', { options: { cas: cur.json.data.current_version }, data: { i } })
  }))
  t.same(answers.filter((a) => a.status >= 500).map((a) => a.text), [], 'no 5xx')
  const wins = answers.filter((a) => a.status === 200 && a.json.data?.version !== undefined).length
  const meta = await call(server, 'GET', '/v1/secret/metadata/mixed')
  t.equal(meta.json.data.current_version, wins, 'current_version counts exactly the writes that succeeded')
  t.equal(Object.keys(meta.json.data.versions).length, wins)
})

t.test('KV v1: parallel overwrites leave one whole value, never a mix', async (t) => {
  const server = await start(t)
  const n = 64 * SCALE
  const answers = await Promise.all(Array.from({ length: n }, async (_, i) =>
    await call(server, 'POST', '/v1/kv1/race', Object.fromEntries(Array.from({ length: 30 }, (_, k) => [`f${k}`, i])))))
  t.ok(answers.every((a) => a.status === 204), 'every write answered 204')
  const r = await call(server, 'GET', '/v1/kv1/race')
  const values = new Set(Object.values(r.json.data))
  t.equal(values.size, 1, 'all 30 fields come from the same writer')
  t.equal(Object.keys(r.json.data).length, 30)
})

t.test('Transit: rotations racing encryptions; every ciphertext decrypts', async (t) => {
  const server = await start(t)
  for (const type of ['aes256-gcm96', 'chacha20-poly1305']) {
    const key = `race-${type}`
    await call(server, 'POST', `/v1/transit/keys/${key}`, { type })
    const rotations = 20 * SCALE
    const encryptions = 120 * SCALE
    const jobs: Array<Promise<{ kind: 'rotate' | 'encrypt', i: number, a: Answer }>> = []
    for (let i = 0; i < encryptions; i++) {
      jobs.push(call(server, 'POST', `/v1/transit/encrypt/${key}`, { plaintext: Buffer.from(`secret-${i}`).toString('base64') })
        .then((a) => ({ kind: 'encrypt' as const, i, a })))
      if (i % (encryptions / rotations) === 0) {
        jobs.push(call(server, 'POST', `/v1/transit/keys/${key}/rotate`).then((a) => ({ kind: 'rotate' as const, i, a })))
      }
    }
    const done = await Promise.all(jobs)
    t.same(done.filter((d) => d.a.status !== 200).map((d) => `${d.kind} ${d.a.status} ${d.a.text}`), [], `${type}: every request succeeded`)
    const info = await call(server, 'GET', `/v1/transit/keys/${key}`)
    t.equal(info.json.data.latest_version, 1 + rotations, `${type}: each rotation made exactly one version`)
    t.equal(Object.keys(info.json.data.keys).length, 1 + rotations)

    const cts = done.filter((d) => d.kind === 'encrypt')
    const versions = new Set(cts.map((d) => Number(/^vault:v(\d+):/.exec(d.a.json.data.ciphertext)?.[1])))
    t.ok(versions.size > 1, `${type}: encryptions used ${versions.size} key versions`)
    const decrypted = await Promise.all(cts.map(async (d) => ({ d, r: await call(server, 'POST', `/v1/transit/decrypt/${key}`, { ciphertext: d.a.json.data.ciphertext }) })))
    const bad = decrypted.filter(({ d, r }) => r.status !== 200 || Buffer.from(r.json.data.plaintext, 'base64').toString() !== `secret-${d.i}`)
    t.same(bad.map(({ d, r }) => `${d.a.json.data.ciphertext as string} -> ${r.text}`), [], `${type}: all ${cts.length} ciphertexts decrypt to their plaintext`)

    // Rewrap everything while rotating again: still all decryptable.
    const more = await Promise.all([
      ...cts.map(async (d) => await call(server, 'POST', `/v1/transit/rewrap/${key}`, { ciphertext: d.a.json.data.ciphertext })),
      ...Array.from({ length: 5 }, async () => await call(server, 'POST', `/v1/transit/keys/${key}/rotate`))
    ])
    t.ok(more.every((a) => a.status === 200), `${type}: rewraps and rotations succeeded`)
    const rewrapped = more.slice(0, cts.length)
    const again = await Promise.all(rewrapped.map(async (a) => await call(server, 'POST', `/v1/transit/decrypt/${key}`, { ciphertext: a.json.data.ciphertext })))
    t.ok(again.every((r, i) => r.status === 200 && Buffer.from(r.json.data.plaintext, 'base64').toString() === `secret-${cts[i].i}`), `${type}: rewrapped ciphertexts decrypt`)
  }
})

t.test('Transit: parallel creation of one key yields one key', async (t) => {
  const server = await start(t)
  const answers = await Promise.all(Array.from({ length: 32 * SCALE }, async () => await call(server, 'POST', '/v1/transit/keys/once', { type: 'ed25519' })))
  t.same(answers.filter((a) => a.status >= 300).map((a) => a.text), [], 'every create answered 2xx')
  const info = await call(server, 'GET', '/v1/transit/keys/once')
  t.equal(info.json.data.latest_version, 1, 'one version, not one per request')
  const pub = info.json.data.keys['1'].public_key
  const sigs = await Promise.all(Array.from({ length: 16 }, async () => await call(server, 'POST', '/v1/transit/sign/once', { input: 'aGk=' })))
  const verify = await Promise.all(sigs.map(async (s) => await call(server, 'POST', '/v1/transit/verify/once', { input: 'aGk=', signature: s.json.data.signature })))
  t.ok(verify.every((v) => v.json?.data?.valid === true), 'every signature verifies with the one key')
  t.equal((await call(server, 'GET', '/v1/transit/keys/once')).json.data.keys['1'].public_key, pub, 'the key did not change')
})

t.test('Tokens: children created while the parent is revoked do not outlive it', async (t) => {
  const server = await start(t)
  for (let round = 0; round < 5; round++) {
    const parent = await call(server, 'POST', '/v1/auth/token/create', { policies: ['default'], ttl: '1h' })
    const p = parent.json.auth.client_token as string
    const n = 40 * SCALE
    const jobs: Array<Promise<Answer>> = []
    for (let i = 0; i < n; i++) {
      jobs.push(call(server, 'POST', '/v1/auth/token/create', { policies: ['default'] }, p))
      if (i === Math.floor(n / 2)) jobs.push(call(server, 'POST', '/v1/auth/token/revoke', { token: p }))
    }
    const answers = await Promise.all(jobs)
    t.same(answers.filter((a) => a.status >= 500).map((a) => a.text), [], `round ${round}: no 5xx`)
    t.ok(answers.every((a) => a.status === 200 || a.status === 204 || a.status === 403), `round ${round}: only created, revoked or refused`)
    const children = answers.filter((a) => a.status === 200).map((a) => a.json.auth.client_token as string)
    const alive = await Promise.all(children.map(async (c) => await call(server, 'GET', '/v1/auth/token/lookup-self', undefined, c)))
    t.same(alive.filter((a) => a.status === 200).map((a) => a.json.data.id), [], `round ${round}: none of ${children.length} children outlives the revoked parent`)
    t.equal((await call(server, 'GET', '/v1/auth/token/lookup-self', undefined, p)).status, 403, 'the parent is gone')
  }
})

t.test('Tokens: parallel creation and revocation by accessor leave no dangling accessor', async (t) => {
  const server = await start(t)
  const n = 40 * SCALE
  const created = await Promise.all(Array.from({ length: n }, async () => await call(server, 'POST', '/v1/auth/token/create', { policies: ['default'] })))
  const accessors = created.map((c) => c.json.auth.accessor as string)
  const revoked = await Promise.all([
    ...accessors.filter((_, i) => i % 2 === 0).map(async (a) => await call(server, 'POST', '/v1/auth/token/revoke-accessor', { accessor: a })),
    ...Array.from({ length: n / 2 }, async () => await call(server, 'POST', '/v1/auth/token/create', { policies: ['default'] }))
  ])
  t.same(revoked.filter((a) => a.status >= 300 && a.status !== 204).map((a) => a.text), [], 'every revoke and create succeeded')
  const list = await call(server, 'LIST', '/v1/auth/token/accessors')
  const listed = new Set(list.json.data.keys as string[])
  for (const [i, a] of accessors.entries()) {
    if (listed.has(a) !== (i % 2 === 1)) t.fail(`accessor ${i} listed=${listed.has(a)}`)
  }
  const lookups = await Promise.all(accessors.map(async (a) => await call(server, 'POST', '/v1/auth/token/lookup-accessor', { accessor: a })))
  t.ok(lookups.every((l, i) => (i % 2 === 0 ? l.status === 400 : l.status === 200)), 'revoked accessors are gone, the rest resolve')
})

t.test('no unhandled rejection during the races', async (t) => {
  // Let any stray rejection surface before looking.
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.same(unhandled.map(String), [])
})
