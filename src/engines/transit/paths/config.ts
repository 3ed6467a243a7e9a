// keys/:name/config — key configuration (path_keys_config.go).
import { NAME_PATTERN, type EngineRequest, type EngineResponse, type PathSpec } from '../../engine.js'
import { formatKey } from '../format.js'
import { AUTO_ROTATE_TOO_SHORT, minDecryptionForcedWarning } from '../messages.js'
import { badRequest, type TransitContext } from './common.js'

const HOUR = 3600

function configure (ctx: TransitContext, req: EngineRequest): EngineResponse {
  const name = req.params.name
  const p = ctx.keyring.get(name)
  if (p === undefined) throw badRequest(`no existing key named ${name} could be found`)
  const d = req.data
  const data = p.copy()
  const warnings: string[] = []
  let persist = false

  const minDec = d.getOk<number>('min_decryption_version')
  if (minDec !== undefined) {
    let v = minDec
    if (v < 0) throw badRequest('min decryption version cannot be negative')
    if (v === 0) {
      v = 1
      warnings.push(minDecryptionForcedWarning(ctx.flavor === 'openbao'))
    }
    if (v !== data.minDecryptionVersion) {
      if (v > data.latestVersion) {
        throw badRequest(`cannot set min decryption version of ${v}, latest key version is ${data.latestVersion}`)
      }
      data.minDecryptionVersion = v
      persist = true
    }
  }

  const minEnc = d.getOk<number>('min_encryption_version')
  if (minEnc !== undefined) {
    if (minEnc < 0) throw badRequest('min encryption version cannot be negative')
    if (minEnc !== data.minEncryptionVersion) {
      if (minEnc > data.latestVersion) {
        throw badRequest(`cannot set min encryption version of ${minEnc}, latest key version is ${data.latestVersion}`)
      }
      data.minEncryptionVersion = minEnc
      persist = true
    }
  }

  if (data.minEncryptionVersion > 0 && data.minEncryptionVersion < data.minDecryptionVersion) {
    throw badRequest('cannot set min encryption/decryption values; min encryption version of ' +
      `${data.minEncryptionVersion} must be greater than or equal to min decryption version of ${data.minDecryptionVersion}`)
  }

  const deletion = d.getOk<boolean>('deletion_allowed')
  if (deletion !== undefined && deletion !== data.deletionAllowed) {
    data.deletionAllowed = deletion
    persist = true
  }
  if (data.minDecryptionVersion === 0) {
    data.minDecryptionVersion = 1
    persist = true
  }
  // exportable and allow_plaintext_backup can only be switched on.
  if (d.getOk<boolean>('exportable') === true && !data.exportable) {
    data.exportable = true
    persist = true
  }
  if (d.getOk<boolean>('allow_plaintext_backup') === true && !data.allowPlaintextBackup) {
    data.allowPlaintextBackup = true
    persist = true
  }
  const period = d.getOk<number>('auto_rotate_period')
  if (period !== undefined) {
    if (period !== 0 && period < HOUR) throw badRequest(AUTO_ROTATE_TOO_SHORT)
    if (period !== data.autoRotatePeriod) {
      data.autoRotatePeriod = period
      persist = true
    }
  }

  if (!persist) return { data: formatKey(p, ctx.flavor), warnings }
  if (data.minAvailableVersion > data.minEncryptionVersion) {
    throw badRequest('min encryption version should not be less than min available version')
  }
  if (data.minAvailableVersion > data.minDecryptionVersion) {
    // sic: "less then" is Vault's text.
    throw badRequest('min decryption version should not be less then min available version')
  }
  const saved = ctx.keyring.save(data)
  ctx.log.info({ key: name }, 'transit key configured')
  return { data: formatKey(saved, ctx.flavor), warnings }
}

export function configPaths (ctx: TransitContext): PathSpec[] {
  return [{
    pattern: `keys/(?<name>${NAME_PATTERN})/config`,
    fields: {
      name: { type: 'string' },
      min_decryption_version: { type: 'int' },
      min_encryption_version: { type: 'int' },
      deletion_allowed: { type: 'bool' },
      exportable: { type: 'bool' },
      allow_plaintext_backup: { type: 'bool' },
      auto_rotate_period: { type: 'duration' }
    },
    operations: { update: (req) => configure(ctx, req) }
  }]
}
