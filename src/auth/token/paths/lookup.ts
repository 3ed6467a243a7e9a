/**
 * auth/token/lookup, lookup-self and lookup-accessor (token_store.go
 * handleLookup, handleLookupSelf, handleUpdateLookupAccessor).
 */
import { formatRfc3339Nano, unixSeconds, type Clock } from '../../../clock/index.js'
import { VaultError } from '../../../errors/index.js'
import type { EngineRequest, EngineResponse, PathSpec } from '../../../engines/engine.js'
import type { TokenEntry, TokenStore } from '../token-store.js'

/** The lease's renewability as Vault reports it (leaseEntry.renewable). */
export function leaseRenewable (entry: TokenEntry, now: number): boolean {
  if (entry.type === 'batch') return false
  if (entry.expire_time_ms === 0) return false
  if (entry.expire_time_ms < now) return false
  return entry.renewable
}

/** Remaining whole seconds: Vault subtracts "now rounded to the second" and truncates. */
function remainingSeconds (expireMs: number, now: number): number {
  return Math.trunc((expireMs - Math.round(now / 1000) * 1000) / 1000)
}

/** The `data` of a token lookup, in Vault's shape (token_store.go handleLookup). */
export function lookupData (entry: TokenEntry, clock: Clock, showId: boolean): Record<string, unknown> {
  const now = clock.now()
  const data: Record<string, unknown> = {
    accessor: entry.accessor,
    creation_time: unixSeconds(entry.creation_time_ms),
    creation_ttl: entry.creation_ttl,
    display_name: entry.display_name,
    entity_id: entry.entity_id,
    expire_time: null,
    explicit_max_ttl: entry.explicit_max_ttl,
    id: showId ? entry.id : '',
    meta: entry.meta,
    num_uses: entry.num_uses,
    orphan: entry.parent === '',
    path: entry.path,
    policies: entry.policies,
    ttl: 0,
    type: entry.type
  }
  if (entry.role !== '') data.role = entry.role
  if (entry.period !== 0) data.period = entry.period
  if (entry.last_renewal_time_ms !== 0) {
    data.last_renewal_time = unixSeconds(entry.last_renewal_time_ms)
    data.last_renewal = formatRfc3339Nano(entry.last_renewal_time_ms)
  }
  // Batch tokens carry their lease times in themselves: issue + TTL.
  const expire = entry.type === 'batch' ? entry.issue_time_ms + entry.ttl * 1000 : entry.expire_time_ms
  if (expire !== 0) {
    data.expire_time = formatRfc3339Nano(expire)
    data.ttl = remainingSeconds(expire, now)
  }
  data.renewable = leaseRenewable(entry, now)
  data.issue_time = formatRfc3339Nano(entry.issue_time_ms)
  return data
}

/** handleLookup: the token as the caller named it, including one on its last use. */
function lookupToken (store: TokenStore, id: string, req: EngineRequest): EngineResponse {
  if (id === '') throw VaultError.invalidRequest('missing token ID')
  const entry = store.lookup(id, true)
  if (entry === undefined) throw new VaultError('permissionDenied', ['bad token'])
  return { data: lookupData(entry, req.clock, true) }
}

export function lookupPaths (store: TokenStore): PathSpec[] {
  const self = (req: EngineRequest): EngineResponse => lookupToken(store, req.token?.id ?? '', req)
  const named = (req: EngineRequest): EngineResponse =>
    lookupToken(store, req.data.get<string>('token') || (req.token?.id ?? ''), req)
  return [
    {
      pattern: 'lookup',
      fields: { token: { type: 'string' } },
      operations: { read: named, update: named }
    },
    {
      pattern: 'lookup-accessor',
      fields: { accessor: { type: 'string' } },
      operations: {
        update: (req) => {
          const accessor = req.data.get<string>('accessor')
          if (accessor === '') throw VaultError.badRequestMulti('missing accessor')
          const entry = store.lookupByAccessor(accessor)
          if (entry === undefined) throw VaultError.badRequestMulti('invalid accessor')
          const resp = lookupToken(store, entry.id, req)
          return { data: { ...(resp.data as Record<string, unknown>), id: '' } }
        }
      }
    },
    {
      pattern: 'lookup-self',
      fields: { token: { type: 'string' } },
      operations: { read: self, update: self }
    }
  ]
}
