// Helpers shared by transit's path handlers: batch decoding, status rules, error mapping.
import { VaultError } from '../../../errors/index.js'
import { decodeStdBase64 } from '../../../crypto/base64.js'
import type { EngineRequest, EngineResponse } from '../../engine.js'
import type { FieldSpecs } from '../../fields.js'
import type { Keyring } from '../keyring.js'
import { FAILED_CONTEXT_DECODE } from '../messages.js'
import { TransitError } from '../policy.js'
import type { Clock } from '../../../clock/index.js'
import type { RandomSource } from '../../../crypto/random.js'
import type { EngineLogger, Flavor } from '../../engine.js'

/** What every transit path handler needs from its mount. */
export interface TransitContext {
  keyring: Keyring
  clock: Clock
  random: RandomSource
  log: EngineLogger
  flavor: Flavor
  storage: import('../../../storage/storage.js').Storage
}

/** The name capture every keyed path declares (so a body `name` is not "unrecognized"). */
export const NAME_FIELD: FieldSpecs = { name: { type: 'string' } }

/** Go's %T of a JSON-decoded value (the HTTP layer decodes with UseNumber). */
export function goTypeName (v: unknown): string {
  if (v === null || v === undefined) return '<nil>'
  if (typeof v === 'string') return 'string'
  if (typeof v === 'number') return 'json.Number'
  if (typeof v === 'boolean') return 'bool'
  if (Array.isArray(v)) return '[]interface {}'
  return 'map[string]interface {}'
}

/** 400 with a plain message (Vault's ErrorResponse). */
export function badRequest (message: string): VaultError {
  return VaultError.invalidRequest(message)
}

/** 500 with Go's multierror text (a bare handler error). */
export function internal (message: string): VaultError {
  return VaultError.internal(message)
}

/** Map a policy error for single-item mode: user errors 400, the rest 500. */
export function singleError (err: unknown): VaultError {
  if (err instanceof TransitError) {
    return err.kind === 'internal' ? internal(err.message) : badRequest(err.message)
  }
  throw err
}

/** The raw text of the item's failure, re-throwing anything that is not a TransitError. */
export function errorText (err: unknown): string {
  if (err instanceof TransitError) return err.message
  if (err instanceof Error && err.name === 'CorruptInputError') return err.message
  throw err
}

/** Decode an optional base64 context with Go's decoder; throws its error text. */
export function decodeContextOrThrow (context: string): Buffer {
  return context === '' ? Buffer.alloc(0) : decodeStdBase64(context)
}

/** Decode a top-level `context` field: 400 `failed to base64-decode context` on bad input. */
export function decodeContextField (context: string): Buffer {
  try {
    return decodeContextOrThrow(context)
  } catch {
    throw badRequest(FAILED_CONTEXT_DECODE)
  }
}

/** One item of encrypt/decrypt/rewrap batch input (path_encrypt.go BatchRequestItem). */
export interface BatchItem {
  context: string
  plaintext: string
  ciphertext: string
  keyVersion: number
  associatedData: string
  reference: string
}

/**
 * decodeBatchRequestItems: the fast decoder encrypt and decrypt use, with
 * its error texts; throws the 500 `failed to parse batch input: ...`.
 */
export function decodeBatchItems (src: unknown, requirePlaintext: boolean, requireCiphertext: boolean): BatchItem[] {
  if (!Array.isArray(src)) {
    throw internal(`failed to parse batch input: source data must be an array or slice, got ${goTypeName(src)}`)
  }
  const out: BatchItem[] = []
  const errs: string[] = []
  for (let i = 0; i < src.length; i++) {
    const raw: unknown = src[i]
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw internal(`failed to parse batch input: [${i}] expected a map, got '${goTypeName(raw)}'`)
    }
    const item = raw as Record<string, unknown>
    const b: BatchItem = { context: '', plaintext: '', ciphertext: '', keyVersion: 0, associatedData: '', reference: '' }
    const str = (field: string, set: (v: string) => void, nullOk = true): void => {
      if (!Object.hasOwn(item, field)) return
      const v = item[field]
      if ((v === null && nullOk)) return
      if (typeof v === 'string') set(v)
      else errs.push(`'[${i}].${field}' expected type 'string', got unconvertible type '${goTypeName(v)}'`)
    }
    str('context', (v) => { b.context = v })
    if (Object.hasOwn(item, 'ciphertext')) str('ciphertext', (v) => { b.ciphertext = v })
    else if (requireCiphertext) errs.push(`'[${i}].ciphertext' missing ciphertext to decrypt`)
    if (Object.hasOwn(item, 'plaintext')) str('plaintext', (v) => { b.plaintext = v }, false)
    else if (requirePlaintext) errs.push(`'[${i}].plaintext' missing plaintext to encrypt`)
    if (Object.hasOwn(item, 'key_version') && item.key_version !== null) {
      const v = item.key_version
      if (typeof v === 'number') {
        if (Number.isInteger(v)) b.keyVersion = v
        else errs.push(`error decoding json.Number into [${i}].key_version: strconv.ParseInt: parsing "${String(v)}": invalid syntax`)
      } else {
        errs.push(`'[${i}].key_version' expected type 'int', got unconvertible type '${goTypeName(v)}'`)
      }
    }
    str('associated_data', (v) => { b.associatedData = v })
    str('reference', (v) => { b.reference = v })
    out.push(b)
  }
  if (errs.length > 0) throw internal(`failed to parse batch input: ${errs.join('\n')}`)
  return out
}

/** mapstructure.Decode of `[]map[string]string` (hmac, sign, verify batches). */
export function decodeStringMaps (src: unknown): Array<Record<string, string>> {
  if (!Array.isArray(src)) {
    throw internal(`failed to parse batch input: '' source data must be an array or slice, got ${goTypeName(src)}`)
  }
  const errs: string[] = []
  const out = src.map((raw: unknown, i) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      errs.push(`'[${i}]' expected a map, got '${goTypeName(raw) === 'json.Number' ? 'string' : goTypeName(raw).replace('[]interface {}', 'slice')}'`)
      return {}
    }
    const m: Record<string, string> = {}
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof v === 'string') m[k] = v
      else if (v === null) m[k] = ''
      else errs.push(`'[${i}][${k}]' expected type 'string', got unconvertible type '${goTypeName(v)}', value: '${typeof v === 'object' ? JSON.stringify(v) : String(v)}'`)
    }
    return m
  })
  if (errs.length > 0) {
    throw internal(`failed to parse batch input: decoding failed due to the following error(s):\n\n${errs.join('\n')}`)
  }
  return out
}

/**
 * batchRequestResponse: a batch with failures answers 400 (any user error)
 * or 500 (only internal errors) with the full envelope and no `errors`
 * key; `partial_failure_response_code` replaces it when something succeeded.
 */
export function batchResponse (req: EngineRequest, data: Record<string, unknown>, successes: boolean,
  userError: boolean, internalError: boolean, warnings: string[]): EngineResponse {
  if (!userError && !internalError) return { data, warnings }
  let code = userError ? 400 : 500
  if (req.data.has('partial_failure_response_code') && successes) {
    const override = req.data.get<number>('partial_failure_response_code')
    if (override < 1 || override > 599) {
      warnings.push(`invalid HTTP response code override from partial_failure_response_code, reverting to ${code}`)
    } else {
      code = override
    }
  }
  return { data, warnings, status: code }
}
