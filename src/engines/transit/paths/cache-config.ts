// cache-config — size of the mount's key cache (path_cache_config.go).
import type { EngineRequest, EngineResponse, PathSpec } from '../../engine.js'
import { badRequest, type TransitContext } from './common.js'

const CACHE_KEY = 'config/cache'
const MIN_CACHE_SIZE = 10

// The size is stored and echoed as Vault does; localvault's cache holds
// every parsed key regardless (keys are small and local).
function write (ctx: TransitContext, req: EngineRequest): EngineResponse {
  const size = req.data.get<number>('size')
  if (size !== 0 && size < MIN_CACHE_SIZE) throw badRequest(`size must be 0 or a value greater or equal to ${MIN_CACHE_SIZE}`)
  ctx.storage.put(CACHE_KEY, { size })
  return { data: { size } }
}

function read (ctx: TransitContext): EngineResponse {
  return { data: { size: ctx.storage.get<{ size: number }>(CACHE_KEY)?.size ?? 0 } }
}

export function cacheConfigPaths (ctx: TransitContext): PathSpec[] {
  return [{
    pattern: 'cache-config',
    fields: { size: { type: 'int', default: 0 } },
    operations: { read: () => read(ctx), update: (req) => write(ctx, req) }
  }]
}
