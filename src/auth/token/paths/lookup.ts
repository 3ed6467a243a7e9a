import { formatRfc3339Nano, unixSeconds, type Clock } from '../../../clock/index.js'
import { VaultError } from '../../../errors/index.js'
import type { EngineRequest, PathSpec } from '../../../engines/engine.js'
import type { TokenEntry, TokenStore } from '../token-store.js'

/** The `data` of a token lookup, in Vault's shape (token.go handleLookup). */
export function lookupData (entry: TokenEntry, clock: Clock, showId: boolean): Record<string, unknown> {
  const now = clock.now()
  const remaining = entry.expire_time_ms === 0
    ? 0
    : Math.max(0, Math.floor((entry.expire_time_ms - now) / 1000))
  const data: Record<string, unknown> = {
    accessor: entry.accessor,
    creation_time: unixSeconds(entry.creation_time_ms),
    creation_ttl: entry.creation_ttl,
    display_name: entry.display_name,
    entity_id: entry.entity_id,
    expire_time: entry.expire_time_ms === 0 ? null : formatRfc3339Nano(entry.expire_time_ms),
    explicit_max_ttl: entry.explicit_max_ttl,
    id: showId ? entry.id : '',
    issue_time: formatRfc3339Nano(entry.issue_time_ms),
    meta: entry.meta,
    num_uses: entry.num_uses,
    orphan: entry.orphan,
    path: entry.path,
    policies: entry.policies,
    renewable: entry.renewable && entry.ttl !== 0,
    ttl: remaining,
    type: entry.type
  }
  if (entry.period !== 0) data.period = entry.period
  if (entry.role !== '') data.role = entry.role
  if (entry.last_renewal_time_ms !== 0) {
    data.last_renewal_time = unixSeconds(entry.last_renewal_time_ms)
    data.last_renewal = formatRfc3339Nano(entry.last_renewal_time_ms)
  }
  return data
}

export function lookupPaths (store: TokenStore): PathSpec[] {
  const lookupSelf = (req: EngineRequest) => {
    const entry = req.token === undefined ? undefined : store.lookupForRequest(req.token.id)
    if (entry === undefined) throw VaultError.invalidRequest('bad token')
    return { data: lookupData(entry, req.clock, true) }
  }
  return [
    {
      pattern: 'lookup-self',
      fields: { token: { type: 'string' } },
      operations: { read: lookupSelf, update: lookupSelf }
    }
  ]
}
