/**
 * sys/internal/ui/mounts: the KV version probe the CLI and Go helpers use
 * (vault/logical_system.go pathInternalUIMountRead / MountsRead).
 */
import { VaultError } from '../../errors/index.js'
import type { EngineRequest, EngineResponse, PathSpec } from '../../engines/engine.js'
import { normalizeMountPath } from '../../mounts/index.js'
import type { SystemDeps } from '../deps.js'
import { mountEntryWire } from './mounts.js'
import type { Acl } from '../../policy/index.js'

function aclOf (deps: SystemDeps, req: EngineRequest): Acl | undefined {
  if (req.token === undefined) return undefined
  return deps.policies.acl(req.token.policies)
}

function mountRead (deps: SystemDeps, req: EngineRequest): EngineResponse {
  const raw = req.params.path
  if (raw === '') throw VaultError.invalidRequest('path not set')
  const path = normalizeMountPath(raw)
  if (req.token === undefined) throw VaultError.permissionDenied()
  const denied = VaultError.withStatus(403, [
    `preflight capability check returned 403, please ensure client's policies grant access to path "${path}"`
  ])
  const mount = deps.mounts.match(path)
  if (mount === undefined) throw denied
  const acl = aclOf(deps, req)
  if (acl === undefined || !acl.hasAccessUnder(mount.prefix)) throw denied
  const { config, ...rest } = mountEntryWire(mount.entry)
  return { data: { ...rest, config, path: mount.entry.path } }
}

function mountsRead (deps: SystemDeps, req: EngineRequest): EngineResponse {
  const acl = aclOf(deps, req)
  const secret: Record<string, unknown> = {}
  const auth: Record<string, unknown> = {}
  for (const m of deps.mounts.all()) {
    const target = m.entry.table === 'auth' ? auth : secret
    if (acl !== undefined && acl.hasAccessUnder(m.prefix)) {
      target[m.entry.path] = mountEntryWire(m.entry)
    } else if (m.entry.config.listing_visibility === 'unauth') {
      target[m.entry.path] = {
        type: m.entry.type,
        description: m.entry.description,
        options: m.entry.options
      }
    }
  }
  return { data: { auth, secret } }
}

export function internalUiPaths (deps: SystemDeps): PathSpec[] {
  return [
    {
      pattern: 'internal/ui/mounts',
      unauthenticated: true,
      operations: { read: (req) => mountsRead(deps, req) }
    },
    {
      // A login path: the core passes its handler errors through unwrapped.
      pattern: 'internal/ui/mounts/',
      unauthenticated: true,
      operations: { read: () => { throw new VaultError('unsupportedPath', ['unsupported path']) } }
    },
    {
      pattern: 'internal/ui/mounts/(?<path>.+)',
      unauthenticated: true,
      operations: { read: (req) => mountRead(deps, req) }
    }
  ]
}
