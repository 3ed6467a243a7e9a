/**
 * The dispatch route: every `/v1/*` request becomes a logical request for
 * the core, and the core's result becomes Vault's response. HTTP-level
 * checks run here first, in Vault's order (http/handler.go, logical.go).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { VaultError, messages } from '../../errors/index.js'
import { parseGoBool } from '../../engines/fields.js'
import { DurationError, parseDurationSeconds } from '../../engines/duration.js'
import type { Flavor, Operation } from '../../engines/engine.js'
import { injectsTopLevel, type Core } from '../../core/core.js'
import { renderResult } from '../envelope.js'
import { goEscapePath, goHtmlEscape } from '../go-url.js'
import { parseBody } from '../json-body.js'
import { LINK_ALIAS, LIST_ALIAS } from '../list-method.js'
import { sendError } from '../plugins/errors.js'
import { rawContentType } from '../raw-content-type.js'

export interface V1Options {
  core: Core
  /** The current core when a reset can swap it; `core` is used otherwise. */
  coreRef?: { readonly current: Core }
  flavor: Flavor
}

const METHOD_OPERATION: Readonly<Record<string, Operation>> = {
  GET: 'read',
  HEAD: 'head',
  POST: 'update',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
  [LIST_ALIAS]: 'list'
}

/** What path.Clean would change: an empty, `.` or `..` segment. */
const UNCLEAN = /\/\/|\/\.\.?(?:\/|$)/

/** Go's path.Clean, keeping a trailing slash as ServeMux does. */
function cleanPath (p: string): string {
  // Nearly every request path is already clean (the hot path).
  if (p.startsWith('/') && !UNCLEAN.test(p)) return p
  const parts: string[] = []
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') parts.pop()
    else parts.push(seg)
  }
  let out = '/' + parts.join('/')
  if (p.endsWith('/') && out !== '/') out += '/'
  return out
}

/** Routes Vault serves outside the logical pipeline (http/sys_*.go) and the methods each takes. */
const STATUS_ROUTE_METHODS: Readonly<Record<string, readonly string[]>> = {
  '/v1/sys/health': ['GET', 'HEAD'],
  '/v1/sys/seal-status': ['GET'],
  '/v1/sys/leader': ['GET'],
  '/v1/sys/init': ['GET', 'PUT', 'POST']
}

/** 32 MiB: the listener's default max_request_size. */
const MAX_BODY_BYTES = 32 * 1024 * 1024

/** sdk/logical IsRelativePath: `.` or `..` as a path segment. */
function isRelativePath (path: string): boolean {
  if (path === '.' || path === '..' || path.startsWith('./') || path.startsWith('../')) return true
  if (path.endsWith('/.') || path.endsWith('/..')) return true
  return path.includes('/./') || path.includes('/../')
}

/** HTTP-level sys routes OpenBao refuses inside any namespace, root included (http/handler.go). */
const NO_NAMESPACE_ROUTES = new Set(['/v1/sys/health', '/v1/sys/init'])

/**
 * OpenBao has namespaces; localvault serves only the root one. A header
 * naming another answers 404 `namespace not found` before the token or
 * trailing-slash checks (observed on OpenBao 2.6.2).
 */
function checkNamespace (request: FastifyRequest, reply: FastifyReply, rawPath: string): void {
  const ns = firstHeader(request, 'x-vault-namespace')
  if (ns === undefined || ns === '') return
  reply.header('x-vault-namespace', ns)
  if (NO_NAMESPACE_ROUTES.has(rawPath)) throw VaultError.invalidRequest('operation unavailable in namespaces')
  // seal-status and leader ignore the header altogether.
  if (rawPath === '/v1/sys/seal-status' || rawPath === '/v1/sys/leader') return
  const name = ns.replace(/^\/+|\/+$/g, '')
  if (name !== '' && name !== 'root') throw new VaultError('notFound', ['namespace not found'])
}

function decodeSegment (seg: string): string {
  try {
    return decodeURIComponent(seg)
  } catch {
    return seg
  }
}

function splitUrl (url: string): { rawPath: string, query: string } {
  const q = url.indexOf('?')
  return q < 0 ? { rawPath: url, query: '' } : { rawPath: url.slice(0, q), query: url.slice(q + 1) }
}

/**
 * Go's Header.Get: the first value of a repeated header. Node joins
 * repeated custom headers with ", " (`root, nope` is no token at all).
 */
function firstHeader (request: FastifyRequest, name: string): string | undefined {
  return request.raw.headersDistinct[name]?.[0]
}

function tokenFrom (request: FastifyRequest): string {
  const direct = firstHeader(request, 'x-vault-token')
  if (direct !== undefined && direct !== '') return direct
  const auth = request.headers.authorization
  if (auth !== undefined && auth.startsWith('Bearer ')) return auth.slice(7).trim()
  return ''
}

function queryData (query: unknown): Record<string, unknown> | null {
  if (query === null || typeof query !== 'object') return null
  const entries = Object.entries(query as Record<string, unknown>).filter(([k]) => k !== 'help')
  return entries.length === 0 ? null : Object.fromEntries(entries)
}

function send (reply: FastifyReply, status: number, body: string): void {
  reply.code(status).header('content-type', 'application/json').header('cache-control', 'no-store')
  // A Buffer keeps Fastify from appending "; charset=utf-8": hvac compares
  // the Content-Type with "application/json" exactly.
  if (body === '') reply.send()
  else reply.send(Buffer.from(body))
}

export async function v1Routes (app: FastifyInstance, opts: V1Options): Promise<void> {
  const { core, flavor } = opts

  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const { rawPath, query } = splitUrl(request.url)

    // `?help=<anything>` asks for the path's API help instead of the
    // operation; Vault's help handler wraps the whole mux (http/help.go).
    const help = firstValue(request.query, 'help')
    const wantsHelp = help !== undefined && help !== ''

    // Go's ServeMux redirects non-canonical paths before any handler runs.
    const cleaned = cleanPath(rawPath)
    if (cleaned !== rawPath && !wantsHelp) {
      const location = goEscapePath(cleaned) + (query === '' ? '' : `?${query}`)
      // Go 1.22+ ServeMux (both servers' current builds) answers 307, not 301.
      reply.code(307).header('location', location).header('cache-control', 'no-store')
      if (request.method === 'GET' || request.method === 'HEAD') {
        reply.header('content-type', 'text/html; charset=utf-8')
          .send(`<a href="${goHtmlEscape(location)}">Temporary Redirect</a>.\n\n`)
      } else {
        reply.send()
      }
      return
    }

    let path: string
    try {
      path = decodeURIComponent(rawPath.slice('/v1/'.length))
    } catch {
      throw new VaultError('invalidRequest', [])
    }
    // cleanhttp rejects a path with any rune Go's unicode.IsPrint refuses
    // (controls, U+FFFF, U+00A0, zero-width marks...) before Vault's
    // handlers run: a bare 400, no body, no Content-Type (OpenBao 2.6.2).
    if (NOT_PRINTABLE.test(path)) {
      reply.code(400).send()
      return
    }


    // The status documents have their own mux routes, which take only these methods.
    const allowed = STATUS_ROUTE_METHODS[rawPath]
    if (allowed !== undefined && !allowed.includes(request.method)) throw new VaultError('unsupportedOperation', [])
    // Their namespace refusal comes before the query is read (`sys/init?list=x`).
    if (allowed !== undefined && flavor === 'openbao') checkNamespace(request, reply, rawPath)

    // OpenBao reads every body, whatever the method, before routing (http/handler.go).
    const length = Number(request.headers['content-length'] ?? 0)
    if (flavor === 'openbao' && length > MAX_BODY_BYTES) {
      throw new VaultError('payloadTooLarge', [messages.BODY_TOO_LARGE])
    }

    let operation = METHOD_OPERATION[request.method]
    if (operation === undefined && request.method !== 'OPTIONS') throw new VaultError('unsupportedOperation', [])

    const queryObj = queryData(request.query)
    if (operation === 'read' && queryObj !== null && Object.hasOwn(queryObj, 'list')) {
      const raw = queryObj.list
      const text = Array.isArray(raw) ? String(raw[0]) : String(raw)
      if (text !== '') {
        const flag = parseGoBool(text)
        if (flag === undefined) throw new VaultError('invalidRequest', [])
        // The status documents' own handlers ignore a valid `list` (OpenBao 2.6.2).
        if (flag && allowed === undefined) {
          operation = 'list'
          delete queryObj.list
        }
      }
    }

    let data: Record<string, unknown> | null
    let bodyText: string | undefined
    if (operation === 'update' || operation === 'patch') {
      const contentType = rawContentType(request)
      if (operation === 'patch') checkPatchContentType(contentType)
      const parsed = parseBody(request.body as Buffer | undefined, contentType, flavor)
      data = parsed.data
      bodyText = parsed.text
    } else {
      data = queryObj !== null && Object.keys(queryObj).length > 0 ? queryObj : null
    }
    // Vault reads X-Vault-Wrap-TTL after the body (http/logical.go requestWrapInfo);
    // the status documents have their own handlers, which ignore it.
    const wrapTtl = !wantsHelp && allowed === undefined ? parseWrapTtl(firstHeader(request, 'x-vault-wrap-ttl')) : 0

    if (operation === 'list' && !path.endsWith('/')) path += '/'
    // The core refuses `.`/`..` segments that survived the mux (percent-encoded).
    if (isRelativePath(path)) throw VaultError.invalidRequest(messages.RELATIVE_PATHS)
    // Without CORS, OPTIONS reaches the core with no operation (request_handling.go).
    if (operation === undefined) throw VaultError.invalidRequest('cannot handle internal-only request operation')
    if (flavor === 'openbao') checkNamespace(request, reply, rawPath)
    // HEAD is only meaningful for sys/health: answer its status, drop the body.
    const isHealthHead = operation === 'head' && path === 'sys/health'
    const coreOperation: Operation = isHealthHead ? 'read' : operation

    const namespace = firstHeader(request, 'x-vault-namespace')
    if (namespace !== undefined && namespace !== '') reply.header('x-vault-namespace', namespace)

    const result = await (opts.coreRef?.current ?? core).handle({
      id: request.id,
      operation: coreOperation,
      path,
      data,
      bodyText,
      token: tokenFrom(request),
      headers: request.headers,
      log: request.log,
      ...(wantsHelp ? { help: true } : {}),
      ...(wrapTtl > 0 ? { wrapTtl } : {})
    })
    // The mux picks the top-level-copy routes on raw segments: an encoded
    // slash keeps its segment whole (`sys/mounts%2Fx` is not `sys/mounts/x`).
    const segments = rawPath.slice('/v1/'.length).split('/').map(decodeSegment)
    if (segments.some((seg) => seg.includes('/'))) {
      result.injectTopLevel = injectsTopLevel(segments.map((seg) => seg.replace(/\//g, '\u0000')).join('/'))
    }
    const answer = renderResult(result, request.id, coreOperation, flavor)
    send(reply, answer.status, request.method === 'HEAD' ? '' : answer.body)
  }

  const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', LIST_ALIAS, LINK_ALIAS]
  app.route({ method: methods, url: '/v1/*', handler })
  const outside = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => await notFound(request, reply, flavor)
  app.route({ method: methods, url: '/v1', handler: outside })
  app.route({ method: methods, url: '/*', handler: outside })
}

async function notFound (request: FastifyRequest, reply: FastifyReply, flavor: Flavor): Promise<void> {
  // The UI's handler is wrapped in the help handler too; there `?help=1`
  // points to path-help (observed on OpenBao 2.6.2; other paths just 404).
  const help = firstValue(request.query, 'help')
  if (request.url.startsWith('/ui') && help !== undefined && help !== '') {
    const cli = flavor === 'openbao' ? 'bao' : 'vault'
    sendError(reply, 404, [`Missing /v1/ prefix in path. Use the ${cli} path-help command to retrieve API help for paths`])
    return
  }
  if (METHOD_OPERATION[request.method] === undefined) {
    sendError(reply, 405, [])
    return
  }
  sendError(reply, 404, [])
}

/** A rune Go's unicode.IsPrint refuses: not a letter, mark, number, punctuation, symbol or ASCII space. */
const NOT_PRINTABLE = /[^\p{L}\p{M}\p{N}\p{P}\p{S} ]/u

function firstValue (query: unknown, name: string): string | undefined {
  if (query === null || typeof query !== 'object' || !Object.hasOwn(query, name)) return undefined
  const v = (query as Record<string, unknown>)[name]
  return Array.isArray(v) ? String(v[0]) : String(v)
}

/** Vault's parse of X-Vault-Wrap-TTL (parseutil.ParseDurationSecond): seconds, 0 when absent. */
function parseWrapTtl (text: string | undefined): number {
  if (text === undefined || text === '') return 0
  let seconds: number
  try {
    seconds = parseDurationSeconds(text)
  } catch (err) {
    if (err instanceof DurationError) throw VaultError.invalidRequest(`error parsing X-Vault-Wrap-TTL header: ${err.message}`)
    throw err
  }
  if (seconds < 0) throw VaultError.invalidRequest('error parsing X-Vault-Wrap-TTL header: requested wrap ttl cannot be negative')
  // The core refuses wrapping itself (a LIMITATION), after the token and policy checks.
  return seconds
}

function checkPatchContentType (header: string | undefined): void {
  if (header === undefined || header.trim() === '') throw VaultError.invalidRequest('mime: no media type')
  const mime = header.split(';')[0].trim().toLowerCase()
  if (!/^[!#$%&'*+\-.^_`|~0-9a-z]+\/[!#$%&'*+\-.^_`|~0-9a-z]+$/.test(mime)) {
    throw VaultError.invalidRequest('mime: expected token after slash')
  }
  if (mime !== 'application/merge-patch+json') {
    throw new VaultError('unsupportedMediaType', [messages.patchContentType(mime)])
  }
}
