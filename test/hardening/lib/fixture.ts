/**
 * The server every hardening test hits: dev mode plus the engines under
 * test, seeded with keys, secrets, policies and tokens (so `reset()` brings
 * them all back), and pools of real values (ciphertexts, tokens, names)
 * that let generated requests get past the first check of each handler.
 */
import { Writable } from 'node:stream'
import pino, { type Logger } from 'pino'
import { request } from 'undici'
import { startServer, type RunningServer, type StartOptions } from '../../../src/index.js'
import { REDACT_PATHS } from '../../../src/start.js'
import { HARDENING_MOUNTS } from './endpoints.js'

export const ROOT = 'root'

/** Tokens the seed creates (fixed ids). */
export const SEED_TOKENS = {
  child: 'fz-child-token',
  narrow: 'fz-narrow-token',
  limited: 'fz-limited-token'
}

export const SEED = {
  mounts: Object.fromEntries(HARDENING_MOUNTS.map((m) => [m.path, m.type])),
  policies: {
    'fz-pol': 'path "hzkv2/data/fz*" { capabilities = ["read", "create", "update"] }\n' +
      'path "transit/encrypt/fz" { capabilities = ["update"] }\n' +
      'path "transit/decrypt/fz" { capabilities = ["update"] }\n'
  },
  transit: {
    'transit/': {
      fz: null,
      'fz-exp': { exportable: true, allow_plaintext_backup: true, deletion_allowed: true, versions: 2 },
      'fz-chacha': { type: 'chacha20-poly1305' },
      'fz-ed': { type: 'ed25519' },
      'fz-ec': { type: 'ecdsa-p256' },
      'fz-hmac': { type: 'hmac', key_size: 32 },
      'fz-derived': { derived: true }
    }
  },
  kv: {
    secret: { fz: { versions: [{ a: 'one' }, { a: 'two', n: 2 }] } },
    hzkv2: { fz: { versions: [{ a: 'x' }] }, 'fz/sub/leaf': { data: { b: true } } },
    hzkv1: { fz: { data: { a: 1 } } }
  },
  tokens: [
    { id: SEED_TOKENS.child, policies: ['default'], orphan: false },
    { id: SEED_TOKENS.narrow, policies: ['fz-pol'] },
    { id: SEED_TOKENS.limited, policies: ['fz-pol'], num_uses: 2 }
  ]
}

/** A pino logger writing JSON lines into memory, and the lines so far. */
export function memoryLogger (level: 'debug' | 'info' | 'trace' = 'debug'): { logger: Logger, lines: string[] } {
  const lines: string[] = []
  let partial = ''
  const stream = new Writable({
    write (chunk: Buffer, _enc, cb) {
      const text = partial + chunk.toString('utf8')
      const parts = text.split('\n')
      partial = parts.pop() ?? ''
      for (const p of parts) if (p !== '') lines.push(p)
      cb()
    }
  })
  // Same redaction the CLI logger uses (a backstop; the scan shows nothing needs it).
  const logger = pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, stream)
  return { logger, lines }
}

export interface Hardened {
  server: RunningServer
  lines: string[]
}

/** Start the seeded server, logging into memory at debug level. */
export async function startHardened (options: StartOptions = {}, level: 'debug' | 'trace' = 'debug'): Promise<Hardened> {
  // The seed mounts the engines; no -dev-mount extras.
  const { logger, lines } = memoryLogger(level)
  // Short read timeouts: a case that declares more body than it sends is closed in seconds.
  const server = await startServer({ rootToken: ROOT, seed: SEED, logger, timeouts: { headersMs: 5000, requestMs: 5000 }, ...options })
  return { server, lines }
}

/** Real values the generators draw from. */
export interface Pools {
  keyNames: string[]
  /** tokens[0] is the root token. */
  kvPaths: string[]
  ciphertexts: string[]
  derivedCiphertexts: string[]
  signatures: string[]
  hmacs: string[]
  tokens: string[]
  accessors: string[]
}

async function postAs (address: string, path: string, body: unknown, root: string): Promise<any> {
  const res = await request(address + path, {
    method: 'POST',
    headers: { 'x-vault-token': root },
    body: JSON.stringify(body)
  })
  const text = await res.body.text()
  return text === '' ? undefined : JSON.parse(text)
}

/** Collect ciphertexts, signatures and accessors from the freshly seeded server. */
export async function collectPools (address: string, root = ROOT): Promise<Pools> {
  const post = async (a: string, path: string, body: unknown): Promise<any> => await postAs(a, path, body, root)
  const pt = (s: string): string => Buffer.from(s).toString('base64')
  const ciphertexts: string[] = []
  for (const key of ['fz', 'fz-exp', 'fz-chacha']) {
    for (const text of ['', 'hello', 'x'.repeat(300)]) {
      const r = await post(address, `/v1/transit/encrypt/${key}`, { plaintext: pt(text) })
      ciphertexts.push(r.data.ciphertext)
    }
  }
  const derived = await post(address, '/v1/transit/encrypt/fz-derived', { plaintext: pt('d'), context: pt('ctx') })
  const sig = await post(address, '/v1/transit/sign/fz-ed', { input: pt('signed') })
  const mac = await post(address, '/v1/transit/hmac/fz-hmac', { input: pt('mac') })
  const accessors: string[] = []
  for (const id of Object.values(SEED_TOKENS)) {
    const r = await post(address, '/v1/auth/token/lookup', { token: id })
    if (r?.data?.accessor !== undefined) accessors.push(r.data.accessor)
  }
  return {
    keyNames: Object.keys(SEED.transit['transit/']),
    kvPaths: ['fz', 'fz/sub/leaf', 'fz/sub/', 'missing', 'a/b/c'],
    ciphertexts,
    derivedCiphertexts: derived?.data?.ciphertext === undefined ? [] : [derived.data.ciphertext],
    signatures: sig?.data?.signature === undefined ? [] : [sig.data.signature],
    hmacs: mac?.data?.hmac === undefined ? [] : [mac.data.hmac],
    tokens: [root, ...Object.values(SEED_TOKENS)],
    accessors
  }
}
