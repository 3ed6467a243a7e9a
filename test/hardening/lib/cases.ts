/**
 * fast-check generators for hostile requests, as raw bytes: requests shaped
 * by the engines' path tables with wrong, junk and edge-case field values,
 * mangled paths, query strings and headers, broken JSON and framing, and
 * pipelines of several requests on one connection.
 */
import fc from 'fast-check'
import type { Endpoint } from './endpoints.js'
import { JUNK_VALUES, samplePath, uncoercible } from './endpoints.js'
import { SEED_TOKENS, type Pools } from './fixture.js'
import type { Sent } from './oracle.js'
import type { FieldType } from '../../../src/engines/fields.js'

export interface FuzzCase {
  /** Which generator made it (for the statistics line). */
  kind: string
  /** Raw requests, sent back to back on one connection. */
  requests: Buffer[]
  sent: Sent[]
}

interface RequestParts {
  method: string
  target: string
  version?: string
  headers: Array<[string, string]>
  body?: Buffer
  /** Send the body chunked; 'broken' sends a bad chunk-size line. */
  chunked?: boolean | 'broken'
}

const CRLF = '\r\n'
const SEED_CHILD = SEED_TOKENS.child

/** Serialise a request; Host and Connection: close are added unless present. */
export function buildRequest (p: RequestParts, keepAlive = false): Buffer {
  const headers = [...p.headers]
  const has = (n: string): boolean => headers.some(([k]) => k.toLowerCase() === n)
  if (!has('host')) headers.unshift(['Host', '127.0.0.1'])
  if (!keepAlive && !has('connection')) headers.push(['Connection', 'close'])
  let body = p.body ?? Buffer.alloc(0)
  if (p.chunked !== undefined && p.chunked !== false) {
    headers.push(['Transfer-Encoding', 'chunked'])
    const size = p.chunked === 'broken' ? 'zz' : body.length.toString(16)
    body = Buffer.concat([
      Buffer.from(`${size}${CRLF}`, 'latin1'), body, Buffer.from(`${CRLF}0${CRLF}${CRLF}`, 'latin1')
    ].filter((_, i) => body.length > 0 || i !== 1))
    if (p.body === undefined || p.body.length === 0) body = Buffer.from(`0${CRLF}${CRLF}`, 'latin1')
  } else if (p.body !== undefined && !has('content-length')) {
    headers.push(['Content-Length', String(body.length)])
  }
  const head = `${p.method} ${p.target} ${p.version ?? 'HTTP/1.1'}${CRLF}` +
    headers.map(([k, v]) => `${k}: ${v}${CRLF}`).join('') + CRLF
  return Buffer.concat([Buffer.from(head, 'latin1'), body])
}

/** Characters as bytes: keeps raw UTF-8 and invalid bytes in request lines. */
const latin1 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1')

// ---- values -------------------------------------------------------------

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64')

const base64Value = fc.oneof(
  { arbitrary: fc.uint8Array({ maxLength: 64 }).map(b64), weight: 6 },
  { arbitrary: fc.constantFrom('', '=', 'a', 'aGk', 'aGk==', 'a=b=', 'aG k=', '-_-_', 'aGk=\n', '!!!!', '%%%%', 'AAAA====', ' aGk='), weight: 3 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 1 }
)

function mutateText (s: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constant(s),
    fc.nat({ max: Math.max(0, s.length - 1) }).map((i) => s.slice(0, i)),
    fc.tuple(fc.nat({ max: Math.max(0, s.length - 1) }), fc.constantFrom('A', '=', ':', ' ', '\u0000', 'é', '/'))
      .map(([i, c]) => s.slice(0, i) + c + s.slice(i + 1)),
    fc.constantFrom('vault:v0:', 'vault:v-1:', 'vault:vx:', 'vault:v99999999999999999999:', 'vault:v1', 'vault:', 'v1:', 'vault:v2:')
      .map((prefix) => prefix + s.replace(/^vault:v\d+:/, '')),
    fc.constant(s.replace(/^vault:v\d+:/, ''))
  )
}

const ciphertextValue = (pools: Pools): fc.Arbitrary<string> => fc.oneof(
  { arbitrary: fc.constantFrom(...pools.ciphertexts, ...pools.derivedCiphertexts), weight: 3 },
  { arbitrary: fc.constantFrom(...pools.ciphertexts).chain(mutateText), weight: 4 },
  { arbitrary: base64Value.map((v) => `vault:v1:${v}`), weight: 2 },
  { arbitrary: fc.string({ maxLength: 30 }), weight: 1 }
)

const smallInt = fc.oneof(
  { arbitrary: fc.integer({ min: -3, max: 5 }), weight: 6 },
  { arbitrary: fc.constantFrom(2 ** 31, 2 ** 53 - 1, -(2 ** 53), 2 ** 63, 1e308), weight: 1 },
  { arbitrary: fc.constantFrom('1', '0x10', '010', '-1', ' 1', '1 ', '+1'), weight: 2 }
)

const duration = fc.oneof(
  fc.constantFrom('1h', '30m', '10s', '0', '', '1d', '768h', '-1s', '1.5h', '99999999h', '1h30m', '5ms', 'abc', '10', '1y'),
  fc.integer({ min: -10, max: 10 ** 10 })
)

const KEY_TYPES = ['aes128-gcm96', 'aes256-gcm96', 'chacha20-poly1305', 'xchacha20-poly1305', 'ecdsa-p256',
  'ecdsa-p384', 'ecdsa-p521', 'ed25519', 'hmac', 'rsa-2048', 'managed_key', 'aes', '', 'AES256-GCM96']

const jsonish: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 4 },
  { arbitrary: fc.constantFrom(...JUNK_VALUES), weight: 2 }
)

const policyText = fc.oneof(
  fc.constantFrom(
    'path "secret/*" { capabilities = ["read"] }',
    'path "*" { capabilities = ["sudo", "root"] }',
    'path "a" { capabilities = ["deny"] } path "a" { capabilities = ["read"] }',
    '{"path":{"x/*":{"capabilities":["list"]}}}',
    'path "x" { capabilities = "read" }',
    'path "x" { allowed_parameters = { "a" = [] } capabilities = ["update"] }',
    'path "x" {', '', '}}}', 'path', '\u0000', 'path "+/*" { capabilities = ["read"] }'
  ),
  fc.string({ maxLength: 60 })
)

/** A plausible value for a field, by its name first, then by its type. */
function plausible (name: string, type: FieldType, pools: Pools): fc.Arbitrary<unknown> {
  switch (name) {
    case 'plaintext': case 'input': case 'context': case 'nonce': case 'associated_data':
      return base64Value
    case 'ciphertext': return ciphertextValue(pools)
    case 'signature': return fc.oneof(fc.constantFrom(...pools.signatures), fc.constantFrom(...pools.signatures).chain(mutateText))
    case 'hmac': return fc.oneof(fc.constantFrom(...pools.hmacs), fc.constantFrom(...pools.hmacs).chain(mutateText))
    case 'batch_input': return batchInput(pools)
    case 'type': return fc.constantFrom(...KEY_TYPES, 'service', 'batch', 'default', 'kv', 'transit', 'token')
    case 'token': return fc.constantFrom(...pools.tokens.slice(1), '', 'nope', 'hvs.' + 'A'.repeat(24))
    case 'accessor': return fc.constantFrom(...pools.accessors, '', 'nope')
    case 'policies': return fc.oneof(fc.subarray(['default', 'fz-pol', 'root', 'nope', '']), fc.constantFrom('default,fz-pol', 'root', ''))
    case 'policy': case 'rules': return policyText
    case 'data': return fc.oneof(fc.dictionary(fc.string({ maxLength: 8 }), jsonish, { maxKeys: 4 }), jsonish)
    case 'options': return fc.oneof(fc.record({ cas: smallInt }), fc.record({ version: fc.constantFrom('1', '2', '3', 'x') }), jsonish)
    case 'custom_metadata': case 'meta': return fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 8 }), jsonish), { maxKeys: 4 })
    case 'versions': return fc.oneof(fc.array(smallInt, { maxLength: 4 }), fc.constantFrom('1,2', '1', '', 'a'))
    case 'path': case 'paths': return fc.oneof(fc.constantFrom('secret/data/fz', 'hzkv2/*', 'sys/mounts', ''), fc.array(fc.string({ maxLength: 12 }), { maxLength: 3 }))
    case 'config': return fc.oneof(fc.record({ default_lease_ttl: duration, max_lease_ttl: duration }), jsonish)
    case 'hash_algorithm': case 'algorithm': case 'marshaling_algorithm': case 'signature_algorithm': case 'format': case 'key_derivation_algorithm':
      return fc.constantFrom('sha2-256', 'sha2-512', 'sha3-256', 'sha1', 'none', 'asn1', 'jws', 'pss', 'pkcs1v15', 'base64', 'hex', 'hkdf_sha256', 'md5', '')
    case 'bits': case 'key_size': return fc.constantFrom(0, 128, 256, 512, 2048, 1, -256, '256', 1e9)
    case 'bytes': case 'urlbytes': return fc.constantFrom(0, 1, 32, -1, 1024 * 1024, 2 ** 31, '32', 'x')
    default: break
  }
  switch (type) {
    case 'bool': return fc.constantFrom(true, false, 'true', '0', 't', 'F', 1, 0, '')
    case 'int': return smallInt
    case 'duration': case 'signedDuration': return duration
    case 'commaStringSlice': case 'stringSlice': return fc.oneof(fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }), fc.string({ maxLength: 20 }))
    case 'commaIntSlice': return fc.oneof(fc.array(smallInt, { maxLength: 3 }), fc.constantFrom('1,2', '3'))
    case 'map': case 'kvPairs': return fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 })
    case 'raw': return jsonish
    default: return fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(...pools.keyNames))
  }
}

function batchInput (pools: Pools): fc.Arbitrary<unknown> {
  const item = fc.oneof(
    { arbitrary: fc.record({ plaintext: base64Value }, { requiredKeys: [] }), weight: 3 },
    { arbitrary: fc.record({ ciphertext: ciphertextValue(pools), context: base64Value }, { requiredKeys: ['ciphertext'] }), weight: 3 },
    { arbitrary: fc.record({ input: base64Value, hmac: fc.constantFrom(...pools.hmacs), signature: fc.constantFrom(...pools.signatures) }, { requiredKeys: [] }), weight: 2 },
    { arbitrary: fc.record({ plaintext: jsonish, ciphertext: jsonish, context: jsonish, reference: jsonish, key_version: jsonish }, { requiredKeys: [] }), weight: 2 },
    { arbitrary: jsonish, weight: 1 }
  )
  return fc.oneof(
    { arbitrary: fc.array(item, { maxLength: 6 }), weight: 8 },
    { arbitrary: jsonish, weight: 2 }
  )
}

/** A value for a declared field: plausible, uncoercible for its type, or junk. */
function fieldValue (name: string, type: FieldType, pools: Pools): fc.Arbitrary<unknown> {
  const bad = uncoercible(type)
  return fc.oneof(
    { arbitrary: plausible(name, type, pools), weight: 7 },
    { arbitrary: bad.length > 0 ? fc.constantFrom(...bad) : jsonish, weight: 2 },
    { arbitrary: jsonish, weight: 1 }
  )
}

// ---- paths ---------------------------------------------------------------

const NAME_LIKE = fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,10}[a-z0-9]$/)

function captureValue (name: string, pools: Pools): fc.Arbitrary<string> {
  const junk = fc.oneof(
    fc.constantFrom('..', '.', 'a..b', '-x', 'x-', 'é', '🔑', 'a b', 'a%2Fb', '%00', 'a\u0000b', 'x'.repeat(300)),
    fc.string({ maxLength: 12 })
  )
  switch (name) {
    case 'name': return fc.oneof({ arbitrary: fc.constantFrom(...pools.keyNames), weight: 6 }, { arbitrary: NAME_LIKE, weight: 2 }, { arbitrary: junk, weight: 1 })
    case 'path': return fc.oneof({ arbitrary: fc.constantFrom(...pools.kvPaths, 'transit', 'hzkv1', 'fz-mount', 'auth/fz'), weight: 6 }, { arbitrary: NAME_LIKE, weight: 2 }, { arbitrary: junk, weight: 1 })
    case 'role_name': return fc.oneof(fc.constantFrom('fz-role', 'nope'), NAME_LIKE)
    case 'plaintext': return fc.constantFrom('plaintext', 'wrapped', 'x')
    case 'type': return fc.oneof(fc.constantFrom('encryption-key', 'signing-key', 'hmac-key', 'public-key', 'certificate-chain'), junk)
    case 'version': return fc.oneof(fc.constantFrom('1', '2', 'latest', '0', '-1', '99'), junk)
    case 'urlalgorithm': return fc.oneof(fc.constantFrom('sha2-256', 'sha2-512', 'sha3-256', 'sha1', 'md5'), junk)
    case 'source': return fc.oneof(fc.constantFrom('platform', 'seal', 'all'), junk)
    case 'urlbytes': return fc.oneof(fc.constantFrom('32', '0', '-1', '1048577', 'x'), junk)
    default: return fc.oneof(NAME_LIKE, junk)
  }
}

/** Damage a well-formed path the ways hostile clients do. */
function manglePath (path: string): fc.Arbitrary<string> {
  const segs = path.split('/')
  return fc.oneof(
    { arbitrary: fc.constant(path), weight: 12 },
    { arbitrary: fc.constant(path.replace(/\//g, '%2F').replace(/^%2Fv1%2F/, '/v1/')), weight: 1 },
    { arbitrary: fc.nat({ max: segs.length }).chain((i) => fc.constantFrom('.', '..', '%2e', '%2E%2E', '', '.%2e')
      .map((dot) => [...segs.slice(0, i), dot, ...segs.slice(i)].join('/'))), weight: 2 },
    { arbitrary: fc.constant(path + '/'), weight: 1 },
    { arbitrary: fc.constantFrom('%00', '\u0000', '%ff%fe', '%zz', '%', '%c3%a9', '\t', '%7f', '%0a', ' ', '#frag', '%u0041', '\\')
      .chain((bad) => fc.nat({ max: path.length }).map((i) => path.slice(0, i) + latin1(bad) + path.slice(i))), weight: 2 },
    { arbitrary: fc.constantFrom('%C3%A9', '%F0%9F%94%91', '%ed%a0%80', '%C3%9F%CC%81', '%EF%BF%BF').map((u) => path + '/' + u), weight: 1 },
    { arbitrary: fc.constantFrom(path + '/' + latin1('é🔑'), path + '\xff\xfe'), weight: 1 },
    { arbitrary: fc.integer({ min: 1000, max: 120_000 }).map((n) => path + '/' + 'a'.repeat(n)), weight: 1 },
    { arbitrary: fc.constantFrom('/v1', '/v1/', '/', '*', '/v2/sys/health', '/V1/sys/health', 'v1/sys/health',
      'http://127.0.0.1/v1/sys/health', '//v1/sys/health', '/v1//sys/health', '/v1/sys/health/', '/v1/sys/', '/ui/', '/_localvault/nope',
      '/v1/auth/', '/v1/auth/token', '/v1/identity/entity', '/v1/cubbyhole', '/v1/secret', '/v1/transit'), weight: 1 }
  )
}

const queryString = (fields: readonly string[]): fc.Arbitrary<string> => {
  const key = fc.oneof(fc.constantFrom(...fields, 'list', 'help', 'version', 'warn', ''), fc.string({ maxLength: 6 }))
  const value = fc.oneof(fc.constantFrom('true', '1', 'false', 'x', '', '%zz', '%00', '1e400', '-1', 'a,b', '%E2%82%AC', '+'), fc.string({ maxLength: 8 }))
  return fc.oneof(
    { arbitrary: fc.constant(''), weight: 6 },
    { arbitrary: fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 4 }).map((pairs) =>
      '?' + pairs.map(([k, v]) => `${encodeURIComponent(k)}=${/%|^\+$/.test(v) ? v : encodeURIComponent(v)}`).join('&')), weight: 3 },
    { arbitrary: fc.constantFrom('?', '?&&', '?=', '?a;b=1', '?list', '?list=true&list=false', '?' + 'a=1&'.repeat(2000)), weight: 1 }
  )
}

// ---- headers and bodies ----------------------------------------------------

const tokenHeader = (pools: Pools): fc.Arbitrary<Array<[string, string]>> => fc.oneof(
  { arbitrary: fc.constant<Array<[string, string]>>([['X-Vault-Token', pools.tokens[0]]]), weight: 12 },
  { arbitrary: fc.constantFrom(...pools.tokens).map((t): Array<[string, string]> => [['X-Vault-Token', t]]), weight: 4 },
  { arbitrary: fc.constantFrom<Array<[string, string]>>([], [['X-Vault-Token', '']], [['Authorization', 'Bearer root']],
    [['Authorization', 'Bearer ']], [['Authorization', 'Basic cm9vdA==']], [['X-Vault-Token', 'hvs.' + 'x'.repeat(5000)]]), weight: 1 },
  { arbitrary: fc.constant(pools.tokens[0]).map((root) => [
    [['Authorization', `Bearer ${root}`]], [['X-Vault-Token', root], ['X-Vault-Token', 'nope']],
    [['X-Vault-Token', ` ${root} `]], [['x-vault-token', root.toUpperCase()]]] as Array<Array<[string, string]>>).chain((opts) => fc.constantFrom(...opts)), weight: 1 }
)

const extraHeaders: fc.Arbitrary<Array<[string, string]>> = fc.array(fc.oneof(
  fc.constantFrom<[string, string]>(
    ['X-Vault-Namespace', 'ns1/'], ['X-Vault-Request', 'true'], ['X-Vault-Wrap-TTL', '1m'], ['X-Vault-Wrap-TTL', 'junk'],
    ['X-Vault-Policy-Override', 'true'], ['X-Vault-Index', 'x'], ['X-Vault-Inconsistent', 'forward-active-node'],
    ['Expect', '100-continue'], ['Accept', 'text/html'], ['Accept-Encoding', 'gzip'], ['Origin', 'http://evil.example'],
    ['X-Forwarded-For', '1.2.3.4'], ['Content-Encoding', 'gzip'], ['Cookie', 'a=b'], ['Range', 'bytes=0-1'],
    ['Content-Type', 'application/x-www-form-urlencoded'], ['Content-Type', 'text/plain; charset=latin1'],
    ['Content-Type', 'multipart/form-data; boundary=x'], ['Content-Type', ';;;'], ['Content-Type', 'application/json; charset=utf-16']
  ),
  fc.tuple(fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/), fc.string({ unit: 'grapheme-ascii', maxLength: 30 }).map((v) => v.replace(/[\r\n\0]/g, '')))
), { maxLength: 3 })

/** Encode a JSON body, sometimes with Go/JS decoder corner cases spliced in. */
function encodeBody (obj: Record<string, unknown>): fc.Arbitrary<{ body: Buffer, form: boolean }> {
  const json = JSON.stringify(obj)
  const keys = Object.keys(obj)
  const splice = (s: string): Buffer => Buffer.from(s, 'utf8')
  const options: Array<fc.WeightedArbitrary<{ body: Buffer, form: boolean }>> = [
    { arbitrary: fc.constant({ body: splice(json), form: false }), weight: 14 },
    { arbitrary: fc.constantFrom('1e400', '-1e400', '123456789012345678901234567890', '-0', '1E-400', '0.1e1', '9223372036854775808', '1.0')
      .map((n) => ({ body: splice(keys.length === 0 ? `{"n":${n}}` : `{"${keys[0]}":${n}${json.length > 2 ? ',' + json.slice(1) : '}'}`), form: false })), weight: 2 },
    { arbitrary: fc.constant({ body: splice(keys.length === 0 ? '{"a":1,"a":2}' : `{"${keys[0]}":"dup",${json.slice(1)}`), form: false }), weight: 1 },
    { arbitrary: fc.constantFrom(Buffer.from([0xff, 0xfe]), Buffer.from([0xc3]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xef, 0xbb, 0xbf]))
      .map((bad) => ({ body: Buffer.concat([Buffer.from(keys.length === 0 ? '{"s":"' : `{"${keys[0]}":"`), bad, Buffer.from('"}')]), form: false })), weight: 1 },
    { arbitrary: fc.constant({ body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), splice(json)]), form: false }), weight: 1 },
    { arbitrary: fc.constant({ body: splice(new URLSearchParams(Object.entries(obj).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v) ?? ''])).toString()), form: true }), weight: 1 },
    { arbitrary: fc.nat({ max: Math.max(0, json.length - 1) }).map((i) => ({ body: splice(json.slice(0, i)), form: false })), weight: 1 },
    { arbitrary: fc.constantFrom('null', '[]', '"s"', '1', 'true', ' ', '\n', '{}x', '{} {}', '{"a":}', "{'a':1}", '{"a":1,}', '[{}]', 'NaN', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}')
      .map((s) => ({ body: splice(s), form: false })), weight: 2 },
    { arbitrary: fc.integer({ min: 100, max: 200_000 }).map((n) => ({ body: splice(`{"data":${'['.repeat(n)}${']'.repeat(n)}}`), form: false })), weight: 1 },
    { arbitrary: fc.integer({ min: 100, max: 20_000 }).map((n) => ({ body: splice(`{"data":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`), form: false })), weight: 1 },
    { arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => ({ body: Buffer.from(b), form: false })), weight: 1 }
  ]
  return fc.oneof(...options)
}

// ---- whole requests -------------------------------------------------------

const METHOD_OF: Record<string, string[]> = {
  read: ['GET'], list: ['LIST', 'GET?list'], create: ['POST', 'PUT'], update: ['POST', 'PUT'], patch: ['PATCH'], delete: ['DELETE']
}
const ANY_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'LIST', 'HEAD', 'OPTIONS', 'LINK', 'UNLINK', 'PROPFIND', 'TRACE', 'get', 'FOO', 'G@T', 'LIST ']

/** A request aimed at one endpoint of the path tables. */
function endpointRequest (endpoints: Endpoint[], pools: Pools): fc.Arbitrary<FuzzCase> {
  return fc.constantFrom(...endpoints).chain((ep) => {
    const fieldNames = Object.keys(ep.fields)
    const methodArb = fc.oneof(
      { arbitrary: fc.constantFrom(...ep.operations.flatMap((op) => METHOD_OF[op])), weight: 9 },
      { arbitrary: fc.constantFrom(...ANY_METHODS), weight: 1 }
    )
    const caps = ep.captures
    const pathArb = fc.tuple(fc.tuple(...caps.map((c) => captureValue(c, pools))), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }))
      .map(([values, bools]) => {
        const byName = Object.fromEntries(caps.map((c, i) => [c, values[i]]))
        let k = 0
        return samplePath(ep, (n) => byName[n] ?? 'x', () => bools[k++ % bools.length]) ??
          samplePath(ep, (n) => (n === 'plaintext' ? 'plaintext' : 'fz'), () => false) ?? ep.mount
      })
    const bodyObj = fc.tuple(
      fc.subarray(fieldNames),
      fc.array(fc.tuple(fc.string({ maxLength: 8 }), jsonish), { maxLength: 2 })
    ).chain(([names, extra]) => fc.tuple(...names.map((n) => fieldValue(n, ep.fields[n].type, pools)))
      .map((vals) => ({ ...Object.fromEntries(extra), ...Object.fromEntries(names.map((n, i) => [n, vals[i]])) })))
    return fc.record({
      method: methodArb,
      path: pathArb.chain((p) => manglePath('/v1/' + p)),
      query: queryString(fieldNames),
      token: tokenHeader(pools),
      extra: extraHeaders,
      body: bodyObj.chain(encodeBody),
      chunked: fc.oneof({ arbitrary: fc.constant(false), weight: 12 }, { arbitrary: fc.constant(true), weight: 1 }, { arbitrary: fc.constant<'broken'>('broken'), weight: 1 })
    }).map(({ method, path, query, token, extra, body, chunked }): FuzzCase => {
      let m = method
      let q = query
      if (m === 'GET?list') { m = 'GET'; q = q === '' ? '?list=true' : `${q}&list=true` }
      const writes = m === 'POST' || m === 'PUT' || m === 'PATCH'
      // Revoking the root token would turn the rest of the batch into 403s.
      const revokes = /revoke|tidy/.test(ep.pattern)
      const root = pools.tokens[0]
      const safeToken = revokes ? token.map(([k, v]): [string, string] => [k, v.includes(root) ? (k.toLowerCase() === 'authorization' ? `Bearer ${SEED_CHILD}` : SEED_CHILD) : v]) : token
      const headers: Array<[string, string]> = [...safeToken, ...extra]
      if (m === 'PATCH') headers.push(['Content-Type', 'application/merge-patch+json'])
      else if (body.form) headers.push(['Content-Type', 'application/x-www-form-urlencoded'])
      const target = path + q
      return {
        kind: `endpoint:${ep.mountType}`,
        requests: [buildRequest({ method: m, target, headers, body: writes ? body.body : undefined, chunked: writes ? chunked : false })],
        sent: [{ method: m, target }]
      }
    })
  })
}

/** Requests broken at the HTTP level: methods, targets, versions, headers, framing. */
function framingRequest (root: string): fc.Arbitrary<FuzzCase> {
  const method = fc.oneof(
    fc.constantFrom('GET', 'POST', 'LIST', 'DELETE', 'CONNECT', 'get', 'G@T', '', 'GE T', 'LIST\tX', 'M'.repeat(300), 'PRI', 'LISTEN', 'LIS'),
    fc.stringMatching(/^[A-Z!#$%&'*+.^_`|~-]{1,12}$/)
  )
  const target = fc.oneof(
    fc.constantFrom('/v1/sys/health', '/v1/secret/data/fz', '/v1/transit/encrypt/fz', '*', 'x', '', '/v1/a b', '/v1/\u0000', '/v1/%', 'http://h/v1/sys/health',
      '127.0.0.1:80', '/v1/' + 'x'.repeat(70_000)),
    fc.string({ unit: 'binary', maxLength: 40 }).map((s) => '/v1/' + latin1(s).replace(/[ \r\n]/g, ''))
  )
  const version = fc.constantFrom('HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'HTTP/1', 'http/1.1', '', 'HTTP/1.1 extra')
  const header = fc.oneof(
    fc.constantFrom<[string, string]>(['Content-Length', '5'], ['Content-Length', '-1'], ['Content-Length', 'abc'], ['Content-Length', '1, 2'],
      ['Transfer-Encoding', 'gzip'], ['Transfer-Encoding', 'chunked, gzip'], ['Transfer-Encoding', 'identity'], ['Bad Header', 'x'],
      ['X-A', 'b\u0000c'], ['X-A', 'b\u007fc'], ['X-A', latin1('é\xff')], ['', 'empty-name'], ['X-Fold', 'a\r\n continued'],
      ['Host', ''], ['Host', 'a b'], ['X-Big', 'x'.repeat(20_000)], ['X-Huge', 'x'.repeat(1_100_000)], ['Upgrade', 'websocket'], ['Connection', 'Upgrade'],
      ['Content-Type', 'application/merge-patch+json']),
    fc.tuple(fc.string({ unit: 'binary-ascii', maxLength: 12 }), fc.string({ unit: 'binary-ascii', maxLength: 20 }))
      .map(([k, v]): [string, string] => [k.replace(/[\r\n:]/g, '') || 'X', v.replace(/[\r\n]/g, '')])
  )
  return fc.record({
    method,
    target,
    version,
    headers: fc.array(header, { maxLength: 3 }),
    body: fc.option(fc.uint8Array({ maxLength: 64 }), { nil: undefined }),
    noHost: fc.boolean()
  }).map(({ method, target, version, headers, body, noHost }): FuzzCase => {
    const hs: Array<[string, string]> = [['X-Vault-Token', root], ...headers]
    // Host: give one unless testing its absence (a Host given above wins).
    if (noHost) hs.unshift(['X-No-Host', '1'])
    const raw = buildRequest({ method, target, version, headers: hs, body: body === undefined ? undefined : Buffer.from(body) })
    const bytes = noHost ? Buffer.from(raw.toString('latin1').replace('Host: 127.0.0.1\r\n', ''), 'latin1') : raw
    const declared = headers.find(([k]) => k.toLowerCase() === 'content-length')?.[1]
    const incomplete = declared !== undefined && /^\d+$/.test(declared.trim()) && Number(declared) > (body?.length ?? 0)
    return { kind: 'framing', requests: [bytes], sent: [{ method, target, incomplete }] }
  })
}

/** Two or three well-formed requests on one connection (LIST rewriting, body framing). */
function pipelineRequest (pools: Pools): fc.Arbitrary<FuzzCase> {
  const one = fc.oneof(
    fc.constant({ method: 'LIST', target: '/v1/hzkv1/', body: undefined as string | undefined }),
    fc.constant({ method: 'LIST', target: '/v1/secret/metadata', body: undefined }),
    fc.constant({ method: 'LINK', target: '/v1/sys/health', body: undefined }),
    fc.constant({ method: 'GET', target: '/v1/sys/health', body: undefined }),
    fc.constantFrom(...pools.ciphertexts).map((c) => ({ method: 'POST', target: '/v1/transit/decrypt/fz', body: JSON.stringify({ ciphertext: c }) })),
    fc.string({ maxLength: 30 }).map((s) => ({ method: 'POST', target: '/v1/hzkv1/pipe', body: JSON.stringify({ v: s, pad: 'LIST / HTTP/1.1\r\n\r\n' }) })),
    fc.constant({ method: 'PUT', target: '/v1/secret/data/pipe', body: '{"data":{"LIST":"LIST /v1/ HTTP/1.1"}}' })
  )
  return fc.record({ reqs: fc.array(one, { minLength: 2, maxLength: 3 }), chunkedFirst: fc.boolean() }).map(({ reqs, chunkedFirst }): FuzzCase => ({
    kind: 'pipeline',
    requests: reqs.map((r, i) => buildRequest({
      method: r.method,
      target: r.target,
      headers: [['X-Vault-Token', pools.tokens[0]]],
      body: r.body === undefined ? undefined : Buffer.from(r.body),
      chunked: i === 0 && chunkedFirst && r.body !== undefined
    }, i < reqs.length - 1)),
    sent: reqs.map((r) => ({ method: r.method, target: r.target }))
  }))
}

/** The mix every fuzz run draws from. */
export function fuzzCase (endpoints: Endpoint[], pools: Pools): fc.Arbitrary<FuzzCase> {
  return fc.oneof(
    { arbitrary: endpointRequest(endpoints, pools), weight: 16 },
    { arbitrary: framingRequest(pools.tokens[0]), weight: 3 },
    { arbitrary: pipelineRequest(pools), weight: 1 }
  )
}
