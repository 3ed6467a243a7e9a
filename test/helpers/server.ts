/**
 * Test helpers: start a localvault on a free port and talk to it over a
 * real socket with undici.
 */
import { request } from 'undici'
import type { Test } from 'tap'
import { startServer, type RunningServer, type StartOptions } from '../../src/index.js'

export const ROOT = 'root'

export interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
  /** Parsed JSON body, or undefined when empty or not JSON. */
  json: any
}

/** Start a server for one test and close it in teardown. */
export async function startTestServer (t: Test, options: StartOptions = {}): Promise<RunningServer> {
  const server = await startServer({ rootToken: ROOT, ...options })
  t.teardown(() => server.close())
  return server
}

export interface CallOptions {
  token?: string | null
  body?: unknown
  rawBody?: string | Buffer
  headers?: Record<string, string>
}

/** One HTTP call; `token` defaults to the root token, null sends none. */
export async function call (server: Pick<RunningServer, 'address' | 'rootToken'>, method: string, path: string,
  options: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) }
  const token = options.token === undefined ? server.rootToken : options.token
  if (token !== null) headers['x-vault-token'] = token
  let body: string | Buffer | undefined
  if (options.rawBody !== undefined) body = options.rawBody
  else if (options.body !== undefined) body = JSON.stringify(options.body)
  const res = await request(server.address + path, { method: method as any, headers, body })
  const text = await res.body.text()
  let json: unknown
  try { json = text === '' ? undefined : JSON.parse(text) } catch { json = undefined }
  return { status: res.statusCode, headers: res.headers, text, json }
}
