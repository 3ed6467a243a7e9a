// wrapping_key, keys/:name/import, keys/:name/import_version — BYOK (path_wrapping_key.go, path_import.go).
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import { decodeStdBase64 } from '../../../crypto/base64.js'
import { bytesToBigInt } from '../../../crypto/ecdsa-digest.js'
import { KeyUnwrapError, unwrapImport, type OaepHash } from '../../../crypto/key-wrap.js'
import { NAME_PATTERN, type EngineRequest, type EngineResponse, type PathSpec } from '../../engine.js'
import { curveOf, isEcdsa, isKnownKeyType, isRsa, isSymmetric, rsaBits, supportsPublicImport, symmetricKeySize, type KeyType } from '../key-types.js'
import { appendVersion, ecPublicPem, emptyPolicy, newVersion, type KeyMaterial } from '../keyring.js'
import { ERR_SOFT_DELETED } from '../messages.js'
import { ed25519RawPublic, plainError, TransitError, type Policy, type StoredKeyVersion, type StoredPolicy } from '../policy.js'
import { badRequest, internal, type TransitContext } from './common.js'
import { upsertKey } from './keys.js'

const WRAPPING_KEY = 'import/wrapping-key'
const WRAPPED_EPHEMERAL_BYTES = 512

/** The mount's RSA-4096 wrapping key, created on first use. */
async function wrappingKey (ctx: TransitContext): Promise<Policy> {
  const { policy } = await upsertKey(ctx, { name: WRAPPING_KEY, type: 'rsa-4096', derived: false, convergent: false })
  return policy
}

async function readWrappingKey (ctx: TransitContext): Promise<EngineResponse> {
  const p = await wrappingKey(ctx)
  return { data: { public_key: p.rsaPublicPem(p.latestVersion) } }
}

function parseHash (name: string): OaepHash {
  switch (name.toUpperCase()) {
    case 'SHA1': return 'sha1'
    case 'SHA224': return 'sha224'
    case 'SHA256': return 'sha256'
    case 'SHA384': return 'sha384'
    case 'SHA512': return 'sha512'
  }
  throw badRequest(`unknown hash function: ${name}`)
}

/** extractKeyFromFields: the unwrapped key material, or the public key PEM bytes. */
async function extractKey (ctx: TransitContext, req: EngineRequest, type: KeyType, isPrivate: boolean): Promise<Buffer> {
  const d = req.data
  if (!isPrivate) {
    if (!supportsPublicImport(type)) throw internal('provided type does not support public_key import')
    return Buffer.from(d.get<string>('public_key'))
  }
  const hash = parseHash(d.get<string>('hash_function'))
  let blob: Buffer
  try {
    blob = decodeStdBase64(d.get<string>('ciphertext'))
  } catch (err) {
    throw internal((err as Error).message)
  }
  if (blob.length <= WRAPPED_EPHEMERAL_BYTES) throw internal('provided ciphertext is too short')
  const wk = await wrappingKey(ctx)
  const priv = wk.exportObjects(wk.latestVersion).rsaPrivate as KeyObject
  try {
    return unwrapImport(priv, WRAPPED_EPHEMERAL_BYTES, blob, hash)
  } catch (err) {
    if (err instanceof KeyUnwrapError) throw internal(err.message)
    throw err
  }
}

function pkcs8Error (): TransitError {
  return plainError('error parsing asymmetric key: x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)')
}

/** parseFromKey: the stored fields of an imported private (PKCS#8) or public (PEM) key. */
function parseAsymmetric (type: KeyType, key: Buffer, isPrivate: boolean): KeyMaterial {
  let obj: KeyObject
  try {
    obj = isPrivate
      ? createPrivateKey({ key, format: 'der', type: 'pkcs8' })
      : createPublicKey({ key: key.toString('utf8'), format: 'pem' })
  } catch {
    if (!isPrivate) {
      if (!key.toString('utf8').includes('-----BEGIN')) throw plainError('error parsing public key: not in PEM format')
      throw plainError('error parsing public key: x509: failed to parse public key')
    }
    throw pkcs8Error()
  }
  const kind = obj.asymmetricKeyType
  const goType = kind === 'rsa' ? (isPrivate ? '*rsa.PrivateKey' : '*rsa.PublicKey')
    : kind === 'ec' ? (isPrivate ? '*ecdsa.PrivateKey' : '*ecdsa.PublicKey')
      : kind === 'ed25519' ? (isPrivate ? 'ed25519.PrivateKey' : 'ed25519.PublicKey') : 'unknown'
  if (kind === 'ec') {
    if (!isEcdsa(type)) throw plainError(`invalid key type: expected ${type}, got ${goType}`)
    const jwk = obj.export({ format: 'jwk' })
    if (jwk.crv !== curveOf(type)) throw plainError(`invalid curve: expected ${curveOf(type)}, got ${jwk.crv ?? ''}`)
    const x = bytesToBigInt(Buffer.from(jwk.x ?? '', 'base64url'))
    const y = bytesToBigInt(Buffer.from(jwk.y ?? '', 'base64url'))
    const out: KeyMaterial = { ecX: x.toString(16), ecY: y.toString(16), publicKey: ecPublicPem(type, x, y) }
    if (isPrivate) out.ecD = bytesToBigInt(Buffer.from(jwk.d ?? '', 'base64url')).toString(16)
    return out
  }
  if (kind === 'ed25519') {
    if (type !== 'ed25519') throw plainError(`invalid key type: expected ${type}, got ${goType}`)
    const pub = ed25519RawPublic(obj)
    if (!isPrivate) return { publicKey: pub.toString('base64') }
    const seed = Buffer.from(obj.export({ format: 'jwk' }).d ?? '', 'base64url')
    return { key: Buffer.concat([seed, pub]).toString('base64'), publicKey: pub.toString('base64') }
  }
  if (kind === 'rsa') {
    if (!isRsa(type)) throw plainError(`invalid key type: expected ${type}, got ${goType}`)
    const bytes = rsaBits(type) / 8
    const size = Math.ceil((obj.asymmetricKeyDetails?.modulusLength ?? 0) / 8)
    if (size !== bytes) throw plainError(`invalid key size: expected ${bytes} bytes, got ${size} bytes`)
    const pub = isPrivate ? createPublicKey(obj) : obj
    const out: KeyMaterial = { rsaPublic: pub.export({ type: 'spki', format: 'der' }).toString('base64'), publicKey: '' }
    if (isPrivate) out.rsaPrivate = obj.export({ type: 'pkcs8', format: 'der' }).toString('base64')
    return out
  }
  // LIMITATION: RSA-PSS-only PKCS#8 keys and NSS-style ed25519 encodings,
  // which Vault also parses, are refused here.
  if (isPrivate) throw pkcs8Error()
  throw plainError('error parsing public key: x509: unknown public key algorithm')
}

function isPrivateMissing (e: StoredKeyVersion): boolean {
  return e.rsaPrivate === undefined && e.ecD === undefined && (e.key === undefined || e.key === '')
}

/** ImportPrivateKeyForVersion: add the private half to a public-only version. */
function importPrivateForVersion (data: StoredPolicy, ver: number, key: Buffer): void {
  const entry = data.keys[String(ver)]
  if (entry === undefined) throw plainError('no such key version')
  const material = parseAsymmetric(data.type, key, true)
  const samePublic = isRsa(data.type)
    ? material.rsaPublic === entry.rsaPublic
    : isEcdsa(data.type) ? material.ecX === entry.ecX && material.ecY === entry.ecY : material.publicKey === entry.publicKey
  if (!samePublic) throw plainError('cannot import key, key pair does not match')
  data.keys[String(ver)] = { ...entry, ...material }
}

/** ImportPublicOrPrivate: add the key as a new version (or complete the latest public-only one). */
function importInto (ctx: TransitContext, data: StoredPolicy, key: Buffer, isPrivate: boolean): void {
  if (data.softDeleted) throw plainError(ERR_SOFT_DELETED)
  if (data.latestVersion > 0 && isPrivate) {
    const latest = data.keys[String(data.latestVersion)]
    if (latest !== undefined && isPrivateMissing(latest)) {
      try {
        importPrivateForVersion(data, data.latestVersion, key)
        return
      } catch {
        // Not the private half of the latest version: import as a new version.
      }
    }
  }
  if (data.type === 'ed25519' && data.derived && !isPrivate) {
    throw plainError('unable to import only public key for derived Ed25519 key: imported key should not be an Ed25519 key pair but is instead an HKDF key')
  }
  const t = data.type
  if ((isSymmetric(t) && key.length !== symmetricKeySize(t)) || (t === 'hmac' && (key.length < 32 || key.length > 512))) {
    throw plainError(`invalid key size ${key.length} bytes for key type ${t}`)
  }
  let material: KeyMaterial
  if (isSymmetric(t) || t === 'hmac') {
    material = { key: key.toString('base64'), publicKey: '' }
    if (t === 'hmac') data.keySize = key.length
  } else {
    material = parseAsymmetric(t, key, isPrivate)
  }
  appendVersion(data, newVersion(data, material, ctx.clock, ctx.random))
}

async function importKey (ctx: TransitContext, req: EngineRequest): Promise<null> {
  const d = req.data
  const name = req.params.name
  const autoRotatePeriod = d.get<number>('auto_rotate_period')
  const allowRotation = d.get<boolean>('allow_rotation')
  if (Object.hasOwn(d.raw, 'convergent_encryption')) throw internal('import cannot be used on keys with convergent encryption enabled')
  if (autoRotatePeriod > 0 && !allowRotation) throw internal('allow_rotation must be set to true if auto-rotation is enabled')
  const isPrivate = Object.hasOwn(d.raw, 'ciphertext')
  const typeName = d.get<string>('type').toLowerCase()
  if (!isKnownKeyType(typeName, ctx.flavor)) throw badRequest(`unknown key type: ${d.get<string>('type')}`)
  if (ctx.keyring.has(name)) {
    throw internal('the import path cannot be used with an existing key; use import-version to rotate an existing imported key')
  }
  const key = await extractKey(ctx, req, typeName, isPrivate)

  // Quirk: imported keys never get kdf=hkdf (Vault leaves the field at its
  // zero value), so a derived imported key uses the legacy counter-mode KDF.
  const data = emptyPolicy({
    name,
    type: typeName,
    derived: d.get<boolean>('derived'),
    exportable: d.get<boolean>('exportable'),
    allowPlaintextBackup: d.get<boolean>('allow_plaintext_backup'),
    autoRotatePeriod,
    imported: true,
    allowImportedKeyRotation: allowRotation
  })
  data.kdf = 0
  try {
    importInto(ctx, data, key, isPrivate)
  } catch (err) {
    if (err instanceof TransitError) throw internal(`error importing key: ${err.message}`)
    throw err
  }
  if (ctx.keyring.has(name)) {
    throw internal('the import path cannot be used with an existing key; use import-version to rotate an existing imported key')
  }
  ctx.keyring.save(data)
  ctx.log.info({ key: name, type: typeName }, 'transit key imported')
  return null
}

async function importVersion (ctx: TransitContext, req: EngineRequest): Promise<null> {
  const d = req.data
  const name = req.params.name
  const isPrivate = Object.hasOwn(d.raw, 'ciphertext')
  const before = ctx.keyring.get(name)
  if (before === undefined) throw internal(`no key found with name ${name}; to import a new key, use the import/ endpoint`)
  if (!before.data.imported) throw internal('the import_version endpoint can only be used with an imported key')
  if (before.data.convergentEncryption) throw internal('import_version cannot be used on keys with convergent encryption enabled')
  const key = await extractKey(ctx, req, before.type, isPrivate)

  // Re-read after the awaits above.
  const current = ctx.keyring.get(name)
  if (current === undefined) throw internal(`no key found with name ${name}; to import a new key, use the import/ endpoint`)
  const data = current.copy()
  try {
    const version = d.getOk<number>('version')
    if (version !== undefined) {
      const entry = data.keys[String(version)]
      if (entry === undefined) throw plainError('no such key version')
      if (!supportsPublicImport(data.type)) throw plainError('provided type does not support importing key versions')
      if (isPrivateMissing(entry) && !isPrivate) throw plainError('cannot add a public key to a key version that already has a public key set')
      if (!isPrivateMissing(entry)) throw plainError('private key imported, key version cannot be updated')
      importPrivateForVersion(data, version, key)
    } else {
      importInto(ctx, data, key, isPrivate)
    }
  } catch (err) {
    if (err instanceof TransitError) throw internal(err.message)
    throw err
  }
  ctx.keyring.save(data)
  ctx.log.info({ key: name, version: data.latestVersion }, 'transit key version imported')
  return null
}

const IMPORT_FIELDS = {
  name: { type: 'string' },
  ciphertext: { type: 'string' },
  public_key: { type: 'string' },
  hash_function: { type: 'string', default: 'SHA256' }
} as const

export function importPaths (ctx: TransitContext): PathSpec[] {
  return [{
    pattern: 'wrapping_key',
    operations: { read: async () => await readWrappingKey(ctx) }
  }, {
    pattern: `keys/(?<name>${NAME_PATTERN})/import`,
    fields: {
      ...IMPORT_FIELDS,
      type: { type: 'string', default: 'aes256-gcm96' },
      allow_rotation: { type: 'bool' },
      derived: { type: 'bool' },
      exportable: { type: 'bool' },
      allow_plaintext_backup: { type: 'bool' },
      context: { type: 'string' },
      auto_rotate_period: { type: 'duration', default: 0 }
    },
    operations: { update: async (req) => await importKey(ctx, req) }
  }, {
    pattern: `keys/(?<name>${NAME_PATTERN})/import_version`,
    fields: { ...IMPORT_FIELDS, version: { type: 'int' } },
    operations: { update: async (req) => await importVersion(ctx, req) }
  }]
}
