/** Digest-level ECDSA and RSA signing agree with OpenSSL's own sign/verify. */
import t from 'tap'
import { createHash, generateKeyPairSync, sign, verify, constants } from 'node:crypto'
import { createSecureRandom } from '../../src/crypto/random.js'
import { ecdsaSignDigest, ecdsaVerifyDigest, ecPublicPoint, bytesToBigInt, type CurveName } from '../../src/crypto/ecdsa-digest.js'
import { encodeEcdsaDer, parseEcdsaDer, parseEcdsaJws, encodeEcdsaJws, rsaPkcs1SignDigest, rsaPkcs1VerifyDigest, rsaPssSignDigest, rsaPssVerifyDigest, maxPssSaltLength } from '../../src/crypto/signatures.js'
import { aesKwpUnwrap, aesKwpWrap, KeyUnwrapError } from '../../src/crypto/key-wrap.js'

const random = createSecureRandom()

t.test('ECDSA over a digest interoperates with OpenSSL on every curve', async (t) => {
  const curves: Array<[CurveName, string, string]> = [['P-256', 'prime256v1', 'sha256'], ['P-384', 'secp384r1', 'sha384'], ['P-521', 'secp521r1', 'sha512']]
  for (const [name, openssl, hash] of curves) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: openssl })
    const jwk = privateKey.export({ format: 'jwk' })
    const d = bytesToBigInt(Buffer.from(jwk.d ?? '', 'base64url'))
    const { x, y } = ecPublicPoint(name, d)
    t.equal(x, bytesToBigInt(Buffer.from(jwk.x ?? '', 'base64url')), `${name} public point from d`)
    const msg = Buffer.from('message')
    const digest = createHash(hash).update(msg).digest()
    const { r, s } = ecdsaSignDigest(name, d, digest, random)
    t.ok(verify(hash, msg, publicKey, encodeEcdsaDer(r, s)), `${name}: OpenSSL verifies our signature`)
    const theirs = parseEcdsaDer(sign(hash, msg, privateKey))
    t.ok(theirs !== undefined && ecdsaVerifyDigest(name, x, y, digest, theirs.r, theirs.s), `${name}: we verify OpenSSL's`)
    t.notOk(ecdsaVerifyDigest(name, x, y, createHash(hash).update('other').digest(), r, s), `${name}: wrong digest fails`)
    // A digest longer than the order is truncated (sha512 on P-256).
    const long = createHash('sha512').update(msg).digest()
    const sig = ecdsaSignDigest(name, d, long, random)
    t.ok(verify('sha512', msg, publicKey, encodeEcdsaDer(sig.r, sig.s)), `${name}: truncation matches OpenSSL`)
  }
})

t.test('DER and JWS marshaling', async (t) => {
  const der = encodeEcdsaDer(0x80n, 1n)
  t.equal(der.toString('hex'), '3007020200800201 01'.replace(/ /g, ''))
  t.same(parseEcdsaDer(der), { r: 0x80n, s: 1n, trailing: false })
  t.same(parseEcdsaDer(Buffer.concat([der, Buffer.from([0])])), { r: 0x80n, s: 1n, trailing: true })
  t.equal(parseEcdsaDer(Buffer.from('300702030000800201 01'.replace(/ /g, ''), 'hex')), undefined, 'non-minimal integer refused')
  t.equal(parseEcdsaDer(Buffer.from('garbage')), undefined)
  t.same(parseEcdsaJws(encodeEcdsaJws(5n, 7n, 32)), { r: 5n, s: 7n })
})

t.test('RSA PSS and PKCS#1 v1.5 over digests match OpenSSL', async (t) => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const msg = Buffer.from('hello')
  const digest = createHash('sha256').update(msg).digest()
  t.equal(maxPssSaltLength(2048, 'sha256'), 222)
  const pss = rsaPssSignDigest(privateKey, 2048, 'sha256', digest, 222, random)
  t.ok(verify('sha256', msg, { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 222 }, pss))
  const native = sign('sha256', msg, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
  t.ok(rsaPssVerifyDigest(publicKey, 2048, 'sha256', digest, native, 0), 'auto-detected salt')
  t.ok(rsaPssVerifyDigest(publicKey, 2048, 'sha256', digest, native, 32))
  t.notOk(rsaPssVerifyDigest(publicKey, 2048, 'sha256', digest, native, 20), 'wrong fixed salt length')
  const p1 = rsaPkcs1SignDigest(privateKey, 2048, 'sha256', digest)
  t.same(p1, sign('sha256', msg, privateKey), 'PKCS#1 v1.5 is deterministic and identical')
  t.ok(rsaPkcs1VerifyDigest(publicKey, 2048, 'sha256', digest, p1))
  t.notOk(rsaPkcs1VerifyDigest(publicKey, 2048, 'sha512', createHash('sha512').update(msg).digest(), p1))
  const raw = rsaPkcs1SignDigest(privateKey, 2048, undefined, Buffer.from('raw input'))
  t.ok(rsaPkcs1VerifyDigest(publicKey, 2048, undefined, Buffer.from('raw input'), raw), 'no DigestInfo with hash none')
})

t.test('AES key wrap with padding (RFC 5649 §6 vectors)', async (t) => {
  const kek = Buffer.from('5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8', 'hex')
  const wrapped = aesKwpWrap(kek, Buffer.from('c37b7e6492584340bed12207808941155068f738', 'hex'))
  t.equal(wrapped.toString('hex'), '138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a')
  t.equal(aesKwpWrap(kek, Buffer.from('466f7250617369', 'hex')).toString('hex'), 'afbeb0f07dfbf5419200f2ccb50bb24f')
  t.equal(aesKwpUnwrap(kek, wrapped).toString('hex'), 'c37b7e6492584340bed12207808941155068f738')
  wrapped[3] ^= 1
  let thrown: unknown
  try { aesKwpUnwrap(kek, wrapped) } catch (err) { thrown = err }
  t.ok(thrown instanceof KeyUnwrapError, 'tampered input is refused')
})
