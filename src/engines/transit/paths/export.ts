// export/:type/:name(/:version) — key material out, when the key allows it (path_export.go).
import type { KeyObject } from 'node:crypto'
import { NAME_PATTERN, type EngineRequest, type EngineResponse, type PathSpec } from '../../engine.js'
import { isEcdsa, isRsa, isSymmetric, supportsEncryption, supportsSigning } from '../key-types.js'
import { ERR_SOFT_DELETED } from '../messages.js'
import { ed25519FromSeed, goAtoi, type Policy } from '../policy.js'
import { badRequest, internal, type TransitContext } from './common.js'

const EXPORT_TYPES = new Set(['encryption-key', 'signing-key', 'hmac-key', 'public-key', 'certificate-chain'])
const FORMATS = new Set(['', 'raw', 'der', 'pem'])
const SYMMETRIC_FORMAT_ERROR = 'unknown format for HMAC key; supported values are `` or `raw`'
const RSA_FORMAT_ERROR = 'unknown key format for rsa key; supported values are ``, `der`, or `pem`'
const EC_FORMAT_ERROR = 'unknown key format for ec key; supported values are ``, `der`, or `pem`'

function pem (key: KeyObject, type: 'pkcs1' | 'pkcs8' | 'sec1' | 'spki', trim: boolean): string {
  const text = key.export({ type: type as 'pkcs8', format: 'pem' }) as string
  return trim ? text.trim() : text
}

function der (key: KeyObject, type: 'pkcs8' | 'spki'): string {
  return (key.export({ type: type as 'pkcs8', format: 'der' })).toString('base64')
}

function rsaPrivate (p: Policy, ver: number, format: string): string {
  if (format === 'raw') throw internal(RSA_FORMAT_ERROR)
  const key = p.exportObjects(ver).rsaPrivate
  if (key === undefined) return ''
  if (format === '') return pem(key, 'pkcs1', false)
  return format === 'der' ? der(key, 'pkcs8') : pem(key, 'pkcs8', false)
}

/** getExportKey: one version's value for an export type and format. */
function exportKey (p: Policy, ver: number, exportType: string, format: string): string {
  const entry = p.version(ver)
  const type = p.type
  if (exportType === 'hmac-key') {
    if (format === 'der' || format === 'pem') throw internal(SYMMETRIC_FORMAT_ERROR)
    return type === 'hmac' ? entry.key ?? '' : entry.hmacKey
  }
  if (exportType === 'encryption-key') {
    if (isSymmetric(type)) {
      if (format === 'der' || format === 'pem') throw internal(SYMMETRIC_FORMAT_ERROR)
      return entry.key ?? ''
    }
    if (isRsa(type)) return rsaPrivate(p, ver, format)
  } else if (exportType === 'signing-key') {
    if (isEcdsa(type)) {
      if (format === 'raw') throw internal(EC_FORMAT_ERROR)
      const key = p.exportObjects(ver).ecPrivate
      if (key === undefined) return ''
      if (format === '') return pem(key, 'sec1', true)
      return format === 'der' ? der(key, 'pkcs8') : pem(key, 'pkcs8', true)
    }
    if (type === 'ed25519') {
      if (entry.key === undefined || entry.key === '') return ''
      if (format === '' || format === 'raw') return entry.key
      const key = ed25519FromSeed(Buffer.from(entry.key, 'base64').subarray(0, 32))
      return format === 'der' ? der(key, 'pkcs8') : pem(key, 'pkcs8', true)
    }
    if (isRsa(type)) return rsaPrivate(p, ver, format)
  } else if (exportType === 'public-key') {
    if (isEcdsa(type)) {
      if (format === 'raw') throw internal(EC_FORMAT_ERROR)
      const key = p.exportObjects(ver).ecPublic as KeyObject
      return format === 'der' ? der(key, 'spki') : pem(key, 'spki', true)
    }
    if (type === 'ed25519') {
      const pub = entry.publicKey.trim()
      if (format === '' || format === 'raw') return pub
      const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(pub, 'base64')])
      if (format === 'der') return spki.toString('base64')
      return `-----BEGIN PUBLIC KEY-----\n${spki.toString('base64')}\n-----END PUBLIC KEY-----`
    }
    if (isRsa(type)) {
      if (format === 'raw') throw internal(RSA_FORMAT_ERROR)
      const key = p.exportObjects(ver).rsaPublic as KeyObject
      return format === 'der' ? der(key, 'spki') : pem(key, 'spki', false)
    }
  } else if (exportType === 'certificate-chain') {
    // LIMITATION: certificate chains (keys/:name/set-certificate) are not
    // emulated, so no version ever has one; Vault answers the same error then.
    throw internal('selected key version does not have a certificate chain imported')
  }
  throw internal(`unknown key type ${type} for export type ${exportType}`)
}

function exportRead (ctx: TransitContext, req: EngineRequest): EngineResponse | null {
  const exportType = req.params.type
  const version = req.params.version ?? ''
  const format = req.data.get<string>('format')
  if (!EXPORT_TYPES.has(exportType)) throw badRequest(`invalid export type: ${exportType}`)
  if (!FORMATS.has(format)) throw badRequest(`invalid format: ${format}`)
  const p = ctx.keyring.get(req.params.name)
  if (p === undefined) return null
  if (!p.data.exportable && exportType !== 'public-key' && exportType !== 'certificate-chain') {
    throw badRequest('private key material is not exportable')
  }
  if (p.data.softDeleted) throw internal(ERR_SOFT_DELETED)
  if (exportType === 'encryption-key' && !supportsEncryption(p.type)) throw badRequest('encryption not supported for the key')
  if (exportType === 'signing-key' && !supportsSigning(p.type)) throw badRequest('signing not supported for the key')
  if (exportType === 'certificate-chain' && !supportsSigning(p.type)) {
    throw badRequest('certificate chain not supported for keys that do not support signing')
  }

  const keys: Record<string, string> = {}
  if (version === '') {
    for (const v of p.liveVersions()) keys[String(v)] = exportKey(p, v, exportType, format)
  } else {
    const v = version === 'latest' ? p.latestVersion : goAtoi(version.startsWith('v') ? version.slice(1) : version)
    if (v === undefined) throw badRequest('invalid key version')
    if (v < p.data.minDecryptionVersion) throw badRequest('version for export is below minimum decryption version')
    if (p.data.keys[String(v)] === undefined) throw badRequest('version does not exist or cannot be found')
    keys[String(v)] = exportKey(p, v, exportType, format)
  }
  return { data: { name: p.name, type: p.type, keys } }
}

export function exportPaths (ctx: TransitContext): PathSpec[] {
  return [{
    pattern: `export/(?<type>${NAME_PATTERN})/(?<name>${NAME_PATTERN})(?:/(?<version>.+))?`,
    fields: { type: { type: 'string' }, name: { type: 'string' }, version: { type: 'string' }, format: { type: 'string' } },
    operations: { read: (req) => exportRead(ctx, req) }
  }]
}
