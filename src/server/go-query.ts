/**
 * Query strings as Go's url.ParseQuery reads them (net/url), which is what
 * Vault's handlers see through r.URL.Query(): pairs split on `&` only, a
 * pair holding `;` dropped, a pair with a bad `%` escape dropped (Go
 * records the error and Vault ignores it), `+` as a space, and any byte
 * sequence accepted.
 */

/** Go's QueryUnescape; undefined for a bad escape. */
function queryUnescape (s: string): string | undefined {
  if (!s.includes('%')) return s.includes('+') ? s.replace(/\+/g, ' ') : s
  const bytes: number[] = []
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (c === '%') {
      const hex = s.slice(i + 1, i + 3)
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return undefined
      bytes.push(parseInt(hex, 16))
      i += 2
    } else if (c === '+') {
      bytes.push(0x20)
    } else {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b)
    }
  }
  return Buffer.from(bytes).toString('utf8')
}

/** Parse a query string (without `?`): one value as a string, repeated keys as a list. */
export function parseGoQuery (query: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null)
  for (const pair of query.split('&')) {
    if (pair === '' || pair.includes(';')) continue
    const eq = pair.indexOf('=')
    const key = queryUnescape(eq < 0 ? pair : pair.slice(0, eq))
    const value = queryUnescape(eq < 0 ? '' : pair.slice(eq + 1))
    if (key === undefined || value === undefined) continue
    const prev = out[key]
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value]
  }
  return out
}
