/**
 * auth/token/revoke, revoke-self, revoke-accessor and revoke-orphan
 * (token_store.go handleRevokeTree, revokeCommon, handleRevokeOrphan,
 * handleUpdateRevokeAccessor). Revoking a token revokes its subtree.
 */
import type { EngineRequest, EngineResponse, PathSpec } from '../../../engines/engine.js'
import { VaultError } from '../../../errors/index.js'
import type { TokenStore } from '../token-store.js'

function revokeCommon (store: TokenStore, id: string): null {
  const entry = store.lookup(id)
  if (entry === undefined) return null
  if (entry.type === 'batch') throw VaultError.invalidRequest('batch tokens cannot be revoked')
  store.revokeTree(entry)
  return null
}

function revokeAccessor (store: TokenStore, req: EngineRequest): EngineResponse | null {
  const accessor = req.data.get<string>('accessor')
  if (accessor === '') throw VaultError.badRequestMulti('missing accessor')
  const tainted = store.lookupByAccessor(accessor, true)
  if (tainted === undefined) return { warnings: ['No token found with this accessor'] }
  const entry = store.lookup(tainted.id)
  if (entry === undefined) throw VaultError.invalidRequest('token not found')
  store.revokeTree(entry)
  return null
}

function revokeOrphan (store: TokenStore, req: EngineRequest): null {
  const id = req.data.get<string>('token')
  if (id === '') throw VaultError.invalidRequest('missing token ID')
  if (!req.hasSudo) throw VaultError.invalidRequest('root or sudo privileges required to revoke and orphan')
  const entry = store.lookup(id)
  if (entry === undefined) throw VaultError.invalidRequest('token to revoke not found')
  if (entry.type === 'batch') throw VaultError.invalidRequest('batch tokens cannot be revoked')
  store.revokeOrphan(entry)
  return null
}

export function revokePaths (store: TokenStore): PathSpec[] {
  return [
    {
      pattern: 'revoke-accessor',
      fields: { accessor: { type: 'string' } },
      operations: { update: (req) => revokeAccessor(store, req) }
    },
    {
      pattern: 'revoke-self',
      operations: { update: (req) => revokeCommon(store, req.token?.id ?? '') }
    },
    {
      pattern: 'revoke',
      fields: { token: { type: 'string' } },
      operations: {
        update: (req) => {
          const id = req.data.get<string>('token')
          if (id === '') throw VaultError.invalidRequest('missing token ID')
          return revokeCommon(store, id)
        }
      }
    },
    {
      pattern: 'revoke-orphan',
      fields: { token: { type: 'string' } },
      operations: { update: (req) => revokeOrphan(store, req) }
    }
  ]
}
