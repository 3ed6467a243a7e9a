/**
 * KV v2 (data, metadata, delete/undelete/destroy, subkeys, config, the
 * invalid-path fallback), KV v1 and cubbyhole.
 */
import type { Area, CaseDef, Ctx } from '../lib/harness.js'
import type { Response } from '../lib/client.js'
import {
  dataOf,
  expectEnvelope,
  expectErrors,
  expectJsonContentType,
  expectNoContent,
  expectStatus,
  expectTrue
} from '../lib/expect.js'
import { createToken, mountEngine, sharedMount, skipIfUnimplemented, tokenWithPolicy } from '../lib/fixtures.js'
import { S, type Shape } from '../lib/shape.js'

const cases: CaseDef[] = []
function c (endpoint: string, title: string, run: CaseDef['run'], opts: Partial<CaseDef> = {}): void {
  cases.push({ endpoint, title, run, ...opts })
}

const KV = { mountType: 'kv' }

async function kv2 (ctx: Ctx): Promise<string> {
  const mount = await sharedMount(ctx, 'kv2', 'kv-v2')
  const probe = await ctx.api.get(`${mount}/config`)
  skipIfUnimplemented(ctx.t, probe, 'KV v2')
  return mount
}

async function kv1 (ctx: Ctx): Promise<string> {
  return sharedMount(ctx, 'kv1', 'kv', { options: { version: '1' } })
}

const versionMeta = (version: number, extra: Record<string, Shape> = {}): Record<string, Shape> => ({
  created_time: S.rfc3339,
  custom_metadata: null,
  deletion_time: '',
  destroyed: false,
  version,
  ...extra
})

async function put (ctx: Ctx, mount: string, key: string, data: unknown, options?: unknown): Promise<Response> {
  const body: Record<string, unknown> = { data }
  if (options !== undefined) body.options = options
  return ctx.api.post(`${mount}/data/${key}`, body)
}

function cliName (ctx: Ctx): string {
  return ctx.t.flavor === 'openbao' ? "If using the OpenBao CLI, use 'bao kv" : "If using the Vault CLI, use 'vault kv"
}

function metadataShape (ctx: Ctx, fields: Record<string, Shape>): Record<string, Shape> {
  const shape: Record<string, Shape> = {
    cas_required: false,
    created_time: S.rfc3339,
    current_version: S.int,
    custom_metadata: null,
    delete_version_after: '0s',
    max_versions: 0,
    oldest_version: 0,
    updated_time: S.rfc3339,
    versions: S.map({ created_time: S.rfc3339, deletion_time: S.str, destroyed: S.bool }),
    ...fields
  }
  if (ctx.t.flavor === 'openbao') {
    shape.current_metadata_version = shape.current_metadata_version ?? S.int
    shape.metadata_cas_required = shape.metadata_cas_required ?? false
  } else {
    delete shape.current_metadata_version
    delete shape.metadata_cas_required
  }
  return shape
}

// --- data -------------------------------------------------------------------

c('POST :kv2/data/:path', 'write: 200 with the new version\'s metadata; versions count up', async (ctx) => {
  const m = await kv2(ctx)
  const key = ctx.name('k')
  dataOf(ctx, await put(ctx, m, key, { a: 'b' }), versionMeta(1), KV)
  dataOf(ctx, await put(ctx, m, key, { a: 'c' }), versionMeta(2), KV)
})

c('GET :kv2/data/:path', 'read: data and metadata; ?version= reads an older one', async (ctx) => {
  const m = await kv2(ctx)
  const key = ctx.name('k')
  await put(ctx, m, key, { a: 'one', nested: { list: [1, 'x', null], t: true } })
  await put(ctx, m, key, { a: 'two' })
  dataOf(ctx, await ctx.api.get(`${m}/data/${key}`), { data: { a: 'two' }, metadata: versionMeta(2) }, KV)
  dataOf(ctx, await ctx.api.get(`${m}/data/${key}?version=1`), {
    data: S.eq({ a: 'one', nested: { list: [1, 'x', null], t: true } }),
    metadata: versionMeta(1)
  }, KV)
  dataOf(ctx, await ctx.api.get(`${m}/data/${key}?version=0`), { data: { a: 'two' }, metadata: versionMeta(2) }, KV)
})

c('GET :kv2/data/:path', 'numbers come back through float64: 1.0 -> 1, 2^64-ish loses digits', async (ctx) => {
  const m = await kv2(ctx)
  const key = ctx.name('k')
  const res = await ctx.api.post(`${m}/data/${key}`, '{"data":{"f":1.0,"big":12345678901234567890,"e":1e3,"neg":-0.5}}')
  expectStatus(res, 200)
  const read = await ctx.api.get(`${m}/data/${key}`)
  expectStatus(read, 200)
  expectTrue(read.text.includes('"data":{"big":12345678901234567000,"e":1000,"f":1,"neg":-0.5}'), `numbers: ${read.text}`)
})

c('GET :kv2/data/:path', 'missing key or version: 404 {"errors":[]}; bad version: 400', async (ctx) => {
  const m = await kv2(ctx)
  const key = ctx.name('k')
  expectErrors(await ctx.api.get(`${m}/data/${key}`), 404, [])
  await put(ctx, m, key, { a: 1 })
  expectErrors(await ctx.api.get(`${m}/data/${key}?version=7`), 404, [])
  expectErrors(await ctx.api.get(`${m}/data/${key}?version=abc`), 400,
    S.tuple([/^Field validation failed: error converting input for field "version": /]))
})

c('POST :kv2/data/:path', 'no data: 400 "no data provided"; unknown top-level fields warn', async (ctx) => {
  const m = await kv2(ctx)
  const key = ctx.name('k')
  expectErrors(await ctx.api.post(`${m}/data/${key}`, { options: {} }), 400, ['no data provided'])
  expectErrors(await ctx.api.post(`${m}/data/${key}`, ''), 400, ['no data provided'])
  dataOf(ctx, await ctx.api.post(`${m}/data/${key}`, { data: {}, extra: 1 }), versionMeta(1),
    { ...KV, warnings: S.tuple(['Endpoint ignored these unrecognized parameters: [extra]']) })
})

c('POST :kv2/data/:path', 'check-and-set: mismatch, parse error, and cas_required', async (ctx) => {
  const m = await kv2(ctx)
  const key = ctx.name('k')
  dataOf(ctx, await put(ctx, m, key, { a: 1 }, { cas: 0 }), versionMeta(1), KV)
  expectErrors(await put(ctx, m, key, { a: 2 }, { cas: 0 }), 400, ['check-and-set parameter did not match the current version'])
  expectErrors(await put(ctx, m, key, { a: 2 }, { cas: 'x' }), 400, ['error parsing check-and-set parameter'])
  dataOf(ctx, await put(ctx, m, key, { a: 2 }, { cas: '1' }), versionMeta(2), KV)
  expectNoContent(await ctx.api.post(`${m}/metadata/${key}`, { cas_required: true }))
  expectErrors(await put(ctx, m, key, { a: 3 }), 400, ['check-and-set parameter required for this call'])
  dataOf(ctx, await put(ctx, m, key, { a: 3 }, { cas: 2 }), versionMeta(3), KV)
})

c('PATCH :kv2/data/:path', 'merge patch: members merge, null deletes, arrays replace', async (ctx) => {
  const m = await kv2(ctx)
  const key = ctx.name('k')
  await put(ctx, m, key, { keep: 'k', gone: 'g', obj: { a: 1, b: 2 }, arr: [1, 2] })
  dataOf(ctx, await ctx.api.patch(`${m}/data/${key}`, { data: { gone: null, obj: { b: null, c: 3 }, arr: [3], add: 'x' } }), versionMeta(2), KV)
  dataOf(ctx, await ctx.api.get(`${m}/data/${key}`), {
    data: S.eq({ add: 'x', arr: [3], keep: 'k', obj: { a: 1, c: 3 } }),
    metadata: versionMeta(2)
  }, KV)
})

c('PATCH :kv2/data/:path', 'patch of a missing key: 404 with an empty body', async (ctx) => {
  const m = await kv2(ctx)
  const res = await ctx.api.patch(`${m}/data/${ctx.name('k')}`, { data: { a: 1 } })
  expectStatus(res, 404)
  expectJsonContentType(res)
  expectTrue(res.text === '', `empty body: ${JSON.stringify(res.text)}`)
})

c('PATCH :kv2/data/:path', 'patch without data: 400; of a deleted current version: raw 404 with flat metadata', async (ctx) => {
  const m = await kv2(ctx)
  const key = ctx.name('k')
  await put(ctx, m, key, { a: 1 })
  expectErrors(await ctx.api.patch(`${m}/data/${key}`, {}), 400, ['no data provided'])
  expectNoContent(await ctx.api.delete(`${m}/data/${key}`))
  expectEnvelope(ctx.t, await ctx.api.patch(`${m}/data/${key}`, { data: { a: 2 } }),
    versionMeta(1, { deletion_time: S.rfc3339 }), { status: 404, raw: true })
})

c('DELETE :kv2/data/:path', 'soft delete: 204; the read is a raw 404 envelope with metadata and data null', async (ctx) => {
  const m = await kv2(ctx)
  const key = ctx.name('k')
  await put(ctx, m, key, { a: 1 })
  expectNoContent(await ctx.api.delete(`${m}/data/${key}`))
  expectEnvelope(ctx.t, await ctx.api.get(`${m}/data/${key}`),
    { data: null, metadata: versionMeta(1, { deletion_time: S.rfc3339 }) }, { status: 404, raw: true })
  expectNoContent(await ctx.api.delete(`${m}/data/${ctx.name('missing')}`))
})

c('POST :kv2/undelete/:path', 'undelete restores a soft-deleted version', async (ctx) => {
  const m = await kv2(ctx)
  const key = ctx.name('k')
  await put(ctx, m, key, { a: 1 })
  await put(ctx, m, key, { a: 2 })
  expectNoContent(await ctx.api.post(`${m}/delete/${key}`, { versions: [1, 2] }))
  expectStatus(await ctx.api.get(`${m}/data/${key}?version=1`), 404)
  expectNoContent(await ctx.api.post(`${m}/undelete/${key}`, { versions: '1' }))
  dataOf(ctx, await ctx.api.get(`${m}/data/${key}?version=1`), { data: { a: 1 }, metadata: versionMeta(1) }, KV)
  expectStatus(await ctx.api.get(`${m}/data/${key}`), 404)
})

c('POST :kv2/destroy/:path', 'destroy: the read shows destroyed with an empty deletion_time', async (ctx) => {
  const m = await kv2(ctx)
  const key = ctx.name('k')
  await put(ctx, m, key, { a: 1 })
  expectNoContent(await ctx.api.put(`${m}/destroy/${key}`, { versions: ['1'] }))
  expectEnvelope(ctx.t, await ctx.api.get(`${m}/data/${key}`),
    { data: null, metadata: versionMeta(1, { destroyed: true }) }, { status: 404, raw: true })
  expectNoContent(await ctx.api.post(`${m}/undelete/${key}`, { versions: [1] }))
  expectStatus(await ctx.api.get(`${m}/data/${key}`), 404)
})

c('POST :kv2/delete/:path', 'empty version lists: 400 with each path\'s exact text', async (ctx) => {
  const m = await kv2(ctx)
  const key = ctx.name('k')
  expectErrors(await ctx.api.post(`${m}/delete/${key}`, {}), 400, ['No version number provided'])
  expectErrors(await ctx.api.post(`${m}/undelete/${key}`, { versions: [] }), 400, ['No version number provided'])
  expectErrors(await ctx.api.post(`${m}/destroy/${key}`, {}), 400, ['no version number provided'])
  expectNoContent(await ctx.api.post(`${m}/delete/${key}`, { versions: [1] }))
})

c('GET :kv2/delete/:path', 'a matched path without the operation: 405 multierror', async (ctx) => {
  const m = await kv2(ctx)
  expectErrors(await ctx.api.get(`${m}/delete/x`), 405, ['1 error occurred:\n\t* unsupported operation\n\n'])
  expectErrors(await ctx.api.delete(`${m}/config`), 405, ['1 error occurred:\n\t* unsupported operation\n\n'])
})

// --- metadata -----------------------------------------------------------------

c('GET :kv2/metadata/:path', 'metadata: versions map, times, family extras', async (ctx) => {
  const m = await kv2(ctx)
  const key = ctx.name('k')
  await put(ctx, m, key, { a: 1 })
  await put(ctx, m, key, { a: 2 })
  expectNoContent(await ctx.api.delete(`${m}/data/${key}`))
  const data = dataOf(ctx, await ctx.api.get(`${m}/metadata/${key}`), metadataShape(ctx, {
    current_version: 2,
    versions: {
      1: { created_time: S.rfc3339, deletion_time: '', destroyed: false },
      2: { created_time: S.rfc3339, deletion_time: S.rfc3339, destroyed: false }
    }
  }), KV)
  expectTrue(data.created_time === (data.versions as Record<string, { created_time: string }>)['1'].created_time,
    'created_time is the first version\'s')
  expectErrors(await ctx.api.get(`${m}/metadata/${ctx.name('missing')}`), 404, [])
})

c('POST :kv2/metadata/:path', 'metadata write: custom_metadata, max_versions, delete_version_after as a Go duration', async (ctx) => {
  const m = await kv2(ctx)
  const key = ctx.name('k')
  expectNoContent(await ctx.api.post(`${m}/metadata/${key}`, {
    custom_metadata: { owner: 'me', n: 5 }, max_versions: 3, delete_version_after: '3h25m19s'
  }))
  dataOf(ctx, await ctx.api.get(`${m}/metadata/${key}`), metadataShape(ctx, {
    current_version: 0,
    custom_metadata: { n: '5', owner: 'me' },
    max_versions: 3,
    delete_version_after: '3h25m19s',
    versions: {}
  }), KV)
  expectErrors(await ctx.api.get(`${m}/data/${key}`), 404, [])
  dataOf(ctx, await put(ctx, m, key, { a: 1 }),
    versionMeta(1, { custom_metadata: { n: '5', owner: 'me' }, deletion_time: S.rfc3339 }), KV)
})

c('POST :kv2/metadata/:path', 'custom_metadata validation: one multierror string', async (ctx) => {
  const m = await kv2(ctx)
  const res = await ctx.api.post(`${m}/metadata/${ctx.name('k')}`, { custom_metadata: { k: '' } })
  expectErrors(res, 400, ['1 error occurred:\n\t* custom_metadata validation failed: length of value for key "k" is 0 but must be 0 < len(value) <= 512\n\n'])
})

c('PATCH :kv2/metadata/:path', 'metadata patch merges custom_metadata; missing key: 404 empty body', async (ctx) => {
  const m = await kv2(ctx)
  const key = ctx.name('k')
  await put(ctx, m, key, { a: 1 })
  expectNoContent(await ctx.api.post(`${m}/metadata/${key}`, { custom_metadata: { a: '1', b: '2' } }))
  expectNoContent(await ctx.api.patch(`${m}/metadata/${key}`, { custom_metadata: { a: null, c: '3' }, max_versions: 4 }))
  dataOf(ctx, await ctx.api.get(`${m}/metadata/${key}`), metadataShape(ctx, {
    current_version: 1, custom_metadata: { b: '2', c: '3' }, max_versions: 4
  }), KV)
  const missing = await ctx.api.patch(`${m}/metadata/${ctx.name('missing')}`, { max_versions: 1 })
  expectStatus(missing, 404)
  expectTrue(missing.text === '', 'empty body')
})

c('DELETE :kv2/metadata/:path', 'delete metadata removes every version', async (ctx) => {
  const m = await kv2(ctx)
  const key = ctx.name('k')
  await put(ctx, m, key, { a: 1 })
  expectNoContent(await ctx.api.delete(`${m}/metadata/${key}`))
  expectErrors(await ctx.api.get(`${m}/metadata/${key}`), 404, [])
  expectErrors(await ctx.api.get(`${m}/data/${key}?version=1`), 404, [])
  expectNoContent(await ctx.api.delete(`${m}/metadata/${key}`))
})

c('LIST :kv2/metadata/:path', 'list: direct children sorted, folders with "/"; LIST and ?list=true agree', async (ctx) => {
  const m = await kv2(ctx)
  const dir = ctx.name('dir')
  for (const k of ['b', 'a', 'sub/x', 'a/deeper']) await put(ctx, m, `${dir}/${k}`, { v: 1 })
  expectNoContent(await ctx.api.delete(`${m}/data/${dir}/b`))
  const shape = { keys: S.tuple(['a', 'a/', 'b', 'sub/']) }
  dataOf(ctx, await ctx.api.list(`${m}/metadata/${dir}`), shape, KV)
  dataOf(ctx, await ctx.api.get(`${m}/metadata/${dir}/?list=true`), shape, KV)
})

c('LIST :kv2/metadata/:path', 'empty folder or a leaf: 404 {"errors":[]}; an extra parameter turns it into 200 + warning', async (ctx) => {
  const m = await kv2(ctx)
  const key = ctx.name('k')
  await put(ctx, m, key, { a: 1 })
  expectErrors(await ctx.api.list(`${m}/metadata/${ctx.name('none')}`), 404, [])
  expectErrors(await ctx.api.list(`${m}/metadata/${key}`), 404, [])
  expectEnvelope(ctx.t, await ctx.api.list(`${m}/metadata/${ctx.name('none')}?bogus=1`), {}, {
    ...KV, warnings: S.tuple(['Endpoint ignored these unrecognized parameters: [bogus]'])
  })
})

// --- subkeys, config, fallbacks --------------------------------------------------------

c('GET :kv2/subkeys/:path', 'subkeys: structure with null leaves; depth limits it', async (ctx) => {
  const m = await kv2(ctx)
  const key = ctx.name('k')
  await put(ctx, m, key, { foo: 'x', bar: { baz: 1, e: {} }, arr: [1] })
  dataOf(ctx, await ctx.api.get(`${m}/subkeys/${key}`), {
    metadata: versionMeta(1), subkeys: S.eq({ arr: null, bar: { baz: null, e: null }, foo: null })
  }, KV)
  dataOf(ctx, await ctx.api.get(`${m}/subkeys/${key}?depth=1`), {
    metadata: versionMeta(1), subkeys: S.eq({ arr: null, bar: null, foo: null })
  }, KV)
  expectErrors(await ctx.api.get(`${m}/subkeys/${ctx.name('none')}`), 404, [])
})

c('GET :kv2/config', 'config defaults and a write with durations', async (ctx) => {
  const m = await mountEngine(ctx, 'kv-v2')
  const base: Record<string, Shape> = { cas_required: false, delete_version_after: '0s', max_versions: 0 }
  if (ctx.t.flavor === 'openbao') base.metadata_cas_required = false
  skipIfUnimplemented(ctx.t, await ctx.api.get(`${m}/config`), 'KV v2 config')
  dataOf(ctx, await ctx.api.get(`${m}/config`), base, KV)
  expectNoContent(await ctx.api.post(`${m}/config`, { max_versions: 5, delete_version_after: 3600, cas_required: true }))
  dataOf(ctx, await ctx.api.get(`${m}/config`), { ...base, cas_required: true, delete_version_after: '1h0m0s', max_versions: 5 }, KV)
  expectNoContent(await ctx.api.post(`${m}/config`, { delete_version_after: '-1s' }))
  dataOf(ctx, await ctx.api.get(`${m}/config`), { ...base, cas_required: true, delete_version_after: '-1s', max_versions: 5 }, KV)
})

c('POST :kv2/data/:path', 'max_versions prunes the oldest versions', async (ctx) => {
  const m = await kv2(ctx)
  const key = ctx.name('k')
  expectNoContent(await ctx.api.post(`${m}/metadata/${key}`, { max_versions: 2 }))
  for (let i = 1; i <= 3; i++) await put(ctx, m, key, { i })
  expectErrors(await ctx.api.get(`${m}/data/${key}?version=1`), 404, [])
  const data = dataOf(ctx, await ctx.api.get(`${m}/metadata/${key}`), metadataShape(ctx, {
    current_version: 3, max_versions: 2, oldest_version: 2,
    versions: { 2: S.any, 3: S.any }
  }), KV)
  expectTrue(Object.keys(data.versions as object).length === 2, 'two versions kept')
})

c('GET :kv2/data/:path', 'delete_version_after: a version reads as deleted once its time has passed', async (ctx) => {
  const m = await kv2(ctx)
  const key = ctx.name('k')
  expectNoContent(await ctx.api.post(`${m}/metadata/${key}`, { delete_version_after: '1s' }))
  dataOf(ctx, await put(ctx, m, key, { a: 1 }), versionMeta(1, { deletion_time: S.rfc3339 }), KV)
  dataOf(ctx, await ctx.api.get(`${m}/data/${key}`), { data: { a: 1 }, metadata: versionMeta(1, { deletion_time: S.rfc3339 }) }, KV)
  await new Promise((resolve) => setTimeout(resolve, 1600))
  expectEnvelope(ctx.t, await ctx.api.get(`${m}/data/${key}`),
    { data: null, metadata: versionMeta(1, { deletion_time: S.rfc3339 }) }, { status: 404, raw: true })
})

c('GET :kv2/:invalid', 'a path outside data/ and metadata/: raw 404 envelope with the CLI hint', async (ctx) => {
  const m = await kv2(ctx)
  const res = await ctx.api.get(`${m}/${ctx.name('k')}`)
  expectEnvelope(ctx.t, res, null, {
    status: 404,
    raw: true,
    warnings: S.tuple([`Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. ${cliName(ctx)} get' for this operation.`])
  })
  const write = await ctx.api.post(`${m}/${ctx.name('k')}`, { a: 1 })
  expectEnvelope(ctx.t, write, null, {
    status: 404,
    raw: true,
    warnings: S.tuple([`Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. ${cliName(ctx)} put' for this operation.`])
  })
})

c('GET :kv2/data', 'the bare data/ root: raw 404 "Non-listing operations on the root"', async (ctx) => {
  const m = await kv2(ctx)
  expectEnvelope(ctx.t, await ctx.api.get(`${m}/data`), null, {
    status: 404, raw: true, warnings: S.tuple(['Non-listing operations on the root of a K/V v2 mount are not supported.'])
  })
})

c('POST :kv2/data/:path', 'ACL: a new key needs create, an existing one update', async (ctx) => {
  const m = await kv2(ctx)
  const key = ctx.name('k')
  const createOnly = await tokenWithPolicy(ctx, `path "${m}/data/*" { capabilities = ["create", "read"] }`)
  const updateOnly = await tokenWithPolicy(ctx, `path "${m}/data/*" { capabilities = ["update", "read"] }`)
  expectErrors(await ctx.api.post(`${m}/data/${key}`, { data: { a: 1 } }, { token: updateOnly }), 403,
    ['1 error occurred:\n\t* permission denied\n\n'])
  expectStatus(await ctx.api.post(`${m}/data/${key}`, { data: { a: 1 } }, { token: createOnly }), 200)
  expectErrors(await ctx.api.post(`${m}/data/${key}`, { data: { a: 2 } }, { token: createOnly }), 403,
    ['1 error occurred:\n\t* permission denied\n\n'])
  expectStatus(await ctx.api.post(`${m}/data/${key}`, { data: { a: 2 } }, { token: updateOnly }), 200)
})

c('POST sys/mounts/:path/tune', 'upgrading kv v1 to v2: 200 with the upgrade warning; old keys become version 1', async (ctx) => {
  const m = await mountEngine(ctx, 'kv', { options: { version: '1' } })
  expectNoContent(await ctx.api.post(`${m}/old`, { v: 'x' }))
  const res = await ctx.api.post(`sys/mounts/${m}/tune`, { options: { version: '2' } })
  const to = ctx.t.flavor === 'openbao' ? 0 : 2
  expectEnvelope(ctx.t, res, null, {
    mountType: 'system',
    warnings: S.tuple([`Upgrading mount from version 1 to version ${to}. This mount will be unavailable for a brief period and will resume service shortly.`])
  })
  let read: Response | undefined
  for (let i = 0; i < 50; i++) {
    read = await ctx.api.get(`${m}/data/old`)
    if (read.status === 200) break
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  dataOf(ctx, read as Response, { data: { v: 'x' }, metadata: versionMeta(1) }, KV)
  expectErrors(await ctx.api.post(`sys/mounts/${m}/tune`, { options: { version: '1' } }), 400, ['cannot downgrade mount from version 2'])
})

c('LIST :kv2/metadata/:path', 'OpenBao pagination: limit and after', async (ctx) => {
  const m = await kv2(ctx)
  const dir = ctx.name('dir')
  for (const k of ['a', 'b', 'c', 'd/e']) await put(ctx, m, `${dir}/${k}`, { v: 1 })
  dataOf(ctx, await ctx.api.list(`${m}/metadata/${dir}?limit=2`), { keys: S.tuple(['a', 'b']) }, KV)
  dataOf(ctx, await ctx.api.list(`${m}/metadata/${dir}?after=a&limit=2`), { keys: S.tuple(['b', 'c']) }, KV)
}, { only: 'openbao' })

c('LIST :kv2/detailed-metadata/:path', 'OpenBao detailed-metadata: keys plus key_info with each key\'s metadata', async (ctx) => {
  const m = await kv2(ctx)
  const dir = ctx.name('dir')
  for (const k of ['a', 'd/e']) await put(ctx, m, `${dir}/${k}`, { v: 1 })
  dataOf(ctx, await ctx.api.list(`${m}/detailed-metadata/${dir}`), {
    key_info: { a: metadataShape(ctx, { current_version: 1, current_metadata_version: 0 }), 'd/': {} },
    keys: S.tuple(['a', 'd/'])
  }, KV)
}, { only: 'openbao' })

c('SCAN :kv2/metadata/:path', 'OpenBao SCAN and ?scan=true: a recursive listing; scan with list: 400', async (ctx) => {
  const m = await kv2(ctx)
  const dir = ctx.name('dir')
  for (const k of ['a', 'b', 'd/e']) await put(ctx, m, `${dir}/${k}`, { v: 1 })
  dataOf(ctx, await ctx.api.get(`${m}/metadata/${dir}?scan=true`), { keys: S.tuple(['a', 'b', 'd/e']) }, KV)
  expectErrors(await ctx.api.get(`${m}/metadata/${dir}?scan=true&list=true`), 400, [])
  dataOf(ctx, await ctx.api.call('SCAN', `${m}/metadata/${dir}`), { keys: S.tuple(['a', 'b', 'd/e']) }, KV)
}, { only: 'openbao', gap: 'the scan operation (SCAN verb, ?scan=true) is not implemented: ?scan=true is a plain read' })

// --- KV v1 --------------------------------------------------------------------------------

c('GET :kv1/:path', 'v1 read: the stored object, lease_duration 768h, numbers exactly as written', async (ctx) => {
  const m = await kv1(ctx)
  const key = ctx.name('k')
  expectNoContent(await ctx.api.post(`${m}/${key}`, '{"f":1.0,"big":12345678901234567890,"s":"x"}'))
  const res = await ctx.api.get(`${m}/${key}`)
  expectEnvelope(ctx.t, res, { big: S.num, f: 1, s: 'x' }, { ...KV, leaseDuration: 2764800 })
  expectTrue(res.text.includes('"data":{"big":12345678901234567890,"f":1.0,"s":"x"}'), `exact numbers: ${res.text}`)
})

c('GET :kv1/:path', 'v1 read: a ttl field sets lease_duration', async (ctx) => {
  const m = await kv1(ctx)
  const key = ctx.name('k')
  expectNoContent(await ctx.api.post(`${m}/${key}`, { ttl: '1h', v: 'x' }))
  expectEnvelope(ctx.t, await ctx.api.get(`${m}/${key}`), { ttl: '1h', v: 'x' }, { ...KV, leaseDuration: 3600 })
})

c('POST :kv1/:path', 'v1 write without data: 400 "missing data fields"; delete 204; missing read 404', async (ctx) => {
  const m = await kv1(ctx)
  const key = ctx.name('k')
  expectErrors(await ctx.api.post(`${m}/${key}`, {}), 400, ['missing data fields'])
  expectNoContent(await ctx.api.post(`${m}/${key}`, { a: 'b' }))
  expectNoContent(await ctx.api.delete(`${m}/${key}`))
  expectErrors(await ctx.api.get(`${m}/${key}`), 404, [])
  expectNoContent(await ctx.api.delete(`${m}/${key}`))
})

// --- cubbyhole ------------------------------------------------------------------------------

c('POST cubbyhole/:path', 'cubbyhole: per-token write, read, list, delete', async (ctx) => {
  const key = ctx.name('k')
  // The default policy grants the token its own cubbyhole.
  const auth = await createToken(ctx, { policies: ['default'] })
  const api = ctx.api.withToken(String(auth.client_token))
  expectNoContent(await api.post(`cubbyhole/${key}`, { secret: 'v' }))
  expectEnvelope(ctx.t, await api.get(`cubbyhole/${key}`), { secret: 'v' }, { mountType: 'cubbyhole' })
  expectEnvelope(ctx.t, await api.list('cubbyhole'), S.loose({ keys: S.tuple([key]) }), { mountType: 'cubbyhole' })
  expectErrors(await ctx.api.get(`cubbyhole/${key}`), 404, [])
  expectNoContent(await api.delete(`cubbyhole/${key}`))
  expectErrors(await api.get(`cubbyhole/${key}`), 404, [])
  // Cubbyhole returns a bare error here: 500 in multierror text (unlike KV v1's 400).
  expectErrors(await api.post(`cubbyhole/${key}`, {}), 500, ['1 error occurred:\n\t* missing data fields\n\n'])
})

export const kvArea: Area = { name: 'kv', cases }
