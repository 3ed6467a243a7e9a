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
    maxHeaderSize: MAX_HEADER_BYTES
  }
}

const PLAIN = '\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n'

/** Go's answer for a request it could not read (net/http server.go): status line, then the same text. */
function goStatusText (status: string): string {
  return `HTTP/1.1 ${status}${PLAIN}${status}`
}

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
  if (socket.writable) socket.end(GO_ANSWERS[err.code ?? ''] ?? goStatusText('400 Bad Request'))
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
