/**
 * A scanner that finds where Go's encoding/json would stop on a body
 * JSON.parse rejected: either the end of a complete first value (Go ignores
 * what follows) or Go's error text (encoding/json scanner.go wording).
 * Only runs on bodies that already failed to parse, never on the hot path.
 */

export interface ScanResult {
  /** Offset just past the first complete value. */
  end: number
  error?: string
}

const GO_ESCAPES: Readonly<Record<number, string>> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 0x5c: '\\\\' }

/**
 * encoding/json's quoteChar: Go's scanner works on bytes, so a multi-byte
 * character is reported by its first byte read as a rune (a BOM reads 'ï',
 * U+0082 reads 'Â'), and strconv.Quote escapes control characters ('\n',
 * '\x01'). Observed on OpenBao 2.6.2.
 */
function quoteChar (c: string): string {
  if (c === "'") return "'\\''"
  if (c === '"') return "'\"'"
  const byte = Buffer.from(c, 'utf8')[0] ?? 0
  if (GO_ESCAPES[byte] !== undefined) return `'${GO_ESCAPES[byte]}'`
  if (byte < 0x20 || byte === 0x7f) return `'\\x${byte.toString(16).padStart(2, '0')}'`
  return `'${String.fromCharCode(byte)}'`
}

class ScanError extends Error {}

export function goJsonError (text: string, start = 0): ScanResult {
  let i = start
  const n = text.length
  const ws = (): void => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++
  }
  const fail = (context: string): never => {
    if (i >= n) throw new ScanError('unexpected EOF')
    const c = String.fromCodePoint(text.codePointAt(i) ?? 0)
    throw new ScanError(`invalid character ${quoteChar(c)} ${context}`)
  }
  const literal = (word: string): void => {
    for (let k = 0; k < word.length; k++) {
      if (i >= n) throw new ScanError('unexpected EOF')
      if (text[i] !== word[k]) fail(`in literal ${word} (expecting ${quoteChar(word[k])})`)
      i++
    }
  }
  const string = (): void => {
    i++ // opening quote
    while (true) {
      if (i >= n) throw new ScanError('unexpected EOF')
      const c = text[i]
      if (c === '"') { i++; return }
      if (c === '\\') {
        i++
        if (i >= n) throw new ScanError('unexpected EOF')
        const e = text[i]
        if ('"\\/bfnrt'.includes(e)) { i++; continue }
        if (e === 'u') {
          i++
          for (let k = 0; k < 4; k++) {
            if (i >= n) throw new ScanError('unexpected EOF')
            if (!/[0-9a-fA-F]/.test(text[i])) fail('in \\u hexadecimal character escape')
            i++
          }
          continue
        }
        fail('in string escape code')
      }
      if (c.charCodeAt(0) < 0x20) fail('in string literal')
      i++
    }
  }
  const number = (): void => {
    if (text[i] === '-') {
      i++
      if (i >= n) throw new ScanError('unexpected EOF')
      if (!/[0-9]/.test(text[i])) fail('in numeric literal')
    }
    if (text[i] === '0') i++
    else while (i < n && /[0-9]/.test(text[i])) i++
    if (i < n && text[i] === '.') {
      i++
      if (i >= n) throw new ScanError('unexpected EOF')
      if (!/[0-9]/.test(text[i])) fail('after decimal point in numeric literal')
      while (i < n && /[0-9]/.test(text[i])) i++
    }
    if (i < n && (text[i] === 'e' || text[i] === 'E')) {
      i++
      if (i < n && (text[i] === '+' || text[i] === '-')) i++
      if (i >= n) throw new ScanError('unexpected EOF')
      if (!/[0-9]/.test(text[i])) fail('in exponent of numeric literal')
      while (i < n && /[0-9]/.test(text[i])) i++
    }
  }
  const value = (depth: number): void => {
    if (depth > 10000) throw new ScanError('exceeded max depth')
    ws()
    if (i >= n) throw new ScanError('unexpected EOF')
    const c = text[i]
    if (c === '{') {
      i++
      ws()
      if (text[i] === '}') { i++; return }
      while (true) {
        ws()
        if (i >= n) throw new ScanError('unexpected EOF')
        if (text[i] !== '"') fail('looking for beginning of object key string')
        string()
        ws()
        if (i >= n) throw new ScanError('unexpected EOF')
        if (text[i] !== ':') fail('after object key')
        i++
        value(depth + 1)
        ws()
        if (i >= n) throw new ScanError('unexpected EOF')
        if (text[i] === ',') { i++; continue }
        if (text[i] === '}') { i++; return }
        fail('after object key:value pair')
      }
    }
    if (c === '[') {
      i++
      ws()
      if (text[i] === ']') { i++; return }
      while (true) {
        value(depth + 1)
        ws()
        if (i >= n) throw new ScanError('unexpected EOF')
        if (text[i] === ',') { i++; continue }
        if (text[i] === ']') { i++; return }
        fail('after array element')
      }
    }
    if (c === '"') return string()
    if (c === '-' || (c >= '0' && c <= '9')) return number()
    if (c === 't') return literal('true')
    if (c === 'f') return literal('false')
    if (c === 'n') return literal('null')
    fail('looking for beginning of value')
  }
  try {
    value(0)
    return { end: i }
  } catch (err) {
    if (err instanceof ScanError) return { end: i, error: err.message }
    if (err instanceof RangeError) return { end: i, error: 'exceeded max depth' }
    throw err
  }
}

type TokenState = 'topValue' | 'arrayStart' | 'arrayValue' | 'arrayComma' |
  'objectStart' | 'objectKey' | 'objectColon' | 'objectValue' | 'objectComma'

/** Go's Decoder.tokenError contexts (encoding/json stream.go); objectStart has none. */
const TOKEN_CONTEXT: Record<TokenState, string> = {
  topValue: ' looking for beginning of value',
  arrayStart: ' looking for beginning of value',
  arrayValue: ' looking for beginning of value',
  objectValue: ' looking for beginning of value',
  arrayComma: ' after array element',
  objectKey: ' looking for beginning of object key string',
  objectColon: ' after object key',
  objectComma: ' after object key:value pair',
  objectStart: ''
}

/**
 * OpenBao walks every JSON body with json.Decoder.Token() up to EOF before
 * decoding it (http/json.go EnforceJSONComplexityLimits), so its error
 * texts are the tokenizer's: no context right after `{`, garbage after a
 * complete value rejected, and an input that simply stops is fine (the
 * decode that follows reports it). Returns the walk's error, if any.
 */
export function goTokenWalkError (text: string): string | undefined {
  let i = 0
  const n = text.length
  let state: TokenState = 'topValue'
  const stack: TokenState[] = []
  const valueAllowed = (): boolean =>
    state === 'topValue' || state === 'arrayStart' || state === 'arrayValue' || state === 'objectValue'
  const valueEnd = (): void => {
    if (state === 'arrayStart' || state === 'arrayValue') state = 'arrayComma'
    else if (state === 'objectValue') state = 'objectComma'
  }
  const tokenError = (c: string): string => `invalid character ${quoteChar(c)}${TOKEN_CONTEXT[state]}`
  while (true) {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++
    if (i >= n) return undefined
    const c = String.fromCodePoint(text.codePointAt(i) ?? 0)
    if (c === '[' || c === '{') {
      if (!valueAllowed()) return tokenError(c)
      i++
      stack.push(state)
      state = c === '[' ? 'arrayStart' : 'objectStart'
    } else if (c === ']' || c === '}') {
      const ok = c === ']'
        ? state === 'arrayStart' || state === 'arrayComma'
        : state === 'objectStart' || state === 'objectComma'
      if (!ok) return tokenError(c)
      i++
      state = stack.pop() ?? 'topValue'
      valueEnd()
    } else if (c === ':') {
      if (state !== 'objectColon') return tokenError(c)
      i++
      state = 'objectValue'
    } else if (c === ',') {
      if (state === 'arrayComma') state = 'arrayValue'
      else if (state === 'objectComma') state = 'objectKey'
      else return tokenError(c)
      i++
    } else if (c === '"' && (state === 'objectStart' || state === 'objectKey')) {
      const scan = goJsonError(text, i)
      if (scan.error !== undefined) return scan.error
      i = scan.end
      state = 'objectColon'
    } else {
      if (!valueAllowed()) return tokenError(c)
      // A scalar is read by a full Decode: the scanner's own texts.
      const scan = goJsonError(text, i)
      if (scan.error !== undefined) return scan.error
      i = scan.end
      valueEnd()
    }
  }
}
