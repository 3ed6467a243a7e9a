/** Where in a seed something is: the file, its line (when known) and a field path. */
export interface SeedLocation {
  /** File name, or `seed` for a seed given as an object. */
  source: string
  /** 1-based line, undefined for object seeds. */
  line: number | undefined
  /** Field path, e.g. `tokens[0].ttl` or `kv.secret["app/config"]`. */
  path: string
}

/**
 * A seed that cannot be parsed or applied. The message names the file,
 * the line and what is wrong: `seed.yaml:12: tokens[0].ttl: ...`.
 */
export class SeedError extends Error {
  override name = 'SeedError'
  readonly location: SeedLocation
  readonly reason: string

  constructor (location: SeedLocation, reason: string) {
    super(`${formatLocation(location)}: ${reason}`)
    this.location = location
    this.reason = reason
  }
}

export function formatLocation (loc: SeedLocation): string {
  const where = loc.line === undefined ? loc.source : `${loc.source}:${loc.line}`
  return loc.path === '' ? where : `${where}: ${loc.path}`
}

/** Append a key to a field path: `a.b`, or `a["x/y"]` when the key is not a plain word. */
export function childPath (path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`
  if (/^[A-Za-z_][\w-]*$/.test(key)) return path === '' ? key : `${path}.${key}`
  return `${path}[${JSON.stringify(key)}]`
}
