/**
 * URL details of Go's net/http that clients can see.
 */

/** Bytes Go's url.PathEscape-style path encoding (shouldEscape, encodePath) leaves alone. */
const PATH_SAFE = /[A-Za-z0-9\-_.~$&+,/:;=@]/

/**
 * `(&url.URL{Path: p}).String()` for a path: everything but unreserved
 * characters and `$&+,/:;=@` percent-encoded, `%` included. Go 1.22+'s
 * ServeMux builds its redirect Location this way from the cleaned
 * *escaped* path, so `/v1//sys/%68ealth` redirects to
 * `/v1/sys/%2568ealth` (observed on OpenBao 2.6.2).
 */
export function goEscapePath (path: string): string {
  let out = ''
  for (const byte of Buffer.from(path, 'latin1')) {
    const c = String.fromCharCode(byte)
    out += PATH_SAFE.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/** Go's html.EscapeString, as http.Redirect uses it for the link in its body. */
export function goHtmlEscape (text: string): string {
  return text.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;')
}

/**
 * Go decodes a request path's `%XX` escapes to raw bytes, valid UTF-8 or
 * not (`/v1/secret/data/%ff` is a key like any other); JavaScript's
 * decoders throw on such bytes and Fastify would answer 400. Rewrite each
 * run of escapes that is not valid UTF-8 to the escapes of its decoding
 * with U+FFFD, the character Go's JSON encoder shows those bytes as.
 * Malformed escapes (`%zz`) are left for Go's own 400.
 */
export function repairPathEscapes (url: string): string {
  if (!url.includes('%')) return url
  try {
    decodeURIComponent(url)
    return url
  } catch {}
  return url.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    const bytes = Buffer.from(run.replace(/%/g, ''), 'hex')
    const text = bytes.toString('utf8')
    return Buffer.from(text, 'utf8').equals(bytes) ? run : encodeURIComponent(text)
  })
}

/**
 * An absolute-form request target (`GET http://host/v1/sys/health`, as
 * proxies send) serves its path, as in Go; Node hands the whole URL on.
 */
export function originForm (url: string): string {
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.exec(url)
  if (m === null) return url
  const rest = url.slice(m[0].length)
  return rest.startsWith('/') ? rest : `/${rest}`
}
