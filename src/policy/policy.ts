/**
 * ACL policy parsing (vault/policy/policy.go ParseACLPolicy): the document
 * from hcl.ts becomes path rules with capability bits, parameter
 * constraints and wrapping TTL bounds, with Vault's error texts.
 */
import { formatMultierror } from '../errors/index.js'
import { DurationError, parseDurationSeconds } from '../engines/duration.js'
import type { Flavor } from '../engines/engine.js'
import { HclError, parsePolicyDocument } from './hcl.js'

export const CAP = {
  deny: 1,
  create: 2,
  read: 4,
  update: 8,
  delete: 16,
  list: 32,
  sudo: 64,
  patch: 128,
  scan: 256
} as const

export type CapabilityName = keyof typeof CAP

/** One `path` stanza after parsing, as stored with the policy. */
export interface PathRule {
  /** Pattern without its leading `/`; a trailing `*` is cut off when `isPrefix`. */
  path: string
  isPrefix: boolean
  hasSegmentWildcards: boolean
  /** The path contains `{{...}}` identity templating. */
  templated: boolean
  bits: number
  /** Lower-cased parameter name => allowed values; null when unset. */
  allowedParameters: Record<string, unknown[]> | null
  deniedParameters: Record<string, unknown[]> | null
  requiredParameters: string[]
  /** Seconds; 0 = unset. */
  minWrappingTtl: number
  maxWrappingTtl: number
  /** Epoch ms after which the stanza no longer applies; 0 = never. */
  expiration: number
}

/** A policy text that failed to parse; `message` is the full client text. */
export class PolicyParseError extends Error {}

const COMMON_KEYS = [
  'comment', 'policy', 'capabilities', 'allowed_parameters', 'denied_parameters',
  'required_parameters', 'min_wrapping_ttl', 'max_wrapping_ttl', 'mfa_methods'
]
const OPENBAO_KEYS = [...COMMON_KEYS, 'pagination_limit', 'expiration', 'list_scan_response_keys_filter_path']
const VAULT_KEYS = [...COMMON_KEYS, 'control_group', 'subscribe_event_types']

const LEGACY: Readonly<Record<string, CapabilityName[]>> = {
  deny: ['deny'],
  read: ['read', 'list'],
  write: ['create', 'read', 'update', 'delete', 'list'],
  sudo: ['create', 'read', 'update', 'delete', 'list', 'sudo']
}

function isObject (v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** The 1-based line where `key` first appears as an attribute or block name (HCL1 reports it). */
function lineOf (text: string, key: string, after = 0): number {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const re = new RegExp(`(^|[\\s{,"])"?${escaped}"?\\s*[={"]`, 'm')
  const idx = text.slice(after).search(re)
  if (idx < 0) return 1
  return text.slice(0, after + idx + 1).split('\n').length
}

/** The `path` stanzas as [pattern, body] pairs, in either HCL or JSON shape. */
function stanzas (value: unknown): Array<[string, Record<string, unknown>]> {
  const out: Array<[string, Record<string, unknown>]> = []
  const add = (key: string, body: unknown): void => {
    if (Array.isArray(body)) {
      for (const b of body) add(key, b)
      return
    }
    if (!isObject(body)) throw new PolicyParseError(`path ${JSON.stringify(key)}: expected an object`)
    out.push([key, body])
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      if (!isObject(item)) throw new PolicyParseError('path: expected an object')
      for (const [k, v] of Object.entries(item)) add(k, v)
    }
    return out
  }
  if (!isObject(value)) throw new PolicyParseError('path: expected an object')
  for (const [k, v] of Object.entries(value)) add(k, v)
  return out
}

/** "At L:C" of the value assigned to `key`, searching from `from` (HCL1 reports decode errors there). */
function valuePosition (text: string, key: string, from: number): string {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const m = new RegExp(`"?${escaped}"?\\s*=\\s*`).exec(text.slice(from))
  if (m === null) return 'At 1:1'
  const at = from + m.index + m[0].length
  const before = text.slice(0, at).split('\n')
  return `At ${before.length}:${before[before.length - 1].length + 1}`
}

/** HCL1 refuses a single value where a list belongs. */
function requireList (value: unknown, key: string, stanza: string, text: string, from: number): unknown[] {
  if (Array.isArray(value)) return value
  throw new PolicyParseError(`path ${JSON.stringify(stanza)}: ${valuePosition(text, key, from)}: unknown slice type: *ast.${typeof value === 'object' && value !== null ? 'ObjectType' : 'LiteralType'}`)
}

function stringList (value: unknown, what: string): string[] {
  const list = Array.isArray(value) ? value : [value]
  return list.map((v) => {
    if (typeof v === 'string') return v
    if (typeof v === 'number' || typeof v === 'boolean') return String(v)
    throw new PolicyParseError(`${what}: expected a list of strings`)
  })
}

function parameterMap (value: unknown, what: string): Record<string, unknown[]> {
  const maps = Array.isArray(value) ? value : [value]
  const out: Record<string, unknown[]> = {}
  for (const m of maps) {
    if (!isObject(m)) throw new PolicyParseError(`${what}: expected a map of lists`)
    for (const [k, v] of Object.entries(m)) out[k.toLowerCase()] = Array.isArray(v) ? v : [v]
  }
  return out
}

function wrappingTtl (value: unknown, field: string): number {
  try {
    return parseDurationSeconds(value)
  } catch (err) {
    if (err instanceof DurationError) throw new PolicyParseError(`error parsing ${field}: ${err.message}`)
    throw err
  }
}

/** parseutil.ParseAbsoluteTime: RFC 3339 or Unix seconds. */
function absoluteTime (text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text) * 1000
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return undefined
  const ms = Date.parse(text)
  return Number.isNaN(ms) ? undefined : ms
}

function parseStanza (key: string, body: Record<string, unknown>, flavor: Flavor, now: number,
  text: string): PathRule | undefined {
  const quoted = JSON.stringify(key)
  const from = Math.max(0, text.indexOf(quoted))
  for (const k of ['capabilities', 'required_parameters', 'mfa_methods']) {
    if (body[k] !== undefined) requireList(body[k], k, key, text, from)
  }

  if (key.includes('{{') && !/^([^{}]|\{\{[^{}]*\}\})*$/.test(key)) {
    throw new PolicyParseError(`failed to validate policy templating: ${key}`)
  }

  let expiration = 0
  if (body.expiration !== undefined) {
    const at = typeof body.expiration === 'string' ? absoluteTime(body.expiration) : undefined
    if (at === undefined) {
      throw new PolicyParseError(`path ${quoted}: invalid expiration time: ${JSON.stringify(String(body.expiration))} is not a valid time`)
    }
    // An expired stanza is dropped, as Vault does when parsing.
    if (now > at) return undefined
    expiration = at
  }

  let path = key.startsWith('/') ? key.slice(1) : key
  if (path.includes('+*')) {
    throw new PolicyParseError(`path ${JSON.stringify(path)}: invalid use of wildcards ('+*' is forbidden)`)
  }
  const hasSegmentWildcards = path === '+' || path.includes('/+') || path.startsWith('+/')
  let isPrefix = false
  if (path.endsWith('*') && !hasSegmentWildcards) {
    path = path.slice(0, -1)
    isPrefix = true
  }

  let capabilities = body.capabilities === undefined ? [] : stringList(body.capabilities, `path ${quoted}: capabilities`)
  if (body.policy !== undefined) {
    const legacy = typeof body.policy === 'string' ? LEGACY[body.policy] : undefined
    if (legacy === undefined) throw new PolicyParseError(`path ${quoted}: invalid policy ${JSON.stringify(String(body.policy))}`)
    capabilities = legacy[0] === 'deny' ? ['deny'] : [...capabilities, ...legacy]
  }

  const rule: PathRule = {
    path,
    isPrefix,
    hasSegmentWildcards,
    templated: key.includes('{{'),
    bits: 0,
    allowedParameters: null,
    deniedParameters: null,
    requiredParameters: [],
    minWrappingTtl: 0,
    maxWrappingTtl: 0,
    expiration
  }
  for (const cap of capabilities) {
    if (cap === 'deny') {
      // A deny stanza drops everything else in it, parameters included.
      rule.bits = CAP.deny
      return rule
    }
    const bit = Object.hasOwn(CAP, cap) && (cap !== 'scan' || flavor === 'openbao')
      ? CAP[cap as CapabilityName]
      : undefined
    if (bit === undefined) throw new PolicyParseError(`path ${quoted}: invalid capability ${JSON.stringify(cap)}`)
    rule.bits |= bit
  }

  if (body.allowed_parameters !== undefined) {
    rule.allowedParameters = parameterMap(body.allowed_parameters, `path ${quoted}: allowed_parameters`)
  }
  if (body.denied_parameters !== undefined) {
    rule.deniedParameters = parameterMap(body.denied_parameters, `path ${quoted}: denied_parameters`)
  }
  if (body.min_wrapping_ttl !== undefined) rule.minWrappingTtl = wrappingTtl(body.min_wrapping_ttl, 'min_wrapping_ttl')
  if (body.max_wrapping_ttl !== undefined) rule.maxWrappingTtl = wrappingTtl(body.max_wrapping_ttl, 'max_wrapping_ttl')
  if (rule.minWrappingTtl !== 0 && rule.maxWrappingTtl !== 0 && rule.maxWrappingTtl < rule.minWrappingTtl) {
    throw new PolicyParseError('max_wrapping_ttl cannot be less than min_wrapping_ttl')
  }
  if (body.required_parameters !== undefined) {
    rule.requiredParameters = stringList(body.required_parameters, `path ${quoted}: required_parameters`)
  }
  // LIMITATION: OpenBao's list pagination limits and list-response filtering
  // are not emulated; a policy using them is refused with a 400 naming the key.
  for (const k of ['pagination_limit', 'list_scan_response_keys_filter_path']) {
    const v = body[k]
    if (v !== undefined && v !== 0 && v !== '') {
      throw new PolicyParseError(`path ${quoted}: ${k} is not supported by localvault`)
    }
  }
  return rule
}

/**
 * Parse a policy text into its path rules. Throws PolicyParseError whose
 * message is the complete error text Vault answers with.
 */
export async function parseAclPolicy (text: string, flavor: Flavor, now: number): Promise<PathRule[]> {
  let doc: Record<string, unknown>
  try {
    doc = await parsePolicyDocument(text)
  } catch (err) {
    if (err instanceof HclError) throw new PolicyParseError(`failed to parse policy: ${err.message}`)
    throw err
  }
  return compileDocument(doc, text, flavor, now)
}

/** The synchronous half of parseAclPolicy, for an already parsed document. */
export function compileDocument (doc: Record<string, unknown>, text: string, flavor: Flavor, now: number): PathRule[] {
  const invalidTop = Object.keys(doc).filter((k) => k !== 'name' && k !== 'path')
  if (invalidTop.length > 0) {
    const errs = invalidTop.map((k) => `invalid key ${JSON.stringify(k)} on line ${lineOf(text, k)}`)
    throw new PolicyParseError(`failed to parse policy: ${formatMultierror(errs)}`)
  }
  if (doc.path === undefined) return []
  const valid = new Set(flavor === 'openbao' ? OPENBAO_KEYS : VAULT_KEYS)
  const rules: PathRule[] = []
  try {
    for (const [key, body] of stanzas(doc.path)) {
      const bad = Object.keys(body).filter((k) => !valid.has(k))
      if (bad.length > 0) {
        const at = Math.max(0, text.indexOf(JSON.stringify(key)))
        const errs = bad.map((k) => `path ${JSON.stringify(key)}: invalid key ${JSON.stringify(k)} on line ${lineOf(text, k, at)}`)
        throw new PolicyParseError(formatMultierror(errs))
      }
      const rule = parseStanza(key, body, flavor, now, text)
      if (rule !== undefined) rules.push(rule)
    }
  } catch (err) {
    if (err instanceof PolicyParseError) throw new PolicyParseError(`failed to parse policy: ${err.message}`)
    throw err
  }
  return rules
}
