import { randomBytes, randomUUID } from 'node:crypto'

/**
 * A source of randomness: everything random in responses (request ids,
 * tokens, accessors, nonces, key material) is drawn from one of these so a
 * deterministic source can replace it.
 */
export interface RandomSource {
  /** `n` random bytes. */
  bytes: (n: number) => Buffer
  /** A random RFC 4122 version 4 UUID, lower-case. */
  uuid: () => string
}

const POOL_SIZE = 64 * 1024

/**
 * The CSPRNG source. Small draws come from a pre-filled pool refilled in
 * bulk (never reused): per-call randomBytes dominated encrypt's cost.
 */
export function createSecureRandom (): RandomSource {
  let pool = randomBytes(POOL_SIZE)
  let offset = 0
  return {
    bytes (n: number): Buffer {
      if (n > 256) return randomBytes(n)
      if (offset + n > pool.length) {
        pool = randomBytes(POOL_SIZE)
        offset = 0
      }
      const out = Buffer.from(pool.subarray(offset, offset + n))
      pool.fill(0, offset, offset + n)
      offset += n
      return out
    },
    uuid: () => randomUUID()
  }
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** `length` characters of base62 text drawn without modulo bias. */
export function randomBase62 (random: RandomSource, length: number): string {
  let out = ''
  while (out.length < length) {
    for (const byte of random.bytes(length * 2)) {
      if (byte >= 248) continue
      out += BASE62[byte % 62]
      if (out.length === length) break
    }
  }
  return out
}

/** Format 16 random bytes as a version 4 UUID. */
export function uuidFromBytes (b: Buffer): string {
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const h = b.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}
