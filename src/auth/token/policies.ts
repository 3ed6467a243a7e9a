/**
 * Policy-list helpers the token store shares with Vault's sdk
 * (helper/policyutil SanitizePolicies, helper/strutil).
 */
import { globbedStringsMatch } from '../../policy/index.js'

/** strutil.RemoveDuplicates: trimmed, optionally lower-cased, no empties, de-duplicated, sorted. */
export function removeDuplicates (items: readonly string[], lowercase: boolean): string[] {
  const set = new Set<string>()
  for (const item of items) {
    let v = item.trim()
    if (lowercase) v = v.toLowerCase()
    if (v !== '') set.add(v)
  }
  return [...set].sort()
}

/** policyutil.SanitizePolicies: `root` alone if present, optionally with `default` added. */
export function sanitizePolicies (policies: readonly string[], addDefault: boolean): string[] {
  const cleaned = policies.map((p) => p.trim().toLowerCase())
  if (cleaned.includes('root')) return ['root']
  const out = [...cleaned]
  if (addDefault && (out.filter((p) => p !== '').length === 0 || !out.includes('default'))) out.push('default')
  return removeDuplicates(out, true)
}

/** strutil.StrListSubset: every item of `subset` is in `superset`. */
export function isSubset (superset: readonly string[], subset: readonly string[]): boolean {
  return subset.every((s) => superset.includes(s))
}

/** strutil.StrListContainsGlob. */
export function containsGlob (haystack: readonly string[], needle: string): boolean {
  return haystack.some((item) => globbedStringsMatch(item, needle))
}
