/** AEAD, HChaCha20, HKDF, counter-mode KDF and convergent nonce. */
import t from 'tap'
import { createHmac } from 'node:crypto'
import { aeadOpen, aeadSeal, AeadOpenError, convergentNonce, counterModeKdfSha256, hchacha20, hkdfSha256 } from '../../src/crypto/aead.js'

t.test('HChaCha20 test vector (draft-irtf-cfrg-xchacha-03 §2.2.1)', async (t) => {
  const key = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex')
  const nonce = Buffer.from('000000090000004a0000000031415927', 'hex')
  t.equal(hchacha20(key, nonce).toString('hex'), '82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc')
})

t.test('XChaCha20-Poly1305 AEAD test vector (draft-irtf-cfrg-xchacha-03 §A.3.1)', async (t) => {
  const pt = Buffer.from("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.")
  const aad = Buffer.from('50515253c0c1c2c3c4c5c6c7', 'hex')
  const key = Buffer.from('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f', 'hex')
  const iv = Buffer.from('404142434445464748494a4b4c4d4e4f5051525354555657', 'hex')
  const sealed = aeadSeal('xchacha20-poly1305', key, iv, pt, aad)
  t.equal(sealed.subarray(sealed.length - 16).toString('hex'), 'c0875924c1c7987947deafd8780acf49')
  t.equal(sealed.subarray(0, 16).toString('hex'), 'bd6d179d3e83d43b9576579493c0e939')
  t.same(aeadOpen('xchacha20-poly1305', key, iv, sealed, aad), pt)
})

t.test('open failures carry Go\'s texts', async (t) => {
  const key = Buffer.alloc(32, 1)
  const nonce = Buffer.alloc(12, 2)
  const sealed = aeadSeal('aes-gcm', key, nonce, Buffer.from('x'))
  sealed[0] ^= 1
  t.throws(() => aeadOpen('aes-gcm', key, nonce, sealed), new AeadOpenError('cipher: message authentication failed'))
  t.throws(() => aeadOpen('chacha20-poly1305', key, nonce, Buffer.alloc(3)), new AeadOpenError('chacha20poly1305: message authentication failed'))
})

t.test('HKDF-SHA256 (RFC 5869 A.3: empty salt and info)', async (t) => {
  const ikm = Buffer.alloc(22, 0x0b)
  t.equal(hkdfSha256(ikm, Buffer.alloc(0), 42).toString('hex'),
    '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8')
})

t.test('counter-mode KDF and convergent nonce are HMAC-SHA256 constructions', async (t) => {
  const key = Buffer.alloc(32, 3)
  const ctx = Buffer.from('context')
  const expected = createHmac('sha256', key).update(Buffer.concat([Buffer.from([0, 0, 0, 0]), ctx, Buffer.from([0, 0, 1, 0])])).digest()
  t.same(counterModeKdfSha256(key, ctx), expected)
  t.same(convergentNonce(key, Buffer.from('pt'), 12), createHmac('sha256', key).update('pt').digest().subarray(0, 12))
})
