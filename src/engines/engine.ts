/**
 * The contract every engine implements, and what the core hands a handler.
 * An engine is a table of path patterns (anchored regexes, as in Vault's
 * sdk/framework), each with its fields, its operations and an optional
 * existence check that decides whether a write is `create` or `update`.
 */
import type { Clock } from '../clock/index.js'
import type { RandomSource } from '../crypto/random.js'
import type { Storage } from '../storage/storage.js'
import type { FieldData, FieldSpecs } from './fields.js'

/** The operation a request performs, as Vault names it. */
export type Operation = 'read' | 'list' | 'create' | 'update' | 'patch' | 'delete' | 'head'

/** Operations a path can implement. `create` falls back to `update`. */
export type HandlerOperation = Exclude<Operation, 'head'>

/** Which flavour of server localvault imitates where Vault and OpenBao differ. */
export type Flavor = 'vault' | 'openbao'

/** Minimal structured logger (pino-compatible). */
export interface EngineLogger {
  debug: (obj: object, msg?: string) => void
  info: (obj: object, msg?: string) => void
  warn: (obj: object, msg?: string) => void
  error: (obj: object, msg?: string) => void
}

/** The mount a request reached. */
export interface MountInfo {
  /** Mount path with its trailing slash, e.g. `secret/` or `auth/token/`. */
  path: string
  type: string
  accessor: string
  uuid: string
  options: Readonly<Record<string, string>> | null
  /** Effective default and max lease TTLs in seconds. */
  defaultLeaseTtl: number
  maxLeaseTtl: number
}

/** The token a request presented, as engines may see it. */
export interface RequestToken {
  id: string
  accessor: string
  policies: readonly string[]
  /** True for a token holding the root policy. */
  isRoot: boolean
}

/** The request as an engine handler sees it. */
export interface EngineRequest {
  operation: HandlerOperation
  /** Path relative to the mount (`encrypt/my-key`). */
  path: string
  /** Named captures of the matched pattern. */
  params: Readonly<Record<string, string>>
  /** Coerced fields (path captures included, as Vault's FieldData). */
  data: FieldData
  /** The request's own data without path captures (Vault's req.Data); null when none. */
  requestData: Readonly<Record<string, unknown>> | null
  /** The request body text for POST/PUT/PATCH (engines that must keep number literals). */
  bodyText: string | undefined
  headers: Readonly<Record<string, string | string[] | undefined>>
  /** The token (undefined only on unauthenticated paths without one). */
  token: RequestToken | undefined
  mount: MountInfo
  storage: Storage
  clock: Clock
  random: RandomSource
  log: EngineLogger
  flavor: Flavor
  /** Whether the caller holds `sudo` (or root) on this path. */
  hasSudo: boolean
}

/** Vault's `auth` block on token-creating responses. */
export interface AuthBlock {
  client_token: string
  accessor: string
  policies: string[]
  token_policies: string[]
  identity_policies?: string[]
  metadata: Record<string, string> | null
  lease_duration: number
  renewable: boolean
  entity_id: string
  token_type: string
  orphan: boolean
  mfa_requirement: null
  num_uses: number
}

/** JSON text spliced verbatim into a response (KV v1 keeps number literals). */
export class RawJson {
  constructor (readonly text: string) {}
}

/** What a handler returns; `null` means "nothing" (204, or 404 on read/list). */
export interface EngineResponse {
  data?: Record<string, unknown> | RawJson | null
  warnings?: string[]
  auth?: AuthBlock | null
  leaseDuration?: number
  renewable?: boolean
  leaseId?: string
  /**
   * Vault's RespondWithStatusCode: send the full envelope with this status
   * and no `errors` key (KV deleted versions, transit partial batches).
   */
  status?: number
  /** With `status`: send the status with an empty body. */
  emptyBody?: boolean
  /** Send `data` as the bare JSON body, no envelope (sys/health, seal-status, init, leader). */
  bare?: boolean
}

export type HandlerResult = EngineResponse | null | undefined
export type Handler = (req: EngineRequest) => HandlerResult | Promise<HandlerResult>

/** One path family of an engine. */
export interface PathSpec {
  /** Regex source matched against the whole mount-relative path, with named groups. */
  pattern: string
  fields?: FieldSpecs
  operations: Partial<Record<HandlerOperation, Handler>>
  /** Whether the target exists; when it does not, a write needs `create`, else `update`. */
  existenceCheck?: (req: EngineRequest) => boolean | Promise<boolean>
  /** Root-protected: the caller needs `sudo` as well. */
  sudo?: boolean
  /** Reachable without a token (login paths). */
  unauthenticated?: boolean
}

/** A path spec with its compiled regex. */
export interface CompiledPath extends PathSpec {
  regex: RegExp
}

/** What every engine hands the mount table. */
export interface Engine {
  /** The path table, matched in order. */
  readonly paths: readonly PathSpec[]
  /**
   * What to do with a path no pattern matches; default is Vault's 404
   * `unsupported path`. KV v2 answers its "invalid path" warning here.
   */
  readonly fallback?: Handler
  /** Called when the mount is disabled; storage is wiped by the caller. */
  readonly cleanup?: () => void
  /** Periodic work (auto-rotation, expiry), run by the core's ticker. */
  readonly tick?: (now: number) => void
}

/** Everything an engine factory gets once, at mount time. */
export interface EngineContext {
  mount: MountInfo
  storage: Storage
  clock: Clock
  random: RandomSource
  log: EngineLogger
  flavor: Flavor
}

export type EngineFactory = (ctx: EngineContext) => Engine

/** Vault's name capture: letters, digits, underscore, with '-' and '.' inside. */
export const NAME_PATTERN = '\\w(?:[\\w\\-.]*\\w)?'

/** Compile a path table once. */
export function compilePaths (paths: readonly PathSpec[]): CompiledPath[] {
  return paths.map((p) => ({ ...p, regex: new RegExp(`^(?:${p.pattern})$`) }))
}
