/**
 * sys/policies/acl and the legacy sys/policy (vault/logical_system.go
 * handlePoliciesList, handlePoliciesRead, handlePoliciesSet,
 * handlePoliciesPatch, handlePoliciesDelete).
 */
import { formatRfc3339Nano } from '../../clock/index.js'
import { VaultError } from '../../errors/index.js'
import type { EngineRequest, EngineResponse, Flavor, PathSpec } from '../../engines/engine.js'
import type { FieldSpecs } from '../../engines/fields.js'
import { parseAclPolicy, PolicyParseError, type StoredPolicy } from '../../policy/index.js'
import type { SystemDeps } from '../deps.js'

/** Which endpoint family a request came through. */
type Family = 'legacy' | 'acl'

function fieldsFor (flavor: Flavor, family: Family): FieldSpecs {
  const fields: Record<string, FieldSpecs[string]> = {
    name: { type: 'string' },
    policy: { type: 'string' }
  }
  if (family === 'legacy') fields.rules = { type: 'string' }
  if (flavor === 'openbao') {
    fields.expiration = { type: 'raw' }
    fields.ttl = { type: 'duration' }
    fields.cas = { type: 'int' }
    fields.cas_required = { type: 'bool' }
    fields.allow_wildcards_in_identity_templates = { type: 'bool' }
    fields.allow_slashes_in_identity_templates = { type: 'bool' }
  }
  return fields
}

function listResponse (deps: SystemDeps, family: Family, prefix: string): EngineResponse {
  const keys = deps.policies.list(prefix)
  if (prefix === '') keys.push('root')
  const data: Record<string, unknown> = { keys }
  if (family === 'legacy') data.policies = keys
  return { data }
}

function readResponse (deps: SystemDeps, family: Family, name: string): EngineResponse | null {
  const lowered = name.trim().toLowerCase()
  if (lowered === 'root') {
    return { data: policyData(deps.options.flavor, family, { name: 'root', raw: '', version: 0, casRequired: false, allowSlashesInIdentityTemplates: false, allowWildcardsInIdentityTemplates: false, expiration: 0, modified: 0, rules: [] }) }
  }
  const policy = deps.policies.get(lowered)
  if (policy === undefined) return null
  return { data: policyData(deps.options.flavor, family, policy) }
}

function policyData (flavor: Flavor, family: Family, p: StoredPolicy): Record<string, unknown> {
  const textKey = family === 'legacy' ? 'rules' : 'policy'
  if (flavor === 'vault') return { name: p.name, [textKey]: p.raw }
  const data: Record<string, unknown> = {
    allow_slashes_in_identity_templates: p.allowSlashesInIdentityTemplates,
    allow_wildcards_in_identity_templates: p.allowWildcardsInIdentityTemplates,
    cas_required: p.casRequired,
    name: p.name,
    [textKey]: p.raw,
    version: p.version
  }
  if (p.expiration !== 0) data.expiration = formatRfc3339Nano(p.expiration)
  if (p.modified !== 0) data.modified = formatRfc3339Nano(p.modified)
  return data
}

/** Go's base64.StdEncoding.DecodeString: the decoded text, or undefined if not valid base64. */
function strictBase64 (text: string): string | undefined {
  const compact = text.replace(/[\r\n]/g, '')
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined
  return Buffer.from(compact, 'base64').toString('utf8')
}

/** parseutil.ParseAbsoluteTime-like reading of the `expiration` field. */
function expirationOf (raw: unknown): number {
  if (typeof raw === 'number' && Number.isInteger(raw)) return raw * 1000
  if (typeof raw === 'string') {
    if (/^\d+$/.test(raw)) return Number(raw) * 1000
    const ms = Date.parse(raw)
    if (/^\d{4}-\d{2}-\d{2}T/.test(raw) && !Number.isNaN(ms)) return ms
  }
  throw VaultError.invalidRequest(`Field validation failed: error converting input for field "expiration": unable to parse time ${JSON.stringify(String(raw))}`)
}

/** Expiration requested by `expiration` or `ttl` (OpenBao only); undefined when neither. */
function requestedExpiration (req: EngineRequest): number | undefined {
  if (req.flavor !== 'openbao') return undefined
  const hasExpiration = req.data.has('expiration')
  const hasTtl = req.data.has('ttl')
  if (hasExpiration && hasTtl) throw VaultError.invalidRequest("cannot supply both 'expiration' and 'ttl' for policies")
  if (hasExpiration) return expirationOf(req.data.raw.expiration)
  if (hasTtl) return req.clock.now() + req.data.get<number>('ttl') * 1000
  return undefined
}

async function compile (text: string, req: EngineRequest): Promise<StoredPolicy['rules']> {
  try {
    return await parseAclPolicy(text, req.flavor, req.clock.now())
  } catch (err) {
    if (err instanceof PolicyParseError) throw VaultError.invalidRequest(err.message)
    throw err
  }
}

async function writePolicy (deps: SystemDeps, family: Family, req: EngineRequest): Promise<EngineResponse | null> {
  const rawName = req.params.name
  const name = rawName.toLowerCase()
  const warnings: string[] = []
  if (name.trim() === '') throw VaultError.invalidRequest('policy name must be provided in the URL')
  if (name !== rawName) warnings.push(`policy name was converted to ${name}`)

  let text = req.data.get<string>('policy')
  if (text === '' && family === 'legacy') {
    text = req.data.get<string>('rules')
    warnings.push("'rules' is deprecated, please use 'policy' instead")
  }
  if (text === '') throw VaultError.invalidRequest("'policy' parameter not supplied or empty")
  // The server first tries the text as base64 and keeps the decoded form.
  text = strictBase64(text) ?? text

  const expiration = requestedExpiration(req) ?? 0
  if (expiration !== 0 && req.clock.now() >= expiration) {
    throw VaultError.invalidRequest('refusing to update policy as expiration time has already elapsed')
  }
  const rules = await compile(text, req)
  deps.policies.set(name, {
    raw: text,
    rules,
    cas: req.flavor === 'openbao' ? req.data.getOk<number>('cas') : undefined,
    casRequired: req.flavor === 'openbao' ? req.data.get<boolean>('cas_required') : false,
    allowWildcardsInIdentityTemplates: req.flavor === 'openbao' && req.data.get<boolean>('allow_wildcards_in_identity_templates'),
    allowSlashesInIdentityTemplates: req.flavor === 'openbao' && req.data.get<boolean>('allow_slashes_in_identity_templates'),
    expiration
  })
  return warnings.length > 0 ? { warnings } : null
}

/** PATCH sys/policies/acl/:name (OpenBao): unsupplied fields keep their stored values. */
async function patchPolicy (deps: SystemDeps, req: EngineRequest): Promise<EngineResponse | null> {
  const rawName = req.params.name
  const name = rawName.toLowerCase()
  const warnings: string[] = []
  if (name !== rawName) warnings.push(`policy name was converted to ${name}`)
  const old = deps.policies.get(name)
  if (old === undefined) throw VaultError.withStatus(404, ['policy not found'])

  let text = req.data.has('policy') ? req.data.get<string>('policy') : old.raw
  if (text === '') throw VaultError.invalidRequest("'policy' parameter not supplied or empty")
  text = strictBase64(text) ?? text
  const expiration = requestedExpiration(req) ?? old.expiration
  if (expiration !== 0 && req.clock.now() >= expiration) {
    throw VaultError.invalidRequest('refusing to update policy as expiration time has already elapsed')
  }
  const rules = await compile(text, req)
  const pick = (field: string, fallback: boolean): boolean => req.data.has(field) ? req.data.get<boolean>(field) : fallback
  deps.policies.set(name, {
    raw: text,
    rules,
    cas: req.data.getOk<number>('cas') ?? old.version,
    casRequired: pick('cas_required', old.casRequired),
    allowWildcardsInIdentityTemplates: pick('allow_wildcards_in_identity_templates', old.allowWildcardsInIdentityTemplates),
    allowSlashesInIdentityTemplates: pick('allow_slashes_in_identity_templates', old.allowSlashesInIdentityTemplates),
    expiration
  })
  // OpenBao's patch handler returns an empty response, not none: 200 with
  // `"data":null` where a write answers 204 (observed on OpenBao 2.6.2).
  return warnings.length > 0 ? { data: null, warnings } : { data: null }
}

function deletePolicy (deps: SystemDeps, req: EngineRequest): null {
  deps.policies.delete(req.params.name)
  return null
}

export function policyPaths (deps: SystemDeps): PathSpec[] {
  const flavor = deps.options.flavor
  const prefixList = (family: Family) => (req: EngineRequest) =>
    listResponse(deps, family, req.params.name ?? '')
  const named = (family: Family): PathSpec['operations'] => {
    const ops: PathSpec['operations'] = {
      read: (req) => readResponse(deps, family, req.params.name),
      update: async (req) => await writePolicy(deps, family, req),
      delete: (req) => deletePolicy(deps, req)
    }
    if (flavor === 'openbao') {
      // OpenBao lists the policies whose names start with the path's name.
      ops.list = prefixList(family)
      if (family === 'acl') ops.patch = async (req) => await patchPolicy(deps, req)
    }
    return ops
  }
  return [
    {
      pattern: 'policy/?',
      operations: { read: () => listResponse(deps, 'legacy', ''), list: () => listResponse(deps, 'legacy', '') }
    },
    {
      pattern: 'policy/(?<name>.+)',
      fields: fieldsFor(flavor, 'legacy'),
      operations: named('legacy')
    },
    {
      pattern: 'policies/acl/?',
      operations: { list: () => listResponse(deps, 'acl', '') }
    },
    {
      pattern: 'policies/acl/(?<name>.+)',
      fields: fieldsFor(flavor, 'acl'),
      operations: named('acl')
    }
  ]
}
