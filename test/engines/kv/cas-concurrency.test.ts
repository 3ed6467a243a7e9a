/** 64 concurrent check-and-set writers on one key: exactly one wins per version. */
import t from 'tap'
import { startHarness } from '../../helpers/clocked-server.js'

t.test('one success per version under concurrency', async (t) => {
  const h = await startHarness(t)
  const rounds = 3
  for (let round = 0; round < rounds; round++) {
    const results = await Promise.all(Array.from({ length: 64 }, async (_, i) =>
      await h.call('POST', '/v1/secret/data/race', { body: { data: { writer: i }, options: { cas: round } } })))
    const ok = results.filter((r) => r.status === 200)
    const failed = results.filter((r) => r.status !== 200)
    t.equal(ok.length, 1, `round ${round}: exactly one writer wins`)
    t.equal(ok[0].json.data.version, round + 1)
    t.ok(failed.every((r) => r.status === 400 &&
      r.json.errors[0] === 'check-and-set parameter did not match the current version'), 'the rest get the CAS error')
  }
  const meta = (await h.call('GET', '/v1/secret/metadata/race')).json.data
  t.equal(meta.current_version, rounds)
})
