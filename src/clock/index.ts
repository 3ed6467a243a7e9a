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
