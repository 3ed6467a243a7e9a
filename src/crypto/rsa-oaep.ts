import { constants, createHash, publicEncrypt, type KeyObject } from 'node:crypto'
import type { RandomSource } from './random.js'

/** MGF1 (RFC 8017 B.2.1) with `hash`: `length` bytes of mask from `seed`. */
function mgf1 (hash: string, seed: Buffer, length: number): Buffer {
  const blocks: Buffer[] = []
  const counter = Buffer.alloc(4)
  let total = 0
  for (let i = 0; total < length; i++) {
    counter.writeUInt32BE(i)
    const block = createHash(hash).update(seed).update(counter).digest()
    blocks.push(block)
    total += block.length
  }
  return Buffer.concat(blocks).subarray(0, length)
}

/**
 * RSAES-OAEP encryption (RFC 8017 §7.1.1, empty label) whose seed comes from
 * `random` rather than OpenSSL, so a deterministic source fixes the
 * ciphertext. Any OAEP decryptor (OpenSSL, Go) reads the result.
 */
export function rsaOaepEncrypt (key: KeyObject, modulusBytes: number, hash: 'sha1' | 'sha256' | 'sha384' | 'sha512',
  plaintext: Buffer, random: RandomSource): Buffer {
  const lHash = createHash(hash).digest()
  const hLen = lHash.length
  const k = modulusBytes
  if (plaintext.length > k - 2 * hLen - 2) throw new RangeError('crypto/rsa: message too long for RSA key size')
  const db = Buffer.concat([lHash, Buffer.alloc(k - plaintext.length - 2 * hLen - 2), Buffer.from([1]), plaintext])
  const seed = random.bytes(hLen)
  const dbMask = mgf1(hash, seed, db.length)
  for (let i = 0; i < db.length; i++) db[i] ^= dbMask[i]
  const seedMask = mgf1(hash, db, hLen)
  for (let i = 0; i < hLen; i++) seed[i] ^= seedMask[i]
  const em = Buffer.concat([Buffer.from([0]), seed, db])
  return publicEncrypt({ key, padding: constants.RSA_NO_PADDING }, em)
}
