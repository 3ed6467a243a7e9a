/**
 * A logical request and its outcome: what the HTTP layer hands the core and
 * gets back. No Fastify types here.
 */
import type { EngineLogger, EngineResponse, Operation } from '../engines/engine.js'

export interface LogicalRequest {
  /** Unique id, echoed as request_id. */
  id: string
  operation: Operation
  /** Logical path without `/v1/` (a list gets its trailing slash already). */
  path: string
  /** Body fields (POST/PUT/PATCH) or query fields (GET/DELETE/LIST); null when none. */
  data: Record<string, unknown> | null
  bodyText: string | undefined
  /** The client token, '' when none was sent. */
  token: string
  headers: Readonly<Record<string, string | string[] | undefined>>
  log: EngineLogger
  /** The client asked for the path's API help (`?help=1`) instead of the operation. */
  help?: boolean
  /** X-Vault-Wrap-TTL in seconds, when the client asked for response wrapping. */
  wrapTtl?: number
}

/** The outcome the HTTP layer turns into a response. */
export interface LogicalResult {
  /** Null: no content (204), or 404 for read and list. */
  response: EngineResponse | null
  /** Type of the mount that served the request (`mount_type`). */
  mountType: string
  /** Copy `data` to the top level of the body (Vault's legacy sys injection). */
  injectTopLevel: boolean
  /** The response is a bare JSON document (sys/health and friends). */
  bare: boolean
}
