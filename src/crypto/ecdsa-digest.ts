/**
 * ECDSA over a caller-supplied digest on P-256/P-384/P-521, for what
 * node:crypto cannot do: sign or verify a digest that is already computed
 * (transit's `prehashed=true`). Plain BigInt arithmetic in Jacobian
 * coordinates; digests longer than the group order are truncated to its
 * bit length as FIPS 186-4 §6.4 (and Go's crypto/ecdsa) do.
 */
import { createECDH } from 'node:crypto'
import type { RandomSource } from './random.js'

/** The NIST curves transit supports, by Go's curve name. */
export type CurveName = 'P-256' | 'P-384' | 'P-521'

interface Curve {
  p: bigint
  n: bigint
  b: bigint
  gx: bigint
  gy: bigint
  /** Bytes of a field element / scalar. */
  size: number
  /** OpenSSL name, for createECDH. */
  openssl: string
}

const P256 = 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n
const P384 = 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n
const P521 = 2n ** 521n - 1n

const ORDERS: Record<CurveName, bigint> = {
  'P-256': 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  'P-384': 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  'P-521': 0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n
}

const OPENSSL: Record<CurveName, string> = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' }
const PRIMES: Record<CurveName, bigint> = { 'P-256': P256, 'P-384': P384, 'P-521': P521 }
const SIZES: Record<CurveName, number> = { 'P-256': 32, 'P-384': 48, 'P-521': 66 }

const curves = new Map<CurveName, Curve>()

function mod (a: bigint, m: bigint): bigint {
  const r = a % m
  return r < 0n ? r + m : r
}

function modPow (base: bigint, exp: bigint, m: bigint): bigint {
  let result = 1n
  let b = mod(base, m)
  let e = exp
  while (e > 0n) {
    if ((e & 1n) === 1n) result = (result * b) % m
    b = (b * b) % m
    e >>= 1n
  }
  return result
}

/** Inverse modulo a prime (Fermat). */
function inv (a: bigint, m: bigint): bigint {
  return modPow(a, m - 2n, m)
}

/** Big-endian bytes to a BigInt. */
export function bytesToBigInt (b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt('0x' + Buffer.from(b).toString('hex'))
}

/** A BigInt as exactly `size` big-endian bytes. */
export function bigIntToBytes (v: bigint, size: number): Buffer {
  const hex = v.toString(16).padStart(size * 2, '0')
  return Buffer.from(hex, 'hex')
}

function curve (name: CurveName): Curve {
  const cached = curves.get(name)
  if (cached !== undefined) return cached
  // The generator is what OpenSSL returns as the public key of d = 1; b
  // follows from the curve equation y² = x³ − 3x + b.
  const ecdh = createECDH(OPENSSL[name])
  ecdh.setPrivateKey(Buffer.from([1]))
  const g = ecdh.getPublicKey()
  const size = SIZES[name]
  const p = PRIMES[name]
  const gx = bytesToBigInt(g.subarray(1, 1 + size))
  const gy = bytesToBigInt(g.subarray(1 + size))
  const b = mod(gy * gy - gx * gx * gx + 3n * gx, p)
  const c: Curve = { p, n: ORDERS[name], b, gx, gy, size, openssl: OPENSSL[name] }
  curves.set(name, c)
  return c
}

type Jacobian = [bigint, bigint, bigint]

function double (c: Curve, pt: Jacobian): Jacobian {
  const [x, y, z] = pt
  const p = c.p
  if (y === 0n || z === 0n) return [0n, 1n, 0n]
  const yy = (y * y) % p
  const s = (4n * x * yy) % p
  const zz = (z * z) % p
  const m = mod(3n * (x - zz) * (x + zz), p)
  const x3 = mod(m * m - 2n * s, p)
  const y3 = mod(m * (s - x3) - 8n * yy * yy, p)
  const z3 = mod(2n * y * z, p)
  return [x3, y3, z3]
}

function add (c: Curve, a: Jacobian, b: Jacobian): Jacobian {
  if (a[2] === 0n) return b
  if (b[2] === 0n) return a
  const p = c.p
  const z1z1 = (a[2] * a[2]) % p
  const z2z2 = (b[2] * b[2]) % p
  const u1 = (a[0] * z2z2) % p
  const u2 = (b[0] * z1z1) % p
  const s1 = (a[1] * b[2] * z2z2) % p
  const s2 = (b[1] * a[2] * z1z1) % p
  if (u1 === u2) {
    if (s1 !== s2) return [0n, 1n, 0n]
    return double(c, a)
  }
  const h = mod(u2 - u1, p)
  const r = mod(s2 - s1, p)
  const hh = (h * h) % p
  const hhh = (h * hh) % p
  const v = (u1 * hh) % p
  const x3 = mod(r * r - hhh - 2n * v, p)
  const y3 = mod(r * (v - x3) - s1 * hhh, p)
  const z3 = (a[2] * b[2] * h) % p
  return [x3, y3, z3]
}

function multiply (c: Curve, pt: Jacobian, k: bigint): Jacobian {
  let result: Jacobian = [0n, 1n, 0n]
  let addend = pt
  let e = k
  while (e > 0n) {
    if ((e & 1n) === 1n) result = add(c, result, addend)
    addend = double(c, addend)
    e >>= 1n
  }
  return result
}

function affineX (c: Curve, pt: Jacobian): bigint | undefined {
  if (pt[2] === 0n) return undefined
  const zinv = inv(pt[2], c.p)
  return (pt[0] * zinv * zinv) % c.p
}

/** The digest as an integer, truncated to the order's bit length (FIPS 186-4 §6.4). */
function hashToInt (c: Curve, digest: Uint8Array): bigint {
  const orderBits = c.n.toString(2).length
  const orderBytes = Math.ceil(orderBits / 8)
  let d = Buffer.from(digest)
  if (d.length > orderBytes) d = d.subarray(0, orderBytes)
  let e = bytesToBigInt(d)
  const excess = d.length * 8 - orderBits
  if (excess > 0) e >>= BigInt(excess)
  return e
}

/** Whether (x, y) is on the curve (public keys from storage or imports). */
export function isOnCurve (name: CurveName, x: bigint, y: bigint): boolean {
  const c = curve(name)
  if (x < 0n || x >= c.p || y < 0n || y >= c.p) return false
  return mod(y * y - (x * x * x - 3n * x + c.b), c.p) === 0n
}

/** Sign a digest with private scalar `d`; `random` supplies the nonce k. Returns r and s. */
export function ecdsaSignDigest (name: CurveName, d: bigint, digest: Uint8Array,
  random: RandomSource): { r: bigint, s: bigint } {
  const c = curve(name)
  const e = hashToInt(c, digest)
  for (;;) {
    // k uniform in [1, n-1]: draw 8 extra bytes so the modulo bias is negligible.
    const k = bytesToBigInt(random.bytes(c.size + 8)) % (c.n - 1n) + 1n
    const x = affineX(c, multiply(c, [c.gx, c.gy, 1n], k))
    if (x === undefined) continue
    const r = x % c.n
    if (r === 0n) continue
    const s = (inv(k, c.n) * ((e + r * d) % c.n)) % c.n
    if (s === 0n) continue
    return { r, s }
  }
}

/** Verify (r, s) over a digest with public point (x, y). */
export function ecdsaVerifyDigest (name: CurveName, x: bigint, y: bigint, digest: Uint8Array,
  r: bigint, s: bigint): boolean {
  const c = curve(name)
  if (r <= 0n || s <= 0n || r >= c.n || s >= c.n) return false
  if (!isOnCurve(name, x, y)) return false
  const e = hashToInt(c, digest)
  const w = inv(s, c.n)
  const u1 = (e * w) % c.n
  const u2 = (r * w) % c.n
  const pt = add(c, multiply(c, [c.gx, c.gy, 1n], u1), multiply(c, [x, y, 1n], u2))
  const rx = affineX(c, pt)
  if (rx === undefined) return false
  return rx % c.n === r
}

/** The public point of private scalar `d`, computed by OpenSSL. */
export function ecPublicPoint (name: CurveName, d: bigint): { x: bigint, y: bigint } {
  const size = SIZES[name]
  const ecdh = createECDH(OPENSSL[name])
  ecdh.setPrivateKey(bigIntToBytes(d, size))
  const pub = ecdh.getPublicKey()
  return { x: bytesToBigInt(pub.subarray(1, 1 + size)), y: bytesToBigInt(pub.subarray(1 + size)) }
}

/** Field-element size in bytes: 32, 48 or 66. */
export function curveByteSize (name: CurveName): number {
  return SIZES[name]
}

/** The group order n. */
export function curveOrder (name: CurveName): bigint {
  return ORDERS[name]
}
