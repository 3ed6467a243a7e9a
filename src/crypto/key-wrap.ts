/**
 * AES key wrap with padding (RFC 5649, "KWP") and the CKM_RSA_AES_KEY_WRAP
 * envelope Vault's BYOK import uses: RSA-OAEP(ephemeral AES-256 key) ‖
 * KWP(ephemeral key, target key material).
 */
import { constants, createCipheriv, createDecipheriv, privateDecrypt, publicEncrypt, type KeyObject } from 'node:crypto'
import type { RandomSource } from './random.js'

// RFC 5649 §3 alternative initial value.
const KWP_IV = Buffer.from('a65959a6', 'hex')

/** The key could not be unwrapped (bad key, tampered or truncated input). */
export class KeyUnwrapError extends Error {}

function kwpCipherName (key: Buffer): string {
  if (key.length === 16) return 'id-aes128-wrap-pad'
  if (key.length === 24) return 'id-aes192-wrap-pad'
  return 'id-aes256-wrap-pad'
}

/** RFC 5649 wrap of `data` (1 byte or more) under an AES key of 16, 24 or 32 bytes. */
export function aesKwpWrap (key: Buffer, data: Buffer): Buffer {
  const c = createCipheriv(kwpCipherName(key), key, KWP_IV)
  return Buffer.concat([c.update(data), c.final()])
}

/** RFC 5649 unwrap; throws KeyUnwrapError on an integrity failure. */
export function aesKwpUnwrap (key: Buffer, wrapped: Buffer): Buffer {
  if (wrapped.length < 16 || wrapped.length % 8 !== 0) throw new KeyUnwrapError('invalid wrapped key length')
  try {
    const d = createDecipheriv(kwpCipherName(key), key, KWP_IV)
    return Buffer.concat([d.update(wrapped), d.final()])
  } catch {
    throw new KeyUnwrapError('failed to unwrap key')
  }
}

/** Node's OAEP hash name for Vault's `hash_function` values (SHA1 … SHA512). */
export type OaepHash = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512'

/** Wrap `material` for import under an RSA public key: OAEP(eph AES-256 key) ‖ KWP(material). */
export function wrapForImport (wrappingKey: KeyObject, material: Buffer, hash: OaepHash,
  random: RandomSource): Buffer {
  const eph = random.bytes(32)
  const wrappedEph = publicEncrypt({ key: wrappingKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, eph)
  return Buffer.concat([wrappedEph, aesKwpWrap(eph, material)])
}

/** The inverse of wrapForImport with the RSA private key whose modulus is `rsaBytes` long. */
export function unwrapImport (wrappingKey: KeyObject, rsaBytes: number, blob: Buffer,
  hash: OaepHash): Buffer {
  const wrappedEph = blob.subarray(0, rsaBytes)
  const wrappedKey = blob.subarray(rsaBytes)
  let eph: Buffer
  try {
    eph = privateDecrypt({ key: wrappingKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, wrappedEph)
  } catch {
    throw new KeyUnwrapError('crypto/rsa: decryption error')
  }
  if (eph.length !== 32) throw new KeyUnwrapError('expected ephemeral AES key to be 256-bit')
  try {
    return aesKwpUnwrap(eph, wrappedKey)
  } finally {
    eph.fill(0)
  }
}
