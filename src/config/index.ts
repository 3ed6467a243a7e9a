/**
 * Config: flags and environment variables into one validated, frozen
 * object. Vault's own flag names work with one dash or two.
 */
import fs from 'node:fs'
import { parseArgs } from 'node:util'

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent'
export type Flavor = 'vault' | 'openbao'

export interface Config {
  /** Host and port to listen on. */
  host: string
  port: number
  /** Fixed root token id, or undefined for a random one. */
  devRootTokenId: string | undefined
  logLevel: LogLevel
  flavor: Flavor
  /** Engines mounted at first start besides dev mode's own. */
  devMounts: ReadonlyArray<{ path: string, type: string }>
  /** Directory keeping state across restarts (SQLite); undefined: in memory. */
  dataDir: string | undefined
  /** Seed file (YAML or JSON) applied at start. */
  seed: string | undefined
  /** Seed of deterministic mode; undefined when off. */
  deterministic: string | undefined
}

/** localvault's own version (package.json), recorded in data directories. */
export const LOCALVAULT_VERSION: string = (() => {
  try {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown }
    return typeof pkg.version === 'string' ? pkg.version : 'unknown'
  } catch {
    return 'unknown'
  }
})()

export const DEFAULTS = Object.freeze({
  listenAddress: '127.0.0.1:8200',
  logLevel: 'info' as LogLevel,
  flavor: 'vault' as Flavor
})

export class ConfigError extends Error {}

const LOG_LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
// Vault's hclog names "warning" and "err" too.
const LEVEL_ALIASES: Record<string, LogLevel> = { warning: 'warn', err: 'error', notice: 'info' }

const FLAGS = {
  dev: { type: 'boolean' },
  'dev-root-token-id': { type: 'string' },
  'dev-listen-address': { type: 'string' },
  'dev-mount': { type: 'string', multiple: true },
  'log-level': { type: 'string' },
  'data-dir': { type: 'string' },
  seed: { type: 'string' },
  deterministic: { type: 'string' },
  flavor: { type: 'string' },
  help: { type: 'boolean', short: 'h' }
} as const

export const USAGE = `Usage: localvault server -dev [options]
       localvault version [-flavor=vault|openbao]
       localvault help

Options (one dash or two):
  -dev                          Run in dev mode (the only mode; accepted for Vault compatibility)
  -dev-root-token-id=ID         Root token id (env VAULT_DEV_ROOT_TOKEN_ID; default: random)
  -dev-listen-address=ADDR      Address to listen on (env VAULT_DEV_LISTEN_ADDRESS; default 127.0.0.1:8200)
  -dev-mount=PATH[=TYPE]        Mount an engine at start, e.g. transit or kv1=kv (repeatable;
                                env LOCALVAULT_DEV_MOUNTS, comma-separated)
  -log-level=LEVEL              trace, debug, info, warn, error, silent (env LOCALVAULT_LOG_LEVEL; default info)
  -flavor=vault|openbao         Which server to imitate where they differ (env LOCALVAULT_FLAVOR; default vault)
  -data-dir=DIR                 Keep state in DIR across restarts (env LOCALVAULT_DATA_DIR; default: in memory)
  -seed=FILE                    Apply a YAML or JSON seed file at start (env LOCALVAULT_SEED)
  -deterministic=SEED           Derive every random value from SEED and freeze the clock, for
                                byte-stable responses; never for real secrets (env LOCALVAULT_DETERMINISTIC)
`

/** Turn Vault's single-dash long flags into two-dash ones. */
function normalizeArgs (args: readonly string[]): string[] {
  return args.map((a) => (/^-[a-z][a-z-]+(=.*)?$/.test(a) ? `-${a}` : a))
}

export function parseListenAddress (text: string): { host: string, port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text)
  if (m === null) throw new ConfigError(`invalid listen address "${text}": expected host:port`)
  const port = Number(m[3])
  if (port > 65535) throw new ConfigError(`invalid listen address "${text}": port out of range`)
  const host = m[1] ?? m[2]
  return { host: host === '' ? '0.0.0.0' : host, port }
}

function parseDevMount (text: string): { path: string, type: string } {
  const eq = text.indexOf('=')
  const path = (eq < 0 ? text : text.slice(0, eq)).replace(/^\/+|\/+$/g, '')
  const type = eq < 0 ? path : text.slice(eq + 1)
  if (path === '' || type === '') throw new ConfigError(`invalid -dev-mount "${text}": expected PATH or PATH=TYPE`)
  return { path, type }
}

export interface ParsedCommand {
  command: 'server' | 'help' | 'version'
  config: Config
}

/** Build the config from arguments (after the program name) and the environment. */
export function loadConfig (argv: readonly string[], env: NodeJS.ProcessEnv): ParsedCommand {
  const args = [...argv]
  let command: ParsedCommand['command'] = 'server'
  if (args[0] === 'server') args.shift()
  else if (args[0] === 'version' || args[0] === '-version' || args[0] === '--version') {
    command = 'version'
    args.shift()
  } else if (args[0] === 'help') {
    command = 'help'
    args.shift()
  }

  let values: Record<string, unknown>
  try {
    values = parseArgs({
      args: normalizeArgs(args),
      options: FLAGS,
      strict: true,
      allowPositionals: false
    }).values
  } catch (err) {
    throw new ConfigError((err as Error).message.split('\n')[0])
  }
  if (values.help === true) command = 'help'

  const listen = (values['dev-listen-address'] as string | undefined) ??
    env.VAULT_DEV_LISTEN_ADDRESS ?? DEFAULTS.listenAddress
  const { host, port } = parseListenAddress(listen)

  const rawLevel = ((values['log-level'] as string | undefined) ?? env.LOCALVAULT_LOG_LEVEL ??
    DEFAULTS.logLevel).toLowerCase()
  const logLevel = (LEVEL_ALIASES[rawLevel] ?? rawLevel) as LogLevel
  if (!LOG_LEVELS.has(logLevel)) {
    throw new ConfigError(`invalid log level "${rawLevel}": use trace, debug, info, warn, error or silent`)
  }

  const flavor = ((values.flavor as string | undefined) ?? env.LOCALVAULT_FLAVOR ?? DEFAULTS.flavor).toLowerCase()
  if (flavor !== 'vault' && flavor !== 'openbao') {
    throw new ConfigError(`invalid flavor "${flavor}": use vault or openbao`)
  }

  const mountTexts = (values['dev-mount'] as string[] | undefined) ??
    (env.LOCALVAULT_DEV_MOUNTS ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')
  const rootId = (values['dev-root-token-id'] as string | undefined) ?? env.VAULT_DEV_ROOT_TOKEN_ID
  const dataDir = (values['data-dir'] as string | undefined) ?? env.LOCALVAULT_DATA_DIR
  const seed = (values.seed as string | undefined) ?? env.LOCALVAULT_SEED
  const deterministic = (values.deterministic as string | undefined) ?? env.LOCALVAULT_DETERMINISTIC
  if (deterministic === '') throw new ConfigError('invalid -deterministic: the seed must not be empty')
  const config: Config = Object.freeze({
    host,
    port,
    devRootTokenId: rootId === undefined || rootId === '' ? undefined : rootId,
    logLevel,
    flavor,
    devMounts: Object.freeze(mountTexts.map(parseDevMount)),
    dataDir: dataDir === undefined || dataDir === '' ? undefined : dataDir,
    seed: seed === undefined || seed === '' ? undefined : seed,
    deterministic
  })
  return { command, config }
}
