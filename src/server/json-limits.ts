/**
 * The limits Go and OpenBao put on a JSON body's shape, checked on the raw
 * text before anything walks the parsed value recursively:
 *
 * - encoding/json refuses nesting deeper than 10000 (scanner.go
 *   maxNestingDepth), in both servers;
 * - OpenBao walks every body's tokens first and refuses more than 1000
 *   strings (keys included) or an estimated decoded size over 32.5 MiB
 *   (http/json.go EnforceJSONComplexityLimits, vault.DefaultMaxJsonStrings
 *   and DefaultMaxJsonMemory).
 *
 * - localvault itself refuses nesting past LOCAL_MAX_DEPTH (below).
 *
 * Each check first counts characters, so an ordinary body costs one pass
 * of `indexOf`-like scanning and no tokenising.
 */
import { goTokenWalkError } from './go-json-scan.js'

/** encoding/json's maxNestingDepth. */
export const GO_MAX_DEPTH = 10_000
/** OpenBao's DefaultMaxJsonStrings. */
export const OPENBAO_MAX_STRINGS = 1000
/** OpenBao's DefaultMaxJsonMemory: 32 MiB + 512 KiB. */
export const OPENBAO_MAX_MEMORY = 32 * 1024 * 1024 + 512 * 1024

// OpenBao's per-token cost estimate (http/json.go safeJSONCost*).
const BASE = 16
const COST = { array: BASE + 24, object: BASE + 72, literal: BASE + 1, number: BASE + 8, string: BASE + 16 }

function countChar (text: string, c: number): number {
  let n = 0
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === c) n++
  return n
}

/** Index just past the string whose opening quote is at `i` (or text.length). */
function skipString (text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j)
    if (c === 0x5c) j++
    else if (c === 0x22) return j + 1
  }
  return text.length
}

/**
 * How deep a body may nest here. LIMITATION: Go decodes JSON nested up to
 * 10000 levels and Vault stores and returns it; the engines here walk
 * values recursively (field coercion, Go-order serialisation, merge
 * patches), which exhausts the JS stack near 3000 levels. Bodies nested
 * deeper than this are refused with a 400 naming the limit instead of
 * failing with a 500 (README, "Known differences").
 */
export const LOCAL_MAX_DEPTH = 1000

/**
 * The depth error for a body that is otherwise valid JSON: Go's `invalid
 * character '[' exceeded max depth` past 10000 levels, localvault's own
 * refusal past LOCAL_MAX_DEPTH, or undefined.
 */
export function goDepthError (text: string): string | undefined {
  if (countChar(text, 0x5b) + countChar(text, 0x7b) <= LOCAL_MAX_DEPTH) return undefined
  let depth = 0
  let max = 0
  let maxAt = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      i = skipString(text, i) - 1
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > GO_MAX_DEPTH) return `invalid character '${text[i]}' exceeded max depth`
      if (depth > max) { max = depth; maxAt = i }
    } else if (c === 0x5d || c === 0x7d) {
      depth--
    }
  }
  if (max > LOCAL_MAX_DEPTH) {
    return `invalid character '${text[maxAt]}' exceeded localvault's max depth of ${LOCAL_MAX_DEPTH} nested arrays and objects (Vault allows ${GO_MAX_DEPTH})`
  }
  return undefined
}

/**
 * OpenBao's complexity refusal for this body, or undefined (including when
 * the token walk would stop on a syntax error first: that error is the
 * answer, and the caller's parser reports it).
 */
export function openbaoComplexityError (text: string): string | undefined {
  const mayHaveManyStrings = countChar(text, 0x22) > 2 * OPENBAO_MAX_STRINGS
  // The cheapest token costs 17 estimated bytes for 2 characters of text.
  const mayBeLarge = text.length * 20 > OPENBAO_MAX_MEMORY
  if (!mayHaveManyStrings && !mayBeLarge) return undefined
  let strings = 0
  let memory = 0
  let exceeded: string | undefined
  let at = 0
  for (let i = 0; i < text.length && exceeded === undefined; i++) {
    const c = text.charCodeAt(i)
    at = i
    if (c === 0x22) {
      const end = skipString(text, i)
      strings++
      memory += COST.string + Buffer.byteLength(text.slice(i + 1, Math.max(i + 1, end - 1)))
      if (strings > OPENBAO_MAX_STRINGS) exceeded = 'exceeded maximum number of strings'
      i = end - 1
    } else if (c === 0x5b) {
      memory += COST.array
    } else if (c === 0x7b) {
      memory += COST.object
    } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
      memory += COST.literal
      while (i + 1 < text.length && /[a-z]/.test(text[i + 1])) i++
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      memory += COST.number
      while (i + 1 < text.length && /[0-9eE+.-]/.test(text[i + 1])) i++
    }
    if (exceeded === undefined && memory > OPENBAO_MAX_MEMORY) exceeded = 'exceeded maximum estimated memory limits'
  }
  if (exceeded === undefined) return undefined
  // A syntax error the token walk meets before this point wins.
  if (goTokenWalkError(text.slice(0, at)) !== undefined) return undefined
  return `refused JSON input due to high complexity: ${exceeded}`
}

/**
 * OpenBao's token walk decodes numbers as float64, so a literal past its
 * range (`1e400`) is refused: `json: cannot unmarshal number 1e400 into Go
 * value of type float64`. JSON.parse would quietly make it Infinity.
 */
export function openbaoNumberRangeError (text: string): string | undefined {
  if (!/\d[eE]\+?\d{3}|\d{300}/.test(text)) return undefined
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      i = skipString(text, i) - 1
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1
      while (j < text.length && /[0-9eE+.-]/.test(text[j])) j++
      const literal = text.slice(i, j)
      if (!Number.isFinite(Number(literal))) return `json: cannot unmarshal number ${literal} into Go value of type float64`
      i = j - 1
    }
  }
  return undefined
}
