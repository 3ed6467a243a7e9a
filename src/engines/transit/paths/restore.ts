// restore(/:name) — restore a key from a backup (path_restore.go, lock_manager RestorePolicy).
import { formatRfc3339Nano } from '../../../clock/index.js'
import type { EngineRequest, PathSpec } from '../../engine.js'
import { BackupError, decodeBackup } from '../backup-format.js'
import { badRequest, internal, type TransitContext } from './common.js'

function restore (ctx: TransitContext, req: EngineRequest): null {
  const d = req.data
  const backup = d.get<string>('backup')
  const force = d.get<boolean>('force')
  if (backup === '') throw badRequest("'backup' must be supplied")
  const name = req.params.name ?? ''
  if (name.includes('/')) throw internal('key names cannot be paths')
  let data
  try {
    data = decodeBackup(backup, name, ctx.flavor)
  } catch (err) {
    if (err instanceof BackupError) throw internal(err.message)
    throw err
  }
  if (data.name === '' || !/^\w(?:[\w\-.]*\w)?$/.test(data.name)) throw internal('key names cannot be paths')
  if (ctx.keyring.has(data.name) && !force) throw internal(`key ${JSON.stringify(data.name)} already exists`)
  data.restoreInfo = { time: formatRfc3339Nano(ctx.clock.now()), version: data.latestVersion }
  ctx.keyring.save(data)
  ctx.log.info({ key: data.name }, 'transit key restored')
  return null
}

export function restorePaths (ctx: TransitContext): PathSpec[] {
  return [{
    pattern: 'restore(?:/(?<name>.+))?',
    fields: { backup: { type: 'string' }, name: { type: 'string' }, force: { type: 'bool', default: false } },
    operations: { update: (req) => restore(ctx, req) }
  }]
}
