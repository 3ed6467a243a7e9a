// The KV secrets engine: version 1 or 2 depending on the mount's `version` option.
import type { EngineFactory } from '../engine.js'
import { createKvV1 } from './v1.js'
import { createKvV2 } from './versioned.js'

export const kvFactory: EngineFactory = (ctx) => {
  const version = ctx.mount.options?.version ?? ''
  if (version === '2') return createKvV2(ctx)
  // LIMITATION: Vault fails to mount a kv version other than 1 or 2; here any
  // other value is served as version 1.
  return createKvV1()
}

export { createKvV1 } from './v1.js'
export { createKvV2 } from './versioned.js'
