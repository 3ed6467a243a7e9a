/**
 * The token store (vault/token_store.go): token entries, their accessors,
 * parent/child index and lease times; lookup, use counting, renewal and
 * revocation of whole subtrees. Token ids are never logged or used as
 * storage keys; lookups compare ids in constant time.
 */
import { randomBase62, safeEqual, sha256Hex, type RandomSource } from '../../crypto/index.js'
import { createHmac } from 'node:crypto'
import type { Clock } from '../../clock/index.js'
import type { Flavor } from '../../engines/engine.js'
import type { Storage } from '../../storage/storage.js'

/** A stored token. Durations in seconds, times in epoch ms. */
export interface TokenEntry {
  id: string
  /** 24 base62 characters; '' for batch tokens. */
  accessor: string
  /** Parent token id, '' for orphans. */
  parent: string
  policies: string[]
  path: string
  meta: Record<string, string> | null
  display_name: string
  /** 0 = unlimited; -1 = last use consumed, revocation pending. */
  num_uses: number
  /** num_uses as granted at creation (what renewals report). */
  creation_num_uses: number
  creation_time_ms: number
  /** The TTL granted at creation (Vault's te.TTL). */
  creation_ttl: number
  /** The TTL granted at creation or by the last renewal (the lease's TTL); 0 = never expires. */
  ttl: number
  /** The lease's issue time (creation). */
  issue_time_ms: number
  /** 0 = never. */
  expire_time_ms: number
  /** 0 until the first renewal. */
  last_renewal_time_ms: number
  explicit_max_ttl: number
  period: number
  /** The lease may be renewed. */
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

/** A stored token role (tsRoleEntry), in the units the API reports. */
export interface TokenRole {
  name: string
  allowed_policies: string[]
  disallowed_policies: string[]
  allowed_policies_glob: string[]
  disallowed_policies_glob: string[]
  orphan: boolean
  renewable: boolean
  path_suffix: string
  allowed_entity_aliases: string[] | null
  /** Deprecated fields, kept for read compatibility (seconds). */
  period: number
  explicit_max_ttl: number
  token_period: number
  token_explicit_max_ttl: number
  token_type: 'service' | 'batch' | 'default-service' | 'default-batch'
  token_no_default_policy: boolean
  token_num_uses: number
}

/** Called with each token as it is revoked (cubbyhole destruction). */
export type RevokeListener = (entry: TokenEntry) => void

/** Storage key part for a token: a hash, so ids never sit in storage keys. */
function tokenHash (id: string): string {
  return sha256Hex(id)
}

export class TokenStore {
  private readonly deps: TokenStoreDeps
  private readonly listeners: RevokeListener[] = []
  /** Key for the HMAC inside Vault-style signed token ids (cosmetic: ids are looked up whole). */
  private signingKey: Buffer | undefined
  /** Epoch ms of the earliest expiry seen by the last sweep or a later save; 0 = sweep now. */
  private nextExpiryMs = 0

  constructor (deps: TokenStoreDeps) {
    this.deps = deps
  }

  get flavor (): Flavor {
    return this.deps.flavor
  }

  get clock (): Clock {
    return this.deps.clock
  }

  /** Register a function run for every revoked token. */
  onRevoke (listener: RevokeListener): void {
    this.listeners.push(listener)
  }

  /**
   * A fresh service token id. OpenBao: `s.` + 24 base62. Vault (1.10+):
   * root-policy tokens are `hvs.` + 24 base62; other service tokens are
   * "server-side consistent": `hvs.` + base64url of a SignedToken protobuf
   * (version 1, an HMAC-SHA256, and the inner Token{random: "hvs.<24>",
   * local_index}), about 95 characters. Clients treat both as opaque.
   */
  newTokenId (rootPolicy = true): string {
    if (this.deps.flavor === 'openbao') return 's.' + randomBase62(this.deps.random, 24)
    const inner = 'hvs.' + randomBase62(this.deps.random, 24)
    if (rootPolicy) return inner
    const innerText = Buffer.from(inner, 'latin1')
    // Token{ random (1): string, local_index (2): uint64 = 1 }
    const token = Buffer.concat([Buffer.from([0x0a, innerText.length]), innerText, Buffer.from([0x10, 0x01])])
    this.signingKey ??= this.deps.random.bytes(32)
    const mac = createHmac('sha256', this.signingKey).update(token).digest()
    // SignedToken{ token_version (1) = 1, hmac (2): bytes, token (3): bytes }
    const signed = Buffer.concat([
      Buffer.from([0x08, 0x01, 0x12, mac.length]), mac,
      Buffer.from([0x1a, token.length]), token
    ])
    return 'hvs.' + signed.toString('base64url')
  }

  /**
   * A fresh batch token id. Vault's is an encrypted, base64url blob behind
   * `hvb.` (`b.` in OpenBao); ours is random bytes of a similar length, the
   * entry living in storage like a service token's.
   */
  newBatchTokenId (): string {
    const prefix = this.deps.flavor === 'openbao' ? 'b.' : 'hvb.'
    return prefix + this.deps.random.bytes(96).toString('base64url')
  }

  newAccessor (): string {
    return randomBase62(this.deps.random, 24)
  }

  private raw (id: string): TokenEntry | undefined {
    if (id === '') return undefined
    const entry = this.deps.storage.get<TokenEntry>(`id/${tokenHash(id)}`)
    if (entry === undefined || !safeEqual(entry.id, id)) return undefined
    return entry
  }

  /** Whether an id is taken (by any token, even one pending revocation). */
  idExists (id: string): boolean {
    return this.raw(id) !== undefined
  }

  /** Store an entry (create or update), with its accessor and parent indexes. */
  save (entry: TokenEntry): void {
    const hash = tokenHash(entry.id)
    if (entry.expire_time_ms !== 0 && entry.expire_time_ms < this.nextExpiryMs) {
      this.nextExpiryMs = entry.expire_time_ms
    }
    this.deps.storage.put(`id/${hash}`, entry)
    if (entry.accessor !== '') this.deps.storage.put(`accessor/${entry.accessor}`, { hash })
    if (entry.parent !== '') this.deps.storage.put(`parent/${tokenHash(entry.parent)}/${hash}`, true)
  }

  private isExpired (entry: TokenEntry, now: number): boolean {
    return entry.expire_time_ms !== 0 && now >= entry.expire_time_ms
  }

  /**
   * A live token, or undefined if unknown, revoked, expired (revoked on
   * the spot, with its subtree, as Vault's expiration manager does at
   * expiry) or on its last use. `tainted` also returns a token whose last
   * use is under way (what auth/token/lookup sees).
   */
  lookup (id: string, tainted = false): TokenEntry | undefined {
    const entry = this.raw(id)
    if (entry === undefined) return undefined
    if (this.expireIfDue(entry)) return undefined
    if (entry.num_uses < 0 && !tainted) return undefined
    return entry
  }

  /** The token behind an accessor (tainted like lookup when asked). */
  lookupByAccessor (accessor: string, tainted = false): TokenEntry | undefined {
    if (accessor === '') return undefined
    const ref = this.deps.storage.get<{ hash: string }>(`accessor/${accessor}`)
    if (ref === undefined) return undefined
    const entry = this.deps.storage.get<TokenEntry>(`id/${ref.hash}`)
    if (entry === undefined || !safeEqual(entry.accessor, accessor)) return undefined
    if (this.expireIfDue(entry)) return undefined
    if (entry.num_uses < 0 && !tainted) return undefined
    return entry
  }

  /** Revoke the token's tree if it or an ancestor has expired; true when it did. */
  private expireIfDue (entry: TokenEntry): boolean {
    const now = this.deps.clock.now()
    let current: TokenEntry | undefined = entry
    const seen = new Set<string>()
    while (current !== undefined && !seen.has(current.id)) {
      seen.add(current.id)
      if (this.isExpired(current, now)) {
        this.revokeTree(current)
        return true
      }
      if (current.parent === '') break
      const parent = this.raw(current.parent)
      // A dangling parent link means the parent was revoked: so was this token.
      if (parent === undefined) {
        this.revokeTree(entry)
        return true
      }
      current = parent
    }
    return false
  }

  /**
   * Count one use of a limited-use token before its request runs. Returns
   * true when this was the last use: the caller revokes after the request.
   */
  consumeUse (entry: TokenEntry): boolean {
    if (entry.num_uses === 0) return false
    const next = entry.num_uses - 1
    entry.num_uses = next === 0 ? -1 : next
    this.deps.storage.put(`id/${tokenHash(entry.id)}`, entry)
    return next === 0
  }

  /** Record a renewal: the new lease TTL from now. */
  renewLease (entry: TokenEntry, ttl: number): TokenEntry {
    const now = this.deps.clock.now()
    const updated: TokenEntry = {
      ...entry,
      ttl,
      expire_time_ms: ttl > 0 ? now + ttl * 1000 : 0,
      last_renewal_time_ms: now
    }
    this.deps.storage.put(`id/${tokenHash(entry.id)}`, updated)
    return updated
  }

  private children (entry: TokenEntry): string[] {
    return this.deps.storage.list(`parent/${tokenHash(entry.id)}/`).filter((k) => !k.endsWith('/'))
  }

  /** Revoke a token and its whole subtree, children first. */
  revokeTree (entry: TokenEntry): void {
    const seen = new Set<string>()
    const visit = (node: TokenEntry): void => {
      seen.add(node.id)
      for (const childHash of this.children(node)) {
        const child = this.deps.storage.get<TokenEntry>(`id/${childHash}`)
        if (child !== undefined && !seen.has(child.id)) visit(child)
      }
      this.revokeOne(node)
    }
    visit(entry)
  }

  /** Revoke only this token; its children become orphans (revoke-orphan). */
  revokeOrphan (entry: TokenEntry): void {
    for (const childHash of this.children(entry)) {
      const child = this.deps.storage.get<TokenEntry>(`id/${childHash}`)
      if (child !== undefined) {
        this.deps.storage.put(`id/${childHash}`, { ...child, parent: '', orphan: true })
      }
    }
    this.revokeOne(entry)
  }

  private revokeOne (entry: TokenEntry): void {
    const hash = tokenHash(entry.id)
    // The cubbyhole goes first: it is the security-sensitive part.
    for (const listener of this.listeners) listener(entry)
    this.deps.storage.deletePrefix(`parent/${hash}/`)
    if (entry.parent !== '') this.deps.storage.delete(`parent/${tokenHash(entry.parent)}/${hash}`)
    if (entry.accessor !== '') this.deps.storage.delete(`accessor/${entry.accessor}`)
    this.deps.storage.delete(`id/${hash}`)
  }

  /** Accessors of every live token (LIST auth/token/accessors). */
  accessors (): string[] {
    const out: string[] = []
    for (const accessor of this.deps.storage.list('accessor/')) {
      if (accessor.endsWith('/')) continue
      if (this.lookupByAccessor(accessor, true) !== undefined) out.push(accessor)
    }
    return out
  }

  /** Revoke every expired token (run periodically, like the expiration manager). */
  revokeExpired (): void {
    // The sweep reads every token; skip it until the earliest known expiry
    // (save() lowers the mark, so a new short-lived token is never missed).
    if (this.deps.clock.now() < this.nextExpiryMs) return
    let next = Infinity
    for (const hash of this.deps.storage.list('id/')) {
      const entry = this.deps.storage.get<TokenEntry>(`id/${hash}`)
      if (entry === undefined || this.expireIfDue(entry)) continue
      if (entry.expire_time_ms !== 0) next = Math.min(next, entry.expire_time_ms)
    }
    this.nextExpiryMs = next
  }

  /** Remove index entries that point at no token (auth/token/tidy). */
  tidy (): number {
    let cleaned = 0
    for (const accessor of this.deps.storage.list('accessor/')) {
      const ref = this.deps.storage.get<{ hash: string }>(`accessor/${accessor}`)
      if (ref === undefined || this.deps.storage.get(`id/${ref.hash}`) === undefined) {
        this.deps.storage.delete(`accessor/${accessor}`)
        cleaned++
      }
    }
    for (const parentDir of this.deps.storage.list('parent/')) {
      const parentHash = parentDir.replace(/\/$/, '')
      const parentGone = this.deps.storage.get(`id/${parentHash}`) === undefined
      for (const childHash of this.deps.storage.list(`parent/${parentDir}`)) {
        const child = this.deps.storage.get<TokenEntry>(`id/${childHash}`)
        if (child === undefined || parentGone) {
          if (child !== undefined) this.revokeTree(child)
          this.deps.storage.delete(`parent/${parentDir}${childHash}`)
          cleaned++
        }
      }
    }
    this.revokeExpired()
    return cleaned
  }

  role (name: string): TokenRole | undefined {
    return this.deps.storage.get<TokenRole>(`roles/${name}`)
  }

  saveRole (role: TokenRole): void {
    this.deps.storage.put(`roles/${role.name}`, role)
  }

  deleteRole (name: string): void {
    this.deps.storage.delete(`roles/${name}`)
  }

  roles (): string[] {
    return this.deps.storage.list('roles/').filter((k) => !k.endsWith('/'))
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
      creation_num_uses: 0,
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
