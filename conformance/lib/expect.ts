/**
 * Assertions on raw responses: status, headers, exact error bodies, the
 * success envelope (keyed on the server family), 204s and bare documents.
 */
import type { Response } from './client.js'
import { fail, type Ctx, type Target } from './harness.js'
import { check, S, type Shape } from './shape.js'

function describe (res: Response): string {
  const body = res.text.length > 400 ? `${res.text.slice(0, 400)}...` : res.text
  return `${res.method} ${res.path} -> ${res.status} ${JSON.stringify(body)}`
}

export function expectStatus (res: Response, status: number): void {
  if (res.status !== status) fail(`expected status ${status}: ${describe(res)}`)
}

/** Vault sends exactly `application/json` (hvac compares it literally). */
export function expectJsonContentType (res: Response): void {
  const ct = res.headers['content-type']
  if (ct !== 'application/json') {
    fail(`expected Content-Type "application/json", got ${JSON.stringify(ct)}: ${describe(res)}`)
  }
}

export function expectShape (value: unknown, shape: Shape, what = 'body'): void {
  const problem = check(value, shape)
  if (problem !== undefined) fail(`${what}: ${problem}\n  got: ${JSON.stringify(value)}`)
}

export function expectEqual (actual: unknown, expected: unknown, what: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    fail(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
  }
}

/** Structural equality; object key order does not matter (Go maps have none). */
export function deepEqual (a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]))
  }
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  return ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}

export function expectTrue (cond: boolean, what: string): void {
  if (!cond) fail(what)
}

/** An error answer: status, `application/json`, body exactly `{"errors":[...]}`. */
export function expectErrors (res: Response, status: number, errors: readonly string[] | Shape): void {
  expectStatus(res, status)
  expectJsonContentType(res)
  if (Array.isArray(errors) && errors.every((e) => typeof e === 'string')) {
    const expected = JSON.stringify({ errors })
    const got = res.json === undefined ? undefined : JSON.stringify(res.json)
    if (got !== expected) fail(`expected body ${expected}: ${describe(res)}`)
  } else {
    expectShape(res.json, { errors: errors as Shape }, `${res.method} ${res.path} error body`)
  }
  if (!res.text.endsWith('\n')) fail(`error body should end with a newline: ${describe(res)}`)
}

/** A single error message matching a pattern (for texts that embed varying values). */
export function expectErrorMatching (res: Response, status: number, pattern: RegExp): void {
  expectErrors(res, status, S.tuple([pattern]))
}

/** 204: no body, still `Content-Type: application/json`. */
export function expectNoContent (res: Response): void {
  expectStatus(res, 204)
  if (res.text !== '') fail(`204 must have an empty body: ${describe(res)}`)
  expectJsonContentType(res)
}

export interface EnvelopeOptions {
  warnings?: Shape
  auth?: Shape
  leaseDuration?: Shape
  leaseId?: Shape
  renewable?: Shape
  status?: number
  /** Data copied to the top level (legacy sys paths): keys expected there. */
  injected?: boolean
  /** Raw-status answers (handler-chosen status): no trailing newline, mount_type "". */
  raw?: boolean
  /** Expected `mount_type` on Vault (ignored on OpenBao, which has none). */
  mountType?: string
}

const ENVELOPE_ORDER = ['request_id', 'lease_id', 'renewable', 'lease_duration', 'data', 'wrap_info', 'warnings', 'auth']

/**
 * A success envelope: exact field set and order for the server family
 * (`mount_type` on Vault only), `data` fitting `data`, a trailing newline
 * unless the handler chose the status itself.
 */
export function expectEnvelope (t: Target, res: Response, data: Shape, opts: EnvelopeOptions = {}): Record<string, unknown> {
  expectStatus(res, opts.status ?? 200)
  expectJsonContentType(res)
  const body = res.json as Record<string, unknown> | undefined
  if (body === undefined || body === null || typeof body !== 'object') fail(`expected a JSON object: ${describe(res)}`)
  const shape: Record<string, Shape> = {
    request_id: S.uuid,
    lease_id: opts.leaseId ?? '',
    renewable: opts.renewable ?? false,
    lease_duration: opts.leaseDuration ?? 0,
    data,
    wrap_info: null,
    warnings: opts.warnings ?? null,
    auth: opts.auth ?? null
  }
  const order = [...ENVELOPE_ORDER]
  if (t.flavor === 'vault') {
    shape.mount_type = opts.raw === true ? S.str : (opts.mountType ?? S.str)
    order.push('mount_type')
  }
  let envelope = body
  if (opts.injected === true) {
    // Keys before request_id are the injected copy of data.
    const keys = Object.keys(body)
    const first = keys.indexOf('request_id')
    const injected = Object.fromEntries(keys.slice(0, first).map((k) => [k, body[k]]))
    envelope = Object.fromEntries(keys.slice(first).map((k) => [k, body[k]]))
    if (!deepEqual(injected, body.data)) {
      fail(`top-level copy of data differs: ${JSON.stringify(injected)} vs ${JSON.stringify(body.data)}`)
    }
  }
  expectShape(envelope, shape, `${res.method} ${res.path} envelope`)
  expectEqual(Object.keys(envelope), order, 'envelope field order')
  const newline = res.text.endsWith('\n')
  if (opts.raw === true && newline) fail(`a raw-status body has no trailing newline: ${describe(res)}`)
  if (opts.raw !== true && !newline) fail(`body should end with a newline: ${describe(res)}`)
  return body
}

/** Shorthand: data of a successful envelope (asserts the envelope first). */
export function dataOf (ctx: Ctx, res: Response, data: Shape, opts?: EnvelopeOptions): Record<string, unknown> {
  const body = expectEnvelope(ctx.t, res, data, opts)
  return body.data as Record<string, unknown>
}

/** A bare JSON document (sys/health, seal-status...): exact shape, newline-terminated. */
export function expectBare (res: Response, status: number, shape: Shape): Record<string, unknown> {
  expectStatus(res, status)
  expectJsonContentType(res)
  expectShape(res.json, shape, `${res.method} ${res.path} body`)
  if (!res.text.endsWith('\n')) fail(`body should end with a newline: ${describe(res)}`)
  return res.json as Record<string, unknown>
}

/** Assert a response succeeded (2xx) during setup; a failed setup is a case failure with context. */
export function expectOk (res: Response, what: string): void {
  if (res.status < 200 || res.status > 299) fail(`${what} failed: ${describe(res)}`)
}

/** Order of keys in an object as the server sent it (JSON.parse keeps it for non-index keys). */
export function keyOrder (value: unknown): string[] {
  return value !== null && typeof value === 'object' ? Object.keys(value) : []
}
