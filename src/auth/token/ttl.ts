/**
 * Lease TTL arithmetic as Vault does it for tokens (sdk/framework/lease.go
 * CalculateTTL): the mount's max TTL or a stricter explicit max, periods
 * capped to it, and TTLs cut so a lease never outlives its max, with
 * Vault's warning texts. Durations in seconds, times in epoch ms.
 */
import { formatHumanDuration } from '../../engines/duration.js'
import { VaultError } from '../../errors/index.js'

export interface TtlInput {
  /** Current time, epoch ms. */
  now: number
  /** The mount's effective default and max lease TTLs. */
  defaultLeaseTtl: number
  maxLeaseTtl: number
  /** Requested increment (renewals); 0 when none. */
  increment: number
  /** The TTL the token store proposes (requested or last granted); 0 when none. */
  backendTtl: number
  period: number
  backendMaxTtl: number
  explicitMaxTtl: number
  /** Lease start, epoch ms; undefined means now. */
  startTime?: number
}

export interface TtlResult {
  ttl: number
  warnings: string[]
}

const truncSecond = (ms: number): number => Math.floor(ms / 1000)

export function calculateTtl (input: TtlInput): TtlResult {
  const now = truncSecond(input.now)
  const start = input.startTime === undefined ? now : truncSecond(input.startTime)
  const warnings: string[] = []

  let maxTtl = input.maxLeaseTtl
  if (input.backendMaxTtl > 0 && input.backendMaxTtl < maxTtl) maxTtl = input.backendMaxTtl
  if (input.explicitMaxTtl > 0 && input.explicitMaxTtl < maxTtl) maxTtl = input.explicitMaxTtl
  if (maxTtl <= 0) throw VaultError.internal('max TTL must be greater than zero')

  let ttl: number
  let maxValidTime: number | undefined
  if (input.period > 0) {
    let period = input.period
    if (period > maxTtl) {
      warnings.push(`period of ${JSON.stringify(formatHumanDuration(period))} exceeded the effective max_ttl of ${JSON.stringify(formatHumanDuration(maxTtl))}; period value is capped accordingly`)
      period = maxTtl
    }
    ttl = period
    if (input.explicitMaxTtl > 0) maxValidTime = start + input.explicitMaxTtl
  } else {
    if (input.increment > 0) ttl = input.increment
    else if (input.backendTtl > 0) ttl = input.backendTtl
    else ttl = input.defaultLeaseTtl
    maxValidTime = start + maxTtl
  }

  if (maxValidTime !== undefined) {
    const maxValidTtl = maxValidTime - now
    if (maxValidTtl <= 0) throw VaultError.internal('past the max TTL, cannot renew')
    if (maxValidTtl - ttl < 0) {
      warnings.push(`TTL of ${JSON.stringify(formatHumanDuration(ttl))} exceeded the effective max_ttl of ${JSON.stringify(formatHumanDuration(maxValidTtl))}; TTL value is capped accordingly`)
      ttl = maxValidTtl
    }
  }
  return { ttl, warnings }
}
