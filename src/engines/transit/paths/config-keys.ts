// config/keys — mount-wide key settings: disable_upsert (path_config_keys.go).
import type { EngineRequest, EngineResponse, PathSpec } from '../../engine.js'
import type { TransitContext } from './common.js'

const CONFIG_KEYS = 'config/keys'

export interface KeysConfig {
  disable_upsert: boolean
}

export function readConfigKeys (ctx: TransitContext): KeysConfig {
  return ctx.storage.get<KeysConfig>(CONFIG_KEYS) ?? { disable_upsert: false }
}

function write (ctx: TransitContext, req: EngineRequest): EngineResponse {
  const cfg = readConfigKeys(ctx)
  const upsert = req.data.get<boolean>('disable_upsert')
  if (cfg.disable_upsert !== upsert) ctx.storage.put(CONFIG_KEYS, { disable_upsert: upsert })
  return { data: { disable_upsert: upsert } }
}

export function configKeysPaths (ctx: TransitContext): PathSpec[] {
  return [{
    pattern: 'config/keys',
    fields: { disable_upsert: { type: 'bool' } },
    operations: {
      update: (req) => write(ctx, req),
      read: () => ({ data: { disable_upsert: readConfigKeys(ctx).disable_upsert } })
    }
  }]
}
