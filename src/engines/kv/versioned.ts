/** The KV v2 engine: its path table, the invalid-path fallback and the v1 upgrade at build time. */
import type { Engine, EngineContext } from '../engine.js'
import { configPaths } from './paths/config.js'
import { dataPaths } from './paths/data.js'
import { deletePaths } from './paths/delete.js'
import { destroyPaths } from './paths/destroy.js'
import { invalidPath } from './paths/invalid.js'
import { metadataPaths } from './paths/metadata.js'
import { subkeysPaths } from './paths/subkeys.js'
import { undeletePaths } from './paths/undelete.js'
import { upgradeToV2 } from './upgrade.js'

export function createKvV2 (ctx: EngineContext): Engine {
  const moved = upgradeToV2(ctx.storage, ctx.clock)
  if (moved > 0) ctx.log.info({ mount: ctx.mount.path, keys: moved }, 'kv mount upgraded to version 2')
  return {
    paths: [
      ...configPaths(ctx.flavor),
      ...dataPaths(ctx.flavor),
      ...metadataPaths(ctx.flavor),
      ...destroyPaths,
      ...subkeysPaths,
      ...deletePaths,
      ...undeletePaths
    ],
    fallback: invalidPath
  }
}
