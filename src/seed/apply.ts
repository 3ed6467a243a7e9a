/**
 * Applying a seed: every item goes through the core's logical request path
 * with the root token, exactly as a client would set it up over HTTP, so
 * engines know nothing about seeds. Applying is idempotent: what a seed
 * creates (mounts, keys, secrets, tokens) is created only when absent, and a
 * policy is written only when its text differs.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto'
import { isVaultError } from '../errors/index.js'
import { RawJson, type EngineLogger, type Operation } from '../engines/engine.js'
import { createSecureRandom } from '../crypto/random.js'
import { wrapForImport } from '../crypto/key-wrap.js'
import type { LogicalRequest, LogicalResult } from '../core/request.js'
import { SeedError, type SeedLocation } from './errors.js'
import type { Seed, SeedKeyMaterial, SeedKvSecret, SeedMount, SeedToken, SeedTransitKey } from './model.js'

/** What a seed is applied to (the core satisfies it). */
export interface SeedTarget {
  readonly rootToken: string
  handle: (req: LogicalRequest) => Promise<LogicalResult>
}

/** How many items the seed created, and how many it found already there. */
export interface SeedSummary {
  created: number
  unchanged: number
}

type Data = Record<string, unknown>

interface MountFacts {
  type: string
  version: string
}

const VERB: Record<string, string> = { read: 'GET', update: 'POST', list: 'LIST', delete: 'DELETE' }

const ASYMMETRIC = /^(rsa-|ecdsa-|ed25519)/

class Applier {
  private seq = 0
  private readonly summary: SeedSummary = { created: 0, unchanged: 0 }
  private mounts = new Map<string, MountFacts>()
  private readonly wrappingKeys = new Map<string, ReturnType<typeof createPublicKey>>()
  // Ephemeral wrapping keys are transport only: they never reach stored
  // state, so they need not come from (or disturb) the server's source.
  private readonly wrapRandom = createSecureRandom()

  constructor (
    private readonly target: SeedTarget,
    private readonly log: EngineLogger
  ) {}

  /** One logical request; a read that finds nothing gives undefined, any other error a SeedError. */
  async call (operation: Operation, path: string, data: Data | null, at: SeedLocation): Promise<Data | undefined> {
    this.seq += 1
    try {
      const result = await this.target.handle({
        id: `seed-${this.seq}`,
        operation,
        path,
        data,
        bodyText: data === null ? undefined : JSON.stringify(data),
        token: this.target.rootToken,
        headers: {},
        log: this.log
      })
      const body = result.response?.data
      if (body instanceof RawJson) return JSON.parse(body.text) as Data
      if (body === undefined || body === null) return operation === 'read' ? undefined : {}
      return body
    } catch (err) {
      if (!isVaultError(err)) throw err
      if (operation === 'read' && err.status === 404) return undefined
      const detail = err.messages.length === 0 ? 'no details' : err.messages.join('; ')
      throw new SeedError(at, `${VERB[operation] ?? operation} ${path} answered ${err.status}: ${detail}`)
    }
  }

  created (what: object, msg: string): void {
    this.summary.created += 1
    this.log.info(what, msg)
  }

  async run (seed: Seed): Promise<SeedSummary> {
    const top = { source: seed.source, line: undefined, path: '' }
    await this.loadMounts(top)
    for (const m of seed.mounts) await this.mount(m)
    if (seed.mounts.length > 0) await this.loadMounts(top)
    for (const p of seed.policies) await this.policy(p.name, p.text, p.at)
    for (const k of seed.transit) await this.transitKey(k)
    for (const s of seed.kv) await this.secret(s)
    for (const t of seed.tokens) await this.token(t)
    return this.summary
  }

  async loadMounts (at: SeedLocation): Promise<void> {
    this.mounts = new Map()
    for (const [table, prefix] of [['sys/mounts', ''], ['sys/auth', 'auth/']] as const) {
      const data = await this.call('read', table, null, at) ?? {}
      for (const [path, entry] of Object.entries(data)) {
        if (entry === null || typeof entry !== 'object' || !('type' in entry)) continue
        const e = entry as { type: string, options?: Record<string, string> | null }
        this.mounts.set(prefix + path.replace(/\/$/, ''), { type: e.type, version: e.options?.version ?? '1' })
      }
    }
  }

  async mount (m: SeedMount): Promise<void> {
    const existing = this.mounts.get(m.path)
    const version = m.options?.version ?? '1'
    if (existing !== undefined) {
      const kvMismatch = m.type === 'kv' && existing.type === 'kv' && existing.version !== version
      if (existing.type !== m.type || kvMismatch) {
        const what = (type: string, v: string): string => (type === 'kv' ? `kv version ${v}` : type)
        throw new SeedError(m.at, `"${m.path}/" is already mounted as ${what(existing.type, existing.version)}, ` +
          `not ${what(m.type, version)}`)
      }
      this.summary.unchanged += 1
      return
    }
    const isAuth = m.path.startsWith('auth/')
    const body: Data = { type: m.type }
    if (m.description !== undefined) body.description = m.description
    if (m.config !== undefined) body.config = m.config
    if (m.options !== undefined) body.options = m.options
    if (m.local !== undefined) body.local = m.local
    if (m.sealWrap !== undefined) body.seal_wrap = m.sealWrap
    const path = isAuth ? `sys/auth/${m.path.slice(5)}` : `sys/mounts/${m.path}`
    await this.call('update', path, body, m.at)
    this.created({ path: `${m.path}/`, type: m.type }, 'seed: mounted')
  }

  async policy (name: string, text: string, at: SeedLocation): Promise<void> {
    const path = `sys/policies/acl/${name}`
    const current = await this.call('read', path, null, at)
    if (current?.policy === text) {
      this.summary.unchanged += 1
      return
    }
    await this.call('update', path, { policy: text }, at)
    this.created({ policy: name }, 'seed: policy written')
  }

  requireMount (path: string, type: string, at: SeedLocation): MountFacts {
    const facts = this.mounts.get(path)
    if (facts === undefined) {
      throw new SeedError(at, `no mount at "${path}/": add it under "mounts" (e.g. ${path}: ${type})`)
    }
    if (facts.type !== type) throw new SeedError(at, `"${path}/" is a ${facts.type} mount, not ${type}`)
    return facts
  }

  async transitKey (k: SeedTransitKey): Promise<void> {
    this.requireMount(k.mount, 'transit', k.at)
    const base = `${k.mount}/keys/${k.name}`
    if (await this.call('read', base, null, k.at) !== undefined) {
      this.summary.unchanged += 1
      return
    }
    if (typeof k.versions === 'number') {
      await this.call('update', base, k.create, k.at)
      for (let v = 2; v <= k.versions; v++) await this.call('update', `${base}/rotate`, null, k.at)
    } else {
      const [first, ...rest] = k.versions
      const importBody: Data = { ...k.create, allow_rotation: k.allowRotation, hash_function: 'SHA256' }
      importBody.ciphertext = await this.wrap(k, first)
      await this.call('update', `${base}/import`, importBody, first.at)
      for (const material of rest) {
        const ciphertext = await this.wrap(k, material)
        await this.call('update', `${base}/import_version`, { ciphertext, hash_function: 'SHA256' }, material.at)
      }
    }
    if (Object.keys(k.config).length > 0) await this.call('update', `${base}/config`, k.config, k.at)
    this.created({ mount: `${k.mount}/`, key: k.name, type: k.type }, 'seed: transit key created')
  }

  /** Key material wrapped for transit's BYOK import under the mount's wrapping key. */
  async wrap (k: SeedTransitKey, material: SeedKeyMaterial): Promise<string> {
    let bytes: Buffer
    try {
      if (material.text.startsWith('-----BEGIN ')) {
        bytes = createPrivateKey(material.text).export({ type: 'pkcs8', format: 'der' })
      } else {
        bytes = Buffer.from(material.text.replace(/\s+/g, ''), 'base64')
        if (ASYMMETRIC.test(k.type)) createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' })
      }
    } catch {
      throw new SeedError(material.at, `not a usable private key for a ${k.type} key (give PKCS#8 DER in base64, or PEM)`)
    }
    let wrappingKey = this.wrappingKeys.get(k.mount)
    if (wrappingKey === undefined) {
      const data = await this.call('read', `${k.mount}/wrapping_key`, null, k.at)
      const pem = data?.public_key
      if (typeof pem !== 'string') throw new SeedError(k.at, `${k.mount}/wrapping_key gave no public key`)
      wrappingKey = createPublicKey(pem)
      this.wrappingKeys.set(k.mount, wrappingKey)
    }
    const blob = wrapForImport(wrappingKey, bytes, 'sha256', this.wrapRandom)
    bytes.fill(0)
    return blob.toString('base64')
  }

  async secret (s: SeedKvSecret): Promise<void> {
    const { version } = this.requireMount(s.mount, 'kv', s.at)
    if (version !== '2') {
      if (s.versions.length > 1 || Object.keys(s.metadata).length > 0) {
        throw new SeedError(s.at, `"${s.mount}/" is a KV version 1 mount: a secret there has one value ` +
          '("data") and no versions or metadata')
      }
      const path = `${s.mount}/${s.path}`
      if (await this.call('read', path, null, s.at) !== undefined) {
        this.summary.unchanged += 1
        return
      }
      await this.call('update', path, s.versions[0].data, s.versions[0].at)
    } else {
      if (await this.call('read', `${s.mount}/metadata/${s.path}`, null, s.at) !== undefined) {
        this.summary.unchanged += 1
        return
      }
      if (Object.keys(s.metadata).length > 0) {
        await this.call('update', `${s.mount}/metadata/${s.path}`, s.metadata, s.at)
      }
      // cas keeps each write exactly one version ahead, even with cas_required set.
      for (const [i, v] of s.versions.entries()) {
        await this.call('update', `${s.mount}/data/${s.path}`, { data: v.data, options: { cas: i } }, v.at)
      }
    }
    this.created({ mount: `${s.mount}/`, path: s.path, versions: s.versions.length }, 'seed: secret written')
  }

  async token (t: SeedToken): Promise<void> {
    if (await this.tokenExists(t)) {
      this.summary.unchanged += 1
      return
    }
    const path = t.orphan ? 'auth/token/create-orphan' : 'auth/token/create'
    await this.call('update', path, t.fields, t.at)
    this.created({ policies: t.fields.policies ?? null }, 'seed: token created')
  }

  async tokenExists (t: SeedToken): Promise<boolean> {
    try {
      await this.call('update', 'auth/token/lookup', { token: t.id }, t.at)
      return true
    } catch (err) {
      if (err instanceof SeedError) return false
      throw err
    }
  }
}

/** Apply a validated seed through `target`; throws SeedError naming the item that failed. */
export async function applySeed (target: SeedTarget, seed: Seed, log: EngineLogger): Promise<SeedSummary> {
  return await new Applier(target, log).run(seed)
}
