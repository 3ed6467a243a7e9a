/**
 * Request bodies as Vault reads them (http/handler.go parseJSONRequest,
 * parseFormRequest): JSON whatever the Content-Type, a form only when it
 * says so and does not start with `{` or `[`, empty and `null` allowed,
 * and Go's decoder error texts for anything else.
 */
import { VaultError } from '../errors/index.js'
import type { Flavor } from '../engines/engine.js'
import { goJsonError, goTokenWalkError } from './go-json-scan.js'
import { goDepthError, openbaoComplexityError, openbaoNumberRangeError } from './json-limits.js'

export interface ParsedBody {
  data: Record<string, unknown> | null
  text: string | undefined
}

function jsonPrefix (flavor: Flavor): string {
  return flavor === 'openbao' ? 'failed to decode JSON input' : 'failed to parse JSON input'
}

function isForm (contentType: string | undefined, text: string): boolean {
  if (contentType === undefined) return false
  const mime = contentType.split(';')[0].trim().toLowerCase()
  if (mime !== 'application/x-www-form-urlencoded') return false
  // Go skips only JSON's own whitespace here; JS trimStart would also eat a BOM.
  const first = text.slice(0, 512).replace(/^[ \t\r\n]+/, '')[0]
  return first !== '{' && first !== '['
}

/** Go's url.QueryUnescape for form values: strict about `%` escapes. */
function formUnescape (text: string): string {
  if (/%(?![0-9A-Fa-f]{2})/.test(text)) throw VaultError.invalidRequest('error parsing form data')
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    // Go accepts any byte sequence; JavaScript wants UTF-8: keep the raw bytes' text.
    return Buffer.from(text.replace(/\+/g, ' ').replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) =>
      String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8')
  }
}

/** Go's url.ParseQuery (r.ParseForm): `;` is an error, so is a bad escape. */
function parseForm (text: string): Record<string, unknown> | null {
  const out: Record<string, string> = {}
  for (const part of text.split('&')) {
    if (part === '') continue
    if (part.includes(';')) throw VaultError.invalidRequest('error parsing form data')
    const eq = part.indexOf('=')
    const key = formUnescape(eq < 0 ? part : part.slice(0, eq))
    const value = formUnescape(eq < 0 ? '' : part.slice(eq + 1))
    out[key] = Object.hasOwn(out, key) ? `${out[key]},${value}` : value
  }
  return Object.keys(out).length === 0 ? null : out
}

export function parseBody (raw: Buffer | undefined, contentType: string | undefined, flavor: Flavor): ParsedBody {
  if (raw === undefined || raw.length === 0) return { data: null, text: undefined }
  const text = raw.toString('utf8')
  if (isForm(contentType, text)) return { data: parseForm(text), text }
  // Only whitespace: Go's decoder reports io.EOF, which Vault treats as no body.
  if (/^[ \t\r\n]*$/.test(text)) return { data: null, text }
  // OpenBao walks the tokens first: too many strings, too large, numbers past float64.
  if (flavor === 'openbao') {
    const complexity = openbaoComplexityError(text)
    if (complexity !== undefined) throw VaultError.invalidRequest(complexity)
    const range = openbaoNumberRangeError(text)
    if (range !== undefined) throw VaultError.invalidRequest(`${jsonPrefix(flavor)}: ${range}`)
  }
  let value: unknown
  let valueText = text
  try {
    value = JSON.parse(text)
  } catch {
    if (flavor === 'openbao') {
      const walkError = goTokenWalkError(text)
      if (walkError !== undefined) throw VaultError.invalidRequest(`${jsonPrefix(flavor)}: ${walkError}`)
    }
    // Go's decoder reads only the first value and reports its own texts.
    const scan = goJsonError(text)
    if (scan.error !== undefined) {
      throw VaultError.invalidRequest(`${jsonPrefix(flavor)}: ${scan.error}`)
    }
    try {
      valueText = text.slice(0, scan.end)
      value = JSON.parse(valueText)
    } catch {
      throw VaultError.invalidRequest(`${jsonPrefix(flavor)}: invalid character looking for beginning of value`)
    }
  }
  // encoding/json refuses nesting past 10000; engines walk values recursively.
  const depthError = goDepthError(valueText)
  if (depthError !== undefined) throw VaultError.invalidRequest(`${jsonPrefix(flavor)}: ${depthError}`)
  if (value === null) return { data: null, text }
  if (typeof value !== 'object' || Array.isArray(value)) {
    const kind = Array.isArray(value) ? 'array' : typeof value === 'string' ? 'string' : typeof value === 'boolean' ? 'bool' : 'number'
    throw VaultError.invalidRequest(`${jsonPrefix(flavor)}: json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`)
  }
  return { data: value as Record<string, unknown>, text }
}
