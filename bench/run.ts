/**
 * `npm run bench`: localvault against its ceiling (a bare Fastify route
 * doing the same work) and, when VAULT_ADDR/VAULT_TOKEN are set, a second
 * server, in one run: throughput and latency per scenario, start-up time and
 * memory. Servers run in their own processes; load comes from this one.
 */
import { execSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { dirname, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { runLoad, type LoadResult } from './load.js'
import { parseOptions, type BenchOptions } from './options.js'
import { runProfiles } from './profile.js'
import {
  evaluateGoals, median, renderMarkdown,
  type BenchResults, type MemoryResult, type ScenarioRow, type StartupResult
} from './report.js'
import { SCENARIOS, cleanup, mixedRequests, prepare, verify, type BenchContext, type Scenario } from './scenarios.js'
import {
  REPO_ROOT, canPin, cpuMs, externalTarget, freePort, pinSelf, rssMb, spawnServer, startSpawned, waitHealthy,
  type SpawnKind, type Target, type TargetId
} from './targets.js'

const SERVER_CPU = '0'
const LOAD_CPU = '1'

function log (line: string): void {
  process.stderr.write(`${line}\n`)
}

const sleep = async (ms: number): Promise<void> => await new Promise((resolve) => setTimeout(resolve, ms))

/** Spawn-to-first-200 on sys/health, `n` times, one process at a time (never pinned: users do not pin). */
async function measureStartup (kind: SpawnKind, n: number, token: string): Promise<StartupResult> {
  const samples: number[] = []
  const cpu: number[] = []
  for (let i = 0; i < n; i++) {
    const port = await freePort()
    const t0 = performance.now()
    const child = spawnServer(kind, port, { token })
    await waitHealthy(`http://127.0.0.1:${port}`, child, 15_000, 1)
    samples.push(Math.round(performance.now() - t0))
    const used = child.pid === undefined ? undefined : cpuMs(child.pid)
    if (used !== undefined) cpu.push(used)
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }
  return {
    samplesMs: samples,
    medianMs: Math.round(median(samples)),
    ...(cpu.length > 0 ? { cpuMedianMs: Math.round(median(cpu)) } : {})
  }
}

/** RSS idle, after `n` mixed requests at 32 connections, and after `n` more. */
async function measureMemory (kind: 'localvault' | 'ceiling', n: number, token: string,
  cpu: string | undefined): Promise<MemoryResult> {
  const target = await startSpawned(kind, { token, cpu })
  try {
    const ctx = await prepare(target)
    const working: Scenario[] = []
    for (const s of SCENARIOS) if (await verify(target, ctx, s) === undefined) working.push(s)
    const requests = mixedRequests(ctx, working)
    await sleep(1000)
    const idleMb = rssMb(target.pid!)
    const phase = async (): Promise<number> => {
      const r = await runLoad({ origin: target.origin, token, requests, connections: 32, amount: n })
      if (r.failures > 0) log(`  ${kind}: ${r.failures} failed requests in the memory phase`)
      await sleep(1000)
      return rssMb(target.pid!)
    }
    const after1Mb = await phase()
    const after2Mb = await phase()
    return { idleMb, after1Mb, after2Mb, requestsPerPhase: n, mix: working.map((s) => s.id).filter((id) => id !== 'encrypt-batch-100') }
  } finally {
    await target.stop()
  }
}

interface Prepared {
  target: Target
  ctx: BenchContext
  /** Scenario id → why it cannot run on this target. */
  broken: Map<string, string>
}

async function runScenarios (opts: BenchOptions, targets: Target[]): Promise<ScenarioRow[]> {
  const scenarios = SCENARIOS.filter((s) => opts.scenarios.length === 0 || opts.scenarios.includes(s.id))
  const prepared: Prepared[] = []
  for (const target of targets) {
    const ctx = await prepare(target)
    const broken = new Map<string, string>()
    for (const s of scenarios) {
      const why = await verify(target, ctx, s)
      if (why !== undefined) {
        broken.set(s.id, why)
        log(`  ${target.label}: skipping ${s.id}: ${why}`)
      }
    }
    prepared.push({ target, ctx, broken })
  }

  const rows: ScenarioRow[] = []
  try {
    for (const s of scenarios) {
      for (const connections of opts.connections) {
        const row: ScenarioRow = { scenario: s.id, title: s.title, connections, results: {}, skipped: {} }
        // Targets back to back, so drift on a shared machine hits all alike;
        // with --rounds, each target keeps its median round by req/s.
        const rounds = new Map<TargetId, LoadResult[]>()
        for (let round = 0; round < opts.rounds; round++) {
          for (const p of prepared) {
            const why = p.broken.get(s.id)
            if (why !== undefined) { row.skipped[p.target.id] = why; continue }
            const load = { origin: p.target.origin, token: p.target.token, requests: s.requests(p.ctx), connections, pid: p.target.pid }
            if (opts.warmupS > 0) await runLoad({ ...load, durationS: opts.warmupS })
            const r = await runLoad({ ...load, durationS: opts.durationS })
            rounds.set(p.target.id, [...(rounds.get(p.target.id) ?? []), r])
            log(`  ${s.id.padEnd(18)} ${String(connections).padStart(3)} conns  ${p.target.label.padEnd(28)} ` +
              `${String(r.rps).padStart(7)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms` +
              (r.cpuUs !== undefined ? `  ${r.cpuUs} µs CPU/req` : '') +
              (r.failures > 0 ? `  ${r.failures} FAILED` : ''))
          }
        }
        for (const [id, rs] of rounds) {
          row.results[id] = [...rs].sort((a, b) => a.rps - b.rps)[Math.floor(rs.length / 2)]
        }
        row.vsCeiling = ratio(row.results.localvault, row.results.ceiling)
        row.vsExternal = ratio(row.results.localvault, row.results.external)
        rows.push(row)
      }
    }
  } finally {
    for (const p of prepared) await cleanup(p.target, p.ctx)
  }
  return rows
}

function ratio (a: LoadResult | undefined, b: LoadResult | undefined): ScenarioRow['vsCeiling'] {
  if (a === undefined || b === undefined) return undefined
  const r2 = (x: number): number => Math.round(x * 100) / 100
  return {
    rps: r2(a.rps / b.rps),
    p99: r2(a.p99 / b.p99),
    ...(a.cpuUs !== undefined && b.cpuUs !== undefined ? { cpu: r2(a.cpuUs / b.cpuUs) } : {})
  }
}

/** Whether bin/localvault.js will load the bundle (the bin's own test). */
async function bundleInUse (): Promise<boolean> {
  const loader = await import(pathToFileURL(resolve(REPO_ROOT, 'bin/load-bundle.js')).href) as { bundleIsCurrent: () => boolean }
  return loader.bundleIsCurrent()
}

function gitCommit (): string {
  try {
    const sha = execSync('git rev-parse --short HEAD', { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()
    const dirty = execSync('git status --porcelain -- src bench', { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()
    return dirty === '' ? sha : `${sha}+changes`
  } catch {
    return 'unknown'
  }
}

async function main (): Promise<void> {
  const opts = parseOptions(process.argv.slice(2))
  const cpus = os.availableParallelism()
  const pinned = opts.pin && cpus >= 2 && canPin()
  if (pinned) pinSelf(LOAD_CPU)
  const cpu = pinned ? SERVER_CPU : undefined
  const token = `bench-${randomBytes(8).toString('hex')}`

  if (opts.profile) {
    await runProfiles(opts, token, cpu)
    return
  }

  const results: BenchResults = {
    meta: {
      date: new Date().toISOString(),
      node: process.versions.node,
      cpus,
      cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
      pinned,
      durationS: opts.durationS,
      warmupS: opts.warmupS,
      rounds: opts.rounds,
      loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
      gitCommit: gitCommit(),
      bundle: await bundleInUse()
    },
    targets: [],
    startup: {},
    memory: {},
    scenarios: [],
    goals: []
  }

  const kinds: Array<'localvault' | 'ceiling'> = ['localvault', 'ceiling']
  if (!results.meta.bundle) log('note: dist/src/bundle is missing or older than the last tsc run; localvault starts unbundled (npm run build makes it)')
  if (opts.startup) {
    for (const kind of [...kinds, 'floor'] as const) {
      log(`start-up: ${kind}, ${opts.startups} starts`)
      results.startup[kind] = await measureStartup(kind, opts.startups, token)
    }
  }
  if (opts.memory) {
    for (const kind of kinds) {
      log(`memory: ${kind}, 2 × ${opts.memoryRequests} mixed requests`)
      results.memory[kind] = await measureMemory(kind, opts.memoryRequests, token, cpu)
    }
  }

  const targets: Target[] = []
  const external = process.env.VAULT_ADDR
  try {
    if (opts.load) {
      for (const kind of kinds) targets.push(await startSpawned(kind, { token, cpu }))
      if (opts.external && external !== undefined && external !== '') {
        targets.push(await externalTarget(external, process.env.VAULT_TOKEN ?? ''))
      }
      log(`load: ${targets.map((t) => t.label).join(', ')}`)
      results.scenarios = await runScenarios(opts, targets)
    }
  } finally {
    for (const t of targets) await t.stop()
  }
  const seen = new Set<TargetId>([...Object.keys(results.startup), ...Object.keys(results.memory)] as TargetId[])
  for (const t of targets) seen.add(t.id)
  const labels: Partial<Record<TargetId, string>> = { ceiling: 'ceiling (bare Fastify route)', floor: 'floor (bare node:http, no framework)' }
  results.targets = [...seen].map((id) => ({ id, label: targets.find((t) => t.id === id)?.label ?? labels[id] ?? id }))
  results.meta.loadAverageAfter = os.loadavg().map((l) => Math.round(l * 100) / 100)
  results.goals = evaluateGoals(results)

  const markdown = renderMarkdown(results)
  process.stdout.write(`\n${markdown}\n`)
  const out = resolve(REPO_ROOT, opts.out)
  mkdirSync(dirname(out), { recursive: true })
  writeFileSync(out, JSON.stringify(results, null, 2) + '\n')
  writeFileSync(out.replace(/\.json$/, '') + '.md', markdown + '\n')
  log(`results: ${out}`)
}

main().catch((err) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`)
  process.exit(1)
})
