// Clock: the one source of "now" for TTLs, timestamps and rotation, movable for tests.

/** A clock in epoch milliseconds (fractional, microsecond resolution). */
export interface Clock {
  /** Current time in epoch milliseconds, possibly fractional. */
  now: () => number
  /** Move the clock forward by `ms` milliseconds. */
  advance: (ms: number) => void
  /** Set the clock to epoch milliseconds `ms`. */
  set: (ms: number) => void
  /** Go back to following the system clock. */
  reset: () => void
}

/** The system clock plus an adjustable offset. */
export function createClock (): Clock {
  let offset = 0
  const real = (): number => performance.timeOrigin + performance.now()
  return {
    now: () => real() + offset,
    advance: (ms) => { offset += ms },
    set: (ms) => { offset = ms - real() },
    reset: () => { offset = 0 }
  }
}

/**
 * A clock that stands still at `startMs` (epoch ms) and moves only when told
 * (deterministic mode: timestamps in responses must not depend on when a
 * request arrives). `reset` goes back to `startMs`.
 */
export function createFrozenClock (startMs: number): Clock {
  let current = startMs
  return {
    now: () => current,
    advance: (ms) => { current += ms },
    set: (ms) => { current = ms },
    reset: () => { current = startMs }
  }
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/

/** Parse an RFC 3339 timestamp (Go's time.RFC3339Nano) into epoch ms; undefined when malformed. */
export function parseRfc3339 (text: string): number | undefined {
  const m = RFC3339.exec(text)
  if (m === null) return undefined
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number)
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  if (day > daysInMonth) return undefined
  let ms = Date.UTC(year, month - 1, day, hour, minute, second)
  if (year < 100) ms = new Date(ms).setUTCFullYear(year)
  if (m[7] !== undefined) ms += Number(m[7].padEnd(9, '0')) / 1e6
  if (m[8] === undefined) {
    const offsetHours = Number(m[10])
    const offsetMinutes = Number(m[11])
    if (offsetHours > 23 || offsetMinutes > 59) return undefined
    const offset = (offsetHours * 60 + offsetMinutes) * 60_000
    ms += m[9] === '+' ? -offset : offset
  }
  return ms
}

/** RFC 3339 with up to nanosecond digits, trailing zeros trimmed (Go's RFC3339Nano), in UTC. */
export function formatRfc3339Nano (epochMs: number): string {
  const wholeMs = Math.floor(epochMs)
  const iso = new Date(wholeMs).toISOString() // 2024-01-01T00:00:00.123Z
  const subMsNanos = Math.floor((epochMs - wholeMs) * 1e6)
  const frac = (iso.slice(20, 23) + String(subMsNanos).padStart(6, '0')).replace(/0+$/, '')
  return iso.slice(0, 19) + (frac === '' ? '' : `.${frac}`) + 'Z'
}

/** Whole Unix seconds. */
export function unixSeconds (epochMs: number): number {
  return Math.floor(epochMs / 1000)
}
