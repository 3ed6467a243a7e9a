// keys/:name/trim — discard old key versions for good (path_trim.go).
import { NAME_PATTERN, type EngineRequest, type EngineResponse, type PathSpec } from '../../engine.js'
import { formatKey } from '../format.js'
import { badRequest, type TransitContext } from './common.js'

function trim (ctx: TransitContext, req: EngineRequest): EngineResponse {
  const name = req.params.name
  const p = ctx.keyring.get(name)
  if (p === undefined) throw badRequest('invalid key name')
  const min = req.data.getOk<number>('min_available_version')
  if (min === undefined) throw badRequest('missing min_available_version')
  const d = p.data
  if (min < d.minAvailableVersion) throw badRequest('minimum available version cannot be decremented')
  if (d.minEncryptionVersion === 0) throw badRequest('minimum available version cannot be set when minimum encryption version is not set')
  if (d.minDecryptionVersion === 0) throw badRequest('minimum available version cannot be set when minimum decryption version is not set')
  // sic: "minmum" is Vault's text.
  if (min > d.minEncryptionVersion) throw badRequest('minimum available version cannot be greater than minmum encryption version')
  if (min > d.minDecryptionVersion) throw badRequest('minimum available version cannot be greater than minimum decryption version')
  if (min < 0) throw badRequest('minimum available version cannot be negative')
  if (min === 0) throw badRequest('minimum available version should be positive')

  const data = p.copy()
  data.minAvailableVersion = min
  for (const v of Object.keys(data.keys)) {
    if (Number(v) < min) delete data.keys[v]
  }
  const saved = ctx.keyring.save(data)
  ctx.log.info({ key: name, version: min }, 'transit key trimmed')
  return { data: formatKey(saved, ctx.flavor) }
}

export function trimPaths (ctx: TransitContext): PathSpec[] {
  return [{
    pattern: `keys/(?<name>${NAME_PATTERN})/trim`,
    fields: { name: { type: 'string' }, min_available_version: { type: 'int' } },
    operations: { update: (req) => trim(ctx, req) }
  }]
}
