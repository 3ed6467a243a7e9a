/**
 * The seed example in README.md parses and applies: the documented format
 * cannot drift from the implemented one.
 */
import t from 'tap'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startServer } from '../../src/index.js'
import { parseSeed } from '../../src/seed/index.js'
import { call } from '../helpers/server.js'

const readme = fs.readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')
const start = readme.indexOf('```yaml\nmounts:')
const example = readme.slice(start + '```yaml\n'.length, readme.indexOf('```', start + 7))

t.test('the README seed example applies', async (t) => {
  t.ok(start > 0, 'README has the example')
  const seed = parseSeed(example, 'README.md')
  t.same([seed.mounts.length, seed.policies.length, seed.transit.length, seed.kv.length, seed.tokens.length], [3, 1, 3, 2, 1])
  const file = path.join(os.tmpdir(), `lv-readme-seed-${process.pid}.yaml`)
  fs.writeFileSync(file, example)
  t.teardown(() => fs.rmSync(file, { force: true }))
  const real = await startServer({ rootToken: 'root', seed: file })
  t.teardown(() => real.close())
  t.equal((await call(real, 'GET', '/v1/transit/keys/payments')).json?.data?.latest_version, 3)
  t.equal((await call(real, 'GET', '/v1/secret/metadata/app/config')).json?.data?.current_version, 2)
  t.equal((await call(real, 'GET', '/v1/auth/token/lookup-self', { token: 'app-token' })).status, 200)
})
