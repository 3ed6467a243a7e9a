// The key object transit returns on read, create, config, rotate and trim (path_keys.go formatKeyPolicy).
import type { Flavor } from '../engine.js'
import { isEcdsa, isRsa, isSymmetric, supportsDerivation, supportsEncryption, supportsSigning } from './key-types.js'
import { internalError, type Policy } from './policy.js'

function curveName (type: string): string {
  if (type === 'ecdsa-p384') return 'P-384'
  if (type === 'ecdsa-p521') return 'P-521'
  return 'P-256'
}

/** The `data` of a key read; `context` (decoded) fills derived ed25519 public keys. */
export function formatKey (p: Policy, flavor: Flavor, context?: Buffer): Record<string, unknown> {
  const d = p.data
  const out: Record<string, unknown> = {
    name: d.name,
    type: d.type,
    derived: d.derived,
    deletion_allowed: d.deletionAllowed,
    min_available_version: d.minAvailableVersion,
    min_decryption_version: d.minDecryptionVersion,
    min_encryption_version: d.minEncryptionVersion,
    latest_version: d.latestVersion,
    exportable: d.exportable,
    allow_plaintext_backup: d.allowPlaintextBackup,
    supports_encryption: supportsEncryption(d.type),
    supports_decryption: supportsEncryption(d.type),
    supports_signing: supportsSigning(d.type),
    supports_derivation: supportsDerivation(d.type),
    auto_rotate_period: d.autoRotatePeriod,
    imported_key: d.imported
  }
  if (flavor === 'openbao') out.soft_deleted = d.softDeleted
  if (d.keySize !== 0) out.key_size = d.keySize
  if (d.imported) out.imported_key_allow_rotation = d.allowImportedKeyRotation
  if (d.backupInfo !== null) out.backup_info = { time: d.backupInfo.time, version: d.backupInfo.version }
  if (d.restoreInfo !== null) out.restore_info = { time: d.restoreInfo.time, version: d.restoreInfo.version }
  if (d.derived) {
    if (d.kdf === 0) {
      out.kdf = 'hmac-sha256-counter'
      out.kdf_mode = 'hmac-sha256-counter'
    } else {
      out.kdf = 'hkdf_sha256'
    }
    out.convergent_encryption = d.convergentEncryption
    if (d.convergentEncryption) out.convergent_encryption_version = d.convergentVersion
  }

  const versions = p.liveVersions()
  if (isSymmetric(d.type)) {
    const keys: Record<string, number> = {}
    for (const v of versions) keys[String(v)] = d.keys[String(v)].creationTime
    out.keys = keys
  } else if (isEcdsa(d.type) || isRsa(d.type) || d.type === 'ed25519') {
    const keys: Record<string, unknown> = {}
    for (const v of versions) {
      const entry = d.keys[String(v)]
      let publicKey = entry.publicKey
      let name = d.type
      if (isEcdsa(d.type)) {
        name = curveName(d.type) as typeof name
      } else if (isRsa(d.type)) {
        publicKey = p.rsaPublicPem(v)
      } else if (d.derived) {
        if (context === undefined || context.length === 0) {
          publicKey = ''
        } else {
          try {
            publicKey = p.derivedEd25519Public(context, v).toString('base64')
          } catch (err) {
            throw internalError(`failed to derive key to return public component: ${(err as Error).message}`)
          }
        }
      }
      const item: Record<string, unknown> = {
        certificate_chain: '',
        creation_time: entry.time,
        name,
        public_key: publicKey
      }
      // Vault's asymKey struct also carries the (empty) hybrid public key.
      if (flavor === 'vault') item.hybrid_public_key = ''
      keys[String(v)] = item
    }
    out.keys = keys
  }
  return out
}
