/** Command-line flags of `npm run bench`. */

export interface BenchOptions {
  /** Seconds per measured phase. */
  durationS: number
  /** Seconds of unmeasured load before each measured phase. */
  warmupS: number
  /** Measurements per target and scenario; the median by req/s is kept. */
  rounds: number
  connections: number[]
  /** Scenario ids to run; all when empty. */
  scenarios: string[]
  startups: number
  /** Requests per memory phase (two phases). */
  memoryRequests: number
  pin: boolean
  startup: boolean
  memory: boolean
  load: boolean
  /** Use VAULT_ADDR/VAULT_TOKEN as a second server when set. */
  external: boolean
  /** Write CPU profiles of localvault instead of the normal run. */
  profile: boolean
  /** Results file (JSON; a .md summary goes next to it). */
  out: string
}

export const USAGE = `Usage: npm run bench -- [flags]

  --duration=S        seconds per measured phase (default 3)
  --warmup=S          seconds of warm-up before each phase (default 1)
  --rounds=N          measure each scenario N times per target, keep the median (default 1)
  --connections=1,32  connection counts (default 1,32)
  --scenarios=a,b     only these scenario ids (default all)
  --startups=N        start-up samples (default 10)
  --memory-requests=N requests per memory phase (default 100000)
  --no-pin            do not pin server and load generator to separate cores
  --no-startup        skip the start-up measurement
  --no-memory         skip the memory measurement
  --no-load           skip the throughput scenarios
  --no-external       ignore VAULT_ADDR even when set
  --profile           write CPU profiles of localvault (encrypt, decrypt, KV read)
  --out=FILE          results JSON (default bench/results/latest.json)

A second server is measured when VAULT_ADDR and VAULT_TOKEN are set.
`

export function parseOptions (argv: readonly string[]): BenchOptions {
  const o: BenchOptions = {
    durationS: 3,
    warmupS: 1,
    rounds: 1,
    connections: [1, 32],
    scenarios: [],
    startups: 10,
    memoryRequests: 100_000,
    pin: true,
    startup: true,
    memory: true,
    load: true,
    external: true,
    profile: false,
    out: 'bench/results/latest.json'
  }
  const positive = (name: string, v: string): number => {
    const n = Number(v)
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number, got ${JSON.stringify(v)}`)
    return n
  }
  for (const arg of argv) {
    const [flag, value = ''] = arg.split(/=(.*)/s)
    switch (flag) {
      case '--duration': o.durationS = positive('duration', value); break
      case '--warmup': o.warmupS = value === '0' ? 0 : positive('warmup', value); break
      case '--rounds': o.rounds = Math.round(positive('rounds', value)); break
      case '--connections': o.connections = value.split(',').map((v) => Math.round(positive('connections', v))); break
      case '--scenarios': o.scenarios = value.split(',').filter((v) => v !== ''); break
      case '--startups': o.startups = Math.round(positive('startups', value)); break
      case '--memory-requests': o.memoryRequests = Math.round(positive('memory-requests', value)); break
      case '--no-pin': o.pin = false; break
      case '--no-startup': o.startup = false; break
      case '--no-memory': o.memory = false; break
      case '--no-load': o.load = false; break
      case '--no-external': o.external = false; break
      case '--profile': o.profile = true; break
      case '--out': o.out = value; break
      case '--help': case '-h': process.stdout.write(USAGE); process.exit(0); break
      default: throw new Error(`unknown flag ${arg}\n\n${USAGE}`)
    }
  }
  return o
}
