/**
 * The token store: token entries, their accessors, parents and expiry.
 * Token ids are never logged; lookups compare ids in constant time.
 */
import { randomBase62, safeEqual, type RandomSource } from '../../crypto/index.js'
import type { Clock } from '../../clock/index.js'
import type { Flavor } from '../../engines/engine.js'
import type { Storage } from '../../storage/storage.js'
import { createHash } from 'node:crypto'

/** A stored token, in the units Vault reports (seconds; times in epoch ms). */
export interface TokenEntry {
  id: string
  accessor: string
  /** Parent token id, '' for orphans. */
  parent: string
  policies: string[]
  path: string
  meta: Record<string, string> | null
  display_name: string
  /** 0 = unlimited; -1 = last use consumed, revocation pending. */
  num_uses: number
  /** Epoch ms. */
  creation_time_ms: number
  /** TTL granted at creation (s). */
  creation_ttl: number
  /** TTL granted at the last creation or renewal (s); 0 = never expires. */
  ttl: number
  /** Epoch ms of the last creation or renewal (the lease's issue time). */
  issue_time_ms: number
  /** Epoch ms when the token expires; 0 = never. */
  expire_time_ms: number
  last_renewal_time_ms: number
  explicit_max_ttl: number
  period: number
  renewable: boolean
  orphan: boolean
  type: 'service' | 'batch'
  role: string
  entity_id: string
}

export interface TokenStoreDeps {
  storage: Storage
  clock: Clock
  random: RandomSource
  flavor: Flavor
}

/** Storage key of a token: a hash, so ids never sit in storage keys. */
function tokenKey (id: string): string {
  return `id/${createHash('sha256').update(id).digest('hex')}`
}

export class TokenStore {
  private readonly deps: TokenStoreDeps

  constructor (deps: TokenStoreDeps) {
    this.deps = deps
  }

  /** A fresh token id in the server flavour's format (`hvs.` or `s.` + 24 base62). */
  newTokenId (): string {
    const prefix = this.deps.flavor === 'openbao' ? 's.' : 'hvs.'
    return prefix + randomBase62(this.deps.random, 24)
  }

  newAccessor (): string {
    return randomBase62(this.deps.random, 24)
  }

  /** Store an entry (create or update). */
  save (entry: TokenEntry): void {
    this.deps.storage.put(tokenKey(entry.id), entry)
    this.deps.storage.put(`accessor/${entry.accessor}`, { key: tokenKey(entry.id) })
    if (entry.parent !== '') {
      this.deps.storage.put(`parent/${tokenKey(entry.parent).slice(3)}/${entry.accessor}`, true)
    }
  }

  /**
   * The live entry for an id, or undefined if unknown, revoked or expired.
   * An expired token found here is revoked on the spot.
   */
  lookup (id: string): TokenEntry | undefined {
    if (id === '') return undefined
    const entry = this.deps.storage.get<TokenEntry>(tokenKey(id))
    if (entry === undefined || !safeEqual(entry.id, id)) return undefined
    if (this.isExpired(entry)) {
      this.revokeTree(entry)
      return undefined
    }
    return entry
  }

  /** The entry of the token making the current request (already validated by the core). */
  lookupForRequest (id: string): TokenEntry | undefined {
    const entry = this.deps.storage.get<TokenEntry>(tokenKey(id))
    return entry !== undefined && safeEqual(entry.id, id) ? entry : undefined
  }

  lookupByAccessor (accessor: string): TokenEntry | undefined {
    const ref = this.deps.storage.get<{ key: string }>(`accessor/${accessor}`)
    if (ref === undefined) return undefined
    const entry = this.deps.storage.get<TokenEntry>(ref.key)
    if (entry === undefined) return undefined
    if (this.isExpired(entry)) {
      this.revokeTree(entry)
      return undefined
    }
    return entry
  }

  isExpired (entry: TokenEntry): boolean {
    return entry.expire_time_ms !== 0 && this.deps.clock.now() >= entry.expire_time_ms
  }

  /**
   * Count one use of a limited-use token before its request runs. Returns
   * true when this was the last use: the caller revokes after the request.
   */
  consumeUse (entry: TokenEntry): boolean {
    if (entry.num_uses === 0) return false
    const next = entry.num_uses - 1
    const updated = { ...entry, num_uses: next === 0 ? -1 : next }
    this.deps.storage.put(tokenKey(entry.id), updated)
    entry.num_uses = updated.num_uses
    return next === 0
  }

  /** Accessors of the direct children of a token. */
  childAccessors (entry: TokenEntry): string[] {
    return this.deps.storage.list(`parent/${tokenKey(entry.id).slice(3)}/`)
  }

  /** Revoke a token and its whole subtree. */
  revokeTree (entry: TokenEntry): void {
    for (const accessor of this.childAccessors(entry)) {
      const child = this.lookupRaw(accessor)
      if (child !== undefined) this.revokeTree(child)
    }
    this.revokeOne(entry)
  }

  /** Revoke only this token (children are detached by the caller as needed). */
  revokeOne (entry: TokenEntry): void {
    const key = tokenKey(entry.id)
    this.deps.storage.delete(key)
    this.deps.storage.delete(`accessor/${entry.accessor}`)
    this.deps.storage.deletePrefix(`parent/${key.slice(3)}/`)
    if (entry.parent !== '') {
      this.deps.storage.delete(`parent/${tokenKey(entry.parent).slice(3)}/${entry.accessor}`)
    }
  }

  /** All accessors (for LIST auth/token/accessors). */
  accessors (): string[] {
    return this.deps.storage.list('accessor/')
  }

  private lookupRaw (accessor: string): TokenEntry | undefined {
    const ref = this.deps.storage.get<{ key: string }>(`accessor/${accessor}`)
    return ref === undefined ? undefined : this.deps.storage.get<TokenEntry>(ref.key)
  }

  /**
   * The dev-mode root token: what `vault server -dev` makes. With a fixed id
   * Vault creates it through auth/token/create (orphan, path
   * auth/token/create, display name "token"); without one it is the init
   * root token (path auth/token/root, display name "root").
   */
  createRootToken (fixedId: string | undefined): TokenEntry {
    const now = this.deps.clock.now()
    const entry: TokenEntry = {
      id: fixedId ?? this.newTokenId(),
      accessor: this.newAccessor(),
      parent: '',
      policies: ['root'],
      path: fixedId !== undefined ? 'auth/token/create' : 'auth/token/root',
      meta: null,
      display_name: fixedId !== undefined ? 'token' : 'root',
      num_uses: 0,
      creation_time_ms: now,
      creation_ttl: 0,
      ttl: 0,
      issue_time_ms: now,
      expire_time_ms: 0,
      last_renewal_time_ms: 0,
      explicit_max_ttl: 0,
      period: 0,
      renewable: false,
      orphan: true,
      type: 'service',
      role: '',
      entity_id: ''
    }
    this.save(entry)
    return entry
  }
}
