/**
 * auth/token/tidy (token_store.go handleTidy): Vault starts a background
 * clean-up of dangling indexes and answers 202 at once; here the clean-up
 * is quick and synchronous, the answer the same.
 */
import type { PathSpec } from '../../../engines/engine.js'
import type { TokenStore } from '../token-store.js'

export function tidyPaths (store: TokenStore): PathSpec[] {
  return [
    {
      pattern: 'tidy',
      operations: {
        update: (req) => {
          const cleaned = store.tidy()
          req.log.info({ cleaned }, 'token tidy finished')
          const server = req.flavor === 'openbao' ? 'OpenBao' : 'Vault'
          return {
            status: 202,
            data: null,
            warnings: [`Tidy operation successfully started. Any information from the operation will be printed to ${server}'s server logs.`]
          }
        }
      }
    }
  ]
}
