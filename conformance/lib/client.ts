/**
 * A tiny HTTP client for the suite: raw status, headers and body text, so
 * cases can assert bytes and not only parsed JSON. No redirects followed,
 * no retries: the suite wants to see exactly what the server sent.
 */
import { Agent } from 'undici'

export interface Response {
  status: number
  /** Header names lower-cased; repeated headers joined with ', '. */
  headers: Record<string, string>
  text: string
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  json: unknown
  method: string
  path: string
}

export interface RequestOptions {
  /** JSON-encoded when not a string or Buffer; sent as is otherwise. */
  body?: unknown
  /** Extra headers; `X-Vault-Token` comes from the client unless given. */
  headers?: Record<string, string>
  /** Send no token at all. */
  noToken?: boolean
  /** Use this token instead of the client's. */
  token?: string
}

// One connection pool for the whole run; a fresh socket per request would
// exhaust ephemeral ports on long runs against a real server.
const agent = new Agent({ keepAliveTimeout: 10_000, connections: 16 })

export class Client {
  readonly addr: string
  readonly token: string

  constructor (addr: string, token: string) {
    this.addr = addr.replace(/\/+$/, '')
    this.token = token
  }

  /** Same server, another token. */
  withToken (token: string): Client {
    return new Client(this.addr, token)
  }

  /**
   * Send one request. `path` is taken verbatim after the address, so a case
   * can send `/v1//sys/health` or `%2F` and see the server's answer.
   */
  async call (method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = {}
    const token = options.token ?? this.token
    if (options.noToken !== true && token !== '') headers['x-vault-token'] = token
    let body: string | Buffer | undefined
    if (options.body !== undefined) {
      body = typeof options.body === 'string' || Buffer.isBuffer(options.body)
        ? options.body
        : JSON.stringify(options.body)
    }
    Object.assign(headers, options.headers ?? {})
    for (const [k, v] of Object.entries(headers)) {
      if (v === '') delete headers[k]
    }
    // dispatcher.request takes the path verbatim: no URL parsing, so dot
    // segments and percent-encodings reach the server as written.
    const res = await agent.request({
      origin: this.addr,
      path: path.startsWith('/') ? path : `/v1/${path}`,
      method,
      headers,
      body,
      headersTimeout: 60_000,
      bodyTimeout: 60_000
    })
    const text = await res.body.text()
    const flat: Record<string, string> = {}
    for (const [k, v] of Object.entries(res.headers)) {
      if (v === undefined) continue
      flat[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v
    }
    let json: unknown
    if (text !== '') {
      try {
        json = JSON.parse(text)
      } catch {
        json = undefined
      }
    }
    return { status: res.statusCode, headers: flat, text, json, method, path }
  }

  get (path: string, options?: RequestOptions): Promise<Response> {
    return this.call('GET', path, options)
  }

  list (path: string, options?: RequestOptions): Promise<Response> {
    return this.call('LIST', path, options)
  }

  post (path: string, body?: unknown, options?: RequestOptions): Promise<Response> {
    return this.call('POST', path, { ...options, body })
  }

  put (path: string, body?: unknown, options?: RequestOptions): Promise<Response> {
    return this.call('PUT', path, { ...options, body })
  }

  patch (path: string, body?: unknown, options?: RequestOptions): Promise<Response> {
    return this.call('PATCH', path, {
      ...options,
      body,
      headers: { 'content-type': 'application/merge-patch+json', ...(options?.headers ?? {}) }
    })
  }

  delete (path: string, options?: RequestOptions): Promise<Response> {
    return this.call('DELETE', path, options)
  }
}

/** Close pooled connections so the process can exit. */
export async function closeClients (): Promise<void> {
  await agent.close()
}
