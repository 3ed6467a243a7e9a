/**
 * sys/mounts, sys/auth and their tune endpoints (vault/logical_system.go
 * handleMount, handleUnmount, handleTuneReadCommon, handleTuneWriteCommon).
 */
import { VaultError } from '../../errors/index.js'
import { DurationError, parseDurationSeconds } from '../../engines/duration.js'
import type { EngineRequest, EngineResponse, PathSpec } from '../../engines/engine.js'
import type { FieldSpecs } from '../../engines/fields.js'
import {
  MountTable,
  normalizeMountPath,
  SYSTEM_MAX_LEASE_TTL,
  type MountConfig,
  type MountEntry,
  type MountTableName
} from '../../mounts/index.js'
import type { SystemDeps } from '../deps.js'

/** Mounts whose settings cannot be tuned (vault/mount.go untunableMounts). */
const UNTUNABLE = ['cubbyhole/', 'sys/', 'audit/', 'identity/']
const UNMOUNTABLE = ['sys/', 'cubbyhole/', 'identity/', 'audit/', 'auth/']

/** A mount entry as sys/mounts reports it. */
export function mountEntryWire (entry: MountEntry): Record<string, unknown> {
  const config: Record<string, unknown> = {
    default_lease_ttl: entry.config.default_lease_ttl,
    force_no_cache: entry.config.force_no_cache,
    max_lease_ttl: entry.config.max_lease_ttl
  }
  for (const key of ['listing_visibility', 'passthrough_request_headers', 'allowed_response_headers',
    'audit_non_hmac_request_keys', 'audit_non_hmac_response_keys', 'token_type'] as const) {
    const value = entry.config[key]
    if (value !== undefined && (!Array.isArray(value) || value.length > 0) && value !== '') config[key] = value
  }
  const wire: Record<string, unknown> = {
    accessor: entry.accessor,
    config,
    description: entry.description,
    external_entropy_access: entry.external_entropy_access,
    local: entry.local,
    options: entry.options,
    plugin_version: entry.plugin_version,
    running_plugin_version: entry.running_plugin_version,
    running_sha256: '',
    seal_wrap: entry.seal_wrap,
    type: entry.type,
    uuid: entry.uuid
  }
  if (entry.deprecation_status !== undefined) wire.deprecation_status = entry.deprecation_status
  return wire
}

const ENABLE_FIELDS: FieldSpecs = {
  path: { type: 'string' },
  type: { type: 'string' },
  description: { type: 'string' },
  config: { type: 'map' },
  options: { type: 'kvPairs' },
  local: { type: 'bool' },
  seal_wrap: { type: 'bool' },
  external_entropy_access: { type: 'bool' },
  plugin_name: { type: 'string' },
  plugin_version: { type: 'string' }
}

const TUNE_FIELDS: FieldSpecs = {
  path: { type: 'string' },
  default_lease_ttl: { type: 'string' },
  max_lease_ttl: { type: 'string' },
  description: { type: 'string' },
  audit_non_hmac_request_keys: { type: 'commaStringSlice' },
  audit_non_hmac_response_keys: { type: 'commaStringSlice' },
  listing_visibility: { type: 'string' },
  passthrough_request_headers: { type: 'commaStringSlice' },
  allowed_response_headers: { type: 'commaStringSlice' },
  token_type: { type: 'string' },
  options: { type: 'kvPairs' },
  plugin_version: { type: 'string' },
  force_no_cache: { type: 'bool' },
  user_lockout_config: { type: 'map' }
}

function parseTtl (value: unknown, what: 'default TTL' | 'max TTL'): number {
  if (value === undefined || value === null || value === '' || value === 'system') return 0
  try {
    return parseDurationSeconds(value)
  } catch (err) {
    const detail = err instanceof DurationError ? err.message : String(err)
    throw VaultError.invalidRequest(`unable to parse ${what} of ${String(value)}: ${detail}`)
  }
}

function checkListingVisibility (value: string): void {
  if (!['', 'unauth', 'hidden'].includes(value)) {
    throw VaultError.invalidRequest(`invalid listing_visibility ${value}`)
  }
}

function stringList (value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined
  if (Array.isArray(value)) return value.map(String)
  return String(value).split(',').map((s) => s.trim())
}

function enable (deps: SystemDeps, table: MountTableName, req: EngineRequest): EngineResponse | null {
  const path = req.params.path
  let type = req.data.get<string>('type')
  const rawConfig = req.data.get<Record<string, unknown>>('config')
  const defaultTtl = parseTtl(rawConfig.default_lease_ttl, 'default TTL')
  const maxTtl = parseTtl(rawConfig.max_lease_ttl, 'max TTL')
  if (maxTtl !== 0 && defaultTtl > maxTtl) {
    throw VaultError.invalidRequest('given default lease TTL greater than given max lease TTL')
  }
  if (defaultTtl > SYSTEM_MAX_LEASE_TTL && maxTtl === 0) {
    throw VaultError.invalidRequest(`given default lease TTL greater than system max lease TTL of ${SYSTEM_MAX_LEASE_TTL}`)
  }
  if (type === '') throw VaultError.invalidRequest('backend type must be specified as a string')
  if (type === 'plugin') {
    const name = String(rawConfig.plugin_name ?? '') || req.data.get<string>('plugin_name')
    if (name === '') throw VaultError.invalidRequest('plugin_name must be provided for plugin backend')
    type = name
  }
  let options: Record<string, string> | null = req.data.has('options')
    ? { ...req.data.get<Record<string, string>>('options') }
    : null
  if (table === 'secret') {
    if (type === 'kv-v1' || type === 'kv-v2') {
      options = { ...(options ?? {}), version: type === 'kv-v1' ? '1' : '2' }
      type = 'kv'
    } else if (type !== 'kv' && options !== null && (options.version ?? '') !== '') {
      throw VaultError.invalidRequest(`secrets engine "${type}" does not allow setting a version`)
    }
  } else if (options !== null && (options.version ?? '') !== '') {
    throw VaultError.invalidRequest(`auth method "${type}" does not allow setting a version`)
  }
  const listing = String(rawConfig.listing_visibility ?? '')
  checkListingVisibility(listing)
  const config: Partial<MountConfig> = {
    default_lease_ttl: defaultTtl,
    max_lease_ttl: maxTtl,
    force_no_cache: rawConfig.force_no_cache === true || rawConfig.force_no_cache === 'true'
  }
  if (listing !== '') config.listing_visibility = listing
  for (const key of ['passthrough_request_headers', 'allowed_response_headers',
    'audit_non_hmac_request_keys', 'audit_non_hmac_response_keys'] as const) {
    const list = stringList(rawConfig[key])
    if (list !== undefined && list.length > 0) config[key] = list
  }
  if (table === 'auth') config.token_type = 'default-service'
  if (table === 'auth' && type === 'token') throw VaultError.invalidRequest('token credential backend cannot be instantiated')
  deps.mounts.enable(table, {
    path,
    type,
    description: req.data.get<string>('description'),
    config,
    options,
    local: req.data.get<boolean>('local'),
    sealWrap: req.data.get<boolean>('seal_wrap'),
    externalEntropyAccess: req.data.get<boolean>('external_entropy_access'),
    pluginVersion: req.data.get<string>('plugin_version')
  })
  req.log.info({ path: normalizeMountPath(path), type }, 'mount enabled')
  return null
}

function disable (deps: SystemDeps, table: MountTableName, req: EngineRequest): null {
  const path = normalizeMountPath(req.params.path)
  if (table === 'secret') {
    for (const p of UNMOUNTABLE) {
      if (path.startsWith(p)) throw VaultError.invalidRequest(`cannot unmount "${path}"`)
    }
  } else if (path === 'token/') {
    throw VaultError.invalidRequest('token credential backend cannot be disabled')
  }
  const prefix = table === 'auth' ? `auth/${path}` : path
  if (deps.mounts.disable(prefix)) req.log.info({ path: prefix }, 'mount disabled')
  return null
}

function findEntry (deps: SystemDeps, table: MountTableName, path: string): MountEntry | undefined {
  const logical = table === 'auth' ? `auth/${path}` : path
  const mount = deps.mounts.match(logical)
  return mount === undefined || mount.entry.table !== table ? undefined : mount.entry
}

function tuneRead (deps: SystemDeps, table: MountTableName, req: EngineRequest): EngineResponse {
  const path = normalizeMountPath(req.params.path)
  const entry = findEntry(deps, table, path)
  if (entry === undefined) {
    throw VaultError.invalidRequest(`cannot fetch sysview for path "${table === 'auth' ? 'auth/' : ''}${path}"`)
  }
  const ttls = MountTable.effectiveTtls(entry)
  const data: Record<string, unknown> = {
    description: entry.description,
    default_lease_ttl: ttls.defaultLeaseTtl,
    max_lease_ttl: ttls.maxLeaseTtl,
    force_no_cache: entry.config.force_no_cache
  }
  if (entry.external_entropy_access) data.external_entropy_access = true
  if (table === 'auth') data.token_type = entry.config.token_type ?? 'default-service'
  for (const key of ['audit_non_hmac_request_keys', 'audit_non_hmac_response_keys'] as const) {
    if (entry.config[key] !== undefined) data[key] = entry.config[key]
  }
  if ((entry.config.listing_visibility ?? '') !== '') data.listing_visibility = entry.config.listing_visibility
  for (const key of ['passthrough_request_headers', 'allowed_response_headers'] as const) {
    if (entry.config[key] !== undefined) data[key] = entry.config[key]
  }
  if (entry.options !== null && Object.keys(entry.options).length > 0) data.options = entry.options
  if (entry.plugin_version !== '') data.plugin_version = entry.plugin_version
  return { data }
}

function tuneWrite (deps: SystemDeps, table: MountTableName, req: EngineRequest): EngineResponse | null {
  const path = normalizeMountPath(req.params.path)
  const logicalPath = table === 'auth' ? `auth/${path}` : path
  if (table === 'secret' && UNTUNABLE.some((p) => path.startsWith(p))) {
    for (const field of Object.keys(req.data.raw)) {
      if (!Object.hasOwn(TUNE_FIELDS, field)) continue
      if (!['path', 'audit_non_hmac_request_keys', 'audit_non_hmac_response_keys'].includes(field)) {
        throw VaultError.invalidRequest(`cannot tune parameter ${field} of ${path}`)
      }
    }
  }
  const entry = findEntry(deps, table, path)
  if (entry === undefined) {
    throw VaultError.invalidRequest(`tune of path "${logicalPath}" failed: no mount entry found`)
  }
  const prefix = table === 'auth' ? `auth/${entry.path}` : entry.path
  const next: MountEntry = structuredClone(entry)

  if (req.data.has('default_lease_ttl') || req.data.has('max_lease_ttl')) {
    const def = req.data.has('default_lease_ttl')
      ? parseTtl(req.data.get('default_lease_ttl'), 'default TTL')
      : next.config.default_lease_ttl
    const max = req.data.has('max_lease_ttl')
      ? parseTtl(req.data.get('max_lease_ttl'), 'max TTL')
      : next.config.max_lease_ttl
    if (def !== 0 && max !== 0 && max < def) {
      throw VaultError.invalidRequest(`backend max lease TTL of ${max} would be less than backend default lease TTL of ${def}`)
    }
    next.config.default_lease_ttl = def
    next.config.max_lease_ttl = max
  }
  if (req.data.has('description')) next.description = req.data.get<string>('description')
  for (const key of ['audit_non_hmac_request_keys', 'audit_non_hmac_response_keys',
    'passthrough_request_headers', 'allowed_response_headers'] as const) {
    if (req.data.has(key)) next.config[key] = req.data.get<string[]>(key)
  }
  if (req.data.has('listing_visibility')) {
    const value = req.data.get<string>('listing_visibility')
    checkListingVisibility(value)
    next.config.listing_visibility = value
  }
  if (req.data.has('token_type')) {
    if (table !== 'auth') throw VaultError.invalidRequest("'token_type' can only be modified on auth mounts")
    if (entry.type === 'token') {
      throw VaultError.invalidRequest("'token_type' cannot be set for 'token' or 'ns_token' auth mounts")
    }
  }
  if (req.data.has('force_no_cache')) next.config.force_no_cache = req.data.get<boolean>('force_no_cache')

  let upgrade: { from: number, to: number } | undefined
  const options = req.data.has('options') ? req.data.get<Record<string, string>>('options') : {}
  if (Object.keys(options).length > 0) {
    if (options.version !== undefined) {
      const from = parseOptionInt(entry.options?.version)
      const to = parseOptionInt(options.version)
      if (to !== 1 && to !== 2) throw VaultError.invalidRequest(`invalid version provided: ${to}`)
      if (from > to) throw VaultError.invalidRequest(`cannot downgrade mount from version ${from}`)
      if (from < to) upgrade = { from, to }
    }
    const merged: Record<string, string> = { ...(entry.options ?? {}) }
    for (const [k, v] of Object.entries(options)) {
      if (v === '' && k !== 'version') delete merged[k]
      else merged[k] = v
    }
    next.options = merged
  }

  deps.mounts.update(prefix, (e) => Object.assign(e, next), upgrade !== undefined)
  if (upgrade !== undefined) {
    return {
      data: null,
      // OpenBao prints the new version as 0: a shadowed variable in its
      // tune handler (observed on 2.6.2); Vault prints the real one.
      warnings: [`Upgrading mount from version ${upgrade.from} to version ${req.flavor === 'openbao' ? 0 : upgrade.to}. This mount will be unavailable for a brief period and will resume service shortly.`]
    }
  }
  return null
}

function parseOptionInt (value: string | undefined): number {
  if (value === undefined || value === '') return 0
  if (!/^[+-]?\d+$/.test(value)) throw VaultError.invalidRequest(`unable to parse options: strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`)
  return Number(value)
}

function listTable (deps: SystemDeps, table: MountTableName): EngineResponse {
  const data: Record<string, unknown> = {}
  for (const entry of deps.mounts.entries(table)) data[entry.path] = mountEntryWire(entry)
  return { data }
}

function readOne (deps: SystemDeps, table: MountTableName, req: EngineRequest): EngineResponse {
  const path = normalizeMountPath(req.params.path)
  const entry = findEntry(deps, table, path)
  if (entry === undefined) {
    throw VaultError.invalidRequest(table === 'secret'
      ? `No secret engine mount at ${path}`
      : `No auth engine at ${path}`)
  }
  return { data: mountEntryWire(entry) }
}

export function mountPaths (deps: SystemDeps): PathSpec[] {
  return [
    {
      pattern: 'mounts',
      operations: { read: () => listTable(deps, 'secret') }
    },
    {
      pattern: 'mounts/(?<path>.+?)/tune/?',
      fields: TUNE_FIELDS,
      operations: {
        read: (req) => tuneRead(deps, 'secret', req),
        update: (req) => tuneWrite(deps, 'secret', req)
      }
    },
    {
      pattern: 'mounts/(?<path>.+?)/?',
      fields: ENABLE_FIELDS,
      operations: {
        read: (req) => readOne(deps, 'secret', req),
        update: (req) => enable(deps, 'secret', req),
        delete: (req) => disable(deps, 'secret', req)
      }
    },
    {
      pattern: 'auth',
      operations: { read: () => listTable(deps, 'auth') }
    },
    {
      pattern: 'auth/(?<path>.+?)/tune/?',
      fields: TUNE_FIELDS,
      sudo: true,
      operations: {
        read: (req) => tuneRead(deps, 'auth', req),
        update: (req) => tuneWrite(deps, 'auth', req)
      }
    },
    {
      pattern: 'auth/(?<path>.+?)/?',
      fields: ENABLE_FIELDS,
      sudo: true,
      operations: {
        read: (req) => readOne(deps, 'auth', req),
        update: (req) => enable(deps, 'auth', req),
        delete: (req) => disable(deps, 'auth', req)
      }
    }
  ]
}
