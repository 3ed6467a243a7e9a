/**
 * Stored ACL policies and the ACL for a set of policy names.
 */
import type { Storage } from '../storage/storage.js'
import { ROOT_ACL, type Acl } from './acl.js'

// LIMITATION: until the policy engine lands, only the root policy grants
// anything; every other token is denied everywhere (403).
const DENY_ALL: Acl = {
  isRoot: false,
  check: () => ({ allowed: false, sudo: false, missing: 'any' }),
  capabilities: () => ['deny'],
  hasAccessUnder: () => false
}

export class PolicyStore {
  private readonly storage: Storage

  constructor (storage: Storage) {
    this.storage = storage
  }

  /** Names of stored policies, sorted (without `root`). */
  list (): string[] {
    return this.storage.list('').filter((k) => !k.endsWith('/')).sort()
  }

  /** The ACL granted by these policy names. */
  acl (names: readonly string[]): Acl {
    if (names.includes('root')) return ROOT_ACL
    return DENY_ALL
  }
}
