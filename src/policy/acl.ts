/**
 * The ACL a token's policies add up to, as the core asks it: may this
 * operation on this path go ahead, and with which capabilities.
 */
import type { Operation } from '../engines/engine.js'

export type Capability =
  | 'create' | 'read' | 'update' | 'patch' | 'delete' | 'list' | 'sudo' | 'deny' | 'root' | 'scan'

export interface AclDecision {
  allowed: boolean
  /** The caller holds `sudo` on the path (root always does). */
  sudo: boolean
  /** The pattern of the rule that decided, for debug logs (never a token). */
  matchedRule?: string
  /** The capability that was missing, when denied. */
  missing?: string
}

export interface AclCheck {
  path: string
  operation: Operation
  /** Request data, for allowed/denied/required parameter rules. */
  data?: Readonly<Record<string, unknown>> | null
  /** The path is root-protected: `sudo` is needed too. */
  sudoRequired?: boolean
  /** Requested response-wrapping TTL in seconds, when the request asks for wrapping. */
  wrapTtl?: number
}

export interface Acl {
  readonly isRoot: boolean
  check: (req: AclCheck) => AclDecision
  /** The capabilities reported by sys/capabilities*, sorted. */
  capabilities: (path: string) => string[]
  /** Whether any rule grants something at or under `prefix` (Vault's hasMountAccess). */
  hasAccessUnder: (prefix: string) => boolean
}

/** The ACL of a root token: everything, everywhere. */
export const ROOT_ACL: Acl = {
  isRoot: true,
  check: () => ({ allowed: true, sudo: true }),
  capabilities: () => ['root'],
  hasAccessUnder: () => true
}
