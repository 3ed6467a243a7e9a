/**
 * KV v2 delete/, undelete/, destroy/, max_versions pruning and
 * delete_version_after (driven by the server clock) over real HTTP.
 */
import t from 'tap'
import { rfcMs, startHarness } from '../../helpers/clocked-server.js'

t.test('delete, undelete and destroy listed versions', async (t) => {
  const h = await startHarness(t)
  for (let i = 1; i <= 3; i++) await h.call('POST', '/v1/secret/data/k', { body: { data: { i } } })

  const empty = async (family: string, body: unknown): Promise<unknown> =>
    (await h.call('POST', `/v1/secret/${family}/k`, { body })).json
  t.same(await empty('delete', {}), { errors: ['No version number provided'] })
  t.same(await empty('undelete', { versions: [] }), { errors: ['No version number provided'] })
  t.same(await empty('destroy', { versions: null }), { errors: ['no version number provided'] }, 'destroy says it in lower case')

  // The Go client sends strings, the CLI a comma list; unknown versions are ignored.
  t.equal((await h.call('PUT', '/v1/secret/delete/k', { body: { versions: ['1', '2', '77'] } })).status, 204)
  t.equal((await h.call('GET', '/v1/secret/data/k?version=1')).status, 404)
  t.equal((await h.call('GET', '/v1/secret/data/k?version=2')).status, 404)
  t.equal((await h.call('GET', '/v1/secret/data/k?version=3')).status, 200)

  t.equal((await h.call('POST', '/v1/secret/undelete/k', { body: { versions: '1' } })).status, 204)
  t.same((await h.call('GET', '/v1/secret/data/k?version=1')).json.data.data, { i: 1 })

  t.equal((await h.call('PUT', '/v1/secret/destroy/k', { body: { versions: [2] } })).status, 204)
  const meta = (await h.call('GET', '/v1/secret/metadata/k')).json.data
  t.equal(meta.versions['2'].destroyed, true)
  t.not(meta.versions['2'].deletion_time, '', 'destroy keeps the deletion time')
  // A destroyed version cannot be undeleted.
  await h.call('POST', '/v1/secret/undelete/k', { body: { versions: [2] } })
  const after = await h.call('GET', '/v1/secret/data/k?version=2')
  t.equal(after.status, 404)
  t.equal(after.json.data.metadata.destroyed, true)

  for (const family of ['delete', 'undelete', 'destroy']) {
    t.equal((await h.call('POST', `/v1/secret/${family}/none`, { body: { versions: [1] } })).status, 204,
      `${family} of a missing key is 204`)
    const get = await h.call('GET', `/v1/secret/${family}/k`)
    t.same([get.status, get.json], [405, { errors: ['1 error occurred:\n\t* unsupported operation\n\n'] }])
  }
})

t.test('max_versions pruning and oldest_version', async (t) => {
  const h = await startHarness(t)
  const write = async (i: number): Promise<void> => {
    await h.call('POST', '/v1/secret/data/p', { body: { data: { i } } })
  }
  for (let i = 1; i <= 9; i++) await write(i)
  t.equal((await h.call('GET', '/v1/secret/metadata/p')).json.data.oldest_version, 0, 'no pruning pass yet')
  await write(10)
  t.equal((await h.call('GET', '/v1/secret/metadata/p')).json.data.oldest_version, 1, 'first pass at the limit')
  await write(11)
  const read = await h.call('GET', '/v1/secret/metadata/p')
  let meta = read.json.data
  t.equal(meta.oldest_version, 2)
  const order = [...read.text.matchAll(/"(\d+)":\{"created_time"/g)].map((m) => m[1])
  t.same(order, ['10', '11', '2', '3', '4', '5', '6', '7', '8', '9'], 'map keys sorted byte-wise like Go')
  t.same((await h.call('GET', '/v1/secret/data/p?version=1')).json, { errors: [] }, 'a pruned version is a plain 404')

  // Lowering the key limit prunes several at the next write; the larger of key and mount wins.
  await h.call('POST', '/v1/secret/metadata/p', { body: { max_versions: 2 } })
  await write(12)
  meta = (await h.call('GET', '/v1/secret/metadata/p')).json.data
  t.same(Object.keys(meta.versions), ['11', '12'])
  t.equal(meta.oldest_version, 11)
  await h.call('POST', '/v1/secret/config', { body: { max_versions: 3 } })
  await write(13)
  t.same(Object.keys((await h.call('GET', '/v1/secret/metadata/p')).json.data.versions), ['11', '12', '13'])
})

t.test('delete_version_after on the mount and the key, with the clock', async (t) => {
  const h = await startHarness(t)
  await h.call('POST', '/v1/secret/config', { body: { delete_version_after: '1h' } })
  const w = await h.call('POST', '/v1/secret/data/a', { body: { data: { x: 1 } } })
  t.equal(rfcMs(w.json.data.deletion_time) - rfcMs(w.json.data.created_time), 3600_000, 'deletion scheduled at creation + 1h')
  await h.call('POST', '/v1/secret/metadata/b', { body: { delete_version_after: '10m' } })
  const wb = await h.call('POST', '/v1/secret/data/b', { body: { data: { x: 1 } } })
  t.equal(rfcMs(wb.json.data.deletion_time) - rfcMs(wb.json.data.created_time), 600_000, 'the smaller of key and mount')

  t.equal((await h.call('GET', '/v1/secret/data/a')).status, 200, 'readable until the deletion time')
  h.clock.advance(30 * 60_000)
  t.equal((await h.call('GET', '/v1/secret/data/a')).status, 200)
  const b = await h.call('GET', '/v1/secret/data/b')
  t.equal(b.status, 404, 'past its deletion time')
  t.equal(b.json.data.data, null)
  t.equal((await h.call('GET', '/v1/secret/subkeys/b')).status, 404)
  t.equal((await h.call('GET', '/v1/secret/data/a?version=1')).status, 200)

  // Undelete re-arms from now.
  const now = h.clock.now()
  await h.call('POST', '/v1/secret/undelete/b', { body: { versions: [1] } })
  const meta = (await h.call('GET', '/v1/secret/metadata/b')).json.data
  t.ok(Math.abs(rfcMs(meta.versions['1'].deletion_time) - (now + 600_000)) < 1000)
  t.equal((await h.call('GET', '/v1/secret/data/b')).status, 200)

  // A delete of a scheduled version moves the deletion to now.
  await h.call('DELETE', '/v1/secret/data/a')
  t.equal((await h.call('GET', '/v1/secret/data/a')).status, 404)

  // -1s disables it for every key; 0 clears.
  await h.call('POST', '/v1/secret/config', { body: { delete_version_after: '-5s' } })
  t.equal((await h.call('GET', '/v1/secret/config')).json.data.delete_version_after, '-1s')
  const c = await h.call('POST', '/v1/secret/data/b', { body: { data: { x: 2 } } })
  t.equal(c.json.data.deletion_time, '', 'disabled on the mount overrides the key')
  const neg = await h.call('POST', '/v1/secret/metadata/b', { body: { delete_version_after: '-1s' } })
  t.equal(neg.status, 400, 'a key cannot take a negative duration')
})
