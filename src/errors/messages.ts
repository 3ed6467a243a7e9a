// Vault's exact error and warning texts that more than one module uses.
// Engine-specific texts live next to their engine; each quirk is noted.

/** Field coercion failure (sdk/framework field_data.go). */
export function fieldValidation (field: string, detail: string): string {
  return `Field validation failed: error converting input for field "${field}": ${detail}`
}

/** Warning for body or query fields no path declares (sdk/framework backend.go). */
export function ignoredParameters (names: string[]): string {
  return `Endpoint ignored these unrecognized parameters: [${[...names].sort().join(' ')}]`
}

/** Warning when a body field collides with a path capture. */
export function replacedParameters (names: string[]): string {
  return "Endpoint replaced the value of these parameters with the values captured from the endpoint's path: " +
    `[${[...names].sort().join(' ')}]`
}

const GO_QUOTE_ESCAPES: Readonly<Record<string, string>> = {
  '\u0007': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\'
}

/** Go's strconv.Quote (fmt %q): printable Unicode kept, the rest escaped. */
export function goQuote (text: string): string {
  let out = '"'
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0
    if (GO_QUOTE_ESCAPES[ch] !== undefined) out += GO_QUOTE_ESCAPES[ch]
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`
    else if (ch === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch)) out += ch
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`
    else out += `\\U${code.toString(16).padStart(8, '0')}`
  }
  return out + '"'
}

/** Vault's router error, with the path as Go's %q prints it (a backslash doubled). */
export function noHandlerForRoute (path: string): string {
  return `no handler for route ${goQuote(path)}. route entry not found.`
}

export const WRITE_TO_TRAILING_SLASH = "cannot write to a path ending in '/'"
export const RELATIVE_PATHS = 'relative paths not supported'
export const BODY_TOO_LARGE = 'http: request body too large'
export const SEALED = 'Vault is sealed'

export function patchContentType (provided: string): string {
  return `PATCH requires Content-Type of application/merge-patch+json, provided ${provided}`
}
