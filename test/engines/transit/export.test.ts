/** export, backup/restore, datakey, rewrap, cache-config over HTTP. */
import t from 'tap'
import { createPrivateKey, createPublicKey } from 'node:crypto'
import { b64, startTransit } from './harness.js'

t.test('export formats per type', async (t) => {
  const h = await startTransit(t)
  for (const type of ['aes256-gcm96', 'rsa-2048', 'ecdsa-p256', 'ed25519', 'hmac']) {
    await h.t('POST', `keys/${type}`, { type, exportable: true, key_size: type === 'hmac' ? 32 : 0 })
  }
  const get = async (path: string): Promise<string> => (await h.t('GET', path)).json.data.keys['1']
  t.equal(Buffer.from(await get('export/encryption-key/aes256-gcm96'), 'base64').length, 32)
  t.equal(Buffer.from(await get('export/hmac-key/aes256-gcm96/latest'), 'base64').length, 32)
  const rsa = await get('export/encryption-key/rsa-2048/v1')
  t.match(rsa, /^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+-----END RSA PRIVATE KEY-----\n$/)
  t.equal(createPrivateKey(rsa).asymmetricKeyType, 'rsa')
  t.match(await get('export/public-key/rsa-2048'), /^-----BEGIN PUBLIC KEY-----[\s\S]+\n$/)
  t.match(await get('export/signing-key/rsa-2048?format=pem'), /^-----BEGIN PRIVATE KEY-----[\s\S]+\n$/)
  const ec = await get('export/signing-key/ecdsa-p256')
  t.match(ec, /^-----BEGIN EC PRIVATE KEY-----[\s\S]+-----END EC PRIVATE KEY-----$/, 'SEC1 PEM without trailing newline')
  const ecPub = await get('export/public-key/ecdsa-p256')
  t.equal(createPublicKey(ecPub).export({ format: 'jwk' }).x, createPublicKey(createPrivateKey(ec)).export({ format: 'jwk' }).x)
  t.equal(createPrivateKey({ key: Buffer.from(await get('export/signing-key/ecdsa-p256?format=der'), 'base64'), format: 'der', type: 'pkcs8' }).asymmetricKeyType, 'ec')
  const ed = Buffer.from(await get('export/signing-key/ed25519'), 'base64')
  t.equal(ed.length, 64)
  t.equal(await get('export/public-key/ed25519'), ed.subarray(32).toString('base64'))
  t.equal(createPublicKey(await get('export/public-key/ed25519?format=pem')).asymmetricKeyType, 'ed25519')
  t.equal(Buffer.from(await get('export/hmac-key/hmac'), 'base64').length, 32)

  const cases: Array<[string, number, string]> = [
    ['export/foo/aes256-gcm96', 400, 'invalid export type: foo'],
    ['export/encryption-key/aes256-gcm96?format=x', 400, 'invalid format: x'],
    ['export/signing-key/aes256-gcm96', 400, 'signing not supported for the key'],
    ['export/encryption-key/ed25519', 400, 'encryption not supported for the key'],
    ['export/encryption-key/aes256-gcm96/x', 400, 'invalid key version'],
    ['export/encryption-key/aes256-gcm96/9', 400, 'version does not exist or cannot be found'],
    ['export/public-key/aes256-gcm96', 500, '1 error occurred:\n\t* unknown key type aes256-gcm96 for export type public-key\n\n'],
    ['export/encryption-key/aes256-gcm96?format=pem', 500, '1 error occurred:\n\t* unknown format for HMAC key; supported values are `` or `raw`\n\n'],
    ['export/public-key/ecdsa-p256?format=raw', 500, '1 error occurred:\n\t* unknown key format for ec key; supported values are ``, `der`, or `pem`\n\n']
  ]
  for (const [path, status, message] of cases) {
    const r = await h.t('GET', path)
    t.same([r.status, r.json.errors], [status, [message]], path)
  }
  t.equal((await h.t('GET', 'export/encryption-key/nope')).status, 404)
  await h.t('POST', 'keys/locked', {})
  t.same((await h.t('GET', 'export/encryption-key/locked')).json.errors, ['private key material is not exportable'])
  await h.t('POST', 'keys/aes256-gcm96/rotate', {})
  await h.t('POST', 'keys/aes256-gcm96/config', { min_decryption_version: 2 })
  t.same((await h.t('GET', 'export/encryption-key/aes256-gcm96/1')).json.errors, ['version for export is below minimum decryption version'])
  t.same(Object.keys((await h.t('GET', 'export/encryption-key/aes256-gcm96')).json.data.keys), ['2'])
})

t.test('backup and restore, in Vault\'s backup format', async (t) => {
  const h = await startTransit(t)
  for (const type of ['aes256-gcm96', 'rsa-2048', 'ecdsa-p384', 'ed25519']) {
    const name = `b-${type}`
    await h.t('POST', `keys/${name}`, { type, exportable: true, allow_plaintext_backup: true })
    await h.t('POST', `keys/${name}/rotate`, {})
    const backup = await h.t('GET', `backup/${name}`)
    t.equal(backup.status, 200, type)
    const doc = JSON.parse(Buffer.from(backup.json.data.backup, 'base64').toString())
    t.match(doc.policy, { name, latest_version: 2, archive_version: 2, Imported: false, version_template: '' })
    t.equal(doc.archived_keys.keys.length, 3, 'archive index 0 is the placeholder')
    t.match((await h.t('GET', `keys/${name}`)).json.data.backup_info, { version: 2 })
    const restored = await h.t('POST', `restore/copy-${type}`, { backup: backup.json.data.backup })
    t.equal(restored.status, 204)
    const copy = await h.t('GET', `keys/copy-${type}`)
    t.match(copy.json.data, { type, latest_version: 2, restore_info: { version: 2 } })
    if (type === 'aes256-gcm96' || type === 'rsa-2048') {
      const ct = (await h.t('POST', `encrypt/${name}`, { plaintext: b64('x') })).json.data.ciphertext
      t.equal((await h.t('POST', `decrypt/copy-${type}`, { ciphertext: ct })).json.data.plaintext, b64('x'))
    } else {
      const sig = (await h.t('POST', `sign/${name}`, { input: b64('x') })).json.data.signature
      t.equal((await h.t('POST', `verify/copy-${type}`, { input: b64('x'), signature: sig })).json.data.valid, true)
    }
    const again = await h.t('POST', `restore/copy-${type}`, { backup: backup.json.data.backup })
    t.same([again.status, again.json.errors], [500, [`1 error occurred:\n\t* key "copy-${type}" already exists\n\n`]])
    t.equal((await h.t('POST', `restore/copy-${type}`, { backup: backup.json.data.backup, force: true })).status, 204)
  }
  await h.t('POST', 'keys/plain', {})
  t.same((await h.t('GET', 'backup/plain')).json.errors, ['1 error occurred:\n\t* exporting is disallowed on the policy\n\n'])
  await h.t('POST', 'keys/plain/config', { exportable: true })
  t.same((await h.t('GET', 'backup/plain')).json.errors, ['1 error occurred:\n\t* plaintext backup is disallowed on the policy\n\n'])
  t.same((await h.t('GET', 'backup/zz')).json.errors, ['1 error occurred:\n\t* key "zz" not found\n\n'])
  t.same((await h.t('POST', 'restore', {})).json.errors, ["'backup' must be supplied"])
  t.same((await h.t('POST', 'restore', { backup: '!!' })).json.errors, ['1 error occurred:\n\t* illegal base64 data at input byte 0\n\n'])
  t.equal((await h.t('POST', 'restore', { backup: b64('{}') })).status, 500, 'a backup without a policy is refused, not a crash')
  t.same((await h.t('POST', 'restore/a/b', { backup: b64('{}') })).json.errors, ['1 error occurred:\n\t* key names cannot be paths\n\n'])
})

t.test('datakey', async (t) => {
  const h = await startTransit(t)
  await h.t('POST', 'keys/k', {})
  const pt = await h.t('POST', 'datakey/plaintext/k', { bits: 512 })
  t.equal(Buffer.from(pt.json.data.plaintext, 'base64').length, 64)
  t.equal((await h.t('POST', 'decrypt/k', { ciphertext: pt.json.data.ciphertext })).json.data.plaintext, pt.json.data.plaintext)
  const wrapped = await h.t('POST', 'datakey/wrapped/k', {})
  t.same(Object.keys(wrapped.json.data).sort(), ['ciphertext', 'key_version'])
  const cases: Array<[string, unknown, string]> = [
    ['datakey/foo/k', {}, "Invalid path, must be 'plaintext' or 'wrapped'"],
    ['datakey/plaintext/k', { bits: 100 }, 'invalid bit length'],
    ['datakey/plaintext/k', { context: '!' }, 'failed to base64-decode context'],
    ['datakey/plaintext/nope', {}, 'encryption key not found'],
    ['datakey/plaintext/k', { key_version: 3 }, 'requested version for encryption is higher than the latest key version']
  ]
  for (const [path, body, message] of cases) {
    const r = await h.t('POST', path, body)
    t.same([r.status, r.json.errors], [400, [message]], `${path} ${JSON.stringify(body)}`)
  }
  await h.t('POST', 'keys/r', { type: 'rsa-2048' })
  t.same((await h.t('POST', 'datakey/plaintext/r', { associated_data: b64('a') })).json.errors, ["'associated_data' provided for non-AEAD cipher suite rsa-2048"])
})

t.test('rewrap', async (t) => {
  const h = await startTransit(t)
  await h.t('POST', 'keys/k', { derived: true })
  const ctx = b64('c')
  const ct = (await h.t('POST', 'encrypt/k', { plaintext: b64('x'), context: ctx })).json.data.ciphertext
  await h.t('POST', 'keys/k/rotate', {})
  const r = await h.t('POST', 'rewrap/k', { ciphertext: ct, context: ctx })
  t.match(r.json.data, { key_version: 2, ciphertext: /^vault:v2:/ })
  t.equal((await h.t('POST', 'decrypt/k', { ciphertext: r.json.data.ciphertext, context: ctx })).json.data.plaintext, b64('x'))
  const v1 = await h.t('POST', 'rewrap/k', { ciphertext: r.json.data.ciphertext, context: ctx, key_version: 1 })
  t.match(v1.json.data.ciphertext, /^vault:v1:/)
  const batch = await h.t('POST', 'rewrap/k', { batch_input: [{ ciphertext: ct, context: ctx, reference: 'a' }, { ciphertext: 'vault:v1:AAAA', context: ctx }, { ciphertext: '', context: ctx }] })
  t.equal(batch.status, 200, 'rewrap batches always answer 200')
  t.match(batch.json.data.batch_results, [{ key_version: 2, reference: 'a' }, { error: 'invalid ciphertext length', reference: '' }, { error: 'missing ciphertext to decrypt', reference: '' }])
  t.same((await h.t('POST', 'rewrap/k', {})).json.errors, ['missing ciphertext to decrypt'])
  t.same((await h.t('POST', 'rewrap/nope', { ciphertext: ct })).json.errors, ['encryption key not found'])
  t.same((await h.t('POST', 'rewrap/k', { ciphertext: ct })).json.errors.length, 1)
})

t.test('cache-config', async (t) => {
  const h = await startTransit(t)
  t.same((await h.t('GET', 'cache-config')).json.data, { size: 0 })
  t.same((await h.t('POST', 'cache-config', { size: 5 })).json.errors, ['size must be 0 or a value greater or equal to 10'])
  t.same((await h.t('POST', 'cache-config', { size: 20 })).json.data, { size: 20 })
  t.same((await h.t('GET', 'cache-config')).json.data, { size: 20 })
})
