/**
 * What every answer must look like, whatever was sent: Vault's envelope
 * (or an error list, a bare status document, a redirect, or the plain-text
 * answer Go's HTTP server gives to broken framing), never a 5xx Vault would
 * not give, never a stack trace or a file path.
 */
import type { RawResponse } from './raw-http.js'

export interface Sent {
  method: string
  /** Request target as sent (path and query). */
  target: string
  /**
   * The request declares more body than it sends: the server may wait for
   * the rest and close the connection at its read timeout without a word,
   * as Go does.
   */
  incomplete?: boolean
}

/** Keys of Vault's response envelope (http/logical.go), `mount_type` on Vault only. */
const ENVELOPE_KEYS = ['request_id', 'lease_id', 'renewable', 'lease_duration', 'data', 'wrap_info', 'warnings', 'auth']

/** Bare documents Vault answers outside the envelope. */
const BARE_PATHS = ['/v1/sys/health', '/v1/sys/seal-status', '/v1/sys/init', '/v1/sys/leader']

/**
 * Statuses Go's net/http server answers itself, with a `text/plain` body
 * such as `400 Bad Request`: broken request lines or headers (400), headers
 * past its limit (431), a transfer coding it does not implement (501), an
 * HTTP version it does not speak (505).
 */
const FRAMING_STATUSES = new Set([400, 431, 501, 505])

/**
 * 5xx answers the real server gives too, as Go multierror texts (checked
 * on OpenBao 2.6.2 with the same requests): the emulator must give them
 * the same way, so they are not failures here.
 */
const VAULT_500_MESSAGES: readonly RegExp[] = [
  // POST transit/keys/:name {"type":"hmac"} without key_size.
  /^invalid key size for HMAC key, must be between 32 and 512 bytes$/,
  // sys/capabilities without a token, or with one the store does not know.
  /^no token found$/, /^invalid token$/,
  // transit/backup and export: unknown or non-exportable key.
  /^exporting is disallowed on the policy$/, /^key ".*" not found$/,
  // transit batch_input that is not a list of maps, or items missing their input.
  /^failed to parse batch input: /,
  // transit/keys/:name/import and import_version misuse.
  /^provided type does not support public_key import$/,
  /^no key found with name .*; to import a new key, use the import\/ endpoint$/,
  /^the import path cannot be used with an existing key; use import-version to rotate an existing imported key$/,
  /^the import_version endpoint can only be used with an imported key$/,
  // cubbyhole: the mount root, and a write without data.
  /^missing path$/, /^missing data fields$/,
  // transit/restore with a backup that is not base64, or a name with a slash.
  /^illegal base64 data at input byte \d+$/, /^key names cannot be paths$/,
  // transit/export of a type the key does not have.
  /^unknown key type \S+ for export type \S+$/, /^selected key version does not have a certificate chain imported$/,
  // transit import with auto_rotate_period but not allow_rotation; datakey with bad associated_data.
  /^allow_rotation must be set to true if auto-rotation is enabled$/,
  /^unable to get associated_data\/additional_data from factory\[\d+\]: /,
  // transit import without key material; sign with a negative key_version.
  /^error importing key: error parsing public key: not in PEM format$/, /^requested version for signing is negative$/,
  // KV v2 metadata PATCH with a negative max_versions (the POST takes it).
  /^json: cannot unmarshal number -\d+ into Go struct field KeyMetadata\.max_versions of type uint32$/
]

function isVault500 (text: string): boolean {
  let body: unknown
  try { body = JSON.parse(text) } catch { return false }
  const errors = (body as { errors?: unknown }).errors
  if (!Array.isArray(errors) || errors.length !== 1 || typeof errors[0] !== 'string') return false
  const m = /^1 error occurred:\n\t\* ([^]*)\n\n$/.exec(errors[0])
  return m !== null && VAULT_500_MESSAGES.some((re) => re.test(m[1]))
}

/** Traces of the implementation that must never reach a client. */
const INTERNALS = /\n\s+at |node_modules|dist\/src|\/work\/|file:\/\/|(?:Type|Reference|Range|Syntax)Error|Cannot read propert|is not a function|undefined is not|FST_ERR|"statusCode":/

function isObject (v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function pathOf (target: string): string {
  // Absolute-form targets (`http://host/v1/...`) serve their path.
  target = target.trim().replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/, '')
  const q = target.indexOf('?')
  const raw = q < 0 ? target : target.slice(0, q)
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}

/** Problems with one answer; empty when it is acceptable. */
export function checkAnswer (sent: Sent, res: RawResponse): string[] {
  const problems: string[] = []
  const text = res.body.toString('utf8')
  if (res.timedOut) return ['no answer within the time limit']
  if (res.status === 0 && sent.incomplete === true && res.closed) return []
  if (res.status === 0) return [`connection closed without a status line (got ${JSON.stringify(text.slice(0, 80))})`]
  if (INTERNALS.test(text) || INTERNALS.test(res.reason)) problems.push(`internals leaked: ${JSON.stringify(text.slice(0, 300))}`)
  const contentType = res.headers['content-type']

  // Go's own answers to requests it cannot parse: plain text, no envelope.
  if (contentType === undefined || contentType.startsWith('text/plain')) {
    if (res.status === 307 || res.status === 204 || (res.status === 400 && text === '')) return problems
    if (res.status === 404 && text === '404 page not found\n') return problems
    if (!FRAMING_STATUSES.has(res.status)) {
      problems.push(`status ${res.status} with a non-JSON body ${JSON.stringify(text.slice(0, 120))}`)
    } else if (text !== '' && !/^\d{3} [A-Za-z ]+(?::.*)?$|^Unsupported transfer encoding$/.test(text)) {
      problems.push(`framing error body is not Go's: ${JSON.stringify(text.slice(0, 120))}`)
    }
    return problems
  }

  if (res.status >= 500 && !(res.status === 500 && isVault500(text))) problems.push(`status ${res.status}: ${text.slice(0, 300)}`)
  if (res.status === 307) {
    if (!(res.headers.location ?? '').startsWith('/')) problems.push('redirect without a local Location')
    return problems
  }
  // Vault's raw-status answers with no body (KV v2 PATCH of a missing secret: 404).
  if (res.status === 204 || sent.method === 'HEAD' || (res.status === 404 && text === '')) {
    if (text !== '' && res.status === 204) problems.push(`status 204 to ${sent.method} with a body`)
    if (text !== '' && sent.method === 'HEAD') problems.push(`HEAD answered with a body`)
    return problems
  }
  if (contentType !== 'application/json') problems.push(`content-type ${contentType}`)

  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    problems.push(`body is not JSON: ${JSON.stringify(text.slice(0, 120))}`)
    return problems
  }
  if (!isObject(body)) {
    problems.push(`body is not an object: ${text.slice(0, 120)}`)
    return problems
  }

  if (Object.hasOwn(body, 'errors')) {
    const errors = body.errors
    if (!Array.isArray(errors) || !errors.every((e) => typeof e === 'string')) problems.push('errors is not a list of strings')
    const extra = Object.keys(body).filter((k) => k !== 'errors' && k !== 'data')
    if (extra.length > 0) problems.push(`error body has keys ${extra.join(',')}`)
    if (res.status < 400) problems.push(`errors with status ${res.status}`)
    return problems
  }

  if (Object.hasOwn(body, 'request_id')) {
    const missing = ENVELOPE_KEYS.filter((k) => !Object.hasOwn(body as object, k))
    if (missing.length > 0) problems.push(`envelope lacks ${missing.join(',')}`)
    if (typeof body.request_id !== 'string') problems.push('request_id is not a string')
    if (!(res.status >= 200 && res.status < 300) && !(res.status >= 400 && res.status < 500)) {
      problems.push(`envelope with status ${res.status}`)
    }
    return problems
  }

  const path = pathOf(sent.target)
  if (!BARE_PATHS.some((p) => path === p || path.startsWith(`${p}?`))) {
    problems.push(`bare body on ${path.slice(0, 60)}: ${text.slice(0, 120)}`)
  }
  return problems
}
