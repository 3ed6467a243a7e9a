/**
 * The HTTP layer: envelope basics, methods, LIST, body parsing, path
 * cleaning, limits and the error texts that come before any engine runs.
 */
import type { Area, CaseDef } from '../lib/harness.js'
import {
  expectEnvelope,
  expectErrors,
  expectJsonContentType,
  expectNoContent,
  expectStatus,
  expectTrue
} from '../lib/expect.js'
import { mountEngine } from '../lib/fixtures.js'
import { bodyTooLarge, cannotParse, CLEAN_PATH_STATUS, jsonErrorPrefix, unconvertible } from '../lib/flavor.js'
import { S } from '../lib/shape.js'

const cases: CaseDef[] = []
function c (endpoint: string, title: string, run: CaseDef['run'], opts: Partial<CaseDef> = {}): void {
  cases.push({ endpoint, title, run, ...opts })
}

const JSON_CT = { 'content-type': 'application/json' }

// --- tokens -------------------------------------------------------------

c('GET sys/mounts', 'no token: 403 permission denied (plain text)', async (ctx) => {
  expectErrors(await ctx.api.get('sys/mounts', { noToken: true }), 403, ['permission denied'])
})

c('GET sys/mounts', 'unknown token: 403', async (ctx) => {
  const res = await ctx.api.get('sys/mounts', { token: 'not-a-real-token' })
  // Vault (2024+) adds "invalid token" as a second multierror item; OpenBao keeps the plain text.
  if (ctx.t.flavor === 'openbao') expectErrors(res, 403, ['permission denied'])
  else expectErrors(res, 403, ['2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n'])
})

c('GET sys/mounts', 'token from Authorization: Bearer when X-Vault-Token is absent', async (ctx) => {
  const res = await ctx.api.get('sys/mounts', { noToken: true, headers: { authorization: `Bearer ${ctx.api.token}` } })
  expectStatus(res, 200)
})

c('GET sys/mounts', 'Authorization other than "Bearer " is ignored', async (ctx) => {
  const res = await ctx.api.get('sys/mounts', { noToken: true, headers: { authorization: `bearer ${ctx.api.token}` } })
  expectErrors(res, 403, ['permission denied'])
})

// --- routing --------------------------------------------------------------

c('GET :unmounted', 'no mount owns the path: 404 with the router text', async (ctx) => {
  const path = `${ctx.name('nomount')}/foo`
  expectErrors(await ctx.api.get(path), 404, [`no handler for route "${path}". route entry not found.`])
})

c('GET :unmounted', 'no mount, no token: 403 (the token check runs first)', async (ctx) => {
  expectErrors(await ctx.api.get(`${ctx.name('nomount')}/foo`, { noToken: true }), 403, ['permission denied'])
})

c('GET sys/:unknown', 'unknown path under a mount: 404 multierror "unsupported path"', async (ctx) => {
  expectErrors(await ctx.api.get('sys/definitely-not-a-path'), 404, ['1 error occurred:\n\t* unsupported path\n\n'])
})

c('DELETE sys/mounts', 'known path without the operation: 405 multierror "unsupported operation"', async (ctx) => {
  expectErrors(await ctx.api.delete('sys/mounts'), 405, ['1 error occurred:\n\t* unsupported operation\n\n'])
})

c('GET /v1', 'bare /v1: 404 {"errors":[]}', async (ctx) => {
  expectErrors(await ctx.api.get('/v1'), 404, [])
})

c('GET /v2/:any', 'outside /v1: 404 {"errors":[]}', async (ctx) => {
  expectErrors(await ctx.api.get('/v2/sys/health'), 404, [])
})

// --- methods --------------------------------------------------------------

c('FOO sys/mounts', 'unknown HTTP method: 405 {"errors":[]}', async (ctx) => {
  expectErrors(await ctx.api.call('FOO', 'sys/mounts'), 405, [])
})

c('HEAD sys/mounts', 'HEAD on a logical path (root token): 405, no body', async (ctx) => {
  const res = await ctx.api.call('HEAD', 'sys/mounts')
  expectStatus(res, 405)
  expectJsonContentType(res)
  expectTrue(res.text === '', 'HEAD has no body')
})

c('OPTIONS sys/mounts', 'OPTIONS without CORS: 400 internal-only operation', async (ctx) => {
  expectErrors(await ctx.api.call('OPTIONS', 'sys/mounts'), 400, ['cannot handle internal-only request operation'])
}, { only: 'openbao' })

// --- LIST and ?list= ------------------------------------------------------

c('LIST :kv1/', 'LIST on an empty mount: 404 {"errors":[]}', async (ctx) => {
  const mount = await mountEngine(ctx, 'kv', { options: { version: '1' } })
  expectErrors(await ctx.api.list(mount), 404, [])
})

c('GET :kv1/?list=true', 'GET ?list=true is a LIST (slash appended)', async (ctx) => {
  const mount = await mountEngine(ctx, 'kv', { options: { version: '1' } })
  expectNoContent(await ctx.api.post(`${mount}/a`, { v: '1' }))
  const res = await ctx.api.get(`${mount}?list=true`)
  expectEnvelope(ctx.t, res, { keys: S.tuple(['a']) }, { mountType: 'kv' })
  const viaOne = await ctx.api.get(`${mount}/?list=1`)
  expectEnvelope(ctx.t, viaOne, { keys: S.tuple(['a']) }, { mountType: 'kv' })
})

c('GET :kv1/?list=bogus', 'unparsable ?list=: 400 {"errors":[]}, before the token check', async (ctx) => {
  expectErrors(await ctx.api.get('secret/metadata/?list=maybe'), 400, [])
  expectErrors(await ctx.api.get('secret/metadata/?list=maybe', { noToken: true }), 400, [])
})

c('GET :kv1/:key?list=false', '?list=false is a plain read that keeps list as an unknown parameter', async (ctx) => {
  const mount = await mountEngine(ctx, 'kv', { options: { version: '1' } })
  expectNoContent(await ctx.api.post(`${mount}/a`, { v: '1' }))
  const res = await ctx.api.get(`${mount}/a?list=false`)
  expectEnvelope(ctx.t, res, { v: '1' }, {
    mountType: 'kv',
    leaseDuration: 2764800,
    warnings: S.tuple(['Endpoint ignored these unrecognized parameters: [list]'])
  })
})

c('LIST :kv1/', 'LIST with a listable result: keys sorted, folders with a slash', async (ctx) => {
  const mount = await mountEngine(ctx, 'kv', { options: { version: '1' } })
  for (const k of ['b', 'a', 'dir/x']) expectNoContent(await ctx.api.post(`${mount}/${k}`, { v: '1' }))
  expectEnvelope(ctx.t, await ctx.api.list(mount), { keys: S.tuple(['a', 'b', 'dir/']) }, { mountType: 'kv' })
  expectEnvelope(ctx.t, await ctx.api.list(`${mount}/dir`), { keys: S.tuple(['x']) }, { mountType: 'kv' })
})

// --- body parsing ---------------------------------------------------------

c('POST sys/mounts/:path', 'malformed JSON: 400 with Go\'s decoder text', async (ctx) => {
  const path = ctx.name('m')
  const res = await ctx.api.post(`sys/mounts/${path}`, '{"type" "kv"}', { headers: JSON_CT })
  expectErrors(res, 400, [`${jsonErrorPrefix(ctx.t)}: invalid character '"' after object key`])
})

c('POST sys/mounts/:path', 'truncated JSON: 400 unexpected EOF', async (ctx) => {
  const res = await ctx.api.post(`sys/mounts/${ctx.name('m')}`, '{"type":', { headers: JSON_CT })
  expectErrors(res, 400, [`${jsonErrorPrefix(ctx.t)}: unexpected EOF`])
})

c('POST sys/mounts/:path', 'bad literal: 400 with the literal context', async (ctx) => {
  const res = await ctx.api.post(`sys/mounts/${ctx.name('m')}`, '{"local":tru}', { headers: JSON_CT })
  expectErrors(res, 400, [`${jsonErrorPrefix(ctx.t)}: invalid character '}' in literal true (expecting 'e')`])
})

c('POST sys/mounts/:path', 'bad escape: 400 "in string escape code"', async (ctx) => {
  const res = await ctx.api.post(`sys/mounts/${ctx.name('m')}`, '{"type":"\\x"}', { headers: JSON_CT })
  expectErrors(res, 400, [`${jsonErrorPrefix(ctx.t)}: invalid character 'x' in string escape code`])
})

c('POST sys/mounts/:path', 'trailing comma in an object: 400', async (ctx) => {
  const res = await ctx.api.post(`sys/mounts/${ctx.name('m')}`, '{"type":"kv",}', { headers: JSON_CT })
  expectErrors(res, 400, [`${jsonErrorPrefix(ctx.t)}: invalid character '}' looking for beginning of object key string`])
})

c('POST sys/mounts/:path', 'a bad character right after "{": OpenBao\'s token walk gives no context', async (ctx) => {
  const res = await ctx.api.post(`sys/mounts/${ctx.name('m')}`, '{bad}', { headers: JSON_CT })
  // OpenBao walks the body with json.Decoder.Token() first (complexity
  // limits), whose error after "{" has no context; Vault's Decode has one.
  const text = ctx.t.flavor === 'openbao'
    ? "invalid character 'b'"
    : "invalid character 'b' looking for beginning of object key string"
  expectErrors(res, 400, [`${jsonErrorPrefix(ctx.t)}: ${text}`])
})

c('POST sys/mounts/:path', 'garbage after a complete object: OpenBao rejects, Vault ignores', async (ctx) => {
  const path = ctx.name('m')
  const res = await ctx.api.post(`sys/mounts/${path}`, '{"type":"kv"} x', { headers: JSON_CT })
  if (ctx.t.flavor === 'openbao') {
    expectErrors(res, 400, [`${jsonErrorPrefix(ctx.t)}: invalid character 'x' looking for beginning of value`])
  } else {
    ctx.run.defer(`disable ${path}`, () => ctx.api.delete(`sys/mounts/${path}`))
    expectNoContent(res)
  }
})

c('POST sys/mounts/:path', 'a second complete value after the object is ignored', async (ctx) => {
  const path = ctx.name('m')
  ctx.run.defer(`disable ${path}`, () => ctx.api.delete(`sys/mounts/${path}`))
  expectNoContent(await ctx.api.post(`sys/mounts/${path}`, '{"type":"kv"}{"type":"transit"}', { headers: JSON_CT }))
  const read = await ctx.api.get(`sys/mounts/${path}`)
  expectTrue((read.json as { data?: { type?: string } }).data?.type === 'kv', `mount type is kv: ${read.text}`)
})

c('POST sys/mounts/:path', 'top-level array: 400 cannot unmarshal array', async (ctx) => {
  const res = await ctx.api.post(`sys/mounts/${ctx.name('m')}`, '[1]', { headers: JSON_CT })
  expectErrors(res, 400, [`${jsonErrorPrefix(ctx.t)}: json: cannot unmarshal array into Go value of type map[string]interface {}`])
})

c('POST sys/mounts/:path', 'top-level string with a JSON content type: 400 cannot unmarshal string', async (ctx) => {
  const res = await ctx.api.post(`sys/mounts/${ctx.name('m')}`, '"kv"', { headers: JSON_CT })
  expectErrors(res, 400, [`${jsonErrorPrefix(ctx.t)}: json: cannot unmarshal string into Go value of type map[string]interface {}`])
})

c('POST sys/mounts/:path', 'literal null and whitespace bodies mean "no data"', async (ctx) => {
  for (const body of ['null', '  ', '']) {
    const res = await ctx.api.post(`sys/mounts/${ctx.name('m')}`, body, { headers: JSON_CT })
    expectErrors(res, 400, ['backend type must be specified as a string'])
  }
})

c('POST sys/mounts/:path', 'a form body (x-www-form-urlencoded, not starting with {) is parsed as a form', async (ctx) => {
  const path = ctx.name('m')
  ctx.run.defer(`disable ${path}`, () => ctx.api.delete(`sys/mounts/${path}`))
  const res = await ctx.api.post(`sys/mounts/${path}`, 'type=kv&description=from+a+form',
    { headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  expectNoContent(res)
  const read = await ctx.api.get(`sys/mounts/${path}`)
  const data = (read.json as { data?: { description?: string } }).data
  expectTrue(data?.description === 'from a form', `description from the form: ${read.text}`)
})

c('POST sys/mounts/:path', 'a form content type with a JSON body is still JSON', async (ctx) => {
  const path = ctx.name('m')
  ctx.run.defer(`disable ${path}`, () => ctx.api.delete(`sys/mounts/${path}`))
  const res = await ctx.api.post(`sys/mounts/${path}`, ' {"type":"kv"}',
    { headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  expectNoContent(res)
})

c('POST sys/mounts/:path', 'an unparsable form: 400 "error parsing form data"', async (ctx) => {
  const res = await ctx.api.post(`sys/mounts/${ctx.name('m')}`, 'type=%zz',
    { headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  expectErrors(res, 400, ['error parsing form data'])
})

c('POST sys/mounts/:path', 'body over 32 MiB: 413', async (ctx) => {
  const big = Buffer.alloc(32 * 1024 * 1024 + 1, 'a')
  expectErrors(await ctx.api.post(`sys/mounts/${ctx.name('m')}`, big), 413, [bodyTooLarge(ctx.t)])
})

c('GET sys/health', 'GET with a body over 32 MiB: 413 (bodies are read before routing)', async (ctx) => {
  const big = Buffer.alloc(32 * 1024 * 1024 + 1, 'a')
  expectErrors(await ctx.api.call('GET', 'sys/health', { body: big }), 413, ['http: request body too large'])
}, { only: 'openbao' })

// --- PATCH content type ---------------------------------------------------

c('PATCH sys/mounts/:path', 'PATCH with another content type: 415 naming it (lower-cased, no parameters)', async (ctx) => {
  const res = await ctx.api.call('PATCH', `sys/mounts/${ctx.name('m')}`, {
    body: '{}', headers: { 'content-type': 'Text/Plain; charset=utf-8' }
  })
  expectErrors(res, 415, ['PATCH requires Content-Type of application/merge-patch+json, provided text/plain'])
})

c('PATCH sys/mounts/:path', 'PATCH without a content type: 400 "mime: no media type"', async (ctx) => {
  const res = await ctx.api.call('PATCH', `sys/mounts/${ctx.name('m')}`, { body: '{}' })
  expectErrors(res, 400, ['mime: no media type'])
})

c('PATCH sys/mounts/:path', 'PATCH with an unparsable content type: 400 with Go\'s mime error', async (ctx) => {
  const res = await ctx.api.call('PATCH', `sys/mounts/${ctx.name('m')}`, { body: '{}', headers: { 'content-type': 'text/' } })
  expectErrors(res, 400, ['mime: expected token after slash'])
})

c('PATCH sys/mounts/:path', 'PATCH with merge-patch+json reaches the path (405 where no patch handler exists)', async (ctx) => {
  const res = await ctx.api.patch('sys/mounts/secret', {}, { headers: { 'content-type': 'application/merge-patch+json; charset=utf-8' } })
  expectErrors(res, 405, ['1 error occurred:\n\t* unsupported operation\n\n'])
})

// --- paths ----------------------------------------------------------------

c('POST :path/', 'a write to a path ending in "/": 400, even without a token', async (ctx) => {
  expectErrors(await ctx.api.post('secret/data/x/', {}), 400, ["cannot write to a path ending in '/'"])
  expectErrors(await ctx.api.post('secret/data/x/', {}, { noToken: true }), 400, ["cannot write to a path ending in '/'"])
  expectErrors(await ctx.api.patch('secret/data/x/', {}, { noToken: true }), 400, ["cannot write to a path ending in '/'"])
})

c('GET /v1//sys/health', 'a doubled slash: redirect to the cleaned path, query kept', async (ctx) => {
  const res = await ctx.api.get('/v1//sys/health?standbyok=true&x=%2F')
  expectStatus(res, CLEAN_PATH_STATUS)
  expectTrue(res.headers.location === '/v1/sys/health?standbyok=true&x=%2F', `Location: ${res.headers.location}`)
  expectTrue(res.headers['content-type'] === 'text/html; charset=utf-8', `Content-Type: ${res.headers['content-type']}`)
  expectTrue(res.text === '<a href="/v1/sys/health?standbyok=true&amp;x=%2F">Temporary Redirect</a>.\n\n', `body: ${JSON.stringify(res.text)}`)
})

c('POST /v1/sys/../sys/:path', 'a dot-dot segment on a write: redirect without a body or Content-Type', async (ctx) => {
  const res = await ctx.api.post('/v1/sys/../sys/mounts/x', '{}')
  expectStatus(res, CLEAN_PATH_STATUS)
  expectTrue(res.headers.location === '/v1/sys/mounts/x', `Location: ${res.headers.location}`)
  expectTrue(res.headers['content-type'] === undefined, `no Content-Type: ${res.headers['content-type']}`)
  expectTrue(res.text === '', 'no body')
})

c('GET /v1/:a/:b/..', 'a trailing dot-dot: redirect to the parent without a slash', async (ctx) => {
  const res = await ctx.api.get('/v1/secret/data/..')
  expectStatus(res, CLEAN_PATH_STATUS)
  expectTrue(res.headers.location === '/v1/secret', `Location: ${res.headers.location}`)
})

c('GET /v1/sys/%2e%2e/:path', 'encoded dot segments reach the core: 400 relative paths not supported', async (ctx) => {
  expectErrors(await ctx.api.get('/v1/sys/%2e%2e/sys/mounts', { noToken: true }), 400, ['relative paths not supported'])
}, { only: 'openbao' })

c('GET sys/mounts%2F:path', 'percent-encoded slashes are decoded before routing; the top-level copy keys on the raw path', async (ctx) => {
  const res = await ctx.api.get('/v1/sys/mounts%2Fsecret')
  expectEnvelope(ctx.t, res, S.loose({ type: 'kv' }), { mountType: 'system' })
})

c('GET sys/health/', 'sys/health with a trailing slash is not the health handler: 403 without a token', async (ctx) => {
  expectErrors(await ctx.api.get('sys/health/', { noToken: true }), 403, ['permission denied'])
})

// --- field coercion (sdk/framework weak decoding) -------------------------------

c('POST :transit/keys/:name', 'weak typing: "t" and 1 are bools, "0x1" is an int, true is the string "1"', async (ctx) => {
  const mount = await mountEngine(ctx, 'transit')
  const name = ctx.name('key')
  const res = await ctx.api.post(`${mount}/keys/${name}`, { exportable: 't', allow_plaintext_backup: 1 })
  expectEnvelope(ctx.t, res, S.loose({ exportable: true, allow_plaintext_backup: true }), { mountType: 'transit' })
  expectEnvelope(ctx.t, await ctx.api.post(`${mount}/keys/${name}/config`, { min_decryption_version: '0x1' }),
    S.loose({ min_decryption_version: 1 }), { mountType: 'transit' })
  // A JSON true given for a string field becomes "1".
  expectErrors(await ctx.api.post(`${mount}/keys/${ctx.name('key')}`, { type: true }), 400, ['unknown key type 1'])
})

c('POST :transit/keys/:name', 'field validation failures: 400 with mapstructure/strconv texts', async (ctx) => {
  const mount = await mountEngine(ctx, 'transit')
  const post = (body: unknown): ReturnType<typeof ctx.api.post> => ctx.api.post(`${mount}/keys/${ctx.name('key')}`, body)
  const fv = (field: string, detail: string): string[] => [`Field validation failed: error converting input for field "${field}": ${detail}`]
  expectErrors(await post({ exportable: 'maybe' }), 400, fv('exportable', cannotParse(ctx.t, 'bool', 'maybe')))
  expectErrors(await post({ exportable: 2 }), 400, fv('exportable', cannotParse(ctx.t, 'bool', '2')))
  expectErrors(await post({ auto_rotate_period: 'bogus' }), 400, fv('auto_rotate_period', 'time: invalid duration "bogus"'))
  expectErrors(await post({ auto_rotate_period: 1.5 }), 400, fv('auto_rotate_period', 'time: missing unit in duration "1.5"'))
  expectErrors(await post({ type: ['a'] }), 400, fv('type', unconvertible(ctx.t, 'string', '[]interface {}', '[a]')))
  const name = ctx.name('key')
  expectStatus(await ctx.api.post(`${mount}/keys/${name}`, {}), 200)
  expectErrors(await ctx.api.post(`${mount}/keys/${name}/config`, { min_decryption_version: '1.0' }), 400,
    fv('min_decryption_version', cannotParse(ctx.t, 'int', '1.0')))
})

c('POST :transit/keys/:name', 'unknown fields are ignored with a warning naming them, sorted', async (ctx) => {
  const mount = await mountEngine(ctx, 'transit')
  const res = await ctx.api.post(`${mount}/keys/${ctx.name('key')}`, { zeta: 1, alpha: 'x' })
  expectEnvelope(ctx.t, res, S.loose({ type: 'aes256-gcm96' }), {
    mountType: 'transit', warnings: S.tuple(['Endpoint ignored these unrecognized parameters: [alpha zeta]'])
  })
})

// --- headers --------------------------------------------------------------

c('GET sys/mounts', 'every answer carries Cache-Control: no-store', async (ctx) => {
  for (const res of [await ctx.api.get('sys/mounts'), await ctx.api.get('sys/mounts', { noToken: true }),
    await ctx.api.get('sys/health'), await ctx.api.delete(`sys/mounts/${ctx.name('none')}`)]) {
    expectTrue(res.headers['cache-control'] === 'no-store', `${res.method} ${res.path}: Cache-Control ${res.headers['cache-control']}`)
  }
})

c('GET sys/mounts', 'X-Vault-Namespace is echoed back', async (ctx) => {
  const res = await ctx.api.get('sys/mounts', { headers: { 'x-vault-namespace': 'root' } })
  expectStatus(res, 200)
  expectTrue(res.headers['x-vault-namespace'] === 'root', `echoed namespace: ${res.headers['x-vault-namespace']}`)
})

c('GET sys/mounts', 'OpenBao: an unknown namespace is 404 "namespace not found", before the token check', async (ctx) => {
  const ns = { 'x-vault-namespace': ctx.name('ns') }
  const res = await ctx.api.get('sys/mounts', { headers: ns })
  expectErrors(res, 404, ['namespace not found'])
  expectTrue(res.headers['x-vault-namespace'] === ns['x-vault-namespace'], 'echoed')
  expectErrors(await ctx.api.get('sys/mounts', { headers: ns, noToken: true }), 404, ['namespace not found'])
  expectErrors(await ctx.api.post('secret/data/x/', {}, { headers: ns }), 404, ['namespace not found'])
  expectStatus(await ctx.api.get('sys/mounts', { headers: { 'x-vault-namespace': 'root/' } }), 200)
}, { only: 'openbao' })

c('GET sys/health', 'OpenBao: health and init refuse any namespace header, root included', async (ctx) => {
  for (const value of ['root', ctx.name('ns')]) {
    expectErrors(await ctx.api.get('sys/health', { noToken: true, headers: { 'x-vault-namespace': value } }), 400,
      ['operation unavailable in namespaces'])
    expectErrors(await ctx.api.get('sys/init', { noToken: true, headers: { 'x-vault-namespace': value } }), 400,
      ['operation unavailable in namespaces'])
  }
  expectStatus(await ctx.api.get('sys/seal-status', { noToken: true, headers: { 'x-vault-namespace': 'x' } }), 200)
}, { only: 'openbao' })

c('GET sys/mounts', 'X-Vault-Request is accepted and not required', async (ctx) => {
  expectStatus(await ctx.api.get('sys/mounts', { headers: { 'x-vault-request': 'true' } }), 200)
  expectStatus(await ctx.api.get('sys/mounts'), 200)
})

export const httpArea: Area = { name: 'http', cases }
