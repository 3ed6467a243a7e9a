// sign/:name(/:algorithm) and verify/:name(/:algorithm) (path_sign_verify.go).
import { createHash } from 'node:crypto'
import { decodeStdBase64 } from '../../../crypto/base64.js'
import type { DigestName } from '../../../crypto/signatures.js'
import { ordered } from '../../go-json.js'
import { NAME_PATTERN, type EngineRequest, type EngineResponse, type PathSpec } from '../../engine.js'
import { isEcdsa, isRsa, supportsSigning } from '../key-types.js'
import { FAILED_CONTEXT_DECODE, MISSING_BATCH } from '../messages.js'
import { goAtoi, TransitError, type Policy, type SigningOptions } from '../policy.js'
import { badRequest, decodeStringMaps, internal, type TransitContext } from './common.js'
import { HASH_NAMES, verifyHmac } from './hmac.js'

interface Common {
  hashName: string
  hash: DigestName | undefined
  marshaling: 'asn1' | 'jws'
  prehashed: boolean
  signatureAlgorithm: string
  saltLength: number
}

/** The request options shared by sign and verify, validated in Vault's order. */
function commonOptions (req: EngineRequest): Common {
  const d = req.data
  let hashName = req.params.urlalgorithm ?? ''
  if (hashName === '') hashName = d.get<string>('hash_algorithm')
  if (hashName === '') hashName = d.get<string>('algorithm')
  if (hashName === '') hashName = 'sha2-256'
  const node = HASH_NAMES[hashName]
  if (node === undefined) throw badRequest(`invalid hash algorithm ${JSON.stringify(hashName)}`)
  const marshaling = d.get<string>('marshaling_algorithm')
  if (marshaling !== 'asn1' && marshaling !== 'jws') throw badRequest(`invalid marshaling type ${JSON.stringify(marshaling)}`)
  return {
    hashName,
    hash: node === null ? undefined : node as DigestName,
    marshaling,
    prehashed: d.get<boolean>('prehashed'),
    signatureAlgorithm: d.get<string>('signature_algorithm'),
    saltLength: saltLength(req)
  }
}

/** getSaltLength: `auto` 0, `hash` -1, or an integer ≥ -1. */
function saltLength (req: EngineRequest): number {
  if (!Object.hasOwn(req.data.raw, 'salt_length')) return 0
  const raw = req.data.get<string>('salt_length')
  const lower = raw.toLowerCase()
  if (lower === 'auto') return 0
  if (lower === 'hash') return -1
  const n = goAtoi(lower)
  if (n === undefined) throw badRequest(`salt length neither 'auto', 'hash', nor an int: ${raw}`)
  if (n < -1) throw badRequest(`salt length is invalid: ${n}`)
  return n
}

function checkKey (p: Policy, c: Common, verb: 'signing' | 'verification'): void {
  if (!supportsSigning(p.type)) throw badRequest(`key type ${p.type} does not support ${verb}`)
  if (c.hash === undefined && (!c.prehashed || c.signatureAlgorithm !== 'pkcs1v15')) {
    throw badRequest('hash_algorithm=none requires both prehashed=true and signature_algorithm=pkcs1v15')
  }
}

/** The message keysutil signs: the digest for ECDSA/RSA unless prehashed, else the input. */
function message (p: Policy, c: Common, input: Buffer): { message: Buffer, rawInput?: Buffer } {
  if ((isEcdsa(p.type) || isRsa(p.type)) && !c.prehashed && c.hash !== undefined) {
    return { message: createHash(c.hash).update(input).digest(), rawInput: input }
  }
  return { message: input }
}

function options (c: Common, rawInput: Buffer | undefined): SigningOptions {
  return { hash: c.hash, marshaling: c.marshaling, saltLength: c.saltLength, signatureAlgorithm: c.signatureAlgorithm, rawInput }
}

function batchOf (req: EngineRequest, single: Record<string, string>): { items: Array<Record<string, string>>, batch: boolean } {
  const raw = req.data.raw.batch_input
  if (raw === undefined || raw === null) return { items: [single], batch: false }
  const items = decodeStringMaps(raw)
  if (items.length === 0) throw badRequest(MISSING_BATCH)
  return { items, batch: true }
}

interface SignResult {
  signature?: string
  keyVersion: number
  publicKey?: Buffer
  error?: string
  /** 400 for input errors; for signing errors, the kind decides (single mode: 500). */
  err?: TransitError | 'invalid'
}

function sign (ctx: TransitContext, req: EngineRequest): EngineResponse {
  const d = req.data
  const ver = d.get<number>('key_version')
  const c = commonOptions(req)
  const p = ctx.keyring.get(req.params.name)
  if (p === undefined) throw badRequest('signing key not found')
  checkKey(p, c, 'signing')
  const { items, batch } = batchOf(req, { input: d.get<string>('input'), context: d.get<string>('context') })

  const results: SignResult[] = items.map((item) => {
    if (!Object.hasOwn(item, 'input')) return { keyVersion: 0, error: 'missing input', err: 'invalid' }
    let input: Buffer
    try {
      input = decodeStdBase64(item.input)
    } catch (err) {
      return { keyVersion: 0, error: `unable to decode input as base64: ${(err as Error).message}`, err: 'invalid' }
    }
    const m = message(p, c, input)
    let context: Buffer = Buffer.alloc(0)
    if ((item.context ?? '') !== '') {
      try {
        context = decodeStdBase64(item.context)
      } catch {
        return { keyVersion: 0, error: FAILED_CONTEXT_DECODE, err: 'invalid' }
      }
    }
    try {
      const s = p.sign(ver, context, m.message, options(c, m.rawInput), ctx.random)
      return { signature: s.signature, publicKey: s.publicKey, keyVersion: ver === 0 ? p.latestVersion : ver }
    } catch (err) {
      if (!(err instanceof TransitError)) throw err
      // Signing errors carry no error response: single mode answers 500.
      return { keyVersion: 0, error: batch ? err.message : undefined, err }
    }
  })

  if (!batch) {
    const r = results[0]
    if (r.err === 'invalid') throw badRequest(r.error ?? '')
    if (r.err !== undefined) throw internal(r.err.message)
    const data: Record<string, unknown> = { signature: r.signature, key_version: r.keyVersion }
    if (r.publicKey !== undefined && r.publicKey.length > 0) data.public_key = r.publicKey.toString('base64')
    return { data }
  }
  return {
    data: {
      batch_results: results.map((r, i) => ordered({
        signature: r.signature,
        key_version: r.keyVersion,
        publickey: r.publicKey !== undefined && r.publicKey.length > 0 ? r.publicKey.toString('base64') : undefined,
        error: r.error,
        reference: items[i].reference ?? ''
      }))
    }
  }
}

interface VerifyResult {
  valid: boolean
  error?: string
  status?: 400 | 500
}

function verify (ctx: TransitContext, req: EngineRequest): EngineResponse {
  const d = req.data
  const raw = d.raw.batch_input
  const batch = raw !== undefined && raw !== null
  let items: Array<Record<string, string>>
  if (batch) {
    items = batchOf(req, {}).items
  } else {
    const single: Record<string, string> = { input: d.get<string>('input') }
    if (d.has('signature')) single.signature = d.get<string>('signature')
    if (d.has('hmac')) single.hmac = d.get<string>('hmac')
    single.context = d.get<string>('context')
    items = [single]
  }

  let sigFound = false
  let hmacFound = false
  let missing = false
  for (const item of items) {
    if (Object.hasOwn(item, 'signature')) sigFound = true
    else if (Object.hasOwn(item, 'hmac')) hmacFound = true
    else missing = true
  }
  if (!batch && sigFound && hmacFound) throw badRequest("provide one of 'signature' or 'hmac'")
  if (!batch && !sigFound && !hmacFound) throw badRequest("neither a 'signature' nor an 'hmac' were given to verify")
  if (sigFound && hmacFound) throw badRequest("elements of batch_input must all provide 'signature' or all provide 'hmac'")
  if (missing && sigFound) throw badRequest("some elements of batch_input are missing 'signature'")
  if (missing && hmacFound) throw badRequest("some elements of batch_input are missing 'hmac'")
  if (missing) throw badRequest("no batch_input elements have 'signature' or 'hmac'")
  if (hmacFound) return verifyHmac(ctx, req, items, batch)

  const c = commonOptions(req)
  const p = ctx.keyring.get(req.params.name)
  if (p === undefined) throw badRequest('signature verification key not found')
  checkKey(p, c, 'verification')

  const results: VerifyResult[] = items.map((item) => {
    if (!Object.hasOwn(item, 'input')) return { valid: false, error: 'missing input', status: 400 }
    let input: Buffer
    try {
      input = decodeStdBase64(item.input)
    } catch (err) {
      return { valid: false, error: `unable to decode input as base64: ${(err as Error).message}`, status: 400 }
    }
    const m = message(p, c, input)
    let context: Buffer = Buffer.alloc(0)
    if ((item.context ?? '') !== '') {
      try {
        context = decodeStdBase64(item.context)
      } catch {
        return { valid: false, error: FAILED_CONTEXT_DECODE, status: 400 }
      }
    }
    try {
      return { valid: p.verify(context, m.message, item.signature, options(c, m.rawInput)) }
    } catch (err) {
      if (!(err instanceof TransitError)) throw err
      if (err.kind === 'user') return { valid: false, error: err.message, status: 400 }
      return { valid: false, error: err.message, status: 500 }
    }
  })

  if (!batch) {
    const r = results[0]
    if (r.error !== undefined) throw r.status === 500 ? internal(r.error) : badRequest(r.error)
    return { data: { valid: r.valid } }
  }
  return {
    data: {
      batch_results: results.map((r, i) => ordered({ valid: r.valid, error: r.error, reference: items[i].reference ?? '' }))
    }
  }
}

const SIGN_FIELDS = {
  name: { type: 'string' },
  input: { type: 'string' },
  context: { type: 'string' },
  hash_algorithm: { type: 'string', default: 'sha2-256' },
  algorithm: { type: 'string', default: 'sha2-256' },
  urlalgorithm: { type: 'string' },
  prehashed: { type: 'bool' },
  signature_algorithm: { type: 'string' },
  marshaling_algorithm: { type: 'string', default: 'asn1' },
  salt_length: { type: 'string', default: 'auto' },
  batch_input: { type: 'raw' }
} as const

export function signPaths (ctx: TransitContext): PathSpec[] {
  return [{
    pattern: `sign/(?<name>${NAME_PATTERN})(?:/(?<urlalgorithm>.+))?`,
    fields: { ...SIGN_FIELDS, key_version: { type: 'int' } },
    operations: { update: (req) => sign(ctx, req) }
  }, {
    pattern: `verify/(?<name>${NAME_PATTERN})(?:/(?<urlalgorithm>.+))?`,
    fields: { ...SIGN_FIELDS, signature: { type: 'string' }, hmac: { type: 'string' } },
    operations: { update: (req) => verify(ctx, req) }
  }]
}
