/**
 * A raw HTTP/1.1 exchange over one TCP connection: send exactly the bytes
 * given (malformed methods, NUL bytes, broken framing: things no HTTP
 * client library will send) and parse whatever comes back.
 */
import net from 'node:net'

export interface RawResponse {
  /** 0 when the server closed without a status line. */
  status: number
  /** The reason phrase of the status line. */
  reason: string
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Record<string, string>
  body: Buffer
  /** True when the server closed the connection (no status line, or after the response). */
  closed: boolean
  /** True when nothing arrived within the time limit. */
  timedOut: boolean
}

/** Parse one response from the bytes received; undefined while incomplete. */
export function parseResponse (data: Buffer, ended: boolean): (Omit<RawResponse, 'closed' | 'timedOut'> & { consumed: number }) | undefined {
  const headEnd = data.indexOf('\r\n\r\n')
  if (headEnd < 0) return undefined
  const head = data.toString('latin1', 0, headEnd).split('\r\n')
  const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(head[0])
  if (m === null) return { status: 0, reason: head[0], headers: {}, body: data.subarray(headEnd + 4), consumed: data.length }
  const headers: Record<string, string> = {}
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':')
    if (colon < 0) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`
  }
  const status = Number(m[1])
  // An interim answer (100 Continue) precedes the real one.
  if (status >= 100 && status < 200) {
    const next = parseResponse(data.subarray(headEnd + 4), ended)
    return next === undefined ? undefined : { ...next, consumed: next.consumed + headEnd + 4 }
  }
  const rest = data.subarray(headEnd + 4)
  const start = headEnd + 4
  const base = { status, reason: m[2] ?? '', headers }
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) return { ...base, body: Buffer.alloc(0), consumed: start }
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    const chunks: Buffer[] = []
    let pos = 0
    for (;;) {
      const nl = rest.indexOf('\r\n', pos)
      if (nl < 0) return ended ? { ...base, body: Buffer.concat(chunks), consumed: data.length } : undefined
      const size = parseInt(rest.toString('latin1', pos, nl).split(';')[0], 16)
      if (!Number.isFinite(size)) return { ...base, body: Buffer.concat(chunks), consumed: data.length }
      if (size === 0) {
        const end = rest.indexOf('\r\n', nl + 2)
        if (end < 0 && !ended) return undefined
        return { ...base, body: Buffer.concat(chunks), consumed: end < 0 ? data.length : start + end + 2 }
      }
      if (rest.length < nl + 2 + size + 2) return ended ? { ...base, body: Buffer.concat(chunks), consumed: data.length } : undefined
      chunks.push(rest.subarray(nl + 2, nl + 2 + size))
      pos = nl + 2 + size + 2
    }
  }
  const length = headers['content-length']
  if (length !== undefined) {
    const n = Number(length)
    if (rest.length < n) return ended ? { ...base, body: rest, consumed: data.length } : undefined
    return { ...base, body: rest.subarray(0, n), consumed: start + n }
  }
  return ended ? { ...base, body: rest, consumed: data.length } : undefined
}

/**
 * Send `payload` on a fresh connection and read one response. The server
 * may answer and keep the connection (we then close it) or close it.
 */
export async function rawExchange (address: string, payload: Buffer | string, timeoutMs = 10_000): Promise<RawResponse> {
  const url = new URL(address)
  return await new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname)
    const received: Buffer[] = []
    let done = false
    const finish = (ended: boolean, timedOut: boolean): void => {
      if (done) return
      const data = Buffer.concat(received)
      const parsed = parseResponse(data, ended)
      if (parsed === undefined && !ended && !timedOut) return
      done = true
      clearTimeout(timer)
      socket.destroy()
      const { consumed: _consumed, ...answer } = parsed ?? { status: 0, reason: '', headers: {}, body: data, consumed: 0 }
      resolve({ ...answer, closed: ended, timedOut: timedOut && parsed === undefined })
    }
    const timer = setTimeout(() => finish(false, true), timeoutMs)
    socket.on('data', (d: Buffer) => {
      received.push(d)
      finish(false, false)
    })
    socket.on('end', () => finish(true, false))
    socket.on('close', () => finish(true, false))
    // A reset after a complete answer is still an answer.
    socket.on('error', () => finish(true, false))
    socket.on('connect', () => {
      socket.write(payload)
    })
  })
}

/**
 * Send several requests back to back on one connection (the last one
 * closes it) and parse every response that came back, in order.
 */
export async function rawPipeline (address: string, payloads: Buffer[], timeoutMs = 10_000): Promise<{ responses: RawResponse[], timedOut: boolean }> {
  const url = new URL(address)
  return await new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname)
    const received: Buffer[] = []
    let done = false
    const finish = (timedOut: boolean): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket.destroy()
      let data = Buffer.concat(received)
      const responses: RawResponse[] = []
      while (data.length > 0) {
        const parsed = parseResponse(data, true)
        if (parsed === undefined) break
        const { consumed, ...answer } = parsed
        responses.push({ ...answer, closed: true, timedOut: false })
        if (consumed <= 0 || answer.status === 0) break
        data = data.subarray(consumed)
      }
      resolve({ responses, timedOut })
    }
    const timer = setTimeout(() => finish(true), timeoutMs)
    socket.on('data', (d: Buffer) => received.push(d))
    socket.on('end', () => finish(false))
    socket.on('close', () => finish(false))
    socket.on('error', () => finish(false))
    socket.on('connect', () => socket.write(Buffer.concat(payloads)))
  })
}
