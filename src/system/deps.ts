import type { Clock } from '../clock/index.js'
import type { Flavor } from '../engines/engine.js'
import type { MountTable } from '../mounts/index.js'
import type { TokenStore } from '../auth/token/index.js'
import type { PolicyStore } from '../policy/index.js'

/** What the system backend needs from the core (the core satisfies it). */
export interface SystemDeps {
  readonly mounts: MountTable
  readonly tokens: TokenStore
  readonly policies: PolicyStore
  readonly isSealed: boolean
  readonly options: { readonly clock: Clock, readonly flavor: Flavor }
  readonly cluster: { name: string, id: string }
}
