/**
 * Seed files: YAML or JSON (JSON is read as YAML, so both get line
 * numbers) into a validated Seed. Every error names the file, the line and
 * the field; values Vault itself checks (key types, policy syntax) are left
 * to Vault when the seed is applied.
 */
import fs from 'node:fs'
import {
  Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Node
} from 'yaml'
import { DurationError, parseDurationSeconds } from '../engines/duration.js'
import { childPath, SeedError, type SeedLocation } from './errors.js'
import type {
  Seed,
  SeedKeyMaterial,
  SeedKvSecret,
  SeedKvVersion,
  SeedMount,
  SeedPolicy,
  SeedToken,
  SeedTransitKey
} from './model.js'

const SECTIONS = ['mounts', 'policies', 'transit', 'kv', 'tokens']

interface Entry {
  key: string
  keyNode: Node | null
  value: Node | null
  path: string
}

/** Walks a YAML document, turning positions into SeedErrors. */
class Reader {
  constructor (
    private readonly doc: Document,
    private readonly source: string,
    private readonly lines: LineCounter | undefined
  ) {}

  at (node: Node | null | undefined, path: string): SeedLocation {
    const offset = node?.range?.[0]
    const line = offset === undefined || this.lines === undefined ? undefined : this.lines.linePos(offset).line
    return { source: this.source, line, path }
  }

  fail (node: Node | null | undefined, path: string, reason: string): never {
    throw new SeedError(this.at(node, path), reason)
  }

  resolve (node: Node | null | undefined): Node | null {
    if (node === null || node === undefined) return null
    if (isAlias(node)) return (node.resolve(this.doc) as Node | undefined) ?? null
    return node
  }

  isNull (node: Node | null): boolean {
    const n = this.resolve(node)
    return n === null || (isScalar(n) && n.value === null)
  }

  entries (node: Node | null, path: string, what = 'a map'): Entry[] {
    const n = this.resolve(node)
    if (!isMap(n)) this.fail(node, path, `must be ${what}`)
    return n.items.map((pair) => {
      const keyNode = pair.key as Node | null
      const k = this.resolve(keyNode)
      if (!isScalar(k) || (typeof k.value !== 'string' && typeof k.value !== 'number')) {
        this.fail(keyNode, path, 'map keys must be strings')
      }
      const key = String(k.value)
      return { key, keyNode, value: pair.value as Node | null, path: childPath(path, key) }
    })
  }

  /** The entries of a map whose keys must come from `allowed`. */
  fields (node: Node | null, path: string, allowed: readonly string[]): Map<string, Entry> {
    const out = new Map<string, Entry>()
    for (const e of this.entries(node, path)) {
      if (!allowed.includes(e.key)) {
        this.fail(e.keyNode, e.path, `unknown field (expected one of: ${allowed.join(', ')})`)
      }
      out.set(e.key, e)
    }
    return out
  }

  items (node: Node | null, path: string): Array<{ node: Node | null, path: string }> {
    const n = this.resolve(node)
    if (!isSeq(n)) this.fail(node, path, 'must be a list')
    return n.items.map((item, i) => ({ node: item as Node | null, path: childPath(path, i) }))
  }

  scalar (node: Node | null, path: string): unknown {
    const n = this.resolve(node)
    if (!isScalar(n)) this.fail(node, path, 'must be a single value, not a map or a list')
    return n.value
  }

  string (node: Node | null, path: string): string {
    const v = this.scalar(node, path)
    if (typeof v !== 'string') this.fail(node, path, 'must be a string')
    return v
  }

  nonEmpty (node: Node | null, path: string): string {
    const v = this.string(node, path)
    if (v.trim() === '') this.fail(node, path, 'must not be empty')
    return v
  }

  bool (node: Node | null, path: string): boolean {
    const v = this.scalar(node, path)
    if (typeof v !== 'boolean') this.fail(node, path, 'must be true or false')
    return v
  }

  int (node: Node | null, path: string, min = 0): number {
    const v = this.scalar(node, path)
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) this.fail(node, path, 'must be a whole number')
    if (v < min) this.fail(node, path, `must be at least ${min}`)
    return v
  }

  /** A Vault duration: "1h", "7d", or whole seconds. Kept as written. */
  duration (node: Node | null, path: string): string | number {
    const v = this.scalar(node, path)
    if (typeof v !== 'string' && typeof v !== 'number') {
      this.fail(node, path, 'must be a duration such as "1h" or a number of seconds')
    }
    try {
      if (parseDurationSeconds(v) < 0) this.fail(node, path, 'must not be negative')
    } catch (err) {
      if (err instanceof DurationError) this.fail(node, path, `must be a duration such as "1h" or a number of seconds (${err.message})`)
      throw err
    }
    return v
  }

  stringMap (node: Node | null, path: string): Record<string, string> {
    const out: Record<string, string> = {}
    for (const e of this.entries(node, path, 'a map of strings')) {
      const v = this.scalar(e.value, e.path)
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        this.fail(e.value, e.path, 'must be a string')
      }
      out[e.key] = String(v)
    }
    return out
  }

  stringList (node: Node | null, path: string): string[] {
    const n = this.resolve(node)
    if (isScalar(n) && typeof n.value === 'string') {
      return n.value.split(',').map((s) => s.trim()).filter((s) => s !== '')
    }
    return this.items(node, path).map((i) => this.nonEmpty(i.node, i.path))
  }

  /** A JSON value (KV data): maps, lists, strings, finite numbers, booleans, null. */
  json (node: Node | null, path: string): unknown {
    const n = this.resolve(node)
    if (n === null) return null
    if (isMap(n)) {
      const out: Record<string, unknown> = {}
      for (const e of this.entries(n, path)) out[e.key] = this.json(e.value, e.path)
      return out
    }
    if (isSeq(n)) return this.items(n, path).map((i) => this.json(i.node, i.path))
    const v = this.scalar(n, path)
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v
    if (typeof v === 'number' && Number.isFinite(v)) {
      if (Number.isInteger(v) && !Number.isSafeInteger(v)) {
        this.fail(node, path, 'integer is too large to keep exactly; quote it as a string')
      }
      return v
    }
    return this.fail(node, path, 'must be a JSON value (string, number, boolean, null, map or list)')
  }

  jsonMap (node: Node | null, path: string): Record<string, unknown> {
    if (!isMap(this.resolve(node))) this.fail(node, path, 'must be a map of fields')
    return this.json(node, path) as Record<string, unknown>
  }
}

function trimSlashes (path: string): string {
  return path.replace(/^\/+|\/+$/g, '')
}

function readMounts (r: Reader, node: Node | null): SeedMount[] {
  const seen = new Set<string>()
  return r.entries(node, 'mounts').map((e): SeedMount => {
    const path = trimSlashes(e.key)
    if (path === '') r.fail(e.keyNode, e.path, 'mount path must not be empty')
    if (seen.has(path)) r.fail(e.keyNode, e.path, `mount path "${path}/" appears twice`)
    seen.add(path)
    const at = r.at(e.keyNode, e.path)
    const node = r.resolve(e.value)
    let mount: SeedMount
    if (isScalar(node)) {
      mount = { at, path, type: r.nonEmpty(e.value, e.path) }
    } else {
      const f = r.fields(e.value, e.path, ['type', 'description', 'config', 'options', 'local', 'seal_wrap'])
      const type = f.get('type')
      if (type === undefined) r.fail(e.keyNode, e.path, 'missing field "type"')
      mount = { at, path, type: r.nonEmpty(type.value, type.path) }
      const get = (k: string): Entry | undefined => f.get(k)
      const description = get('description')
      if (description !== undefined) mount.description = r.string(description.value, description.path)
      const config = get('config')
      if (config !== undefined) mount.config = r.jsonMap(config.value, config.path)
      const options = get('options')
      if (options !== undefined) mount.options = r.stringMap(options.value, options.path)
      const local = get('local')
      if (local !== undefined) mount.local = r.bool(local.value, local.path)
      const sealWrap = get('seal_wrap')
      if (sealWrap !== undefined) mount.sealWrap = r.bool(sealWrap.value, sealWrap.path)
    }
    // -dev-mount's shorthands.
    if (mount.type === 'kv-v2' || mount.type === 'kv-v1') {
      mount.options = { ...mount.options, version: mount.type.slice(-1) }
      mount.type = 'kv'
    }
    return mount
  })
}

function readPolicies (r: Reader, node: Node | null): SeedPolicy[] {
  return r.entries(node, 'policies').map((e) => ({
    at: r.at(e.keyNode, e.path),
    name: e.key,
    text: r.string(e.value, e.path)
  }))
}

const KEY_CREATE_BOOLS = ['derived', 'convergent_encryption', 'exportable', 'allow_plaintext_backup']
const KEY_CONFIG_BOOLS = ['deletion_allowed']
const KEY_CONFIG_INTS = ['min_decryption_version', 'min_encryption_version']
const KEY_FIELDS = ['type', ...KEY_CREATE_BOOLS, 'auto_rotate_period', 'key_size', ...KEY_CONFIG_BOOLS,
  ...KEY_CONFIG_INTS, 'versions', 'allow_rotation']

function readMaterial (r: Reader, node: Node | null, path: string): SeedKeyMaterial {
  const text = r.nonEmpty(node, path).trim()
  const isPem = text.startsWith('-----BEGIN ')
  if (!isPem && !/^[A-Za-z0-9+/\s]+={0,2}$/.test(text)) {
    r.fail(node, path, 'key material must be base64 (raw key bytes, or PKCS#8 DER for asymmetric keys) or a PEM private key')
  }
  return { at: r.at(node, path), text }
}

function readTransitKey (r: Reader, mount: string, e: Entry): SeedTransitKey {
  const at = r.at(e.keyNode, e.path)
  const f = r.isNull(e.value) ? new Map<string, Entry>() : r.fields(e.value, e.path, KEY_FIELDS)
  const key: SeedTransitKey = {
    at,
    mount,
    name: e.key,
    type: 'aes256-gcm96',
    create: {},
    config: {},
    versions: 1,
    allowRotation: true
  }
  for (const [name, field] of f) {
    if (name === 'type') key.type = r.nonEmpty(field.value, field.path)
    else if (KEY_CREATE_BOOLS.includes(name)) key.create[name] = r.bool(field.value, field.path)
    else if (name === 'auto_rotate_period') key.create[name] = r.duration(field.value, field.path)
    else if (name === 'key_size') key.create[name] = r.int(field.value, field.path, 1)
    else if (KEY_CONFIG_BOOLS.includes(name)) key.config[name] = r.bool(field.value, field.path)
    else if (KEY_CONFIG_INTS.includes(name)) key.config[name] = r.int(field.value, field.path)
    else if (name === 'allow_rotation') key.allowRotation = r.bool(field.value, field.path)
  }
  key.create.type = key.type
  const versions = f.get('versions')
  if (versions !== undefined) {
    const n = r.resolve(versions.value)
    if (isSeq(n)) {
      const items = r.items(versions.value, versions.path)
      if (items.length === 0) r.fail(versions.value, versions.path, 'must list at least one version')
      key.versions = items.map((i) => readMaterial(r, i.node, i.path))
    } else {
      key.versions = r.int(versions.value, versions.path, 1)
    }
  }
  if (typeof key.versions === 'number' && f.has('allow_rotation')) {
    const field = f.get('allow_rotation') as Entry
    r.fail(field.keyNode, field.path, 'applies only to keys with fixed key material (a list under "versions")')
  }
  return key
}

function readTransit (r: Reader, node: Node | null): SeedTransitKey[] {
  const keys: SeedTransitKey[] = []
  for (const m of r.entries(node, 'transit', 'a map of mount paths')) {
    const mount = trimSlashes(m.key)
    if (mount === '') r.fail(m.keyNode, m.path, 'mount path must not be empty')
    for (const k of r.entries(m.value, m.path, 'a map of key names')) keys.push(readTransitKey(r, mount, k))
  }
  return keys
}

const SECRET_FIELDS = ['data', 'versions', 'custom_metadata', 'max_versions', 'cas_required', 'delete_version_after']

function readSecret (r: Reader, mount: string, e: Entry): SeedKvSecret {
  const path = trimSlashes(e.key)
  if (path === '') r.fail(e.keyNode, e.path, 'secret path must not be empty')
  const f = r.fields(e.value, e.path, SECRET_FIELDS)
  const data = f.get('data')
  const versions = f.get('versions')
  if ((data === undefined) === (versions === undefined)) {
    r.fail(e.keyNode, e.path, 'give either "data" (one version) or "versions" (a list of versions, oldest first)')
  }
  let list: SeedKvVersion[]
  if (data !== undefined) {
    list = [{ at: r.at(data.value, data.path), data: r.jsonMap(data.value, data.path) }]
  } else {
    const v = versions as Entry
    list = r.items(v.value, v.path).map((i) => ({ at: r.at(i.node, i.path), data: r.jsonMap(i.node, i.path) }))
    if (list.length === 0) r.fail(v.value, v.path, 'must list at least one version')
  }
  const metadata: Record<string, unknown> = {}
  for (const [name, field] of f) {
    if (name === 'custom_metadata') metadata[name] = r.stringMap(field.value, field.path)
    else if (name === 'max_versions') metadata[name] = r.int(field.value, field.path)
    else if (name === 'cas_required') metadata[name] = r.bool(field.value, field.path)
    else if (name === 'delete_version_after') metadata[name] = r.duration(field.value, field.path)
  }
  return { at: r.at(e.keyNode, e.path), mount, path, versions: list, metadata }
}

function readKv (r: Reader, node: Node | null): SeedKvSecret[] {
  const secrets: SeedKvSecret[] = []
  for (const m of r.entries(node, 'kv', 'a map of mount paths')) {
    const mount = trimSlashes(m.key)
    if (mount === '') r.fail(m.keyNode, m.path, 'mount path must not be empty')
    for (const s of r.entries(m.value, m.path, 'a map of secret paths')) secrets.push(readSecret(r, mount, s))
  }
  return secrets
}

const TOKEN_FIELDS = ['id', 'policies', 'ttl', 'explicit_max_ttl', 'period', 'renewable', 'num_uses',
  'display_name', 'meta', 'no_default_policy', 'orphan']

function readTokens (r: Reader, node: Node | null): SeedToken[] {
  const ids = new Set<string>()
  return r.items(node, 'tokens').map((item): SeedToken => {
    const f = r.fields(item.node, item.path, TOKEN_FIELDS)
    const idField = f.get('id')
    if (idField === undefined) {
      r.fail(item.node, item.path, 'missing field "id" (seeded tokens need a fixed id so the seed can be applied again)')
    }
    const id = r.nonEmpty(idField.value, idField.path)
    if (ids.has(id)) r.fail(idField.value, idField.path, 'the same token id appears twice')
    ids.add(id)
    const token: SeedToken = { at: r.at(item.node, item.path), id, orphan: true, fields: { id } }
    for (const [name, field] of f) {
      if (name === 'policies') token.fields.policies = r.stringList(field.value, field.path)
      else if (name === 'ttl' || name === 'explicit_max_ttl' || name === 'period') {
        token.fields[name] = r.duration(field.value, field.path)
      } else if (name === 'renewable' || name === 'no_default_policy') token.fields[name] = r.bool(field.value, field.path)
      else if (name === 'num_uses') token.fields[name] = r.int(field.value, field.path)
      else if (name === 'display_name') token.fields[name] = r.string(field.value, field.path)
      else if (name === 'meta') token.fields[name] = r.stringMap(field.value, field.path)
      else if (name === 'orphan') token.orphan = r.bool(field.value, field.path)
    }
    return token
  })
}

function readSeed (r: Reader, root: Node | null, source: string): Seed {
  const seed: Seed = { source, mounts: [], policies: [], transit: [], kv: [], tokens: [] }
  if (r.isNull(root)) return seed
  for (const e of r.entries(root, '', 'a map with the sections mounts, policies, transit, kv and tokens')) {
    if (!SECTIONS.includes(e.key)) {
      r.fail(e.keyNode, e.path, `unknown section (expected one of: ${SECTIONS.join(', ')})`)
    }
    if (r.isNull(e.value)) continue
    if (e.key === 'mounts') seed.mounts = readMounts(r, e.value)
    else if (e.key === 'policies') seed.policies = readPolicies(r, e.value)
    else if (e.key === 'transit') seed.transit = readTransit(r, e.value)
    else if (e.key === 'kv') seed.kv = readKv(r, e.value)
    else seed.tokens = readTokens(r, e.value)
  }
  return seed
}

/** Parse and validate seed text (YAML or JSON); `source` names it in errors. */
export function parseSeed (text: string, source: string): Seed {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true })
  const problem = doc.errors[0] ?? doc.warnings[0]
  if (problem !== undefined) {
    const line = lines.linePos(problem.pos[0]).line
    const reason = problem.code === 'DUPLICATE_KEY' ? 'the same key appears twice in one map' : problem.message
    throw new SeedError({ source, line, path: '' }, `invalid YAML/JSON: ${reason}`)
  }
  return readSeed(new Reader(doc, source, lines), doc.contents as Node | null, source)
}

/** Validate a seed given as a plain object (the Node API); errors name field paths, not lines. */
export function seedFromObject (value: unknown, source = 'seed'): Seed {
  const doc = new Document(value)
  return readSeed(new Reader(doc, source, undefined), doc.contents as Node | null, source)
}

/** Read and parse a seed file. */
export function loadSeedFile (file: string): Seed {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory' : e.message
    throw new SeedError({ source: file, line: undefined, path: '' }, `cannot read seed file: ${why}`)
  }
  return parseSeed(text, file)
}
