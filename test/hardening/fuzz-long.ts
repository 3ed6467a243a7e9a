/**
 * The long fuzz run: `npm run fuzz:long` (100 000 requests by default).
 * FUZZ_SEED, FUZZ_COUNT and FUZZ_CASE (`batch:index`, to replay one
 * failure) as for the CI test; FUZZ_FLAVOR=openbao imitates OpenBao. Exits 1 on any failure, error log line,
 * crash, or heap growth past FUZZ_MAX_HEAP_GROWTH_MIB (default 64).
 * Run with --expose-gc so heap use is measured after a collection.
 */
import { fuzzSession, summary } from './lib/session.js'

// A script, not a test: when a test runner picks it up, do nothing.
if (process.env.TAP_CHILD_ID !== undefined) {
  process.stdout.write('# skip: run with `npm run fuzz:long`\n')
  process.exit(0)
}

const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000)
const count = Number(process.env.FUZZ_COUNT ?? 100_000)
const maxGrowth = Number(process.env.FUZZ_MAX_HEAP_GROWTH_MIB ?? 64)

const result = await fuzzSession({
  flavor: process.env.FUZZ_FLAVOR === 'openbao' ? 'openbao' : 'vault',
  seed,
  count,
  only: process.env.FUZZ_CASE,
  concurrency: Number(process.env.FUZZ_CONCURRENCY ?? 16),
  resetEvery: 4,
  progress: (line) => process.stdout.write(`${line}\n`)
})
process.stdout.write(`${summary(result, seed)}\n`)
for (const line of result.report.slow.slice(0, 10)) process.stdout.write(`SLOW ${line}\n`)

let failed = false
// Group failures by their first problem, so one bug does not hide the others.
const groups = new Map<string, number>()
for (const f of result.report.failures) {
  const key = f.problems[0].replace(/\d+/g, 'N').replace(/\\"message\\":.*/, '').slice(0, 90)
  groups.set(key, (groups.get(key) ?? 0) + 1)
}
for (const [key, n] of groups) process.stdout.write(`  ${n} x ${key}\n`)
const shown = new Set<string>()
for (const f of result.report.failures) {
  const key = f.problems[0].replace(/\d+/g, 'N').replace(/\\"message\\":.*/, '').slice(0, 90)
  if (shown.has(key) && process.env.FUZZ_ALL === undefined) { failed = true; continue }
  shown.add(key)
  failed = true
  process.stdout.write(`\nFAIL ${f.id} (${f.kind}) replay: FUZZ_SEED=${f.id.split(' ')[0]} FUZZ_CASE=${f.id.split(' ')[1]}\n` +
    `  ${f.problems.join('\n  ')}\n  request: ${f.request}\n  answer: ${f.answer}\n`)
}
for (const line of result.errorLines.slice(0, 10)) { failed = true; process.stdout.write(`ERROR LOG ${line.slice(0, 600)}\n`) }
for (const c of result.crashes.slice(0, 10)) { failed = true; process.stdout.write(`CRASH ${c}\n`) }

// Heap growth from the first quarter to the end: a leak per request shows here.
if (result.heapMiB.length >= 8) {
  const early = Math.max(...result.heapMiB.slice(0, Math.ceil(result.heapMiB.length / 4)))
  const late = result.heapMiB[result.heapMiB.length - 1]
  if (late - early > maxGrowth) {
    failed = true
    process.stdout.write(`MEMORY heap grew from ${early} MiB to ${late} MiB (limit +${maxGrowth} MiB)\n`)
  }
} else if (count >= 10_000) {
  process.stdout.write('note: run with --expose-gc to check memory\n')
}
process.exit(failed ? 1 : 0)
