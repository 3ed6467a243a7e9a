/**
 * One fuzz session against a fresh in-process server: what the CI test and
 * `npm run fuzz:long` both run. Besides the per-answer verdicts it records
 * error-level log lines (each is a 500 or a failure after the answer),
 * unhandled rejections and exceptions, and heap use after each batch.
 */
import { loadEndpoints } from './endpoints.js'
import { collectPools, startHardened } from './fixture.js'
import { runFuzz, type FuzzReport } from './run.js'
import type { Flavor } from '../../../src/engines/engine.js'

export interface SessionOptions {
  flavor?: Flavor
  seed: number
  count: number
  only?: string
  concurrency?: number
  /** Reset the server to its seeded state every this many batches (default 1). */
  resetEvery?: number
  progress?: (line: string) => void
}

export interface SessionResult {
  report: FuzzReport
  /** Log lines at level error or above. */
  errorLines: string[]
  /** Unhandled rejections and uncaught exceptions seen while fuzzing. */
  crashes: string[]
  /** Heap used after a GC, MiB, after each batch (only with --expose-gc). */
  heapMiB: number[]
  ms: number
}

export async function fuzzSession (opts: SessionOptions): Promise<SessionResult> {
  const crashes: string[] = []
  const onRejection = (err: unknown): void => { crashes.push(`unhandledRejection: ${String((err as Error)?.stack ?? err)}`) }
  const onException = (err: unknown): void => { crashes.push(`uncaughtException: ${String((err as Error)?.stack ?? err)}`) }
  process.on('unhandledRejection', onRejection)
  process.on('uncaughtException', onException)
  const started = Date.now()
  const heapMiB: number[] = []
  const gc = (globalThis as { gc?: () => void }).gc
  let close = async (): Promise<void> => {}
  try {
    const { server, lines } = await startHardened({ flavor: opts.flavor })
    close = async () => await server.close()
    const pools = await collectPools(server.address)
    const endpoints = loadEndpoints(opts.flavor)
    const report = await runFuzz(endpoints, pools, {
      address: server.address,
      seed: opts.seed,
      count: opts.count,
      only: opts.only,
      concurrency: opts.concurrency,
      progress: opts.progress,
      between: async (batch) => {
        if ((batch + 1) % (opts.resetEvery ?? 1) === 0) await server.reset()
        // Keep only the log lines that matter; the rest would grow without bound.
        const kept = lines.filter((l) => levelOf(l) >= 50)
        lines.length = 0
        lines.push(...kept)
        if (gc !== undefined) {
          gc()
          heapMiB.push(Math.round(process.memoryUsage().heapUsed / 1048576))
        }
      }
    })
    return { report, errorLines: lines.filter((l) => levelOf(l) >= 50), crashes, heapMiB, ms: Date.now() - started }
  } finally {
    await close()
    process.off('unhandledRejection', onRejection)
    process.off('uncaughtException', onException)
  }
}

function levelOf (line: string): number {
  const m = /"level":(\d+)/.exec(line)
  return m === null ? 0 : Number(m[1])
}

/** A short human summary of a session. */
export function summary (r: SessionResult, seed: number): string {
  const statuses = Object.entries(r.report.statuses).sort().map(([s, n]) => `${s}:${n}`).join(' ')
  const kinds = Object.entries(r.report.kinds).sort().map(([k, n]) => `${k}:${n}`).join(' ')
  return `fuzz: sent ${r.report.requests} requests (${r.report.cases} cases, seed ${seed}) in ${(r.ms / 1000).toFixed(1)} s; ` +
    `${r.report.failures.length} failures, ${r.errorLines.length} error log lines, ${r.crashes.length} crashes\n` +
    `  statuses ${statuses}\n  kinds ${kinds}` +
    (r.heapMiB.length > 0 ? `\n  heap MiB after GC: first ${r.heapMiB[0]}, max ${Math.max(...r.heapMiB)}, last ${r.heapMiB[r.heapMiB.length - 1]}` : '')
}
