/**
 * JSON values as Vault's Go code holds them after decoding a request with
 * "use number": numbers keep their literal text (as RawJson), objects are
 * maps (serialised with sorted keys), duplicate keys keep the last value and
 * lone UTF-16 surrogate escapes become U+FFFD, as encoding/json does.
 */
import { RawJson, type EngineRequest } from './engine.js'
import { goJsonStringify } from './go-json.js'

/** A decoded JSON value; numbers are RawJson holding their literal text. */
export type GoValue = null | boolean | string | RawJson | GoValue[] | GoObject
export interface GoObject { [key: string]: GoValue }

export class GoJsonSyntaxError extends Error {
  override name = 'GoJsonSyntaxError'
}

/** A fresh map without a prototype, so keys such as `__proto__` stay plain data. */
export function newObject (): GoObject {
  return Object.create(null) as GoObject
}

export function isGoObject (value: unknown): value is GoObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof RawJson)
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y

/**
 * Decode the first JSON value of `text` (Go's Decoder ignores what follows).
 * Throws GoJsonSyntaxError on malformed input.
 */
export function parseGoJson (text: string): GoValue {
  let i = 0
  const fail = (): never => { throw new GoJsonSyntaxError(`invalid JSON at offset ${i}`) }
  const ws = (): void => {
    while (i < text.length) {
      const c = text.charCodeAt(i)
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break
      i++
    }
  }
  const hex4 = (at: number): number => {
    const h = text.slice(at, at + 4)
    if (!/^[0-9a-fA-F]{4}$/.test(h)) fail()
    return parseInt(h, 16)
  }
  const string = (): string => {
    i++
    let out = ''
    let start = i
    while (true) {
      if (i >= text.length) fail()
      const c = text.charCodeAt(i)
      if (c === 0x22) {
        out += text.slice(start, i)
        i++
        return out
      }
      if (c < 0x20) fail()
      if (c !== 0x5c) { i++; continue }
      out += text.slice(start, i)
      const e = text[i + 1]
      i += 2
      switch (e) {
        case '"': out += '"'; break
        case '\\': out += '\\'; break
        case '/': out += '/'; break
        case 'b': out += '\b'; break
        case 'f': out += '\f'; break
        case 'n': out += '\n'; break
        case 'r': out += '\r'; break
        case 't': out += '\t'; break
        case 'u': {
          let code = hex4(i)
          i += 4
          if (code >= 0xd800 && code < 0xe000) {
            // A valid pair decodes; anything else is U+FFFD (the next escape is kept).
            const pairOk = code < 0xdc00 && text.startsWith('\\u', i) &&
              /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))
            const low = pairOk ? parseInt(text.slice(i + 2, i + 6), 16) : 0
            if (pairOk && low >= 0xdc00 && low < 0xe000) {
              out += String.fromCharCode(code, low)
              i += 6
              break
            }
            code = 0xfffd
          }
          out += String.fromCharCode(code)
          break
        }
        default: fail()
      }
      start = i
    }
  }
  const value = (): GoValue => {
    ws()
    const c = text[i]
    if (c === '{') {
      i++
      const obj = newObject()
      ws()
      if (text[i] === '}') { i++; return obj }
      while (true) {
        ws()
        if (text[i] !== '"') fail()
        const key = string()
        ws()
        if (text[i] !== ':') fail()
        i++
        obj[key] = value()
        ws()
        if (text[i] === ',') { i++; continue }
        if (text[i] === '}') { i++; return obj }
        fail()
      }
    }
    if (c === '[') {
      i++
      const arr: GoValue[] = []
      ws()
      if (text[i] === ']') { i++; return arr }
      while (true) {
        arr.push(value())
        ws()
        if (text[i] === ',') { i++; continue }
        if (text[i] === ']') { i++; return arr }
        fail()
      }
    }
    if (c === '"') return string()
    if (text.startsWith('true', i)) { i += 4; return true }
    if (text.startsWith('false', i)) { i += 5; return false }
    if (text.startsWith('null', i)) { i += 4; return null }
    NUMBER.lastIndex = i
    const m = NUMBER.exec(text)
    if (m === null || m[0] === '' || m[0] === '-') return fail()
    i += m[0].length
    return new RawJson(m[0])
  }
  return value()
}

/** A value decoded by JSON.parse, as a GoValue (numbers as their JS text). */
export function fromPlain (value: unknown): GoValue {
  if (value === null || value === undefined) return null
  if (typeof value === 'boolean' || typeof value === 'string') return value
  if (typeof value === 'number') return new RawJson(Number.isFinite(value) ? JSON.stringify(value) : '0')
  if (value instanceof RawJson) return value
  if (Array.isArray(value)) return value.map(fromPlain)
  if (typeof value === 'object') {
    const out = newObject()
    for (const [k, v] of Object.entries(value)) out[k] = fromPlain(v)
    return out
  }
  return null
}

/** Go's json.Marshal of a decoded value: sorted keys, literal numbers. */
export function marshalGo (value: GoValue): string {
  return goJsonStringify(value)
}

export class FloatOverflowError extends Error {
  override name = 'FloatOverflowError'
}

/**
 * Go's float64 formatting (encoding/json): the shortest round-trip digits,
 * as JavaScript prints them, except that negative zero keeps its sign.
 */
function goFloatText (literal: string): string {
  const n = Number(literal)
  if (!Number.isFinite(n)) {
    throw new FloatOverflowError(`json: cannot unmarshal number ${literal} into Go value of type float64`)
  }
  if (Object.is(n, -0)) return '-0'
  return JSON.stringify(n)
}

/**
 * What KV v2 reads back: its handlers decode stored data into float64,
 * so `1.0` becomes `1` and big integers lose digits. Throws
 * FloatOverflowError for a literal beyond float64 range (Vault: 500).
 */
export function toFloat64 (value: GoValue): GoValue {
  if (value instanceof RawJson) return new RawJson(goFloatText(value.text))
  if (Array.isArray(value)) return value.map(toFloat64)
  if (isGoObject(value)) {
    const out = newObject()
    for (const k of Object.keys(value)) out[k] = toFloat64(value[k])
    return out
  }
  return value
}

/**
 * A request's top-level fields as Go decoded them. JSON bodies are re-read
 * from the raw text so number literals survive; form bodies and query
 * strings come from the already-parsed data.
 */
export function requestFields (req: EngineRequest): GoObject {
  const text = req.bodyText
  if (text !== undefined && /^\s*\{/.test(text)) {
    try {
      const parsed = parseGoJson(text)
      if (isGoObject(parsed)) return parsed
    } catch (err) {
      if (!(err instanceof GoJsonSyntaxError)) throw err
    }
  }
  const out = newObject()
  for (const [k, v] of Object.entries(req.requestData ?? {})) out[k] = fromPlain(v)
  return out
}
