/**
 * The ceiling: a bare Fastify app doing the same work as localvault for each
 * benchmark scenario, with none of Vault's request pipeline (no mount table,
 * no ACL, no field validation, no Go-ordered JSON, no LIST socket shim).
 * Transit routes do real AES-256-GCM in Vault's ciphertext format
 * (`vault:v1:` + base64(nonce(12) ‖ ciphertext ‖ tag(16))); KV and
 * lookup-self keep their state in a Map. It answers with Vault's envelope
 * fields so response sizes match. Run: `node dist/bench/ceiling.js <port>`.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto'
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify'

const TOKEN_DATA = new Map<string, Record<string, unknown>>()
const KEYS = new Map<string, Buffer>()
const KV = new Map<string, { version: number, created: string, data: unknown }>()

// Nonces come from a pool of CSPRNG bytes refilled in bulk, never reused:
// localvault does the same, so the ceiling is not handicapped by it.
const POOL_SIZE = 64 * 1024
let pool = randomBytes(POOL_SIZE)
let poolOffset = 0

function nonce (): Buffer {
  if (poolOffset + 12 > pool.length) {
    pool = randomBytes(POOL_SIZE)
    poolOffset = 0
  }
  const out = Buffer.from(pool.subarray(poolOffset, poolOffset + 12))
  poolOffset += 12
  return out
}

function encrypt (key: Buffer, plaintextB64: string): string {
  const iv = nonce()
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const body = cipher.update(Buffer.from(plaintextB64, 'base64'))
  cipher.final()
  return 'vault:v1:' + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64')
}

function decrypt (key: Buffer, ciphertext: string): string {
  if (!ciphertext.startsWith('vault:v1:')) throw new Error('invalid ciphertext: no prefix')
  const blob = Buffer.from(ciphertext.slice(9), 'base64')
  const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12))
  decipher.setAuthTag(blob.subarray(blob.length - 16))
  const out = decipher.update(blob.subarray(12, blob.length - 16))
  decipher.final()
  return out.toString('base64')
}

function envelope (data: unknown, mountType: string): Record<string, unknown> {
  return {
    request_id: randomUUID(),
    lease_id: '',
    renewable: false,
    lease_duration: 0,
    data,
    wrap_info: null,
    warnings: null,
    auth: null,
    mount_type: mountType
  }
}

type Req = FastifyRequest<{ Params: Record<string, string>, Body: Record<string, unknown> | undefined }>

function authorised (request: Req, reply: FastifyReply): Record<string, unknown> | undefined {
  const token = request.headers['x-vault-token']
  const entry = typeof token === 'string' ? TOKEN_DATA.get(token) : undefined
  if (entry === undefined) void reply.code(403).send({ errors: ['permission denied'] })
  return entry
}

function keyFor (request: Req, reply: FastifyReply): Buffer | undefined {
  const key = KEYS.get(`${request.params.mount}/${request.params.name}`)
  if (key === undefined) void reply.code(400).send({ errors: ['encryption key not found'] })
  return key
}

export async function buildCeiling (rootToken: string): Promise<ReturnType<typeof Fastify>> {
  TOKEN_DATA.set(rootToken, {
    accessor: randomBytes(12).toString('hex'),
    creation_time: Math.floor(Date.now() / 1000),
    creation_ttl: 0,
    display_name: 'token',
    entity_id: '',
    expire_time: null,
    explicit_max_ttl: 0,
    id: rootToken,
    meta: null,
    num_uses: 0,
    orphan: true,
    path: 'auth/token/create',
    policies: ['root'],
    ttl: 0,
    type: 'service'
  })
  const app = Fastify({ logger: false, bodyLimit: 32 * 1024 * 1024 })

  app.get('/v1/sys/health', async () => ({ initialized: true, sealed: false, standby: false }))
  app.post('/v1/sys/mounts/*', async (_request, reply) => reply.code(204).send())
  app.delete('/v1/sys/mounts/*', async (_request, reply) => reply.code(204).send())

  app.post('/v1/:mount/keys/:name', async (request: Req, reply) => {
    if (authorised(request, reply) === undefined) return reply
    const id = `${request.params.mount}/${request.params.name}`
    if (!KEYS.has(id)) KEYS.set(id, randomBytes(32))
    return reply.code(204).send()
  })

  app.post('/v1/:mount/encrypt/:name', async (request: Req, reply) => {
    if (authorised(request, reply) === undefined) return reply
    const key = keyFor(request, reply)
    if (key === undefined) return reply
    const body = request.body ?? {}
    if (Array.isArray(body.batch_input)) {
      const results = (body.batch_input as Array<{ plaintext: string, reference?: string }>).map((item) => ({
        ciphertext: encrypt(key, item.plaintext),
        key_version: 1,
        reference: item.reference ?? ''
      }))
      return envelope({ batch_results: results }, 'transit')
    }
    return envelope({ ciphertext: encrypt(key, String(body.plaintext)), key_version: 1 }, 'transit')
  })

  app.post('/v1/:mount/decrypt/:name', async (request: Req, reply) => {
    if (authorised(request, reply) === undefined) return reply
    const key = keyFor(request, reply)
    if (key === undefined) return reply
    try {
      return envelope({ plaintext: decrypt(key, String(request.body?.ciphertext)) }, 'transit')
    } catch (err) {
      return reply.code(400).send({ errors: [(err as Error).message] })
    }
  })

  app.post('/v1/:mount/data/*', async (request: Req, reply) => {
    if (authorised(request, reply) === undefined) return reply
    const id = `${request.params.mount}/${request.params['*']}`
    const previous = KV.get(id)
    const entry = { version: (previous?.version ?? 0) + 1, created: new Date().toISOString(), data: request.body?.data }
    KV.set(id, entry)
    return envelope({
      created_time: entry.created,
      custom_metadata: null,
      deletion_time: '',
      destroyed: false,
      version: entry.version
    }, 'kv')
  })

  app.get('/v1/:mount/data/*', async (request: Req, reply) => {
    if (authorised(request, reply) === undefined) return reply
    const entry = KV.get(`${request.params.mount}/${request.params['*']}`)
    if (entry === undefined) return reply.code(404).send({ errors: [] })
    return envelope({
      data: entry.data,
      metadata: {
        created_time: entry.created,
        custom_metadata: null,
        deletion_time: '',
        destroyed: false,
        version: entry.version
      }
    }, 'kv')
  })

  app.get('/v1/auth/token/lookup-self', async (request: Req, reply) => {
    const entry = authorised(request, reply)
    if (entry === undefined) return reply
    return envelope(entry, 'token')
  })

  return app
}

async function main (): Promise<void> {
  const port = Number(process.argv[2] ?? '0')
  const app = await buildCeiling(process.argv[3] ?? 'root')
  await app.listen({ host: '127.0.0.1', port })
  const shutdown = (): void => { app.close().then(() => process.exit(0), () => process.exit(1)) }
  process.on('SIGTERM', shutdown)
  process.on('SIGINT', shutdown)
}

main().catch((err) => {
  process.stderr.write(`ceiling: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
