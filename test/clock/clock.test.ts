/**
 * Clocks: the frozen clock of deterministic mode and RFC 3339 parsing for
 * POST /_localvault/clock.
 */
import t from 'tap'
import { createClock, createFrozenClock, formatRfc3339Nano, parseRfc3339 } from '../../src/clock/index.js'

t.test('the frozen clock moves only when told', async (t) => {
  const c = createFrozenClock(1_000)
  t.equal(c.now(), 1_000)
  c.advance(500)
  t.equal(c.now(), 1_500)
  c.set(42)
  t.equal(c.now(), 42)
  c.reset()
  t.equal(c.now(), 1_000)
})

t.test('the system clock follows advance and set', async (t) => {
  const c = createClock()
  const before = Date.now()
  c.advance(3_600_000)
  t.ok(c.now() >= before + 3_600_000 && c.now() < Date.now() + 3_600_000 + 1_000)
  c.set(Date.UTC(2030, 0, 1))
  t.ok(Math.abs(c.now() - Date.UTC(2030, 0, 1)) < 1_000)
  c.reset()
  t.ok(Math.abs(c.now() - Date.now()) < 1_000)
})

t.test('RFC 3339 parsing', async (t) => {
  t.equal(parseRfc3339('2030-01-02T03:04:05Z'), Date.UTC(2030, 0, 2, 3, 4, 5))
  t.equal(parseRfc3339('2030-01-02t03:04:05z'), Date.UTC(2030, 0, 2, 3, 4, 5))
  t.equal(parseRfc3339('2030-01-02T03:04:05.123456789Z'), Date.UTC(2030, 0, 2, 3, 4, 5) + 123.456789)
  t.equal(parseRfc3339('2030-01-02T03:04:05+02:30'), Date.UTC(2030, 0, 2, 0, 34, 5))
  t.equal(parseRfc3339('2030-01-02T03:04:05-01:00'), Date.UTC(2030, 0, 2, 4, 4, 5))
  t.equal(parseRfc3339('2024-02-29T00:00:00Z'), Date.UTC(2024, 1, 29))
  t.equal(parseRfc3339('0001-01-01T00:00:00Z'), -62135596800000)
  for (const bad of ['2030-01-02', '2030-01-02T03:04:05', '2030-13-01T00:00:00Z', '2023-02-29T00:00:00Z',
    '2030-01-02T24:00:00Z', '2030-01-02T03:04:05.Z', '2030-01-02T03:04:05.1234567891Z', ' 2030-01-02T03:04:05Z',
    '2030-01-02T03:04:05+2:00', 'now', '']) {
    t.equal(parseRfc3339(bad), undefined, bad)
  }
  t.equal(formatRfc3339Nano(parseRfc3339('2030-01-02T03:04:05.5Z') as number), '2030-01-02T03:04:05.5Z')
})
