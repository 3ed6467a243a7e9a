/**
 * One debug line per request: method, path (no query string, no headers,
 * no body), status and duration. Client mistakes never log above info.
 */
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { LIST_ALIAS, LINK_ALIAS } from '../list-method.js'

function methodName (method: string): string {
  if (method === LIST_ALIAS) return 'LIST'
  if (method === LINK_ALIAS) return 'LINK'
  return method
}

async function requestLog (app: FastifyInstance): Promise<void> {
  // The level is fixed at start: below debug the hook would only cost an
  // async call per request.
  if (app.log.level !== 'debug' && app.log.level !== 'trace') return
  app.addHook('onResponse', async (request, reply) => {
    const url = request.url
    const q = url.indexOf('?')
    request.log.debug({
      method: methodName(request.method),
      path: q < 0 ? url : url.slice(0, q),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 100) / 100
    }, 'request completed')
  })
}

export default fp(requestLog, { name: 'localvault-request-log', fastify: '5.x' })
