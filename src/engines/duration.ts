/**
 * Durations as Vault parses them (go-secure-stdlib parseutil.ParseDurationSecond
 * on top of Go's time.ParseDuration), and Go's Duration.String() for output.
 */

const UNIT_NS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3,
  'μs': 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9
}

export class DurationError extends Error {}

/** Go's time.ParseDuration; returns nanoseconds (as a float, exact below 2^53). */
export function parseGoDuration (text: string): number {
  const quoted = JSON.stringify(text)
  let s = text
  let neg = false
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s[0] === '-'
    s = s.slice(1)
  }
  if (s === '0') return 0
  if (s === '') throw new DurationError(`time: invalid duration ${quoted}`)
  let total = 0
  while (s !== '') {
    const num = /^(\d*)(?:\.(\d*))?/.exec(s)
    if (num === null || (num[1] === '' && (num[2] === undefined || num[2] === ''))) {
      throw new DurationError(`time: invalid duration ${quoted}`)
    }
    s = s.slice(num[0].length)
    const unit = /^[^\d.]*/.exec(s)?.[0] ?? ''
    if (unit === '') throw new DurationError(`time: missing unit in duration ${quoted}`)
    const scale = UNIT_NS[unit]
    if (scale === undefined) {
      throw new DurationError(`time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`)
    }
    s = s.slice(unit.length)
    const whole = num[1] === '' ? 0 : Number(num[1])
    const frac = num[2] === undefined || num[2] === '' ? 0 : Number(`0.${num[2]}`)
    total += whole * scale + Math.floor(frac * scale)
  }
  if (total > 9223372036854775807) throw new DurationError(`time: invalid duration ${quoted}`)
  return neg ? -total : total
}

/**
 * Vault's duration field: integer seconds, "<int>d", an integer string, or a
 * Go duration string. Returns whole seconds (truncated toward zero).
 */
export function parseDurationSeconds (input: unknown): number {
  if (input === null || input === undefined) return 0
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new DurationError('could not parse duration from input')
    if (!Number.isInteger(input)) {
      // A JSON number reaches Vault as json.Number text and fails ParseInt,
      // then time.ParseDuration complains about the missing unit.
      throw new DurationError(`time: missing unit in duration ${JSON.stringify(String(input))}`)
    }
    return input
  }
  if (typeof input === 'boolean') throw new DurationError('could not parse duration from input')
  if (typeof input !== 'string') throw new DurationError('could not parse duration from input')
  if (input === '') return 0
  if (/^[+-]?\d+$/.test(input)) return Number(input)
  if (input.endsWith('d')) {
    const days = input.slice(0, -1)
    if (!/^[+-]?\d+$/.test(days)) {
      throw new DurationError(`strconv.ParseInt: parsing ${JSON.stringify(days)}: invalid syntax`)
    }
    return Number(days) * 86400
  }
  return Math.trunc(parseGoDuration(input) / 1e9)
}

/** Go's time.Duration.String() for a whole number of seconds ("1h0m0s", "0s"). */
export function formatGoDuration (seconds: number): string {
  if (seconds === 0) return '0s'
  const neg = seconds < 0
  let rest = Math.abs(seconds)
  const h = Math.floor(rest / 3600)
  rest -= h * 3600
  const m = Math.floor(rest / 60)
  const s = rest - m * 60
  let out = ''
  if (h > 0) out = `${h}h${m}m`
  else if (m > 0) out = `${m}m`
  out += `${s}s`
  return neg ? `-${out}` : out
}

/** Duration text as Vault prints it in TTL warnings ("768h", "1h30m"): trailing zero units trimmed. */
export function formatHumanDuration (seconds: number): string {
  let text = formatGoDuration(seconds)
  if (text.endsWith('m0s')) text = text.slice(0, -2)
  // Go's humanDuration drops a zero minute between hours and seconds ("1h0m5s" -> "1h5s").
  const h0m = text.indexOf('h0m')
  if (h0m > 0) text = text.slice(0, h0m + 1) + text.slice(h0m + 3)
  return text
}
