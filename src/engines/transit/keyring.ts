/**
 * The keyring of one transit mount: keys in storage under `policy/<name>`,
 * parsed Policy objects cached in memory, and key-version generation.
 * Storage is synchronous, so every read-modify-write here is atomic; only
 * RSA generation awaits, and callers re-read the key after it.
 */
import { createPublicKey } from 'node:crypto'
import { formatRfc3339Nano, unixSeconds, type Clock } from '../../clock/index.js'
import { bytesToBigInt, curveOrder, ecPublicPoint, curveByteSize } from '../../crypto/ecdsa-digest.js'
import type { RandomSource } from '../../crypto/random.js'
import { generateRsaKeyPairFrom } from '../../crypto/rsa-keygen.js'
import type { Storage } from '../../storage/storage.js'
import { curveOf, isEcdsa, isRsa, isSymmetric, rsaBits, symmetricKeySize, type KeyType } from './key-types.js'
import { ed25519FromSeed, ed25519RawPublic, Policy, plainError, type StoredKeyVersion, type StoredPolicy } from './policy.js'

const POLICY_PREFIX = 'policy/'

/** Key material of a new version, before its timestamps and HMAC key. */
export type KeyMaterial = Omit<StoredKeyVersion, 'hmacKey' | 'time' | 'creationTime' | 'convergentVersion'>

/** An ECDSA public key PEM (PKIX) for a point, as Go's pem.EncodeToMemory writes it. */
export function ecPublicPem (type: KeyType, x: bigint, y: bigint): string {
  const size = curveByteSize(curveOf(type))
  const enc = (v: bigint): string => Buffer.from(v.toString(16).padStart(size * 2, '0'), 'hex').toString('base64url')
  return createPublicKey({ key: { kty: 'EC', crv: curveOf(type), x: enc(x), y: enc(y) }, format: 'jwk' })
    .export({ type: 'spki', format: 'pem' }) as string
}

/**
 * Fresh key material for one version of `type`, all drawn from `random`
 * (RSA prime tests run on the thread pool, off the event loop).
 */
export async function generateMaterial (type: KeyType, keySize: number, random: RandomSource): Promise<KeyMaterial> {
  if (isSymmetric(type)) return { key: random.bytes(symmetricKeySize(type)).toString('base64'), publicKey: '' }
  if (type === 'hmac') {
    if (keySize < 32 || keySize > 512) throw plainError('invalid key size for HMAC key, must be between 32 and 512 bytes')
    return { key: random.bytes(keySize).toString('base64'), publicKey: '' }
  }
  if (type === 'ed25519') {
    const seed = random.bytes(32)
    const pub = ed25519RawPublic(ed25519FromSeed(seed))
    return { key: Buffer.concat([seed, pub]).toString('base64'), publicKey: pub.toString('base64') }
  }
  if (isEcdsa(type)) {
    const curve = curveOf(type)
    const n = curveOrder(curve)
    // d uniform in [1, n-1]; 8 extra bytes make the modulo bias negligible.
    const d = bytesToBigInt(random.bytes(curveByteSize(curve) + 8)) % (n - 1n) + 1n
    const { x, y } = ecPublicPoint(curve, d)
    return { ecD: d.toString(16), ecX: x.toString(16), ecY: y.toString(16), publicKey: ecPublicPem(type, x, y) }
  }
  if (isRsa(type)) {
    // Primes searched from the engine's RandomSource (OpenSSL tests them), so
    // deterministic mode gives the same RSA keys every run.
    const { privateKey, publicKey } = await generateRsaKeyPairFrom(rsaBits(type), random)
    return {
      rsaPrivate: privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
      rsaPublic: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
      publicKey: ''
    }
  }
  throw plainError(`unsupported key type ${String(type)}`)
}

/** A new key version: material plus timestamps, HMAC key and convergent version. */
export function newVersion (policy: StoredPolicy, material: KeyMaterial, clock: Clock,
  random: RandomSource): StoredKeyVersion {
  const now = clock.now()
  const entry: StoredKeyVersion = {
    ...material,
    hmacKey: random.bytes(32).toString('base64'),
    time: formatRfc3339Nano(now),
    creationTime: unixSeconds(now),
    convergentVersion: 0
  }
  // An hmac key's HMAC key is the key itself.
  if (policy.type === 'hmac' && material.key !== undefined) entry.hmacKey = material.key
  if (policy.convergentEncryption && (policy.convergentVersion === -1 || policy.convergentVersion > 1)) {
    entry.convergentVersion = 3
  }
  return entry
}

/** Append `entry` as the next version (keysutil RotateInMemory / import). */
export function appendVersion (policy: StoredPolicy, entry: StoredKeyVersion): void {
  policy.latestVersion += 1
  policy.keys[String(policy.latestVersion)] = entry
  if (policy.minDecryptionVersion === 0) policy.minDecryptionVersion = 1
}

/** Options for a brand-new key. */
export interface NewPolicyOptions {
  name: string
  type: KeyType
  derived?: boolean
  convergent?: boolean
  exportable?: boolean
  allowPlaintextBackup?: boolean
  autoRotatePeriod?: number
  keySize?: number
  imported?: boolean
  allowImportedKeyRotation?: boolean
}

/** A stored policy with no versions yet. */
export function emptyPolicy (o: NewPolicyOptions): StoredPolicy {
  const derived = o.derived === true
  const convergent = derived && o.convergent === true
  return {
    name: o.name,
    type: o.type,
    derived,
    kdf: derived ? 1 : 0,
    convergentEncryption: convergent,
    convergentVersion: convergent ? -1 : 0,
    exportable: o.exportable === true,
    deletionAllowed: false,
    allowPlaintextBackup: o.allowPlaintextBackup === true,
    minDecryptionVersion: 0,
    minEncryptionVersion: 0,
    latestVersion: 0,
    minAvailableVersion: 0,
    autoRotatePeriod: o.autoRotatePeriod ?? 0,
    imported: o.imported === true,
    allowImportedKeyRotation: o.allowImportedKeyRotation === true,
    keySize: o.keySize ?? 0,
    softDeleted: false,
    backupInfo: null,
    restoreInfo: null,
    keys: {}
  }
}

export class Keyring {
  private readonly cache = new Map<string, Policy>()
  private autoRotate: Set<string> | undefined

  constructor (private readonly storage: Storage) {}

  /** The key named `name`, or undefined. Parsed objects are cached until the next write. */
  get (name: string): Policy | undefined {
    const cached = this.cache.get(name)
    if (cached !== undefined) return cached
    const stored = this.storage.get<StoredPolicy>(POLICY_PREFIX + name)
    if (stored === undefined) return undefined
    const p = new Policy(stored)
    this.cache.set(name, p)
    return p
  }

  has (name: string): boolean {
    return this.get(name) !== undefined
  }

  /** Persist a new snapshot of a key and replace the cached object. */
  save (data: StoredPolicy): Policy {
    this.storage.put(POLICY_PREFIX + data.name, data)
    const p = new Policy(data)
    this.cache.set(data.name, p)
    if (this.autoRotate !== undefined) {
      if (data.autoRotatePeriod > 0) this.autoRotate.add(data.name)
      else this.autoRotate.delete(data.name)
    }
    return p
  }

  delete (name: string): void {
    this.storage.delete(POLICY_PREFIX + name)
    this.cache.delete(name)
    this.autoRotate?.delete(name)
  }

  /** Key names, sorted (a folder such as `import/` ends in '/'). */
  list (): string[] {
    return this.storage.list(POLICY_PREFIX)
  }

  /** Names of keys with auto-rotation enabled (scanned once, then kept up to date). */
  autoRotateNames (): string[] {
    if (this.autoRotate === undefined) {
      this.autoRotate = new Set()
      for (const name of this.list()) {
        if (name.endsWith('/')) continue
        const p = this.get(name)
        if (p !== undefined && p.data.autoRotatePeriod > 0) this.autoRotate.add(name)
      }
    }
    return [...this.autoRotate]
  }

  /** Drop every cached object (the mount's storage was replaced or wiped). */
  clear (): void {
    this.cache.clear()
    this.autoRotate = undefined
  }
}
