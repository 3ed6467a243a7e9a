/**
 * VaultError: the one error type engines, auth and policy throw. The kind
 * decides the HTTP status in exactly one place (server/plugins/errors.ts).
 */
import { noHandlerForRoute } from './messages.js'

export type VaultErrorKind =
  | 'invalidRequest'
  | 'permissionDenied'
  | 'notFound'
  | 'unsupportedPath'
  | 'unsupportedOperation'
  | 'unsupportedMediaType'
  | 'payloadTooLarge'
  | 'internal'
  | 'sealed'

export const STATUS_BY_KIND: Readonly<Record<VaultErrorKind, number>> = {
  invalidRequest: 400,
  permissionDenied: 403,
  notFound: 404,
  unsupportedPath: 404,
  unsupportedOperation: 405,
  unsupportedMediaType: 415,
  payloadTooLarge: 413,
  internal: 500,
  sealed: 503
}

export interface VaultErrorOptions {
  /** Wrap the messages the way Go's multierror prints one error. */
  multierror?: boolean
  /** Extra `data` sent next to `errors` (rare in Vault). */
  data?: unknown
  /** Override the status the kind implies (an explicitly coded error). */
  status?: number
  cause?: unknown
}

export class VaultError extends Error {
  readonly kind: VaultErrorKind
  readonly messages: readonly string[]
  readonly multierror: boolean
  readonly data: unknown
  readonly statusOverride: number | undefined

  constructor (
    kind: VaultErrorKind,
    messages: readonly string[],
    options: VaultErrorOptions = {}
  ) {
    super(messages.join('; ') || kind, { cause: options.cause })
    this.name = 'VaultError'
    this.kind = kind
    this.messages = messages
    this.multierror = options.multierror ?? false
    this.data = options.data
    this.statusOverride = options.status
  }

  get status (): number {
    return this.statusOverride ?? STATUS_BY_KIND[this.kind]
  }

  /** The strings of the `errors` array exactly as Vault sends them. */
  wireMessages (): string[] {
    if (!this.multierror) return [...this.messages]
    return [formatMultierror(this.messages)]
  }

  static invalidRequest (message: string, options?: VaultErrorOptions): VaultError {
    return new VaultError('invalidRequest', [message], options)
  }

  /** Vault's handler errors returned without an error response (multierror text, 400). */
  static badRequestMulti (message: string): VaultError {
    return new VaultError('invalidRequest', [message], { multierror: true })
  }

  static permissionDenied (options?: VaultErrorOptions): VaultError {
    return new VaultError('permissionDenied', ['permission denied'], options)
  }

  /** A policy denial: Vault wraps it in multierror text. */
  static policyDenied (): VaultError {
    return new VaultError('permissionDenied', ['permission denied'], { multierror: true })
  }

  /** 404 with `{"errors":[]}`: a read or list that found nothing. */
  static notFound (): VaultError {
    return new VaultError('notFound', [])
  }

  /** No mount owns the path (root token): 404 with Vault's router text. */
  static notFoundRoute (path: string): VaultError {
    return new VaultError('notFound', [noHandlerForRoute(path)])
  }

  static unsupportedPath (): VaultError {
    return new VaultError('unsupportedPath', ['unsupported path'], { multierror: true })
  }

  static unsupportedOperation (): VaultError {
    return new VaultError('unsupportedOperation', ['unsupported operation'], { multierror: true })
  }

  /** A bare handler error Vault reports as 500 in multierror text. */
  static internal (message: string): VaultError {
    return new VaultError('internal', [message], { multierror: true })
  }

  static withStatus (status: number, messages: string[], multierror = false): VaultError {
    return new VaultError('invalidRequest', messages, { status, multierror })
  }
}

/** Go's hashicorp/go-multierror default format. */
export function formatMultierror (messages: readonly string[]): string {
  const noun = messages.length === 1 ? '1 error occurred' : `${messages.length} errors occurred`
  const items = messages.map((m) => `\t* ${m}`).join('\n')
  return `${noun}:\n${items}\n\n`
}

export function isVaultError (value: unknown): value is VaultError {
  return value instanceof VaultError
}
