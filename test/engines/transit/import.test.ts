/** BYOK: wrapping_key, keys/:name/import and import_version, with material wrapped as Vault's docs describe. */
import t from 'tap'
import { constants, createCipheriv, generateKeyPairSync, publicEncrypt, randomBytes } from 'node:crypto'
import { b64, startTransit, type TransitHarness } from './harness.js'

async function wrap (h: TransitHarness, material: Buffer, hash = 'sha256'): Promise<string> {
  const pem = (await h.t('GET', 'wrapping_key')).json.data.public_key as string
  const eph = randomBytes(32)
  const wrappedEph = publicEncrypt({ key: pem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, eph)
  const kwp = createCipheriv('id-aes256-wrap-pad', eph, Buffer.from('a65959a6', 'hex'))
  return Buffer.concat([wrappedEph, kwp.update(material), kwp.final()]).toString('base64')
}

t.test('wrapping key is a per-mount RSA-4096 key, listed under import/', async (t) => {
  const h = await startTransit(t)
  const pem = (await h.t('GET', 'wrapping_key')).json.data.public_key
  t.match(pem, /^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/)
  t.equal((await h.t('GET', 'wrapping_key')).json.data.public_key, pem, 'stable')
  t.same((await h.t('LIST', 'keys')).json.data.keys, ['import/'], 'as OpenBao 2.6.2 lists it')
})

t.test('import symmetric, asymmetric and public-only keys', async (t) => {
  const h = await startTransit(t)
  const aes = randomBytes(32)
  t.equal((await h.t('POST', 'keys/aes/import', { ciphertext: await wrap(h, aes, 'sha512'), hash_function: 'SHA512', exportable: true })).status, 204)
  const read = (await h.t('GET', 'keys/aes')).json.data
  t.match(read, { imported_key: true, imported_key_allow_rotation: false, type: 'aes256-gcm96' })
  t.equal((await h.t('GET', 'export/encryption-key/aes/1')).json.data.keys['1'], aes.toString('base64'))
  t.same((await h.t('POST', 'keys/aes/rotate', {})).json.errors, ['1 error occurred:\n\t* imported key aes does not allow rotation within Vault\n\n'])

  const aes2 = randomBytes(32)
  t.equal((await h.t('POST', 'keys/aes/import_version', { ciphertext: await wrap(h, aes2) })).status, 204)
  t.equal((await h.t('GET', 'export/encryption-key/aes/2')).json.data.keys['2'], aes2.toString('base64'))

  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  t.equal((await h.t('POST', 'keys/ecpub/import', { type: 'ecdsa-p256', public_key: ec.publicKey.export({ type: 'spki', format: 'pem' }) })).status, 204)
  const sign = await h.t('POST', 'sign/ecpub', { input: b64('x') })
  t.same([sign.status, sign.json.errors], [500, ['1 error occurred:\n\t* requested version for signing does not contain a private part\n\n']])
  const priv = ec.privateKey.export({ type: 'pkcs8', format: 'der' })
  t.equal((await h.t('POST', 'keys/ecpub/import_version', { ciphertext: await wrap(h, priv), version: 1 })).status, 204)
  t.equal((await h.t('POST', 'sign/ecpub', { input: b64('x') })).status, 200, 'private half added to version 1')

  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'der' })
  t.equal((await h.t('POST', 'keys/rsa/import', { type: 'RSA-2048', ciphertext: await wrap(h, rsa), allow_rotation: true })).status, 204)
  t.equal((await h.t('POST', 'keys/rsa/rotate', {})).json.data.imported_key, false, 'rotation clears imported_key as Vault does')

  const errors: Array<[string, unknown, number, string]> = [
    ['keys/aes/import', { ciphertext: 'AAAA' }, 500, '1 error occurred:\n\t* the import path cannot be used with an existing key; use import-version to rotate an existing imported key\n\n'],
    ['keys/n/import', { ciphertext: 'AAAA', type: 'foo' }, 400, 'unknown key type: foo'],
    ['keys/n/import', { ciphertext: 'AAAA' }, 500, '1 error occurred:\n\t* provided ciphertext is too short\n\n'],
    ['keys/n/import', { ciphertext: 'AAAA', hash_function: 'MD5' }, 400, 'unknown hash function: MD5'],
    ['keys/n/import', { ciphertext: 'AAAA', convergent_encryption: true }, 500, '1 error occurred:\n\t* import cannot be used on keys with convergent encryption enabled\n\n'],
    ['keys/n/import', { ciphertext: 'AAAA', auto_rotate_period: '2h' }, 500, '1 error occurred:\n\t* allow_rotation must be set to true if auto-rotation is enabled\n\n'],
    ['keys/n/import', { type: 'aes256-gcm96', public_key: 'x' }, 500, '1 error occurred:\n\t* provided type does not support public_key import\n\n'],
    ['keys/n/import_version', { ciphertext: 'AAAA' }, 500, '1 error occurred:\n\t* no key found with name n; to import a new key, use the import/ endpoint\n\n']
  ]
  for (const [path, body, status, message] of errors) {
    const r = await h.t('POST', path, body)
    t.same([r.status, r.json.errors], [status, [message]], `${path} ${JSON.stringify(body)}`)
  }
  const short = await h.t('POST', 'keys/n/import', { ciphertext: await wrap(h, randomBytes(16)) })
  t.same(short.json.errors, ['1 error occurred:\n\t* error importing key: invalid key size 16 bytes for key type aes256-gcm96\n\n'])
  await h.t('POST', 'keys/native', {})
  t.same((await h.t('POST', 'keys/native/import_version', { ciphertext: 'AAAA' })).json.errors, ['1 error occurred:\n\t* the import_version endpoint can only be used with an imported key\n\n'])
})
