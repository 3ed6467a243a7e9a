/**
 * The token auth method mounted at auth/token/: its path table, one file
 * per path family as in Vault's token_store.go.
 */
import type { Engine, EngineFactory } from '../../engines/engine.js'
import type { PolicyStore } from '../../policy/index.js'
import type { TokenStore } from './token-store.js'
import { accessorPaths } from './paths/accessors.js'
import { createPaths } from './paths/create.js'
import { lookupPaths } from './paths/lookup.js'
import { renewPaths } from './paths/renew.js'
import { revokePaths } from './paths/revoke.js'
import { rolePaths } from './paths/roles.js'
import { tidyPaths } from './paths/tidy.js'

export function tokenBackendFactory (store: TokenStore, policies: PolicyStore): EngineFactory {
  return (): Engine => ({
    paths: [
      ...rolePaths(store),
      ...accessorPaths(store),
      ...createPaths(store, policies),
      ...lookupPaths(store),
      ...revokePaths(store),
      ...renewPaths(store),
      ...tidyPaths(store)
    ],
    // The expiration manager's work: expired tokens go away with their subtrees.
    tick: () => store.revokeExpired()
  })
}
