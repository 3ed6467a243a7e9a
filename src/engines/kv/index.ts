// The KV secrets engine: version 1 or 2 depending on the mount's `version` option.
import { VaultError } from '../../errors/index.js'
import type { EngineFactory } from '../engine.js'
import { createKvV1 } from './v1.js'
import { createKvV2 } from './versioned.js'

export const kvFactory: EngineFactory = (ctx) => {
  const version = ctx.mount.options?.version ?? ''
  if (version === '2') return createKvV2(ctx)
  if (version === '1' || version === '') return createKvV1()
  // Vault's kv factory returns no backend for any other version.
  throw VaultError.invalidRequest('nil backend of type "kv" returned from factory')
}

export { createKvV1 } from './v1.js'
export { createKvV2 } from './versioned.js'
