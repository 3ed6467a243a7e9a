/**
 * The results of one run, the goals they are judged against, and the
 * console/markdown rendering of both.
 */
import type { LoadResult } from './load.js'
import type { TargetId } from './targets.js'

export interface ScenarioRow {
  scenario: string
  title: string
  connections: number
  results: Partial<Record<TargetId, LoadResult>>
  /** Why a target has no result for this row. */
  skipped: Partial<Record<TargetId, string>>
  /** localvault ÷ other: req/s, p99 and server CPU per request. */
  vsCeiling?: { rps: number, p99: number, cpu?: number }
  vsExternal?: { rps: number, p99: number, cpu?: number }
}

export interface StartupResult {
  samplesMs: number[]
  medianMs: number
  /** CPU time the server had used by its first 200 (median), ms. */
  cpuMedianMs?: number
}

export interface MemoryResult {
  idleMb: number
  after1Mb: number
  after2Mb: number
  requestsPerPhase: number
  /** Scenarios whose requests were sent in turn. */
  mix: string[]
}

export interface Goal {
  name: string
  limit: string
  value: string
  met: boolean
}

export interface BenchResults {
  meta: {
    date: string
    node: string
    cpus: number
    cpuModel: string
    pinned: boolean
    durationS: number
    warmupS: number
    rounds: number
    /** 1/5/15-minute load averages when the run started and ended. */
    loadAverage: number[]
    loadAverageAfter?: number[]
    gitCommit: string
    /** localvault ran from the esbuild bundle (else from dist/src modules). */
    bundle: boolean
  }
  targets: Array<{ id: TargetId, label: string }>
  startup: Partial<Record<TargetId, StartupResult>>
  memory: Partial<Record<TargetId, MemoryResult>>
  scenarios: ScenarioRow[]
  goals: Goal[]
}

export function median (xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

const fmtInt = (n: number): string => n.toLocaleString('en-US')
const fmtRatio = (n: number | undefined): string => n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(2)

function cell (r: LoadResult | undefined, skipped: string | undefined): string {
  if (r === undefined) return skipped === undefined ? '–' : 'skipped'
  const warn = r.failures > 0 ? ` (${r.failures} failed)` : ''
  const cpu = r.cpuUs !== undefined ? ` ${fmtInt(r.cpuUs)} µs` : ''
  return `${fmtInt(r.rps)} (${r.p50.toFixed(2)} / ${r.p99.toFixed(2)})${cpu}${warn}`
}

/** Judge a run against the goals of issue 9. */
export function evaluateGoals (res: BenchResults): Goal[] {
  const goals: Goal[] = []
  const withCeiling = res.scenarios.filter((r) => r.vsCeiling !== undefined)
  const encrypt = withCeiling.filter((r) => r.scenario.startsWith('encrypt'))
  if (encrypt.length > 0) {
    const worst = encrypt.reduce((a, b) => (b.vsCeiling!.rps < a.vsCeiling!.rps ? b : a))
    goals.push({
      name: 'encrypt req/s vs ceiling (worst encrypt row)',
      limit: '≥ 0.70',
      value: `${fmtRatio(worst.vsCeiling!.rps)} (${worst.scenario}, ${worst.connections} conns)`,
      met: worst.vsCeiling!.rps >= 0.7
    })
  }
  const maxConns = Math.max(...res.scenarios.map((r) => r.connections))
  const busy = withCeiling.filter((r) => r.connections === maxConns && r.connections > 1)
  if (busy.length > 0) {
    const worst = busy.reduce((a, b) => (b.vsCeiling!.p99 > a.vsCeiling!.p99 ? b : a))
    const encrypts = busy.filter((r) => r.scenario.startsWith('encrypt'))
    const encryptWorst = encrypts.length === 0
      ? undefined
      : encrypts.reduce((a, b) => (b.vsCeiling!.p99 > a.vsCeiling!.p99 ? b : a))
    goals.push({
      name: `p99 at ${maxConns} conns vs ceiling (worst row)`,
      limit: '≤ 1.50',
      value: `${fmtRatio(worst.vsCeiling!.p99)} (${worst.scenario})` +
        (encryptWorst === undefined ? '' : `; encrypt worst ${fmtRatio(encryptWorst.vsCeiling!.p99)} (${encryptWorst.scenario})`),
      met: worst.vsCeiling!.p99 <= 1.5
    })
  }
  const start = res.startup.localvault
  if (start !== undefined) {
    const floor = res.startup.floor
    const context = floor === undefined ? '' : ` (bare node:http on the same machine: ${floor.medianMs} ms)`
    goals.push({ name: 'start-up to first 200 (median)', limit: '≤ 300 ms', value: `${start.medianMs} ms${context}`, met: start.medianMs <= 300 })
  }
  const mem = res.memory.localvault
  if (mem !== undefined) {
    goals.push({ name: 'RSS idle', limit: '≤ 80 MB', value: `${mem.idleMb} MB`, met: mem.idleMb <= 80 })
    goals.push({
      name: `RSS after ${fmtInt(2 * mem.requestsPerPhase)} requests`,
      limit: '≤ 150 MB',
      value: `${mem.after2Mb} MB (after ${fmtInt(mem.requestsPerPhase)}: ${mem.after1Mb} MB)`,
      met: mem.after2Mb <= 150
    })
  }
  return goals
}

/** The run as markdown: the same text goes to the console and the .md file. */
export function renderMarkdown (res: BenchResults): string {
  const label = (id: TargetId): string => res.targets.find((t) => t.id === id)?.label ?? id
  // Scenario columns: the targets that took load (not the start-up floor).
  const ids = res.targets.map((t) => t.id)
    .filter((id) => res.scenarios.some((r) => r.results[id] !== undefined || r.skipped[id] !== undefined))
  const hasExternal = ids.includes('external')
  const lines: string[] = []
  const m = res.meta
  lines.push(`Run ${m.date} at ${m.gitCommit} (localvault ${m.bundle ? 'bundled' : 'unbundled'}): Node ${m.node}, ${m.cpus} × ${m.cpuModel}; ` +
    `${m.pinned ? 'server pinned to CPU 0, load generator to CPU 1' : 'not pinned'}; ` +
    `${m.durationS} s per phase after ${m.warmupS} s warm-up` +
    (m.rounds > 1 ? `, median of ${m.rounds} rounds` : '') +
    `; load average ${m.loadAverage[0]} at the start, ${m.loadAverageAfter?.[0] ?? '?'} at the end.`)
  lines.push('')

  if (res.scenarios.length > 0) {
    lines.push('Cells: req/s (p50 / p99 latency, ms) and, for the servers this run spawned, server CPU time ' +
      'per request. Ratios are localvault ÷ the other server: req/s above 1, p99 and CPU below 1 favour localvault.')
    lines.push('')
    const head = ['scenario', 'conns', ...ids.map(label), 'req/s ÷ ceiling', 'p99 ÷ ceiling', 'CPU ÷ ceiling']
    if (hasExternal) head.push(`req/s ÷ ${label('external')}`, `p99 ÷ ${label('external')}`)
    lines.push(`| ${head.join(' | ')} |`)
    lines.push(`|${head.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`)
    for (const row of res.scenarios) {
      const cells = [row.title, String(row.connections),
        ...ids.map((id) => cell(row.results[id], row.skipped[id])),
        fmtRatio(row.vsCeiling?.rps), fmtRatio(row.vsCeiling?.p99), fmtRatio(row.vsCeiling?.cpu)]
      if (hasExternal) cells.push(fmtRatio(row.vsExternal?.rps), fmtRatio(row.vsExternal?.p99))
      lines.push(`| ${cells.join(' | ')} |`)
    }
    const skips = res.scenarios.flatMap((r) => Object.entries(r.skipped)
      .map(([id, why]) => `${r.scenario} on ${label(id as TargetId)}: ${why}`))
    for (const s of [...new Set(skips)]) lines.push(`- skipped ${s}`)
    lines.push('')
  }

  const starts = Object.entries(res.startup)
  if (starts.length > 0) {
    lines.push('| start-up: spawn to first 200 on sys/health | median | min | max | CPU used (median) |')
    lines.push('|---|---:|---:|---:|---:|')
    for (const [id, s] of starts) {
      lines.push(`| ${label(id as TargetId)} (${s.samplesMs.length} starts) | ${s.medianMs} ms | ` +
        `${Math.min(...s.samplesMs)} ms | ${Math.max(...s.samplesMs)} ms | ` +
        `${s.cpuMedianMs === undefined ? '–' : `${s.cpuMedianMs} ms`} |`)
    }
    lines.push('')
  }

  const mems = Object.entries(res.memory)
  if (mems.length > 0) {
    const n = fmtInt(mems[0][1].requestsPerPhase)
    lines.push(`| RSS | idle | after ${n} requests | after another ${n} |`)
    lines.push('|---|---:|---:|---:|')
    for (const [id, mm] of mems) {
      lines.push(`| ${label(id as TargetId)} | ${mm.idleMb} MB | ${mm.after1Mb} MB | ${mm.after2Mb} MB |`)
    }
    lines.push('')
  }

  if (res.goals.length > 0) {
    lines.push('| goal | limit | this run | met |')
    lines.push('|---|---|---|---|')
    for (const g of res.goals) lines.push(`| ${g.name} | ${g.limit} | ${g.value} | ${g.met ? 'yes' : 'no'} |`)
    lines.push('')
  }
  return lines.join('\n')
}
