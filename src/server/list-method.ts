/**
 * Node's HTTP parser (llhttp) knows a fixed list of methods and answers
 * anything else, Vault's `LIST` included, with a bare 400 before any
 * handler runs. hvac, node-vault and `curl -X LIST` send LIST, so the bytes
 * of each connection pass through this framing-aware rewriter before the
 * parser sees them: at the start of every request, `LIST ` becomes `LINK `
 * (same length, a method llhttp knows), and a genuine `LINK ` becomes
 * `UNLINK ` so the two stay apart (Vault answers 405 to LINK, as we do to
 * UNLINK).
 *
 * Framing follows RFC 9112 §6: Content-Length or chunked bodies. Anything
 * the rewriter cannot frame with certainty (upgrades, conflicting lengths,
 * oversized heads) switches the connection to plain pass-through, where
 * llhttp then answers as it always does.
 */
import type { Socket } from 'node:net'

/** The method llhttp sees for a LIST request. */
export const LIST_ALIAS = 'LINK'
/** The method llhttp sees for a genuine LINK request. */
export const LINK_ALIAS = 'UNLINK'

const MAX_HEAD = 128 * 1024
const MAX_CHUNK_LINE = 4096
const CRLF2 = Buffer.from('\r\n\r\n')
const UN = Buffer.from('UN')
const EMPTY = Buffer.alloc(0)
const CR = 0x0d
const LF = 0x0a

const enum Mode { Start, Head, Body, ChunkSize, ChunkData, ChunkDataEnd, Trailer, Passthrough }

/** The framing headers of one request head (latin1 text). */
const FRAMING = /\r\n[ \t]*(content-length|transfer-encoding|upgrade)[ \t]*:([^\r\n]*)/gi

/**
 * Rewrites the method at each request start; feed it the raw byte stream.
 * Hot path: a chunk holding whole requests comes back as the same Buffer
 * (LIST rewritten in place); only a head split across reads or a LINK is
 * copied.
 */
export class MethodRewriter {
  private mode = Mode.Start
  /** Bytes left in a body, chunk or chunk's CRLF. */
  private remaining = 0
  /** An incomplete head, chunk-size line or trailer held back from the last chunk. */
  private held: Buffer = EMPTY

  /** Transform one chunk of incoming bytes (the chunk may be modified in place). */
  push (chunk: Buffer): Buffer {
    if (this.mode === Mode.Passthrough) return chunk
    const data = this.held.length === 0 ? chunk : Buffer.concat([this.held, chunk])
    this.held = EMPTY
    let pieces: Buffer[] | undefined
    let emitFrom = 0
    let pos = 0
    let holdFrom = data.length

    scan: while (pos < data.length) {
      switch (this.mode) {
        case Mode.Start:
          // Tolerate stray CRLFs between requests, as llhttp does.
          while (pos < data.length && (data[pos] === CR || data[pos] === LF)) pos++
          if (pos < data.length) this.mode = Mode.Head
          break
        case Mode.Head: {
          const end = data.indexOf(CRLF2, pos)
          if (end < 0) {
            if (data.length - pos > MAX_HEAD) { this.mode = Mode.Passthrough; break scan }
            holdFrom = pos
            break scan
          }
          const method = methodAt(data, pos)
          if (method === 'list') {
            data[pos + 2] = 0x4e // LIST -> LINK: same length, in place
            data[pos + 3] = 0x4b
          } else if (method === 'link') {
            (pieces ??= []).push(data.subarray(emitFrom, pos), UN)
            emitFrom = pos
          }
          this.afterHead(data.toString('latin1', pos, end + 2))
          pos = end + 4
          break
        }
        case Mode.Body:
        case Mode.ChunkData:
        case Mode.ChunkDataEnd: {
          const n = Math.min(this.remaining, data.length - pos)
          pos += n
          this.remaining -= n
          if (this.remaining === 0) {
            if (this.mode === Mode.Body) this.mode = Mode.Start
            else if (this.mode === Mode.ChunkData) { this.mode = Mode.ChunkDataEnd; this.remaining = 2 }
            else this.mode = Mode.ChunkSize
          }
          break
        }
        case Mode.ChunkSize: {
          const nl = data.indexOf(LF, pos)
          if (nl < 0) {
            if (data.length - pos > MAX_CHUNK_LINE) { this.mode = Mode.Passthrough; break scan }
            holdFrom = pos
            break scan
          }
          const sizeText = data.toString('latin1', pos, nl).replace(/\r$/, '').split(';')[0].trim()
          pos = nl + 1
          if (!/^[0-9a-fA-F]{1,15}$/.test(sizeText)) { this.mode = Mode.Passthrough; break scan }
          const size = parseInt(sizeText, 16)
          if (size === 0) this.mode = Mode.Trailer
          else { this.mode = Mode.ChunkData; this.remaining = size }
          break
        }
        case Mode.Trailer: {
          // After the last chunk: optional trailer fields, then an empty line.
          if (data.length - pos >= 2 && data[pos] === CR && data[pos + 1] === LF) {
            pos += 2
            this.mode = Mode.Start
            break
          }
          const end = data.indexOf(CRLF2, pos)
          if (end < 0) {
            if (data.length - pos > MAX_HEAD) { this.mode = Mode.Passthrough; break scan }
            holdFrom = pos
            break scan
          }
          pos = end + 4
          this.mode = Mode.Start
          break
        }
        default: // Passthrough, set by afterHead
          break scan
      }
    }

    if (this.mode !== Mode.Passthrough && holdFrom < data.length) {
      // A copy: what is held must not alias a buffer handed to the parser.
      this.held = Buffer.from(data.subarray(holdFrom))
    } else {
      holdFrom = data.length
    }
    if (pieces === undefined) return emitFrom === 0 && holdFrom === data.length ? data : data.subarray(emitFrom, holdFrom)
    pieces.push(data.subarray(emitFrom, holdFrom))
    return Buffer.concat(pieces)
  }

  /** Set the framing of the body after a head (`head` is its latin1 text up to the last CRLF). */
  private afterHead (head: string): void {
    let contentLength: number | undefined
    let chunked = false
    let upgrade = false
    FRAMING.lastIndex = 0
    for (let m = FRAMING.exec(head); m !== null; m = FRAMING.exec(head)) {
      const name = m[1].toLowerCase()
      const value = m[2].trim()
      if (name === 'content-length') {
        if (!/^\d+$/.test(value) || (contentLength !== undefined && contentLength !== Number(value))) {
          this.mode = Mode.Passthrough
          return
        }
        contentLength = Number(value)
      } else if (name === 'transfer-encoding') {
        if (/(^|,)\s*chunked\s*$/i.test(value)) chunked = true
        else { this.mode = Mode.Passthrough; return }
      } else {
        upgrade = true
      }
    }
    if (upgrade || head.startsWith('CONNECT ') || (chunked && contentLength !== undefined)) {
      this.mode = Mode.Passthrough
    } else if (chunked) {
      this.mode = Mode.ChunkSize
    } else if (contentLength !== undefined && contentLength > 0) {
      this.mode = Mode.Body
      this.remaining = contentLength
    } else {
      this.mode = Mode.Start
    }
  }
}

/** `list` for `LIST `, `link` for `LINK ` at `pos`, else undefined. */
function methodAt (data: Buffer, pos: number): 'list' | 'link' | undefined {
  if (data.length - pos < 5 || data[pos] !== 0x4c || data[pos + 1] !== 0x49 || data[pos + 4] !== 0x20) return undefined
  if (data[pos + 2] === 0x53 && data[pos + 3] === 0x54) return 'list'
  if (data[pos + 2] === 0x4e && data[pos + 3] === 0x4b) return 'link'
  return undefined
}

/**
 * Put a connection's incoming bytes through a MethodRewriter. Call it right
 * after Node's HTTP server has set the connection up: the server's `data`
 * listener is replaced by one that rewrites first. Adding a `data` listener
 * makes Node stop feeding the parser straight from the socket (its
 * documented "unconsume" step), so bytes flow through JavaScript; writes
 * and every other socket operation stay untouched.
 */
export function interceptMethods (socket: Socket): void {
  const originals = socket.listeners('data') as Array<(chunk: Buffer) => void>
  if (originals.length === 0) return
  socket.removeAllListeners('data')
  const rewriter = new MethodRewriter()
  const forward = (chunk: Buffer): void => {
    const out = rewriter.push(chunk)
    if (out.length === 0) return
    for (const listener of originals) listener.call(socket, out)
  }
  // Node removes its own listener by reference on upgrade/CONNECT; EventEmitter
  // also matches a wrapper's `listener` property, so that removes ours.
  ;(forward as unknown as { listener: unknown }).listener = originals[0]
  socket.on('data', forward)
}
