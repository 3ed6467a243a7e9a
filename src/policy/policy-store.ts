/**
 * Stored ACL policies (vault/policy/policy_store.go) and the ACL for a set
 * of policy names. Compiled ACLs are cached per policy set; any policy
 * write or delete bumps a stored generation number, which empties the
 * cache (also after a storage restore).
 */
import type { Clock } from '../clock/index.js'
import type { Flavor } from '../engines/engine.js'
import { VaultError } from '../errors/index.js'
import type { Storage } from '../storage/storage.js'
import { ROOT_ACL, type Acl } from './acl.js'
import { defaultPolicyDocument, defaultPolicyText } from './default-policy.js'
import { CompiledAcl } from './evaluate.js'
import { compileDocument, type PathRule } from './policy.js'

/** A stored policy (the fields OpenBao keeps, plus the compiled rules). */
export interface StoredPolicy {
  name: string
  raw: string
  version: number
  casRequired: boolean
  allowWildcardsInIdentityTemplates: boolean
  allowSlashesInIdentityTemplates: boolean
  /** Epoch ms; 0 = never expires. */
  expiration: number
  /** Epoch ms of the last write. */
  modified: number
  rules: PathRule[]
}

export interface PolicyWrite {
  raw: string
  rules: PathRule[]
  /** Check-and-set version; undefined when not given. */
  cas?: number
  casRequired?: boolean
  allowWildcardsInIdentityTemplates?: boolean
  allowSlashesInIdentityTemplates?: boolean
  expiration?: number
}

export interface PolicyStoreOptions {
  flavor?: Flavor
  clock?: Clock
}

/** Policies no one may write or delete (root is virtual). */
const IMMUTABLE = ['root', 'response-wrapping']
/** Policies a token may not be given. */
export const NON_ASSIGNABLE = ['response-wrapping']

const GENERATION_KEY = 'meta/generation'
const CACHE_LIMIT = 1024

function policyKey (name: string): string {
  return `acl/${encodeURIComponent(name)}`
}

/** Vault's sanitizeName: policies are lower-case and trimmed. */
export function sanitizePolicyName (name: string): string {
  return name.trim().toLowerCase()
}

export class PolicyStore {
  private readonly storage: Storage
  private readonly flavor: Flavor
  private readonly clock: Clock | undefined
  private readonly cache = new Map<string, Acl>()
  private cacheGeneration = -1

  constructor (storage: Storage, options: PolicyStoreOptions = {}) {
    this.storage = storage
    this.flavor = options.flavor ?? 'vault'
    this.clock = options.clock
    this.loadDefault()
  }

  private now (): number {
    return this.clock?.now() ?? 0
  }

  /** Store the default policy on first start (LoadDefaultPolicies). */
  private loadDefault (): void {
    if (this.storage.get(policyKey('default')) !== undefined) return
    const raw = defaultPolicyText(this.flavor)
    const rules = compileDocument(defaultPolicyDocument(this.flavor), raw, this.flavor, this.now())
    this.write('default', { raw, rules, cas: 0 })
  }

  /** Names of stored policies, sorted (without `root`). */
  list (prefix = ''): string[] {
    const names = this.storage.list('acl/')
      .filter((k) => !k.endsWith('/'))
      .map((k) => decodeURIComponent(k))
      .filter((n) => n.startsWith(prefix) && !NON_ASSIGNABLE.includes(n))
      .filter((n) => this.get(n) !== undefined)
    return names.sort()
  }

  /** A stored policy, or undefined (an expired one is deleted on the spot). */
  get (name: string): StoredPolicy | undefined {
    const key = sanitizePolicyName(name)
    const stored = this.storage.get<StoredPolicy>(policyKey(key))
    if (stored === undefined) return undefined
    if (stored.expiration !== 0 && this.now() > stored.expiration) {
      this.storage.delete(policyKey(key))
      this.bumpGeneration()
      return undefined
    }
    return stored
  }

  /** Whether a token policy name resolves to a policy (root always does). */
  exists (name: string): boolean {
    return name === 'root' || this.get(name) !== undefined
  }

  /** Create or replace a policy (SetPolicy), enforcing check-and-set. */
  set (name: string, write: PolicyWrite): void {
    const key = sanitizePolicyName(name)
    if (IMMUTABLE.includes(key)) throw VaultError.invalidRequest(`cannot update ${JSON.stringify(key)} policy`)
    this.write(key, write)
  }

  private write (name: string, write: PolicyWrite): void {
    const existing = this.storage.get<StoredPolicy>(policyKey(name))
    const casRequired = (existing?.casRequired ?? false) || (write.casRequired ?? false)
    if (write.cas === undefined && casRequired) {
      throw VaultError.invalidRequest('check-and-set parameter required for this call')
    }
    if (write.cas !== undefined) {
      if (write.cas === -1 && existing !== undefined) {
        throw VaultError.invalidRequest('check-and-set parameter set to -1 on existing entry')
      }
      if (write.cas !== -1 && write.cas !== (existing?.version ?? 0)) {
        throw VaultError.invalidRequest('check-and-set parameter did not match the current version')
      }
    }
    const entry: StoredPolicy = {
      name,
      raw: write.raw,
      version: (existing?.version ?? 0) + 1,
      casRequired: write.casRequired ?? false,
      allowWildcardsInIdentityTemplates: write.allowWildcardsInIdentityTemplates ?? false,
      allowSlashesInIdentityTemplates: write.allowSlashesInIdentityTemplates ?? false,
      expiration: write.expiration ?? 0,
      modified: this.now(),
      rules: write.rules
    }
    this.storage.put(policyKey(name), entry)
    this.bumpGeneration()
  }

  /** Delete a policy (also when missing); root and default are protected. */
  delete (name: string): void {
    const key = sanitizePolicyName(name)
    if (IMMUTABLE.includes(key)) throw VaultError.invalidRequest(`cannot delete ${JSON.stringify(key)} policy`)
    if (key === 'default') throw VaultError.invalidRequest('cannot delete default policy')
    this.storage.delete(policyKey(key))
    this.bumpGeneration()
  }

  private bumpGeneration (): void {
    const gen = this.storage.get<number>(GENERATION_KEY) ?? 0
    this.storage.put(GENERATION_KEY, gen + 1)
  }

  /** The ACL granted by these policy names (unknown names grant nothing). */
  acl (names: readonly string[]): Acl {
    if (names.includes('root')) return ROOT_ACL
    const gen = this.storage.get<number>(GENERATION_KEY) ?? 0
    if (gen !== this.cacheGeneration) {
      this.cache.clear()
      this.cacheGeneration = gen
    }
    const key = [...names].sort().join('\n')
    const cached = this.cache.get(key)
    if (cached !== undefined) return cached
    const stored = names
      .map((n) => this.get(n))
      .filter((p): p is StoredPolicy => p !== undefined)
    const acl = new CompiledAcl(stored.map((p) => ({ name: p.name, rules: p.rules })), this.now())
    // An ACL built from anything that expires must be rebuilt once it does,
    // so it is not cached.
    const expires = stored.some((p) => p.expiration !== 0 || p.rules.some((r) => r.expiration !== 0))
    if (!expires) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear()
      this.cache.set(key, acl)
    }
    return acl
  }
}
