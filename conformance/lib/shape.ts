/**
 * Shapes: what a response must look like, without the values that
 * legitimately vary (ids, timestamps, ciphertexts). A plain object is an
 * exact key set; a literal string, number, boolean or null must match
 * exactly; a RegExp must match a string; a one-element array is an array
 * of that shape. The helpers below cover the rest.
 */

export type Shape =
  | string
  | number
  | boolean
  | null
  | RegExp
  | ShapeFn
  | Shape[]
  | { [key: string]: Shape }

/** A custom check: returns a problem description, or undefined when it fits. */
export interface ShapeFn {
  (value: unknown, at: string): string | undefined
  shapeName?: string
  optional?: boolean
}

function named (name: string, fn: (value: unknown, at: string) => string | undefined): ShapeFn {
  const f = fn as ShapeFn
  f.shapeName = name
  return f
}

function typeName (v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  return typeof v
}

function show (v: unknown): string {
  const text = JSON.stringify(v)
  if (text === undefined) return String(v)
  return text.length > 120 ? `${text.slice(0, 117)}...` : text
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/

export const S = {
  str: named('string', (v) => (typeof v === 'string' ? undefined : `expected string, got ${show(v)}`)),
  nonEmptyStr: named('non-empty string', (v) =>
    (typeof v === 'string' && v !== '' ? undefined : `expected non-empty string, got ${show(v)}`)),
  num: named('number', (v) => (typeof v === 'number' ? undefined : `expected number, got ${show(v)}`)),
  int: named('integer', (v) => (Number.isInteger(v) ? undefined : `expected integer, got ${show(v)}`)),
  bool: named('boolean', (v) => (typeof v === 'boolean' ? undefined : `expected boolean, got ${show(v)}`)),
  any: named('anything', () => undefined),
  uuid: named('uuid', (v) => (typeof v === 'string' && UUID.test(v) ? undefined : `expected uuid, got ${show(v)}`)),
  rfc3339: named('RFC 3339 time', (v) =>
    (typeof v === 'string' && RFC3339.test(v) ? undefined : `expected RFC 3339 time, got ${show(v)}`)),
  /** An object with at least these keys; others are allowed. */
  loose (fields: Record<string, Shape>): ShapeFn {
    return named('object (loose)', (v, at) => checkObject(v, fields, at, false))
  },
  /** Any object whose values all fit `value` (Go maps). */
  map (value: Shape): ShapeFn {
    return named('map', (v, at) => {
      if (typeName(v) !== 'object') return `expected object, got ${show(v)}`
      for (const [k, inner] of Object.entries(v as Record<string, unknown>)) {
        const problem = check(inner, value, `${at}.${k}`)
        if (problem !== undefined) return problem
      }
      return undefined
    })
  },
  /** An array of any length whose items fit `item`, at least `min` long. */
  arr (item: Shape, min = 0): ShapeFn {
    return named('array', (v, at) => {
      if (!Array.isArray(v)) return `expected array, got ${show(v)}`
      if (v.length < min) return `expected at least ${min} items, got ${v.length}`
      for (let i = 0; i < v.length; i++) {
        const problem = check(v[i], item, `${at}[${i}]`)
        if (problem !== undefined) return problem
      }
      return undefined
    })
  },
  /** An array of exactly these items, in order. */
  tuple (items: Shape[]): ShapeFn {
    return named('tuple', (v, at) => {
      if (!Array.isArray(v)) return `expected array, got ${show(v)}`
      if (v.length !== items.length) return `expected ${items.length} items, got ${v.length}: ${show(v)}`
      for (let i = 0; i < items.length; i++) {
        const problem = check(v[i], items[i], `${at}[${i}]`)
        if (problem !== undefined) return problem
      }
      return undefined
    })
  },
  oneOf (...shapes: Shape[]): ShapeFn {
    return named('one of', (v, at) => {
      const problems = shapes.map((s) => check(v, s, at))
      if (problems.some((p) => p === undefined)) return undefined
      return problems.join(' | ')
    })
  },
  /** A key that may be absent; when present it fits `inner`. */
  optional (inner: Shape): ShapeFn {
    const f = named('optional', (v, at) => check(v, inner, at))
    f.optional = true
    return f
  },
  /** An exact value that happens to be an object or array. */
  eq (expected: unknown): ShapeFn {
    return named('exact', (v) => (JSON.stringify(v) === JSON.stringify(expected)
      ? undefined
      : `expected ${show(expected)}, got ${show(v)}`))
  },
  /** A custom predicate with a label for the failure message. */
  where (label: string, pred: (v: unknown) => boolean): ShapeFn {
    return named(label, (v) => (pred(v) ? undefined : `expected ${label}, got ${show(v)}`))
  }
}

function checkObject (v: unknown, fields: Record<string, Shape>, at: string, exact: boolean): string | undefined {
  if (typeName(v) !== 'object') return `${at}: expected object, got ${show(v)}`
  const obj = v as Record<string, unknown>
  for (const [key, shape] of Object.entries(fields)) {
    const isOptional = typeof shape === 'function' && shape.optional === true
    if (!Object.hasOwn(obj, key)) {
      if (isOptional) continue
      return `${at}: missing key "${key}" (have ${show(Object.keys(obj))})`
    }
    const problem = check(obj[key], shape, `${at}.${key}`)
    if (problem !== undefined) return problem
  }
  if (exact) {
    const extra = Object.keys(obj).filter((k) => !Object.hasOwn(fields, k))
    if (extra.length > 0) return `${at}: unexpected key(s) ${show(extra)}`
  }
  return undefined
}

/** Check `value` against `shape`; returns the first problem, prefixed with where it is. */
export function check (value: unknown, shape: Shape, at = '$'): string | undefined {
  if (typeof shape === 'function') {
    const problem = shape(value, at)
    if (problem === undefined) return undefined
    return problem.startsWith(at) ? problem : `${at}: ${problem}`
  }
  if (shape instanceof RegExp) {
    if (typeof value === 'string' && shape.test(value)) return undefined
    return `${at}: expected string matching ${String(shape)}, got ${show(value)}`
  }
  if (Array.isArray(shape)) {
    if (shape.length !== 1) throw new Error('array shapes have exactly one item shape; use S.tuple')
    return S.arr(shape[0])(value, at)
  }
  if (shape !== null && typeof shape === 'object') {
    return checkObject(value, shape, at, true)
  }
  if (value === shape) return undefined
  return `${at}: expected ${show(shape)}, got ${show(value)}`
}
