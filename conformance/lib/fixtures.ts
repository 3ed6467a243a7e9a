/**
 * Things cases need that the suite creates itself: uniquely named mounts,
 * policies and tokens, each removed again when the run ends.
 */
import type { Response } from './client.js'
import { expectOk } from './expect.js'
import { Skip, type Ctx, type Target } from './harness.js'

export interface MountOptions {
  options?: Record<string, string>
  config?: Record<string, unknown>
  description?: string
  /** Mount on the second server instead. */
  target?: Target
}

/**
 * Enable a secrets engine at a fresh path and schedule its removal. On
 * localvault an engine that is not there yet makes the case a skip, not a
 * failure; a real server must have it.
 */
export async function mountEngine (ctx: Ctx, type: string, opts: MountOptions = {}): Promise<string> {
  const t = opts.target ?? ctx.t
  const path = ctx.name(type.replace(/[^a-z0-9]/g, ''))
  const body: Record<string, unknown> = { type }
  if (opts.options !== undefined) body.options = opts.options
  if (opts.config !== undefined) body.config = opts.config
  if (opts.description !== undefined) body.description = opts.description
  const res = await t.api.post(`sys/mounts/${path}`, body)
  if (t.isLocalvault && res.status === 400 && res.text.includes('plugin not found in the catalog')) {
    throw new Skip(`localvault has no ${type} engine yet`)
  }
  expectOk(res, `enable ${type} at ${path}`)
  ctx.run.defer(`disable ${t.label} ${path}`, () => t.api.delete(`sys/mounts/${path}`))
  return path
}

/** Skip on localvault when an engine is mounted but serves nothing yet (unsupported path). */
export function skipIfUnimplemented (t: Target, res: Response, what: string): void {
  if (t.isLocalvault && res.status === 404 && res.text.includes('unsupported path')) {
    throw new Skip(`localvault does not implement ${what} yet`)
  }
}

/** One shared mount of a type per target per run (for cases that only read or use unique keys). */
export function sharedMount (ctx: Ctx, key: string, type: string, opts: MountOptions = {}): Promise<string> {
  const t = opts.target ?? ctx.t
  return ctx.run.once(`mount:${t.label}:${key}`, () => mountEngine(ctx, type, opts))
}

/** Write an ACL policy under a fresh name and schedule its deletion. */
export async function createPolicy (ctx: Ctx, policy: string, target?: Target): Promise<string> {
  const t = target ?? ctx.t
  const name = ctx.name('pol')
  const res = await t.api.put(`sys/policies/acl/${name}`, { policy })
  if (t.isLocalvault && res.status === 404) throw new Skip('localvault has no sys/policies/acl yet')
  expectOk(res, `write policy ${name}`)
  ctx.run.defer(`delete policy ${name}`, () => t.api.delete(`sys/policies/acl/${name}`))
  return name
}

/** Create a token (root-issued) and schedule its revocation; returns the auth block. */
export async function createToken (ctx: Ctx, body: Record<string, unknown>, target?: Target): Promise<Record<string, unknown>> {
  const t = target ?? ctx.t
  const res = await t.api.post('auth/token/create', { display_name: ctx.run.runId, ...body })
  if (t.isLocalvault && res.status === 404 && res.text.includes('unsupported path')) {
    throw new Skip('localvault has no auth/token/create yet')
  }
  expectOk(res, 'create token')
  const auth = (res.json as { auth: Record<string, unknown> }).auth
  const id = String(auth.client_token)
  ctx.run.defer('revoke token', () => t.api.post('auth/token/revoke', { token: id }))
  return auth
}

/** A token holding exactly these policies (plus nothing else). */
export async function tokenWithPolicy (ctx: Ctx, policy: string, target?: Target): Promise<string> {
  const name = await createPolicy(ctx, policy, target)
  const auth = await createToken(ctx, { policies: [name], no_default_policy: true }, target)
  return String(auth.client_token)
}
