/**
 * RSA from a RandomSource: key generation whose primes come from the
 * source (same seed, same key) and OAEP encryption whose seed does; both
 * checked against OpenSSL (sign/verify, OAEP decrypt).
 */
import t from 'tap'
import { constants, createHash, privateDecrypt, sign, verify } from 'node:crypto'
import { createSecureRandom, createSeededRandom } from '../../src/crypto/index.js'
import { generateRsaKeyPairFrom } from '../../src/crypto/rsa-keygen.js'
import { rsaOaepEncrypt } from '../../src/crypto/rsa-oaep.js'

t.test('a seeded source gives the same 2048-bit key every time, and OpenSSL accepts it', async (t) => {
  const a = await generateRsaKeyPairFrom(2048, createSeededRandom('rsa'))
  const b = await generateRsaKeyPairFrom(2048, createSeededRandom('rsa'))
  const der = (k: typeof a): string => k.publicKey.export({ type: 'spki', format: 'der' }).toString('hex')
  t.equal(der(a), der(b))
  t.same(a.publicKey.asymmetricKeyDetails, { modulusLength: 2048, publicExponent: 65537n })
  // Pin the key: a change in the search would change every deterministic RSA key.
  t.equal(createHash('sha256').update(der(a), 'hex').digest('hex').slice(0, 16), PINNED_2048)
  const sig = sign('sha256', Buffer.from('message'), a.privateKey)
  t.ok(verify('sha256', Buffer.from('message'), a.publicKey, sig))
  const other = await generateRsaKeyPairFrom(2048, createSeededRandom('other'))
  t.not(der(other), der(a))
})

t.test('sizes and a secure source', async (t) => {
  const k = await generateRsaKeyPairFrom(3072, createSecureRandom())
  t.equal(k.publicKey.asymmetricKeyDetails?.modulusLength, 3072)
  // The private key is consistent (OpenSSL checks p·q = n and the CRT values).
  t.ok(k.privateKey.export({ format: 'jwk' }).d)
  await t.rejects(generateRsaKeyPairFrom(1001, createSecureRandom()), RangeError)
})

t.test('OAEP: OpenSSL decrypts it, and the seed fixes the bytes', async (t) => {
  const { privateKey, publicKey } = await generateRsaKeyPairFrom(2048, createSeededRandom('oaep'))
  for (const hash of ['sha1', 'sha256', 'sha512'] as const) {
    for (const text of ['', 'hello', 'x'.repeat(256 - 2 * (hash === 'sha1' ? 20 : hash === 'sha256' ? 32 : 64) - 2)]) {
      const c = rsaOaepEncrypt(publicKey, 256, hash, Buffer.from(text), createSecureRandom())
      t.equal(c.length, 256)
      const p = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, c)
      t.equal(p.toString(), text, `${hash} ${text.length}`)
    }
  }
  const one = rsaOaepEncrypt(publicKey, 256, 'sha256', Buffer.from('m'), createSeededRandom('s'))
  const two = rsaOaepEncrypt(publicKey, 256, 'sha256', Buffer.from('m'), createSeededRandom('s'))
  t.ok(one.equals(two))
  t.throws(() => rsaOaepEncrypt(publicKey, 256, 'sha256', Buffer.alloc(191), createSecureRandom()), /message too long/)
})

const PINNED_2048 = '5a2dd96d5fdfaba6'
