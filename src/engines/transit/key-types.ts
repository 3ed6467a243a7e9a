// Transit key types: names, capabilities and Go's storage enum (keysutil/policy.go).
import type { AeadAlgorithm } from '../../crypto/aead.js'
import type { CurveName } from '../../crypto/ecdsa-digest.js'
import type { Flavor } from '../engine.js'

export type KeyType =
  | 'aes128-gcm96' | 'aes256-gcm96' | 'chacha20-poly1305' | 'xchacha20-poly1305'
  | 'ecdsa-p256' | 'ecdsa-p384' | 'ecdsa-p521' | 'ed25519'
  | 'rsa-2048' | 'rsa-3072' | 'rsa-4096' | 'hmac'

export const KEY_TYPES: readonly KeyType[] = [
  'aes128-gcm96', 'aes256-gcm96', 'chacha20-poly1305', 'xchacha20-poly1305',
  'ecdsa-p256', 'ecdsa-p384', 'ecdsa-p521', 'ed25519',
  'rsa-2048', 'rsa-3072', 'rsa-4096', 'hmac'
]

/** The key types a flavor knows (XChaCha20 is OpenBao only). */
export function isKnownKeyType (name: string, flavor: Flavor): name is KeyType {
  if (name === 'xchacha20-poly1305') return flavor === 'openbao'
  return (KEY_TYPES as readonly string[]).includes(name)
}

export function isSymmetric (t: KeyType): boolean {
  return t === 'aes128-gcm96' || t === 'aes256-gcm96' || t === 'chacha20-poly1305' || t === 'xchacha20-poly1305'
}

export function isEcdsa (t: KeyType): boolean {
  return t === 'ecdsa-p256' || t === 'ecdsa-p384' || t === 'ecdsa-p521'
}

export function isRsa (t: KeyType): boolean {
  return t === 'rsa-2048' || t === 'rsa-3072' || t === 'rsa-4096'
}

export function supportsEncryption (t: KeyType): boolean {
  return isSymmetric(t) || isRsa(t)
}

export function supportsSigning (t: KeyType): boolean {
  return isEcdsa(t) || isRsa(t) || t === 'ed25519'
}

export function supportsDerivation (t: KeyType): boolean {
  return isSymmetric(t) || t === 'ed25519'
}

/** Key types that accept a public key alone on import. */
export function supportsPublicImport (t: KeyType): boolean {
  return isEcdsa(t) || isRsa(t) || t === 'ed25519'
}

/** Symmetric key length in bytes. */
export function symmetricKeySize (t: KeyType): number {
  return t === 'aes128-gcm96' ? 16 : 32
}

export function aeadOf (t: KeyType): AeadAlgorithm {
  if (t === 'chacha20-poly1305') return 'chacha20-poly1305'
  if (t === 'xchacha20-poly1305') return 'xchacha20-poly1305'
  return 'aes-gcm'
}

export function curveOf (t: KeyType): CurveName {
  if (t === 'ecdsa-p384') return 'P-384'
  if (t === 'ecdsa-p521') return 'P-521'
  return 'P-256'
}

export function rsaBits (t: KeyType): number {
  if (t === 'rsa-3072') return 3072
  if (t === 'rsa-4096') return 4096
  return 2048
}

export const HMAC_MIN_KEY_SIZE = 32
export const HMAC_MAX_KEY_SIZE = 512

// Go's KeyType iota; 0..9 are shared, then Vault and OpenBao diverge.
const SHARED_ENUM: Partial<Record<KeyType, number>> = {
  'aes256-gcm96': 0,
  'ecdsa-p256': 1,
  ed25519: 2,
  'rsa-2048': 3,
  'rsa-4096': 4,
  'chacha20-poly1305': 5,
  'ecdsa-p384': 6,
  'ecdsa-p521': 7,
  'aes128-gcm96': 8,
  'rsa-3072': 9
}

/** The integer Go stores in a backup's `type` field. */
export function keyTypeToEnum (t: KeyType, flavor: Flavor): number {
  const shared = SHARED_ENUM[t]
  if (shared !== undefined) return shared
  if (t === 'hmac') return flavor === 'openbao' ? 10 : 11
  return 11 // xchacha20-poly1305, OpenBao only
}

/** The key type of a backup's integer `type`, or undefined when unknown here. */
export function keyTypeFromEnum (n: number, flavor: Flavor): KeyType | undefined {
  for (const [name, value] of Object.entries(SHARED_ENUM)) if (value === n) return name as KeyType
  if (flavor === 'openbao') {
    if (n === 10) return 'hmac'
    if (n === 11) return 'xchacha20-poly1305'
  } else if (n === 11) {
    return 'hmac'
  }
  return undefined
}
