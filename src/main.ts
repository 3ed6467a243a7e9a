/**
 * The CLI: `localvault server -dev`. Prints what `vault server -dev`
 * prints that people use (address, root token, the export line), then one
 * ready line; exits 1 with one clear line on a bad flag or a busy port.
 */
import { ConfigError, loadConfig, USAGE } from './config/index.js'
import { createLogger, startServer } from './start.js'
import { serverVersion } from './mounts/index.js'

function fail (message: string): never {
  process.stderr.write(`Error: ${message}\n`)
  process.exit(1)
}

export async function main (argv: readonly string[]): Promise<void> {
  let parsed
  try {
    parsed = loadConfig(argv, process.env)
  } catch (err) {
    // One clear line; the full usage is one `localvault help` away.
    if (err instanceof ConfigError) fail(`${err.message} (see 'localvault help')`)
    throw err
  }
  if (parsed.command === 'help') {
    process.stdout.write(USAGE)
    return
  }
  if (parsed.command === 'version') {
    process.stdout.write(`localvault ${serverVersion(parsed.config.flavor)}\n`)
    return
  }
  const { config } = parsed
  const logger = createLogger(config.logLevel)
  // Until the server is up, a signal just ends the process (state written so
  // far is committed; a seed is applied again, idempotently, on the next start).
  const early = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'interrupted during start-up')
    logger.flush?.()
    process.exit(130)
  }
  process.once('SIGINT', early)
  process.once('SIGTERM', early)
  let server
  try {
    server = await startServer({
      host: config.host,
      port: config.port,
      rootToken: config.devRootTokenId,
      logger,
      flavor: config.flavor,
      mounts: config.devMounts,
      dataDir: config.dataDir,
      seed: config.seed,
      deterministic: config.deterministic
    })
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    if (e.code === 'EADDRINUSE') fail(`listen tcp ${config.host}:${config.port}: address already in use`)
    if (e.code === 'EACCES') fail(`listen tcp ${config.host}:${config.port}: permission denied`)
    if (e.code === 'EADDRNOTAVAIL') fail(`listen tcp ${config.host}:${config.port}: cannot assign requested address`)
    fail(e.message)
  }

  process.stdout.write([
    '==> localvault server started! Log data will stream in below:',
    '',
    ...(config.dataDir === undefined
      ? ['WARNING! dev mode is enabled! In this mode, localvault runs entirely in-memory',
          'and starts unsealed with a single root token. Do not use it for real secrets.']
      : ['WARNING! dev mode is enabled! In this mode, localvault keeps its state in',
          `${config.dataDir} and starts unsealed with a single root token. Do not use it for real secrets.`]),
    '',
    ...(config.deterministic === undefined
      ? []
      : ['WARNING! deterministic mode is enabled: tokens, keys and nonces are predictable',
          'from the -deterministic seed, and the clock stands still until moved.', '']),
    'You may need to set the following environment variables:',
    '',
    `    $ export VAULT_ADDR='${server.address}'`,
    '',
    'The root token is displayed below:',
    '',
    `Root Token: ${server.rootToken}`,
    '',
    ''
  ].join('\n'))
  logger.info({ address: server.address, version: serverVersion(config.flavor) }, 'localvault ready')

  let closing = false
  const shutdown = (signal: string): void => {
    if (closing) return
    closing = true
    logger.info({ signal }, 'shutting down')
    server.close().then(() => process.exit(0), () => process.exit(1))
  }
  process.off('SIGINT', early)
  process.off('SIGTERM', early)
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
}
