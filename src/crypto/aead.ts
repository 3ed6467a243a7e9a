/**
 * The AEAD ciphers transit uses (AES-GCM with 96-bit nonces, ChaCha20-Poly1305,
 * XChaCha20-Poly1305), with Go's error texts for a failed open, plus the
 * HKDF key derivation and the convergent nonce of Vault's keysutil.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto'

/** Which AEAD a symmetric transit key uses. */
export type AeadAlgorithm = 'aes-gcm' | 'chacha20-poly1305' | 'xchacha20-poly1305'

/** An AEAD open failed: tag mismatch or too short (Go's errOpen texts). */
export class AeadOpenError extends Error {}

const TAG_BYTES = 16

/** Nonce length in bytes: 12, or 24 for XChaCha20. */
export function aeadNonceSize (alg: AeadAlgorithm): number {
  return alg === 'xchacha20-poly1305' ? 24 : 12
}

function openErrorText (alg: AeadAlgorithm): string {
  return alg === 'aes-gcm'
    ? 'cipher: message authentication failed'
    : 'chacha20poly1305: message authentication failed'
}

function rotl (v: number, c: number): number {
  return ((v << c) | (v >>> (32 - c))) >>> 0
}

/** HChaCha20 (draft-irtf-cfrg-xchacha §2.2): 32-byte subkey from key and a 16-byte nonce. */
export function hchacha20 (key: Uint8Array, nonce16: Uint8Array): Buffer {
  const k = Buffer.from(key)
  const n = Buffer.from(nonce16)
  const s = new Uint32Array(16)
  s[0] = 0x61707865; s[1] = 0x3320646e; s[2] = 0x79622d32; s[3] = 0x6b206574
  for (let i = 0; i < 8; i++) s[4 + i] = k.readUInt32LE(i * 4)
  for (let i = 0; i < 4; i++) s[12 + i] = n.readUInt32LE(i * 4)
  const qr = (a: number, b: number, c: number, d: number): void => {
    s[a] = (s[a] + s[b]) >>> 0; s[d] = rotl(s[d] ^ s[a], 16)
    s[c] = (s[c] + s[d]) >>> 0; s[b] = rotl(s[b] ^ s[c], 12)
    s[a] = (s[a] + s[b]) >>> 0; s[d] = rotl(s[d] ^ s[a], 8)
    s[c] = (s[c] + s[d]) >>> 0; s[b] = rotl(s[b] ^ s[c], 7)
  }
  for (let i = 0; i < 10; i++) {
    qr(0, 4, 8, 12); qr(1, 5, 9, 13); qr(2, 6, 10, 14); qr(3, 7, 11, 15)
    qr(0, 5, 10, 15); qr(1, 6, 11, 12); qr(2, 7, 8, 13); qr(3, 4, 9, 14)
  }
  const out = Buffer.alloc(32)
  for (let i = 0; i < 4; i++) out.writeUInt32LE(s[i], i * 4)
  for (let i = 0; i < 4; i++) out.writeUInt32LE(s[12 + i], 16 + i * 4)
  return out
}

/** The Node cipher name, key and 12-byte nonce that implement `alg` for this key/nonce. */
function cipherParams (alg: AeadAlgorithm, key: Buffer, nonce: Buffer): { name: string, key: Buffer, iv: Buffer } {
  if (alg === 'aes-gcm') {
    return { name: key.length === 16 ? 'aes-128-gcm' : 'aes-256-gcm', key, iv: nonce }
  }
  if (alg === 'chacha20-poly1305') return { name: 'chacha20-poly1305', key, iv: nonce }
  const subkey = hchacha20(key, nonce.subarray(0, 16))
  const iv = Buffer.concat([Buffer.alloc(4), nonce.subarray(16, 24)])
  return { name: 'chacha20-poly1305', key: subkey, iv }
}

/** Seal `plaintext`; returns ciphertext ‖ 16-byte tag (the nonce is not included). */
export function aeadSeal (alg: AeadAlgorithm, key: Buffer, nonce: Buffer, plaintext: Buffer,
  aad?: Buffer): Buffer {
  const p = cipherParams(alg, key, nonce)
  const cipher = createCipheriv(p.name as 'aes-256-gcm', p.key, p.iv, { authTagLength: TAG_BYTES })
  if (aad !== undefined && aad.length > 0) cipher.setAAD(aad, { plaintextLength: plaintext.length })
  const body = cipher.update(plaintext)
  cipher.final()
  return Buffer.concat([body, cipher.getAuthTag()])
}

/** Open ciphertext ‖ tag; throws AeadOpenError with Go's message on any failure. */
export function aeadOpen (alg: AeadAlgorithm, key: Buffer, nonce: Buffer, sealed: Buffer,
  aad?: Buffer): Buffer {
  if (sealed.length < TAG_BYTES) throw new AeadOpenError(openErrorText(alg))
  const p = cipherParams(alg, key, nonce)
  const body = sealed.subarray(0, sealed.length - TAG_BYTES)
  const tag = sealed.subarray(sealed.length - TAG_BYTES)
  try {
    const decipher = createDecipheriv(p.name as 'aes-256-gcm', p.key, p.iv, { authTagLength: TAG_BYTES })
    decipher.setAuthTag(tag)
    if (aad !== undefined && aad.length > 0) decipher.setAAD(aad, { plaintextLength: body.length })
    const out = decipher.update(body)
    decipher.final()
    return out
  } catch {
    throw new AeadOpenError(openErrorText(alg))
  }
}

/**
 * HKDF-SHA256 with an empty salt (RFC 5869 default), as keysutil derives
 * per-context keys: `length` bytes of output.
 */
export function hkdfSha256 (ikm: Buffer, info: Buffer, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), info, length))
}

/**
 * NIST SP 800-108 counter-mode KDF with HMAC-SHA256 and a 256-bit output,
 * the KDF of transit keys created before HKDF (kdf=0): 32 bytes.
 */
export function counterModeKdfSha256 (key: Buffer, context: Buffer): Buffer {
  const bits = Buffer.alloc(4)
  bits.writeUInt32BE(256)
  const counter = Buffer.alloc(4)
  counter.writeUInt32BE(0)
  return createHmac('sha256', key).update(Buffer.concat([counter, context, bits])).digest()
}

/** Convergent encryption v3 nonce: HMAC-SHA256(nonceKey, plaintext) truncated to `size` bytes. */
export function convergentNonce (nonceKey: Buffer, plaintext: Buffer, size: number): Buffer {
  return createHmac('sha256', nonceKey).update(plaintext).digest().subarray(0, size)
}
