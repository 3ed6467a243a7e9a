/**
 * localvault's own endpoints, all under `/_localvault/` (a prefix real
 * Vault never serves) and all for the root token only: reset the server to
 * its start-up state, and read or move its clock.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { VaultError } from '../../errors/index.js'
import { safeEqual } from '../../crypto/compare.js'
import { formatRfc3339Nano, parseRfc3339 } from '../../clock/index.js'
import { DurationError, parseGoDuration } from '../../engines/duration.js'

/** What the routes need from the running server. */
export interface LocalvaultControl {
  /** The root token id (constant for the server's life). */
  rootToken: () => string
  /** Bring the server back to its state right after start-up. */
  reset: () => Promise<void>
  /** The server clock, epoch ms. */
  now: () => number
  /** Move the clock by `ms` (then run the engines' periodic work). */
  advanceClock: (ms: number) => void
  /** Set the clock to epoch ms (then run the engines' periodic work). */
  setClock: (epochMs: number) => void
}

export interface LocalvaultRouteOptions {
  control: LocalvaultControl
}

export const ClockBody = Type.Object({
  advance: Type.Optional(Type.Union([Type.String(), Type.Integer()])),
  set: Type.Optional(Type.String())
}, { additionalProperties: false })

/**
 * A forward move of the clock in ms: a Go duration ("90m", "1h30m"), a
 * number of days ("7d", as Vault's TTL fields take) or whole seconds.
 */
export function parseAdvance (value: string | number): number {
  let ms: number
  if (typeof value === 'number') ms = value * 1000
  else if (/^\d+$/.test(value)) ms = Number(value) * 1000
  else if (/^\d+d$/.test(value)) ms = Number(value.slice(0, -1)) * 86_400_000
  else {
    try {
      ms = parseGoDuration(value) / 1e6
    } catch (err) {
      if (err instanceof DurationError) throw VaultError.invalidRequest(`invalid advance: ${err.message}`)
      throw err
    }
  }
  if (ms < 0) throw VaultError.invalidRequest('advance must not be negative; use "set" to move the clock back')
  return ms
}

interface ValidationIssue {
  keyword: string
  instancePath: string
  params: Record<string, unknown>
}

const FIELD_HINTS: Readonly<Record<string, string>> = {
  advance: '"advance" must be a duration such as "1h" or a number of seconds',
  set: '"set" must be an RFC 3339 time such as "2030-01-01T00:00:00Z"'
}

/** One readable sentence for a schema failure (the validator's own texts name schema internals). */
function describeValidation (issues: readonly ValidationIssue[]): string {
  const extra = issues.find((i) => i.keyword === 'additionalProperties')
  if (extra !== undefined) {
    const names = extra.params.additionalProperties as string[]
    return `unknown field ${JSON.stringify(names[0])}: give "advance" or "set"`
  }
  const field = issues[0]?.instancePath.slice(1) ?? ''
  return FIELD_HINTS[field] ?? 'the request body must be a JSON object'
}

function presentedToken (request: FastifyRequest): string {
  const header = request.headers['x-vault-token']
  const direct = Array.isArray(header) ? header[0] : header
  if (direct !== undefined && direct !== '') return direct
  const auth = request.headers.authorization
  if (auth !== undefined && auth.startsWith('Bearer ')) return auth.slice(7).trim()
  return ''
}

function sendJson (reply: FastifyReply, status: number, body: unknown): void {
  reply.code(status).header('content-type', 'application/json').header('cache-control', 'no-store')
    .send(Buffer.from(JSON.stringify(body)))
}

export async function localvaultRoutes (app: FastifyInstance, opts: LocalvaultRouteOptions): Promise<void> {
  const { control } = opts
  const typed = app.withTypeProvider<TypeBoxTypeProvider>()
  typed.setValidatorCompiler(TypeBoxValidatorCompiler)

  // These routes take plain JSON; an empty body is an empty object.
  typed.removeAllContentTypeParsers()
  typed.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body).trim()
    if (text === '') {
      done(null, {})
      return
    }
    try {
      done(null, JSON.parse(text))
    } catch (err) {
      done(VaultError.invalidRequest(`failed to parse JSON input: ${(err as Error).message}`), undefined)
    }
  })

  // No body at all reads as an empty one, as Vault reads a missing body.
  typed.addHook('preValidation', async (request) => {
    if (request.body === undefined || request.body === null) request.body = {}
  })

  // Root token only, compared in constant time; checked before the body.
  typed.addHook('onRequest', async (request) => {
    const presented = presentedToken(request)
    if (presented === '' || !safeEqual(presented, control.rootToken())) {
      request.log.info({ path: request.url.split('?')[0] }, 'localvault endpoint denied')
      throw VaultError.permissionDenied()
    }
  })
  typed.setErrorHandler((err: Error & { validation?: ValidationIssue[] }) => {
    if (err.validation !== undefined) throw VaultError.invalidRequest(describeValidation(err.validation))
    throw err
  })

  const clockBody = (): Record<string, string> => ({ now: formatRfc3339Nano(control.now()) })

  typed.post('/_localvault/reset', async (request, reply) => {
    const started = performance.now()
    await control.reset()
    request.log.info({ ms: Math.round((performance.now() - started) * 100) / 100 }, 'server reset')
    reply.code(204).header('cache-control', 'no-store').send()
  })

  typed.get('/_localvault/clock', async (_request, reply) => {
    sendJson(reply, 200, clockBody())
  })

  typed.post('/_localvault/clock', { schema: { body: ClockBody } }, async (request, reply) => {
    const { advance, set } = request.body
    if ((advance === undefined) === (set === undefined)) {
      throw VaultError.invalidRequest('give exactly one of "advance" (a duration) or "set" (an RFC 3339 time)')
    }
    if (advance !== undefined) {
      control.advanceClock(parseAdvance(advance))
    } else {
      const ms = parseRfc3339(set as string)
      if (ms === undefined) {
        throw VaultError.invalidRequest(`invalid set: ${JSON.stringify(set)} is not an RFC 3339 time (e.g. 2030-01-01T00:00:00Z)`)
      }
      control.setClock(ms)
    }
    request.log.info(clockBody(), 'clock moved')
    sendJson(reply, 200, clockBody())
  })
}
