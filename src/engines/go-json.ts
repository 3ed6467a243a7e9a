/**
 * JSON as Go's encoding/json writes it: map keys sorted byte-wise, struct
 * fields in declaration order (objects marked with `ordered`), and `<`, `>`,
 * `&`, U+2028, U+2029 escaped as \u003c... . Byte-for-byte parity with
 * Vault's bodies depends on this.
 */
import { RawJson } from './engine.js'

const ORDERED = new WeakSet<object>()

/** Mark an object as a Go struct: its keys keep insertion order. */
export function ordered<T extends object> (value: T): T {
  ORDERED.add(value)
  return value
}

const ESCAPES = /[<>&\u2028\u2029]/g
const NEEDS_ESCAPE = /[<>&\u2028\u2029]/
const ESCAPE_MAP: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029'
}

/** Nothing JSON or Go would escape: no quote, backslash, control character, HTML character, U+2028/9 or surrogate. */
const PLAIN = /^[^"\\\x00-\x1f<>&\u2028\u2029\ud800-\udfff]*$/

/** A JSON string literal with Go's HTML-safe escapes. */
function quote (text: string): string {
  // Most strings (keys, ids, base64) need no escaping at all.
  if (PLAIN.test(text)) return '"' + text + '"'
  const json = JSON.stringify(text)
  return NEEDS_ESCAPE.test(json) ? json.replace(ESCAPES, (c) => ESCAPE_MAP[c]) : json
}

/** Only code points below the surrogates: UTF-16 order is UTF-8 byte order. */
const SIMPLE = /^[\x00-\ud7ff]*$/

function byteOrder (a: string, b: string): number {
  // JS compares UTF-16 code units; Go compares UTF-8 bytes. They agree
  // except around surrogates, which Buffer.compare settles.
  if (a === b) return 0
  if (SIMPLE.test(a) && SIMPLE.test(b)) return a < b ? -1 : 1
  return Buffer.compare(Buffer.from(a), Buffer.from(b))
}

/** Sort map keys as Go does: the plain sort when every key is simple (the usual case). */
function sortKeys (keys: string[]): string[] {
  for (const k of keys) {
    if (!SIMPLE.test(k)) return keys.sort(byteOrder)
  }
  return keys.sort()
}

// Hot path (every response body): plain loops and concatenation, no
// intermediate arrays.
function write (value: unknown): string {
  if (value === null || value === undefined) return 'null'
  switch (typeof value) {
    case 'string': return quote(value)
    case 'number': return Number.isFinite(value) ? JSON.stringify(value) : 'null'
    case 'boolean': return value ? 'true' : 'false'
    case 'bigint': return value.toString()
    case 'object': break
    default: return 'null'
  }
  if (value instanceof RawJson) return value.text
  if (Array.isArray(value)) {
    let out = '['
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + write(value[i])
    return out + ']'
  }
  if (Buffer.isBuffer(value)) return JSON.stringify(value.toString('base64'))
  const obj = value as Record<string, unknown>
  const keys = ORDERED.has(obj) ? Object.keys(obj) : sortKeys(Object.keys(obj))
  let out = '{'
  for (const k of keys) {
    const v = obj[k]
    if (v === undefined) continue
    out += (out.length === 1 ? '' : ',') + quote(k) + ':' + write(v)
  }
  return out + '}'
}

/** Serialise like Go's json.Marshal (no trailing newline). */
export function goJsonStringify (value: unknown): string {
  return write(value)
}
