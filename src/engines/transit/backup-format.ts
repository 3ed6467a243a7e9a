/**
 * The backup blob of transit's backup/restore endpoints, in Vault's own
 * format (keysutil KeyData): base64 of the Go JSON of the policy and its
 * archive, big integers as bare JSON numbers. Backups taken here restore
 * into Vault/OpenBao and the other way round.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto'
import { parse as parseLossless } from 'lossless-json'
import { goJsonStringify, ordered } from '../go-json.js'
import type { Flavor } from '../engine.js'
import { decodeStdBase64 } from '../../crypto/base64.js'
import { bytesToBigInt, isOnCurve } from '../../crypto/ecdsa-digest.js'
import { curveOf, isEcdsa, isRsa, keyTypeFromEnum, keyTypeToEnum, rsaBits, type KeyType } from './key-types.js'
import { ecPublicPem } from './keyring.js'
import type { StoredKeyVersion, StoredPolicy } from './policy.js'

const ZERO_TIME = '0001-01-01T00:00:00Z'

function big (hex: string | undefined): bigint | null {
  return hex === undefined ? null : BigInt('0x' + hex)
}

function b64ToBig (b64url: string | undefined): bigint {
  return bytesToBigInt(Buffer.from(b64url ?? '', 'base64url'))
}

function bigToB64 (v: bigint): string {
  let hex = v.toString(16)
  if (hex.length % 2 === 1) hex = '0' + hex
  return Buffer.from(hex, 'hex').toString('base64url')
}

/** Go's json of *rsa.PrivateKey (the exported fields). */
function rsaPrivateJson (der: string): { priv: unknown, pub: unknown } {
  const jwk = createPrivateKey({ key: Buffer.from(der, 'base64'), format: 'der', type: 'pkcs8' }).export({ format: 'jwk' })
  const n = b64ToBig(jwk.n)
  const e = Number(b64ToBig(jwk.e))
  return {
    priv: ordered({
      N: n,
      E: e,
      D: b64ToBig(jwk.d),
      Primes: [b64ToBig(jwk.p), b64ToBig(jwk.q)],
      Precomputed: ordered({ Dp: b64ToBig(jwk.dp), Dq: b64ToBig(jwk.dq), Qinv: b64ToBig(jwk.qi), CRTValues: [] })
    }),
    pub: ordered({ N: n, E: e })
  }
}

function rsaPublicJson (der: string): unknown {
  const jwk = createPublicKey({ key: Buffer.from(der, 'base64'), format: 'der', type: 'spki' }).export({ format: 'jwk' })
  return ordered({ N: b64ToBig(jwk.n), E: Number(b64ToBig(jwk.e)) })
}

function entryJson (e: StoredKeyVersion | undefined): unknown {
  if (e === undefined) {
    return ordered({
      key: null, hmac_key: null, time: ZERO_TIME, ec_x: null, ec_y: null, ec_d: null, rsa_key: null,
      rsa_public_key: null, public_key: '', convergent_version: 0, creation_time: 0, certificate_chain: null
    })
  }
  let rsaKey: unknown = null
  let rsaPublic: unknown = null
  if (e.rsaPrivate !== undefined) ({ priv: rsaKey, pub: rsaPublic } = rsaPrivateJson(e.rsaPrivate))
  else if (e.rsaPublic !== undefined) rsaPublic = rsaPublicJson(e.rsaPublic)
  return ordered({
    key: e.key === undefined || e.key === '' ? null : e.key,
    hmac_key: e.hmacKey === '' ? null : e.hmacKey,
    time: e.time,
    ec_x: big(e.ecX),
    ec_y: big(e.ecY),
    ec_d: big(e.ecD),
    rsa_key: rsaKey,
    rsa_public_key: rsaPublic,
    public_key: e.publicKey,
    convergent_version: e.convergentVersion,
    creation_time: e.creationTime,
    certificate_chain: null
  })
}

/** The backup string of a key (after its backup_info was recorded). */
export function encodeBackup (p: StoredPolicy, flavor: Flavor): string {
  const live: Record<string, unknown> = {}
  for (let v = Math.max(1, p.minDecryptionVersion); v <= p.latestVersion; v++) {
    if (p.keys[String(v)] !== undefined) live[String(v)] = entryJson(p.keys[String(v)])
  }
  const archive: unknown[] = []
  for (let v = p.minAvailableVersion; v <= p.latestVersion; v++) archive.push(entryJson(v === 0 ? undefined : p.keys[String(v)]))
  const policy: Record<string, unknown> = ordered({
    name: p.name,
    key_size: p.keySize === 0 ? undefined : p.keySize,
    keys: live,
    derived: p.derived,
    kdf: p.kdf,
    convergent_encryption: p.convergentEncryption,
    exportable: p.exportable,
    min_decryption_version: p.minDecryptionVersion,
    min_encryption_version: p.minEncryptionVersion,
    latest_version: p.latestVersion,
    archive_version: p.latestVersion,
    archive_min_version: p.minAvailableVersion,
    min_available_version: p.minAvailableVersion,
    deletion_allowed: p.deletionAllowed,
    convergent_version: p.convergentVersion,
    type: keyTypeToEnum(p.type, flavor),
    backup_info: p.backupInfo === null ? null : ordered({ time: p.backupInfo.time, version: p.backupInfo.version }),
    restore_info: p.restoreInfo === null ? null : ordered({ time: p.restoreInfo.time, version: p.restoreInfo.version }),
    allow_plaintext_backup: p.allowPlaintextBackup,
    version_template: '',
    storage_prefix: '',
    auto_rotate_period: BigInt(p.autoRotatePeriod) * 1_000_000_000n,
    Imported: p.imported,
    AllowImportedKeyRotation: p.allowImportedKeyRotation
  })
  if (flavor === 'openbao') policy.soft_deleted = p.softDeleted
  const text = goJsonStringify(ordered({ policy, archived_keys: ordered({ keys: archive }) }))
  return Buffer.from(text).toString('base64')
}

/** The backup could not be read; the message is what the server answers (500). */
export class BackupError extends Error {}

type Json = Record<string, unknown>

function asObject (v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Json : undefined
}

function num (v: unknown): number {
  if (typeof v === 'bigint') return Number(v)
  return typeof v === 'number' ? v : 0
}

function bigHex (v: unknown): string | undefined {
  if (typeof v === 'bigint') return v.toString(16)
  if (typeof v === 'number') return BigInt(v).toString(16)
  return undefined
}

function str (v: unknown): string {
  return typeof v === 'string' ? v : ''
}

function parseEntry (e: Json, type: KeyType): StoredKeyVersion | undefined {
  const key = str(e.key)
  const hmacKey = str(e.hmac_key)
  const rsa = asObject(e.rsa_key)
  const rsaPub = asObject(e.rsa_public_key)
  const ecX = bigHex(e.ec_x)
  if (key === '' && hmacKey === '' && rsa === undefined && rsaPub === undefined && ecX === undefined) return undefined
  const time = str(e.time) === '' ? ZERO_TIME : str(e.time)
  const out: StoredKeyVersion = {
    hmacKey,
    time,
    creationTime: num(e.creation_time),
    publicKey: str(e.public_key),
    convergentVersion: num(e.convergent_version)
  }
  if (key !== '') out.key = key
  if (isEcdsa(type)) {
    const x = BigInt('0x' + (ecX ?? '0'))
    const y = BigInt('0x' + (bigHex(e.ec_y) ?? '0'))
    if (!isOnCurve(curveOf(type), x, y)) throw new BackupError('invalid ECDSA public key in backup')
    out.ecX = x.toString(16)
    out.ecY = y.toString(16)
    const d = bigHex(e.ec_d)
    if (d !== undefined) out.ecD = d
    out.publicKey = ecPublicPem(type, x, y)
  }
  if (isRsa(type)) {
    const src = rsa ?? rsaPub
    if (src === undefined) throw new BackupError('missing RSA key in backup')
    const n = typeof src.N === 'bigint' ? src.N : BigInt(num(src.N))
    const eExp = BigInt(num(src.E))
    if (n.toString(2).length > rsaBits(type) || n.toString(2).length < rsaBits(type) - 7) throw new BackupError('RSA key size does not match the key type')
    if (rsa !== undefined) {
      const primes = Array.isArray(rsa.Primes) ? rsa.Primes as unknown[] : []
      if (primes.length !== 2) throw new BackupError('only two-prime RSA keys can be restored')
      const p = typeof primes[0] === 'bigint' ? primes[0] : 0n
      const q = typeof primes[1] === 'bigint' ? primes[1] : 0n
      const d = typeof rsa.D === 'bigint' ? rsa.D : 0n
      const qi = modInverse(q, p)
      const jwk = {
        kty: 'RSA', n: bigToB64(n), e: bigToB64(eExp), d: bigToB64(d), p: bigToB64(p), q: bigToB64(q),
        dp: bigToB64(d % (p - 1n)), dq: bigToB64(d % (q - 1n)), qi: bigToB64(qi)
      }
      const priv = createPrivateKey({ key: jwk, format: 'jwk' })
      out.rsaPrivate = priv.export({ type: 'pkcs8', format: 'der' }).toString('base64')
      out.rsaPublic = createPublicKey(priv).export({ type: 'spki', format: 'der' }).toString('base64')
    } else {
      const pub = createPublicKey({ key: { kty: 'RSA', n: bigToB64(n), e: bigToB64(eExp) }, format: 'jwk' })
      out.rsaPublic = pub.export({ type: 'spki', format: 'der' }).toString('base64')
    }
    out.publicKey = ''
  }
  if (type === 'ed25519' && key !== '' && Buffer.from(key, 'base64').length !== 64) {
    throw new BackupError('invalid ed25519 key in backup')
  }
  return out
}

function modInverse (a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m]
  let [oldS, s] = [1n, 0n]
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s]
  }
  return ((oldS % m) + m) % m
}

/** Decode a backup (Vault's or ours) into a stored policy; `name` overrides the backup's. */
export function decodeBackup (backup: string, name: string, flavor: Flavor): StoredPolicy {
  let text: string
  try {
    text = decodeStdBase64(backup).toString('utf8')
  } catch (err) {
    throw new BackupError((err as Error).message)
  }
  let doc: unknown
  try {
    doc = parseLossless(text, undefined, (value: string) => /^-?\d+$/.test(value) ? BigInt(value) : Number(value))
  } catch (err) {
    throw new BackupError(`invalid character in backup JSON: ${(err as Error).message}`)
  }
  const root = asObject(doc)
  const pol = asObject(root?.policy)
  if (root === undefined || pol === undefined) throw new BackupError('invalid backup: no policy')
  const type = keyTypeFromEnum(num(pol.type), flavor)
  if (type === undefined) throw new BackupError(`unsupported key type ${num(pol.type)} in backup`)
  const minAvailable = num(pol.min_available_version)
  const archiveMin = num(pol.archive_min_version)
  const keys: Record<string, StoredKeyVersion> = {}
  const archived = asObject(root.archived_keys)
  const list = Array.isArray(archived?.keys) ? archived?.keys as unknown[] : []
  list.forEach((raw, i) => {
    const e = asObject(raw)
    const version = i + archiveMin
    if (e === undefined || version < 1 || version < minAvailable) return
    const parsed = parseEntry(e, type)
    if (parsed !== undefined) keys[String(version)] = parsed
  })
  for (const [v, raw] of Object.entries(asObject(pol.keys) ?? {})) {
    const e = asObject(raw)
    if (e === undefined) continue
    const parsed = parseEntry(e, type)
    if (parsed !== undefined) keys[v] = parsed
  }
  const info = (v: unknown): { time: string, version: number } | null => {
    const o = asObject(v)
    return o === undefined ? null : { time: str(o.time), version: num(o.version) }
  }
  const latest = num(pol.latest_version)
  if (latest < 1 || keys[String(latest)] === undefined) throw new BackupError('invalid backup: latest key version missing')
  return {
    name: name !== '' ? name : str(pol.name),
    type,
    derived: pol.derived === true,
    kdf: num(pol.kdf),
    convergentEncryption: pol.convergent_encryption === true,
    convergentVersion: num(pol.convergent_version),
    exportable: pol.exportable === true,
    deletionAllowed: pol.deletion_allowed === true,
    allowPlaintextBackup: pol.allow_plaintext_backup === true,
    minDecryptionVersion: Math.max(1, num(pol.min_decryption_version)),
    minEncryptionVersion: num(pol.min_encryption_version),
    latestVersion: latest,
    minAvailableVersion: minAvailable,
    autoRotatePeriod: Math.floor(num(pol.auto_rotate_period) / 1e9),
    imported: pol.Imported === true,
    allowImportedKeyRotation: pol.AllowImportedKeyRotation === true,
    keySize: num(pol.key_size),
    softDeleted: pol.soft_deleted === true,
    backupInfo: info(pol.backup_info),
    restoreInfo: info(pol.restore_info),
    keys
  }
}

