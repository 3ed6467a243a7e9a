/**
 * The bounded fuzz run CI does on every build: a fixed seed and number of
 * cases (FUZZ_SEED / FUZZ_COUNT override them; FUZZ_CASE=batch:index
 * replays one case). Every answer must be Vault's shape with no 5xx Vault
 * would not give, nothing may be logged at error level, no rejection may
 * go unhandled, and the server must answer its health check after every
 * batch. `npm run fuzz:long` runs the same thing with 100 000 requests.
 */
import t from 'tap'
import { fuzzSession, summary } from './lib/session.js'

const seed = Number(process.env.FUZZ_SEED ?? 20251203)
const count = Number(process.env.FUZZ_COUNT ?? 1000)

for (const flavor of ['vault', 'openbao'] as const) {
  // The OpenBao flavor gets half the cases: most paths behave alike.
  const n = flavor === 'vault' ? count : Math.ceil(count / 2)
  t.test(`fuzz (${flavor}): ${n} cases from seed ${seed}`, async (t) => {
    const result = await fuzzSession({ flavor, seed, count: n, only: process.env.FUZZ_CASE, concurrency: 8 })
    // The line CI shows: how many requests went out.
    t.comment(summary(result, seed))
    t.ok(result.report.requests >= n, `sent ${result.report.requests} requests`)
    for (const f of result.report.failures.slice(0, 20)) {
      t.fail(`case ${f.id} (${f.kind}): ${f.problems.join('; ')}`, {
        replay: `FUZZ_SEED=${f.id.split(' ')[0]} FUZZ_CASE=${f.id.split(' ')[1]}`,
        request: f.request,
        answer: f.answer
      })
    }
    t.equal(result.report.failures.length, 0, 'every answer has Vault\'s shape')
    t.same(result.errorLines.map((l) => l.slice(0, 300)), [], 'nothing logged at error level')
    t.same(result.crashes, [], 'no unhandled rejection or uncaught exception')
  })
}
