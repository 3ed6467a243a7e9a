/**
 * Start a localvault server: storage, core, HTTP app, listen. Used by the
 * CLI (main.ts) and by Node test suites through `startServer`.
 */
import pino, { type Logger } from 'pino'
import { createClock } from './clock/index.js'
import { createSecureRandom } from './crypto/random.js'
import { createMemoryStorage } from './storage/index.js'
import { Core } from './core/core.js'
import { buildApp } from './server/app.js'
import type { Flavor, LogLevel } from './config/index.js'

export interface StartOptions {
  /** Port to listen on; 0 (the default here) picks a free one. */
  port?: number
  /** Host to bind; 127.0.0.1 by default. */
  host?: string
  /** Fixed root token id; random when absent. */
  rootToken?: string
  /** Log level; `silent` by default in-process. */
  logLevel?: LogLevel
  /** A pino logger to use instead of building one. */
  logger?: Logger
  flavor?: Flavor
  /** Engines to mount at start: `transit`, or `{ path, type }`. */
  mounts?: ReadonlyArray<string | { path: string, type: string }>
}

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:51234` (what VAULT_ADDR should be). */
  address: string
  rootToken: string
  close: () => Promise<void>
}

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

/** Start a server; resolves once it is listening. */
export async function startServer (options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(options.logLevel ?? 'silent')
  const flavor = options.flavor ?? 'vault'
  const clock = createClock()
  const random = createSecureRandom()
  const storage = createMemoryStorage()
  const core = new Core({
    storage,
    clock,
    random,
    log: logger,
    flavor,
    devRootTokenId: options.rootToken,
    devMounts: (options.mounts ?? []).map((m) => (typeof m === 'string'
      ? { path: m.split('=')[0], type: m.includes('=') ? m.split('=')[1] : m }
      : m))
  })
  core.start()
  const app = await buildApp({ core, logger, random, flavor })
  const host = options.host ?? '127.0.0.1'
  // Listen on the underlying server: Fastify's own listen() adds a second
  // "listening" log line next to our single ready line.
  await app.ready()
  await new Promise<void>((resolve, reject) => {
    app.server.once('error', reject)
    app.server.listen({ host, port: options.port ?? 0 }, () => {
      app.server.off('error', reject)
      resolve()
    })
  })
  const ticker = setInterval(() => core.tick(), tickerMs())
  ticker.unref()
  const addr = app.server.address()
  const port = typeof addr === 'object' && addr !== null ? addr.port : options.port ?? 0
  const shownHost = host.includes(':') ? `[${host}]` : host
  return {
    address: `http://${shownHost === '0.0.0.0' ? '127.0.0.1' : shownHost}:${port}`,
    rootToken: core.rootToken,
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
