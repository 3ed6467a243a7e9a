/**
 * The system backend mounted at sys/: mounts, auth methods, status
 * endpoints, policies and capabilities.
 */
import type { Engine, EngineFactory } from '../engines/engine.js'
import type { SystemDeps } from './deps.js'
import { healthPaths } from './paths/health.js'
import { internalUiPaths } from './paths/internal-ui.js'
import { mountPaths } from './paths/mounts.js'
import { policyPaths } from './paths/policies.js'
import { capabilitiesPaths } from './paths/capabilities.js'

export function systemBackendFactory (deps: SystemDeps): EngineFactory {
  return (): Engine => ({
    paths: [
      ...healthPaths(deps),
      ...mountPaths(deps),
      ...internalUiPaths(deps),
      ...policyPaths(deps),
      ...capabilitiesPaths(deps)
    ]
  })
}
