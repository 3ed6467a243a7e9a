/**
 * Node's HTTP parser (llhttp) knows a fixed list of methods and answers
 * anything else, Vault's `LIST` included, with a bare 400 before any
 * handler runs. hvac, node-vault and `curl -X LIST` send LIST, so each
 * connection passes through this framing-aware rewriter first: at the start
 * of every request, `LIST ` becomes `LINK ` (same length, a method llhttp
 * knows), and a genuine `LINK ` becomes `UNLINK ` so the two stay apart
 * (Vault answers 405 to LINK, as we do to UNLINK).
 *
 * Framing follows RFC 9112 §6: Content-Length or chunked bodies. Anything
 * the rewriter cannot frame with certainty (upgrades, conflicting lengths,
 * oversized heads) switches the connection to plain pass-through, where
 * llhttp then answers as it always does.
 */
import { Duplex } from 'node:stream'
import type { Socket } from 'node:net'

/** The method llhttp sees for a LIST request. */
export const LIST_ALIAS = 'LINK'
/** The method llhttp sees for a genuine LINK request. */
export const LINK_ALIAS = 'UNLINK'

const MAX_HEAD = 128 * 1024
const CRLF2 = Buffer.from('\r\n\r\n')
const LIST = Buffer.from('LIST ')
const LINK = Buffer.from('LINK ')
const UNLINK = Buffer.from('UNLINK ')

type State =
  | { kind: 'start' }
  | { kind: 'head', buf: Buffer }
  | { kind: 'body', remaining: number }
  | { kind: 'chunkSize', line: Buffer }
  | { kind: 'chunkData', remaining: number }
  | { kind: 'chunkDataEnd', remaining: number }
  | { kind: 'trailer', buf: Buffer }
  | { kind: 'passthrough' }

/** Rewrites the method at each request start; feed it the raw byte stream. */
export class MethodRewriter {
  private state: State = { kind: 'start' }

  /** Transform one chunk of incoming bytes. */
  push (chunk: Buffer): Buffer {
    if (this.state.kind === 'passthrough') return chunk
    const out: Buffer[] = []
    let data = chunk
    while (data.length > 0) {
      const rest = this.step(data, out)
      if (rest === data && this.state.kind !== 'head' && this.state.kind !== 'trailer' && this.state.kind !== 'chunkSize') {
        // No progress possible: give up on framing.
        this.state = { kind: 'passthrough' }
        out.push(data)
        break
      }
      data = rest
    }
    return out.length === 1 ? out[0] : Buffer.concat(out)
  }

  private step (data: Buffer, out: Buffer[]): Buffer {
    const s = this.state
    switch (s.kind) {
      case 'passthrough':
        out.push(data)
        return Buffer.alloc(0)
      case 'start': {
        // Tolerate stray CRLFs between requests, as llhttp does.
        let i = 0
        while (i < data.length && (data[i] === 0x0d || data[i] === 0x0a)) i++
        if (i > 0) out.push(data.subarray(0, i))
        this.state = { kind: 'head', buf: Buffer.alloc(0) }
        return data.subarray(i)
      }
      case 'head': {
        const buf = s.buf.length === 0 ? data : Buffer.concat([s.buf, data])
        const end = buf.indexOf(CRLF2)
        if (end < 0) {
          if (buf.length > MAX_HEAD) {
            this.state = { kind: 'passthrough' }
            out.push(buf)
          } else {
            this.state = { kind: 'head', buf }
          }
          return Buffer.alloc(0)
        }
        const head = buf.subarray(0, end + 4)
        out.push(rewriteMethod(head))
        this.afterHead(head)
        return buf.subarray(end + 4)
      }
      case 'body': {
        const n = Math.min(s.remaining, data.length)
        out.push(data.subarray(0, n))
        const remaining = s.remaining - n
        this.state = remaining === 0 ? { kind: 'start' } : { kind: 'body', remaining }
        return data.subarray(n)
      }
      case 'chunkSize': {
        const line = s.line.length === 0 ? data : Buffer.concat([s.line, data])
        const nl = line.indexOf(0x0a)
        if (nl < 0) {
          if (line.length > 4096) {
            this.state = { kind: 'passthrough' }
            out.push(line)
          } else {
            this.state = { kind: 'chunkSize', line }
          }
          return Buffer.alloc(0)
        }
        out.push(line.subarray(0, nl + 1))
        const text = line.subarray(0, nl).toString('latin1').replace(/\r$/, '')
        const sizeText = text.split(';')[0].trim()
        if (!/^[0-9a-fA-F]{1,15}$/.test(sizeText)) {
          this.state = { kind: 'passthrough' }
          out.push(line.subarray(nl + 1))
          return Buffer.alloc(0)
        }
        const size = parseInt(sizeText, 16)
        this.state = size === 0
          ? { kind: 'trailer', buf: Buffer.alloc(0) }
          : { kind: 'chunkData', remaining: size }
        return line.subarray(nl + 1)
      }
      case 'chunkData': {
        const n = Math.min(s.remaining, data.length)
        out.push(data.subarray(0, n))
        const remaining = s.remaining - n
        this.state = remaining === 0 ? { kind: 'chunkDataEnd', remaining: 2 } : { kind: 'chunkData', remaining }
        return data.subarray(n)
      }
      case 'chunkDataEnd': {
        const n = Math.min(s.remaining, data.length)
        out.push(data.subarray(0, n))
        const remaining = s.remaining - n
        this.state = remaining === 0 ? { kind: 'chunkSize', line: Buffer.alloc(0) } : { kind: 'chunkDataEnd', remaining }
        return data.subarray(n)
      }
      case 'trailer': {
        // After the last chunk: optional trailer fields, then an empty line.
        const buf = s.buf.length === 0 ? data : Buffer.concat([s.buf, data])
        const emptyFirst = buf.length >= 2 && buf[0] === 0x0d && buf[1] === 0x0a
        const end = emptyFirst ? 0 : buf.indexOf(CRLF2)
        if (!emptyFirst && end < 0) {
          if (buf.length > MAX_HEAD) {
            this.state = { kind: 'passthrough' }
            out.push(buf)
          } else {
            this.state = { kind: 'trailer', buf }
          }
          return Buffer.alloc(0)
        }
        const len = emptyFirst ? 2 : end + 4
        out.push(buf.subarray(0, len))
        this.state = { kind: 'start' }
        return buf.subarray(len)
      }
    }
  }

  private afterHead (head: Buffer): void {
    const text = head.toString('latin1')
    const lines = text.split('\r\n')
    const requestLine = lines[0] ?? ''
    let contentLength: number | undefined
    let chunked = false
    let upgrade = false
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':')
      if (colon <= 0) continue
      const name = line.slice(0, colon).trim().toLowerCase()
      const value = line.slice(colon + 1).trim()
      if (name === 'content-length') {
        if (!/^\d+$/.test(value) || (contentLength !== undefined && contentLength !== Number(value))) {
          this.state = { kind: 'passthrough' }
          return
        }
        contentLength = Number(value)
      } else if (name === 'transfer-encoding') {
        if (/(^|,)\s*chunked\s*$/i.test(value)) chunked = true
        else { this.state = { kind: 'passthrough' }; return }
      } else if (name === 'upgrade') {
        upgrade = true
      }
    }
    if (upgrade || requestLine.startsWith('CONNECT ') || (chunked && contentLength !== undefined)) {
      this.state = { kind: 'passthrough' }
    } else if (chunked) {
      this.state = { kind: 'chunkSize', line: Buffer.alloc(0) }
    } else if (contentLength !== undefined && contentLength > 0) {
      this.state = { kind: 'body', remaining: contentLength }
    } else {
      this.state = { kind: 'start' }
    }
  }
}

function rewriteMethod (head: Buffer): Buffer {
  if (head.subarray(0, 5).equals(LIST)) {
    const copy = Buffer.from(head)
    LINK.copy(copy, 0)
    return copy
  }
  if (head.subarray(0, 5).equals(LINK)) {
    return Buffer.concat([UNLINK, head.subarray(5)])
  }
  return head
}

/**
 * A Duplex standing in for the socket: reads pass through the rewriter,
 * writes and socket controls go straight to the real socket.
 */
export class RewritingSocket extends Duplex {
  readonly socket: Socket
  private readonly rewriter = new MethodRewriter()

  constructor (socket: Socket) {
    super({ allowHalfOpen: false })
    this.socket = socket
    socket.on('data', (chunk: Buffer) => {
      if (!this.push(this.rewriter.push(chunk))) socket.pause()
    })
    socket.on('end', () => this.push(null))
    socket.on('error', (err) => this.destroy(err))
    socket.on('close', () => { if (!this.destroyed) this.destroy() })
    socket.on('timeout', () => this.emit('timeout'))
    socket.on('drain', () => this.emit('drain'))
  }

  override _read (): void {
    this.socket.resume()
  }

  override _write (chunk: Buffer, encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    this.socket.write(chunk, encoding, callback)
  }

  override _writev (chunks: Array<{ chunk: Buffer, encoding: BufferEncoding }>, callback: (err?: Error | null) => void): void {
    this.socket.cork()
    for (const { chunk, encoding } of chunks) this.socket.write(chunk, encoding)
    this.socket.uncork()
    this.socket.write(Buffer.alloc(0), callback)
  }

  override _final (callback: (err?: Error | null) => void): void {
    this.socket.end(callback)
  }

  override _destroy (err: Error | null, callback: (err: Error | null) => void): void {
    this.socket.destroy(err ?? undefined)
    callback(err)
  }

  setTimeout (ms: number, cb?: () => void): this {
    this.socket.setTimeout(ms)
    if (cb !== undefined) this.once('timeout', cb)
    return this
  }

  setNoDelay (noDelay?: boolean): this {
    this.socket.setNoDelay(noDelay)
    return this
  }

  setKeepAlive (enable?: boolean, delay?: number): this {
    this.socket.setKeepAlive(enable, delay)
    return this
  }

  get remoteAddress (): string | undefined { return this.socket.remoteAddress }
  get remotePort (): number | undefined { return this.socket.remotePort }
  get remoteFamily (): string | undefined { return this.socket.remoteFamily }
  get localAddress (): string | undefined { return this.socket.localAddress }
  get localPort (): number | undefined { return this.socket.localPort }
  get encrypted (): boolean { return false }
  address (): ReturnType<Socket['address']> { return this.socket.address() }
  ref (): this { this.socket.ref(); return this }
  unref (): this { this.socket.unref(); return this }
}
