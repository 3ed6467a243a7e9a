/**
 * The mount table: which engine serves which path prefix. Secret engines and
 * auth methods (under `auth/`) live in two tables, as in Vault; a request
 * resolves to the longest matching mount at request time.
 */
import { VaultError } from '../errors/index.js'
import type { Clock } from '../clock/index.js'
import type { RandomSource } from '../crypto/random.js'
import type { Storage } from '../storage/storage.js'
import {
  compilePaths,
  type CompiledPath,
  type Engine,
  type EngineFactory,
  type EngineLogger,
  type Flavor,
  type MountInfo
} from '../engines/engine.js'

/** 768h: Vault's system default and max lease TTL. */
export const SYSTEM_MAX_LEASE_TTL = 2764800

export type MountTableName = 'secret' | 'auth'

export interface MountConfig {
  default_lease_ttl: number
  max_lease_ttl: number
  force_no_cache: boolean
  listing_visibility?: string
  passthrough_request_headers?: string[]
  allowed_response_headers?: string[]
  audit_non_hmac_request_keys?: string[]
  audit_non_hmac_response_keys?: string[]
  token_type?: string
}

/** A stored mount entry, in Vault's wire field names. */
export interface MountEntry {
  table: MountTableName
  /** Path with trailing slash, relative to its table (`secret/`, or `token/` for auth). */
  path: string
  type: string
  description: string
  accessor: string
  uuid: string
  config: MountConfig
  options: Record<string, string> | null
  local: boolean
  seal_wrap: boolean
  external_entropy_access: boolean
  plugin_version: string
  running_plugin_version: string
  deprecation_status?: string
}

/** A live mount: its entry, its engine, and its compiled path table. */
export interface Mount {
  entry: MountEntry
  /** Full logical prefix (`secret/`, `auth/token/`). */
  prefix: string
  info: MountInfo
  engine: Engine
  paths: CompiledPath[]
  storage: Storage
}

export interface MountTableDeps {
  storage: Storage
  clock: Clock
  random: RandomSource
  log: EngineLogger
  flavor: Flavor
  /** Engine factory by mount type. */
  factories: Readonly<Record<string, EngineFactory>>
}

/** What can be enabled through sys/mounts. */
export interface EnableSpec {
  path: string
  type: string
  description?: string
  config?: Partial<MountConfig>
  options?: Record<string, string> | null
  local?: boolean
  sealWrap?: boolean
  externalEntropyAccess?: boolean
  pluginVersion?: string
}

const PROTECTED_PREFIXES = ['audit/', 'auth/', 'sys/', 'cubbyhole/', 'identity/']
const SINGLETON_TYPES = new Set(['cubbyhole', 'system', 'token', 'identity'])
const TABLE_KEYS: Record<MountTableName, string> = { secret: 'core/mounts', auth: 'core/auth' }

/** Mount types with a `deprecation_status` in Vault's builtin registry. */
const DEPRECATION_STATUS: Record<string, string> = { kv: 'supported', transit: 'supported' }

/** `kv_1a2b3c4d`-style accessor. */
function makeAccessor (type: string, random: RandomSource): string {
  return `${type.replace(/-/g, '_')}_${random.bytes(4).toString('hex')}`
}

/** Normalise a user-given mount path: no leading slash, exactly one trailing slash. */
export function normalizeMountPath (path: string): string {
  let p = path.replace(/^\/+/, '')
  if (!p.endsWith('/')) p += '/'
  return p
}

export class MountTable {
  private readonly deps: MountTableDeps
  private readonly mounts = new Map<string, Mount>()
  private sorted: Mount[] = []

  constructor (deps: MountTableDeps) {
    this.deps = deps
  }

  /** Load both tables from storage, or create them from `defaults` on first start. */
  load (defaults: () => MountEntry[]): void {
    let entries = [
      ...(this.deps.storage.get<MountEntry[]>(TABLE_KEYS.secret) ?? []),
      ...(this.deps.storage.get<MountEntry[]>(TABLE_KEYS.auth) ?? [])
    ]
    if (entries.length === 0) {
      entries = defaults()
      this.persistEntries(entries)
    }
    this.mounts.clear()
    for (const entry of entries) this.activate(entry)
    this.resort()
  }

  /** Build a default entry (for dev-mode mounts). */
  newEntry (table: MountTableName, path: string, type: string, description: string,
    options: Record<string, string> | null, extra: Partial<MountEntry> = {}): MountEntry {
    const accessorType = table === 'auth' ? `auth_${type}` : type
    return {
      table,
      path,
      type,
      description,
      accessor: makeAccessor(accessorType, this.deps.random),
      uuid: this.deps.random.uuid(),
      config: { default_lease_ttl: 0, max_lease_ttl: 0, force_no_cache: false },
      options,
      local: false,
      seal_wrap: false,
      external_entropy_access: false,
      plugin_version: '',
      running_plugin_version: runningPluginVersion(this.deps.flavor),
      ...(DEPRECATION_STATUS[type] !== undefined ? { deprecation_status: DEPRECATION_STATUS[type] } : {}),
      ...extra
    }
  }

  /** The live mount owning a logical path (longest prefix), if any. */
  match (logicalPath: string): Mount | undefined {
    for (const m of this.sorted) {
      if (logicalPath.startsWith(m.prefix)) return m
      // `secret` without its slash routes to the mount root.
      if (logicalPath.length === m.prefix.length - 1 && m.prefix.startsWith(logicalPath)) return m
    }
    return undefined
  }

  /** Entries of one table, keyed by path, in path order. */
  entries (table: MountTableName): MountEntry[] {
    return this.sorted.filter((m) => m.entry.table === table)
      .map((m) => m.entry)
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  }

  all (): Mount[] {
    return [...this.sorted]
  }

  /** The live mount at exactly `prefix` (`secret/`, `auth/token/`). */
  get (prefix: string): Mount | undefined {
    return this.mounts.get(prefix)
  }

  /** Enable a secrets engine or auth method; throws Vault's errors. */
  enable (table: MountTableName, spec: EnableSpec): MountEntry {
    const path = normalizeMountPath(spec.path)
    const prefix = table === 'auth' ? `auth/${path}` : path
    if (table === 'secret') {
      for (const p of PROTECTED_PREFIXES) {
        if (path.startsWith(p)) throw VaultError.invalidRequest(`cannot mount "${path}"`)
      }
    }
    if (SINGLETON_TYPES.has(spec.type)) {
      throw VaultError.invalidRequest(`mount type of "${spec.type}" is not mountable`)
    }
    if (this.deps.factories[spec.type] === undefined) {
      throw VaultError.invalidRequest(`plugin not found in the catalog: ${spec.type}`)
    }
    for (const m of this.sorted) {
      if (m.entry.table !== table) continue
      if (m.entry.path.startsWith(path) || path.startsWith(m.entry.path)) {
        throw VaultError.invalidRequest(`path is already in use at ${m.entry.path}`)
      }
    }
    for (const m of this.sorted) {
      if (prefix.startsWith(m.prefix) || m.prefix.startsWith(prefix)) {
        throw VaultError.invalidRequest(`existing mount at ${m.prefix}`)
      }
    }
    const entry = this.newEntry(table, path, spec.type, spec.description ?? '', spec.options ?? {}, {
      local: spec.local ?? false,
      seal_wrap: spec.sealWrap ?? false,
      external_entropy_access: spec.externalEntropyAccess ?? false,
      plugin_version: spec.pluginVersion ?? ''
    })
    entry.config = { ...entry.config, ...spec.config }
    this.activate(entry)
    this.resort()
    this.persist()
    return entry
  }

  /** Disable the mount at `prefix`; its data is deleted. Missing mounts are fine (204 in Vault). */
  disable (prefix: string): boolean {
    const m = this.mounts.get(prefix)
    if (m === undefined) return false
    m.engine.cleanup?.()
    m.storage.deletePrefix('')
    this.mounts.delete(prefix)
    this.resort()
    this.persist()
    return true
  }

  /** Replace a mount's entry (tune) and, when options change, rebuild its engine. */
  update (prefix: string, mutate: (entry: MountEntry) => void, rebuild = false): MountEntry {
    const m = this.mounts.get(prefix)
    if (m === undefined) throw new Error(`no mount at ${prefix}`)
    const entry: MountEntry = structuredClone(m.entry)
    mutate(entry)
    if (rebuild) {
      m.engine.cleanup?.()
      this.activate(entry)
    } else {
      m.entry = entry
      m.info = mountInfo(entry, prefix)
    }
    this.resort()
    this.persist()
    return entry
  }

  /** Effective TTLs: the mount's own, or the system defaults. */
  static effectiveTtls (entry: MountEntry): { defaultLeaseTtl: number, maxLeaseTtl: number } {
    return {
      defaultLeaseTtl: entry.config.default_lease_ttl || SYSTEM_MAX_LEASE_TTL,
      maxLeaseTtl: entry.config.max_lease_ttl || SYSTEM_MAX_LEASE_TTL
    }
  }

  private activate (entry: MountEntry): void {
    const prefix = entry.table === 'auth' ? `auth/${entry.path}` : entry.path
    const factory = this.deps.factories[entry.type]
    if (factory === undefined) throw new Error(`no engine for mount type ${entry.type}`)
    const storageRoot = entry.table === 'auth' ? 'auth/' : 'logical/'
    const storage = this.deps.storage.view(`${storageRoot}${entry.uuid}/`)
    const info = mountInfo(entry, prefix)
    const engine = factory({
      mount: info,
      storage,
      clock: this.deps.clock,
      random: this.deps.random,
      log: this.deps.log,
      flavor: this.deps.flavor
    })
    this.mounts.set(prefix, { entry, prefix, info, engine, paths: compilePaths(engine.paths), storage })
  }

  private resort (): void {
    this.sorted = [...this.mounts.values()].sort((a, b) => b.prefix.length - a.prefix.length)
  }

  private persist (): void {
    this.persistEntries([...this.mounts.values()].map((m) => m.entry))
  }

  private persistEntries (entries: MountEntry[]): void {
    this.deps.storage.put(TABLE_KEYS.secret, entries.filter((e) => e.table === 'secret'))
    this.deps.storage.put(TABLE_KEYS.auth, entries.filter((e) => e.table === 'auth'))
  }
}

function mountInfo (entry: MountEntry, prefix: string): MountInfo {
  const ttls = MountTable.effectiveTtls(entry)
  return {
    path: prefix,
    type: entry.type,
    accessor: entry.accessor,
    uuid: entry.uuid,
    options: entry.options,
    defaultLeaseTtl: ttls.defaultLeaseTtl,
    maxLeaseTtl: ttls.maxLeaseTtl
  }
}

/** The version string Vault reports for a builtin plugin (`v1.17.0+builtin.vault`). */
function runningPluginVersion (flavor: Flavor): string {
  const version = serverVersion(flavor).replace(/\+.*$/, '')
  // helper/versions DefaultBuiltinVersion: `v2.6.2+builtin.bao` on OpenBao.
  return flavor === 'openbao' ? `v${version}+builtin.bao` : `v${version}+builtin.vault`
}

/**
 * The version localvault reports (sys/health, seal-status). The build
 * metadata marks it as an emulator without upsetting semver comparisons.
 */
export function serverVersion (flavor: Flavor): string {
  return flavor === 'openbao' ? '2.6.2+localvault' : '1.17.0+localvault'
}
