/**
 * Two servers, one key: material moved by export + BYOK import or by
 * backup/restore must decrypt, verify and HMAC the same way on both. Runs
 * when a second server is given (VAULT_ADDR_2, or the second in-process
 * localvault), in both directions.
 */
import { constants, createCipheriv, publicEncrypt, randomBytes } from 'node:crypto'
import type { Area, CaseDef, Ctx, Target } from '../lib/harness.js'
import { dataOf, expectNoContent, expectOk, expectTrue } from '../lib/expect.js'
import { S } from '../lib/shape.js'
import { newKey, transitMount } from './transit.js'

const cases: CaseDef[] = []
function c (endpoint: string, title: string, run: CaseDef['run']): void {
  cases.push({ endpoint, title, run, cross: true })
}

const TR = { mountType: 'transit' }
const b64 = (s: string): string => Buffer.from(s).toString('base64')

function second (ctx: Ctx): Target {
  if (ctx.t2 === undefined) throw new Error('cross-server case without a second server')
  return ctx.t2
}

/** Both directions: [from, to]. */
function pairs (ctx: Ctx): Array<[Target, Target]> {
  const t2 = second(ctx)
  return [[ctx.t, t2], [t2, ctx.t]]
}

function dataFrom (res: { json: unknown }): Record<string, unknown> {
  return (res.json as { data: Record<string, unknown> }).data
}

/** Vault's BYOK format: RSA-OAEP(SHA-256) of an ephemeral AES key, then AES-KWP (RFC 5649) of the material. */
async function wrapForImport (ctx: Ctx, to: Target, material: Buffer): Promise<string> {
  const mount = await transitMount(ctx, to)
  const res = await to.api.get(`${mount}/wrapping_key`)
  expectOk(res, 'wrapping_key')
  const pem = String(dataFrom(res).public_key)
  const ephemeral = randomBytes(32)
  const wrappedKey = publicEncrypt({ key: pem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, ephemeral)
  const kwp = createCipheriv('id-aes256-wrap-pad', ephemeral, Buffer.from('A65959A6', 'hex'))
  const wrapped = Buffer.concat([kwp.update(material), kwp.final()])
  return Buffer.concat([wrappedKey, wrapped]).toString('base64')
}

async function exportKey (from: Target, mount: string, kind: string, name: string): Promise<Buffer> {
  const res = await from.api.get(`${mount}/export/${kind}/${name}/1`)
  expectOk(res, `export ${kind}`)
  return Buffer.from(String((dataFrom(res).keys as Record<string, string>)['1']), 'base64')
}

async function backupTo (ctx: Ctx, from: Target, to: Target, body: Record<string, unknown>): Promise<{ fromMount: string, toMount: string, name: string }> {
  const { mount, name } = await newKey(ctx, { exportable: true, allow_plaintext_backup: true, ...body }, from)
  const backup = await from.api.get(`${mount}/backup/${name}`)
  expectOk(backup, 'backup')
  const toMount = await transitMount(ctx, to)
  expectNoContent(await to.api.post(`${toMount}/restore/${name}`, { backup: dataFrom(backup).backup }))
  return { fromMount: mount, toMount, name }
}

c('POST :transit/keys/:name/import', 'an AES key exported from one server and imported into the other decrypts both ways', async (ctx) => {
  for (const [from, to] of pairs(ctx)) {
    const { mount, name } = await newKey(ctx, { exportable: true }, from)
    const material = await exportKey(from, mount, 'encryption-key', name)
    const toMount = await transitMount(ctx, to)
    expectNoContent(await to.api.post(`${toMount}/keys/${name}/import`, {
      ciphertext: await wrapForImport(ctx, to, material), type: 'aes256-gcm96', hash_function: 'SHA256'
    }))
    const a = await from.api.post(`${mount}/encrypt/${name}`, { plaintext: b64('from A') })
    expectOk(a, 'encrypt on source')
    const dec = await to.api.post(`${toMount}/decrypt/${name}`, { ciphertext: dataFrom(a).ciphertext })
    expectTrue(dataFrom(dec)?.plaintext === b64('from A'), `${to.label} decrypts ${from.label}'s ciphertext: ${dec.text}`)
    const b = await to.api.post(`${toMount}/encrypt/${name}`, { plaintext: b64('from B') })
    const back = await from.api.post(`${mount}/decrypt/${name}`, { ciphertext: dataFrom(b).ciphertext })
    expectTrue(dataFrom(back)?.plaintext === b64('from B'), `${from.label} decrypts ${to.label}'s ciphertext: ${back.text}`)
  }
})

c('POST :transit/keys/:name/import', 'an ed25519 key imported as PKCS#8 signs and verifies across', async (ctx) => {
  for (const [from, to] of pairs(ctx)) {
    const { mount, name } = await newKey(ctx, { type: 'ed25519', exportable: true }, from)
    const seedAndPublic = await exportKey(from, mount, 'signing-key', name)
    const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seedAndPublic.subarray(0, 32)])
    const toMount = await transitMount(ctx, to)
    expectNoContent(await to.api.post(`${toMount}/keys/${name}/import`, {
      ciphertext: await wrapForImport(ctx, to, pkcs8), type: 'ed25519'
    }))
    const sig = await from.api.post(`${mount}/sign/${name}`, { input: b64('signed') })
    dataOf({ ...ctx, t: to }, await to.api.post(`${toMount}/verify/${name}`, { input: b64('signed'), signature: dataFrom(sig).signature }), { valid: true }, TR)
    const sig2 = await to.api.post(`${toMount}/sign/${name}`, { input: b64('back') })
    dataOf({ ...ctx, t: from }, await from.api.post(`${mount}/verify/${name}`, { input: b64('back'), signature: dataFrom(sig2).signature }), { valid: true }, TR)
  }
})

c('POST :transit/restore/:name', 'a backup restores on the other server and decrypts the source\'s ciphertext', async (ctx) => {
  for (const [from, to] of pairs(ctx)) {
    const { fromMount, toMount, name } = await backupTo(ctx, from, to, {})
    const a = await from.api.post(`${fromMount}/encrypt/${name}`, { plaintext: b64('backed up') })
    dataOf({ ...ctx, t: to }, await to.api.post(`${toMount}/decrypt/${name}`, { ciphertext: dataFrom(a).ciphertext }), { plaintext: b64('backed up') }, TR)
    const key = await to.api.get(`${toMount}/keys/${name}`)
    dataOf({ ...ctx, t: to }, key, S.loose({ name, restore_info: { time: S.rfc3339, version: 1 }, exportable: true }), TR)
  }
})

c('POST :transit/hmac/:name', 'after a restore, HMACs match and verify across servers', async (ctx) => {
  for (const [from, to] of pairs(ctx)) {
    const { fromMount, toMount, name } = await backupTo(ctx, from, to, {})
    const h1 = dataFrom(await from.api.post(`${fromMount}/hmac/${name}/sha2-512`, { input: b64('mac me') })).hmac
    const h2 = dataFrom(await to.api.post(`${toMount}/hmac/${name}/sha2-512`, { input: b64('mac me') })).hmac
    expectTrue(typeof h1 === 'string' && h1 === h2, `same HMAC on both: ${String(h1)} vs ${String(h2)}`)
    dataOf({ ...ctx, t: to }, await to.api.post(`${toMount}/verify/${name}/sha2-512`, { input: b64('mac me'), hmac: h1 }), { valid: true }, TR)
  }
})

c('POST :transit/verify/:name', 'after a restore, ed25519 and ecdsa signatures verify across servers', async (ctx) => {
  for (const [from, to] of pairs(ctx)) {
    for (const type of ['ed25519', 'ecdsa-p256']) {
      const { fromMount, toMount, name } = await backupTo(ctx, from, to, { type })
      const sig = dataFrom(await from.api.post(`${fromMount}/sign/${name}`, { input: b64('m') })).signature
      dataOf({ ...ctx, t: to }, await to.api.post(`${toMount}/verify/${name}`, { input: b64('m'), signature: sig }), { valid: true }, TR)
    }
  }
})

export const crossServerArea: Area = { name: 'cross-server', cases }
