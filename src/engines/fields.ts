/**
 * Request fields as Vault's sdk/framework declares and coerces them
 * ("weak decoding"): CLI values arrive as strings, Go clients send numbers
 * as strings, and every engine gets the same conversions and error texts.
 */
import { VaultError, messages } from '../errors/index.js'
import { DurationError, parseDurationSeconds } from './duration.js'

export type FieldType =
  | 'string'
  | 'lowerCaseString'
  | 'bool'
  | 'int'
  | 'duration'
  | 'signedDuration'
  | 'commaStringSlice'
  | 'stringSlice'
  | 'commaIntSlice'
  | 'map'
  | 'kvPairs'
  | 'raw'

export interface FieldSpec {
  type: FieldType
  default?: unknown
  /** Documentation only; Vault enforces required fields in handlers. */
  description?: string
}

export type FieldSpecs = Readonly<Record<string, FieldSpec>>

class CoerceError extends Error {}

const TRUE_TEXT = new Set(['1', 't', 'T', 'TRUE', 'true', 'True'])
const FALSE_TEXT = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False'])

/** Go's strconv.ParseBool; undefined when the text is not a bool. */
export function parseGoBool (text: string): boolean | undefined {
  if (TRUE_TEXT.has(text)) return true
  if (FALSE_TEXT.has(text)) return false
  return undefined
}

/**
 * Which mapstructure words the coercion errors: OpenBao's framework uses
 * go-viper/mapstructure v2, Vault's sdk mitchellh/mapstructure v1.
 */
export type Wording = 'v1' | 'v2'

/** The Go type a decoded JSON value has in Vault (json.Decoder with UseNumber). */
function goType (value: unknown): string {
  if (typeof value === 'string') return 'string'
  if (typeof value === 'number') return 'json.Number'
  if (typeof value === 'boolean') return 'bool'
  if (Array.isArray(value)) return '[]interface {}'
  if (value === null || value === undefined) return '<nil>'
  return 'map[string]interface {}'
}

/** Go's %v of a decoded JSON value, as mapstructure v1 prints it. */
function goFmtV (value: unknown): string {
  if (value === null || value === undefined) return '<nil>'
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) return `[${value.map(goFmtV).join(' ')}]`
  const obj = value as Record<string, unknown>
  return `map[${Object.keys(obj).sort().map((k) => `${k}:${goFmtV(obj[k])}`).join(' ')}]`
}

function unconvertible (w: Wording, name: string, want: string, value: unknown): CoerceError {
  const base = `'${name}' expected type '${want}', got unconvertible type '${goType(value)}'`
  return new CoerceError(w === 'v2' ? base : `${base}, value: '${goFmtV(value)}'`)
}

function cannotParse (w: Wording, name: string, want: 'int' | 'bool', text: string): CoerceError {
  const fn = want === 'int' ? 'strconv.ParseInt' : 'strconv.ParseBool'
  if (w === 'v2') return new CoerceError(`'${name}' cannot parse value as '${want}': ${fn}: invalid syntax`)
  return new CoerceError(`cannot parse '${name}' as ${want}: ${fn}: parsing ${JSON.stringify(text)}: invalid syntax`)
}

function toStringWeak (w: Wording, value: unknown, name = ''): string {
  if (typeof value === 'string') return value
  if (typeof value === 'boolean') return value ? '1' : '0'
  if (typeof value === 'number') return String(value)
  if (value === null || value === undefined) return ''
  throw unconvertible(w, name, 'string', value)
}

/** Go's strconv.ParseInt(text, 0, 64): sign, then decimal, 0x, 0o, 0b or leading-0 octal; `_` between digits. */
function parseGoInt (text: string): number | undefined {
  const m = /^([+-]?)(0[xX](?:_?[0-9a-fA-F])+|0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|0(?:_?[0-7])*|[1-9](?:_?[0-9])*)$/.exec(text)
  if (m === null) return undefined
  const digits = m[2].replace(/_/g, '')
  let n: number
  if (/^0[xX]/.test(digits)) n = parseInt(digits.slice(2), 16)
  else if (/^0[bB]/.test(digits)) n = parseInt(digits.slice(2), 2)
  else if (/^0[oO]/.test(digits)) n = parseInt(digits.slice(2), 8)
  else if (digits.length > 1 && digits[0] === '0') n = parseInt(digits.slice(1), 8)
  else n = parseInt(digits, 10)
  return m[1] === '-' ? -n : n
}

function toIntWeak (w: Wording, value: unknown, name = ''): number {
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value === null || value === undefined) return 0
  if (typeof value === 'number') {
    // A JSON number reaches mapstructure as json.Number text.
    if (Number.isInteger(value)) return value
    if (w === 'v1') {
      return fail(`error decoding json.Number into ${name}: strconv.ParseInt: parsing ${JSON.stringify(String(value))}: invalid syntax`)
    }
    throw cannotParse(w, name, 'int', String(value))
  }
  if (typeof value === 'string') {
    if (value === '') return 0
    const n = parseGoInt(value)
    if (n === undefined) throw cannotParse(w, name, 'int', value)
    return n
  }
  throw unconvertible(w, name, 'int', value)
}

function fail (message: string): never {
  throw new CoerceError(message)
}

function toBoolWeak (w: Wording, value: unknown, name = ''): boolean {
  if (typeof value === 'boolean') return value
  if (value === null || value === undefined) return false
  if (typeof value === 'number' || typeof value === 'string') {
    const text = String(value)
    if (text === '') return false
    const b = parseGoBool(text)
    if (b === undefined) throw cannotParse(w, name, 'bool', text)
    return b
  }
  throw unconvertible(w, name, 'bool', value)
}

function toDuration (value: unknown, signed: boolean): number {
  let seconds: number
  try {
    seconds = parseDurationSeconds(value)
  } catch (err) {
    if (err instanceof DurationError) throw new CoerceError(err.message)
    throw err
  }
  if (!signed && seconds < 0) throw new CoerceError(`cannot provide negative value '${seconds}'`)
  return seconds
}

/** go-secure-stdlib ParseCommaStringSlice: split and trim strings, decode lists with mapstructure v1. */
function toCommaStringSlice (value: unknown): string[] {
  if (value === null || value === undefined) return []
  if (typeof value === 'string') {
    if (value === '') return []
    return value.split(',').map((s) => s.trim())
  }
  if (Array.isArray(value)) {
    const errors: string[] = []
    const out = value.map((v, i) => {
      try {
        return toStringWeak('v1', v, `[${i}]`)
      } catch (err) {
        errors.push((err as Error).message)
        return ''
      }
    })
    if (errors.length > 0) {
      fail(`${errors.length} error(s) decoding:\n\n${errors.map((e) => `* ${e}`).join('\n')}`)
    }
    return out.map((s) => s.trim())
  }
  return [toStringWeak('v1', value).trim()]
}

function toStringSlice (w: Wording, value: unknown): string[] {
  if (value === null || value === undefined) return []
  if (Array.isArray(value)) return value.map((v, i) => toStringWeak(w, v, `[${i}]`))
  return [toStringWeak(w, value)]
}

/** mapstructure with a "," string-to-slice hook: no trimming, errors per element. */
function toIntSlice (w: Wording, value: unknown): number[] {
  if (value === null || value === undefined) return []
  let items: unknown[]
  if (typeof value === 'string') items = value === '' ? [] : value.split(',')
  else if (Array.isArray(value)) items = value
  else items = [value]
  const errors: string[] = []
  const out = items.map((v, i) => {
    try {
      return toIntWeak(w, v, `[${i}]`)
    } catch (err) {
      errors.push((err as Error).message)
      return 0
    }
  })
  if (errors.length > 0) {
    if (w === 'v2') fail(`decoding failed due to the following error(s):\n\n${errors.join('\n')}`)
    fail(`${errors.length} error(s) decoding:\n\n${errors.map((e) => `* ${e}`).join('\n')}`)
  }
  return out
}

function isPlainObject (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const MAP_TYPE = 'map[string]interface {}'

function toMap (w: Wording, value: unknown): Record<string, unknown> {
  if (value === null || value === undefined) return {}
  if (isPlainObject(value)) return value
  if (Array.isArray(value)) {
    // Weak decoding merges a list of maps.
    const out: Record<string, unknown> = {}
    value.forEach((item, i) => {
      if (!isPlainObject(item)) throw unconvertible(w, `[${i}]`, MAP_TYPE, item)
      Object.assign(out, item)
    })
    return out
  }
  throw unconvertible(w, '', MAP_TYPE, value)
}

function toKvPairs (w: Wording, value: unknown): Record<string, string> {
  if (value === null || value === undefined) return {}
  if (isPlainObject(value)) {
    const out: Record<string, string> = {}
    for (const [k, v] of Object.entries(value)) out[k] = toStringWeak(w, v, k)
    return out
  }
  const items = Array.isArray(value) ? value : [value]
  const out: Record<string, string> = {}
  for (const item of items) {
    const text = toStringWeak(w, item)
    const eq = text.indexOf('=')
    if (eq < 0) fail(`invalid key pair ${JSON.stringify(text)}`)
    out[text.slice(0, eq)] = text.slice(eq + 1)
  }
  return out
}

/** Convert one raw value to a field's type, or throw CoerceError. */
function coerce (w: Wording, type: FieldType, value: unknown): unknown {
  switch (type) {
    case 'string': return toStringWeak(w, value)
    case 'lowerCaseString': return toStringWeak(w, value).toLowerCase()
    case 'bool': return toBoolWeak(w, value)
    case 'int': return toIntWeak(w, value)
    case 'duration': return toDuration(value, false)
    case 'signedDuration': return toDuration(value, true)
    case 'commaStringSlice': return toCommaStringSlice(value)
    case 'stringSlice': return toStringSlice(w, value)
    case 'commaIntSlice': return toIntSlice(w, value)
    case 'map': return toMap(w, value)
    case 'kvPairs': return toKvPairs(w, value)
    case 'raw': return value
  }
}

function zeroValue (type: FieldType): unknown {
  switch (type) {
    case 'string': case 'lowerCaseString': return ''
    case 'bool': return false
    case 'int': case 'duration': case 'signedDuration': return 0
    case 'commaStringSlice': case 'stringSlice': case 'commaIntSlice': return []
    case 'map': case 'kvPairs': return {}
    case 'raw': return undefined
  }
}

/**
 * The coerced fields of one request (Vault's framework.FieldData). Values
 * from the path captures override body values of the same name.
 */
export class FieldData {
  readonly raw: Readonly<Record<string, unknown>>
  private readonly specs: FieldSpecs
  private readonly wording: Wording
  private readonly values = new Map<string, unknown>()

  constructor (raw: Record<string, unknown>, specs: FieldSpecs, wording: Wording = 'v1') {
    this.raw = raw
    this.specs = specs
    this.wording = wording
  }

  /**
   * Coerce every declared field that was sent; throws Vault's 400 on the
   * first failure. `prefixed` false gives the bare text, as Vault's
   * existence check reports it (no "Field validation failed: ").
   */
  validate (prefixed = true): void {
    for (const [name, spec] of Object.entries(this.specs)) {
      if (!Object.hasOwn(this.raw, name) || this.values.has(name)) continue
      try {
        this.values.set(name, coerce(this.wording, spec.type, this.raw[name]))
      } catch (err) {
        if (err instanceof CoerceError) {
          const detail = `error converting input for field "${name}": ${err.message}`
          throw VaultError.invalidRequest(prefixed ? messages.fieldValidation(name, err.message) : detail)
        }
        throw err
      }
    }
  }

  /** The coerced value, the declared default, or the type's zero value. */
  get<T = unknown> (name: string): T {
    const spec = this.specs[name]
    if (spec === undefined) throw new Error(`field ${name} is not declared on this path`)
    if (this.values.has(name)) return this.values.get(name) as T
    if (Object.hasOwn(this.raw, name)) {
      this.validate()
      if (this.values.has(name)) return this.values.get(name) as T
    }
    return (spec.default !== undefined ? spec.default : zeroValue(spec.type)) as T
  }

  /** Whether the request carried the field (Vault's GetOk, which treats null as unset). */
  has (name: string): boolean {
    return Object.hasOwn(this.raw, name) && this.raw[name] !== null && this.raw[name] !== undefined
  }

  /** The value if the request carried the field, else undefined. */
  getOk<T = unknown> (name: string): T | undefined {
    return this.has(name) ? this.get<T>(name) : undefined
  }

  /** Names in the request that no field declares (for Vault's warning). */
  unknownNames (): string[] {
    return Object.keys(this.raw).filter((k) => !Object.hasOwn(this.specs, k))
  }
}
