/**
 * Connection-level limits and answers, as Go's net/http gives them in
 * front of Vault (command/server.go, net/http server.go): how long a
 * client may take to send headers and a request, how long an idle
 * keep-alive connection stays, how large the headers may be, and the
 * plain-text answers to requests that cannot be parsed. Without these,
 * slow or abandoned connections pile up and broken requests get
 * Fastify's JSON instead of Go's bytes.
 */
import type http from 'node:http'
import type { Duplex } from 'node:stream'
import type { FastifyReply, FastifyRequest } from 'fastify'

/** Timeouts in milliseconds; Vault's listener defaults unless overridden. */
export interface ServerTimeouts {
  /** Until the request headers are complete (Vault http_read_header_timeout: 10 s). */
  headersMs?: number
  /** Until the whole request, body included, has arrived (Vault http_read_timeout: 30 s). */
  requestMs?: number
  /** An idle keep-alive connection between requests (Vault http_idle_timeout: 5 min). */
  idleMs?: number
}

export const VAULT_TIMEOUTS: Readonly<Required<ServerTimeouts>> = Object.freeze({
  headersMs: 10_000,
  requestMs: 30_000,
  idleMs: 300_000
})

/** Go's http.DefaultMaxHeaderBytes (1 MiB) plus the 4096 bytes of slack it allows. */
export const MAX_HEADER_BYTES = (1 << 20) + 4096

/** Options for http.createServer that apply the timeouts and the header limit. */
export function serverOptions (timeouts: ServerTimeouts = {}): http.ServerOptions {
  const t = { ...VAULT_TIMEOUTS, ...timeouts }
  return {
    headersTimeout: t.headersMs,
    requestTimeout: Math.max(t.requestMs, t.headersMs),
    keepAliveTimeout: t.idleMs,
    // Node checks the two timeouts above only this often (30 s by default).
    connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(t.headersMs / 4))),
    maxHeaderSize: MAX_HEADER_BYTES,
    // goRequestCheck answers a missing Host with Go's text instead.
    requireHostHeader: false
  }
}

const PLAIN = '\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n'

/** Go's answer for a request it could not read (net/http server.go): status line, then the same text. */
function goStatusText (status: string): string {
  return `HTTP/1.1 ${status}${PLAIN}${status}`
}

/** llhttp errors raised while reading the request line (whose bytes start the raw packet). */
const LINE_ERRORS = new Set(['HPE_INVALID_METHOD', 'HPE_INVALID_URL', 'HPE_INVALID_VERSION', 'HPE_INVALID_CONSTANT', 'HPE_STRICT'])

const GO_ANSWERS: Readonly<Record<string, string>> = {
  HPE_HEADER_OVERFLOW: goStatusText('431 Request Header Fields Too Large'),
  HPE_INVALID_TRANSFER_ENCODING: `HTTP/1.1 501 Not Implemented${PLAIN}Unsupported transfer encoding`,
  HPE_INVALID_VERSION: goStatusText('505 HTTP Version Not Supported: unsupported protocol version')
}

/**
 * The server's `clientError` handler (Fastify's `clientErrorHandler`):
 * a request Node's parser refuses gets Go's plain-text answer and the
 * connection is closed; a timed-out one is closed without a word, as Go
 * closes a connection whose read deadline passed.
 */
export function goClientError (err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || err.code === 'ERR_HTTP_HEADERS_TIMEOUT') {
    socket.destroy()
    return
  }
  // An error in the request line: Go judges the line (and Host) in its own order.
  const raw = (err as NodeJS.ErrnoException & { rawPacket?: Buffer }).rawPacket
  const lineAnswer = LINE_ERRORS.has(err.code ?? '') ? goRequestHeadAnswer(raw) : undefined
  const answer = lineAnswer ?? GO_ANSWERS[err.code ?? ''] ?? goStatusText('400 Bad Request')
  if (socket.writable) socket.end(answer)
  // end() flushes; destroy soon after in case the peer never reads.
  setTimeout(() => socket.destroy(), 1000).unref()
}

/** Vault's 405 for a method it does not serve, with the connection closed. */
const METHOD_NOT_ALLOWED = 'HTTP/1.1 405 Method Not Allowed\r\nCache-Control: no-store\r\n' +
  'Content-Type: application/json\r\nContent-Length: 14\r\nConnection: close\r\n\r\n{"errors":[]}\n'
const NOT_FOUND = 'HTTP/1.1 404 Not Found\r\nCache-Control: no-store\r\n' +
  'Content-Type: application/json\r\nContent-Length: 14\r\nConnection: close\r\n\r\n{"errors":[]}\n'

/**
 * CONNECT never reaches a request handler in Node; without a listener the
 * socket is dropped with no answer. Vault answers 405 for a path (its
 * handlers take no CONNECT) and 404 for an authority-form target.
 */
export function answerConnect (server: http.Server): void {
  server.on('connect', (req: http.IncomingMessage, socket: Duplex) => {
    socket.on('error', () => socket.destroy())
    socket.end((req.url ?? '').startsWith('/') ? METHOD_NOT_ALLOWED : NOT_FOUND)
  })
}

/**
 * Fastify's `frameworkErrors`: a request target it cannot decode (a bad
 * `%` escape) is one Go's server refuses before Vault sees it.
 */
export function goFrameworkError (_err: Error, _request: FastifyRequest, reply: FastifyReply): void {
  reply.code(400)
    .header('content-type', 'text/plain; charset=utf-8')
    .header('connection', 'close')
    .send('400 Bad Request')
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** Go's ParseHTTPVersion: HTTP/1.0, HTTP/1.1 or HTTP/d.d. */
function goVersion (proto: string): [number, number] | undefined {
  if (proto === 'HTTP/1.1') return [1, 1]
  if (proto === 'HTTP/1.0') return [1, 0]
  const m = /^HTTP\/(\d)\.(\d)$/.exec(proto)
  return m === null ? undefined : [Number(m[1]), Number(m[2])]
}

/** Whether url.ParseRequestURI accepts a request target (net/url). */
function goRequestUri (target: string, method: string): boolean {
  if (target === '' || /[\x00-\x1f\x7f]/.test(target)) return false
  if (target === '*') return true
  const raw = method === 'CONNECT' && !target.startsWith('/') ? `http://${target}` : target
  const q = raw.indexOf('?')
  const beforeQuery = q < 0 ? raw : raw.slice(0, q)
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(beforeQuery)
  let rest = beforeQuery
  if (scheme !== null) rest = beforeQuery.slice(scheme[0].length)
  else if (!beforeQuery.startsWith('/')) return false
  if (scheme !== null && rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2)
    rest = slash < 0 ? '' : rest.slice(slash)
  }
  // The path must unescape: every % followed by two hex digits.
  return !/%(?![0-9A-Fa-f]{2})/.test(rest)
}

const BAD_REQUEST = goStatusText('400 Bad Request')

/** Whether textproto reads a header line: a token name, a colon, a value without control bytes but tab. */
function goHeaderLine (line: string): boolean {
  const colon = line.indexOf(':')
  if (colon <= 0) return false
  return TOKEN.test(line.slice(0, colon)) && !/[\x00-\x08\x0a-\x1f\x7f]/.test(line.slice(colon + 1))
}

/**
 * What Go's server answers to this request head before any handler runs
 * (net/http request.go readRequest, server.go): undefined when it would
 * hand the request on. Checked in Go's order: request line shape, method
 * token, version syntax, target, supported version, Host header.
 */
export function goRequestHeadAnswer (raw: Buffer | undefined): string | undefined {
  if (raw === undefined || raw.length === 0) return undefined
  const headEnd = raw.indexOf('\r\n\r\n')
  const head = raw.toString('latin1', 0, headEnd < 0 ? Math.min(raw.length, 1 << 21) : headEnd)
  const [line, ...fields] = head.split('\r\n')
  const sp1 = line.indexOf(' ')
  const sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1)
  if (sp2 < 0) return BAD_REQUEST
  const method = line.slice(0, sp1)
  const target = line.slice(sp1 + 1, sp2)
  const proto = line.slice(sp2 + 1)
  if (!TOKEN.test(method)) return BAD_REQUEST
  const version = goVersion(proto)
  if (version === undefined) return BAD_REQUEST
  if (!goRequestUri(target, method)) return BAD_REQUEST
  // Go reads every header line before it looks at the version it serves.
  if (fields.some((f) => !goHeaderLine(f))) return BAD_REQUEST
  if (version[0] !== 1 && !(version[0] === 2 && version[1] === 0 && method === 'PRI' && target === '*')) {
    return goStatusText('505 HTTP Version Not Supported: unsupported protocol version')
  }
  if (headEnd < 0) return undefined
  const hosts = fields.filter((f) => /^host:/i.test(f))
  if (hosts.length > 1) return BAD_REQUEST
  if (version[1] >= 1 && hosts.length === 0 && method !== 'CONNECT') return goStatusText('400 Bad Request: missing required Host header')
  return undefined
}

/** Vault's answer (cleanhttp's printable check) to a path that decodes to control characters. */
export const NON_PRINTABLE_PATH = 'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'

/** Whether the request line's path decodes to a rune Go does not print (then Vault answers NON_PRINTABLE_PATH). */
export function hasNonPrintablePath (raw: Buffer | undefined): boolean {
  if (raw === undefined) return false
  const line = raw.toString('latin1', 0, Math.max(0, raw.indexOf('\r\n')))
  const target = line.split(' ')[1] ?? ''
  const path = target.split('?')[0]
  try {
    return /[^\p{L}\p{M}\p{N}\p{P}\p{S} ]/u.test(decodeURIComponent(path))
  } catch {
    return /%(?:[01][0-9A-Fa-f]|7[Ff])/.test(path)
  }
}

/**
 * Go's answer to a request Node's parser took but Go refuses before any
 * handler: an `HTTP/2.0` request line (505), no Host header in HTTP/1.1
 * or more than one (400). Node's own Host check is off (serverOptions) so
 * this one answers with Go's text.
 */
export function goRequestCheck (req: http.IncomingMessage): string | undefined {
  if (req.httpVersionMajor !== 1) return goStatusText('505 HTTP Version Not Supported: unsupported protocol version')
  let hosts = 0
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i].toLowerCase() === 'host') hosts++
  if (hosts > 1) return BAD_REQUEST
  if (hosts === 0 && req.httpVersionMinor >= 1 && req.method !== 'CONNECT') return goStatusText('400 Bad Request: missing required Host header')
  return undefined
}
