/**
 * sys/: the status documents served outside the logical pipeline (health,
 * seal-status, init, leader), the mount table and its tuning, auth method
 * listing, and the KV-version probe sys/internal/ui/mounts.
 */
import type { Area, CaseDef, Ctx, Target } from '../lib/harness.js'
import {
  dataOf,
  expectBare,
  expectEnvelope,
  expectEqual,
  expectErrors,
  expectJsonContentType,
  expectNoContent,
  expectStatus,
  expectTrue,
  keyOrder
} from '../lib/expect.js'
import { mountEngine, tokenWithPolicy } from '../lib/fixtures.js'
import { builtinVersion } from '../lib/flavor.js'
import { S, type Shape } from '../lib/shape.js'

const cases: CaseDef[] = []
function c (endpoint: string, title: string, run: CaseDef['run'], opts: Partial<CaseDef> = {}): void {
  cases.push({ endpoint, title, run, ...opts })
}

const TTL_768H = 2764800

// --- status documents -----------------------------------------------------

function healthShape (t: Target): Record<string, Shape> {
  if (t.flavor === 'openbao') {
    return {
      initialized: true,
      sealed: false,
      standby: false,
      replication_performance_mode: 'disabled',
      replication_dr_mode: 'disabled',
      server_time_utc: S.int,
      version: t.version,
      cluster_name: S.nonEmptyStr,
      cluster_id: S.uuid
    }
  }
  return {
    initialized: true,
    sealed: false,
    standby: false,
    performance_standby: false,
    replication_performance_mode: 'disabled',
    replication_dr_mode: 'disabled',
    server_time_utc: S.int,
    version: t.version,
    enterprise: false,
    cluster_name: S.nonEmptyStr,
    cluster_id: S.uuid,
    echo_duration_ms: S.optional(S.int),
    clock_skew_ms: S.optional(S.int),
    replication_primary_canary_age_ms: S.optional(S.int),
    removed_from_cluster: S.optional(S.bool),
    ha_connection_healthy: S.optional(S.bool),
    last_request_forwarding_heartbeat_ms: S.optional(S.int)
  }
}

c('GET sys/health', 'active dev server: 200 and the bare status document', async (ctx) => {
  const body = expectBare(await ctx.api.get('sys/health', { noToken: true }), 200, healthShape(ctx.t))
  const now = Date.now() / 1000
  expectTrue(Math.abs(Number(body.server_time_utc) - now) < 120, `server_time_utc near now: ${String(body.server_time_utc)}`)
  if (ctx.t.flavor === 'openbao') expectEqual(keyOrder(body), Object.keys(healthShape(ctx.t)), 'field order')
})

c('GET sys/health', 'a token is neither needed nor checked', async (ctx) => {
  expectBare(await ctx.api.get('sys/health', { token: 'bogus' }), 200, healthShape(ctx.t))
})

c('GET sys/health', '?activecode= replaces the status', async (ctx) => {
  expectBare(await ctx.api.get('sys/health?activecode=299', { noToken: true }), 299, healthShape(ctx.t))
  expectBare(await ctx.api.get('sys/health?standbyok=true&sealedcode=200', { noToken: true }), 200, healthShape(ctx.t))
})

c('GET sys/health', 'unparsable status code: 400 {"errors":[]}', async (ctx) => {
  expectErrors(await ctx.api.get('sys/health?activecode=abc', { noToken: true }), 400, [])
  expectErrors(await ctx.api.get('sys/health?uninitcode=1.5', { noToken: true }), 400, [])
})

c('GET sys/health', 'unparsable standbyok: 400 {"errors":[]} (the reason is only logged)', async (ctx) => {
  expectErrors(await ctx.api.get('sys/health?standbyok=maybe', { noToken: true }), 400, [])
})

c('HEAD sys/health', 'HEAD: the status only, with Content-Type and no body', async (ctx) => {
  const res = await ctx.api.call('HEAD', 'sys/health', { noToken: true })
  expectStatus(res, 200)
  expectJsonContentType(res)
  expectTrue(res.text === '', 'no body')
  expectStatus(await ctx.api.call('HEAD', 'sys/health?activecode=204', { noToken: true }), 204)
})

c('POST sys/health', 'other methods: 405 {"errors":[]}', async (ctx) => {
  expectErrors(await ctx.api.post('sys/health', {}, { noToken: true }), 405, [])
  expectErrors(await ctx.api.delete('sys/health', { noToken: true }), 405, [])
})

c('GET sys/seal-status', 'unsealed dev server: 200, bare document, build/commit date by family', async (ctx) => {
  const common: Record<string, Shape> = {
    type: 'shamir',
    initialized: true,
    sealed: false,
    t: 1,
    n: 1,
    progress: 0,
    nonce: '',
    version: ctx.t.version,
    migration: false,
    cluster_name: S.nonEmptyStr,
    cluster_id: S.uuid,
    recovery_seal: false,
    storage_type: S.str
  }
  const res = await ctx.api.get('sys/seal-status', { noToken: true })
  if (ctx.t.flavor === 'openbao') {
    const body = expectBare(res, 200, { ...common, commit_date: S.str })
    expectEqual(keyOrder(body), ['type', 'initialized', 'sealed', 't', 'n', 'progress', 'nonce', 'recovery_seal',
      'version', 'commit_date', 'migration', 'cluster_name', 'cluster_id', 'storage_type'], 'field order')
    expectTrue(body.storage_type === 'inmem', `dev storage is inmem: ${String(body.storage_type)}`)
  } else {
    expectBare(res, 200, { ...common, build_date: S.str, removed_from_cluster: S.optional(S.bool) })
  }
})

c('POST sys/seal-status', 'other methods: 405 {"errors":[]}', async (ctx) => {
  expectErrors(await ctx.api.post('sys/seal-status', {}, { noToken: true }), 405, [])
})

c('GET sys/init', '{"initialized":true}, no token needed', async (ctx) => {
  expectBare(await ctx.api.get('sys/init', { noToken: true }), 200, { initialized: true })
})

c('DELETE sys/init', 'other methods: 405 {"errors":[]}', async (ctx) => {
  expectErrors(await ctx.api.delete('sys/init', { noToken: true }), 405, [])
})

c('GET sys/leader', 'HA disabled: the family\'s leader document', async (ctx) => {
  const res = await ctx.api.get('sys/leader', { noToken: true })
  if (ctx.t.flavor === 'openbao') {
    expectBare(res, 200, { ha_enabled: false })
  } else {
    expectBare(res, 200, {
      ha_enabled: false,
      is_self: false,
      active_time: '0001-01-01T00:00:00Z',
      leader_address: '',
      leader_cluster_address: '',
      performance_standby: false,
      performance_standby_last_remote_wal: 0
    })
  }
})

c('POST sys/leader', 'other methods: 405 {"errors":[]}', async (ctx) => {
  expectErrors(await ctx.api.post('sys/leader', {}, { noToken: true }), 405, [])
})

// --- mount table ------------------------------------------------------------

interface EntryExpect {
  type: string
  description?: Shape
  config?: Record<string, Shape>
  options?: Shape
  local?: boolean
  sealWrap?: boolean
  accessorType?: string
  /** kv and transit carry deprecation_status "supported". */
  supported?: boolean
  extra?: Record<string, Shape>
}

function entryShape (t: Target, e: EntryExpect): Record<string, Shape> {
  const shape: Record<string, Shape> = {
    accessor: new RegExp(`^${e.accessorType ?? e.type}_[0-9a-f]{8}$`),
    config: e.config ?? { default_lease_ttl: 0, force_no_cache: false, max_lease_ttl: 0 },
    description: e.description ?? S.str,
    external_entropy_access: false,
    local: e.local ?? false,
    options: e.options === undefined ? {} : e.options,
    plugin_version: '',
    running_plugin_version: builtinVersion(t),
    running_sha256: '',
    seal_wrap: e.sealWrap ?? false,
    type: e.type,
    uuid: S.uuid,
    ...(e.extra ?? {})
  }
  if (e.supported === true) shape.deprecation_status = 'supported'
  return shape
}

function devMounts (t: Target): Record<string, Shape> {
  return {
    'cubbyhole/': entryShape(t, {
      type: 'cubbyhole', description: 'per-token private secret storage', options: null, local: true
    }),
    'identity/': entryShape(t, {
      type: 'identity',
      description: 'identity store',
      options: null,
      config: { default_lease_ttl: 0, force_no_cache: false, max_lease_ttl: 0, passthrough_request_headers: S.tuple(['Authorization']) }
    }),
    'secret/': entryShape(t, {
      type: 'kv', description: 'key/value secret storage', options: { version: '2' }, supported: true
    }),
    'sys/': entryShape(t, {
      type: 'system',
      description: 'system endpoints used for control, policy and debugging',
      options: null,
      sealWrap: true,
      config: { default_lease_ttl: 0, force_no_cache: false, max_lease_ttl: 0, passthrough_request_headers: S.tuple(['Accept']) }
    })
  }
}

c('GET sys/mounts', 'the dev mounts, entries exact, data also copied to the top level', async (ctx) => {
  const data = dataOf(ctx, await ctx.api.get('sys/mounts'), S.loose(devMounts(ctx.t)), { injected: true, mountType: 'system' })
  for (const [path, entry] of Object.entries(data)) {
    // Every other mount (a shared server may have some) still has an entry's shape.
    expectTrue(path.endsWith('/'), `mount path ends with a slash: ${path}`)
    expectTrue(typeof entry === 'object' && entry !== null && 'accessor' in entry, `${path} is a mount entry`)
  }
})

c('POST sys/mounts/:path', 'enable kv v2 with config and options; read back the exact entry', async (ctx) => {
  const path = await mountEngine(ctx, 'kv', {
    options: { version: '2' },
    description: 'conformance',
    config: { default_lease_ttl: '1h', max_lease_ttl: '2h', listing_visibility: 'hidden' }
  })
  const expected = entryShape(ctx.t, {
    type: 'kv',
    description: 'conformance',
    options: { version: '2' },
    supported: true,
    config: { default_lease_ttl: 3600, force_no_cache: false, listing_visibility: 'hidden', max_lease_ttl: 7200 }
  })
  dataOf(ctx, await ctx.api.get(`sys/mounts/${path}`), expected, { injected: true, mountType: 'system' })
  const all = dataOf(ctx, await ctx.api.get('sys/mounts'), S.loose({ [`${path}/`]: expected }), { injected: true, mountType: 'system' })
  expectTrue(all[`${path}/`] !== undefined, 'listed')
})

c('POST sys/mounts/:path', 'type kv-v2 is kv with options.version 2; kv alone has empty options', async (ctx) => {
  const v2 = await mountEngine(ctx, 'kv-v2')
  dataOf(ctx, await ctx.api.get(`sys/mounts/${v2}`),
    entryShape(ctx.t, { type: 'kv', description: '', options: { version: '2' }, supported: true }),
    { injected: true, mountType: 'system' })
  const plain = await mountEngine(ctx, 'kv')
  dataOf(ctx, await ctx.api.get(`sys/mounts/${plain}`),
    entryShape(ctx.t, { type: 'kv', description: '', options: {}, supported: true }),
    { injected: true, mountType: 'system' })
})

c('GET sys/mounts/:path', 'a path under a mount returns the owning mount\'s entry', async (ctx) => {
  const path = await mountEngine(ctx, 'kv', { options: { version: '1' } })
  const data = dataOf(ctx, await ctx.api.get(`sys/mounts/${path}/some/key`),
    entryShape(ctx.t, { type: 'kv', description: '', options: { version: '1' }, supported: true }),
    { injected: true, mountType: 'system' })
  const direct = dataOf(ctx, await ctx.api.get(`sys/mounts/${path}`), S.any, { injected: true, mountType: 'system' })
  expectEqual(data.uuid, direct.uuid, 'same mount')
})

c('GET sys/mounts/:path', 'no such mount: 400 "No secret engine mount at <path>/"', async (ctx) => {
  const path = ctx.name('none')
  expectErrors(await ctx.api.get(`sys/mounts/${path}`), 400, [`No secret engine mount at ${path}/`])
})

c('POST sys/mounts/:path', 'enable errors: 400 with the exact texts', async (ctx) => {
  const taken = await mountEngine(ctx, 'kv')
  const fresh = ctx.name('m')
  const post = (path: string, body: unknown): ReturnType<typeof ctx.api.post> => ctx.api.post(`sys/mounts/${path}`, body)
  expectErrors(await post(fresh, {}), 400, ['backend type must be specified as a string'])
  expectErrors(await post(taken, { type: 'kv' }), 400, [`path is already in use at ${taken}/`])
  expectErrors(await post(`${taken}/sub`, { type: 'kv' }), 400, [`path is already in use at ${taken}/`])
  expectErrors(await post(fresh, { type: 'no-such-engine' }), 400, ['plugin not found in the catalog: no-such-engine'])
  expectErrors(await post(fresh, { type: 'cubbyhole' }), 400, ['mount type of "cubbyhole" is not mountable'])
  expectErrors(await post(`sys/${fresh}`, { type: 'kv' }), 400, [`cannot mount "sys/${fresh}/"`])
  expectErrors(await post(`auth/${fresh}`, { type: 'kv' }), 400, [`cannot mount "auth/${fresh}/"`])
  expectErrors(await post(fresh, { type: 'kv', config: { default_lease_ttl: '2h', max_lease_ttl: '1h' } }), 400,
    ['given default lease TTL greater than given max lease TTL'])
  expectErrors(await post(fresh, { type: 'kv', config: { default_lease_ttl: 'bogus' } }), 400,
    ['unable to parse default TTL of bogus: time: invalid duration "bogus"'])
  expectErrors(await post(fresh, { type: 'kv', config: { listing_visibility: 'bogus' } }), 400,
    ['invalid listing_visibility bogus'])
  const none = await ctx.api.get(`sys/mounts/${fresh}`)
  expectErrors(none, 400, [`No secret engine mount at ${fresh}/`])
})

c('POST sys/mounts/:path', 'a version option on a non-kv engine: 400', async (ctx) => {
  const res = await ctx.api.post(`sys/mounts/${ctx.name('m')}`, { type: 'transit', options: { version: '2' } })
  expectErrors(res, 400, ['secrets engine "transit" does not allow setting a version'])
})

c('POST sys/mounts/:path', 'a sibling whose name extends an existing mount is fine', async (ctx) => {
  const taken = await mountEngine(ctx, 'kv')
  const sibling = `${taken}x`
  ctx.run.defer(`disable ${sibling}`, () => ctx.api.delete(`sys/mounts/${sibling}`))
  expectNoContent(await ctx.api.post(`sys/mounts/${sibling}`, { type: 'kv' }))
})

c('DELETE sys/mounts/:path', 'disable: 204, also when nothing is mounted; protected mounts: 400', async (ctx) => {
  const path = ctx.name('m')
  expectNoContent(await ctx.api.post(`sys/mounts/${path}`, { type: 'kv', options: { version: '1' } }))
  expectNoContent(await ctx.api.post(`${path}/k`, { v: 1 }))
  expectNoContent(await ctx.api.delete(`sys/mounts/${path}`))
  expectErrors(await ctx.api.get(`${path}/k`), 404, [`no handler for route "${path}/k". route entry not found.`])
  expectNoContent(await ctx.api.delete(`sys/mounts/${path}`))
  expectErrors(await ctx.api.delete('sys/mounts/sys'), 400, ['cannot unmount "sys/"'])
  expectErrors(await ctx.api.delete('sys/mounts/cubbyhole'), 400, ['cannot unmount "cubbyhole/"'])
})

c('DELETE sys/mounts/:path', 'a re-enabled path starts empty', async (ctx) => {
  const path = ctx.name('m')
  ctx.run.defer(`disable ${path}`, () => ctx.api.delete(`sys/mounts/${path}`))
  expectNoContent(await ctx.api.post(`sys/mounts/${path}`, { type: 'kv', options: { version: '1' } }))
  expectNoContent(await ctx.api.post(`${path}/k`, { v: 1 }))
  expectNoContent(await ctx.api.delete(`sys/mounts/${path}`))
  expectNoContent(await ctx.api.post(`sys/mounts/${path}`, { type: 'kv', options: { version: '1' } }))
  expectErrors(await ctx.api.get(`${path}/k`), 404, [])
})

// --- tune -------------------------------------------------------------------

c('GET sys/mounts/:path/tune', 'effective values: system TTLs when unset, options when set', async (ctx) => {
  const path = await mountEngine(ctx, 'kv-v2')
  dataOf(ctx, await ctx.api.get(`sys/mounts/${path}/tune`), {
    default_lease_ttl: TTL_768H, description: '', force_no_cache: false, max_lease_ttl: TTL_768H, options: { version: '2' }
  }, { injected: true, mountType: 'system' })
  const transitless = await mountEngine(ctx, 'kv', { config: { default_lease_ttl: '1h', max_lease_ttl: '2h', listing_visibility: 'unauth' } })
  dataOf(ctx, await ctx.api.get(`sys/mounts/${transitless}/tune`), {
    default_lease_ttl: 3600, description: '', force_no_cache: false, listing_visibility: 'unauth', max_lease_ttl: 7200
  }, { injected: true, mountType: 'system' })
})

c('POST sys/mounts/:path/tune', 'tune TTLs, description, visibility and headers; read back', async (ctx) => {
  const path = await mountEngine(ctx, 'kv-v2')
  expectNoContent(await ctx.api.post(`sys/mounts/${path}/tune`, {
    default_lease_ttl: '30m',
    max_lease_ttl: 7200,
    description: 'tuned',
    listing_visibility: 'hidden',
    passthrough_request_headers: 'X-A,X-B'
  }))
  dataOf(ctx, await ctx.api.get(`sys/mounts/${path}/tune`), {
    default_lease_ttl: 1800,
    description: 'tuned',
    force_no_cache: false,
    listing_visibility: 'hidden',
    max_lease_ttl: 7200,
    options: { version: '2' },
    passthrough_request_headers: S.tuple(['X-A', 'X-B'])
  }, { injected: true, mountType: 'system' })
  dataOf(ctx, await ctx.api.get(`sys/mounts/${path}`), entryShape(ctx.t, {
    type: 'kv',
    description: 'tuned',
    options: { version: '2' },
    supported: true,
    config: {
      default_lease_ttl: 1800, force_no_cache: false, listing_visibility: 'hidden', max_lease_ttl: 7200,
      passthrough_request_headers: S.tuple(['X-A', 'X-B'])
    }
  }), { injected: true, mountType: 'system' })
})

c('POST sys/mounts/:path/tune', 'tune errors: unknown mount, protected mounts', async (ctx) => {
  const none = ctx.name('none')
  expectErrors(await ctx.api.post(`sys/mounts/${none}/tune`, { default_lease_ttl: '1h' }), 400,
    [`tune of path "${none}/" failed: no mount entry found`])
  expectErrors(await ctx.api.post('sys/mounts/sys/tune', { default_lease_ttl: '1h' }), 400,
    ['cannot tune parameter default_lease_ttl of sys/'])
  expectErrors(await ctx.api.post('sys/mounts/cubbyhole/tune', { description: 'x' }), 400,
    ['cannot tune parameter description of cubbyhole/'])
})

c('GET sys/mounts/:path/tune', 'unknown mount: 400 "cannot fetch sysview"', async (ctx) => {
  const none = ctx.name('none')
  expectErrors(await ctx.api.get(`sys/mounts/${none}/tune`), 400, [`cannot fetch sysview for path "${none}/"`])
})

// --- auth methods -------------------------------------------------------------

function tokenAuthEntry (t: Target): Record<string, Shape> {
  return entryShape(t, {
    type: 'token',
    accessorType: 'auth_token',
    description: 'token based credentials',
    options: null,
    config: { default_lease_ttl: 0, force_no_cache: false, max_lease_ttl: 0, token_type: 'default-service' }
  })
}

c('GET sys/auth', 'token/ is listed with its exact entry; data copied to the top level', async (ctx) => {
  dataOf(ctx, await ctx.api.get('sys/auth'), S.loose({ 'token/': tokenAuthEntry(ctx.t) }), { injected: true, mountType: 'system' })
})

c('GET sys/auth/:path', 'one auth method; unknown: 400 "No auth engine at"', async (ctx) => {
  dataOf(ctx, await ctx.api.get('sys/auth/token'), tokenAuthEntry(ctx.t), { injected: true, mountType: 'system' })
  const none = ctx.name('none')
  expectErrors(await ctx.api.get(`sys/auth/${none}`), 400, [`No auth engine at ${none}/`])
})

c('GET sys/auth/:path/tune', 'token/ tune: effective TTLs and token_type', async (ctx) => {
  dataOf(ctx, await ctx.api.get('sys/auth/token/tune'), {
    default_lease_ttl: TTL_768H,
    description: 'token based credentials',
    force_no_cache: false,
    max_lease_ttl: TTL_768H,
    token_type: 'default-service'
  }, { injected: true, mountType: 'system' })
})

c('DELETE sys/auth/:path', 'token/ cannot be disabled; another token mount cannot be created', async (ctx) => {
  expectErrors(await ctx.api.delete('sys/auth/token'), 400, ['token credential backend cannot be disabled'])
  expectErrors(await ctx.api.post(`sys/auth/${ctx.name('tok')}`, { type: 'token' }), 400,
    ['token credential backend cannot be instantiated'])
})

// --- sys/internal/ui/mounts -----------------------------------------------------

c('GET sys/internal/ui/mounts', 'without a token: only listing_visibility=unauth mounts, reduced entries', async (ctx) => {
  const path = await mountEngine(ctx, 'kv', { config: { listing_visibility: 'unauth' } })
  const hidden = await mountEngine(ctx, 'kv')
  const data = dataOf(ctx, await ctx.api.get('sys/internal/ui/mounts', { noToken: true }), {
    auth: S.map(S.any),
    secret: S.loose({ [`${path}/`]: { description: '', options: {}, type: 'kv' } })
  }, { mountType: 'system' })
  expectTrue((data.secret as Record<string, unknown>)[`${hidden}/`] === undefined, 'a mount without visibility is not listed')
  expectTrue((data.secret as Record<string, unknown>)['sys/'] === undefined, 'sys/ is not listed')
})

c('GET sys/internal/ui/mounts', 'with a root token: every mount with its full entry', async (ctx) => {
  const path = await mountEngine(ctx, 'kv-v2')
  dataOf(ctx, await ctx.api.get('sys/internal/ui/mounts'), {
    auth: S.loose({ 'token/': tokenAuthEntry(ctx.t) }),
    secret: S.loose({
      ...devMounts(ctx.t),
      [`${path}/`]: entryShape(ctx.t, { type: 'kv', description: '', options: { version: '2' }, supported: true })
    })
  }, { mountType: 'system' })
})

c('GET sys/internal/ui/mounts/:path', 'a path under a mount: its entry plus "path"', async (ctx) => {
  const path = await mountEngine(ctx, 'kv-v2')
  const shape = entryShape(ctx.t, {
    type: 'kv', description: '', options: { version: '2' }, supported: true, extra: { path: `${path}/` }
  })
  dataOf(ctx, await ctx.api.get(`sys/internal/ui/mounts/${path}/a/b`), shape, { mountType: 'system' })
  dataOf(ctx, await ctx.api.get(`sys/internal/ui/mounts/${path}`), shape, { mountType: 'system' })
  dataOf(ctx, await ctx.api.get('sys/internal/ui/mounts/auth/token'),
    { ...tokenAuthEntry(ctx.t), path: 'token/' }, { mountType: 'system' })
})

c('GET sys/internal/ui/mounts/:path', 'no mount there: 403 preflight text naming the full path', async (ctx) => {
  const path = `${ctx.name('none')}/foo`
  expectErrors(await ctx.api.get(`sys/internal/ui/mounts/${path}`), 403,
    [`preflight capability check returned 403, please ensure client's policies grant access to path "${path}/"`])
})

c('GET sys/internal/ui/mounts/:path', 'no token: 403 permission denied', async (ctx) => {
  expectErrors(await ctx.api.get('sys/internal/ui/mounts/secret/foo', { noToken: true }), 403, ['permission denied'])
})

c('GET sys/internal/ui/mounts/:path', 'a token without access under the mount: 403 preflight', async (ctx) => {
  const path = await mountEngine(ctx, 'kv-v2')
  const other = await mountEngine(ctx, 'kv-v2')
  const token = await tokenWithPolicy(ctx, `path "${other}/*" { capabilities = ["read"] }`)
  expectErrors(await ctx.api.get(`sys/internal/ui/mounts/${path}/x`, { token }), 403,
    [`preflight capability check returned 403, please ensure client's policies grant access to path "${path}/x/"`])
  dataOf(ctx, await ctx.api.get(`sys/internal/ui/mounts/${other}/x`, { token }), S.loose({ path: `${other}/` }), { mountType: 'system' })
})

c('GET sys/internal/ui/mounts/', 'an empty path: 404 plain "unsupported path" (login path, not wrapped)', async (ctx) => {
  expectErrors(await ctx.api.get('sys/internal/ui/mounts/'), 404, ['unsupported path'])
})

export const sysArea: Area = { name: 'sys', cases }

/** Used by other areas: the exact entry shape of a mount. */
export function mountEntry (ctx: Ctx, e: EntryExpect): Record<string, Shape> {
  return entryShape(ctx.t, e)
}
