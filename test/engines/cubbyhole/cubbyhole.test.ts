/** cubbyhole/ over real HTTP: per-token isolation, v1-like shapes, destruction. */
import t from 'tap'
import { startHarness } from '../../helpers/clocked-server.js'
import { destroyCubbyhole } from '../../../src/engines/cubbyhole/index.js'

t.test('per-token private storage', async (t) => {
  const h = await startHarness(t)
  const other = h.core.tokens.createRootToken('other-token').id

  const w = await h.call('POST', '/v1/cubbyhole/app/a', { rawBody: '{"b":1,"a":1.0,"big":12345678901234567890}' })
  t.equal(w.status, 204)
  const r = await h.call('GET', '/v1/cubbyhole/app/a')
  t.match(r.text, '"data":{"a":1.0,"b":1,"big":12345678901234567890},')
  t.equal(r.json.lease_duration, 0)
  t.equal((await h.call('GET', '/v1/cubbyhole/app/a', { token: other })).status, 404, 'another token sees nothing')
  t.equal((await h.call('LIST', '/v1/cubbyhole/', { token: other })).status, 404)
  t.same((await h.call('LIST', '/v1/cubbyhole/')).json.data.keys, ['app/'])
  t.same((await h.call('LIST', '/v1/cubbyhole/app')).json.data.keys, ['a'])

  // Storage keys never carry the token id.
  const mount = h.core.mounts.get('cubbyhole/')
  t.ok(mount)
  const folders = mount?.storage.list('') ?? []
  t.equal(folders.length, 1)
  t.notOk(folders[0].includes('root'))

  destroyCubbyhole(mount!.storage, 'root')
  t.equal((await h.call('GET', '/v1/cubbyhole/app/a')).status, 404, 'destroyed with its token')
})

t.test('errors', async (t) => {
  const h = await startHarness(t)
  const multi = (m: string): unknown => ({ errors: [`1 error occurred:\n\t* ${m}\n\n`] })
  const empty = await h.call('POST', '/v1/cubbyhole/e', { body: {} })
  t.same([empty.status, empty.json], [500, multi('missing data fields')])
  const root = await h.call('GET', '/v1/cubbyhole/')
  t.same([root.status, root.json], [500, multi('missing path')])
  const rootWrite = await h.call('POST', '/v1/cubbyhole', { body: { a: 1 } })
  t.same([rootWrite.status, rootWrite.json], [500, multi('missing path')])
  t.equal((await h.call('DELETE', '/v1/cubbyhole/nope')).status, 204)
  // A batch token (recognised by its id format) has no cubbyhole.
  const batch = h.core.tokens.createRootToken(h.core.tokens.newBatchTokenId()).id
  for (const [method, body] of [['GET', undefined], ['POST', { a: 1 }], ['LIST', undefined]] as const) {
    const r = await h.call(method, '/v1/cubbyhole/x', { token: batch, body })
    t.same([r.status, r.json], [400, { errors: ["cubbyhole operations are only supported by 'service' type tokens"] }], method)
  }
  const patch = await h.call('PATCH', '/v1/cubbyhole/a', { body: { a: 1 }, headers: { 'content-type': 'application/merge-patch+json' } })
  t.equal(patch.status, 405)
})
