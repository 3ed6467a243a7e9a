/**
 * Start a localvault server: storage, core, seed, HTTP app, listen. Used by
 * the CLI (main.ts) and by Node test suites through `startServer`.
 */
import pino, { type Logger } from 'pino'
import { createClock, createFrozenClock, parseRfc3339, type Clock } from './clock/index.js'
import { createSecureRandom, type RandomSource } from './crypto/random.js'
import { createSeededRandom, type SeededRandom } from './crypto/seeded-random.js'
import { createFence, createMemoryStorage, openSqliteStorage, type StorageBackend } from './storage/index.js'
import { Core } from './core/core.js'
import { buildApp } from './server/app.js'
import type { ServerTimeouts } from './server/http-limits.js'
import { parseAdvance, type LocalvaultControl } from './server/routes/localvault.js'
import { applySeed, loadSeedFile, seedFromObject, type Seed } from './seed/index.js'
import { LOCALVAULT_VERSION, type Flavor, type LogLevel } from './config/index.js'

export interface StartOptions {
  /** Port to listen on; 0 (the default here) picks a free one. */
  port?: number
  /** Host to bind; 127.0.0.1 by default. */
  host?: string
  /** Fixed root token id; random when absent (kept across restarts with a data directory). */
  rootToken?: string
  /** Log level; `silent` by default in-process. */
  logLevel?: LogLevel
  /** A pino logger to use instead of building one. */
  logger?: Logger
  flavor?: Flavor
  /** Engines to mount at start: `transit`, or `{ path, type }`. */
  mounts?: ReadonlyArray<string | { path: string, type: string }>
  /** Keep state in this directory (SQLite) across restarts; in memory when absent. */
  dataDir?: string
  /** A seed applied at start: a YAML or JSON file name, or the seed itself as an object. */
  seed?: string | Record<string, unknown>
  /**
   * Deterministic mode: every random value (request ids, tokens, accessors,
   * key material, nonces) comes from this seed, and the clock stands still
   * at DETERMINISTIC_EPOCH until moved. Never for real secrets.
   */
  deterministic?: string
  /**
   * Connection timeouts in ms (headers, whole request, idle keep-alive);
   * Vault's listener defaults otherwise: 10 s, 30 s, 5 min.
   */
  timeouts?: ServerTimeouts
}

/** Moving the server's clock; expiry and rotation that fall due run at once. */
export interface ClockControl {
  /** The server's current time. */
  now: () => Date
  /** Move forward: a duration string ("1h", "90m", "7d") or milliseconds. */
  advance: (by: string | number) => void
  /** Jump to a time: a Date, an RFC 3339 string or epoch milliseconds. */
  set: (to: Date | string | number) => void
}

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:51234` (what VAULT_ADDR should be). */
  address: string
  rootToken: string
  /** Back to the state right after start-up (seed applied), clock and randomness included. */
  reset: () => Promise<void>
  clock: ClockControl
  close: () => Promise<void>
}

/** Where the clock stands at start in deterministic mode. */
export const DETERMINISTIC_EPOCH = Date.UTC(2025, 0, 1)

/** Redact credentials wherever a logger might meet them (a backstop, not a licence). */
export const REDACT_PATHS = [
  'req.headers["x-vault-token"]',
  'req.headers.authorization',
  'headers["x-vault-token"]',
  'headers.authorization'
]

export function createLogger (level: LogLevel): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } })
}

function tickerMs (): number {
  return 1000
}

function devMounts (options: StartOptions): Array<{ path: string, type: string }> {
  return (options.mounts ?? []).map((m) => (typeof m === 'string'
    ? { path: m.split('=')[0], type: m.includes('=') ? m.split('=')[1] : m }
    : m))
}

function loadSeed (seed: StartOptions['seed']): Seed | undefined {
  if (seed === undefined) return undefined
  return typeof seed === 'string' ? loadSeedFile(seed) : seedFromObject(seed)
}

/** A Date, RFC 3339 text or epoch ms as epoch ms. */
function toEpochMs (to: Date | string | number): number {
  const ms = to instanceof Date ? to.getTime() : typeof to === 'string' ? parseRfc3339(to) : to
  if (ms === undefined || !Number.isFinite(ms)) throw new TypeError(`not a time: ${String(to)}`)
  return ms
}

/**
 * The swappable part of a server: the core over fenced storage, and the
 * start-up state reset returns to. Reset restores storage, clock and
 * random position, then builds a new core from storage so no engine cache
 * outlives it; the HTTP routes find the core through `current`.
 */
class Runtime {
  current: Core
  private fence: ReturnType<typeof createFence>
  private startup: { snapshot: ReturnType<StorageBackend['snapshot']>, randomPosition: number } | undefined

  constructor (
    private readonly storage: StorageBackend,
    private readonly clock: Clock,
    private readonly seeded: SeededRandom | undefined,
    private readonly makeCore: (storage: StorageBackend) => Core,
    private readonly log: Logger
  ) {
    this.fence = createFence(storage)
    this.current = this.makeCore(this.fence.storage)
    this.current.start()
  }

  /** Record the state reset brings back. */
  markStartup (): void {
    this.storage.flush()
    this.startup = { snapshot: this.storage.snapshot(), randomPosition: this.seeded?.position() ?? 0 }
  }

  async reset (): Promise<void> {
    if (this.startup === undefined) throw new Error('reset before start-up finished')
    for (const m of this.current.mounts.all()) m.engine.cleanup?.()
    // Requests still running on the old core must not write into the restored state.
    this.fence.retire()
    this.storage.restore(this.startup.snapshot)
    this.clock.reset()
    this.seeded?.seek(this.startup.randomPosition)
    this.fence = createFence(this.storage)
    const core = this.makeCore(this.fence.storage)
    core.start()
    this.current = core
  }

  tick (): void {
    try {
      this.current.tick()
    } catch (err) {
      this.log.error({ err }, 'periodic work failed')
    }
  }

  control (): LocalvaultControl {
    return {
      rootToken: () => this.current.rootToken,
      reset: async () => await this.reset(),
      now: () => this.clock.now(),
      advanceClock: (ms) => {
        this.clock.advance(ms)
        this.tick()
      },
      setClock: (ms) => {
        this.clock.set(ms)
        this.tick()
      }
    }
  }
}

const DETERMINISTIC_STARTS = 'localvault/deterministic-starts'

/**
 * The deterministic stream for this start. A data directory keeps state
 * across restarts, so each start of it gets its own stream (the seed plus
 * a start count kept in the directory): replaying the first start's stream
 * would hand out token ids and accessors that already exist. A first start
 * uses the seed alone.
 */
function seededForThisStart (storage: StorageBackend, seed: string): SeededRandom {
  const starts = (storage.get<number>(DETERMINISTIC_STARTS) ?? 0) + 1
  storage.put(DETERMINISTIC_STARTS, starts)
  return createSeededRandom(starts === 1 ? seed : `${seed}\u0000start ${starts}`)
}

/** Start a server; resolves once it is listening. */
export async function startServer (options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(options.logLevel ?? 'silent')
  const flavor = options.flavor ?? 'vault'
  // A bad seed stops start-up before the data directory is touched.
  const seed = loadSeed(options.seed)
  const deterministic = options.deterministic
  const clock = deterministic === undefined ? createClock() : createFrozenClock(DETERMINISTIC_EPOCH)
  if (deterministic !== undefined) {
    logger.warn({}, 'deterministic mode: every token, key and nonce is predictable from the seed; never use it for real secrets')
  }
  const storage = options.dataDir === undefined
    ? createMemoryStorage()
    : openSqliteStorage({ dir: options.dataDir, version: LOCALVAULT_VERSION })
  const seeded = deterministic === undefined ? undefined : seededForThisStart(storage, deterministic)
  const random: RandomSource = seeded ?? createSecureRandom()

  let runtime: Runtime
  try {
    runtime = new Runtime(storage, clock, seeded, (fenced) => new Core({
      storage: fenced,
      clock,
      random,
      log: logger,
      flavor,
      devRootTokenId: options.rootToken,
      devMounts: devMounts(options)
    }), logger)
    if (seed !== undefined) {
      const summary = await applySeed(runtime.current, seed, logger.child({ seed: seed.source }))
      logger.info({ source: seed.source, ...summary }, 'seed applied')
    }
    runtime.markStartup()
  } catch (err) {
    storage.close()
    throw err
  }

  const core = runtime.current
  const app = await buildApp({ core, coreRef: runtime, control: runtime.control(), logger, random, flavor },
    { timeouts: options.timeouts })
  // Node stamps each response with the wall clock; the Date header follows
  // the server's clock instead, moved or frozen like every other timestamp.
  app.server.prependListener('request', (_req, res) => {
    res.sendDate = false
    res.setHeader('date', new Date(clock.now()).toUTCString())
  })
  const host = options.host ?? '127.0.0.1'
  // Listen on the underlying server: Fastify's own listen() adds a second
  // "listening" log line next to our single ready line.
  try {
    await app.ready()
    await new Promise<void>((resolve, reject) => {
      app.server.once('error', reject)
      app.server.listen({ host, port: options.port ?? 0 }, () => {
        app.server.off('error', reject)
        resolve()
      })
    })
  } catch (err) {
    await app.close().catch(() => {})
    storage.close()
    throw err
  }
  const ticker = setInterval(() => runtime.tick(), tickerMs())
  ticker.unref()
  const addr = app.server.address()
  const port = typeof addr === 'object' && addr !== null ? addr.port : options.port ?? 0
  const shownHost = host.includes(':') ? `[${host}]` : host
  const control = runtime.control()
  return {
    address: `http://${shownHost === '0.0.0.0' ? '127.0.0.1' : shownHost}:${port}`,
    rootToken: core.rootToken,
    reset: async () => await runtime.reset(),
    clock: {
      now: () => new Date(clock.now()),
      advance: (by) => {
        const ms = typeof by === 'number' ? by : parseAdvance(by)
        if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advance: need a non-negative duration')
        control.advanceClock(ms)
      },
      set: (to) => control.setClock(toEpochMs(to))
    },
    close: async () => {
      clearInterval(ticker)
      // Fastify closes only servers it started listening itself.
      const closed = new Promise<void>((resolve) => app.server.close(() => resolve()))
      app.server.closeAllConnections()
      await app.close()
      await closed
      storage.close()
    }
  }
}
