/**
 * KV version 1 (passthrough.go): one JSON object per key, replaced whole on
 * write. Values are stored as Go marshals them and sent back verbatim, so
 * number literals (`1.0`, 2^63) come back exactly as written.
 */
import { parseDurationSeconds } from '../duration.js'
import { RawJson, type Engine, type EngineRequest, type EngineResponse, type PathSpec } from '../engine.js'
import { VaultError } from '../../errors/index.js'
import { bodyFields } from './body.js'
import { isGoObject, marshalGo, parseGoJson, type GoValue } from '../go-value.js'
import * as messages from './messages.js'

/** v1 keys live under this prefix of the mount storage (the v2 upgrade reads them here). */
export const V1_PREFIX = 'kv1/'

function exists (req: EngineRequest): boolean {
  return req.storage.get(V1_PREFIX + req.params.path) !== undefined
}

/**
 * The lease_duration a v1 read reports: the secret's own `ttl` (or
 * `lease`) when it parses as a duration, else the mount's default TTL.
 */
function leaseSeconds (data: GoValue, defaultTtl: number): number {
  if (!isGoObject(data)) return defaultTtl
  const raw = Object.hasOwn(data, 'ttl') ? data.ttl : Object.hasOwn(data, 'lease') ? data.lease : undefined
  if (raw === undefined) return defaultTtl
  // A JSON number reaches Vault as json.Number and is parsed as its text.
  const input = raw instanceof RawJson ? raw.text : raw
  if (input !== null && typeof input !== 'string') return defaultTtl
  try {
    const seconds = parseDurationSeconds(input)
    return Number.isSafeInteger(seconds) ? seconds : defaultTtl
  } catch {
    return defaultTtl
  }
}

function read (req: EngineRequest): EngineResponse | null {
  const text = req.storage.get<string>(V1_PREFIX + req.params.path)
  if (text === undefined) return null
  return {
    data: new RawJson(text),
    leaseDuration: leaseSeconds(parseGoJson(text), req.mount.defaultLeaseTtl)
  }
}

function write (req: EngineRequest): null {
  const key = req.params.path
  if (key === '') throw VaultError.invalidRequest(messages.MISSING_PATH)
  const body = bodyFields(req)
  if (Object.keys(body).length === 0) throw VaultError.invalidRequest(messages.MISSING_DATA_FIELDS)
  req.storage.put(V1_PREFIX + key, marshalGo(body))
  return null
}

function remove (req: EngineRequest): null {
  req.storage.delete(V1_PREFIX + req.params.path)
  return null
}

function list (req: EngineRequest): EngineResponse {
  let folder = req.params.path
  if (folder !== '' && !folder.endsWith('/')) folder += '/'
  const keys = req.storage.list(V1_PREFIX + folder)
  // Vault's ListResponse leaves `keys` out when there are none.
  return { data: keys.length > 0 ? { keys } : {} }
}

const PATHS: PathSpec[] = [{
  pattern: '(?<path>.*)',
  fields: { path: { type: 'string' } },
  existenceCheck: exists,
  operations: { read, update: write, delete: remove, list }
}]

/** The KV v1 engine (storage is the mount's). */
export function createKvV1 (): Engine {
  return { paths: PATHS }
}
