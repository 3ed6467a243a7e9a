/**
 * Transit test harness: a localvault over a real socket with a transit
 * mount; the test holds the clock and core, so auto-rotation can be driven
 * by moving the clock and calling the core's tick.
 */
import type { Test } from 'tap'
import pino from 'pino'
import { createClock, type Clock } from '../../../src/clock/index.js'
import { Core } from '../../../src/core/core.js'
import { createSecureRandom } from '../../../src/crypto/random.js'
import type { Flavor } from '../../../src/engines/engine.js'
import { buildApp } from '../../../src/server/app.js'
import { createMemoryStorage } from '../../../src/storage/index.js'
import { call, type Reply } from '../../helpers/server.js'
import type { RunningServer } from '../../../src/index.js'

export interface TransitHarness {
  server: Pick<RunningServer, 'address' | 'rootToken' | 'close'>
  clock: Clock
  core: Core
  /** Call `/v1/<mount>/<path>` with an optional body. */
  t: (method: string, path: string, body?: unknown, token?: string | null) => Promise<Reply>
  /** Call any `/v1/` path. */
  raw: (method: string, path: string, body?: unknown, token?: string | null) => Promise<Reply>
  mount: string
}

export async function startTransit (t: Test, options: { flavor?: Flavor, mount?: string } = {}): Promise<TransitHarness> {
  const flavor = options.flavor ?? 'openbao'
  const mount = options.mount ?? 'transit'
  const logger = pino({ level: 'silent' })
  const clock = createClock()
  const random = createSecureRandom()
  const storage = createMemoryStorage()
  const core = new Core({ storage, clock, random, log: logger, flavor, devRootTokenId: 'root' })
  core.start()
  const app = await buildApp({ core, logger, random, flavor })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const addr = app.server.address()
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0
  const server: TransitHarness['server'] = {
    address: `http://127.0.0.1:${port}`,
    rootToken: 'root',
    close: async () => { await app.close() }
  }
  t.teardown(() => server.close())
  const raw = async (method: string, path: string, body?: unknown, token?: string | null): Promise<Reply> =>
    await call(server, method, `/v1/${path}`, { body, token })
  const enabled = await raw('POST', `sys/mounts/${mount}`, { type: 'transit' })
  if (enabled.status !== 204) throw new Error(`mount failed: ${enabled.status} ${enabled.text}`)
  return {
    server,
    clock,
    core,
    mount,
    raw,
    t: async (method, path, body, token) => await raw(method, `${mount}/${path}`, body, token)
  }
}

export const b64 = (s: string | Buffer): string => Buffer.from(s).toString('base64')
