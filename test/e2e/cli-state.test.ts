/**
 * The CLI's state flags: a bad seed stops start-up with one line naming
 * the file and line; -deterministic warns and gives the same root token
 * as in-process; -data-dir names the directory; env variables work like
 * the flags.
 */
import t from 'tap'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { startServer } from '../../src/index.js'
import { ConfigError, loadConfig, USAGE } from '../../src/config/index.js'

const BIN = fileURLToPath(new URL('../../../bin/localvault.js', import.meta.url))

interface Run { code: number | null, stdout: string, stderr: string }

/** Run until the root token is printed (then SIGTERM), or until it exits. */
async function run (args: string[], env: Record<string, string> = {}): Promise<Run> {
  return await new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'server', '-dev', '-dev-listen-address=127.0.0.1:0', '-log-level=warn', ...args],
      { env: { ...process.env, ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
      if (stdout.includes('Root Token:')) child.kill('SIGTERM')
    })
    child.stderr.on('data', (d) => { stderr += d })
    child.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

t.test('a bad seed file: one line with file and line, exit 1', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lv-cli-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  const file = path.join(dir, 'seed.yaml')
  fs.writeFileSync(file, 'mounts:\n  transit: transit\ntokens:\n  - id: x\n    ttl: soon\n')
  const bad = await run([`-seed=${file}`])
  t.equal(bad.code, 1)
  t.match(bad.stderr, new RegExp(`^Error: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5: tokens\\[0\\]\\.ttl: must be a duration`))
  t.equal(bad.stderr.trim().split('\n').length, 1, 'one line, no stack trace')
})

t.test('-deterministic warns and fixes the root token; -data-dir is named', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lv-cli-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  const one = await run(['-deterministic', 'abc', `-data-dir=${dir}/a`])
  t.equal(one.code, 0)
  t.match(one.stdout, 'WARNING! deterministic mode is enabled')
  t.match(one.stdout, `keeps its state in\n${dir}/a and starts unsealed`)
  t.match(one.stdout, 'deterministic mode: every token, key and nonce is predictable', 'and logs a warning')
  t.ok(fs.existsSync(path.join(dir, 'a', 'localvault.db')))
  const inProcess = await startServer({ deterministic: 'abc' })
  await inProcess.close()
  t.equal(/Root Token: (\S+)/.exec(one.stdout)?.[1], inProcess.rootToken, 'same seed, same random root token')
})

t.test('flags and their environment variables', async (t) => {
  const env = { LOCALVAULT_DATA_DIR: '/d', LOCALVAULT_SEED: '/s.yaml', LOCALVAULT_DETERMINISTIC: 'x' }
  t.match(loadConfig(['server'], env).config, { dataDir: '/d', seed: '/s.yaml', deterministic: 'x' })
  t.match(loadConfig(['server', '-data-dir', '/e', '-seed=/t.json', '--deterministic', 'y'], env).config,
    { dataDir: '/e', seed: '/t.json', deterministic: 'y' })
  t.match(loadConfig(['server'], {}).config, { dataDir: undefined, seed: undefined, deterministic: undefined })
  t.match(loadConfig(['server'], { LOCALVAULT_DATA_DIR: '', LOCALVAULT_SEED: '' }).config, { dataDir: undefined, seed: undefined })
  t.throws(() => loadConfig(['server', '-deterministic='], {}), new ConfigError('invalid -deterministic: the seed must not be empty'))
  t.match(USAGE, '-data-dir=DIR')
})
