/**
 * sys/capabilities, sys/capabilities-self and sys/capabilities-accessor
 * (vault/logical_system.go handleCapabilities*, vault/capabilities.go):
 * what the evaluator decides for a token on each path.
 */
import { VaultError } from '../../errors/index.js'
import type { EngineRequest, EngineResponse, PathSpec } from '../../engines/engine.js'
import type { FieldSpecs } from '../../engines/fields.js'
import type { SystemDeps } from '../deps.js'

const PATH_FIELDS = {
  path: { type: 'commaStringSlice' },
  paths: { type: 'commaStringSlice' }
} as const

function capabilitiesFor (deps: SystemDeps, tokenId: string, req: EngineRequest): EngineResponse {
  let paths = req.data.get<string[]>('paths')
  if (paths.length === 0) paths = req.data.get<string[]>('path')
  if (paths.length === 0) throw VaultError.invalidRequest('paths must be supplied')

  // Core.Capabilities looks the token up like any request would: a token
  // on its last use is already gone for it, even on -self.
  const entry = deps.tokens.lookup(tokenId)
  if (entry === undefined) throw VaultError.badRequestMulti('invalid token')
  const data: Record<string, unknown> = {}
  for (const path of paths) {
    if (path === '') throw VaultError.badRequestMulti('missing path')
    data[path] = entry.policies.length === 0
      ? ['deny']
      : deps.policies.acl(entry.policies).capabilities(path)
  }
  // Kept for old clients: with one path its list is also under "capabilities".
  if (paths.length === 1) data.capabilities = data[paths[0]]
  return { data }
}

export function capabilitiesPaths (deps: SystemDeps): PathSpec[] {
  return [
    {
      pattern: 'capabilities-accessor',
      fields: { accessor: { type: 'string' }, ...PATH_FIELDS } satisfies FieldSpecs,
      operations: {
        update: (req) => {
          const accessor = req.data.get<string>('accessor')
          if (accessor === '') throw VaultError.badRequestMulti('missing accessor')
          const entry = deps.tokens.lookupByAccessor(accessor)
          if (entry === undefined) throw VaultError.badRequestMulti('invalid accessor')
          return capabilitiesFor(deps, entry.id, req)
        }
      }
    },
    {
      pattern: 'capabilities',
      fields: { token: { type: 'string' }, ...PATH_FIELDS } satisfies FieldSpecs,
      operations: {
        update: (req) => {
          const token = req.data.get<string>('token')
          if (token === '') throw VaultError.internal('no token found')
          return capabilitiesFor(deps, token, req)
        }
      }
    },
    {
      pattern: 'capabilities-self',
      fields: { token: { type: 'string' }, ...PATH_FIELDS } satisfies FieldSpecs,
      operations: {
        update: (req) => {
          if (req.token === undefined) throw VaultError.internal('no token found')
          return capabilitiesFor(deps, req.token.id, req)
        }
      }
    }
  ]
}
