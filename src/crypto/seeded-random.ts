import { createCipheriv, createHmac, type Cipher } from 'node:crypto'
import { uuidFromBytes, type RandomSource } from './random.js'

/** A RandomSource whose output is fixed by a seed, and can be rewound. */
export interface SeededRandom extends RandomSource {
  /** Bytes drawn so far (the whole state besides the seed). */
  position: () => number
  /** Continue as if exactly `position` bytes had been drawn. */
  seek: (position: number) => void
}

const SEEDED = Symbol('localvault.seededRandom')

/**
 * Whether `random` is a seeded (deterministic) source: code with a faster
 * path that draws from OpenSSL instead (native ECDSA nonces) must not take
 * it then.
 */
export function isSeededRandom (random: RandomSource): boolean {
  return (random as { [SEEDED]?: boolean })[SEEDED] === true
}

/** Domain separation for the seed; changing it changes every deterministic output. */
const KEY_LABEL = 'localvault deterministic random v1'
const CHUNK = 4096
const BLOCKS_PER_CHUNK = CHUNK / 16

/**
 * A deterministic source for `-deterministic SEED`: the AES-256-CTR
 * keystream under key HMAC-SHA256(KEY_LABEL, seed), counter block starting
 * at zero. Not for secrets: anyone who knows the seed knows every key.
 */
export function createSeededRandom (seed: string): SeededRandom {
  const key = createHmac('sha256', KEY_LABEL).update(seed, 'utf8').digest()
  const zeros = Buffer.alloc(CHUNK)
  let cipher: Cipher
  let chunkIndex = 0
  let pool = Buffer.alloc(0)
  let offset = 0

  const startAt = (index: number): void => {
    const iv = Buffer.alloc(16)
    iv.writeBigUInt64BE(BigInt(index * BLOCKS_PER_CHUNK), 8)
    cipher = createCipheriv('aes-256-ctr', key, iv)
    chunkIndex = index
    pool = cipher.update(zeros)
    offset = 0
  }
  startAt(0)

  const bytes = (n: number): Buffer => {
    const out = Buffer.alloc(n)
    let filled = 0
    while (filled < n) {
      if (offset === pool.length) {
        pool = cipher.update(zeros)
        chunkIndex++
        offset = 0
      }
      const take = Math.min(n - filled, pool.length - offset)
      pool.copy(out, filled, offset, offset + take)
      offset += take
      filled += take
    }
    return out
  }

  const source: SeededRandom & { [SEEDED]: true } = {
    [SEEDED]: true,
    bytes,
    uuid: () => uuidFromBytes(bytes(16)),
    position: () => chunkIndex * CHUNK + offset,
    seek: (position) => {
      if (!Number.isSafeInteger(position) || position < 0) throw new RangeError('seek: bad position')
      startAt(Math.floor(position / CHUNK))
      offset = position % CHUNK
    }
  }
  return source
}
