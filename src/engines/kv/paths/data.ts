/**
 * `data/:path`: read a version, write a new one (check-and-set), merge-patch
 * the current one, soft-delete the latest (path_data.go).
 */
import { VaultError } from '../../../errors/index.js'
import type { EngineRequest, EngineResponse, Flavor, PathSpec } from '../../engine.js'
import type { FieldSpecs } from '../../fields.js'
import { bodyFields, present, weakInt, weakMap } from '../body.js'
import {
  FloatOverflowError,
  marshalGo,
  parseGoJson,
  toFloat64,
  type GoValue
} from '../../go-value.js'
import { mergePatch } from '../merge-patch.js'
import * as messages from '../messages.js'
import {
  addVersion,
  isDeleted,
  KvStore,
  newKeyMeta,
  scheduledDeletion,
  versionWire,
  type KeyMeta,
  type KvConfig,
  type VersionMeta
} from '../store.js'

const FIELDS: FieldSpecs = {
  path: { type: 'string' },
  version: { type: 'int' },
  options: { type: 'map' },
  data: { type: 'map' }
}

/** Stored version data as the read handlers decode it (float64 numbers). */
export function decodeVersionData (store: KvStore, key: string, version: number): GoValue {
  const text = store.versionData(key, version)
  if (text === undefined) throw VaultError.internal(messages.VERSION_DATA_MISSING)
  try {
    return toFloat64(parseGoJson(text))
  } catch (err) {
    if (err instanceof FloatOverflowError) throw VaultError.internal(err.message)
    throw err
  }
}

/** Deleted (deletion time passed) or destroyed: readable only as metadata. */
export function isUnreadable (vm: VersionMeta, now: number): boolean {
  return isDeleted(vm, now) || vm.destroyed
}

function read (req: EngineRequest): EngineResponse | null {
  const key = req.params.path
  const store = new KvStore(req.storage)
  const meta = store.meta(key)
  if (meta === undefined) return null
  const requested = req.data.get<number>('version')
  const version = requested > 0 ? requested : meta.current_version
  const vm = meta.versions[String(version)]
  if (vm === undefined) return null

  const metadata = versionWire(version, vm, meta)
  if (isUnreadable(vm, req.clock.now())) {
    return { status: 404, data: { data: null, metadata } }
  }
  return { data: { data: decodeVersionData(store, key, version), metadata } }
}

/** Vault's validateCheckAndSetOption. */
function checkCas (options: GoValue | undefined, config: KvConfig, meta: KeyMeta): void {
  const opts = weakMap(options)
  if (opts !== null && Object.hasOwn(opts, 'cas')) {
    const cas = weakInt(opts.cas)
    if (cas === undefined) throw VaultError.invalidRequest(messages.CAS_PARSE)
    // Go compares uint64(cas): a negative value never matches.
    if (cas < 0n || cas !== BigInt(meta.current_version)) {
      throw VaultError.invalidRequest(messages.CAS_MISMATCH)
    }
  } else if (config.cas_required || meta.cas_required) {
    throw VaultError.invalidRequest(messages.CAS_REQUIRED)
  }
}

/** Store `data` as the key's next version; returns the write response. */
function storeVersion (req: EngineRequest, store: KvStore, config: KvConfig, meta: KeyMeta,
  data: GoValue): EngineResponse {
  const now = req.clock.now()
  const vm: VersionMeta = { created: now, deletion: scheduledDeletion(now, config, meta), destroyed: false }
  store.putVersionData(meta.key, meta.current_version + 1, marshalGo(data))
  const dropped = addVersion(meta, vm, config.max_versions)
  store.putMeta(meta)
  for (const v of dropped) store.deleteVersionData(meta.key, v)
  return { data: versionWire(meta.current_version, vm, meta) }
}

function write (req: EngineRequest): EngineResponse {
  const key = req.params.path
  if (key === '') throw VaultError.invalidRequest(messages.MISSING_PATH)
  const store = new KvStore(req.storage)
  const config = store.config()
  const body = bodyFields(req)
  if (!present(req, 'data')) throw VaultError.invalidRequest(messages.NO_DATA)
  const data = weakMap(body.data)

  const meta = store.meta(key) ?? newKeyMeta(key)
  checkCas(body.options, config, meta)
  return storeVersion(req, store, config, meta, data)
}

function patch (req: EngineRequest): EngineResponse {
  const key = req.params.path
  if (!present(req, 'data')) throw VaultError.invalidRequest(messages.NO_DATA)
  const body = bodyFields(req)
  const store = new KvStore(req.storage)
  const meta = store.meta(key)
  if (meta === undefined) return { status: 404, emptyBody: true }
  const config = store.config()
  checkCas(body.options, config, meta)

  const version = meta.current_version
  const vm = meta.versions[String(version)]
  if (vm === undefined) return { status: 404, emptyBody: true }
  // Unlike a read, the 404 here carries the flat version metadata.
  if (isUnreadable(vm, req.clock.now())) return { status: 404, data: versionWire(version, vm, meta) }

  const current = decodeVersionData(store, key, version)
  if (current === null || typeof current !== 'object' || Array.isArray(current)) {
    throw VaultError.internal(messages.RESOURCE_MISSING)
  }
  const patched = mergePatch(current as Record<string, GoValue>, weakMap(body.data))
  return storeVersion(req, store, config, meta, patched)
}

function remove (req: EngineRequest): null {
  const store = new KvStore(req.storage)
  const meta = store.meta(req.params.path)
  if (meta === undefined) return null
  const latest = meta.versions[String(meta.current_version)]
  const now = req.clock.now()
  if (latest === undefined || latest.destroyed || isDeleted(latest, now)) return null
  latest.deletion = now
  store.putMeta(meta)
  return null
}

/** Metadata exists: a write is `update`, else `create`. */
export function keyExists (req: EngineRequest): boolean {
  return new KvStore(req.storage).meta(req.params.path) !== undefined
}

export function dataPaths (flavor: Flavor): PathSpec[] {
  // Vault's pattern refuses an empty key and a trailing slash (those fall
  // through to the invalid-path answer); OpenBao's takes them literally.
  const pattern = flavor === 'vault' ? 'data/(?<path>.*[^/])' : 'data/(?<path>.*)'
  return [{
    pattern,
    fields: FIELDS,
    existenceCheck: keyExists,
    operations: { read, update: write, patch, delete: remove }
  }]
}
