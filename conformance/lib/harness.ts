/**
 * The suite's vocabulary: targets (servers under test), cases, the context a
 * case runs in (unique names, cleanup, shared fixtures), and failures.
 */
import { randomBytes } from 'node:crypto'
import type { Client } from './client.js'

export type Flavor = 'vault' | 'openbao'

/** A server under test, identified by what it reports about itself. */
export interface Target {
  /** `primary` or `secondary` (cross-server cases). */
  label: string
  addr: string
  flavor: Flavor
  /** The version the server reports in sys/seal-status. */
  version: string
  /** localvault marks its version with `+localvault`; known-gap marks apply only to it. */
  isLocalvault: boolean
  /** Client holding the target's root (or given) token. */
  api: Client
}

export interface CaseDef {
  /** Method and path pattern the case exercises, e.g. `GET sys/mounts/:path`. */
  endpoint: string
  title: string
  run: (ctx: Ctx) => Promise<void>
  /**
   * A known localvault gap: why it still fails. Applies only when the target
   * is localvault; a real server must pass the case regardless.
   */
  gap?: string
  /** Limit the gap mark to localvault imitating this family. */
  gapFlavor?: Flavor
  /** The case only means something on this server family (e.g. OpenBao's SCAN). */
  only?: Flavor
  /** Needs a second server (VAULT_ADDR_2, or a second in-process localvault). */
  cross?: boolean
}

export interface Area {
  name: string
  cases: CaseDef[]
}

/** Thrown by a case (or fixture) that cannot run here: counted as skipped, with the reason. */
export class Skip extends Error {
  constructor (reason: string) {
    super(reason)
    this.name = 'Skip'
  }
}

/** An assertion that did not hold. */
export class Failure extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'Failure'
  }
}

export function fail (message: string): never {
  throw new Failure(message)
}

/** Run-wide state shared by every case of one run against one target pair. */
export class RunState {
  readonly runId = `cf${randomBytes(3).toString('hex')}`
  private counter = 0
  private readonly cleanups: Array<{ label: string, fn: () => Promise<unknown> }> = []
  private readonly fixtures = new Map<string, Promise<unknown>>()

  /** A name no other run or case uses: `<prefix>-<run>-<n>`. */
  name (prefix: string): string {
    this.counter += 1
    return `${prefix}-${this.runId}-${this.counter}`
  }

  defer (label: string, fn: () => Promise<unknown>): void {
    this.cleanups.push({ label, fn })
  }

  /** Memoise a fixture (a mount, a key) for the whole run; failures are remembered too. */
  once<T> (key: string, make: () => Promise<T>): Promise<T> {
    let p = this.fixtures.get(key) as Promise<T> | undefined
    if (p === undefined) {
      p = make()
      this.fixtures.set(key, p)
    }
    return p
  }

  /** Undo everything in reverse order; returns the failures (not fatal). */
  async cleanup (): Promise<string[]> {
    const problems: string[] = []
    while (this.cleanups.length > 0) {
      const c = this.cleanups.pop()
      if (c === undefined) break
      try {
        await c.fn()
      } catch (err) {
        problems.push(`${c.label}: ${err instanceof Error ? err.message : String(err)}`)
      }
    }
    return problems
  }
}

/** What a case sees. */
export interface Ctx {
  t: Target
  /** The second server, for cross-server cases. */
  t2?: Target
  /** Root-token client of the primary target (`ctx.t.api`). */
  api: Client
  run: RunState
  name: (prefix: string) => string
}

export function makeCtx (run: RunState, t: Target, t2?: Target): Ctx {
  return { t, t2, api: t.api, run, name: (p) => run.name(p) }
}
