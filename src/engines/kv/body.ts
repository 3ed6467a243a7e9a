/**
 * Request input the way Vault's KV handlers see it: the body decoded with
 * "use number" (literal number text kept), Go's GetOk presence rules, and
 * mapstructure's weak decoding of the few values KV converts itself.
 */
import { RawJson, type EngineRequest } from '../engine.js'
import { isGoObject, newObject, requestFields, type GoObject, type GoValue } from '../go-value.js'

/** The request's top-level fields with number literals kept (see go-value.ts). */
export const bodyFields = requestFields

/**
 * Go's FieldData.GetOk: a field is present when the request carries it,
 * even as null, except duration fields, for which null means absent.
 */
export function present (req: EngineRequest, name: string, isDuration = false): boolean {
  if (!Object.hasOwn(req.data.raw, name)) return false
  return !isDuration || req.data.raw[name] !== null
}

/**
 * A TypeMap value after mapstructure's weak decoding: a map as is, a list
 * of maps merged in order, an empty list as an empty map, null as null.
 * The core's field validation has already rejected anything else.
 */
export function weakMap (value: GoValue | undefined): GoObject | null {
  if (value === undefined || value === null) return null
  if (isGoObject(value)) return value
  if (Array.isArray(value)) {
    const out = newObject()
    for (const item of value) if (isGoObject(item)) Object.assign(out, item)
    return out
  }
  return newObject()
}

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

const DIGITS: Readonly<Record<number, RegExp>> = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^\d+$/, 16: /^[0-9a-fA-F]+$/ }
const BIGINT_PREFIX: Readonly<Record<number, string>> = { 2: '0b', 8: '0o', 10: '', 16: '0x' }

/** The radix and digits of a base-0 literal (`0x1f`, `0b1`, `0o7`, `017`, `42`). */
function splitBase (digits: string): [number, string] {
  if (/^0[xX]/.test(digits)) return [16, digits.slice(2)]
  if (/^0[bB]/.test(digits)) return [2, digits.slice(2)]
  if (/^0[oO]/.test(digits)) return [8, digits.slice(2)]
  if (/^0\d/.test(digits)) return [8, digits.slice(1)]
  return [10, digits]
}

/** strconv.ParseInt(text, base, 64); undefined when it fails. */
export function parseGoInt (text: string, base: 0 | 10): bigint | undefined {
  const m = /^([+-]?)(.*)$/s.exec(text)
  if (m === null) return undefined
  const [radix, digits] = base === 0 ? splitBase(m[2]) : [10, m[2]]
  if (!DIGITS[radix].test(digits)) return undefined
  let n = BigInt(BIGINT_PREFIX[radix] + digits)
  if (m[1] === '-') n = -n
  if (n < INT64_MIN || n > INT64_MAX) return undefined
  return n
}

/**
 * mapstructure.WeakDecode of a decoded JSON value into a Go int (64-bit).
 * Returns undefined when Vault's decoder would fail.
 */
export function weakInt (value: GoValue): bigint | undefined {
  if (value === null) return 0n
  if (typeof value === 'boolean') return value ? 1n : 0n
  if (value instanceof RawJson) return parseGoInt(value.text, 10)
  if (typeof value === 'string') return parseGoInt(value === '' ? '0' : value, 0)
  return undefined
}
