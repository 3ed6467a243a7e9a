// Exact KV texts (OpenBao builtin/logical/kv, HashiCorp vault-plugin-secrets-kv).
import type { Flavor, Operation } from '../engine.js'

export const NO_DATA = 'no data provided'
export const CAS_MISMATCH = 'check-and-set parameter did not match the current version'
export const CAS_PARSE = 'error parsing check-and-set parameter'
export const CAS_REQUIRED = 'check-and-set parameter required for this call'
export const NO_VERSIONS = 'No version number provided'
// destroy says it in lower case.
export const NO_VERSIONS_DESTROY = 'no version number provided'
export const MISSING_PATH = 'missing path'
export const MISSING_DATA_FIELDS = 'missing data fields'
export const VERSION_DATA_MISSING = 'could not find version data'
export const RESOURCE_MISSING = 'resource does not exist'
export const CAS_MANDATED =
  '"cas_required" set to false, but is mandated by backend config. This value will be ignored.'
export const METADATA_CAS_MANDATED =
  '"metadata_cas_required" set to false, but is mandated by backend config. This value will be ignored.'
export const METADATA_CAS_REQUIRED = 'metadata check-and-set parameter required for this call'
export const METADATA_CAS_NEW = 'metadata_cas must be 0 when creating new metadata'
export const METADATA_CAS_MISMATCH = 'metadata check-and-set parameter does not match the current version'
export const CUSTOM_METADATA_PREFIX = 'custom_metadata validation failed'
export const ROOT_NOT_SUPPORTED = 'Non-listing operations on the root of a K/V v2 mount are not supported.'

/** The warning of the invalid-path fallback, naming the CLI sub-command. */
export function invalidPath (flavor: Flavor, operation: Operation): string {
  const sub = ({
    create: 'put',
    update: 'put',
    patch: 'patch',
    read: 'get',
    head: 'get',
    list: 'list',
    delete: 'delete'
  } as const)[operation]
  const cli = flavor === 'openbao' ? "OpenBao CLI, use 'bao" : "Vault CLI, use 'vault"
  return 'Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API ' +
    `endpoints to use. If using the ${cli} kv ${sub}' for this operation.`
}
