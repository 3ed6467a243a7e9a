/**
 * The fuzz loop shared by the CI test and the long run: draw cases from a
 * seed in batches, send them with a few in flight, judge every answer, and
 * between batches check the server still answers (and reset it).
 */
import fc from 'fast-check'
import { request } from 'undici'
import { fuzzCase, type FuzzCase } from './cases.js'
import type { Endpoint } from './endpoints.js'
import type { Pools } from './fixture.js'
import { checkAnswer } from './oracle.js'
import { rawExchange, rawPipeline, type RawResponse } from './raw-http.js'

export interface FuzzOptions {
  address: string
  seed: number
  /** Number of cases to send (a pipeline case sends several requests). */
  count: number
  concurrency?: number
  batchSize?: number
  /** Only this case (`batch:index`), for replaying a failure. */
  only?: string
  /** Run between batches (after the health check): reset the server, sample memory. */
  between?: (batch: number) => Promise<void>
  progress?: (line: string) => void
}

export interface FuzzFailure {
  /** `seed batch:index`, enough to replay the case with FUZZ_SEED and FUZZ_CASE. */
  id: string
  kind: string
  problems: string[]
  request: string
  answer: string
}

export interface FuzzReport {
  cases: number
  /** HTTP requests actually sent (pipelines count each request). */
  requests: number
  failures: FuzzFailure[]
  kinds: Record<string, number>
  statuses: Record<string, number>
  /** Cases that took more than 2 s (a sign of a connection left hanging). */
  slow: string[]
}

const show = (b: Buffer, max = 400): string => {
  const s = b.toString('latin1')
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}...(${s.length} bytes)` : s)
}

function answerText (r: RawResponse): string {
  return `${r.status} ${r.reason} ${JSON.stringify(r.headers['content-type'] ?? '')} ${show(r.body, 300)}`
}

async function sendCase (address: string, c: FuzzCase): Promise<{ problems: string[], responses: RawResponse[] }> {
  if (c.requests.length === 1) {
    const res = await rawExchange(address, c.requests[0], 60_000)
    return { problems: checkAnswer(c.sent[0], res), responses: [res] }
  }
  const { responses, timedOut } = await rawPipeline(address, c.requests, 60_000)
  const problems: string[] = []
  if (timedOut) problems.push('pipeline: no end within the time limit')
  if (responses.length !== c.requests.length) problems.push(`pipeline: ${c.requests.length} requests, ${responses.length} answers`)
  responses.forEach((r, i) => problems.push(...checkAnswer(c.sent[i], r).map((p) => `#${i}: ${p}`)))
  return { problems, responses }
}

/** Whether the server still answers its health check. */
export async function healthy (address: string): Promise<boolean> {
  try {
    const res = await request(`${address}/v1/sys/health`, { headersTimeout: 10_000, bodyTimeout: 10_000 })
    await res.body.text()
    return res.statusCode === 200
  } catch {
    return false
  }
}

export async function runFuzz (endpoints: Endpoint[], pools: Pools, opts: FuzzOptions): Promise<FuzzReport> {
  const arb = fuzzCase(endpoints, pools)
  const batchSize = opts.batchSize ?? 250
  const concurrency = opts.concurrency ?? 8
  const report: FuzzReport = { cases: 0, requests: 0, failures: [], kinds: {}, statuses: {}, slow: [] }
  const only = opts.only?.split(':').map(Number)
  const batches = Math.ceil(opts.count / batchSize)

  for (let b = 0; b < batches; b++) {
    if (only !== undefined && only[0] !== b) continue
    const n = Math.min(batchSize, opts.count - b * batchSize)
    const cases = fc.sample(arb, { seed: opts.seed + b, numRuns: n })
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < cases.length) {
        const i = next++
        if (only !== undefined && only[1] !== i) continue
        const c = cases[i]
        report.cases++
        report.requests += c.requests.length
        report.kinds[c.kind] = (report.kinds[c.kind] ?? 0) + 1
        const t0 = Date.now()
        const { problems, responses } = await sendCase(opts.address, c)
        const ms = Date.now() - t0
        if (ms > 2000) report.slow.push(`${ms} ms ${opts.seed} ${b}:${i} ${c.kind} ${show(c.requests[0], 160)}`)
        for (const r of responses) report.statuses[r.status] = (report.statuses[r.status] ?? 0) + 1
        if (problems.length > 0) {
          report.failures.push({
            id: `${opts.seed} ${b}:${i}`,
            kind: c.kind,
            problems,
            request: c.requests.map((r) => show(r)).join(' + '),
            answer: responses.map(answerText).join(' | ')
          })
        }
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker))
    if (!await healthy(opts.address)) {
      report.failures.push({ id: `${opts.seed} ${b}:*`, kind: 'health', problems: ['server stopped answering its health check after this batch'], request: '', answer: '' })
      return report
    }
    await opts.between?.(b)
    if ((b + 1) % 20 === 0) opts.progress?.(`fuzz: ${report.requests} requests, ${report.failures.length} failures`)
  }
  return report
}
