/**
 * Engine factories by mount type. `system` and `token` are added by the
 * core, which owns their dependencies.
 */
import type { EngineFactory } from '../engines/engine.js'
import { kvFactory } from '../engines/kv/index.js'
import { createCubbyhole } from '../engines/cubbyhole/index.js'
import { transitFactory } from '../engines/transit/index.js'

// LIMITATION: the identity store is mounted (as in dev mode) but serves no
// paths yet; every request under identity/ answers 404 unsupported path.
const identity: EngineFactory = () => ({ paths: [] })

// Placeholders until the KV and cubbyhole engines land: unsupported path.
const pending: EngineFactory = () => ({ paths: [] })

export const engineFactories: Readonly<Record<string, EngineFactory>> = {
  identity,
  kv: kvFactory,
  cubbyhole: createCubbyhole,
  transit: transitFactory
}
