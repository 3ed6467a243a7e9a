/**
 * The core: Vault's request handling (vault/request_handling.go) without
 * HTTP. It resolves the token, routes to a mount, runs the existence check,
 * asks the ACL, validates fields and calls the engine, in Vault's order.
 */
import { VaultError, messages } from '../errors/index.js'
import { FieldData } from '../engines/fields.js'
import type {
  CompiledPath,
  EngineLogger,
  EngineRequest,
  EngineResponse,
  Flavor,
  HandlerOperation,
  Operation
} from '../engines/engine.js'
import type { Clock } from '../clock/index.js'
import type { RandomSource } from '../crypto/random.js'
import type { StorageBackend } from '../storage/storage.js'
import { MountTable, type Mount, type MountEntry } from '../mounts/index.js'
import { TokenStore, tokenBackendFactory, type TokenEntry } from '../auth/token/index.js'
import { PolicyStore, ROOT_ACL, type Acl } from '../policy/index.js'
import { systemBackendFactory } from '../system/index.js'
import { engineFactories } from './engine-registry.js'
import { destroyCubbyhole } from '../engines/cubbyhole/index.js'
import type { LogicalRequest, LogicalResult } from './request.js'

export interface CoreOptions {
  storage: StorageBackend
  clock: Clock
  random: RandomSource
  log: EngineLogger
  flavor: Flavor
  /** Fixed dev root token id; a random one otherwise. */
  devRootTokenId?: string
  /** Extra mounts at first start: `path` => `type` (`-dev-mount`). */
  devMounts?: ReadonlyArray<{ path: string, type: string }>
}

/** Request paths whose `data` Vault also copies to the body's top level (http/handler.go). */
const INJECT_EXACT = new Set([
  'sys/audit', 'sys/auth', 'sys/config/cors', 'sys/capabilities', 'sys/capabilities-accessor',
  'sys/capabilities-self', 'sys/ha-status', 'sys/key-status', 'sys/mounts', 'sys/policy',
  'sys/rekey/backup', 'sys/rekey/recovery-key-backup', 'sys/remount', 'sys/rotate',
  'sys/wrapping/wrap', 'sys/config/auditing/request-headers'
])
const INJECT_PREFIXES = [
  'sys/audit/', 'sys/audit-hash/', 'sys/auth/', 'sys/mounts/', 'sys/policy/',
  'sys/config/auditing/request-headers/'
]

export function injectsTopLevel (path: string): boolean {
  if (INJECT_EXACT.has(path)) return true
  return INJECT_PREFIXES.some((p) => path.startsWith(p))
}

export class Core {
  readonly options: CoreOptions
  readonly mounts: MountTable
  readonly tokens: TokenStore
  readonly policies: PolicyStore
  rootToken = ''
  readonly cluster: { name: string, id: string }
  private sealed = false

  constructor (options: CoreOptions) {
    this.options = options
    const { storage, clock, random, log, flavor } = options
    this.cluster = storage.get<{ name: string, id: string }>('core/cluster') ?? {
      name: `vault-cluster-${random.bytes(4).toString('hex')}`,
      id: random.uuid()
    }
    storage.put('core/cluster', this.cluster)
    this.tokens = new TokenStore({ storage: storage.view('sys/token/'), clock, random, flavor })
    this.policies = new PolicyStore(storage.view('sys/policy/'), { flavor, clock })
    this.mounts = new MountTable({
      storage,
      clock,
      random,
      log,
      flavor,
      factories: {
        ...engineFactories,
        system: systemBackendFactory(this),
        token: tokenBackendFactory(this.tokens, this.policies)
      }
    })
    // A revoked token's cubbyhole is destroyed with it (token_store.go revokeInternal).
    this.tokens.onRevoke((entry) => {
      const cubbyhole = this.mounts.match('cubbyhole/')
      if (cubbyhole?.entry.type === 'cubbyhole') destroyCubbyhole(cubbyhole.storage, entry.id)
    })
  }

  /** Load or create state: the mount table and the dev root token. */
  start (): void {
    this.mounts.load(() => this.devMountEntries())
    const stored = this.options.storage.get<{ id: string }>('core/dev-root-token')
    const fixed = this.options.devRootTokenId
    if (stored !== undefined && (fixed === undefined || fixed === stored.id) &&
      this.tokens.lookup(stored.id) !== undefined) {
      this.rootToken = stored.id
      return
    }
    const entry = this.tokens.createRootToken(fixed)
    this.options.storage.put('core/dev-root-token', { id: entry.id })
    this.rootToken = entry.id
  }

  get isSealed (): boolean {
    return this.sealed
  }

  /** What `vault server -dev` mounts, plus any `-dev-mount` extras. */
  private devMountEntries (): MountEntry[] {
    const m = this.mounts
    const entries = [
      m.newEntry('secret', 'cubbyhole/', 'cubbyhole', 'per-token private secret storage', null, { local: true }),
      // identity/ passes Authorization through (OIDC); sys/ is seal-wrapped (observed on OpenBao 2.6.2).
      m.newEntry('secret', 'identity/', 'identity', 'identity store', null, {
        config: { default_lease_ttl: 0, max_lease_ttl: 0, force_no_cache: false, passthrough_request_headers: ['Authorization'] }
      }),
      m.newEntry('secret', 'secret/', 'kv', 'key/value secret storage', { version: '2' }),
      m.newEntry('secret', 'sys/', 'system', 'system endpoints used for control, policy and debugging', null, {
        seal_wrap: true,
        config: { default_lease_ttl: 0, max_lease_ttl: 0, force_no_cache: false, passthrough_request_headers: ['Accept'] }
      }),
      m.newEntry('auth', 'token/', 'token', 'token based credentials', null, {
        config: { default_lease_ttl: 0, max_lease_ttl: 0, force_no_cache: false, token_type: 'default-service' }
      })
    ]
    for (const extra of this.options.devMounts ?? []) {
      let type = extra.type
      let options: Record<string, string> = {}
      if (type === 'kv-v2') { type = 'kv'; options = { version: '2' } }
      if (type === 'kv-v1') { type = 'kv'; options = { version: '1' } }
      const path = extra.path.replace(/^\/+|\/+$/g, '') + '/'
      if (entries.some((e) => e.table === 'secret' && e.path === path)) continue
      entries.push(m.newEntry('secret', path, type, '', options))
    }
    return entries
  }

  /** Handle one logical request; throws VaultError for error answers. */
  async handle (req: LogicalRequest): Promise<LogicalResult> {
    if (this.sealed) throw new VaultError('sealed', [messages.SEALED])
    const isWrite = req.operation === 'update' || req.operation === 'patch' || req.operation === 'create'
    if (isWrite && req.path.endsWith('/')) {
      throw VaultError.invalidRequest(messages.WRITE_TO_TRAILING_SLASH)
    }

    const mount = this.mounts.match(req.path)
    const relPath = mount === undefined ? '' : req.path.slice(mount.prefix.length)
    const spec = mount === undefined ? undefined : findPath(mount, relPath)

    // Token: required unless the path is a login/unauthenticated one.
    let token: TokenEntry | undefined
    let revokeAfter = false
    if (req.token !== '') token = this.tokens.lookup(req.token)
    if (spec?.unauthenticated !== true) {
      if (token === undefined) throw this.invalidToken(req.token)
      if (req.help !== true) revokeAfter = this.tokens.consumeUse(token)
    }
    if (req.help === true) throw helpRefusal(req.path, mount, spec)

    try {
      return await this.dispatch(req, mount, relPath, spec, token)
    } finally {
      if (revokeAfter && token !== undefined) this.tokens.revokeTree(token)
    }
  }

  /**
   * A missing token is a plain `permission denied`. Since 1.17 Vault adds
   * `invalid token` for one it does not know (revoked, expired, made up),
   * which Vault Agent keys off; OpenBao keeps the plain text.
   */
  private invalidToken (sent: string): VaultError {
    if (sent === '' || this.options.flavor === 'openbao') return VaultError.permissionDenied()
    return new VaultError('permissionDenied', ['permission denied', 'invalid token'], { multierror: true })
  }

  private async dispatch (req: LogicalRequest, mount: Mount | undefined, relPath: string,
    spec: CompiledPath | undefined, token: TokenEntry | undefined): Promise<LogicalResult> {
    const acl: Acl = token === undefined ? ROOT_ACL : this.policies.acl(token.policies)
    // Path captures override body fields of the same name (sdk/framework
    // backend.go), and a response then says so in a warning.
    const captures: Record<string, string> = spec === undefined ? {} : { ...(spec.regex.exec(relPath)?.groups ?? {}) }
    const raw: Record<string, unknown> = { ...(req.data ?? {}) }
    const replaced: string[] = []
    for (const [name, value] of Object.entries(captures)) {
      if (value === undefined) continue
      if (raw[name] !== undefined && raw[name] !== null) replaced.push(name)
      raw[name] = value
    }
    const ignored = Object.keys(req.data ?? {})
      .filter((k) => !Object.hasOwn(spec?.fields ?? {}, k) && !Object.hasOwn(captures, k))
    const wording = this.options.flavor === 'openbao' ? 'v2' : 'v1'
    const fields = new FieldData(raw, spec?.fields ?? {}, wording)
    let engineReq: EngineRequest | undefined
    let operation: Operation = req.operation

    if (mount !== undefined && spec !== undefined) {
      engineReq = {
        operation: operation === 'head' ? 'read' : operation,
        path: relPath,
        params: captures,
        data: fields,
        requestData: req.data,
        bodyText: req.bodyText,
        headers: req.headers,
        token: token === undefined
          ? undefined
          : { id: token.id, accessor: token.accessor, policies: token.policies, isRoot: token.policies.includes('root') },
        mount: mount.info,
        storage: mount.storage,
        clock: this.options.clock,
        random: this.options.random,
        log: req.log,
        flavor: this.options.flavor,
        hasSudo: false
      }
      if (operation === 'update' && spec.existenceCheck !== undefined) {
        // Vault validates the fields for the existence check and reports a
        // failure without the "Field validation failed: " prefix.
        fields.validate(false)
        const exists = await spec.existenceCheck(engineReq)
        if (!exists) operation = 'create'
        engineReq.operation = operation as HandlerOperation
      }
    }

    // ACL: one check in front of every engine, before it runs.
    if (spec?.unauthenticated !== true) {
      const decision = acl.check({
        path: req.path,
        operation,
        data: req.data,
        sudoRequired: spec?.sudo === true
      })
      if (!decision.allowed) {
        req.log.debug({ path: req.path, operation, rule: decision.matchedRule ?? null, missing: decision.missing ?? null }, 'request denied by policy')
        throw VaultError.policyDenied()
      }
      if (engineReq !== undefined) engineReq.hasSudo = decision.sudo
    }

    if (mount === undefined) throw VaultError.notFoundRoute(req.path)
    if (spec === undefined || engineReq === undefined) {
      if (mount.engine.fallback === undefined) throw VaultError.unsupportedPath()
      refuseWrapping(req)
      const fallbackReq = this.fallbackRequest(req, mount, relPath, token, operation)
      return this.result(req, mount, await mount.engine.fallback(fallbackReq) ?? null)
    }
    if (operation === 'head') throw VaultError.unsupportedOperation()
    const handler = spec.operations[operation as HandlerOperation] ??
      (operation === 'create' ? spec.operations.update : undefined)
    if (handler === undefined) throw VaultError.unsupportedOperation()

    fields.validate()
    // A write must not happen when its answer cannot be given; a read may
    // run, and a read that finds nothing is a plain 404 in Vault too.
    const reads = operation === 'read' || operation === 'list'
    if (!reads) refuseWrapping(req)
    const response = await handler(engineReq) ?? null
    if (reads && response !== null) refuseWrapping(req)
    return this.result(req, mount, response, ignored, replaced)
  }

  private fallbackRequest (req: LogicalRequest, mount: Mount, relPath: string,
    token: TokenEntry | undefined, operation: Operation): EngineRequest {
    return {
      operation: operation === 'head' ? 'read' : operation,
      path: relPath,
      params: {},
      data: new FieldData(req.data ?? {}, {}),
      requestData: req.data,
      bodyText: req.bodyText,
      headers: req.headers,
      token: token === undefined
        ? undefined
        : { id: token.id, accessor: token.accessor, policies: token.policies, isRoot: token.policies.includes('root') },
      mount: mount.info,
      storage: mount.storage,
      clock: this.options.clock,
      random: this.options.random,
      log: req.log,
      flavor: this.options.flavor,
      hasSudo: false
    }
  }

  private result (req: LogicalRequest, mount: Mount, response: EngineResponse | null,
    ignored: string[] = [], replaced: string[] = []): LogicalResult {
    if (response !== null && response.status === undefined && response.bare !== true) {
      const extra: string[] = []
      if (ignored.length > 0) extra.push(messages.ignoredParameters(ignored))
      if (replaced.length > 0) extra.push(messages.replacedParameters(replaced))
      if (extra.length > 0) response.warnings = [...(response.warnings ?? []), ...extra]
    }
    return {
      response,
      mountType: mount.entry.type,
      injectTopLevel: injectsTopLevel(req.path),
      bare: response?.bare === true
    }
  }

  /** Run engines' periodic work (auto-rotation, expiry). */
  tick (): void {
    const now = this.options.clock.now()
    for (const m of this.mounts.all()) m.engine.tick?.(now)
  }

  /** Seal: every logical request answers 503 until unsealed. */
  seal (): void {
    this.sealed = true
  }

  unseal (): void {
    this.sealed = false
  }
}

/**
 * LIMITATION: Vault answers a request carrying a positive X-Vault-Wrap-TTL
 * with a response-wrapping token (wrap_info) instead of the data;
 * localvault does not implement response wrapping. It refuses such a
 * request with a 400 naming the feature, once the token, the policy and
 * the fields have passed (so a 403 or 404 comes first, as in Vault), and
 * before a write's handler runs, so nothing changes (README, "Known
 * differences").
 */
function refuseWrapping (req: LogicalRequest): void {
  if ((req.wrapTtl ?? 0) > 0) throw VaultError.invalidRequest('response wrapping (X-Vault-Wrap-TTL) is not supported by localvault')
}

/**
 * The answer to `?help=1`. LIMITATION: Vault answers with the path's API
 * documentation (a `help` text and OpenAPI); localvault has none. It
 * refuses with a 400 naming the feature, and must never run the operation
 * instead (a DELETE with `?help=1` deletes nothing in Vault). Paths Vault
 * would not route still get Vault's 404 (README, "Known differences").
 */
function helpRefusal (path: string, mount: Mount | undefined, spec: CompiledPath | undefined): VaultError {
  if (mount === undefined) return VaultError.notFoundRoute(path)
  if (spec === undefined && mount.engine.fallback === undefined) return VaultError.unsupportedPath()
  return VaultError.invalidRequest('API help (?help=1) is not supported by localvault; see the Vault API documentation')
}

function findPath (mount: Mount, relPath: string): CompiledPath | undefined {
  for (const p of mount.paths) {
    if (p.regex.test(relPath)) return p
  }
  return undefined
}
