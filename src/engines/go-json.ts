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
const ESCAPE_MAP: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029'
}

function escapeHtml (text: string): string {
  return text.replace(ESCAPES, (c) => ESCAPE_MAP[c])
}

function byteOrder (a: string, b: string): number {
  // JS compares UTF-16 code units; Go compares UTF-8 bytes. They agree
  // except around surrogates, which Buffer.compare settles.
  if (a === b) return 0
  const simple = /^[\x00-\ud7ff]*$/
  if (simple.test(a) && simple.test(b)) return a < b ? -1 : 1
  return Buffer.compare(Buffer.from(a), Buffer.from(b))
}

function write (value: unknown): string {
  if (value === null || value === undefined) return 'null'
  switch (typeof value) {
    case 'string': return escapeHtml(JSON.stringify(value))
    case 'number': return Number.isFinite(value) ? JSON.stringify(value) : 'null'
    case 'boolean': return value ? 'true' : 'false'
    case 'bigint': return value.toString()
    case 'object': break
    default: return 'null'
  }
  if (value instanceof RawJson) return value.text
  if (Array.isArray(value)) return `[${value.map(write).join(',')}]`
  if (Buffer.isBuffer(value)) return JSON.stringify(value.toString('base64'))
  const obj = value as Record<string, unknown>
  let keys = Object.keys(obj).filter((k) => obj[k] !== undefined)
  if (!ORDERED.has(obj)) keys = keys.sort(byteOrder)
  const parts = keys.map((k) => `${escapeHtml(JSON.stringify(k))}:${write(obj[k])}`)
  return `{${parts.join(',')}}`
}

/** Serialise like Go's json.Marshal (no trailing newline). */
export function goJsonStringify (value: unknown): string {
  return write(value)
}
