/**
 * Base64 exactly as Go's encoding/base64 decodes it. Node's Buffer decoder
 * accepts garbage silently; Vault answers 400 with Go's error text, so the
 * strict decoders here reproduce Go's acceptance rules and error offsets.
 */

/** Go's base64.CorruptInputError: the byte offset of the first bad input. */
export class CorruptInputError extends Error {
  constructor (readonly offset: number) {
    super(`illegal base64 data at input byte ${offset}`)
    this.name = 'CorruptInputError'
  }
}

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

function decodeMap (alphabet: string): Int16Array {
  const map = new Int16Array(256).fill(-1)
  for (let i = 0; i < alphabet.length; i++) map[alphabet.charCodeAt(i)] = i
  return map
}

const STD_MAP = decodeMap(STD)
const URL_MAP = decodeMap(URL)
const PAD = 0x3d // '='
const NL = 0x0a
const CR = 0x0d

/**
 * Go's Encoding.Decode (non-strict mode): `\r`/`\n` are skipped, padding is
 * required when `padded`, trailing bits are not checked. Throws
 * CorruptInputError with Go's offset (bytes of the UTF-8 input).
 */
function goDecode (text: string, map: Int16Array, padded: boolean): Buffer {
  const src = Buffer.from(text, 'utf8')
  const out = Buffer.allocUnsafe(Math.ceil(src.length / 4) * 3 + 3)
  let n = 0
  let si = 0
  const dbuf = [0, 0, 0, 0]
  while (true) {
    let dlen = 4
    let done = false
    let j = 0
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return out.subarray(0, n)
        if (j === 1 || padded) throw new CorruptInputError(si - j)
        dlen = j
        done = true
        break
      }
      const c = src[si]
      si++
      const v = map[c]
      if (v >= 0) {
        dbuf[j] = v
        continue
      }
      if (c === NL || c === CR) {
        j--
        continue
      }
      if (c !== PAD || !padded) throw new CorruptInputError(si - 1)
      // Padding: only valid after two or three symbols.
      if (j === 0 || j === 1) throw new CorruptInputError(si - 1)
      if (j === 2) {
        while (si < src.length && (src[si] === NL || src[si] === CR)) si++
        if (si === src.length) throw new CorruptInputError(src.length)
        if (src[si] !== PAD) throw new CorruptInputError(si - 1)
        si++
      }
      while (si < src.length && (src[si] === NL || src[si] === CR)) si++
      if (si < src.length) throw new CorruptInputError(si)
      dlen = j
      done = true
      break
    }
    for (let k = j; k < 4; k++) dbuf[k] = 0
    const val = (dbuf[0] << 18) | (dbuf[1] << 12) | (dbuf[2] << 6) | dbuf[3]
    if (dlen >= 2) out[n++] = (val >>> 16) & 0xff
    if (dlen >= 3) out[n++] = (val >>> 8) & 0xff
    if (dlen >= 4) out[n++] = val & 0xff
    if (done) return out.subarray(0, n)
  }
}

/** Go's base64.StdEncoding.DecodeString: standard alphabet, `=` padding required. */
export function decodeStdBase64 (text: string): Buffer {
  // Fast path (transit plaintexts on every request): input that Node
  // re-encodes to exactly itself is canonical padded base64, which Go
  // decodes to the same bytes. Anything else takes Go's rules below, so
  // errors and their offsets are unchanged. ~10x cheaper for 4 KiB.
  const fast = Buffer.from(text, 'base64')
  if (fast.toString('base64') === text) return fast
  return Buffer.from(goDecode(text, STD_MAP, true))
}

/** Go's base64.RawURLEncoding.DecodeString: URL alphabet, no padding allowed. */
export function decodeRawUrlBase64 (text: string): Buffer {
  return Buffer.from(goDecode(text, URL_MAP, false))
}

/** Standard padded base64 (Go's StdEncoding.EncodeToString). */
export function encodeStdBase64 (data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64')
}

/** Unpadded URL-safe base64 (Go's RawURLEncoding.EncodeToString). */
export function encodeRawUrlBase64 (data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64url')
}
