/**
 * node-vault, from npm and unmodified, can talk to localvault's sys
 * endpoints: health, seal status, mount listing and enabling.
 */
import t from 'tap'
import nodeVault from 'node-vault'
import { startTestServer } from '../helpers/server.js'

t.test('node-vault health, status, mounts, mount', async (t) => {
  const server = await startTestServer(t)
  const vault = nodeVault({ endpoint: server.address, token: server.rootToken })

  const health = await vault.health()
  t.equal(health.initialized, true)
  t.equal(health.sealed, false)

  const status = await vault.status()
  t.equal(status.sealed, false)
  t.equal(status.t, 1)

  const mounts = await vault.mounts()
  t.ok(mounts['secret/'], 'mounts are injected at the top level')
  t.equal(mounts.data['secret/'].options.version, '2')

  await vault.mount({ mount_point: 'nv-transit', type: 'transit', description: 'from node-vault' })
  const after = await vault.mounts()
  t.equal(after.data['nv-transit/'].type, 'transit')
  t.equal(after.data['nv-transit/'].description, 'from node-vault')

  await t.rejects(vault.mount({ mount_point: 'nv-transit', type: 'transit' }), /path is already in use at nv-transit\//)
})
