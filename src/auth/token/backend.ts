/**
 * The token auth method mounted at auth/token/: its path table.
 */
import type { Engine, EngineFactory } from '../../engines/engine.js'
import type { TokenStore } from './token-store.js'
import { lookupPaths } from './paths/lookup.js'

export function tokenBackendFactory (store: TokenStore): EngineFactory {
  return (): Engine => ({
    paths: [...lookupPaths(store)]
  })
}
