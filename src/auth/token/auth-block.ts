/**
 * The `auth` block of token-creating and renewing responses (logical.Auth
 * as http/logical.go writes it), field order as Vault sends it.
 */
import type { AuthBlock } from '../../engines/engine.js'
import type { TokenEntry } from './token-store.js'
import { sanitizePolicies } from './policies.js'

export function authBlock (entry: TokenEntry, clientToken: string, leaseDuration: number,
  renewable: boolean, numUses: number): AuthBlock {
  const policies = sanitizePolicies(entry.policies, false)
  return {
    client_token: clientToken,
    accessor: entry.accessor,
    policies,
    token_policies: [...policies],
    metadata: entry.meta,
    lease_duration: leaseDuration,
    renewable,
    entity_id: entry.entity_id,
    token_type: entry.type,
    orphan: entry.parent === '',
    mfa_requirement: null,
    num_uses: numUses
  }
}
