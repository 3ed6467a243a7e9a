/** KV version 1 over real HTTP: exact number text, lease_duration, lists. */
import t from 'tap'
import { startHarness } from '../../helpers/clocked-server.js'

t.test('numbers and strings come back exactly as Go writes them', async (t) => {
  const h = await startHarness(t)
  t.equal((await h.call('POST', '/v1/sys/mounts/kv1', { body: { type: 'kv' } })).status, 204)
  const w = await h.call('POST', '/v1/kv1/a', {
    rawBody: '{"b":1,"a":1.0,"big":12345678901234567890,"e":1E5,"neg":-0,"s":"<&>\\u2028\\ud800x","o":{"z":1,"y":[1.50,null]},"d":1,"d":2}'
  })
  t.equal(w.status, 204)
  const r = await h.call('GET', '/v1/kv1/a')
  t.equal(r.status, 200)
  // Sorted keys, literal numbers, Go escaping, lone surrogate as U+FFFD, last duplicate wins.
  t.match(r.text, '"data":{"a":1.0,"b":1,"big":12345678901234567890,"d":2,"e":1E5,"neg":-0,"o":{"y":[1.50,null],"z":1},"s":"\\u003c\\u0026\\u003e\\u2028\ufffdx"},')
  t.equal(r.json.lease_duration, 2764800, 'mount default TTL')
  t.equal(r.json.lease_id, '')
  t.equal(r.json.renewable, false)
  const q = await h.call('GET', '/v1/kv1/a?foo=1')
  t.same(q.json.warnings, ['Endpoint ignored these unrecognized parameters: [foo]'])
})

t.test('lease_duration from ttl or lease', async (t) => {
  const h = await startHarness(t)
  await h.call('POST', '/v1/sys/mounts/kv1', { body: { type: 'kv', options: { version: '1' } } })
  const cases: Array<[string, number]> = [
    ['{"ttl":"1h","x":1}', 3600],
    ['{"ttl":30}', 30],
    ['{"lease":"2m"}', 120],
    ['{"ttl":"10d","lease":"1s"}', 864000],
    ['{"ttl":"bogus"}', 2764800],
    ['{"ttl":1.5}', 2764800],
    ['{"ttl":true}', 2764800],
    ['{"ttl":null}', 0],
    ['{"ttl":"-5s"}', -5]
  ]
  for (const [body, seconds] of cases) {
    await h.call('POST', '/v1/kv1/t', { rawBody: body })
    t.equal((await h.call('GET', '/v1/kv1/t')).json.lease_duration, seconds, body)
  }
  await h.call('POST', '/v1/sys/mounts/kv1/tune', { body: { default_lease_ttl: '1h' } })
  await h.call('POST', '/v1/kv1/u', { body: { x: 1 } })
  t.equal((await h.call('GET', '/v1/kv1/u')).json.lease_duration, 3600, 'tuned default')
})

t.test('write, list, delete and errors', async (t) => {
  const h = await startHarness(t)
  await h.call('POST', '/v1/sys/mounts/kv1', { body: { type: 'kv-v1' } })
  for (const body of ['{}', 'null', '']) {
    const r = await h.call('POST', '/v1/kv1/e', { rawBody: body })
    t.same([r.status, r.json], [400, { errors: ['missing data fields'] }], `body ${body}`)
  }
  const root = await h.call('POST', '/v1/kv1', { body: { a: 1 } })
  t.same([root.status, root.json], [400, { errors: ['missing path'] }])
  // A body field named path is stored like any other.
  await h.call('POST', '/v1/kv1/f/g', { body: { path: 'zz', x: 1 } })
  t.same((await h.call('GET', '/v1/kv1/f/g')).json.data, { path: 'zz', x: 1 })
  await h.call('POST', '/v1/kv1/f/h', { rawBody: 'x=1&y=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  t.same((await h.call('GET', '/v1/kv1/f/h')).json.data, { x: '1', y: '2' })
  // On a v1 mount, data/foo is just a key.
  await h.call('POST', '/v1/kv1/data/foo', { body: { a: 1 } })
  t.same((await h.call('LIST', '/v1/kv1/')).json.data.keys, ['data/', 'f/'])
  t.same((await h.call('LIST', '/v1/kv1/f')).json.data.keys, ['g', 'h'])
  t.equal((await h.call('LIST', '/v1/kv1/f/g')).status, 404)
  t.equal((await h.call('GET', '/v1/kv1/nope')).status, 404)
  t.equal((await h.call('DELETE', '/v1/kv1/f/g')).status, 204)
  t.equal((await h.call('DELETE', '/v1/kv1/f/g')).status, 204)
  t.equal((await h.call('GET', '/v1/kv1/f/g')).status, 404)
  const patch = await h.call('PATCH', '/v1/kv1/f/h', { body: { x: 1 }, headers: { 'content-type': 'application/merge-patch+json' } })
  t.equal(patch.status, 405)
  const bad = await h.call('POST', '/v1/sys/mounts/kv3', { body: { type: 'kv', options: { version: '3' } } })
  t.same([bad.status, bad.json], [400, { errors: ['nil backend of type "kv" returned from factory'] }])
})

t.test('upgrading a v1 mount to v2 through tune', async (t) => {
  const h = await startHarness(t)
  await h.call('POST', '/v1/sys/mounts/up', { body: { type: 'kv' } })
  await h.call('POST', '/v1/up/a', { rawBody: '{"x":1.0,"n":"s"}' })
  await h.call('POST', '/v1/up/f/g', { body: { y: 2 } })
  const tune = await h.call('POST', '/v1/sys/mounts/up/tune', { body: { options: { version: '2' } } })
  t.equal(tune.status, 200)
  t.match(tune.json.warnings[0], /^Upgrading mount from version 0 to version 2\./)

  const r = await h.call('GET', '/v1/up/data/a')
  t.equal(r.status, 200)
  t.match(r.text, '"data":{"n":"s","x":1}', 'v2 reads the old values as float64')
  const meta = (await h.call('GET', '/v1/up/metadata/f/g')).json.data
  t.equal(meta.current_version, 1)
  t.equal(meta.oldest_version, 1, 'upgraded keys start with oldest_version 1')
  t.equal(meta.created_time, meta.versions['1'].created_time)
  t.same((await h.call('LIST', '/v1/up/metadata/')).json.data.keys, ['a', 'f/'])
  t.equal((await h.call('GET', '/v1/up/a')).status, 404, 'the old paths are gone')
  const downgrade = await h.call('POST', '/v1/sys/mounts/up/tune', { body: { options: { version: '1' } } })
  t.same(downgrade.json, { errors: ['cannot downgrade mount from version 2'] })
  // A second v2 engine on the same storage does not upgrade again.
  await h.call('POST', '/v1/up/data/a', { body: { data: { x: 2 } } })
  await h.call('POST', '/v1/sys/mounts/up/tune', { body: { options: { version: '2' } } })
  t.equal((await h.call('GET', '/v1/up/metadata/a')).json.data.current_version, 2)
})
