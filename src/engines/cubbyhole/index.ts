/**
 * cubbyhole/: a private KV store per token (vault/logical_cubbyhole.go).
 * Entries live under a hash of the token id, never the id itself, and go
 * away with the token (destroyCubbyhole, called on revocation).
 */
import { createHash } from 'node:crypto'
import { VaultError } from '../../errors/index.js'
import { RawJson, type Engine, type EngineRequest, type EngineResponse, type PathSpec } from '../engine.js'
import type { Storage } from '../../storage/storage.js'
import { marshalGo, requestFields } from '../go-value.js'

const CLIENT_TOKEN_EMPTY = 'client token empty'
const MISSING_PATH = 'missing path'
const MISSING_DATA_FIELDS = 'missing data fields'
const SERVICE_TOKENS_ONLY = "cubbyhole operations are only supported by 'service' type tokens"

/** Batch token ids carry Vault's `hvb.` or OpenBao's `b.` prefix. */
function isBatchToken (id: string): boolean {
  return id.startsWith('hvb.') || id.startsWith('b.')
}

/** The storage folder of one token's cubbyhole. */
function tokenFolder (tokenId: string): string {
  return `${createHash('sha256').update(tokenId).digest('hex')}/`
}

/** Delete everything in a token's cubbyhole; `storage` is the cubbyhole mount's storage. */
export function destroyCubbyhole (storage: Storage, tokenId: string): void {
  if (tokenId === '') return
  storage.deletePrefix(tokenFolder(tokenId))
}

// The backend's own errors are bare, so Vault answers them as 500 multierror text.
function folderOf (req: EngineRequest): string {
  if (req.token === undefined || req.token.id === '') throw VaultError.internal(CLIENT_TOKEN_EMPTY)
  // Vault's router refuses batch tokens before the backend runs (400).
  if (isBatchToken(req.token.id)) throw VaultError.invalidRequest(SERVICE_TOKENS_ONLY)
  return tokenFolder(req.token.id)
}

function exists (req: EngineRequest): boolean {
  return req.token !== undefined && req.storage.get(folderOf(req) + req.params.path) !== undefined
}

function read (req: EngineRequest): EngineResponse | null {
  const folder = folderOf(req)
  if (req.params.path === '') throw VaultError.internal(MISSING_PATH)
  const text = req.storage.get<string>(folder + req.params.path)
  return text === undefined ? null : { data: new RawJson(text) }
}

function write (req: EngineRequest): null {
  const folder = folderOf(req)
  const body = requestFields(req)
  if (Object.keys(body).length === 0) throw VaultError.internal(MISSING_DATA_FIELDS)
  if (req.params.path === '') throw VaultError.internal(MISSING_PATH)
  req.storage.put(folder + req.params.path, marshalGo(body))
  return null
}

function remove (req: EngineRequest): null {
  req.storage.delete(folderOf(req) + req.params.path)
  return null
}

function list (req: EngineRequest): EngineResponse {
  let path = req.params.path
  if (path !== '' && !path.endsWith('/')) path += '/'
  const keys = req.storage.list(folderOf(req) + path)
  // Vault's ListResponse leaves `keys` out when there are none.
  return { data: keys.length > 0 ? { keys } : {} }
}

const PATHS: PathSpec[] = [{
  pattern: '(?<path>.*)',
  fields: { path: { type: 'string' } },
  existenceCheck: exists,
  operations: { read, update: write, delete: remove, list }
}]

/** The cubbyhole engine factory. */
export function createCubbyhole (): Engine {
  return { paths: PATHS }
}
