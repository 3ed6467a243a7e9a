/**
 * No Docker engine runs here, so this runs the container's exact start
 * command and health check with the image's environment (only the port
 * moved to a free one) and checks what the Dockerfile promises.
 */
import t from 'tap'
import net from 'node:net'
import { readFileSync } from 'node:fs'
import { spawn, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const dockerfile = readFileSync(`${ROOT}Dockerfile`, 'utf8')

function jsonInstruction (name: string): string[] {
  const m = new RegExp(`^${name}\\s+(?:--[^\\n]*\\\\\\n\\s*)?(?:CMD\\s+)?(\\[.*\\])\\s*$`, 'm').exec(dockerfile)
  if (m === null) throw new Error(`no ${name} in Dockerfile`)
  return JSON.parse(m[1]) as string[]
}

async function freePort (): Promise<number> {
  return await new Promise((resolve) => {
    const srv = net.createServer()
    srv.listen(0, '0.0.0.0', () => {
      const port = (srv.address() as net.AddressInfo).port
      srv.close(() => resolve(port))
    })
  })
}

t.test('the image runs as non-root on an official Node LTS image', async (t) => {
  t.match(dockerfile, /^FROM node:22-bookworm-slim AS build$/m)
  t.match(dockerfile, /^USER node$/m)
  t.match(dockerfile, /VAULT_DEV_LISTEN_ADDRESS=0\.0\.0\.0:8200/)
  t.match(dockerfile, /^EXPOSE 8200$/m)
})

t.test('CMD starts the server on all interfaces and HEALTHCHECK passes against it', async (t) => {
  const cmd = jsonInstruction('CMD')
  t.same(cmd.slice(0, 2), ['node', 'bin/localvault.js'])
  const port = await freePort()
  const env = { ...process.env, NODE_ENV: 'production', VAULT_DEV_LISTEN_ADDRESS: `0.0.0.0:${port}`, VAULT_DEV_ROOT_TOKEN_ID: 'docker-root' }
  const child = spawn(process.execPath, cmd.slice(1), { cwd: ROOT, env })
  t.teardown(() => { child.kill('SIGTERM') })
  let stdout = ''
  child.stdout.on('data', (d) => { stdout += d })
  await new Promise<void>((resolve) => {
    const check = (): void => { if (stdout.includes('localvault ready')) resolve(); else setTimeout(check, 20) }
    check()
  })
  t.match(stdout, 'Root Token: docker-root')

  const healthLine = /^HEALTHCHECK .*\\\n\s+CMD (\[.*\])$/m.exec(dockerfile)
  t.ok(healthLine, 'HEALTHCHECK has a JSON-form command')
  const health = JSON.parse(healthLine?.[1] ?? '[]') as string[]
  const script = health[2].replace('127.0.0.1:8200', `127.0.0.1:${port}`)
  const result = spawnSync(process.execPath, ['-e', script], { timeout: 5000 })
  t.equal(result.status, 0, 'the health check command succeeds')
})

t.test('the build stage copies everything npm ci needs to run the build script', async (t) => {
  const buildStage = dockerfile.split(/^FROM /m)[1]
  const copied = [...buildStage.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1].split(/\s+/))
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string> }
  // Every file the build and prepare scripts run must come from a copied top-level entry.
  const needed = new Set(['package.json', 'package-lock.json', 'tsconfig.json', 'src', 'bin'])
  for (const script of [pkg.scripts.build, pkg.scripts.prepare]) {
    for (const m of script.matchAll(/node (\S+)/g)) needed.add(m[1].split('/')[0])
  }
  for (const entry of needed) t.ok(copied.includes(entry), `COPY ${entry}`)
})

