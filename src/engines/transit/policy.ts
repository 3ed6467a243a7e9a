/**
 * A transit key ("policy" in Vault's keysutil): its stored form, and the
 * cryptographic operations on its versions with keysutil's checks, order
 * and error texts. A Policy wraps one immutable stored snapshot and caches
 * what is costly to rebuild (decoded keys, KeyObjects, derived keys).
 */
import { createHash, createPrivateKey, createPublicKey, constants, privateDecrypt, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto'
import { aeadNonceSize, aeadOpen, aeadSeal, AeadOpenError, convergentNonce, counterModeKdfSha256, hkdfSha256 } from '../../crypto/aead.js'
import { decodeStdBase64, decodeRawUrlBase64, encodeRawUrlBase64 } from '../../crypto/base64.js'
import { ecdsaSignDigest, ecdsaVerifyDigest, curveByteSize } from '../../crypto/ecdsa-digest.js'
import {
  encodeEcdsaDer, encodeEcdsaJws, maxPssSaltLength, parseEcdsaDer, parseEcdsaJws, rsaPkcs1SignDigest,
  rsaPkcs1VerifyDigest, rsaPssSignDigest, rsaPssVerifyDigest, SignatureError, type DigestName
} from '../../crypto/signatures.js'
import { rsaOaepEncrypt } from '../../crypto/rsa-oaep.js'
import { isSeededRandom } from '../../crypto/seeded-random.js'
import type { RandomSource } from '../../crypto/random.js'
import { aeadOf, curveOf, isEcdsa, isRsa, isSymmetric, rsaBits, supportsDerivation, supportsEncryption, supportsSigning, symmetricKeySize, type KeyType } from './key-types.js'
import { ERR_SOFT_DELETED, ERR_TOO_OLD, MISSING_CONTEXT } from './messages.js'

/** One key version as stored. Binary values are standard base64, big integers hex. */
export interface StoredKeyVersion {
  /** Symmetric key, HMAC-type key, or the 64-byte ed25519 seed‖public key. */
  key?: string
  /** The version's HMAC key (equals `key` for hmac keys). */
  hmacKey: string
  /** Creation time, RFC 3339 with nanoseconds. */
  time: string
  /** Creation time in Unix seconds (Vault's deprecated creation_time). */
  creationTime: number
  ecD?: string
  ecX?: string
  ecY?: string
  /** RSA private key, PKCS#8 DER. */
  rsaPrivate?: string
  /** RSA public key, SPKI DER (always set for RSA). */
  rsaPublic?: string
  /** ECDSA PEM or ed25519 base64 public key; '' for other types. */
  publicKey: string
  convergentVersion: number
}

export interface VersionInfo {
  time: string
  version: number
}

/** A key as stored under `policy/<name>`. */
export interface StoredPolicy {
  name: string
  type: KeyType
  derived: boolean
  /** 0 = legacy counter-mode KDF, 1 = HKDF-SHA256. */
  kdf: number
  convergentEncryption: boolean
  convergentVersion: number
  exportable: boolean
  deletionAllowed: boolean
  allowPlaintextBackup: boolean
  minDecryptionVersion: number
  minEncryptionVersion: number
  latestVersion: number
  minAvailableVersion: number
  /** Seconds; 0 disables. */
  autoRotatePeriod: number
  imported: boolean
  allowImportedKeyRotation: boolean
  keySize: number
  softDeleted: boolean
  backupInfo: VersionInfo | null
  restoreInfo: VersionInfo | null
  /** Every version from max(1, min_available_version) to latest_version. */
  keys: Record<string, StoredKeyVersion>
}

/** How keysutil classifies an error: errutil.UserError, InternalError, or a bare error. */
export type ErrorKind = 'user' | 'internal' | 'plain'

/** An operation failed; `kind` decides the status the caller reports. */
export class TransitError extends Error {
  constructor (message: string, readonly kind: ErrorKind) {
    super(message)
    this.name = 'TransitError'
  }
}

export function userError (message: string): TransitError {
  return new TransitError(message, 'user')
}

export function internalError (message: string): TransitError {
  return new TransitError(message, 'internal')
}

export function plainError (message: string): TransitError {
  return new TransitError(message, 'plain')
}

const PREFIX = 'vault:v'
const CURRENT_CONVERGENT_VERSION = 3
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const DERIVED_CACHE_LIMIT = 1024

/** Go's strconv.Atoi: optional sign and decimal digits within int64. */
export function goAtoi (text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined
  const n = BigInt(text)
  if (n > 9223372036854775807n || n < -9223372036854775808n) return undefined
  return Number(n)
}

/** Split `vault:v<ver>:<payload>` the way keysutil does; `what` names the value in errors. */
export function splitVersioned (value: string, what: 'ciphertext' | 'signature'): { version: number, payload: string } {
  if (!value.startsWith(PREFIX)) throw userError(`invalid ${what}: no prefix`)
  const rest = value.slice(PREFIX.length)
  const colon = rest.indexOf(':')
  if (colon < 0) throw userError(`invalid ${what}: wrong number of fields`)
  const version = goAtoi(rest.slice(0, colon))
  if (version === undefined) throw userError(`invalid ${what}: version number could not be decoded`)
  return { version, payload: rest.slice(colon + 1) }
}

/** The private ed25519 KeyObject of a 32-byte seed. */
export function ed25519FromSeed (seed: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' })
}

/** The 32-byte raw public key of an ed25519 KeyObject. */
export function ed25519RawPublic (key: KeyObject): Buffer {
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' })
  return spki.subarray(spki.length - 32)
}

/** Options of a sign or verify call (keysutil.SigningOptions). */
export interface SigningOptions {
  /** Undefined for `none`. */
  hash: DigestName | undefined
  marshaling: 'asn1' | 'jws'
  /** Go's convention: 0 auto, -1 equals hash, else exact bytes. */
  saltLength: number
  signatureAlgorithm: string
  /** The unhashed input when the message is its digest under `hash` (fast native ECDSA). */
  rawInput?: Buffer
}

export class Policy {
  readonly data: Readonly<StoredPolicy>
  private readonly keyBytes = new Map<number, Buffer>()
  private readonly keyObjects = new Map<string, KeyObject>()
  private readonly derivedKeys = new Map<string, Buffer>()

  constructor (data: StoredPolicy) {
    this.data = data
  }

  get name (): string { return this.data.name }
  get type (): KeyType { return this.data.type }
  get latestVersion (): number { return this.data.latestVersion }

  /** A deep copy to mutate and persist as a new snapshot. */
  copy (): StoredPolicy {
    return structuredClone(this.data) as StoredPolicy
  }

  version (ver: number): StoredKeyVersion {
    const entry = this.data.keys[String(ver)]
    if (entry === undefined) throw userError('no such key version')
    return entry
  }

  private rawKey (ver: number): Buffer {
    let k = this.keyBytes.get(ver)
    if (k === undefined) {
      const entry = this.version(ver)
      k = Buffer.from(entry.key ?? '', 'base64')
      this.keyBytes.set(ver, k)
    }
    return k
  }

  private checkUsable (): void {
    if (this.data.softDeleted) throw userError(ERR_SOFT_DELETED)
  }

  /** keysutil GetKey: the raw key, or the key derived for `context`. */
  getKey (context: Buffer, ver: number, numBytes: number): Buffer {
    this.checkUsable()
    if (!this.data.derived) return this.rawKey(ver)
    return this.deriveKey(context, ver, numBytes)
  }

  private deriveKey (context: Buffer, ver: number, numBytes: number): Buffer {
    if (!supportsDerivation(this.type)) throw userError(`derivation not supported for key type ${this.type}`)
    if (ver <= 0 || ver > this.data.latestVersion) throw userError('invalid key version')
    if (context.length === 0) throw userError(MISSING_CONTEXT)
    const cacheKey = `${ver}:${numBytes}:${context.toString('base64')}`
    const cached = this.derivedKeys.get(cacheKey)
    if (cached !== undefined) return cached
    const ikm = this.rawKey(ver)
    let out: Buffer
    if (this.data.kdf === 0) {
      out = counterModeKdfSha256(ikm, context)
    } else if (this.type === 'ed25519') {
      out = hkdfSha256(ikm, context, 32)
    } else {
      out = hkdfSha256(ikm, context, numBytes)
    }
    if (this.derivedKeys.size >= DERIVED_CACHE_LIMIT) this.derivedKeys.clear()
    this.derivedKeys.set(cacheKey, out)
    return out
  }

  private convergentVersionOf (ver: number): number {
    if (!this.data.convergentEncryption) return 0
    let v = this.data.convergentVersion === 0 ? 1 : this.data.convergentVersion
    const entry = this.data.keys[String(ver)]
    if (entry !== undefined && entry.convergentVersion !== 0) v = entry.convergentVersion
    return v
  }

  private rsaPrivate (ver: number): KeyObject | undefined {
    const id = `rsa-priv:${ver}`
    let k = this.keyObjects.get(id)
    if (k === undefined) {
      const entry = this.version(ver)
      if (entry.rsaPrivate === undefined) return undefined
      k = createPrivateKey({ key: Buffer.from(entry.rsaPrivate, 'base64'), format: 'der', type: 'pkcs8' })
      this.keyObjects.set(id, k)
    }
    return k
  }

  private rsaPublic (ver: number): KeyObject {
    const id = `rsa-pub:${ver}`
    let k = this.keyObjects.get(id)
    if (k === undefined) {
      const entry = this.version(ver)
      k = createPublicKey({ key: Buffer.from(entry.rsaPublic ?? '', 'base64'), format: 'der', type: 'spki' })
      this.keyObjects.set(id, k)
    }
    return k
  }

  private ecKey (ver: number, priv: boolean): KeyObject {
    const id = `ec-${priv ? 'priv' : 'pub'}:${ver}`
    let k = this.keyObjects.get(id)
    if (k === undefined) {
      const entry = this.version(ver)
      const size = curveByteSize(curveOf(this.type))
      const b64u = (hex: string | undefined): string => Buffer.from((hex ?? '').padStart(size * 2, '0'), 'hex').toString('base64url')
      const jwk: Record<string, string> = { kty: 'EC', crv: curveOf(this.type), x: b64u(entry.ecX), y: b64u(entry.ecY) }
      if (priv) jwk.d = b64u(entry.ecD)
      k = priv ? createPrivateKey({ key: jwk, format: 'jwk' }) : createPublicKey({ key: jwk, format: 'jwk' })
      this.keyObjects.set(id, k)
    }
    return k
  }

  private ed25519Private (ver: number): KeyObject {
    const id = `ed-priv:${ver}`
    let k = this.keyObjects.get(id)
    if (k === undefined) {
      k = ed25519FromSeed(this.rawKey(ver).subarray(0, 32))
      this.keyObjects.set(id, k)
    }
    return k
  }

  /** keysutil EncryptWithFactory: `aad` is the still-encoded associated_data. */
  encrypt (ver: number, context: Buffer, plaintext: Buffer, aad: string | undefined,
    random: RandomSource): string {
    this.checkUsable()
    if (!supportsEncryption(this.type)) throw userError(`message encryption not supported for key type ${this.type}`)
    if (ver === 0) ver = this.data.latestVersion
    else if (ver < 0) throw userError('requested version for encryption is negative')
    else if (ver > this.data.latestVersion) throw userError('requested version for encryption is higher than the latest key version')
    else if (ver < this.data.minEncryptionVersion) throw userError('requested version for encryption is less than the minimum encryption key version')

    let blob: Buffer
    if (isSymmetric(this.type)) {
      const encBytes = symmetricKeySize(this.type)
      const convergent = this.convergentVersionOf(ver)
      const hmacBytes = convergent > 2 ? 32 : 0
      const key = this.getKey(context, ver, encBytes + hmacBytes)
      if (key.length < encBytes + hmacBytes) throw internalError('could not derive key, length too small')
      const encKey = key.subarray(0, encBytes)
      const additional = this.decodeAad(aad)
      const alg = aeadOf(this.type)
      let nonce: Buffer
      if (this.data.convergentEncryption) {
        if (convergent < CURRENT_CONVERGENT_VERSION && convergent > 0) {
          throw userError(`refusing to support decryption with old convergent encryption key: version ${convergent}`)
        }
        nonce = convergentNonce(key.subarray(encBytes, encBytes + hmacBytes), plaintext, aeadNonceSize(alg))
      } else {
        nonce = random.bytes(aeadNonceSize(alg))
      }
      blob = Buffer.concat([nonce, aeadSeal(alg, encKey, nonce, plaintext, additional)])
    } else {
      const pub = this.rsaPublic(ver)
      const k = rsaBits(this.type) / 8
      // RSA-OAEP with SHA-256: at most k - 2·32 - 2 bytes (Go's EncryptOAEP check).
      if (plaintext.length > k - 66) {
        throw internalError('failed to RSA encrypt the plaintext: crypto/rsa: message too long for RSA key size')
      }
      // The OAEP seed comes from the engine's RandomSource (deterministic mode).
      blob = rsaOaepEncrypt(pub, k, 'sha256', plaintext, random)
    }
    return `${PREFIX}${ver}:${blob.toString('base64')}`
  }

  private decodeAad (aad: string | undefined): Buffer | undefined {
    if (aad === undefined || aad === '') return undefined
    try {
      return decodeStdBase64(aad)
    } catch (err) {
      throw internalError(`unable to get associated_data/additional_data from factory[0]: ${(err as Error).message}`)
    }
  }

  /** keysutil DecryptWithFactory: returns the plaintext bytes. */
  decrypt (context: Buffer, value: string, aad: string | undefined): Buffer {
    this.checkUsable()
    if (!supportsEncryption(this.type)) throw userError(`message decryption not supported for key type ${this.type}`)
    let { version: ver, payload } = splitVersioned(value, 'ciphertext')
    // Vault's first releases numbered keys from 0.
    if (ver === 0) ver = 1
    if (ver > this.data.latestVersion) throw userError('invalid ciphertext: version is too new')
    if (this.data.minDecryptionVersion > 0 && ver < this.data.minDecryptionVersion) throw userError(ERR_TOO_OLD)
    const convergent = this.convergentVersionOf(ver)
    if (this.data.convergentEncryption && convergent < CURRENT_CONVERGENT_VERSION && convergent > 0) {
      throw userError(`refusing to support decryption with old convergent encryption key: version ${convergent}`)
    }
    let blob: Buffer
    try {
      blob = decodeStdBase64(payload)
    } catch {
      throw userError('invalid ciphertext: could not decode base64')
    }

    if (isSymmetric(this.type)) {
      const numBytes = symmetricKeySize(this.type)
      const encKey = this.getKey(context, ver, numBytes)
      if (encKey.length !== numBytes) throw internalError('could not derive enc key, length not correct')
      const additional = this.decodeAad(aad)
      const alg = aeadOf(this.type)
      const nonceSize = aeadNonceSize(alg)
      if (blob.length < nonceSize) throw userError('invalid ciphertext length')
      try {
        return aeadOpen(alg, encKey, blob.subarray(0, nonceSize), blob.subarray(nonceSize), additional)
      } catch (err) {
        if (err instanceof AeadOpenError) throw userError(err.message)
        throw err
      }
    }
    const priv = this.rsaPrivate(ver)
    if (priv === undefined) throw internalError('cannot decrypt ciphertext, key version does not have a private counterpart')
    try {
      return privateDecrypt({ key: priv, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, blob)
    } catch {
      throw internalError('failed to RSA decrypt the ciphertext: crypto/rsa: decryption error')
    }
  }

  /** keysutil HMACKey: the version's HMAC key (the key itself for hmac keys). */
  hmacKey (ver: number): Buffer {
    this.checkUsable()
    if (ver < 0) throw plainError('key version does not exist (cannot be negative)')
    if (ver > this.data.latestVersion) throw plainError(`key version does not exist; latest key version is ${this.data.latestVersion}`)
    const entry = this.version(ver)
    if (this.type === 'hmac') return this.rawKey(ver)
    return Buffer.from(entry.hmacKey, 'base64')
  }

  private isPrivateMissing (entry: StoredKeyVersion): boolean {
    return entry.rsaPrivate === undefined && entry.ecD === undefined && (entry.key === undefined || entry.key === '')
  }

  /** keysutil SignWithOptions; `message` is the digest (or the raw input for ed25519). */
  sign (ver: number, context: Buffer, message: Buffer, opts: SigningOptions,
    random: RandomSource): { signature: string, publicKey?: Buffer } {
    this.checkUsable()
    if (!supportsSigning(this.type)) throw plainError(`message signing not supported for key type ${this.type}`)
    if (ver === 0) ver = this.data.latestVersion
    else if (ver < 0) throw userError('requested version for signing is negative')
    else if (ver > this.data.latestVersion) throw userError('requested version for signing is higher than the latest key version')
    else if (this.data.minEncryptionVersion > 0 && ver < this.data.minEncryptionVersion) {
      throw userError('requested version for signing is less than the minimum encryption key version')
    }
    const entry = this.version(ver)
    if (this.isPrivateMissing(entry)) throw userError('requested version for signing does not contain a private part')

    let sig: Buffer
    let publicKey: Buffer | undefined
    if (isEcdsa(this.type)) {
      const curve = curveOf(this.type)
      let r: bigint
      let s: bigint
      // The native path draws its nonce from OpenSSL: not in deterministic mode.
      if (opts.rawInput !== undefined && opts.hash !== undefined && !isSeededRandom(random)) {
        // Same digest as Go (hash, then truncate to the order); native and fast.
        const der = nodeSign(opts.hash, opts.rawInput, { key: this.ecKey(ver, true), dsaEncoding: 'der' })
        const parsed = parseEcdsaDer(der)
        if (parsed === undefined) throw internalError('failed to parse ECDSA signature')
        r = parsed.r
        s = parsed.s
      } else {
        ({ r, s } = ecdsaSignDigest(curve, BigInt('0x' + (entry.ecD ?? '0')), message, random))
      }
      sig = opts.marshaling === 'jws' ? encodeEcdsaJws(r, s, curveByteSize(curve)) : encodeEcdsaDer(r, s)
    } else if (this.type === 'ed25519') {
      let key: KeyObject
      if (this.data.derived) {
        let seed: Buffer
        try {
          seed = this.getKey(context, ver, 32)
        } catch (err) {
          throw internalError(`error deriving key: ${(err as Error).message}`)
        }
        key = ed25519FromSeed(seed.subarray(0, 32))
        publicKey = ed25519RawPublic(key)
      } else {
        key = this.ed25519Private(ver)
      }
      sig = nodeSign(null, message, key)
    } else {
      const priv = this.rsaPrivate(ver)
      if (priv === undefined) throw userError('requested version for signing does not contain a private part')
      const bits = rsaBits(this.type)
      const algo = opts.signatureAlgorithm === '' ? 'pss' : opts.signatureAlgorithm
      try {
        if (algo === 'pss') {
          const hash = opts.hash ?? 'sha256'
          if (opts.hash === undefined || !this.validSaltLength(bits, hash, opts.saltLength)) {
            throw userError(`requested salt length ${opts.saltLength} is invalid`)
          }
          const salt = opts.saltLength === 0
            ? maxPssSaltLength(bits, hash)
            : opts.saltLength === -1 ? createHash(hash).digest().length : opts.saltLength
          sig = rsaPssSignDigest(priv, bits, hash, message, salt, random)
        } else if (algo === 'pkcs1v15') {
          sig = rsaPkcs1SignDigest(priv, bits, opts.hash, message)
        } else {
          throw internalError(`unsupported rsa signature algorithm ${algo}`)
        }
      } catch (err) {
        if (err instanceof SignatureError) throw plainError(err.message)
        throw err
      }
    }
    const encoded = opts.marshaling === 'jws' ? encodeRawUrlBase64(sig) : sig.toString('base64')
    return { signature: `${PREFIX}${ver}:${encoded}`, publicKey }
  }

  private validSaltLength (bits: number, hash: DigestName, salt: number): boolean {
    return salt >= -1 && salt <= maxPssSaltLength(bits, hash)
  }

  /** keysutil VerifySignatureWithOptions. */
  verify (context: Buffer, message: Buffer, signature: string, opts: SigningOptions): boolean {
    this.checkUsable()
    if (!supportsSigning(this.type)) throw userError(`message verification not supported for key type ${this.type}`)
    const { version: ver, payload } = splitVersioned(signature, 'signature')
    if (ver > this.data.latestVersion) throw userError('invalid signature: version is too new')
    if (this.data.minDecryptionVersion > 0 && ver < this.data.minDecryptionVersion) throw userError(ERR_TOO_OLD)
    let sigBytes: Buffer
    try {
      sigBytes = opts.marshaling === 'jws' ? decodeRawUrlBase64(payload) : decodeStdBase64(payload)
    } catch {
      throw userError('invalid base64 signature value')
    }

    if (isEcdsa(this.type)) {
      let r: bigint
      let s: bigint
      if (opts.marshaling === 'asn1') {
        const parsed = parseEcdsaDer(sigBytes)
        if (parsed === undefined) throw userError('supplied signature is invalid')
        if (parsed.trailing) throw userError('supplied signature contains extra data')
        r = parsed.r
        s = parsed.s
      } else {
        ({ r, s } = parseEcdsaJws(sigBytes))
      }
      const entry = this.version(ver)
      const curve = curveOf(this.type)
      if (opts.rawInput !== undefined && opts.hash !== undefined) {
        if (r <= 0n || s <= 0n) return false
        return nodeVerify(opts.hash, opts.rawInput, { key: this.ecKey(ver, false), dsaEncoding: 'der' }, encodeEcdsaDer(r, s))
      }
      return ecdsaVerifyDigest(curve, BigInt('0x' + (entry.ecX ?? '0')), BigInt('0x' + (entry.ecY ?? '0')), message, r, s)
    }
    if (this.type === 'ed25519') {
      let pub: KeyObject
      if (this.data.derived) {
        let seed: Buffer
        try {
          seed = this.getKey(context, ver, 32)
        } catch (err) {
          throw internalError(`error deriving key: ${(err as Error).message}`)
        }
        pub = createPublicKey(ed25519FromSeed(seed.subarray(0, 32)))
      } else {
        const entry = this.version(ver)
        const raw = Buffer.from(entry.publicKey, 'base64')
        pub = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]), format: 'der', type: 'spki' })
      }
      if (sigBytes.length !== 64) return false
      return nodeVerify(null, message, pub, sigBytes)
    }
    this.version(ver)
    const pub = this.rsaPublic(ver)
    const bits = rsaBits(this.type)
    const algo = opts.signatureAlgorithm === '' ? 'pss' : opts.signatureAlgorithm
    if (algo === 'pss') {
      const hash = opts.hash
      if (hash === undefined || !this.validSaltLength(bits, hash, opts.saltLength)) {
        throw userError(`requested salt length ${opts.saltLength} is invalid`)
      }
      const salt = opts.saltLength === -1 ? createHash(hash).digest().length : opts.saltLength
      return rsaPssVerifyDigest(pub, bits, hash, message, sigBytes, salt)
    }
    if (algo === 'pkcs1v15') return rsaPkcs1VerifyDigest(pub, bits, opts.hash, message, sigBytes)
    throw internalError(`unsupported rsa signature algorithm ${algo}`)
  }

  /** The derived ed25519 public key for `context` at `ver` (key read with ?context=). */
  derivedEd25519Public (context: Buffer, ver: number): Buffer {
    const seed = this.getKey(context, ver, 32)
    return ed25519RawPublic(ed25519FromSeed(seed.subarray(0, 32)))
  }

  /** The RSA public key PEM of a version (PKIX, trailing newline). */
  rsaPublicPem (ver: number): string {
    return this.rsaPublic(ver).export({ type: 'spki', format: 'pem' }) as string
  }

  /** KeyObjects for export. */
  exportObjects (ver: number): { rsaPrivate?: KeyObject, rsaPublic?: KeyObject, ecPrivate?: KeyObject, ecPublic?: KeyObject } {
    if (isRsa(this.type)) return { rsaPrivate: this.rsaPrivate(ver), rsaPublic: this.rsaPublic(ver) }
    if (isEcdsa(this.type)) {
      const entry = this.version(ver)
      return { ecPrivate: entry.ecD === undefined ? undefined : this.ecKey(ver, true), ecPublic: this.ecKey(ver, false) }
    }
    return {}
  }

  /** Versions from min_decryption_version to latest (the "live" key ring), ascending. */
  liveVersions (): number[] {
    const out: number[] = []
    for (let v = Math.max(1, this.data.minDecryptionVersion); v <= this.data.latestVersion; v++) {
      if (this.data.keys[String(v)] !== undefined) out.push(v)
    }
    return out
  }
}
