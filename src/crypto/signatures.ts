/**
 * Signature encodings and digest-level RSA signing as Go's crypto/rsa and
 * encoding/asn1 do them: ECDSA (r, s) as DER or as JWS r‖s, RSASSA-PSS and
 * RSASSA-PKCS1-v1_5 over an already computed digest (transit hashes the
 * input itself, or the caller sends it prehashed).
 */
import { constants, createHash, privateEncrypt, publicDecrypt, timingSafeEqual, type KeyObject } from 'node:crypto'
import { bigIntToBytes, bytesToBigInt } from './ecdsa-digest.js'
import type { RandomSource } from './random.js'

/** The hash functions transit names, by Node's digest name. */
export type DigestName = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512' |
'sha3-224' | 'sha3-256' | 'sha3-384' | 'sha3-512'

/** Output size in bytes of a digest. */
export function digestSize (name: DigestName): number {
  switch (name) {
    case 'sha1': return 20
    case 'sha224': case 'sha3-224': return 28
    case 'sha256': case 'sha3-256': return 32
    case 'sha384': case 'sha3-384': return 48
    case 'sha512': case 'sha3-512': return 64
  }
}

// DigestInfo prefixes of RFC 8017 §9.2 (Go's crypto/rsa hashPrefixes).
const DIGEST_INFO: Record<DigestName, string> = {
  sha1: '3021300906052b0e03021a05000414',
  sha224: '302d300d06096086480165030402040500041c',
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
  'sha3-224': '302d300d06096086480165030402070500041c',
  'sha3-256': '3031300d060960864801650304020805000420',
  'sha3-384': '3041300d060960864801650304020905000430',
  'sha3-512': '3051300d060960864801650304020a05000440'
}

/** A signing failure with Go's message (surfaced by transit as an error). */
export class SignatureError extends Error {}

function derLength (n: number): Buffer {
  if (n < 0x80) return Buffer.from([n])
  const bytes: number[] = []
  let v = n
  while (v > 0) { bytes.unshift(v & 0xff); v >>= 8 }
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

function derInteger (v: bigint): Buffer {
  let hex = v.toString(16)
  if (hex.length % 2 === 1) hex = '0' + hex
  let body = Buffer.from(hex, 'hex')
  if ((body[0] & 0x80) !== 0) body = Buffer.concat([Buffer.from([0]), body])
  return Buffer.concat([Buffer.from([0x02]), derLength(body.length), body])
}

/** DER `SEQUENCE { INTEGER r, INTEGER s }` (Go's asn1.Marshal of ecdsaSignature). */
export function encodeEcdsaDer (r: bigint, s: bigint): Buffer {
  const body = Buffer.concat([derInteger(r), derInteger(s)])
  return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body])
}

class DerError extends Error {}

function readLength (buf: Buffer, pos: number): { len: number, next: number } {
  if (pos >= buf.length) throw new DerError('truncated')
  const first = buf[pos]
  if (first < 0x80) return { len: first, next: pos + 1 }
  const count = first & 0x7f
  if (count === 0 || count > 4 || pos + 1 + count > buf.length) throw new DerError('bad length')
  if (buf[pos + 1] === 0) throw new DerError('non-minimal length')
  let len = 0
  for (let i = 0; i < count; i++) len = len * 256 + buf[pos + 1 + i]
  if (len < 0x80) throw new DerError('non-minimal length')
  return { len, next: pos + 1 + count }
}

function readInteger (buf: Buffer, pos: number, end: number): { value: bigint, next: number } {
  if (pos >= end || buf[pos] !== 0x02) throw new DerError('not an integer')
  const { len, next } = readLength(buf, pos + 1)
  if (len === 0 || next + len > end) throw new DerError('bad integer')
  const body = buf.subarray(next, next + len)
  if (len > 1 && ((body[0] === 0 && (body[1] & 0x80) === 0) || (body[0] === 0xff && (body[1] & 0x80) !== 0))) {
    throw new DerError('integer not minimally-encoded')
  }
  let value = bytesToBigInt(body)
  if ((body[0] & 0x80) !== 0) value -= 1n << BigInt(len * 8)
  return { value, next: next + len }
}

/**
 * Parse a DER ECDSA signature as Go's asn1.Unmarshal does: returns r, s
 * and whether bytes follow the SEQUENCE; undefined when it does not parse.
 */
export function parseEcdsaDer (buf: Buffer): { r: bigint, s: bigint, trailing: boolean } | undefined {
  try {
    if (buf.length < 2 || buf[0] !== 0x30) return undefined
    const { len, next } = readLength(buf, 1)
    const end = next + len
    if (end > buf.length) return undefined
    const r = readInteger(buf, next, end)
    const s = readInteger(buf, r.next, end)
    if (s.next !== end) return undefined
    return { r: r.value, s: s.value, trailing: end !== buf.length }
  } catch {
    return undefined
  }
}

/** JWS form: r ‖ s, each left-padded to `size` bytes. */
export function encodeEcdsaJws (r: bigint, s: bigint, size: number): Buffer {
  return Buffer.concat([bigIntToBytes(r, size), bigIntToBytes(s, size)])
}

/** Split a JWS signature in halves as Go's transit does (any length). */
export function parseEcdsaJws (buf: Buffer): { r: bigint, s: bigint } {
  const half = Math.floor(buf.length / 2)
  return { r: bytesToBigInt(buf.subarray(0, half)), s: bytesToBigInt(buf.subarray(half)) }
}

function mgf1 (hash: DigestName, seed: Buffer, length: number): Buffer {
  const out: Buffer[] = []
  let done = 0
  for (let counter = 0; done < length; counter++) {
    const c = Buffer.alloc(4)
    c.writeUInt32BE(counter)
    const block = createHash(hash).update(seed).update(c).digest()
    out.push(block)
    done += block.length
  }
  return Buffer.concat(out).subarray(0, length)
}

/** The largest PSS salt for a key of `modulusBits` with `hash` (Go's PSSSaltLengthAuto on sign). */
export function maxPssSaltLength (modulusBits: number, hash: DigestName): number {
  return Math.ceil((modulusBits - 1) / 8) - 2 - digestSize(hash)
}

function modulusBytes (bits: number): number {
  return Math.ceil(bits / 8)
}

/** RSASSA-PSS signature of `digest` (EMSA-PSS, RFC 8017 §9.1.1) with a salt of `saltLength` bytes. */
export function rsaPssSignDigest (key: KeyObject, modulusBits: number, hash: DigestName,
  digest: Buffer, saltLength: number, random: RandomSource): Buffer {
  const hLen = digestSize(hash)
  if (digest.length !== hLen) throw new SignatureError('crypto/rsa: input must be hashed with given hash')
  const emBits = modulusBits - 1
  const emLen = Math.ceil(emBits / 8)
  if (emLen < hLen + saltLength + 2) throw new SignatureError('crypto/rsa: key size too small for PSS signature')
  const salt = saltLength > 0 ? random.bytes(saltLength) : Buffer.alloc(0)
  const h = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest()
  const db = Buffer.alloc(emLen - hLen - 1)
  db[emLen - saltLength - hLen - 2] = 0x01
  salt.copy(db, emLen - saltLength - hLen - 1)
  const mask = mgf1(hash, h, db.length)
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i]
  db[0] &= 0xff >> (8 * emLen - emBits)
  const em = Buffer.concat([db, h, Buffer.from([0xbc])])
  const k = modulusBytes(modulusBits)
  const padded = Buffer.concat([Buffer.alloc(k - em.length), em])
  return privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, padded)
}

/**
 * Verify an RSASSA-PSS signature over `digest`. `saltLength` 0 means
 * detect the salt length (Go's PSSSaltLengthAuto on verify).
 */
export function rsaPssVerifyDigest (key: KeyObject, modulusBits: number, hash: DigestName,
  digest: Buffer, signature: Buffer, saltLength: number): boolean {
  const hLen = digestSize(hash)
  const k = modulusBytes(modulusBits)
  if (signature.length !== k || digest.length !== hLen) return false
  let m: Buffer
  try {
    m = publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, signature)
  } catch {
    return false
  }
  const emBits = modulusBits - 1
  const emLen = Math.ceil(emBits / 8)
  let em = Buffer.concat([Buffer.alloc(k - m.length), m])
  if (emLen < em.length) {
    if (em[0] !== 0) return false
    em = em.subarray(1)
  }
  if (emLen < hLen + 2 || em[emLen - 1] !== 0xbc) return false
  const maskedDb = Buffer.from(em.subarray(0, emLen - hLen - 1))
  const h = em.subarray(emLen - hLen - 1, emLen - 1)
  const topMask = 0xff >> (8 * emLen - emBits)
  if ((maskedDb[0] & ~topMask) !== 0) return false
  const mask = mgf1(hash, h, maskedDb.length)
  for (let i = 0; i < maskedDb.length; i++) maskedDb[i] ^= mask[i]
  maskedDb[0] &= topMask
  let psLen: number
  if (saltLength === 0) {
    psLen = maskedDb.findIndex((b) => b !== 0)
    if (psLen < 0 || maskedDb[psLen] !== 0x01) return false
  } else {
    psLen = emLen - hLen - saltLength - 2
    if (psLen < 0) return false
    for (let i = 0; i < psLen; i++) if (maskedDb[i] !== 0) return false
    if (maskedDb[psLen] !== 0x01) return false
  }
  const salt = maskedDb.subarray(psLen + 1)
  const h2 = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest()
  return timingSafeEqual(h, h2)
}

function pkcs1Payload (hash: DigestName | undefined, digest: Buffer): Buffer {
  if (hash === undefined) return digest
  if (digest.length !== digestSize(hash)) throw new SignatureError('crypto/rsa: input must be hashed message')
  return Buffer.concat([Buffer.from(DIGEST_INFO[hash], 'hex'), digest])
}

/**
 * RSASSA-PKCS1-v1_5 signature of `digest`; with `hash` undefined the input
 * is signed as is, without DigestInfo (Go's crypto.Hash(0)).
 */
export function rsaPkcs1SignDigest (key: KeyObject, modulusBits: number, hash: DigestName | undefined,
  digest: Buffer): Buffer {
  const payload = pkcs1Payload(hash, digest)
  if (payload.length + 11 > modulusBytes(modulusBits)) throw new SignatureError('crypto/rsa: message too long for RSA key size')
  return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, payload)
}

/** Verify an RSASSA-PKCS1-v1_5 signature over `digest` (no DigestInfo when `hash` is undefined). */
export function rsaPkcs1VerifyDigest (key: KeyObject, modulusBits: number, hash: DigestName | undefined,
  digest: Buffer, signature: Buffer): boolean {
  if (signature.length !== modulusBytes(modulusBits)) return false
  let expected: Buffer
  try {
    expected = pkcs1Payload(hash, digest)
  } catch {
    return false
  }
  let got: Buffer
  try {
    got = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature)
  } catch {
    return false
  }
  return got.length === expected.length && timingSafeEqual(got, expected)
}
