/**
 * auth/token/roles and roles/:role_name (token_store.go tokenStoreRole*,
 * with sdk/helper/tokenutil's token_* fields).
 */
import type { EngineRequest, EngineResponse, PathSpec } from '../../../engines/engine.js'
import { NAME_PATTERN } from '../../../engines/engine.js'
import type { FieldSpecs } from '../../../engines/fields.js'
import { VaultError } from '../../../errors/index.js'
import { removeDuplicates, sanitizePolicies } from '../policies.js'
import type { TokenRole, TokenStore } from '../token-store.js'

const ROLE_FIELDS: FieldSpecs = {
  role_name: { type: 'string' },
  allowed_policies: { type: 'commaStringSlice' },
  disallowed_policies: { type: 'commaStringSlice' },
  allowed_policies_glob: { type: 'commaStringSlice' },
  disallowed_policies_glob: { type: 'commaStringSlice' },
  orphan: { type: 'bool' },
  period: { type: 'duration' },
  path_suffix: { type: 'string' },
  explicit_max_ttl: { type: 'duration' },
  renewable: { type: 'bool', default: true },
  bound_cidrs: { type: 'commaStringSlice' },
  allowed_entity_aliases: { type: 'commaStringSlice' },
  token_bound_cidrs: { type: 'commaStringSlice' },
  token_explicit_max_ttl: { type: 'duration' },
  token_period: { type: 'duration' },
  token_type: { type: 'string', default: 'default-service' },
  token_no_default_policy: { type: 'bool' },
  token_num_uses: { type: 'int' }
}

// Vault's pathSuffixSanitize, used unanchored: the suffix need only contain a match.
const PATH_SUFFIX = /\w[\w-.]+\w/
const TOKEN_TYPES = ['service', 'batch', 'default-service', 'default-batch'] as const

function readRole (role: TokenRole): Record<string, unknown> {
  const data: Record<string, unknown> = {
    allowed_entity_aliases: role.allowed_entity_aliases,
    allowed_policies: role.allowed_policies,
    allowed_policies_glob: role.allowed_policies_glob,
    disallowed_policies: role.disallowed_policies,
    disallowed_policies_glob: role.disallowed_policies_glob,
    explicit_max_ttl: role.explicit_max_ttl,
    name: role.name,
    orphan: role.orphan,
    path_suffix: role.path_suffix,
    period: role.period,
    renewable: role.renewable,
    token_explicit_max_ttl: role.token_explicit_max_ttl,
    token_no_default_policy: role.token_no_default_policy,
    token_period: role.token_period,
    token_type: role.token_type
  }
  if (role.token_num_uses > 0) data.token_num_uses = role.token_num_uses
  return data
}

function writeRole (store: TokenStore, req: EngineRequest): EngineResponse | null {
  const name = req.params.role_name
  const d = req.data
  const isCreate = req.operation === 'create'
  const role: TokenRole = store.role(name) ?? {
    name,
    allowed_policies: [],
    disallowed_policies: [],
    allowed_policies_glob: [],
    disallowed_policies_glob: [],
    orphan: false,
    renewable: false,
    path_suffix: '',
    allowed_entity_aliases: null,
    period: 0,
    explicit_max_ttl: 0,
    token_period: 0,
    token_explicit_max_ttl: 0,
    token_type: 'default-service',
    token_no_default_policy: false,
    token_num_uses: 0
  }
  // On update only the supplied fields change; a create starts from the defaults.
  const pick = (field: string): boolean => d.has(field) || isCreate
  if (pick('orphan')) role.orphan = d.get<boolean>('orphan')
  if (pick('renewable')) role.renewable = d.get<boolean>('renewable')
  if (pick('path_suffix')) {
    const suffix = d.get<string>('path_suffix')
    if (suffix !== '' && !PATH_SUFFIX.test(suffix)) {
      throw VaultError.invalidRequest(`given role path suffix contains invalid characters; must match ${PATH_SUFFIX.source}`)
    }
    role.path_suffix = suffix
  }
  if (role.path_suffix.includes('..')) {
    throw VaultError.invalidRequest('error registering path suffix: path cannot contain parent references')
  }
  if (pick('allowed_policies')) role.allowed_policies = sanitizePolicies(d.get<string[]>('allowed_policies'), false)
  if (pick('disallowed_policies')) role.disallowed_policies = removeDuplicates(d.get<string[]>('disallowed_policies'), true)
  if (pick('allowed_policies_glob')) role.allowed_policies_glob = sanitizePolicies(d.get<string[]>('allowed_policies_glob'), false)
  if (pick('disallowed_policies_glob')) role.disallowed_policies_glob = removeDuplicates(d.get<string[]>('disallowed_policies_glob'), true)

  if (Object.hasOwn(d.raw, 'token_type')) {
    const raw = d.raw.token_type
    if (raw === null) throw VaultError.invalidRequest("Invalid 'token_type' value: null")
    const text = d.get<string>('token_type')
    const type = TOKEN_TYPES.find((t) => t === text)
    if (type === undefined) throw VaultError.invalidRequest(`invalid 'token_type' value ${JSON.stringify(text)}`)
    role.token_type = type
  }
  // LIMITATION: requests carry no client address here, so CIDR-bound tokens
  // cannot be enforced; roles asking for them are refused with a 400.
  if (d.get<string[]>('token_bound_cidrs').length > 0 || d.get<string[]>('bound_cidrs').length > 0) {
    throw VaultError.invalidRequest('token_bound_cidrs is not supported by localvault')
  }
  if (d.has('token_explicit_max_ttl')) role.token_explicit_max_ttl = d.get<number>('token_explicit_max_ttl')
  if (d.has('token_no_default_policy')) role.token_no_default_policy = d.get<boolean>('token_no_default_policy')
  if (d.has('token_period')) role.token_period = d.get<number>('token_period')
  if (d.has('token_num_uses')) {
    role.token_num_uses = d.get<number>('token_num_uses')
    if (role.token_num_uses < 0) throw VaultError.invalidRequest("error parsing role fields: 'token_num_uses' cannot be negative")
  }
  if ((role.token_type === 'batch' || role.token_type === 'default-batch')) {
    if (role.token_period !== 0) throw VaultError.invalidRequest("error parsing role fields: 'token_type' cannot be 'batch' or 'default_batch' when set to generate periodic tokens")
    if (role.token_num_uses !== 0) throw VaultError.invalidRequest("error parsing role fields: 'token_type' cannot be 'batch' or 'default_batch' when set to generate tokens with limited use count")
  }

  const warnings: string[] = []
  // Deprecated fields: the token_* form wins when both are given.
  if (!d.has('token_period')) {
    if (d.has('period')) {
      role.period = d.get<number>('period')
      role.token_period = role.period
    }
  } else {
    if (d.has('period')) warnings.push("Both 'token_period' and deprecated 'period' value supplied, ignoring the deprecated value")
    role.period = 0
  }
  if (!d.has('token_explicit_max_ttl')) {
    if (d.has('explicit_max_ttl')) {
      role.explicit_max_ttl = d.get<number>('explicit_max_ttl')
      role.token_explicit_max_ttl = role.explicit_max_ttl
    }
  } else {
    if (d.has('explicit_max_ttl')) warnings.push("Both 'token_explicit_max_ttl' and deprecated 'explicit_max_ttl' value supplied, ignoring the deprecated value")
    role.explicit_max_ttl = 0
  }
  const finalExplicitMax = role.token_explicit_max_ttl
  if (finalExplicitMax !== 0 && finalExplicitMax > req.mount.maxLeaseTtl) {
    warnings.push(`Given explicit max TTL of ${finalExplicitMax} is greater than system/mount allowed value of ${req.mount.maxLeaseTtl} seconds; until this is fixed attempting to create tokens against this role will result in an error`)
  }

  if (role.token_type === 'batch') {
    if (!role.orphan) throw VaultError.invalidRequest("'token_type' cannot be 'batch' when role is set to generate non-orphan tokens")
    if (role.period !== 0 || role.token_period !== 0) throw VaultError.invalidRequest("'token_type' cannot be 'batch' when role is set to generate periodic tokens")
    if (role.renewable) throw VaultError.invalidRequest("'token_type' cannot be 'batch' when role is set to generate renewable tokens")
    if (role.explicit_max_ttl !== 0 || role.token_explicit_max_ttl !== 0) throw VaultError.invalidRequest("'token_type' cannot be 'batch' when role is set to generate tokens with an explicit max TTL")
  }
  if (d.has('allowed_entity_aliases')) role.allowed_entity_aliases = removeDuplicates(d.get<string[]>('allowed_entity_aliases'), true)

  store.saveRole(role)
  return warnings.length > 0 ? { warnings } : null
}

export function rolePaths (store: TokenStore): PathSpec[] {
  return [
    {
      pattern: 'roles/?',
      operations: { list: () => ({ data: { keys: store.roles() } }) }
    },
    {
      pattern: `roles/(?<role_name>${NAME_PATTERN})`,
      fields: ROLE_FIELDS,
      existenceCheck: (req) => store.role(req.params.role_name) !== undefined,
      operations: {
        read: (req) => {
          const role = store.role(req.params.role_name)
          return role === undefined ? null : { data: readRole(role) }
        },
        create: (req) => writeRole(store, req),
        update: (req) => writeRole(store, req),
        delete: (req) => {
          store.deleteRole(req.params.role_name)
          return null
        }
      }
    }
  ]
}
