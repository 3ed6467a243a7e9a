/**
 * Fastify answers 415 to a Content-Type it cannot parse (`text/`) before any
 * handler runs; Vault reads the header itself (only PATCH and forms care)
 * and reports Go's mime error instead. An onRequest hook swaps such a
 * header for a neutral one and keeps the original here for the route.
 */
import type { IncomingMessage } from 'node:http'
import type { FastifyRequest } from 'fastify'

const originals = new WeakMap<IncomingMessage, string>()

/** token "/" token, optional parameters: what Fastify accepts (RFC 9110 §8.3.1). */
const WELL_FORMED = /^[\w!#$%&'*+.^`|~-]+\/[\w!#$%&'*+.^`|~-]+[ \t]*(;.*)?$/

/** onRequest hook: park a malformed Content-Type so Fastify lets the request through. */
export function parkMalformedContentType (request: FastifyRequest): void {
  const header = request.headers['content-type']
  if (header === undefined || WELL_FORMED.test(header)) return
  originals.set(request.raw, header)
  request.headers['content-type'] = 'application/octet-stream'
}

/** The Content-Type exactly as the client sent it. */
export function rawContentType (request: FastifyRequest): string | undefined {
  return originals.get(request.raw) ?? request.headers['content-type']
}
