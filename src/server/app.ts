/**
 * buildApp: the Fastify application around a core. Only main.ts and the
 * in-process API call listen.
 */
import http from 'node:http'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Logger } from 'pino'
import type { Core } from '../core/core.js'
import type { Flavor } from '../engines/engine.js'
import type { RandomSource } from '../crypto/random.js'
import errorsPlugin from './plugins/errors.js'
import requestLogPlugin from './plugins/request-log.js'
import { LINK_ALIAS, LIST_ALIAS, interceptMethods } from './list-method.js'
import { v1Routes } from './routes/v1.js'
import { parkMalformedContentType } from './raw-content-type.js'
import { parseGoQuery } from './go-query.js'
import { originForm, repairPathEscapes } from './go-url.js'
import {
  answerConnect, goClientError, goFrameworkError, goRequestHeadAnswer, hasNonPrintablePath, NON_PRINTABLE_PATH, serverOptions, goRequestCheck,
  type ServerTimeouts
} from './http-limits.js'
import { localvaultRoutes, type LocalvaultControl } from './routes/localvault.js'

/** 32 MiB: Vault's default max_request_size. */
export const MAX_REQUEST_BYTES = 32 * 1024 * 1024

export interface AppDeps {
  core: Core
  /** Where to find the current core when it can be swapped (reset); `core` otherwise. */
  coreRef?: { readonly current: Core }
  /** Serve the /_localvault/ endpoints (reset, clock) through this. */
  control?: LocalvaultControl
  logger: Logger
  random: RandomSource
  flavor: Flavor
}

export interface AppOptions {
  /** Vault's max_request_duration default: 90 s. */
  requestTimeoutMs?: number
  /** Connection timeouts; Vault's listener defaults (10 s headers, 30 s request, 5 min idle) otherwise. */
  timeouts?: ServerTimeouts
}

/** An http.Server whose connections pass through the LIST rewriter, with Go's limits. */
function makeServerFactory (timeouts: ServerTimeouts | undefined) {
  return (handler: http.RequestListener): http.Server => {
    const server = http.createServer(serverOptions(timeouts), (req, res) => {
      // What Node takes but Go refuses first: HTTP/2.0 request lines, Host header count.
      const refused = goRequestCheck(req)
      if (refused !== undefined) {
        res.socket?.end(refused)
        return
      }
      handler(req, res)
    })
    // Runs after Node's own connection listener, which createServer added.
    server.on('connection', interceptMethods)
    answerConnect(server)
    return server
  }
}

/** What Vault sends for a method it does not know (http/logical.go): 405 {"errors":[]}. */
const METHOD_NOT_ALLOWED = 'HTTP/1.1 405 Method Not Allowed\r\nCache-Control: no-store\r\n' +
  'Content-Type: application/json\r\nContent-Length: 14\r\nConnection: close\r\n\r\n{"errors":[]}\n'

/**
 * llhttp refuses a method it does not know (`FOO`) before any handler runs
 * and Fastify would answer a bare 400; Go's server takes any token method.
 */
function answerUnknownMethods (server: http.Server): void {
  const previous = server.listeners('clientError') as Array<(err: Error, socket: import('node:stream').Duplex) => void>
  server.removeAllListeners('clientError')
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (err.code === 'HPE_INVALID_METHOD' && socket.writable) {
      // Unless Go would refuse the request line or Host first, or Vault the path.
      const raw = (err as NodeJS.ErrnoException & { rawPacket?: Buffer }).rawPacket
      socket.end(goRequestHeadAnswer(raw) ?? (hasNonPrintablePath(raw) ? NON_PRINTABLE_PATH : METHOD_NOT_ALLOWED))
      return
    }
    for (const listener of previous) listener.call(server, err, socket)
  })
}

export async function buildApp (deps: AppDeps, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: MAX_REQUEST_BYTES,
    exposeHeadRoutes: false,
    return503OnClosing: false,
    requestTimeout: options.requestTimeoutMs ?? 90_000,
    genReqId: () => deps.random.uuid(),
    routerOptions: {
      maxParamLength: 1 << 20,
      ignoreTrailingSlash: false,
      ignoreDuplicateSlashes: false,
      querystringParser: parseGoQuery
    },
    serverFactory: makeServerFactory(options.timeouts),
    rewriteUrl: (req) => repairPathEscapes(originForm(req.url ?? '/')),
    clientErrorHandler: goClientError,
    frameworkErrors: goFrameworkError
  }).withTypeProvider<TypeBoxTypeProvider>()

  answerUnknownMethods(app.server)
  app.addHook('onRequest', async (request) => parkMalformedContentType(request))
  app.addHttpMethod(LIST_ALIAS, { hasBody: true })
  app.addHttpMethod(LINK_ALIAS, { hasBody: true })

  // Vault reads every body itself (JSON whatever the Content-Type).
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_REQUEST_BYTES }, (_req, body, done) => {
    done(null, body)
  })

  await app.register(errorsPlugin, { flavor: deps.flavor })
  await app.register(requestLogPlugin)
  if (deps.control !== undefined) await app.register(localvaultRoutes, { control: deps.control })
  await app.register(v1Routes, { core: deps.core, coreRef: deps.coreRef, flavor: deps.flavor })
  return app as unknown as FastifyInstance
}
