/**
 * Known-answer tests: ciphertexts, HMACs and signatures produced by a real
 * OpenBao 2.6.2 server for fixed key material (fixtures/transit/
 * openbao-2.6.2-kat.json, made by importing the keys through BYOK) are
 * reproduced byte for byte by the Policy: same nonce in, same bytes out.
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Policy, type StoredPolicy } from '../../../src/engines/transit/policy.js'
import type { KeyType } from '../../../src/engines/transit/key-types.js'
import type { RandomSource } from '../../../src/crypto/random.js'

const fixturePath = fileURLToPath(new URL('../../../../test/fixtures/transit/openbao-2.6.2-kat.json', import.meta.url))
const kat = JSON.parse(readFileSync(fixturePath, 'utf8'))

/** A RandomSource that hands out the given bytes first (the server's nonce). */
function fixedRandom (bytes: Buffer): RandomSource {
  let used = false
  return {
    bytes: (n: number) => {
      if (!used && n === bytes.length) { used = true; return Buffer.from(bytes) }
      return Buffer.alloc(n, 0x42)
    },
    uuid: () => '00000000-0000-4000-8000-000000000000'
  }
}

function policy (type: KeyType, key: string, opts: Partial<StoredPolicy> = {}): Policy {
  return new Policy({
    name: 'kat', type, derived: false, kdf: 1, convergentEncryption: false, convergentVersion: 0,
    exportable: false, deletionAllowed: false, allowPlaintextBackup: false, minDecryptionVersion: 1,
    minEncryptionVersion: 0, latestVersion: 1, minAvailableVersion: 0, autoRotatePeriod: 0, imported: false,
    allowImportedKeyRotation: false, keySize: 0, softDeleted: false, backupInfo: null, restoreInfo: null,
    keys: { 1: { key, hmacKey: key, time: '2024-01-01T00:00:00Z', creationTime: 1704067200, publicKey: '', convergentVersion: opts.convergentEncryption === true ? 3 : 0 } },
    ...opts
  })
}

const nonceOf = (ct: string, size: number): Buffer => Buffer.from(ct.split(':')[2], 'base64').subarray(0, size)
const nonceSize = (type: string): number => type === 'xchacha20-poly1305' ? 24 : 12

t.equal(kat.server, '2.6.2', 'fixtures come from OpenBao 2.6.2')

t.test('symmetric ciphertexts: same key, nonce and plaintext give OpenBao\'s bytes', async (t) => {
  for (const v of kat.symmetric) {
    const p = policy(v.type, v.key)
    const pt = Buffer.from(v.plaintext, 'base64')
    t.equal(p.decrypt(Buffer.alloc(0), v.ciphertext, v.associated_data).toString('base64'), v.plaintext, `${v.type} decrypts`)
    const ct = p.encrypt(0, Buffer.alloc(0), pt, v.associated_data, fixedRandom(nonceOf(v.ciphertext, nonceSize(v.type))))
    t.equal(ct, v.ciphertext, `${v.type} encrypts to the same bytes`)
  }
})

t.test('HKDF-derived keys', async (t) => {
  for (const v of kat.derived) {
    const p = policy(v.type, v.key, { derived: true })
    const ctx = Buffer.from(v.context, 'base64')
    t.equal(p.decrypt(ctx, v.ciphertext, undefined).toString('base64'), v.plaintext, `${v.type} decrypts`)
    const ct = p.encrypt(0, ctx, Buffer.from(v.plaintext, 'base64'), undefined, fixedRandom(nonceOf(v.ciphertext, nonceSize(v.type))))
    t.equal(ct, v.ciphertext, `${v.type} derived encryption matches`)
  }
})

t.test('convergent encryption (v3 nonce) needs no randomness at all', async (t) => {
  for (const v of kat.convergent) {
    const p = policy(v.type, v.key, { derived: true, convergentEncryption: true, convergentVersion: -1 })
    const ct = p.encrypt(0, Buffer.from(v.context, 'base64'), Buffer.from(v.plaintext, 'base64'), v.associated_data, fixedRandom(Buffer.alloc(0)))
    t.equal(ct, v.ciphertext, `${v.type} convergent ciphertext matches`)
  }
})

t.test('imported derived keys use the legacy counter-mode KDF (kdf=0)', async (t) => {
  const v = kat.importedDerived
  t.equal(v.kdf, 'hmac-sha256-counter')
  const p = policy('aes256-gcm96', v.key, { derived: true, kdf: 0, imported: true })
  t.equal(p.decrypt(Buffer.from(v.context, 'base64'), v.ciphertext, undefined).toString('base64'), v.plaintext)
})

t.test('HMAC for every algorithm', async (t) => {
  for (const v of kat.hmac) {
    const p = policy('hmac', v.key, { keySize: 32 })
    const names: Record<string, string> = { sha1: 'sha1', 'sha2-224': 'sha224', 'sha2-256': 'sha256', 'sha2-384': 'sha384', 'sha2-512': 'sha512', 'sha3-224': 'sha3-224', 'sha3-256': 'sha3-256', 'sha3-384': 'sha3-384', 'sha3-512': 'sha3-512' }
    const { createHmac } = await import('node:crypto')
    const mac = createHmac(names[v.algorithm], p.hmacKey(1)).update(Buffer.from(v.input, 'base64')).digest('base64')
    t.equal(`vault:v1:${mac}`, v.hmac, v.algorithm)
  }
})

t.test('ed25519 signatures (pure, derived, jws) are deterministic and match', async (t) => {
  const v = kat.ed25519
  const pub = Buffer.from(v.key, 'base64').subarray(32).toString('base64')
  const p = new Policy({
    ...policy('ed25519', v.key).data,
    keys: { 1: { key: v.key, hmacKey: v.key, time: '2024-01-01T00:00:00Z', creationTime: 0, publicKey: pub, convergentVersion: 0 } }
  })
  const input = Buffer.from(v.input, 'base64')
  const opts = { hash: 'sha256' as const, saltLength: 0, signatureAlgorithm: '' }
  t.equal(p.sign(0, Buffer.alloc(0), input, { ...opts, marshaling: 'asn1' }, fixedRandom(Buffer.alloc(0))).signature, v.signature)
  t.equal(p.sign(0, Buffer.alloc(0), input, { ...opts, marshaling: 'jws' }, fixedRandom(Buffer.alloc(0))).signature, v.signatureJws)
  t.ok(p.verify(Buffer.alloc(0), input, v.signature, { ...opts, marshaling: 'asn1' }))

  const d = v.derived
  const dp = new Policy({
    ...policy('ed25519', d.key, { derived: true }).data,
    keys: { 1: { key: d.key, hmacKey: d.key, time: '2024-01-01T00:00:00Z', creationTime: 0, publicKey: '', convergentVersion: 0 } }
  })
  const ctx = Buffer.from(d.context, 'base64')
  const signed = dp.sign(0, ctx, input, { ...opts, marshaling: 'asn1' }, fixedRandom(Buffer.alloc(0)))
  t.equal(signed.signature, d.signature, 'derived signature matches')
  t.equal(signed.publicKey?.toString('base64'), d.public_key, 'derived public key matches')
  t.equal(dp.derivedEd25519Public(ctx, 1).toString('base64'), d.read_public_key, 'key read ?context= public key matches')
})
