// keys/:name/rotate — new key version (path_rotate.go), and the rotation auto-rotate uses.
import { NAME_PATTERN, type EngineRequest, type EngineResponse, type PathSpec } from '../../engine.js'
import { formatKey } from '../format.js'
import { appendVersion, generateMaterial, newVersion } from '../keyring.js'
import { ERR_SOFT_DELETED } from '../messages.js'
import { TransitError, type Policy } from '../policy.js'
import { badRequest, internal, type TransitContext } from './common.js'

/**
 * keysutil Rotate: a new version with fresh material and HMAC key. Returns
 * undefined when the key vanished while RSA material was being generated.
 */
export async function rotateKey (ctx: TransitContext, name: string): Promise<Policy | undefined> {
  const before = ctx.keyring.get(name)
  if (before === undefined) return undefined
  if (before.data.softDeleted) throw internal(ERR_SOFT_DELETED)
  if (before.data.imported && !before.data.allowImportedKeyRotation) {
    throw internal(`imported key ${name} does not allow rotation within Vault`)
  }
  let material
  try {
    material = await generateMaterial(before.type, before.data.keySize, ctx.random)
  } catch (err) {
    if (err instanceof TransitError) throw internal(err.message)
    throw err
  }
  // Re-read: the key may have changed (or gone) while material was generated.
  const current = ctx.keyring.get(name)
  if (current === undefined) return undefined
  const data = current.copy()
  appendVersion(data, newVersion(data, material, ctx.clock, ctx.random))
  data.imported = false
  const saved = ctx.keyring.save(data)
  ctx.log.info({ key: name, version: data.latestVersion }, 'transit key rotated')
  return saved
}

async function rotate (ctx: TransitContext, req: EngineRequest): Promise<EngineResponse> {
  const p = await rotateKey(ctx, req.params.name)
  if (p === undefined) throw badRequest('key not found')
  return { data: formatKey(p, ctx.flavor) }
}

export function rotatePaths (ctx: TransitContext): PathSpec[] {
  return [{
    pattern: `keys/(?<name>${NAME_PATTERN})/rotate`,
    fields: { name: { type: 'string' } },
    operations: { update: async (req) => await rotate(ctx, req) }
  }]
}
