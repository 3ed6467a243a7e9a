// hmac/:name(/:algorithm) — HMAC with a key version's HMAC key, and its verification (path_hmac.go).
import { createHmac, timingSafeEqual } from 'node:crypto'
import { decodeStdBase64 } from '../../../crypto/base64.js'
import { ordered } from '../../go-json.js'
import { NAME_PATTERN, type EngineRequest, type EngineResponse, type PathSpec } from '../../engine.js'
import { ENCRYPTION_KEY_NOT_FOUND, MISSING_BATCH } from '../messages.js'
import { goAtoi, TransitError } from '../policy.js'
import { badRequest, decodeStringMaps, internal, type TransitContext } from './common.js'

/** Transit hash names to Node digests; `none` exists but has no hash function. */
export const HASH_NAMES: Readonly<Record<string, string | null>> = {
  none: null,
  sha1: 'sha1',
  'sha2-224': 'sha224',
  'sha2-256': 'sha256',
  'sha2-384': 'sha384',
  'sha2-512': 'sha512',
  'sha3-224': 'sha3-224',
  'sha3-256': 'sha3-256',
  'sha3-384': 'sha3-384',
  'sha3-512': 'sha3-512'
}

interface HmacResult {
  hmac?: string
  valid?: boolean
  error?: string
  /** Set when the item failed with a 400 (logical.ErrInvalidRequest). */
  status?: 400 | 500
}

function batchItems (req: EngineRequest, single: Record<string, string>): { items: Array<Record<string, string>>, batch: boolean } {
  const raw = req.data.raw.batch_input
  if (raw === undefined || raw === null) return { items: [single], batch: false }
  const items = decodeStringMaps(raw)
  if (items.length === 0) throw badRequest(MISSING_BATCH)
  return { items, batch: true }
}

function respond (results: HmacResult[], items: Array<Record<string, string>>, batch: boolean,
  single: (r: HmacResult) => Record<string, unknown>): EngineResponse {
  if (!batch) {
    const r = results[0]
    if (r.error !== undefined && r.error !== '') throw r.status === 500 ? internal(r.error) : badRequest(r.error)
    if (r.status === 500) throw internal('HMAC key value could not be computed')
    return { data: single(r) }
  }
  return {
    data: {
      batch_results: results.map((r, i) => ordered({
        hmac: r.hmac,
        // omitempty: false is left out (quirk of Vault's struct tags).
        valid: r.valid === true ? true : undefined,
        error: r.error === '' ? undefined : r.error,
        reference: items[i].reference ?? ''
      }))
    }
  }
}

function hmac (ctx: TransitContext, req: EngineRequest): EngineResponse {
  const d = req.data
  let ver = d.get<number>('key_version')
  const algorithm = req.params.urlalgorithm ?? d.get<string>('algorithm')
  const p = ctx.keyring.get(req.params.name)
  if (p === undefined) throw badRequest(ENCRYPTION_KEY_NOT_FOUND)
  if (ver === 0) ver = p.latestVersion
  else if (ver !== p.latestVersion && p.data.minEncryptionVersion > 0 && ver < p.data.minEncryptionVersion) {
    throw badRequest('cannot generate HMAC: version is too old (disallowed by policy)')
  }
  let key: Buffer
  try {
    key = p.hmacKey(ver)
  } catch (err) {
    if (err instanceof TransitError) throw badRequest(err.message)
    throw err
  }
  const hashName = HASH_NAMES[algorithm]
  // Quirk: Vault formats the zero enum value with %q, not the name sent.
  // `none` has no hash function (the real server panics); refuse it too.
  if (hashName === undefined || hashName === null) throw badRequest("unsupported algorithm '\\x00'")

  if (req.data.raw.batch_input === undefined || req.data.raw.batch_input === null) {
    if (!d.has('input') && !Object.hasOwn(d.raw, 'input')) throw badRequest('missing input for HMAC')
  }
  const { items, batch } = batchItems(req, { input: d.get<string>('input') })
  const results: HmacResult[] = items.map((item) => {
    if (!Object.hasOwn(item, 'input')) return { error: 'missing input for HMAC', status: 400 }
    let input: Buffer
    try {
      input = decodeStdBase64(item.input)
    } catch (err) {
      return { error: `unable to decode input as base64: ${(err as Error).message}`, status: 400 }
    }
    const mac = createHmac(hashName, key).update(input).digest('base64')
    return { hmac: `vault:v${ver}:${mac}` }
  })
  return respond(results, items, batch, (r) => ({ hmac: r.hmac }))
}

/** The HMAC half of verify/ (pathHMACVerify). */
export function verifyHmac (ctx: TransitContext, req: EngineRequest, items: Array<Record<string, string>>,
  batch: boolean): EngineResponse {
  const d = req.data
  let algorithm = req.params.urlalgorithm ?? ''
  if (algorithm === '') algorithm = d.get<string>('hash_algorithm')
  if (algorithm === '') algorithm = d.get<string>('algorithm')
  if (algorithm === '') algorithm = 'sha2-256'
  const p = ctx.keyring.get(req.params.name)
  if (p === undefined) throw badRequest(ENCRYPTION_KEY_NOT_FOUND)
  const hashName = HASH_NAMES[algorithm]
  if (hashName === undefined) throw badRequest(`invalid hash algorithm ${JSON.stringify(algorithm)}`)

  const results: HmacResult[] = items.map((item) => {
    if (!Object.hasOwn(item, 'input')) return { error: 'missing input', status: 400 }
    let input: Buffer
    try {
      input = decodeStdBase64(item.input)
    } catch (err) {
      return { error: `unable to decode input as base64: ${(err as Error).message}`, status: 400 }
    }
    const given = item.hmac
    if (given === undefined) return { error: 'missing hmac', status: 400 }
    if (!given.startsWith('vault:v')) return { error: 'invalid HMAC to verify: no prefix', status: 400 }
    const rest = given.slice('vault:v'.length)
    const colon = rest.indexOf(':')
    if (colon < 0) return { error: 'invalid HMAC: wrong number of fields', status: 400 }
    const ver = goAtoi(rest.slice(0, colon))
    if (ver === undefined) return { error: 'invalid HMAC: version number could not be decoded', status: 400 }
    let mac: Buffer
    try {
      mac = decodeStdBase64(rest.slice(colon + 1))
    } catch (err) {
      return { error: `unable to decode verification HMAC as base64: ${(err as Error).message}`, status: 400 }
    }
    if (ver > p.latestVersion) return { error: 'invalid HMAC: version is too new', status: 400 }
    if (p.data.minDecryptionVersion > 0 && ver < p.data.minDecryptionVersion) {
      return { error: 'cannot verify HMAC: version is too old (disallowed by policy)', status: 400 }
    }
    let key: Buffer
    try {
      key = p.hmacKey(ver)
    } catch (err) {
      if (err instanceof TransitError) return { error: err.message, status: 400 }
      throw err
    }
    // LIMITATION: `none` has no hash function; Vault panics here, we answer invalid input.
    if (hashName === null) return { error: 'unsupported hash algorithm none for HMAC', status: 400 }
    const expected = createHmac(hashName, key).update(input).digest()
    return { valid: expected.length === mac.length && timingSafeEqual(expected, mac) }
  })
  return respond(results, items, batch, (r) => ({ valid: r.valid === true }))
}

export function hmacPaths (ctx: TransitContext): PathSpec[] {
  return [{
    pattern: `hmac/(?<name>${NAME_PATTERN})(?:/(?<urlalgorithm>.+))?`,
    fields: {
      name: { type: 'string' },
      input: { type: 'string' },
      algorithm: { type: 'string', default: 'sha2-256' },
      urlalgorithm: { type: 'string' },
      key_version: { type: 'int' },
      batch_input: { type: 'raw' }
    },
    operations: { update: (req) => hmac(ctx, req) }
  }]
}
