// datakey/:type/:name — a fresh data key, encrypted (and optionally in plaintext) (path_datakey.go).
import { NAME_PATTERN, type EngineRequest, type EngineResponse, type PathSpec } from '../../engine.js'
import { isSymmetric } from '../key-types.js'
import { ENCRYPTION_KEY_NOT_FOUND, nonAeadAssociatedData } from '../messages.js'
import { badRequest, decodeContextField, singleError, type TransitContext } from './common.js'

function datakey (ctx: TransitContext, req: EngineRequest): EngineResponse {
  const d = req.data
  const kind = req.params.plaintext
  if (kind !== 'plaintext' && kind !== 'wrapped') throw badRequest("Invalid path, must be 'plaintext' or 'wrapped'")
  const ver = d.get<number>('key_version')
  const context = decodeContextField(d.get<string>('context'))

  const p = ctx.keyring.get(req.params.name)
  if (p === undefined) throw badRequest(ENCRYPTION_KEY_NOT_FOUND)

  const bits = d.get<number>('bits')
  if (bits !== 128 && bits !== 256 && bits !== 512) throw badRequest('invalid bit length')
  const newKey = ctx.random.bytes(bits / 8)
  const aadText = d.get<string>('associated_data')
  if (aadText !== '' && !isSymmetric(p.type)) throw badRequest(nonAeadAssociatedData(undefined, p.type))

  let ciphertext: string
  try {
    ciphertext = p.encrypt(ver, context, newKey, aadText === '' ? undefined : aadText, ctx.random)
  } catch (err) {
    throw singleError(err)
  }
  const data: Record<string, unknown> = { ciphertext, key_version: ver === 0 ? p.latestVersion : ver }
  if (kind === 'plaintext') data.plaintext = newKey.toString('base64')
  return { data }
}

export function datakeyPaths (ctx: TransitContext): PathSpec[] {
  return [{
    pattern: `datakey/(?<plaintext>${NAME_PATTERN})/(?<name>${NAME_PATTERN})`,
    fields: {
      name: { type: 'string' },
      plaintext: { type: 'string' },
      context: { type: 'string' },
      bits: { type: 'int', default: 256 },
      key_version: { type: 'int' },
      associated_data: { type: 'string' }
    },
    operations: { update: (req) => datakey(ctx, req) }
  }]
}
