// backup/:name — plaintext backup of a key in Vault's format (path_backup.go).
import { formatRfc3339Nano } from '../../../clock/index.js'
import { NAME_PATTERN, type EngineRequest, type EngineResponse, type PathSpec } from '../../engine.js'
import { encodeBackup } from '../backup-format.js'
import { ERR_SOFT_DELETED } from '../messages.js'
import { internal, type TransitContext } from './common.js'

function backup (ctx: TransitContext, req: EngineRequest): EngineResponse {
  const name = req.params.name
  const p = ctx.keyring.get(name)
  if (p === undefined) throw internal(`key ${JSON.stringify(name)} not found`)
  if (p.data.softDeleted) throw internal(ERR_SOFT_DELETED)
  if (!p.data.exportable) throw internal('exporting is disallowed on the policy')
  if (!p.data.allowPlaintextBackup) throw internal('plaintext backup is disallowed on the policy')
  // The backup records itself on the key before the key is serialised.
  const data = p.copy()
  data.backupInfo = { time: formatRfc3339Nano(ctx.clock.now()), version: data.latestVersion }
  ctx.keyring.save(data)
  ctx.log.info({ key: name }, 'transit key backed up')
  return { data: { backup: encodeBackup(data, ctx.flavor) } }
}

export function backupPaths (ctx: TransitContext): PathSpec[] {
  return [{
    pattern: `backup/(?<name>${NAME_PATTERN})`,
    fields: { name: { type: 'string' } },
    operations: { read: (req) => backup(ctx, req) }
  }]
}
