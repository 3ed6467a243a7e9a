/**
 * The bundled CLI (what `node bin/localvault.js` runs after `npm run build`):
 * its V8 code cache is accepted, and the paths that differ from the module
 * build (the lazily required HCL parser, package.json lookups, LIST) work.
 * Skipped when the bundle is missing or older than the last tsc run, since
 * the CLI then runs the module build that the other tests cover.
 */
import t from 'tap'
import net from 'node:net'
import { readFileSync } from 'node:fs'
import { spawn, spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import vm from 'node:vm'
import { request } from 'undici'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const BIN = `${ROOT}bin/localvault.js`
const { BUNDLE, CODE_CACHE, bundleIsCurrent } = await import(`${ROOT}bin/load-bundle.js`) as {
  BUNDLE: string
  CODE_CACHE: string
  bundleIsCurrent: () => boolean
}

async function freePort (): Promise<number> {
  return await new Promise((resolve) => {
    const srv = net.createServer()
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port
      srv.close(() => resolve(port))
    })
  })
}

const skip = bundleIsCurrent() ? false : 'no current bundle (run npm run build)'

t.test('the code cache matches the bundle', { skip }, async (t) => {
  const wrap = (createRequire(import.meta.url)('node:module') as { wrap: (s: string) => string }).wrap
  const script = new vm.Script(wrap(readFileSync(BUNDLE, 'utf8')), {
    filename: BUNDLE,
    cachedData: readFileSync(CODE_CACHE)
  })
  t.equal(script.cachedDataRejected, false, 'V8 accepted the cache')
})

t.test('the bundled CLI serves HCL policies, LIST and its version', { skip }, async (t) => {
  const version = spawnSync(process.execPath, [BIN, 'version'], { encoding: 'utf8' })
  t.match(version.stdout, /^localvault \S+/)
  const port = await freePort()
  const child = spawn(process.execPath, [BIN, 'server', '-dev', '-dev-root-token-id=bundle-root',
    `-dev-listen-address=127.0.0.1:${port}`, '-log-level=error'])
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => { stdout += d })
  child.stderr.on('data', (d) => { stderr += d })
  t.teardown(() => { child.kill('SIGTERM') })
  await new Promise<void>((resolve) => {
    const check = (): void => { if (stdout.includes('Root Token:')) resolve(); else setTimeout(check, 20) }
    check()
  })
  const base = `http://127.0.0.1:${port}/v1`
  const headers = { 'x-vault-token': 'bundle-root' }
  const put = await request(`${base}/sys/policies/acl/bundled`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ policy: 'path "secret/*" { capabilities = ["read"] }' })
  })
  await put.body.text()
  t.equal(put.statusCode, 204, 'HCL parsed through the lazily required parser')
  const list = await request(`${base}/sys/policies/acl`, { method: 'LIST' as 'GET', headers })
  const body = await list.body.json() as { data: { keys: string[] } }
  t.ok(body.data.keys.includes('bundled'), 'LIST works and shows the policy')
  t.equal(stderr, '', 'nothing on stderr (no warnings)')
})
