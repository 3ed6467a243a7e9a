/**
 * auth/token/renew, renew-self and renew-accessor (token_store.go
 * handleRenew, authRenew; expiration.go RenewToken).
 */
import type { EngineRequest, EngineResponse, PathSpec } from '../../../engines/engine.js'
import { VaultError } from '../../../errors/index.js'
import { authBlock } from '../auth-block.js'
import type { TokenStore } from '../token-store.js'
import { calculateTtl } from '../ttl.js'

const INCREMENT = { increment: { type: 'duration', default: 0 } } as const

function renew (store: TokenStore, req: EngineRequest, id: string, increment: number): EngineResponse {
  if (id === '') throw VaultError.invalidRequest('missing token ID')
  const entry = store.lookup(id)
  if (entry === undefined) throw VaultError.invalidRequest('token not found')
  if (entry.type === 'batch') throw VaultError.invalidRequest('batch tokens cannot be renewed')

  const now = req.clock.now()
  if (entry.expire_time_ms === 0) throw VaultError.invalidRequest('lease is not renewable')
  if (entry.expire_time_ms < now) throw VaultError.invalidRequest('lease expired')
  if (!entry.renewable) throw VaultError.invalidRequest('lease is not renewable')

  // Role tokens renew with the role's current period and explicit max TTL.
  let period = entry.period
  let explicitMax = entry.explicit_max_ttl
  if (entry.role !== '') {
    const role = store.role(entry.role)
    if (role === undefined) {
      throw VaultError.internal(`failed to renew entry: original token role ${JSON.stringify(entry.role)} could not be found, not renewing`)
    }
    period = role.token_period
    explicitMax = role.token_explicit_max_ttl
  }
  const { ttl, warnings } = calculateTtl({
    now,
    defaultLeaseTtl: req.mount.defaultLeaseTtl,
    maxLeaseTtl: req.mount.maxLeaseTtl,
    increment,
    backendTtl: entry.ttl,
    period,
    backendMaxTtl: 0,
    explicitMaxTtl: explicitMax,
    startTime: entry.issue_time_ms
  })
  const renewed = store.renewLease(entry, ttl)
  return {
    data: null,
    warnings,
    auth: authBlock(renewed, renewed.id, ttl, renewed.renewable, renewed.creation_num_uses)
  }
}

export function renewPaths (store: TokenStore): PathSpec[] {
  return [
    {
      pattern: 'renew-accessor',
      fields: { accessor: { type: 'string' }, ...INCREMENT },
      operations: {
        update: (req) => {
          const accessor = req.data.get<string>('accessor')
          if (accessor === '') throw VaultError.badRequestMulti('missing accessor')
          const entry = store.lookupByAccessor(accessor)
          if (entry === undefined) throw VaultError.badRequestMulti('invalid accessor')
          const resp = renew(store, req, entry.id, req.data.get<number>('increment'))
          if (resp.auth !== undefined && resp.auth !== null) resp.auth.client_token = ''
          return resp
        }
      }
    },
    {
      pattern: 'renew-self',
      fields: { token: { type: 'string' }, ...INCREMENT },
      operations: {
        update: (req) => renew(store, req, req.token?.id ?? '', req.data.get<number>('increment'))
      }
    },
    {
      pattern: 'renew',
      fields: { token: { type: 'string' }, ...INCREMENT },
      operations: {
        update: (req) => renew(store, req, req.data.get<string>('token'), req.data.get<number>('increment'))
      }
    }
  ]
}
