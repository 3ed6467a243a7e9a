import { checkPrime, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import { promisify } from 'node:util'
import type { RandomSource } from './random.js'

const E = 65537n
const checkPrimeAsync = promisify(checkPrime) as (candidate: bigint) => Promise<boolean>

// Odd primes below 2048 for sieving candidates before the costly test.
const SMALL_PRIMES: number[] = (() => {
  const out: number[] = []
  for (let n = 3; n < 2048; n += 2) {
    if (out.every((p) => p * p > n || n % p !== 0)) out.push(n)
  }
  return out
})()

function toBigInt (b: Buffer): bigint {
  return BigInt('0x' + (b.length === 0 ? '0' : b.toString('hex')))
}

function modInverse (a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m]
  let [oldS, s] = [1n, 0n]
  while (r !== 0n) {
    const q = oldR / r
    ;[oldR, r] = [r, oldR - q * r]
    ;[oldS, s] = [s, oldS - q * s]
  }
  if (oldR !== 1n) throw new Error('not invertible')
  return ((oldS % m) + m) % m
}

function gcd (a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b]
  return a
}

/** A search start of exactly `bits` bits, top two bits and low bit set. */
function drawStart (bits: number, random: RandomSource): bigint {
  const bytes = random.bytes(Math.ceil(bits / 8))
  const start = toBigInt(bytes) >> BigInt(bytes.length * 8 - bits)
  return start | (3n << BigInt(bits - 2)) | 1n
}

/**
 * The first prime at or above `start` (odd, `bits` bits) with p - 1 prime
 * to e, by an incremental sieve; undefined when the window runs out. The
 * primality test is OpenSSL's, on the thread pool.
 */
async function primeFrom (start: bigint, bits: number): Promise<bigint | undefined> {
  const residues = SMALL_PRIMES.map((p) => Number(start % BigInt(p)))
  let batch: bigint[] = []
  // Test sieve survivors a few at a time on the thread pool; the answer is
  // still the smallest prime in the window, as a sequential search finds.
  const flush = async (): Promise<bigint | undefined> => {
    const results = await Promise.all(batch.map(async (c) => await checkPrimeAsync(c)))
    const found = batch.find((_, i) => results[i])
    batch = []
    return found
  }
  for (let delta = 0; delta < 1 << 16; delta += 2) {
    if (SMALL_PRIMES.some((p, i) => (residues[i] + delta) % p === 0)) continue
    const candidate = start + BigInt(delta)
    if (candidate >> BigInt(bits) !== 0n) break
    if ((candidate - 1n) % E === 0n) continue
    batch.push(candidate)
    if (batch.length === 8) {
      const found = await flush()
      if (found !== undefined) return found
    }
  }
  return await flush()
}

function b64url (v: bigint): string {
  let hex = v.toString(16)
  if (hex.length % 2 === 1) hex = '0' + hex
  return Buffer.from(hex, 'hex').toString('base64url')
}

/**
 * An RSA key pair of `bits` bits (e = 65537) whose primes come from
 * `random`, so a deterministic source gives the same key every run. Both
 * search starts are drawn before the first await, so concurrent requests
 * cannot interleave their draws with this key's.
 */
export async function generateRsaKeyPairFrom (bits: number, random: RandomSource): Promise<{ privateKey: KeyObject, publicKey: KeyObject }> {
  if (bits < 512 || bits % 2 !== 0) throw new RangeError(`unsupported RSA size ${bits}`)
  const half = bits / 2
  let starts = [drawStart(half, random), drawStart(half, random)]
  for (;;) {
    const [p, q] = await Promise.all(starts.map(async (s) => await primeFrom(s, half)))
    starts = [drawStart(half, random), drawStart(half, random)]
    if (p === undefined || q === undefined) continue
    // FIPS 186-4 B.3.1: the primes must not be too close.
    const diff = p > q ? p - q : q - p
    if (diff >> BigInt(half - 100) === 0n) continue
    const n = p * q
    const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n)
    const d = modInverse(E, lambda)
    const jwk = {
      kty: 'RSA',
      n: b64url(n),
      e: b64url(E),
      d: b64url(d),
      p: b64url(p),
      q: b64url(q),
      dp: b64url(d % (p - 1n)),
      dq: b64url(d % (q - 1n)),
      qi: b64url(modInverse(q, p))
    }
    const privateKey = createPrivateKey({ key: jwk, format: 'jwk' })
    return { privateKey, publicKey: createPublicKey(privateKey) }
  }
}
