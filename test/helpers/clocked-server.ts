/**
 * A localvault over a real socket whose clock, storage and core the test
 * holds, so time-based KV behaviour (delete_version_after) can be driven
 * without sleeping, and storage can be inspected.
 */
import type { Test } from 'tap'
import pino from 'pino'
import { createClock, type Clock } from '../../src/clock/index.js'
import { Core } from '../../src/core/core.js'
import { createSecureRandom } from '../../src/crypto/random.js'
import type { Flavor } from '../../src/engines/engine.js'
import { buildApp } from '../../src/server/app.js'
import { createMemoryStorage } from '../../src/storage/index.js'
import type { StorageBackend } from '../../src/storage/storage.js'
import { call, type CallOptions, type Reply } from './server.js'
import type { RunningServer } from '../../src/index.js'

export interface Harness {
  server: Pick<RunningServer, 'address' | 'rootToken' | 'close'>
  clock: Clock
  core: Core
  storage: StorageBackend
  /** One HTTP call with the root token (see helpers/server.ts call). */
  call: (method: string, path: string, options?: CallOptions) => Promise<Reply>
}

export const MERGE_PATCH = { 'content-type': 'application/merge-patch+json' }

export async function startHarness (t: Test, flavor: Flavor = 'vault'): Promise<Harness> {
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
  const server: Harness['server'] = {
    address: `http://127.0.0.1:${port}`,
    rootToken: 'root',
    close: async () => {
      // Keep-alive clients (node-vault) would otherwise hold the close for seconds.
      const closing = app.close()
      app.server.closeAllConnections()
      await closing
    }
  }
  t.teardown(() => server.close())
  return { server, clock, core, storage, call: async (m, p, o) => await call(server, m, p, o) }
}

/** Compare a Go RFC 3339 timestamp text with an epoch-ms time to the microsecond. */
export function rfcMs (text: string): number {
  return Date.parse(text)
}
