/**
 * Closed-loop load from autocannon (in this process, never the server's),
 * with latencies recorded here at full precision: autocannon's own
 * histogram rounds to whole milliseconds, too coarse for one connection.
 */
import autocannon from 'autocannon'
import { cpuMs } from './targets.js'

export interface LoadRequest {
  method: 'GET' | 'POST'
  /** Path under /v1/, e.g. `transit/encrypt/bench`. */
  path: string
  /** JSON body text. */
  body?: string
}

export interface LoadOptions {
  origin: string
  token: string
  /** Sent in turn on every connection. */
  requests: readonly LoadRequest[]
  connections: number
  /** Seconds; ignored when `amount` is set. */
  durationS?: number
  /** Stop after this many requests instead. */
  amount?: number
  /** The server's pid, to measure its CPU time per request. */
  pid?: number
}

export interface LoadResult {
  connections: number
  /** Completed 2xx responses. */
  requests: number
  /** Socket errors, timeouts and non-2xx answers. */
  failures: number
  seconds: number
  rps: number
  /** Latency percentiles of 2xx responses, ms. */
  p50: number
  p99: number
  /** Server CPU time per completed request, µs (spawned servers on Linux only). */
  cpuUs?: number
}

/** A growable Float64Array of latency samples. */
class Samples {
  private data = new Float64Array(1 << 16)
  private n = 0

  add (v: number): void {
    if (this.n === this.data.length) {
      const next = new Float64Array(this.data.length * 2)
      next.set(this.data)
      this.data = next
    }
    this.data[this.n++] = v
  }

  percentiles (ps: readonly number[]): number[] {
    const sorted = this.data.slice(0, this.n).sort()
    if (sorted.length === 0) return ps.map(() => Number.NaN)
    return ps.map((p) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)])
  }
}

function round (v: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(v * f) / f
}

/** Run one load phase and summarise it. */
export async function runLoad (options: LoadOptions): Promise<LoadResult> {
  const samples = new Samples()
  const cpuBefore = options.pid === undefined ? undefined : cpuMs(options.pid)
  const started = process.hrtime.bigint()
  const result = await new Promise<{ '2xx': number, errors: number, timeouts: number, non2xx: number }>(
    (resolve, reject) => {
      const instance = autocannon({
        url: options.origin,
        connections: options.connections,
        ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.durationS ?? 5 }),
        timeout: 30,
        headers: { 'x-vault-token': options.token, 'content-type': 'application/json' },
        requests: options.requests.map((r) => ({
          method: r.method,
          path: `/v1/${r.path}`,
          ...(r.body !== undefined ? { body: r.body } : {})
        }))
      }, (err, res) => {
        if (err !== null) reject(err)
        else resolve(res)
      })
      instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
        if (status >= 200 && status < 300) samples.add(ms)
      })
    })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const cpuAfter = options.pid === undefined ? undefined : cpuMs(options.pid)
  const [p50, p99] = samples.percentiles([0.5, 0.99])
  return {
    connections: options.connections,
    requests: result['2xx'],
    failures: result.errors + result.timeouts + result.non2xx,
    seconds: round(seconds, 2),
    rps: Math.round(result['2xx'] / seconds),
    p50: round(p50, 3),
    p99: round(p99, 3),
    ...(cpuBefore !== undefined && cpuAfter !== undefined && result['2xx'] > 0
      ? { cpuUs: Math.round((cpuAfter - cpuBefore) * 1000 / result['2xx']) }
      : {})
  }
}
