/**
 * `npm run bench -- --profile`: localvault under `node --cpu-prof`, one
 * process per hot path (encrypt, decrypt, KV read) at 32 connections, and a
 * summary of each profile: where the CPU went by area and by function.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { runLoad } from './load.js'
import type { BenchOptions } from './options.js'
import { SCENARIOS, cleanup, prepare, verify } from './scenarios.js'
import { REPO_ROOT, startSpawned } from './targets.js'

const PROFILED = ['encrypt-32b', 'decrypt-32b', 'kv-read']

interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
}

interface ProfileNode {
  id: number
  callFrame: CallFrame
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

/** Which part of the stack a frame belongs to. */
function area (frame: CallFrame): string {
  const url = frame.url
  if (url === '') {
    if (frame.functionName === '(garbage collector)') return 'GC'
    if (frame.functionName === '(idle)') return 'idle'
    if (frame.functionName === '(program)') return 'V8/native (program)'
    return 'native/builtin'
  }
  const src = /\/dist\/src\/([^/]+)\/(?:([^/]+)\/)?/.exec(url)
  if (src !== null) {
    const sub = src[1] === 'engines' && src[2] !== undefined && !src[2].endsWith('.js') ? `/${src[2]}` : ''
    return `localvault ${src[1]}${sub}`
  }
  if (url.includes('/dist/src/')) return 'localvault (top level)'
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (pkg !== null) return pkg[1]
  if (url.startsWith('node:')) {
    const mod = /^node:(?:internal\/)?([^/]+)/.exec(url)
    return `node:${mod?.[1] ?? 'internal'}`
  }
  return url
}

interface Summary {
  totalMs: number
  /** Self time by area, ms, descending. */
  areas: Array<[string, number]>
  /** Self time by function, ms, descending. */
  selfTop: Array<[string, number]>
  /** Inclusive time by localvault function, ms, descending. */
  inclusiveTop: Array<[string, number]>
}

/** Self and inclusive times of a .cpuprofile, idle excluded. */
export function summarise (profile: CpuProfile): Summary {
  const byId = new Map<number, ProfileNode>()
  const parent = new Map<number, number>()
  for (const n of profile.nodes) {
    byId.set(n.id, n)
    for (const c of n.children ?? []) parent.set(c, n.id)
  }
  const name = (f: CallFrame): string => {
    const file = f.url.replace(/^.*\/(dist|node_modules)\//, '$1/').replace(/^file:\/\//, '')
    return `${f.functionName === '' ? '(anonymous)' : f.functionName} ${file}:${f.lineNumber + 1}`
  }
  const self = new Map<string, number>()
  const areas = new Map<string, number>()
  const inclusive = new Map<string, number>()
  // Start-up (module loading) is not request handling: begin at the first
  // sample taken inside Node's HTTP server.
  const inHttp = (id: number): boolean => {
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      if (byId.get(n)?.callFrame.url === 'node:_http_server') return true
    }
    return false
  }
  let first = profile.samples.findIndex(inHttp)
  if (first < 0) first = 0
  let total = 0
  for (let i = first; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i])
    if (node === undefined || node.callFrame.functionName === '(idle)') continue
    const ms = (profile.timeDeltas[i] ?? 0) / 1000
    total += ms
    const key = name(node.callFrame)
    self.set(key, (self.get(key) ?? 0) + ms)
    const a = area(node.callFrame)
    areas.set(a, (areas.get(a) ?? 0) + ms)
    const seen = new Set<string>()
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame
      if (!frame.url.includes('/dist/src/')) continue
      const k = name(frame)
      if (seen.has(k)) continue
      seen.add(k)
      inclusive.set(k, (inclusive.get(k) ?? 0) + ms)
    }
  }
  const top = (m: Map<string, number>, n: number): Array<[string, number]> =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n)
  return { totalMs: total, areas: top(areas, 20), selfTop: top(self, 25), inclusiveTop: top(inclusive, 20) }
}

function renderSummary (scenario: string, s: Summary): string {
  const pct = (ms: number): string => `${(ms / s.totalMs * 100).toFixed(1)}%`
  const lines = [`## ${scenario}: ${Math.round(s.totalMs)} ms of busy CPU sampled`, '',
    '| area (self time) | share |', '|---|---:|']
  for (const [a, ms] of s.areas) lines.push(`| ${a} | ${pct(ms)} |`)
  lines.push('', '| function (self time) | share |', '|---|---:|')
  for (const [f, ms] of s.selfTop) lines.push(`| \`${f}\` | ${pct(ms)} |`)
  lines.push('', '| localvault function (inclusive) | share |', '|---|---:|')
  for (const [f, ms] of s.inclusiveTop) lines.push(`| \`${f}\` | ${pct(ms)} |`)
  lines.push('')
  return lines.join('\n')
}

/** Profile each hot path in its own localvault process and summarise. */
export async function runProfiles (opts: BenchOptions, token: string, cpu: string | undefined): Promise<void> {
  const dir = resolve(REPO_ROOT, 'bench/results/latest-profile')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const wanted = opts.scenarios.length > 0 ? opts.scenarios : PROFILED
  const parts: string[] = ['# localvault CPU profiles', '']
  for (const id of wanted) {
    const scenario = SCENARIOS.find((s) => s.id === id)
    if (scenario === undefined) throw new Error(`unknown scenario ${id}`)
    const sub = join(dir, id)
    // Unbundled, so the profile names source files and packages.
    const target = await startSpawned('localvault', { token, cpu, unbundled: true, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${sub}`] })
    try {
      const ctx = await prepare(target)
      const why = await verify(target, ctx, scenario)
      if (why !== undefined) {
        process.stderr.write(`profile: skipping ${id}: ${why}\n`)
        continue
      }
      const load = { origin: target.origin, token, requests: scenario.requests(ctx), connections: 32 }
      const r = await runLoad({ ...load, durationS: opts.durationS + opts.warmupS })
      process.stderr.write(`profile: ${id}: ${r.rps} req/s under the profiler\n`)
      await cleanup(target, ctx)
    } finally {
      await target.stop()
    }
    const file = readdirSync(sub).find((f) => f.endsWith('.cpuprofile'))
    if (file === undefined) throw new Error(`no profile written for ${id}`)
    const summary = summarise(JSON.parse(readFileSync(join(sub, file), 'utf8')) as CpuProfile)
    parts.push(renderSummary(id, summary))
  }
  const text = parts.join('\n')
  writeFileSync(join(dir, 'summary.md'), text)
  process.stdout.write(text + '\n')
  process.stderr.write(`profiles and summary: ${dir}\n`)
}
