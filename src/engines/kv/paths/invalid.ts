/**
 * The answer for any path under a KV v2 mount that no pattern matches
 * (backend.go pathInvalid): a 404 raw-status envelope with data null and
 * a warning pointing at the right API path or CLI command.
 */
import type { EngineRequest, EngineResponse } from '../../engine.js'
import * as messages from '../messages.js'

const ROOTS = new Set(['data', 'metadata', 'delete', 'undelete', 'destroy'])

export function invalidPath (req: EngineRequest): EngineResponse {
  const warning = ROOTS.has(req.path)
    ? messages.ROOT_NOT_SUPPORTED
    : messages.invalidPath(req.flavor, req.operation)
  return { status: 404, data: null, warnings: [warning] }
}
