/**
 * Every endpoint the server serves, read from the engines' own PathSpec
 * tables (a throw-away in-process core with the same mounts), so a field or
 * path an engine adds tomorrow is fuzzed without touching these tests.
 */
import { Core } from '../../../src/core/core.js'
import { createClock } from '../../../src/clock/index.js'
import { createSecureRandom } from '../../../src/crypto/random.js'
import { createMemoryStorage } from '../../../src/storage/index.js'
import type { Flavor, HandlerOperation } from '../../../src/engines/engine.js'
import type { FieldSpecs, FieldType } from '../../../src/engines/fields.js'

/** The extra mounts every hardening server starts with (besides dev mode's own). */
export const HARDENING_MOUNTS = [
  { path: 'transit', type: 'transit' },
  { path: 'hzkv1', type: 'kv-v1' },
  { path: 'hzkv2', type: 'kv-v2' }
]

export interface Endpoint {
  /** Mount prefix with its slash: `transit/`, `auth/token/`. */
  mount: string
  mountType: string
  /** Regex source relative to the mount. */
  pattern: string
  regex: RegExp
  fields: FieldSpecs
  operations: HandlerOperation[]
  /** Named groups of the pattern (path captures override body fields). */
  captures: string[]
  /** Whether a write here runs an existence check (and validates fields there, before the ACL). */
  existenceCheck: boolean
}

const silent = { debug () {}, info () {}, warn () {}, error () {} }

/** Read the path tables of every mounted engine (they can differ by flavor). */
export function loadEndpoints (flavor: Flavor = 'vault'): Endpoint[] {
  const core = new Core({
    storage: createMemoryStorage(),
    clock: createClock(),
    random: createSecureRandom(),
    log: silent,
    flavor,
    devMounts: HARDENING_MOUNTS
  })
  core.start()
  const out: Endpoint[] = []
  for (const m of core.mounts.all()) {
    for (const p of m.paths) {
      out.push({
        mount: m.prefix,
        mountType: m.entry.type,
        pattern: p.pattern,
        regex: p.regex,
        fields: p.fields ?? {},
        operations: Object.keys(p.operations) as HandlerOperation[],
        captures: [...p.pattern.matchAll(/\(\?<(\w+)>/g)].map((x) => x[1]),
        existenceCheck: p.existenceCheck !== undefined
      })
    }
  }
  return out
}

/** A piece of a path pattern: literal text, a named capture, a sequence, or an optional piece. */
type Piece =
  | { kind: 'text', text: string }
  | { kind: 'group', name: string }
  | { kind: 'seq', pieces: Piece[] }
  | { kind: 'optional', piece: Piece }

/** Index of the `)` closing the group opened at `i`. */
function closing (pattern: string, i: number): number {
  let depth = 0
  for (let j = i; j < pattern.length; j++) {
    if (pattern[j] === '\\') { j++; continue }
    if (pattern[j] === '(') depth++
    if (pattern[j] === ')' && --depth === 0) return j
  }
  return pattern.length
}

/** Split the small regex dialect path tables use into pieces. */
export function parsePattern (pattern: string): Piece[] {
  const pieces: Piece[] = []
  let i = 0
  while (i < pattern.length) {
    const c = pattern[i]
    let piece: Piece
    if (pattern.startsWith('(?<', i)) {
      const end = closing(pattern, i)
      piece = { kind: 'group', name: pattern.slice(i + 3, pattern.indexOf('>', i)) }
      i = end + 1
    } else if (pattern.startsWith('(?:', i)) {
      const end = closing(pattern, i)
      piece = { kind: 'seq', pieces: parsePattern(pattern.slice(i + 3, end)) }
      i = end + 1
    } else if (c === '\\') {
      piece = { kind: 'text', text: pattern[i + 1] }
      i += 2
    } else {
      piece = { kind: 'text', text: c }
      i += 1
    }
    if (pattern[i] === '?') {
      piece = { kind: 'optional', piece }
      i += 1
    }
    pieces.push(piece)
  }
  return pieces
}

/**
 * A concrete path for a pattern. `value(name)` gives each capture's text;
 * `optional()` says whether to include an optional piece. Undefined when
 * the result does not match the pattern (then the caller picks again).
 */
export function samplePath (ep: Endpoint, value: (name: string) => string, optional: () => boolean): string | undefined {
  const render = (p: Piece): string => {
    if (p.kind === 'text') return p.text
    if (p.kind === 'group') return value(p.name)
    if (p.kind === 'seq') return p.pieces.map(render).join('')
    return optional() ? render(p.piece) : ''
  }
  const rel = parsePattern(ep.pattern).map(render).join('')
  return ep.regex.test(rel) ? ep.mount + rel : undefined
}

/**
 * Values a field of this type can never be coerced from: Vault's framework
 * answers 400 `error converting input for field "<name>"` to each, in both
 * servers (mapstructure v1 and v2 alike).
 */
export function uncoercible (type: FieldType): unknown[] {
  switch (type) {
    case 'string': case 'lowerCaseString': return [{ a: 1 }, [1]]
    case 'bool': return ['maybe', { a: 1 }]
    case 'int': return ['abc', { a: 1 }]
    case 'duration': case 'signedDuration': return ['abc', { a: 1 }]
    case 'commaStringSlice': case 'stringSlice': return [[{ a: 1 }]]
    case 'commaIntSlice': return ['a,b']
    case 'map': return ['str', 5]
    case 'kvPairs': return [['noeq']]
    case 'raw': return []
  }
  return []
}

/** Any-typed junk for any field: the handler must cope or refuse with a 4xx. */
export const JUNK_VALUES: readonly unknown[] = [
  null, true, false, 0, -1, 1.5, 2 ** 53 + 2, -(2 ** 63), '', ' ', 'x', '\u0000', '\uffff\ud800',
  'é🔑', '../..', 'vault:v1:', 'vault:v999999999999:AAAA', '%00', 'a'.repeat(10_000),
  [], [null], [''], [[[]]], {}, { '': null }, { a: { b: { c: {} } } }
]
