/**
 * ACL evaluation (vault/policy/acl.go): the path rules of several policies
 * merged into exact, prefix and segment-wildcard tables, and the one rule
 * that wins for a request path, with Vault's precedence.
 */
import type { Operation } from '../engines/engine.js'
import type { Acl, AclCheck, AclDecision } from './acl.js'
import { CAP, type CapabilityName, type PathRule } from './policy.js'

/** The merged permissions of every stanza with one pattern. */
interface Permissions {
  /** The pattern as written (for debug logs). */
  pattern: string
  bits: number
  allowed: Record<string, unknown[]> | null
  denied: Record<string, unknown[]> | null
  required: string[]
  minWrap: number
  maxWrap: number
}

/** A policy to compile: its name and its parsed rules. */
export interface NamedRules {
  name: string
  rules: readonly PathRule[]
}

const OP_CAPABILITY: Partial<Record<Operation, CapabilityName>> = {
  read: 'read',
  list: 'list',
  update: 'update',
  delete: 'delete',
  create: 'create',
  patch: 'patch'
}

// Order in which Vault lists capabilities before sorting them.
const REPORT_ORDER: CapabilityName[] = ['sudo', 'read', 'list', 'update', 'delete', 'create', 'patch', 'scan']

function mergeParams (into: Record<string, unknown[]> | null, from: Record<string, unknown[]> | null): Record<string, unknown[]> | null {
  if (from === null || Object.keys(from).length === 0) return into
  if (into === null) return structuredClone(from)
  for (const [key, values] of Object.entries(from)) {
    const existing = into[key]
    // An empty list (any value) wins over any list of values.
    if (values.length === 0 || (existing !== undefined && existing.length === 0)) into[key] = []
    else into[key] = [...values, ...(existing ?? [])]
  }
  return into
}

/** go-secure-stdlib strutil.GlobbedStringsMatch. */
export function globbedStringsMatch (item: string, val: string): boolean {
  if (item.length < 2) return val === item
  const hasPrefix = item.startsWith('*')
  const hasSuffix = item.endsWith('*')
  if (hasPrefix && hasSuffix) return val.includes(item.slice(1, -1))
  if (hasPrefix) return val.endsWith(item.slice(1))
  if (hasSuffix) return val.startsWith(item.slice(0, -1))
  return val === item
}

// reflect.DeepEqual between a policy value and a request value. JSON numbers
// reach Vault as json.Number, which never equals an HCL number.
function deepEqual (a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') return false
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  return ka.every((k) => Object.hasOwn(b, k) &&
    deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}

function valueInParameterList (value: unknown, list: readonly unknown[]): boolean {
  if (list.length === 0) return true
  return list.some((el) => {
    if (el === null || el === undefined || value === null || value === undefined) return el === value
    if (typeof el === 'string' && typeof value === 'string') return globbedStringsMatch(el, value)
    return deepEqual(el, value)
  })
}

interface SegmentCandidate {
  firstWildcard: number
  wildcards: number
  isPrefix: boolean
  wcPath: string
  perms: Permissions
}

/** Vault's precedence between matching non-exact rules: true when a ranks below b. */
function ranksBelow (a: SegmentCandidate, b: SegmentCandidate): boolean {
  if (a.firstWildcard !== b.firstWildcard) return a.firstWildcard < b.firstWildcard
  if (a.isPrefix !== b.isPrefix) return a.isPrefix
  if (a.wildcards !== b.wildcards) return a.wildcards > b.wildcards
  if (a.wcPath.length !== b.wcPath.length) return a.wcPath.length < b.wcPath.length
  return a.wcPath < b.wcPath
}

export class CompiledAcl implements Acl {
  readonly isRoot = false
  private readonly exact = new Map<string, Permissions>()
  private readonly prefix = new Map<string, Permissions>()
  private readonly segment = new Map<string, Permissions>()

  constructor (policies: readonly NamedRules[], now: number) {
    for (const policy of policies) {
      for (const rule of policy.rules) {
        if (rule.expiration !== 0 && now > rule.expiration) continue
        // LIMITATION: there are no identity entities, so a templated path
        // ({{identity.entity.id}} ...) never resolves and never matches, as
        // in Vault for a token without an entity.
        if (rule.templated) continue
        this.add(rule)
      }
    }
  }

  private add (rule: PathRule): void {
    const table = rule.hasSegmentWildcards ? this.segment : rule.isPrefix ? this.prefix : this.exact
    const existing = table.get(rule.path)
    if (existing === undefined) {
      table.set(rule.path, {
        pattern: rule.isPrefix ? `${rule.path}*` : rule.path,
        bits: rule.bits,
        allowed: rule.allowedParameters === null ? null : structuredClone(rule.allowedParameters),
        denied: rule.deniedParameters === null ? null : structuredClone(rule.deniedParameters),
        required: [...rule.requiredParameters],
        minWrap: rule.minWrappingTtl,
        maxWrap: rule.maxWrappingTtl
      })
      return
    }
    // Deny wins: once a pattern is denied nothing else is added to it.
    if ((existing.bits & CAP.deny) !== 0) return
    if ((rule.bits & CAP.deny) !== 0) {
      existing.bits = CAP.deny
      existing.allowed = null
      existing.denied = null
      return
    }
    existing.bits |= rule.bits
    // The smaller of two wrapping TTL bounds wins.
    if (rule.maxWrappingTtl > 0 && (existing.maxWrap === 0 || rule.maxWrappingTtl < existing.maxWrap)) {
      existing.maxWrap = rule.maxWrappingTtl
    }
    if (rule.minWrappingTtl > 0 && (existing.minWrap === 0 || rule.minWrappingTtl < existing.minWrap)) {
      existing.minWrap = rule.minWrappingTtl
    }
    existing.allowed = mergeParams(existing.allowed, rule.allowedParameters)
    existing.denied = mergeParams(existing.denied, rule.deniedParameters)
    for (const p of rule.requiredParameters) {
      if (!existing.required.includes(p)) existing.required.push(p)
    }
  }

  /** The winning rule for a path (Vault's AllowOperation lookup order). */
  private lookup (rawPath: string, operation: Operation): Permissions | undefined {
    const path = rawPath.replace(/^\/+/, '')
    const isList = operation === 'list'
    const exact = this.exact.get(path) ?? (isList ? this.exact.get(path.replace(/\/$/, '')) : undefined)
    if (exact !== undefined) return exact
    const nonExact = this.nonExact(path)
    if (nonExact !== undefined) return nonExact
    if (isList && path.endsWith('/')) return this.nonExact(path.slice(0, -1))
    return undefined
  }

  private longestPrefix (path: string): [string, Permissions] | undefined {
    for (let i = path.length; i >= 0; i--) {
      const key = path.slice(0, i)
      const perms = this.prefix.get(key)
      if (perms !== undefined) return [key, perms]
    }
    return undefined
  }

  /** CheckAllowedFromNonExactPaths for a request path. */
  private nonExact (path: string): Permissions | undefined {
    const candidates: SegmentCandidate[] = []
    const prefix = this.longestPrefix(path)
    if (prefix !== undefined) {
      if (this.segment.size === 0) return prefix[1]
      candidates.push({ firstWildcard: prefix[0].length, wildcards: 0, isPrefix: true, wcPath: prefix[0], perms: prefix[1] })
    }
    if (this.segment.size === 0) return undefined

    const parts = path.split('/')
    for (const [full, perms] of this.segment) {
      if (full === '') continue
      const cand: SegmentCandidate = { firstWildcard: full.indexOf('+'), wildcards: 0, isPrefix: false, wcPath: full, perms }
      let pattern = full
      if (pattern.endsWith('*')) {
        cand.isPrefix = true
        pattern = pattern.slice(0, -1)
      }
      cand.wcPath = pattern
      const aclParts = pattern.split('/')
      if (parts.length < aclParts.length) continue
      if (!cand.isPrefix && aclParts.length !== parts.length) continue
      let matched = true
      for (let i = 0; i < aclParts.length; i++) {
        const part = aclParts[i]
        if (part === '+') cand.wildcards++
        else if (part === parts[i]) continue
        else if (cand.isPrefix && i === aclParts.length - 1 && parts[i].startsWith(part)) continue
        else {
          matched = false
          break
        }
      }
      if (matched) candidates.push(cand)
    }
    if (candidates.length === 0) return undefined
    let best = candidates[0]
    for (const c of candidates.slice(1)) if (ranksBelow(best, c)) best = c
    return best.perms
  }

  check (req: AclCheck): AclDecision {
    const perms = this.lookup(req.path, req.operation)
    if (perms === undefined) return { allowed: false, sudo: false, missing: capabilityFor(req.operation) }
    const bits = perms.bits
    const sudo = (bits & CAP.sudo) !== 0
    const denied = (missing: string): AclDecision => ({ allowed: false, sudo, matchedRule: perms.pattern, missing })

    const needed = OP_CAPABILITY[req.operation]
    if (needed === undefined || (bits & CAP[needed]) === 0) return denied(capabilityFor(req.operation))

    if (perms.maxWrap > 0 && (req.wrapTtl === undefined || req.wrapTtl > perms.maxWrap)) return denied('max_wrapping_ttl')
    if (perms.minWrap > 0 && (req.wrapTtl === undefined || req.wrapTtl < perms.minWrap)) return denied('min_wrapping_ttl')
    if (perms.minWrap !== 0 && perms.maxWrap !== 0 && perms.maxWrap < perms.minWrap) return denied('wrapping_ttl')

    const op = req.operation
    if (op === 'read' || op === 'update' || op === 'create' || op === 'patch') {
      const paramDenial = checkParameters(perms, req.data ?? null)
      if (paramDenial !== undefined) return denied(paramDenial)
    }
    if (req.sudoRequired === true && !sudo) return denied('sudo')
    return { allowed: true, sudo, matchedRule: perms.pattern }
  }

  capabilities (path: string): string[] {
    const perms = this.lookup(path, 'list')
    const bits = perms?.bits ?? 0
    const caps = REPORT_ORDER.filter((c) => (bits & CAP[c]) !== 0)
    if ((bits & CAP.deny) !== 0 || caps.length === 0) return ['deny']
    return caps.sort()
  }

  hasAccessUnder (prefix: string): boolean {
    if (!this.capabilities(prefix).includes('deny')) return true
    const grants = (p: Permissions): boolean => (p.bits & CAP.deny) === 0 && p.bits !== 0
    for (const [key, perms] of this.exact) if (key.startsWith(prefix) && grants(perms)) return true
    for (const [key, perms] of this.prefix) if (key.startsWith(prefix) && grants(perms)) return true
    return this.segmentUnder(prefix)
  }

  // CheckAllowedFromNonExactPaths with bareMount: some segment-wildcard rule
  // could reach under the mount path (which ends in `/`).
  private segmentUnder (mountPath: string): boolean {
    const parts = mountPath.split('/')
    for (const [full, perms] of this.segment) {
      if (full === '') continue
      const isPrefix = full.endsWith('*')
      const aclParts = (isPrefix ? full.slice(0, -1) : full).split('/')
      const segments: string[] = []
      for (let i = 0; i < aclParts.length; i++) {
        const part = aclParts[i]
        const seg = parts[i]
        if (part === '+' || part === seg) segments.push(seg ?? '')
        else if (isPrefix && i === aclParts.length - 1 && seg !== undefined && seg.startsWith(part)) segments.push(...parts.slice(i))
        if (i === parts.length - 2) {
          const joined = segments.join('/') + '/'
          if (joined.startsWith(mountPath) && (perms.bits & CAP.deny) === 0 && perms.bits > 0) return true
          break
        }
      }
    }
    return false
  }
}

function capabilityFor (operation: Operation): string {
  return OP_CAPABILITY[operation] ?? operation
}

function checkParameters (perms: Permissions, data: Readonly<Record<string, unknown>> | null): string | undefined {
  const supplied = data ?? {}
  for (const p of perms.required) {
    if (!Object.hasOwn(supplied, p.toLowerCase())) return `required_parameters (${p})`
  }
  const entries = Object.entries(supplied)
  if (entries.length === 0) return undefined

  const denied = perms.denied
  if (denied !== null && Object.keys(denied).length > 0) {
    if (Object.hasOwn(denied, '*')) return 'denied_parameters (*)'
    for (const [name, value] of entries) {
      const list = denied[name.toLowerCase()]
      if (list !== undefined && valueInParameterList(value, list)) return `denied_parameters (${name})`
    }
  }

  const allowed = perms.allowed
  if (allowed === null || Object.keys(allowed).length === 0) return undefined
  const allowedAll = Object.hasOwn(allowed, '*')
  if (Object.keys(allowed).length === 1 && allowedAll) return undefined
  for (const [name, value] of entries) {
    const list = allowed[name.toLowerCase()]
    if (list === undefined && !allowedAll) return `allowed_parameters (${name})`
    if (list !== undefined && !valueInParameterList(value, list)) return `allowed_parameters (${name})`
  }
  return undefined
}
