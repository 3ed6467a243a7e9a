/** keys/: create per type, read shapes, list, delete, config, rotate, trim, soft-delete, auto-rotation. */
import t from 'tap'
import { startTransit } from './harness.js'

t.test('create and read: the key object per type', async (t) => {
  const h = await startTransit(t)
  const sym = await h.t('POST', 'keys/s', {})
  t.equal(sym.status, 200)
  t.same(Object.keys(sym.json.data).sort(), ['allow_plaintext_backup', 'auto_rotate_period', 'deletion_allowed', 'derived', 'exportable',
    'imported_key', 'keys', 'latest_version', 'min_available_version', 'min_decryption_version', 'min_encryption_version', 'name',
    'soft_deleted', 'supports_decryption', 'supports_derivation', 'supports_encryption', 'supports_signing', 'type'])
  t.type(sym.json.data.keys['1'], 'number', 'symmetric versions map to Unix seconds')
  const again = await h.t('POST', 'keys/s', { type: 'rsa-2048' })
  t.same([again.status, again.json.warnings, again.json.data.type], [200, null, 'aes256-gcm96'], 'existing key returned unchanged, no warning (as OpenBao 2.6.2)')

  for (const [type, name] of [['ecdsa-p256', 'P-256'], ['ecdsa-p384', 'P-384'], ['ecdsa-p521', 'P-521'], ['rsa-2048', 'rsa-2048'], ['ed25519', 'ed25519']]) {
    const r = await h.t('POST', `keys/${type}`, { type })
    t.equal(r.status, 200, type)
    const v = r.json.data.keys['1']
    t.same(Object.keys(v).sort(), ['certificate_chain', 'creation_time', 'name', 'public_key'])
    t.equal(v.name, name)
    t.match(v.creation_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/)
    if (type === 'ed25519') t.equal(Buffer.from(v.public_key, 'base64').length, 32)
    else t.match(v.public_key, /^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/)
    t.same([r.json.data.supports_signing, r.json.data.supports_derivation], [true, type === 'ed25519'])
  }
  const hmac = await h.t('POST', 'keys/h', { type: 'hmac', key_size: 48 })
  t.same([hmac.json.data.key_size, 'keys' in hmac.json.data, hmac.json.data.supports_encryption], [48, false, false])

  const derived = await h.t('POST', 'keys/ed-d', { type: 'ed25519', derived: true })
  t.equal(derived.json.data.keys['1'].public_key, '', 'derived ed25519 publishes no key without context')
  const withCtx = await h.t('GET', 'keys/ed-d?context=' + encodeURIComponent(Buffer.from('c').toString('base64')))
  t.equal(Buffer.from(withCtx.json.data.keys['1'].public_key, 'base64').length, 32)
  const badCtx = await h.t('GET', 'keys/ed-d?context=!')
  t.same([badCtx.status, badCtx.json.errors], [400, ['failed to base64-decode context']])
  t.same((await h.t('GET', 'keys/missing')).status, 404)
})

t.test('vault flavor: no soft_deleted, hybrid_public_key present, no xchacha', async (t) => {
  const h = await startTransit(t, { flavor: 'vault' })
  const r = await h.t('POST', 'keys/e', { type: 'ed25519' })
  t.notOk('soft_deleted' in r.json.data)
  t.equal(r.json.data.keys['1'].hybrid_public_key, '')
  const x = await h.t('POST', 'keys/x', { type: 'xchacha20-poly1305' })
  t.same([x.status, x.json.errors], [400, ['unknown key type xchacha20-poly1305']])
  t.equal((await h.t('DELETE', 'keys/e/soft-delete')).status, 404)
})

t.test('create errors', async (t) => {
  const h = await startTransit(t)
  const cases: Array<[unknown, number, string]> = [
    [{ auto_rotate_period: '30m' }, 400, 'auto rotate period must be 0 to disable or at least an hour'],
    [{ convergent_encryption: true }, 400, 'convergent encryption requires derivation to be enabled'],
    [{ type: 'foo' }, 400, 'unknown key type foo'],
    [{ key_size: 64 }, 400, 'key_size is not valid for algorithm aes256-gcm96'],
    [{ type: 'hmac', key_size: 16 }, 400, 'invalid key_size 16'],
    [{ type: 'hmac' }, 500, '1 error occurred:\n\t* invalid key size for HMAC key, must be between 32 and 512 bytes\n\n'],
    [{ type: 'ecdsa-p256', derived: true }, 500, '1 error occurred:\n\t* key derivation and convergent encryption not supported for keys of type ecdsa-p256\n\n'],
    [{ type: 'ed25519', derived: true, convergent_encryption: true }, 500, '1 error occurred:\n\t* convergent encryption not supported for keys of type ed25519\n\n']
  ]
  for (const [body, status, message] of cases) {
    const r = await h.t('POST', 'keys/bad', body)
    t.same([r.status, r.json.errors], [status, [message]], JSON.stringify(body))
  }
  t.equal((await h.t('GET', 'keys/bad')).status, 404)
})

t.test('list, delete', async (t) => {
  const h = await startTransit(t)
  t.equal((await h.t('LIST', 'keys')).status, 404, 'no keys is a 404')
  for (const n of ['b', 'a', 'c']) await h.t('POST', `keys/${n}`, {})
  t.same((await h.t('LIST', 'keys')).json.data.keys, ['a', 'b', 'c'])
  t.same((await h.t('GET', 'keys?list=true&after=a&limit=1')).json.data.keys, ['b'])
  const denied = await h.t('DELETE', 'keys/a')
  t.same([denied.status, denied.json.errors], [400, ['error deleting policy a: deletion is not allowed for this key']])
  const missing = await h.t('DELETE', 'keys/zz')
  t.same([missing.status, missing.json.errors], [400, ['error deleting policy zz: could not delete key; not found']])
  await h.t('POST', 'keys/a/config', { deletion_allowed: true })
  t.equal((await h.t('DELETE', 'keys/a')).status, 204)
  t.equal((await h.t('GET', 'keys/a')).status, 404)
})

t.test('config, rotate, min versions and trim', async (t) => {
  const h = await startTransit(t)
  await h.t('POST', 'keys/k', {})
  const ct1 = (await h.t('POST', 'encrypt/k', { plaintext: 'eA==' })).json.data.ciphertext
  for (let i = 0; i < 3; i++) t.equal((await h.t('POST', 'keys/k/rotate', {})).status, 200)
  const rotated = await h.t('GET', 'keys/k')
  t.same(Object.keys(rotated.json.data.keys), ['1', '2', '3', '4'])
  t.equal(rotated.json.data.latest_version, 4)
  t.match((await h.t('POST', 'encrypt/k', { plaintext: 'eA==' })).json.data.ciphertext, /^vault:v4:/)

  const forced = await h.t('POST', 'keys/k/config', { min_decryption_version: 0 })
  t.same(forced.json.warnings, ['since Vault 0.3 (prior to the OpenBao fork), transit key numbering starts at 1; forcing minimum to 1'])
  const cfg = await h.t('POST', 'keys/k/config', { min_decryption_version: 2, min_encryption_version: 3, exportable: true })
  t.equal(cfg.status, 200)
  t.same(Object.keys(cfg.json.data.keys), ['2', '3', '4'], 'versions below min_decryption_version are not listed')
  t.match(cfg.json.data, { min_decryption_version: 2, min_encryption_version: 3, exportable: true })
  t.equal((await h.t('POST', 'keys/k/config', { exportable: false })).json.data.exportable, true, 'exportable cannot be switched off')
  const old = await h.t('POST', 'decrypt/k', { ciphertext: ct1 })
  t.same([old.status, old.json.errors], [400, ['ciphertext or signature version is disallowed by policy (too old)']])
  const low = await h.t('POST', 'encrypt/k', { plaintext: 'eA==', key_version: 2 })
  t.same(low.json.errors, ['requested version for encryption is less than the minimum encryption key version'])

  const errors: Array<[unknown, string]> = [
    [{ min_decryption_version: -1 }, 'min decryption version cannot be negative'],
    [{ min_decryption_version: 9 }, 'cannot set min decryption version of 9, latest key version is 4'],
    [{ min_encryption_version: -1 }, 'min encryption version cannot be negative'],
    [{ min_encryption_version: 9 }, 'cannot set min encryption version of 9, latest key version is 4'],
    [{ min_decryption_version: 4 }, 'cannot set min encryption/decryption values; min encryption version of 3 must be greater than or equal to min decryption version of 4'],
    [{ auto_rotate_period: 60 }, 'auto rotate period must be 0 to disable or at least an hour']
  ]
  for (const [body, message] of errors) {
    const r = await h.t('POST', 'keys/k/config', body)
    t.same([r.status, r.json.errors], [400, [message]], JSON.stringify(body))
  }
  t.same((await h.t('POST', 'keys/nope/config', {})).json.errors, ['no existing key named nope could be found'])
  t.same((await h.t('POST', 'keys/nope/rotate', {})).json.errors, ['key not found'])

  const trimErrors: Array<[unknown, string]> = [
    [{}, 'missing min_available_version'],
    [{ min_available_version: 3 }, 'minimum available version cannot be greater than minimum decryption version'],
    [{ min_available_version: 0 }, 'minimum available version should be positive']
  ]
  for (const [body, message] of trimErrors) {
    const r = await h.t('POST', 'keys/k/trim', body)
    t.same([r.status, r.json.errors], [400, [message]], JSON.stringify(body))
  }
  t.same((await h.t('POST', 'keys/nope/trim', { min_available_version: 1 })).json.errors, ['invalid key name'])
  const trimmed = await h.t('POST', 'keys/k/trim', { min_available_version: 2 })
  t.equal(trimmed.json.data.min_available_version, 2)
  t.same((await h.t('POST', 'keys/k/trim', { min_available_version: 1 })).json.errors, ['minimum available version cannot be decremented'])
  const below = await h.t('POST', 'keys/k/config', { min_decryption_version: 1 })
  t.same([below.status, below.json.errors], [400, ['min decryption version should not be less then min available version']])
  const fresh = await h.t('POST', 'keys/fresh/trim', { min_available_version: 1 })
  t.equal(fresh.status, 400)
})

t.test('auto-rotation follows the engine clock', async (t) => {
  const h = await startTransit(t)
  await h.t('POST', 'keys/auto', { auto_rotate_period: '1h' })
  t.equal((await h.t('GET', 'keys/auto')).json.data.auto_rotate_period, 3600)
  h.core.tick()
  t.equal((await h.t('GET', 'keys/auto')).json.data.latest_version, 1, 'not yet due')
  h.clock.advance(3601 * 1000)
  h.core.tick()
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.equal((await h.t('GET', 'keys/auto')).json.data.latest_version, 2, 'rotated once the period passed')
  h.core.tick()
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.equal((await h.t('GET', 'keys/auto')).json.data.latest_version, 2, 'the new version restarts the period')
  await h.t('POST', 'keys/auto/config', { auto_rotate_period: 0 })
  h.clock.advance(7200 * 1000)
  h.core.tick()
  t.equal((await h.t('GET', 'keys/auto')).json.data.latest_version, 2, 'disabled')
})

t.test('soft-delete (OpenBao) refuses use until restored', async (t) => {
  const h = await startTransit(t)
  await h.t('POST', 'keys/k', {})
  const del = await h.t('DELETE', 'keys/k/soft-delete')
  t.same([del.status, del.json.data.soft_deleted], [200, true])
  t.same((await h.t('DELETE', 'keys/k/soft-delete')).json.warnings, ['key was already marked as soft deleted'])
  const enc = await h.t('POST', 'encrypt/k', { plaintext: 'eA==' })
  t.same([enc.status, enc.json.errors], [400, ['refusing to use soft-deleted key']])
  const restored = await h.t('POST', 'keys/k/soft-delete-restore', {})
  t.same([restored.status, restored.json.data.soft_deleted], [200, false])
  t.equal((await h.t('POST', 'encrypt/k', { plaintext: 'eA==' })).status, 200)
})
