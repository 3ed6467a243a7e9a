/**
 * The CLI's state flags: a bad seed stops start-up with one line naming
 * the file and line; -deterministic warns and gives a fixed root token;
 * -data-dir names the directory; the env variables work like the flags.
 */
import t from 'tap'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

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
  const missing = await run([], { LOCALVAULT_SEED: path.join(dir, 'none.yaml') })
  t.equal(missing.code, 1)
  t.equal(missing.stderr, `Error: ${path.join(dir, 'none.yaml')}: cannot read seed file: no such file\n`)
})

t.test('-deterministic warns, fixes the root token; -data-dir is named', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lv-cli-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  const one = await run(['-deterministic', 'abc', `-data-dir=${dir}/a`])
  const two = await run([], { LOCALVAULT_DETERMINISTIC: 'abc', LOCALVAULT_DATA_DIR: `${dir}/b` })
  t.equal(one.code, 0)
  t.match(one.stdout, 'WARNING! deterministic mode is enabled')
  t.match(one.stdout, `keeps its state in\n${dir}/a and starts unsealed`)
  t.match(one.stdout, 'deterministic mode: every token, key and nonce is predictable', 'and logs a warning')
  const token = (out: string): string | undefined => /Root Token: (\S+)/.exec(out)?.[1]
  t.equal(token(one.stdout), token(two.stdout), 'same seed, same random root token')
  t.ok(fs.existsSync(path.join(dir, 'b', 'localvault.db')))
  const empty = await run(['-deterministic='])
  t.equal(empty.code, 1)
  t.match(empty.stderr, 'invalid -deterministic: the seed must not be empty')
})
