/**
 * The one place that turns errors into Vault's `{"errors":[...]}` envelope:
 * VaultErrors by their kind, Fastify's own errors (body too large, bad
 * request framing) by Vault's equivalent, anything else as a logged 500.
 */
import fp from 'fastify-plugin'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { isVaultError, messages } from '../../errors/index.js'
import type { Flavor } from '../../engines/engine.js'
import { errorBody } from '../envelope.js'

export function sendError (reply: FastifyReply, status: number, errors: readonly string[], data?: unknown): void {
  reply.code(status)
    .header('content-type', 'application/json')
    .header('cache-control', 'no-store')
    .send(Buffer.from(errorBody(errors, data)))
}

function bodyTooLargeMessage (flavor: Flavor): string {
  return flavor === 'openbao' ? messages.BODY_TOO_LARGE : `failed to parse JSON input: ${messages.BODY_TOO_LARGE}`
}

async function errorsPlugin (app: FastifyInstance, opts: { flavor: Flavor }): Promise<void> {
  app.setErrorHandler((err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    if (isVaultError(err)) {
      request.log.info({ status: err.status }, 'request failed')
      sendError(reply, err.status, err.wireMessages(), err.data)
      return
    }
    const code = (err as FastifyError).code
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      sendError(reply, 413, [bodyTooLargeMessage(opts.flavor)])
      return
    }
    const status = (err as FastifyError).statusCode
    if (typeof status === 'number' && status >= 400 && status < 500) {
      request.log.info({ status, code }, 'request rejected')
      sendError(reply, status, [])
      return
    }
    request.log.error({ err }, 'internal error')
    sendError(reply, 500, ['1 error occurred:\n\t* internal error\n\n'])
  })

  app.setNotFoundHandler((request, reply) => {
    sendError(reply, 405, [])
  })
}

export default fp(errorsPlugin, { name: 'localvault-errors', fastify: '5.x' })
