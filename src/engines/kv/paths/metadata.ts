/**
 * `metadata/:path` (read, write, merge-patch, delete, list) and OpenBao's
 * `detailed-metadata/:path` list (path_metadata.go).
 */
import { formatMultierror, VaultError } from '../../../errors/index.js'
import { formatGoDuration } from '../../duration.js'
import { RawJson, type EngineRequest, type EngineResponse, type Flavor, type PathSpec } from '../../engine.js'
import type { FieldSpecs } from '../../fields.js'
import { bodyFields, present, weakMap } from '../body.js'
import type { GoValue } from '../../go-value.js'
import { goQuote, isPrintable } from '../go-quote.js'
import * as messages from '../messages.js'
import { hasMetadataCas, KvStore, newKeyMeta, timeText, type KeyMeta } from '../store.js'
import { keyExists } from './data.js'

const MAX_KEYS = 64
const MAX_KEY_LENGTH = 128
const MAX_VALUE_LENGTH = 512
const UINT32_MAX = 4294967295

function fields (flavor: Flavor): FieldSpecs {
  const common: FieldSpecs = {
    path: { type: 'string' },
    cas_required: { type: 'bool' },
    max_versions: { type: 'int' },
    delete_version_after: { type: 'duration' },
    custom_metadata: { type: 'map' }
  }
  if (flavor === 'openbao') {
    return {
      ...common,
      metadata_cas_required: { type: 'bool' },
      metadata_cas: { type: 'int' },
      after: { type: 'string' },
      limit: { type: 'int' }
    }
  }
  return { ...common, exclude_deleted: { type: 'bool' } }
}

/** The metadata read body (also each key_info entry of a detailed list). */
function metadataWire (meta: KeyMeta, flavor: Flavor): Record<string, unknown> {
  const versions: Record<string, unknown> = {}
  for (const [v, vm] of Object.entries(meta.versions)) {
    versions[v] = {
      created_time: timeText(vm.created),
      deletion_time: timeText(vm.deletion),
      destroyed: vm.destroyed
    }
  }
  const wire: Record<string, unknown> = {
    versions,
    current_version: meta.current_version,
    oldest_version: meta.oldest_version,
    created_time: timeText(meta.created),
    updated_time: timeText(meta.updated),
    max_versions: meta.max_versions,
    cas_required: meta.cas_required,
    delete_version_after: formatGoDuration(meta.delete_version_after),
    custom_metadata: meta.custom_metadata
  }
  if (hasMetadataCas(flavor)) {
    wire.current_metadata_version = meta.current_metadata_version
    wire.metadata_cas_required = meta.metadata_cas_required
  }
  return wire
}

function read (req: EngineRequest): EngineResponse | null {
  const meta = new KvStore(req.storage).meta(req.params.path)
  return meta === undefined ? null : { data: metadataWire(meta, req.flavor) }
}

/** mapstructure's weak string decoding of one custom_metadata value. */
function weakString (value: GoValue): string {
  if (value === null) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'boolean') return value ? '1' : '0'
  if (value instanceof RawJson) return value.text
  const kind = Array.isArray(value) ? '[]interface {}' : 'map[string]interface {}'
  throw VaultError.invalidRequest(
    `${messages.CUSTOM_METADATA_PREFIX}: '' expected type 'string', got unconvertible type '${kind}'`)
}

/** parseCustomMetadata + validateCustomMetadata; throws Vault's 400. */
function parseCustomMetadata (raw: GoValue | undefined, skipNulls: boolean): Record<string, string> {
  const map = weakMap(raw) ?? {}
  const out: Record<string, string> = {}
  for (const k of Object.keys(map)) {
    if (skipNulls && map[k] === null) continue
    out[k] = weakString(map[k])
  }

  const keys = Object.keys(out)
  const prefix = messages.CUSTOM_METADATA_PREFIX
  if (keys.length > MAX_KEYS) {
    throw VaultError.invalidRequest(formatMultierror([
      `${prefix}: payload must contain at most ${MAX_KEYS} keys, provided ${keys.length}`]))
  }
  const errors: string[] = []
  for (const k of keys) {
    const keyLen = Buffer.byteLength(k)
    const valueLen = Buffer.byteLength(out[k])
    if (keyLen === 0 || keyLen > MAX_KEY_LENGTH) {
      errors.push(`${prefix}: length of key ${goQuote(k)} is ${keyLen} but must be 0 < len(key) <= ${MAX_KEY_LENGTH}`)
    }
    if (valueLen === 0 || valueLen > MAX_VALUE_LENGTH) {
      errors.push(`${prefix}: length of value for key ${goQuote(k)} is ${valueLen} but must be 0 < len(value) <= ${MAX_VALUE_LENGTH}`)
    }
    if (!isPrintable(k)) errors.push(`${prefix}: key ${goQuote(k)} (${k}) contains unprintable characters`)
    if (!isPrintable(out[k])) errors.push(`${prefix}: value for key ${goQuote(k)} contains unprintable characters`)
  }
  // Sent as one multierror string even for a single violation.
  if (errors.length > 0) throw VaultError.invalidRequest(formatMultierror(errors))
  return out
}

function casWarnings (req: EngineRequest, config: { cas_required: boolean, metadata_cas_required: boolean }): string[] {
  const warnings: string[] = []
  if (present(req, 'cas_required') && config.cas_required && !req.data.get<boolean>('cas_required')) {
    warnings.push(messages.CAS_MANDATED)
  }
  if (hasMetadataCas(req.flavor) && present(req, 'metadata_cas_required') && config.metadata_cas_required &&
    !req.data.get<boolean>('metadata_cas_required')) {
    warnings.push(messages.METADATA_CAS_MANDATED)
  }
  return warnings
}

/** OpenBao's metadata check-and-set; `meta` undefined means "creating". */
function checkMetadataCas (req: EngineRequest, required: boolean, meta: KeyMeta | undefined): void {
  if (!hasMetadataCas(req.flavor)) return
  const given = present(req, 'metadata_cas')
  if (required && !given) throw VaultError.invalidRequest(messages.METADATA_CAS_REQUIRED)
  if (!given) return
  // Go compares uint64(metadata_cas): a negative value never matches.
  const cas = req.data.get<number>('metadata_cas')
  if (meta === undefined) {
    if (cas !== 0) throw VaultError.invalidRequest(messages.METADATA_CAS_NEW)
  } else if (cas < 0 || cas !== meta.current_metadata_version) {
    throw VaultError.invalidRequest(messages.METADATA_CAS_MISMATCH)
  }
}

function write (req: EngineRequest): EngineResponse | null {
  const key = req.params.path
  if (key === '') throw VaultError.invalidRequest(messages.MISSING_PATH)
  const maxOk = present(req, 'max_versions')
  const casOk = present(req, 'cas_required')
  const mcasOk = hasMetadataCas(req.flavor) && present(req, 'metadata_cas_required')
  const dvaOk = present(req, 'delete_version_after', true)
  const cmOk = present(req, 'custom_metadata')
  if (!maxOk && !casOk && !dvaOk && !cmOk && !mcasOk) return null

  const store = new KvStore(req.storage)
  const config = store.config()
  const custom = cmOk ? parseCustomMetadata(bodyFields(req).custom_metadata, false) : undefined
  const warnings = casWarnings(req, config)
  let meta = store.meta(key)
  checkMetadataCas(req, (meta?.metadata_cas_required ?? false) || config.metadata_cas_required, meta)

  const now = req.clock.now()
  if (meta === undefined) {
    meta = { ...newKeyMeta(key), created: now, updated: now, current_metadata_version: 1 }
  } else {
    meta.current_metadata_version++
    meta.updated = now
  }
  // Vault keeps max_versions as a uint32: a negative value wraps around.
  if (maxOk) meta.max_versions = req.data.get<number>('max_versions') >>> 0
  if (casOk) meta.cas_required = req.data.get<boolean>('cas_required')
  if (mcasOk) meta.metadata_cas_required = req.data.get<boolean>('metadata_cas_required')
  if (dvaOk) meta.delete_version_after = req.data.get<number>('delete_version_after')
  if (custom !== undefined) meta.custom_metadata = custom
  store.putMeta(meta)
  return warnings.length > 0 ? { data: null, warnings } : null
}

/**
 * Vault patches metadata by merge-patching its JSON form and decoding the
 * result back into the metadata struct; these are that round trip's
 * visible effects, quirks included.
 */
function patch (req: EngineRequest): EngineResponse | null {
  const patchable = ['max_versions', 'cas_required', 'delete_version_after', 'custom_metadata']
  if (hasMetadataCas(req.flavor)) patchable.push('metadata_cas_required')
  if (!patchable.some((f) => present(req, f, f === 'delete_version_after'))) return null
  const key = req.params.path
  if (key === '') throw VaultError.invalidRequest(messages.MISSING_PATH)
  const body = bodyFields(req)
  if (present(req, 'custom_metadata')) parseCustomMetadata(body.custom_metadata, true)

  const store = new KvStore(req.storage)
  const config = store.config()
  const meta = store.meta(key)
  if (meta === undefined) return { status: 404, emptyBody: true }
  checkMetadataCas(req, meta.metadata_cas_required || config.metadata_cas_required, meta)
  const warnings = casWarnings(req, config)

  if (present(req, 'max_versions')) {
    const max = req.data.get<number>('max_versions')
    if (max < 0 || max > UINT32_MAX) {
      throw VaultError.internal(
        `json: cannot unmarshal number ${max} into Go struct field KeyMetadata.max_versions of type uint32`)
    }
    meta.max_versions = max
  }
  if (present(req, 'cas_required')) meta.cas_required = req.data.get<boolean>('cas_required')
  if (hasMetadataCas(req.flavor) && present(req, 'metadata_cas_required')) {
    meta.metadata_cas_required = req.data.get<boolean>('metadata_cas_required')
  }
  if (present(req, 'delete_version_after', true)) {
    // A zero duration marshals as `{}`, which merges into the stored value
    // without changing it: patching to 0s does not clear a key's setting.
    const dva = req.data.get<number>('delete_version_after')
    if (dva !== 0) meta.delete_version_after = dva
  }
  if (present(req, 'custom_metadata')) {
    meta.custom_metadata = patchCustomMetadata(meta.custom_metadata, body.custom_metadata)
  }

  meta.current_metadata_version++
  meta.updated = req.clock.now()
  store.putMeta(meta)
  return warnings.length > 0 ? { data: null, warnings } : null
}

/** Merge-patch custom_metadata; the result must still be a map of strings (else Vault fails with 500). */
function patchCustomMetadata (current: Record<string, string> | null,
  raw: GoValue | undefined): Record<string, string> | null {
  const patchMap = weakMap(raw)
  if (patchMap === null) return null
  const merged: Record<string, GoValue> = { ...(current ?? {}) }
  for (const k of Object.keys(patchMap)) {
    const v = patchMap[k]
    if (v === null) delete merged[k]
    else merged[k] = v
  }
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(merged)) {
    if (typeof v !== 'string') {
      const kind = typeof v === 'boolean'
        ? 'bool'
        : v instanceof RawJson ? 'number' : Array.isArray(v) ? 'array' : 'object'
      throw VaultError.internal(
        `json: cannot unmarshal ${kind} into Go struct field KeyMetadata.custom_metadata of type string`)
    }
    out[k] = v
  }
  return out
}

function remove (req: EngineRequest): null {
  const store = new KvStore(req.storage)
  const meta = store.meta(req.params.path)
  if (meta === undefined) return null
  for (const v of Object.keys(meta.versions)) store.deleteVersionData(meta.key, Number(v))
  store.deleteMeta(meta.key)
  return null
}

/** Keys under a folder, after OpenBao's `after`/`limit` paging. */
function listKeys (req: EngineRequest, store: KvStore): string[] {
  let keys = store.list(req.params.path)
  if (req.flavor === 'openbao') {
    const after = req.data.get<string>('after')
    const limit = req.data.get<number>('limit')
    if (after !== '') keys = keys.filter((k) => k > after)
    if (limit > 0) keys = keys.slice(0, limit)
  } else if (req.data.get<boolean>('exclude_deleted')) {
    // Vault drops keys whose current version carries any deletion time.
    keys = keys.filter((k) => {
      if (k.endsWith('/')) return true
      const meta = store.meta(req.params.path + k)
      const current = meta?.versions[String(meta.current_version)]
      return current === undefined || current.deletion === null
    })
  }
  return keys
}

// Vault's ListResponse leaves `keys` out when there are none.
function list (req: EngineRequest): EngineResponse {
  const keys = listKeys(req, new KvStore(req.storage))
  return { data: keys.length > 0 ? { keys } : {} }
}

function detailedList (req: EngineRequest): EngineResponse {
  const store = new KvStore(req.storage)
  const keys = listKeys(req, store)
  const keyInfo: Record<string, unknown> = {}
  for (const k of keys) {
    // filepath.Join drops the folder's trailing slash, so a folder `foo/`
    // shows the metadata of a key `foo` when one exists.
    const meta = store.meta((req.params.path + k).replace(/\/+$/, ''))
    keyInfo[k] = meta === undefined ? {} : metadataWire(meta, req.flavor)
  }
  return { data: keys.length > 0 ? { keys, key_info: keyInfo } : {} }
}

export function metadataPaths (flavor: Flavor): PathSpec[] {
  const paths: PathSpec[] = [{
    pattern: 'metadata/(?<path>.*)',
    fields: fields(flavor),
    existenceCheck: keyExists,
    operations: { read, update: write, patch, delete: remove, list }
  }]
  if (flavor === 'openbao') {
    paths.push({
      pattern: 'detailed-metadata/(?<path>.*)',
      fields: { path: { type: 'string' }, after: { type: 'string' }, limit: { type: 'int' } },
      existenceCheck: keyExists,
      operations: { list: detailedList }
    })
  }
  return paths
}

