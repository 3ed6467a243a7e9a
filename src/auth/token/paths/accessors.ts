/**
 * LIST auth/token/accessors (token_store.go tokenStoreAccessorList):
 * root-protected, so the core demands `sudo` on it.
 */
import type { PathSpec } from '../../../engines/engine.js'
import type { TokenStore } from '../token-store.js'

export function accessorPaths (store: TokenStore): PathSpec[] {
  return [
    {
      pattern: 'accessors/?',
      sudo: true,
      operations: { list: () => ({ data: { keys: store.accessors() } }) }
    }
  ]
}
