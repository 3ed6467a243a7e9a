/**
 * The servers a run measures: localvault and the ceiling, each spawned as
 * its own process (optionally pinned to one core with taskset), and any
 * server already running at VAULT_ADDR.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import { fileURLToPath } from 'node:url'

export type TargetId = 'localvault' | 'ceiling' | 'external' | 'floor'

export interface Target {
  id: TargetId
  /** Human name, e.g. `OpenBao 2.6.2`. */
  label: string
  origin: string
  token: string
  /** Set for spawned targets. */
  pid?: number
  stop: () => Promise<void>
}

/** The repository root (dist/bench/ → ../../). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

export interface SpawnOptions {
  /** taskset CPU list for the server, e.g. `0`; none when undefined. */
  cpu?: string
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeArgs?: readonly string[]
  /** Run localvault from its dist/src modules, not the bundle (profiles then name files). */
  unbundled?: boolean
  token: string
}

/** A free TCP port on 127.0.0.1 (bound, read, released). */
export async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address()
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** Whether `taskset` can pin processes here. */
export function canPin (): boolean {
  return process.platform === 'linux' && spawnSync('taskset', ['-p', String(process.pid)]).status === 0
}

/** Pin every thread of this process to `cpu`. */
export function pinSelf (cpu: string): void {
  spawnSync('taskset', ['-a', '-cp', cpu, String(process.pid)], { stdio: 'ignore' })
}

const UNBUNDLED = ['--input-type=module', '-e',
  "const { main } = await import('./dist/src/main.js'); await main(process.argv.slice(1))", '--']

/** What a run can spawn: localvault, the ceiling, or the bare node:http start-up floor. */
export type SpawnKind = 'localvault' | 'ceiling' | 'floor'

function serverCommand (kind: SpawnKind, port: number, opts: SpawnOptions): string[] {
  const args = ['server', '-dev', `-dev-root-token-id=${opts.token}`, `-dev-listen-address=127.0.0.1:${port}`]
  const script = kind === 'ceiling'
    ? ['dist/bench/ceiling.js', String(port), opts.token]
    : kind === 'floor'
      ? ['dist/bench/floor.js', String(port)]
      : opts.unbundled === true ? [...UNBUNDLED, ...args] : ['bin/localvault.js', ...args]
  const node = [process.execPath, ...(opts.nodeArgs ?? []), ...script]
  return opts.cpu === undefined ? node : ['taskset', '-c', opts.cpu, ...node]
}

/** Spawn a server process; does not wait for it. */
export function spawnServer (kind: SpawnKind, port: number, opts: SpawnOptions): ChildProcess {
  const [cmd, ...args] = serverCommand(kind, port, opts)
  return spawn(cmd, args, { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
}

/** One GET /v1/sys/health; resolves with the status, or 0 if nothing answered. */
export async function healthStatus (origin: string): Promise<number> {
  return await new Promise((resolve) => {
    const req = http.get(`${origin}/v1/sys/health`, { agent: false }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', () => resolve(0))
  })
}

/** Poll sys/health every `intervalMs` until a 200; rejects after `timeoutMs` or if the child exits. */
export async function waitHealthy (origin: string, child: ChildProcess | undefined,
  timeoutMs = 15_000, intervalMs = 2): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child !== undefined && child.exitCode !== null) {
      throw new Error(`server exited with code ${child.exitCode} before answering sys/health`)
    }
    if (await healthStatus(origin) === 200) return
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
  throw new Error(`${origin} did not answer sys/health within ${timeoutMs} ms`)
}

async function stopChild (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
  await exited
  clearTimeout(timer)
}

/** Spawn localvault or the ceiling and wait for its first 200 on sys/health. */
export async function startSpawned (kind: 'localvault' | 'ceiling', opts: SpawnOptions): Promise<Target> {
  const port = await freePort()
  const child = spawnServer(kind, port, opts)
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000) })
  const origin = `http://127.0.0.1:${port}`
  try {
    await waitHealthy(origin, child)
  } catch (err) {
    await stopChild(child)
    throw new Error(`${kind}: ${(err as Error).message}\n${stderr}`)
  }
  return {
    id: kind,
    label: kind === 'localvault' ? 'localvault' : 'ceiling (bare Fastify route)',
    origin,
    token: opts.token,
    pid: child.pid,
    stop: async () => await stopChild(child)
  }
}

/** A server already running at VAULT_ADDR; its name comes from sys/mounts. */
export async function externalTarget (addr: string, token: string): Promise<Target> {
  const origin = addr.replace(/\/+$/, '')
  let label = 'second server'
  try {
    const health = await (await fetch(`${origin}/v1/sys/health`)).json() as { version?: string }
    const mounts = await (await fetch(`${origin}/v1/sys/mounts`, { headers: { 'x-vault-token': token } }))
      .json() as Record<string, { running_plugin_version?: string }>
    const flavour = mounts['sys/']?.running_plugin_version?.endsWith('.bao') === true ? 'OpenBao' : 'Vault'
    label = `${flavour} ${health.version ?? ''}`.trim()
  } catch (err) {
    throw new Error(`VAULT_ADDR=${addr} did not answer: ${(err as Error).message}`)
  }
  return { id: 'external', label, origin, token, stop: async () => {} }
}

let ticksPerSecond: number | undefined

/**
 * CPU time (user + system) a process has used so far, in ms, from Linux
 * /proc; undefined elsewhere. Unlike req/s it barely moves when other work
 * shares the machine, so it is the steadier cost figure.
 */
export function cpuMs (pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    ticksPerSecond ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100
    return (Number(fields[11]) + Number(fields[12])) * 1000 / ticksPerSecond
  } catch {
    return undefined
  }
}

/** Resident set size of a process in MB (Linux /proc, else `ps`). */
export function rssMb (pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(status)
    if (m !== null) return Math.round(Number(m[1]) / 102.4) / 10
  } catch {}
  const ps = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' })
  return Math.round(Number(ps.stdout.trim()) / 102.4) / 10
}
