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

function typeName (value: unknown): string {
  if (value === null) return 'nil'
  if (Array.isArray(value)) return 'slice'
  if (typeof value === 'object') return 'map'
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64'
  return typeof value
}

function toStringWeak (value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'boolean') return value ? '1' : '0'
  if (typeof value === 'number') return String(value)
  if (value === null) return ''
  throw new CoerceError(`'' expected type 'string', got unconvertible type '${typeName(value)}'`)
}

function toIntWeak (value: unknown): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) {
      throw new CoerceError(`error decoding json.Number into : strconv.ParseInt: parsing ${JSON.stringify(String(value))}: invalid syntax`)
    }
    return value
  }
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value === null) return 0
  if (typeof value === 'string') {
    if (value === '') return 0
    const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[1-9]\d*|0)$/.exec(value)
    if (m === null) {
      throw new CoerceError(`cannot parse '' as int: strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`)
    }
    let digits = m[2]
    let n: number
    if (/^0[xX]/.test(digits)) n = parseInt(digits.slice(2), 16)
    else if (/^0[bB]/.test(digits)) n = parseInt(digits.slice(2), 2)
    else if (/^0[oO]/.test(digits)) n = parseInt(digits.slice(2), 8)
    else if (digits.length > 1 && digits.startsWith('0')) {
      digits = digits.slice(1)
      n = parseInt(digits, 8)
    } else n = parseInt(digits, 10)
    return m[1] === '-' ? -n : n
  }
  throw new CoerceError(`'' expected type 'int', got unconvertible type '${typeName(value)}'`)
}

function toBoolWeak (value: unknown): boolean {
  if (typeof value === 'boolean') return value
  if (value === null) return false
  if (typeof value === 'number') {
    if (value === 0) return false
    if (value === 1) return true
    throw new CoerceError(`cannot parse '' as bool: strconv.ParseBool: parsing ${JSON.stringify(String(value))}: invalid syntax`)
  }
  if (typeof value === 'string') {
    if (value === '') return false
    const b = parseGoBool(value)
    if (b === undefined) {
      throw new CoerceError(`cannot parse '' as bool: strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`)
    }
    return b
  }
  throw new CoerceError(`'' expected type 'bool', got unconvertible type '${typeName(value)}'`)
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

function toStringSlice (value: unknown, comma: boolean): string[] {
  if (value === null || value === undefined) return []
  if (typeof value === 'string') {
    if (!comma) return [value]
    if (value === '') return []
    return value.split(',').map((s) => s.trim())
  }
  if (Array.isArray(value)) {
    const out = value.map((v) => toStringWeak(v))
    return comma ? out.map((s) => s.trim()) : out
  }
  if (typeof value === 'number' || typeof value === 'boolean') return [toStringWeak(value)]
  throw new CoerceError(`'' expected type 'string', got unconvertible type '${typeName(value)}'`)
}

function toIntSlice (value: unknown): number[] {
  if (value === null || value === undefined) return []
  if (typeof value === 'string') {
    if (value === '') return []
    return value.split(',').map((s) => toIntWeak(s.trim()))
  }
  if (Array.isArray(value)) return value.map((v) => toIntWeak(v))
  return [toIntWeak(value)]
}

function isPlainObject (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function toMap (value: unknown): Record<string, unknown> {
  if (value === null || value === undefined) return {}
  if (isPlainObject(value)) return value
  if (Array.isArray(value) && value.every(isPlainObject)) {
    return Object.assign({}, ...value) as Record<string, unknown>
  }
  throw new CoerceError(`'' expected a map, got '${typeName(value)}'`)
}

function toKvPairs (value: unknown): Record<string, string> {
  if (value === null || value === undefined) return {}
  if (Array.isArray(value)) {
    const out: Record<string, string> = {}
    for (const item of value) {
      const text = toStringWeak(item)
      const eq = text.indexOf('=')
      if (eq < 0) throw new CoerceError(`invalid key value pair ${JSON.stringify(text)}`)
      out[text.slice(0, eq)] = text.slice(eq + 1)
    }
    return out
  }
  const map = toMap(value)
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(map)) out[k] = toStringWeak(v)
  return out
}

/** Convert one raw value to a field's type, or throw CoerceError. */
function coerce (type: FieldType, value: unknown): unknown {
  switch (type) {
    case 'string': return toStringWeak(value)
    case 'lowerCaseString': return toStringWeak(value).toLowerCase()
    case 'bool': return toBoolWeak(value)
    case 'int': return toIntWeak(value)
    case 'duration': return toDuration(value, false)
    case 'signedDuration': return toDuration(value, true)
    case 'commaStringSlice': return toStringSlice(value, true)
    case 'stringSlice': return toStringSlice(value, false)
    case 'commaIntSlice': return toIntSlice(value)
    case 'map': return toMap(value)
    case 'kvPairs': return toKvPairs(value)
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
  private readonly values = new Map<string, unknown>()

  constructor (raw: Record<string, unknown>, specs: FieldSpecs) {
    this.raw = raw
    this.specs = specs
  }

  /** Coerce every declared field that was sent; throws Vault's 400 on the first failure. */
  validate (): void {
    for (const [name, spec] of Object.entries(this.specs)) {
      if (!Object.hasOwn(this.raw, name)) continue
      try {
        this.values.set(name, coerce(spec.type, this.raw[name]))
      } catch (err) {
        if (err instanceof CoerceError) {
          throw VaultError.invalidRequest(messages.fieldValidation(name, err.message))
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
