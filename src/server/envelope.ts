/**
 * Vault's response bodies (http/logical.go respondLogical): the envelope
 * in Go's field order, the legacy top-level copy of `data`, and the bare
 * status documents.
 */
import { goJsonStringify, ordered } from '../engines/go-json.js'
import { RawJson, type Flavor } from '../engines/engine.js'
import type { LogicalResult } from '../core/request.js'

export interface HttpAnswer {
  status: number
  /** Body text; '' sends no body. */
  body: string
}

/** Turn a core result into status and body; `operation` decides 404 vs 204 for "nothing". */
export function renderResult (result: LogicalResult, requestId: string, operation: string, flavor: Flavor): HttpAnswer {
  const r = result.response
  if (r === null) {
    if (operation === 'read' || operation === 'list' || operation === 'head') {
      return { status: 404, body: errorBody([]) }
    }
    return { status: 204, body: '' }
  }
  if (result.bare) {
    return { status: r.status ?? 200, body: goJsonStringify(ordered(r.data ?? {})) + '\n' }
  }
  if (r.status !== undefined && r.emptyBody === true) return { status: r.status, body: '' }

  // A list with no keys is a 404, unless it carries a warning (Vault's respondLogical).
  if (operation === 'list' && r.status === undefined) {
    const data = r.data as Record<string, unknown> | null | undefined
    const keys = data?.keys
    const noKeys = data === null || data === undefined || (Object.hasOwn(data, 'keys') && (!Array.isArray(keys) || keys.length === 0)) || Object.keys(data).length === 0
    if (noKeys && (r.warnings ?? []).length === 0) return { status: 404, body: errorBody([]) }
  }

  const warnings = r.warnings !== undefined && r.warnings.length > 0 ? r.warnings : null
  const envelope: Record<string, unknown> = ordered({
    request_id: requestId,
    lease_id: r.leaseId ?? '',
    renewable: r.renewable ?? false,
    lease_duration: r.leaseDuration ?? 0,
    data: r.data ?? null,
    wrap_info: null,
    warnings,
    auth: r.auth === undefined || r.auth === null ? null : ordered({ ...r.auth })
  })
  if (flavor === 'vault') envelope.mount_type = r.status !== undefined ? '' : result.mountType
  let text = goJsonStringify(envelope)
  if (result.injectTopLevel && r.status === undefined && r.data !== null && r.data !== undefined &&
    !(r.data instanceof RawJson)) {
    const data = r.data as Record<string, unknown>
    const injected = goJsonStringify(data)
    if (injected.length > 2) text = `${injected.slice(0, -1)},${text.slice(1)}`
  }
  if (r.status !== undefined) return { status: r.status, body: text }
  return { status: 200, body: text + '\n' }
}

/** `{"errors":[...]}` as Vault writes it. */
export function errorBody (messages: readonly string[], data?: unknown): string {
  const body: Record<string, unknown> = ordered({ errors: messages })
  if (data !== undefined) body.data = data
  return goJsonStringify(body) + '\n'
}
