/**
 * auth/token/create, create-orphan and create/:role_name (token_store.go
 * handleCreateCommon, resolveTokenPolicies, parseAndMergeTTLPeriod), with
 * the lease registration the core does after it (request_handling.go).
 */
import { DurationError, parseDurationSeconds } from '../../../engines/duration.js'
import type { EngineRequest, EngineResponse, PathSpec } from '../../../engines/engine.js'
import type { FieldSpecs } from '../../../engines/fields.js'
import { NAME_PATTERN } from '../../../engines/engine.js'
import { VaultError } from '../../../errors/index.js'
import { NON_ASSIGNABLE, type PolicyStore } from '../../../policy/index.js'
import { authBlock } from '../auth-block.js'
import { containsGlob, isSubset, removeDuplicates, sanitizePolicies } from '../policies.js'
import type { TokenEntry, TokenRole, TokenStore } from '../token-store.js'
import { calculateTtl } from '../ttl.js'

export const CREATE_FIELDS: FieldSpecs = {
  display_name: { type: 'string' },
  explicit_max_ttl: { type: 'string' },
  entity_alias: { type: 'string' },
  num_uses: { type: 'int' },
  period: { type: 'string' },
  renewable: { type: 'bool', default: true },
  ttl: { type: 'string' },
  lease: { type: 'string' },
  type: { type: 'string' },
  no_default_policy: { type: 'bool' },
  id: { type: 'string' },
  meta: { type: 'kvPairs' },
  no_parent: { type: 'bool' },
  policies: { type: 'stringSlice' }
}

const CUSTOM_ID_WARNING = 'Supplying a custom ID for the token uses the weaker SHA1 hashing instead of the more secure SHA2-256 HMAC for token obfuscation. SHA1 hashed tokens on the wire leads to less secure lookups.'

const fail = (message: string): VaultError => VaultError.invalidRequest(message)

/** parseutil.ParseDurationSecond on a string field; Vault answers the parser's text. */
function duration (text: string): number {
  try {
    return parseDurationSeconds(text)
  } catch (err) {
    if (err instanceof DurationError) throw fail(err.message)
    throw err
  }
}

function resolvePolicies (req: EngineRequest, role: TokenRole | undefined, parent: TokenEntry,
  isSudo: boolean): string[] {
  let policies = req.data.get<string[]>('policies')
  const noDefault = req.data.get<boolean>('no_default_policy')
  let addDefault = false

  if (role !== undefined && (role.allowed_policies.length > 0 || role.disallowed_policies.length > 0 ||
    role.allowed_policies_glob.length > 0 || role.disallowed_policies_glob.length > 0)) {
    // Roles with allowed/disallowed lists set their own policy rules.
    const localAddDefault = !noDefault && !role.token_no_default_policy &&
      !role.disallowed_policies.includes('default') && !containsGlob(role.disallowed_policies_glob, 'default')
    let final: string[] = policies.length > 0 ? sanitizePolicies(policies, localAddDefault) : []
    if (role.allowed_policies.length > 0 || role.allowed_policies_glob.length > 0) {
      const allowed = sanitizePolicies(role.allowed_policies, localAddDefault)
      if (final.length === 0) {
        final = allowed
      } else {
        const allowedGlob = sanitizePolicies(role.allowed_policies_glob, false)
        for (const p of final) {
          if (!allowed.includes(p) && !containsGlob(allowedGlob, p)) {
            throw fail(`token policies (${goQuotedList(final)}) must be subset of the role's allowed policies (${goQuotedList(allowed)}) or glob policies (${goQuotedList(allowedGlob)})`)
          }
        }
      }
    } else if (final.length === 0) {
      final = sanitizePolicies(parent.policies, localAddDefault)
    }
    if (role.disallowed_policies.length > 0 || role.disallowed_policies_glob.length > 0) {
      const disallowed = removeDuplicates(role.disallowed_policies, true)
      const disallowedGlob = removeDuplicates(role.disallowed_policies_glob, true)
      for (const p of final) {
        if (disallowed.includes(p) || containsGlob(disallowedGlob, p)) {
          throw fail(`token policy ${JSON.stringify(p)} is disallowed by this role`)
        }
      }
    }
    policies = final
  } else if (policies.length === 0) {
    // No policies asked for: inherit the parent's ("default" only if it has it).
    policies = sanitizePolicies(parent.policies, false)
  } else if (!isSudo) {
    const input = sanitizePolicies(policies, false)
    const parentPolicies = sanitizePolicies(parent.policies, false)
    if (!isSubset(parentPolicies, input)) throw fail('child policies must be subset of parent')
    if (!noDefault && parent.policies.includes('default')) addDefault = true
  } else {
    addDefault = !noDefault
  }

  let final = sanitizePolicies(policies, addDefault)
  if (noDefault) final = final.filter((p) => p !== 'default')
  for (const p of final) {
    if (NON_ASSIGNABLE.includes(p)) throw fail(`cannot assign policy ${JSON.stringify(p)}`)
  }
  return final
}

/** Go's %q of a []string: ["a" "b"]. */
function goQuotedList (items: readonly string[]): string {
  return `[${items.map((i) => JSON.stringify(i)).join(' ')}]`
}

/** Vault's displayNameSanitize: `token-<name>` with anything outside [A-Za-z0-9-] as `-`. */
function displayName (name: string): string {
  if (name === '') return 'token'
  const full = `token-${name}`.replace(/[^a-zA-Z0-9-]/g, '-')
  return full.endsWith('-') ? full.slice(0, -1) : full
}

export function createToken (store: TokenStore, policies: PolicyStore, req: EngineRequest,
  orphanPath: boolean, role: TokenRole | undefined): EngineResponse {
  const warnings: string[] = []
  const parent = req.token === undefined ? undefined : store.lookup(req.token.id)
  if (parent === undefined) throw fail('parent token lookup failed: no parent found')
  if (parent.type === 'batch') throw fail('batch tokens cannot create more tokens')
  // A limited-use token could escape its count through children.
  if (parent.num_uses > 0) throw fail('restricted use token cannot generate child tokens')
  const isSudo = req.hasSudo

  let typeText = req.data.get<string>('type')
  if (role !== undefined) {
    if (role.token_type === 'default-batch' && typeText === '') typeText = 'batch'
    else if (role.token_type === 'service' || role.token_type === 'batch') typeText = role.token_type
  }
  let renewable = req.data.get<boolean>('renewable')
  const explicitMaxText = req.data.get<string>('explicit_max_ttl')
  const numUses = req.data.get<number>('num_uses')
  const periodText = req.data.get<string>('period')
  let type: 'service' | 'batch' = 'service'
  if (typeText === 'batch') {
    // Vault tests only the first of these that is set.
    let bad = ''
    if (explicitMaxText !== '') {
      if (durationOr(explicitMaxText, "'explicit_max_ttl' value could not be parsed") !== 0) bad = 'explicit_max_ttl'
    } else if (numUses !== 0) {
      bad = 'num_uses'
    } else if (periodText !== '') {
      if (durationOr(periodText, "'period' value could not be parsed") !== 0) bad = 'period'
    }
    if (bad !== '') throw fail(`batch tokens cannot have ${JSON.stringify(bad)} set`)
    type = 'batch'
    renewable = false
  } else if (typeText !== '' && typeText !== 'service') {
    throw fail("invalid 'token_type' value")
  }
  if (numUses < 0) throw fail('number of uses cannot be negative')

  if (req.data.get<string>('entity_alias') !== '') {
    if (role === undefined) throw fail("'entity_alias' is only allowed in combination with token role")
    // LIMITATION: there is no identity store, so tokens cannot be tied to an
    // entity alias; Vault would create or find the entity. Refused loudly.
    throw fail("'entity_alias' is not supported by localvault (no identity store)")
  }

  const now = req.clock.now()
  const entry: TokenEntry = {
    id: '',
    accessor: '',
    parent: parent.id,
    policies: [],
    path: `auth/token/${req.path}`,
    meta: req.data.has('meta') ? req.data.get<Record<string, string>>('meta') : null,
    display_name: displayName(req.data.get<string>('display_name')),
    num_uses: numUses,
    creation_num_uses: 0,
    creation_time_ms: now,
    creation_ttl: 0,
    ttl: 0,
    issue_time_ms: now,
    expire_time_ms: 0,
    last_renewal_time_ms: 0,
    explicit_max_ttl: 0,
    period: 0,
    renewable: false,
    orphan: false,
    type,
    role: '',
    entity_id: ''
  }
  if (role !== undefined) {
    entry.role = role.name
    if (renewable && !role.renewable) renewable = false
    if (role.token_num_uses !== 0 && (entry.num_uses === 0 || role.token_num_uses < entry.num_uses)) {
      entry.num_uses = role.token_num_uses
    }
    if (role.path_suffix !== '') entry.path = `${entry.path}/${role.path_suffix}`
  }

  const customId = req.data.get<string>('id')
  if (customId !== '') {
    if (!isSudo) throw fail('root or sudo privileges required to specify token id')
    entry.id = customId
  }

  entry.policies = resolvePolicies(req, role, parent, isSudo)
  if (entry.policies.includes('root')) {
    // Sudo alone must not mint root tokens.
    if (!parent.policies.includes('root')) throw fail('root tokens may not be created without parent token being root')
    if (type === 'batch') throw fail('batch tokens cannot be root tokens')
  }

  if (role !== undefined) {
    if (role.orphan) entry.parent = ''
  } else if (req.data.get<boolean>('no_parent')) {
    if (!isSudo) throw fail('root or sudo privileges required to create orphan token')
    entry.parent = ''
  } else if (orphanPath) {
    entry.parent = ''
  }
  entry.orphan = entry.parent === ''

  // Explicit max TTL and period: the request's, merged with the role's.
  let explicitMax = 0
  if (explicitMaxText !== '') {
    const d = duration(explicitMaxText)
    if (d < 0) throw fail('explicit_max_ttl must be positive')
    entry.explicit_max_ttl = d
    explicitMax = d
  }
  let period = 0
  if (periodText !== '') {
    const d = duration(periodText)
    if (d < 0) throw fail('period must be positive')
    if (d > 0) {
      if (!isSudo) throw fail('root or sudo privileges required to create periodic token')
      entry.period = d
      period = d
    }
  }
  let ttl = 0
  const ttlText = req.data.get<string>('ttl')
  const leaseText = req.data.get<string>('lease')
  if (ttlText !== '') {
    ttl = duration(ttlText)
    if (ttl < 0) throw fail('ttl must be positive')
  } else if (leaseText !== '') {
    ttl = duration(leaseText)
    if (ttl < 0) throw fail('lease must be positive')
  }
  if (role !== undefined && type !== 'batch') {
    if (role.token_explicit_max_ttl !== 0) {
      if (explicitMax === 0) {
        explicitMax = role.token_explicit_max_ttl
      } else {
        explicitMax = Math.min(explicitMax, role.token_explicit_max_ttl)
        warnings.push(`Explicit max TTL specified both during creation call and in role; using the lesser value of ${explicitMax} seconds`)
      }
    }
    if (role.token_period !== 0) {
      if (period === 0) {
        period = role.token_period
      } else {
        period = Math.min(period, role.token_period)
        warnings.push(`Period specified both during creation call and in role; using the lesser value of ${period} seconds`)
      }
    }
  }

  const isRootPolicy = entry.policies.includes('root')
  if (period > 0 || ttl > 0 || !isRootPolicy) {
    const result = calculateTtl({
      now,
      defaultLeaseTtl: req.mount.defaultLeaseTtl,
      maxLeaseTtl: req.mount.maxLeaseTtl,
      increment: 0,
      backendTtl: ttl,
      period,
      backendMaxTtl: 0,
      explicitMaxTtl: explicitMax,
      startTime: Math.floor(now / 1000) * 1000
    })
    warnings.push(...result.warnings)
    ttl = result.ttl
  }
  // Root tokens are still bound by an explicit max TTL.
  if (ttl === 0 && explicitMax > 0) ttl = explicitMax
  if (ttl === 0) {
    if (parent.creation_ttl !== 0) throw fail('expiring root tokens cannot create non-expiring root tokens')
    renewable = false
  }

  if (entry.id !== '') {
    warnings.push(CUSTOM_ID_WARNING)
    if (entry.id.startsWith('hvs.')) throw fail("custom token ID cannot have the 'hvs.' prefix")
    if (entry.id.startsWith('s.')) throw fail("custom token ID cannot have the 's.' prefix")
    if (entry.id.includes('.')) throw fail("custom token ID cannot have a '.' in the value")
    if (store.idExists(entry.id)) throw fail('cannot create a token with a duplicate ID')
  } else {
    entry.id = type === 'batch'
      ? store.newBatchTokenId()
      : store.newTokenId(sanitizePolicies(entry.policies, false).includes('root'))
  }
  if (type === 'service') entry.accessor = store.newAccessor()

  entry.policies = sanitizePolicies(entry.policies, false)
  entry.creation_ttl = ttl
  entry.ttl = ttl
  entry.creation_num_uses = entry.num_uses
  entry.renewable = renewable
  entry.issue_time_ms = req.clock.now()
  entry.expire_time_ms = ttl > 0 ? entry.issue_time_ms + ttl * 1000 : 0
  store.save(entry)

  for (const p of entry.policies) {
    if (!policies.exists(p)) warnings.push(`Policy ${JSON.stringify(p)} does not exist`)
  }
  return {
    data: null,
    auth: authBlock(entry, entry.id, ttl, renewable, entry.num_uses),
    warnings
  }
}

function durationOr (text: string, message: string): number {
  try {
    return parseDurationSeconds(text)
  } catch {
    throw fail(message)
  }
}

export function createPaths (store: TokenStore, policies: PolicyStore): PathSpec[] {
  return [
    {
      pattern: 'create-orphan',
      fields: CREATE_FIELDS,
      operations: { update: (req) => createToken(store, policies, req, true, undefined) }
    },
    {
      pattern: `create/(?<role_name>${NAME_PATTERN})`,
      fields: { ...CREATE_FIELDS, role_name: { type: 'string' } },
      operations: {
        update: (req) => {
          const name = req.params.role_name
          const role = store.role(name)
          if (role === undefined) throw fail(`unknown role ${name}`)
          return createToken(store, policies, req, false, role)
        }
      }
    },
    {
      pattern: 'create',
      fields: CREATE_FIELDS,
      operations: { update: (req) => createToken(store, policies, req, false, undefined) }
    }
  ]
}
