/** node-vault, unmodified, against KV v2 and v1 the way its users call them. */
import t from 'tap'
import nodeVault from 'node-vault'
import { startHarness } from '../../helpers/clocked-server.js'

t.test('KV v2 through node-vault', async (t) => {
  const h = await startHarness(t)
  const vault = nodeVault({ endpoint: h.server.address, token: 'root' })

  const w = await vault.write('secret/data/app/api', { data: { key: 'abc', n: 1.0 } })
  t.equal(w.data.version, 1)
  const r = await vault.read('secret/data/app/api')
  t.same(r.data.data, { key: 'abc', n: 1 })
  t.equal(r.data.metadata.deletion_time, '')
  await vault.write('secret/data/app/api', { data: { key: 'def' }, options: { cas: 1 } })
  await t.rejects(vault.write('secret/data/app/api', { data: { key: 'x' }, options: { cas: 1 } }),
    /check-and-set parameter did not match the current version/)
  t.same((await vault.list('secret/metadata/app')).data.keys, ['api'])
  await t.rejects(vault.list('secret/metadata/none'), /Status 404/, 'an empty list is an error for node-vault')
  await vault.delete('secret/data/app/api')
  await t.rejects(vault.read('secret/data/app/api'), /Status 404/, 'deleted version: 404 without an errors message')
  await vault.delete('secret/metadata/app/api')
  await t.rejects(vault.read('secret/metadata/app/api'), /Status 404/)
})

t.test('KV v1 through node-vault', async (t) => {
  const h = await startHarness(t)
  const vault = nodeVault({ endpoint: h.server.address, token: 'root' })
  await vault.mount({ mount_point: 'old', type: 'kv' })
  await vault.write('old/app', { password: 'p', ttl: '1h' })
  const r = await vault.read('old/app')
  t.same(r.data, { password: 'p', ttl: '1h' })
  t.equal(r.lease_duration, 3600)
  await t.rejects(vault.write('old/app', {}), /missing data fields/)
})
