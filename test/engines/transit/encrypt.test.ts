/** encrypt/decrypt over HTTP: shapes, auto-create, batches, strict base64, error texts. */
import t from 'tap'
import { b64, startTransit } from './harness.js'

t.test('encrypt and decrypt round trip for every symmetric and RSA type', async (t) => {
  const h = await startTransit(t)
  for (const type of ['aes128-gcm96', 'aes256-gcm96', 'chacha20-poly1305', 'xchacha20-poly1305', 'rsa-2048']) {
    const created = await h.t('POST', `keys/k-${type}`, { type })
    t.equal(created.status, 200, `${type} created`)
    const enc = await h.t('POST', `encrypt/k-${type}`, { plaintext: b64('hello world') })
    t.equal(enc.status, 200)
    t.match(enc.json.data, { key_version: 1 })
    t.match(enc.json.data.ciphertext, /^vault:v1:[A-Za-z0-9+/]+=*$/)
    const dec = await h.t('POST', `decrypt/k-${type}`, { ciphertext: enc.json.data.ciphertext })
    t.equal(dec.status, 200)
    t.same(dec.json.data, { plaintext: b64('hello world') })
  }
  const empty = await h.t('POST', 'encrypt/k-aes256-gcm96', { plaintext: '' })
  t.equal(empty.status, 200, 'empty plaintext is valid')
  const back = await h.t('POST', 'decrypt/k-aes256-gcm96', { ciphertext: empty.json.data.ciphertext })
  t.same(back.json.data, { plaintext: '' }, 'decrypt of empty plaintext still has the field')
})

t.test('blob layout: nonce in front, GCM tag at the end', async (t) => {
  const h = await startTransit(t)
  await h.t('POST', 'keys/a', {})
  const enc = await h.t('POST', 'encrypt/a', { plaintext: b64('12345') })
  const blob = Buffer.from(enc.json.data.ciphertext.split(':')[2], 'base64')
  t.equal(blob.length, 12 + 5 + 16)
  await h.t('POST', 'keys/x', { type: 'xchacha20-poly1305' })
  const encX = await h.t('POST', 'encrypt/x', { plaintext: b64('12345') })
  t.equal(Buffer.from(encX.json.data.ciphertext.split(':')[2], 'base64').length, 24 + 5 + 16)
})

t.test('encrypt creates a missing key; derived when context is sent', async (t) => {
  const h = await startTransit(t)
  const enc = await h.t('POST', 'encrypt/auto', { plaintext: b64('x') })
  t.equal(enc.status, 200)
  const key = await h.t('GET', 'keys/auto')
  t.equal(key.json.data.type, 'aes256-gcm96')
  t.equal(key.json.data.derived, false)
  await h.t('POST', 'encrypt/auto-derived', { plaintext: b64('x'), context: b64('ctx'), type: 'chacha20-poly1305' })
  const derived = await h.t('GET', 'keys/auto-derived')
  t.match(derived.json.data, { type: 'chacha20-poly1305', derived: true, kdf: 'hkdf_sha256', convergent_encryption: false })
  const ecdsa = await h.t('POST', 'encrypt/nope', { plaintext: b64('x'), type: 'ecdsa-p256' })
  t.same([ecdsa.status, ecdsa.json.errors], [400, ['key type ecdsa-p256 not supported for this operation']])
  const unknown = await h.t('POST', 'encrypt/nope', { plaintext: b64('x'), type: 'rsa-2048' })
  t.same([unknown.status, unknown.json.errors], [400, ['unknown key type rsa-2048']])
  const conv = await h.t('POST', 'encrypt/nope', { plaintext: b64('x'), convergent_encryption: true })
  t.same([conv.status, conv.json.errors], [400, ['convergent encryption requires derivation to be enabled, so context is required']])
  t.equal((await h.t('GET', 'keys/nope')).status, 404, 'failed creates leave no key')
})

t.test('disable_upsert: a missing key is 400 encryption key not found', async (t) => {
  const h = await startTransit(t)
  const cfg = await h.t('POST', 'config/keys', { disable_upsert: true })
  t.same(cfg.json.data, { disable_upsert: true })
  const enc = await h.t('POST', 'encrypt/missing', { plaintext: b64('x') })
  t.same([enc.status, enc.json.errors], [400, ['encryption key not found']])
  t.same((await h.t('GET', 'config/keys')).json.data, { disable_upsert: true })
})

t.test('strict base64 and single-mode errors', async (t) => {
  const h = await startTransit(t)
  await h.t('POST', 'keys/k', {})
  const cases: Array<[unknown, number, string]> = [
    [{ plaintext: 'aGVsbG8' }, 400, 'illegal base64 data at input byte 4'],
    [{ plaintext: 'aGV$bG8=' }, 400, 'illegal base64 data at input byte 3'],
    [{ plaintext: 'aGVsbG8=x' }, 400, 'illegal base64 data at input byte 8'],
    [{}, 400, 'missing plaintext to encrypt'],
    [{ batch_input: [] }, 400, 'missing batch input to process'],
    [{ plaintext: b64('x'), key_version: -1 }, 400, 'requested version for encryption is negative'],
    [{ plaintext: b64('x'), key_version: 2 }, 400, 'requested version for encryption is higher than the latest key version'],
    [{ plaintext: b64('x'), associated_data: 'a' }, 500, '1 error occurred:\n\t* unable to get associated_data/additional_data from factory[0]: illegal base64 data at input byte 0\n\n']
  ]
  for (const [body, status, message] of cases) {
    const r = await h.t('POST', 'encrypt/k', body)
    t.same([r.status, r.json.errors], [status, [message]], JSON.stringify(body))
  }
  const ok = await h.t('POST', 'encrypt/k', { plaintext: 'aGVs\nbG8=' })
  t.equal(ok.status, 200, 'embedded newlines are ignored as Go does')
  const items = await h.t('POST', 'encrypt/k', { batch_input: [{ plaintext: 5 }] })
  t.same([items.status, items.json.errors], [500, ["1 error occurred:\n\t* failed to parse batch input: '[0].plaintext' expected type 'string', got unconvertible type 'json.Number'\n\n"]])
})

t.test('decrypt errors: tampered, truncated, foreign ciphertexts are 400', async (t) => {
  const h = await startTransit(t)
  await h.t('POST', 'keys/k', {})
  await h.t('POST', 'keys/c', { type: 'chacha20-poly1305' })
  const enc = (await h.t('POST', 'encrypt/k', { plaintext: b64('secret') })).json.data.ciphertext as string
  const blob = Buffer.from(enc.slice(9), 'base64')
  blob[blob.length - 1] ^= 1
  const cases: Array<[string, string, string]> = [
    ['k', 'vault:v1:' + blob.toString('base64'), 'cipher: message authentication failed'],
    ['c', enc, 'chacha20poly1305: message authentication failed'],
    ['k', 'vault:v1:AAAA', 'invalid ciphertext length'],
    ['k', 'nope', 'invalid ciphertext: no prefix'],
    ['k', 'vault:v1', 'invalid ciphertext: wrong number of fields'],
    ['k', 'vault:vx:AAAA', 'invalid ciphertext: version number could not be decoded'],
    ['k', 'vault:v2:AAAA', 'invalid ciphertext: version is too new'],
    ['k', 'vault:v1:!!!!', 'invalid ciphertext: could not decode base64'],
    ['k', enc.slice(0, -4), 'cipher: message authentication failed']
  ]
  for (const [key, ciphertext, message] of cases) {
    const r = await h.t('POST', `decrypt/${key}`, { ciphertext })
    t.same([r.status, r.json.errors], [400, [message]], ciphertext)
  }
  const v0 = await h.t('POST', 'decrypt/k', { ciphertext: enc.replace('vault:v1:', 'vault:v0:') })
  t.equal(v0.status, 200, 'version 0 reads as version 1')
  const missing = await h.t('POST', 'decrypt/none', { ciphertext: enc })
  t.same([missing.status, missing.json.errors], [400, ['encryption key not found']])
  const none = await h.t('POST', 'decrypt/k', {})
  t.same([none.status, none.json.errors], [400, ['missing ciphertext to decrypt']])
})

t.test('derived keys need a context; associated data binds', async (t) => {
  const h = await startTransit(t)
  await h.t('POST', 'keys/d', { derived: true })
  const noCtx = await h.t('POST', 'encrypt/d', { plaintext: b64('x') })
  t.equal(noCtx.status, 400)
  t.match(noCtx.json.errors[0], /^missing 'context' for key derivation; the key was created using a derived key/)
  const enc = await h.t('POST', 'encrypt/d', { plaintext: b64('x'), context: b64('a'), associated_data: b64('aad') })
  const ct = enc.json.data.ciphertext
  t.equal((await h.t('POST', 'decrypt/d', { ciphertext: ct, context: b64('a'), associated_data: b64('aad') })).json.data.plaintext, b64('x'))
  const wrongCtx = await h.t('POST', 'decrypt/d', { ciphertext: ct, context: b64('b'), associated_data: b64('aad') })
  t.same([wrongCtx.status, wrongCtx.json.errors], [400, ['cipher: message authentication failed']])
  const noAad = await h.t('POST', 'decrypt/d', { ciphertext: ct, context: b64('a') })
  t.equal(noAad.status, 400)
  const badCtx = await h.t('POST', 'decrypt/d', { ciphertext: ct, context: 'a' })
  t.same([badCtx.status, badCtx.json.errors], [400, ['illegal base64 data at input byte 0']])
})

t.test('convergent encryption is deterministic per context', async (t) => {
  const h = await startTransit(t)
  await h.t('POST', 'keys/c', { derived: true, convergent_encryption: true })
  const key = await h.t('GET', 'keys/c')
  t.match(key.json.data, { convergent_encryption: true, convergent_encryption_version: -1 })
  const a = await h.t('POST', 'encrypt/c', { plaintext: b64('same'), context: b64('ctx') })
  const b = await h.t('POST', 'encrypt/c', { plaintext: b64('same'), context: b64('ctx') })
  const c = await h.t('POST', 'encrypt/c', { plaintext: b64('same'), context: b64('other') })
  t.equal(a.json.data.ciphertext, b.json.data.ciphertext)
  t.not(a.json.data.ciphertext, c.json.data.ciphertext)
})

t.test('batch: per-item errors, raw status, references, partial_failure_response_code', async (t) => {
  const h = await startTransit(t)
  await h.t('POST', 'keys/k', {})
  const ok = await h.t('POST', 'encrypt/k', { batch_input: [{ plaintext: b64('a'), reference: 'r1' }, { plaintext: b64('b') }] })
  t.equal(ok.status, 200)
  t.match(ok.json.data.batch_results, [{ key_version: 1, reference: 'r1' }, { key_version: 1, reference: '' }])
  t.match(ok.text, /"batch_results":\[\{"ciphertext":"vault:v1:[^"]+","key_version":1,"reference":"r1"\}/, 'Go struct field order')

  const bad = await h.t('POST', 'encrypt/k', { batch_input: [{ plaintext: b64('a') }, { plaintext: 'x' }] })
  t.equal(bad.status, 400)
  t.notOk('errors' in bad.json, 'no errors key in a raw-status body')
  t.same(bad.json.data.batch_results[1], { error: 'illegal base64 data at input byte 0', reference: '' })
  t.ok(bad.json.request_id)
  t.notOk(bad.text.endsWith('\n'), 'raw-status bodies have no trailing newline')

  const partial = await h.t('POST', 'encrypt/k', { batch_input: [{ plaintext: b64('a') }, { plaintext: 'x' }], partial_failure_response_code: 207 })
  t.equal(partial.status, 207)
  const allBad = await h.t('POST', 'encrypt/k', { batch_input: [{ plaintext: 'x' }], partial_failure_response_code: 207 })
  t.equal(allBad.status, 400, 'override only when something succeeded')
  const outOfRange = await h.t('POST', 'encrypt/k', { batch_input: [{ plaintext: b64('a') }, { plaintext: 'x' }], partial_failure_response_code: 600 })
  t.equal(outOfRange.status, 400)
  t.same(outOfRange.json.warnings, ['invalid HTTP response code override from partial_failure_response_code, reverting to 400'])

  const mixed = await h.t('POST', 'encrypt/k', { batch_input: [{ plaintext: b64('a'), context: b64('c') }, { plaintext: b64('b') }] })
  t.same([mixed.status, mixed.json.errors], [400, ['context should be set either in all the request blocks or in none']])

  const cts = ok.json.data.batch_results.map((r: { ciphertext: string }) => ({ ciphertext: r.ciphertext }))
  const dec = await h.t('POST', 'decrypt/k', { batch_input: [...cts, { ciphertext: 'vault:v1:AAAA', reference: 'z' }] })
  t.equal(dec.status, 400)
  t.same(dec.json.data.batch_results, [
    { plaintext: b64('a'), reference: '' },
    { plaintext: b64('b'), reference: '' },
    { plaintext: '', error: 'invalid ciphertext length', reference: 'z' }
  ])
})

t.test('associated_data on RSA: item error that does not fail the batch', async (t) => {
  const h = await startTransit(t)
  await h.t('POST', 'keys/r', { type: 'rsa-2048' })
  const r = await h.t('POST', 'encrypt/r', { batch_input: [{ plaintext: b64('a'), associated_data: b64('x') }] })
  t.equal(r.status, 200)
  t.same(r.json.data.batch_results, [{ error: "'[0].associated_data' provided for non-AEAD cipher suite rsa-2048", reference: '' }])
  const single = await h.t('POST', 'encrypt/r', { plaintext: b64('a'), associated_data: b64('x') })
  t.same([single.status, single.json.errors], [400, ["'[0].associated_data' provided for non-AEAD cipher suite rsa-2048"]])
  const long = await h.t('POST', 'encrypt/r', { plaintext: b64('x'.repeat(191)) })
  t.same([long.status, long.json.errors], [500, ['1 error occurred:\n\t* failed to RSA encrypt the plaintext: crypto/rsa: message too long for RSA key size\n\n']])
})

t.test('existence check: update-only policy cannot auto-create', async (t) => {
  const h = await startTransit(t)
  await h.t('POST', 'keys/exists', {})
  const pol = await h.raw('POST', 'sys/policies/acl/upd', { policy: 'path "transit/encrypt/*" { capabilities = ["update"] }' })
  t.equal(pol.status, 204)
  const tok = await h.raw('POST', 'auth/token/create', { policies: ['upd'] })
  const token = tok.json.auth.client_token as string
  const denied = await h.t('POST', 'encrypt/new-key', { plaintext: b64('x') }, token)
  t.same([denied.status, denied.json.errors], [403, ['1 error occurred:\n\t* permission denied\n\n']])
  const allowed = await h.t('POST', 'encrypt/exists', { plaintext: b64('x') }, token)
  t.equal(allowed.status, 200, 'update suffices for an existing key')
})
