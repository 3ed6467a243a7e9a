/**
 * Go's strconv.Quote and unicode.IsPrint, for error texts that quote user
 * input with %q (custom_metadata validation).
 */

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]*$/u

/** strutil.Printable: every rune is a letter, mark, number, punctuation, symbol or ASCII space. */
export function isPrintable (text: string): boolean {
  return PRINTABLE.test(text)
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\'
}

/** strconv.Quote: a double-quoted Go string literal, non-printables escaped. */
export function goQuote (text: string): string {
  let out = '"'
  for (const ch of text) {
    const short = SHORT_ESCAPES[ch]
    if (short !== undefined) { out += short; continue }
    const code = ch.codePointAt(0) ?? 0
    if (ch === ' ' || (code !== 0x20 && isPrintable(ch))) { out += ch; continue }
    if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`
    else if (code >= 0xd800 && code < 0xe000) out += '\\ufffd'
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`
    else out += `\\U${code.toString(16).padStart(8, '0')}`
  }
  return out + '"'
}
