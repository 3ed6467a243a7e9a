// keys/ and keys/:name — create, read, delete, list (path_keys.go), plus OpenBao's soft-delete.
import { NAME_PATTERN, type EngineRequest, type EngineResponse, type PathSpec } from '../../engine.js'
import { formatKey } from '../format.js'
import { isEcdsa, isKnownKeyType, isRsa, isSymmetric, HMAC_MAX_KEY_SIZE, HMAC_MIN_KEY_SIZE, type KeyType } from '../key-types.js'
import { appendVersion, emptyPolicy, generateMaterial, newVersion } from '../keyring.js'
import { AUTO_ROTATE_TOO_SHORT, unknownKeyType } from '../messages.js'
import { TransitError, type Policy } from '../policy.js'
import { badRequest, decodeContextField, internal, type TransitContext } from './common.js'

const HOUR = 3600

/** keysutil's per-type check of derivation and convergence on a new key (bare errors, 500). */
export function checkDerivation (type: KeyType, derived: boolean, convergent: boolean): void {
  if (isSymmetric(type)) {
    if (convergent && !derived) throw internal('convergent encryption requires derivation to be enabled')
  } else if (isEcdsa(type) || isRsa(type) || type === 'hmac') {
    if (derived || convergent) {
      throw internal(`key derivation and convergent encryption not supported for keys of type ${type}`)
    }
  } else if (type === 'ed25519' && convergent) {
    throw internal(`convergent encryption not supported for keys of type ${type}`)
  }
}

export interface CreateOptions {
  name: string
  type: KeyType
  derived: boolean
  convergent: boolean
  exportable?: boolean
  allowPlaintextBackup?: boolean
  autoRotatePeriod?: number
  keySize?: number
}

/**
 * lock_manager GetPolicy with Upsert: the existing key, or a new one with
 * its first version. Returns the policy and whether it was created here.
 */
export async function upsertKey (ctx: TransitContext, o: CreateOptions): Promise<{ policy: Policy, created: boolean }> {
  const existing = ctx.keyring.get(o.name)
  if (existing !== undefined) return { policy: existing, created: false }
  checkDerivation(o.type, o.derived, o.convergent)
  const data = emptyPolicy({ ...o, convergent: o.convergent })
  let material
  try {
    material = await generateMaterial(o.type, o.keySize ?? 0, ctx.random)
  } catch (err) {
    if (err instanceof TransitError) throw internal(err.message)
    throw err
  }
  // Generation may have awaited: another request may have created the key meanwhile.
  const raced = ctx.keyring.get(o.name)
  if (raced !== undefined) return { policy: raced, created: false }
  appendVersion(data, newVersion(data, material, ctx.clock, ctx.random))
  const policy = ctx.keyring.save(data)
  ctx.log.info({ key: o.name, type: o.type }, 'transit key created')
  return { policy, created: true }
}

async function createKey (ctx: TransitContext, req: EngineRequest): Promise<EngineResponse> {
  const name = req.params.name
  const d = req.data
  const derived = d.get<boolean>('derived')
  const convergent = d.get<boolean>('convergent_encryption')
  const type = d.get<string>('type')
  const keySize = d.get<number>('key_size')
  const autoRotatePeriod = d.get<number>('auto_rotate_period')

  if (autoRotatePeriod !== 0 && autoRotatePeriod < HOUR) throw badRequest(AUTO_ROTATE_TOO_SHORT)
  if (!derived && convergent) throw badRequest('convergent encryption requires derivation to be enabled')
  if (!isKnownKeyType(type, ctx.flavor)) throw badRequest(unknownKeyType(type))
  if (keySize !== 0) {
    if (type !== 'hmac') throw badRequest(`key_size is not valid for algorithm ${type}`)
    if (keySize < HMAC_MIN_KEY_SIZE || keySize > HMAC_MAX_KEY_SIZE) throw badRequest(`invalid key_size ${keySize}`)
  }

  // Quirk: the backend's GetPolicy always reports "upserted", so Vault
  // never sends its "key <name> already existed" warning; an existing key
  // is returned unchanged.
  const { policy } = await upsertKey(ctx, {
    name,
    type,
    derived,
    convergent,
    exportable: d.get<boolean>('exportable'),
    allowPlaintextBackup: d.get<boolean>('allow_plaintext_backup'),
    autoRotatePeriod,
    keySize
  })
  return { data: formatKey(policy, ctx.flavor) }
}

function readKey (ctx: TransitContext, req: EngineRequest): EngineResponse | null {
  const p = ctx.keyring.get(req.params.name)
  if (p === undefined) return null
  const context = decodeContextField(req.data.get<string>('context'))
  return { data: formatKey(p, ctx.flavor, context) }
}

function deleteKey (ctx: TransitContext, req: EngineRequest): null {
  const name = req.params.name
  const p = ctx.keyring.get(name)
  if (p === undefined) throw badRequest(`error deleting policy ${name}: could not delete key; not found`)
  if (!p.data.deletionAllowed) throw badRequest(`error deleting policy ${name}: deletion is not allowed for this key`)
  ctx.keyring.delete(name)
  ctx.log.info({ key: name }, 'transit key deleted')
  return null
}

function listKeys (ctx: TransitContext, req: EngineRequest): EngineResponse {
  const after = req.data.get<string>('after')
  const limit = req.data.get<number>('limit')
  let keys = ctx.keyring.list()
  if (after !== '') keys = keys.filter((k) => k > after)
  if (limit > 0) keys = keys.slice(0, limit)
  return { data: { keys } }
}

function softDelete (ctx: TransitContext, req: EngineRequest, deleted: boolean): EngineResponse | null {
  const p = ctx.keyring.get(req.params.name)
  if (p === undefined) return null
  const changed = p.data.softDeleted !== deleted
  const data = p.copy()
  data.softDeleted = deleted
  const saved = ctx.keyring.save(data)
  const warnings: string[] = []
  if (!changed) warnings.push(deleted ? 'key was already marked as soft deleted' : 'key was already restored')
  return { data: formatKey(saved, ctx.flavor), warnings }
}

export function keysPaths (ctx: TransitContext): PathSpec[] {
  const paths: PathSpec[] = [
    {
      pattern: 'keys/?',
      fields: { after: { type: 'string' }, limit: { type: 'int' } },
      operations: { list: (req) => listKeys(ctx, req) }
    },
    {
      pattern: `keys/(?<name>${NAME_PATTERN})`,
      fields: {
        name: { type: 'string' },
        type: { type: 'string', default: 'aes256-gcm96' },
        derived: { type: 'bool' },
        convergent_encryption: { type: 'bool' },
        exportable: { type: 'bool' },
        allow_plaintext_backup: { type: 'bool' },
        context: { type: 'string' },
        auto_rotate_period: { type: 'duration', default: 0 },
        key_size: { type: 'int', default: 0 }
      },
      operations: {
        update: async (req) => await createKey(ctx, req),
        read: (req) => readKey(ctx, req),
        delete: (req) => deleteKey(ctx, req)
      }
    }
  ]
  if (ctx.flavor === 'openbao') {
    paths.push({
      pattern: `keys/(?<name>${NAME_PATTERN})/soft-delete`,
      fields: { name: { type: 'string' } },
      operations: { delete: (req) => softDelete(ctx, req, true) }
    }, {
      pattern: `keys/(?<name>${NAME_PATTERN})/soft-delete-restore`,
      fields: { name: { type: 'string' } },
      operations: { update: (req) => softDelete(ctx, req, false) }
    })
  }
  return paths
}
