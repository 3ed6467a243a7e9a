/**
 * KV v2 state in the mount's storage: the mount config, per-key metadata
 * (versions, settings, custom metadata) and one entry per version's data,
 * plus the rules Vault applies to them (readability, pruning,
 * delete_version_after). Times are epoch milliseconds.
 */
import { sha256Hex } from '../../crypto/compare.js'
import { formatRfc3339Nano } from '../../clock/index.js'
import type { Flavor } from '../engine.js'
import type { Storage } from '../../storage/storage.js'

/** All v2 state lives under this prefix; v1 data lives under `kv1/` (see v1.ts). */
export const V2_PREFIX = 'kv2/'
const META_PREFIX = `${V2_PREFIX}meta/`
const VERSION_PREFIX = `${V2_PREFIX}versions/`
const CONFIG_KEY = `${V2_PREFIX}config`
export const UPGRADE_KEY = `${V2_PREFIX}upgrade`

/** Vault's default number of versions kept per key. */
export const DEFAULT_MAX_VERSIONS = 10
/** A mount delete_version_after of -1s means "disabled for every key". */
export const DVA_DISABLED = -1

export interface KvConfig {
  max_versions: number
  cas_required: boolean
  /** Seconds; 0 = unset, -1 = disabled. */
  delete_version_after: number
  metadata_cas_required: boolean
}

export interface VersionMeta {
  created: number
  /** Epoch ms when the version is (or will be) deleted; null = not deleted. */
  deletion: number | null
  destroyed: boolean
}

export interface KeyMeta {
  key: string
  versions: Record<string, VersionMeta>
  current_version: number
  oldest_version: number
  created: number | null
  updated: number | null
  max_versions: number
  cas_required: boolean
  /** Seconds; 0 = unset. */
  delete_version_after: number
  custom_metadata: Record<string, string> | null
  metadata_cas_required: boolean
  current_metadata_version: number
}

export function defaultConfig (): KvConfig {
  return { max_versions: 0, cas_required: false, delete_version_after: 0, metadata_cas_required: false }
}

export function newKeyMeta (key: string): KeyMeta {
  return {
    key,
    versions: {},
    current_version: 0,
    oldest_version: 0,
    created: null,
    updated: null,
    max_versions: 0,
    cas_required: false,
    delete_version_after: 0,
    custom_metadata: null,
    metadata_cas_required: false,
    current_metadata_version: 0
  }
}

function versionKey (key: string, version: number): string {
  // Hashed like Vault's salted version keys, so key names never nest here.
  const digest = sha256Hex(`${key}|${version}`)
  return `${VERSION_PREFIX}${digest.slice(0, 3)}/${digest.slice(3)}`
}

/** Typed access to one mount's v2 state. */
export class KvStore {
  constructor (readonly storage: Storage) {}

  config (): KvConfig {
    return { ...defaultConfig(), ...this.storage.get<Partial<KvConfig>>(CONFIG_KEY) }
  }

  putConfig (config: KvConfig): void {
    this.storage.put(CONFIG_KEY, config)
  }

  meta (key: string): KeyMeta | undefined {
    return this.storage.get<KeyMeta>(META_PREFIX + key)
  }

  putMeta (meta: KeyMeta): void {
    // An empty map does not survive Vault's protobuf storage: it reads back as null.
    if (meta.custom_metadata !== null && Object.keys(meta.custom_metadata).length === 0) {
      meta.custom_metadata = null
    }
    this.storage.put(META_PREFIX + meta.key, meta)
  }

  deleteMeta (key: string): void {
    this.storage.delete(META_PREFIX + key)
  }

  /** Stored data of one version: JSON text as Go marshalled it. */
  versionData (key: string, version: number): string | undefined {
    return this.storage.get<string>(versionKey(key, version))
  }

  putVersionData (key: string, version: number, text: string): void {
    this.storage.put(versionKey(key, version), text)
  }

  deleteVersionData (key: string, version: number): void {
    this.storage.delete(versionKey(key, version))
  }

  /** Immediate children of a folder (`''` or ending in `/`); folders end in `/`. */
  list (folder: string): string[] {
    return this.storage.list(META_PREFIX + folder)
  }
}

/** Whether a version's deletion time has passed (Vault: deletion_time before now). */
export function isDeleted (vm: VersionMeta, now: number): boolean {
  return vm.deletion !== null && vm.deletion < now
}

export function timeText (ms: number | null): string {
  return ms === null ? '' : formatRfc3339Nano(ms)
}

/** The version metadata block of data reads, writes and subkeys. */
export function versionWire (version: number, vm: VersionMeta, meta: KeyMeta): Record<string, unknown> {
  return {
    version,
    created_time: timeText(vm.created),
    deletion_time: timeText(vm.deletion),
    destroyed: vm.destroyed,
    custom_metadata: meta.custom_metadata
  }
}

/**
 * The deletion time delete_version_after gives a version created (or
 * undeleted) at `from`: the smaller non-zero of mount and key settings.
 */
export function scheduledDeletion (from: number, config: KvConfig, meta: KeyMeta): number | null {
  if (config.delete_version_after === DVA_DISABLED) return null
  const mount = config.delete_version_after
  const key = meta.delete_version_after
  if (mount === 0 && key === 0) return null
  let min = key
  if ((mount !== 0 && mount < min) || min === 0) min = mount
  return from + min * 1000
}

/**
 * Add a version and slide the max_versions window (Vault's AddVersion: the
 * limit is the larger of key and mount settings, else 10). Returns the
 * version numbers dropped from the metadata, whose data must go too.
 */
export function addVersion (meta: KeyMeta, vm: VersionMeta, configMax: number): number[] {
  meta.current_version++
  meta.versions[String(meta.current_version)] = vm
  meta.updated = vm.created
  if (meta.created === null) meta.created = vm.created
  const larger = Math.max(meta.max_versions, configMax)
  const limit = larger > 0 ? larger : DEFAULT_MAX_VERSIONS
  const dropped: number[] = []
  if (meta.current_version - meta.oldest_version >= limit) {
    const cutoff = meta.current_version - limit
    for (const v of Object.keys(meta.versions).map(Number)) {
      if (v <= cutoff) {
        delete meta.versions[String(v)]
        dropped.push(v)
      }
    }
    meta.oldest_version = cutoff + 1
  }
  return dropped
}

/** Go's time.Duration.String() for whole seconds, as Vault prints delete_version_after. */
export { formatGoDuration } from '../duration.js'

/** Whether this flavour has OpenBao's metadata check-and-set fields. */
export function hasMetadataCas (flavor: Flavor): boolean {
  return flavor === 'openbao'
}
