// Transit's exact error texts (OpenBao builtin/logical/transit, sdk/helper/keysutil).

export const ERR_TOO_OLD = 'ciphertext or signature version is disallowed by policy (too old)'
export const ERR_SOFT_DELETED = 'refusing to use soft-deleted key'
export const MISSING_CONTEXT = "missing 'context' for key derivation; the key was created using a derived key, " +
  'which means additional, per-request information must be included in order to perform operations with the key'
export const ENCRYPTION_KEY_NOT_FOUND = 'encryption key not found'
export const CONTEXT_MIXED = 'context should be set either in all the request blocks or in none'
export const MISSING_BATCH = 'missing batch input to process'
export const AUTO_ROTATE_TOO_SHORT = 'auto rotate period must be 0 to disable or at least an hour'
export const FAILED_CONTEXT_DECODE = 'failed to base64-decode context'

export function nonAeadAssociatedData (index: number | undefined, type: string): string {
  return index === undefined
    ? `'associated_data' provided for non-AEAD cipher suite ${type}`
    : `'[${index}].associated_data' provided for non-AEAD cipher suite ${type}`
}

export function unknownKeyType (type: string): string {
  return `unknown key type ${type}`
}

/** The warning keys/config adds when min_decryption_version 0 is forced to 1. */
export function minDecryptionForcedWarning (openbao: boolean): string {
  return openbao
    ? 'since Vault 0.3 (prior to the OpenBao fork), transit key numbering starts at 1; forcing minimum to 1'
    : 'since Vault 0.3, transit key numbering starts at 1; forcing minimum to 1'
}
