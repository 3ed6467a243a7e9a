import type { SeedLocation } from './errors.js'

/** A secrets engine or auth method to mount (`auth/...` paths are auth methods). */
export interface SeedMount {
  at: SeedLocation
  /** Path without slashes at either end. */
  path: string
  type: string
  description?: string
  config?: Record<string, unknown>
  options?: Record<string, string>
  local?: boolean
  sealWrap?: boolean
}

export interface SeedPolicy {
  at: SeedLocation
  name: string
  text: string
}

/** One version's key material: raw bytes (symmetric, hmac) or PKCS#8 DER (asymmetric). */
export interface SeedKeyMaterial {
  at: SeedLocation
  text: string
}

export interface SeedTransitKey {
  at: SeedLocation
  mount: string
  name: string
  type: string
  /** Fields sent when the key is created (keys/:name or keys/:name/import). */
  create: Record<string, unknown>
  /** Fields sent to keys/:name/config afterwards (empty: no call). */
  config: Record<string, unknown>
  /** A number of random versions, or fixed material per version. */
  versions: number | SeedKeyMaterial[]
  allowRotation: boolean
}

export interface SeedKvVersion {
  at: SeedLocation
  data: Record<string, unknown>
}

export interface SeedKvSecret {
  at: SeedLocation
  mount: string
  path: string
  versions: SeedKvVersion[]
  /** KV v2 metadata fields (max_versions, cas_required, delete_version_after, custom_metadata). */
  metadata: Record<string, unknown>
}

export interface SeedToken {
  at: SeedLocation
  id: string
  orphan: boolean
  /** Fields sent to auth/token/create (or create-orphan), `id` included. */
  fields: Record<string, unknown>
}

/** A validated seed, in the order it is applied. */
export interface Seed {
  source: string
  mounts: SeedMount[]
  policies: SeedPolicy[]
  transit: SeedTransitKey[]
  kv: SeedKvSecret[]
  tokens: SeedToken[]
}
