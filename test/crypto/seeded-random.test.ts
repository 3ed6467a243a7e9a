/**
 * The deterministic RandomSource: a known-answer test against OpenSSL's
 * AES-256-CTR (the vectors below come from `openssl enc -aes-256-ctr` with
 * the key `openssl dgst -sha256 -hmac 'localvault deterministic random v1'`
 * of the seed), plus seek/position.
 */
import t from 'tap'
import { createSeededRandom } from '../../src/crypto/index.js'

t.test('known answer: the first bytes and the bytes across a chunk boundary', async (t) => {
  const r = createSeededRandom('test')
  t.equal(r.bytes(20).toString('hex'), '91076d4c35aaad848ca48db73a47a814b5aaab98')
  t.equal(r.position(), 20)
  r.seek(4090)
  t.equal(r.bytes(12).toString('hex'), '5cf70a40cc5bc055de70956b')
  t.equal(r.position(), 4102)
})

t.test('the same seed gives the same stream however it is drawn', async (t) => {
  const a = createSeededRandom('seed')
  const b = createSeededRandom('seed')
  const whole = a.bytes(10_000)
  const parts: Buffer[] = []
  for (const n of [1, 7, 4088, 0, 5000, 904]) parts.push(b.bytes(n))
  t.ok(whole.equals(Buffer.concat(parts)))
  t.not(createSeededRandom('other').bytes(16).toString('hex'), whole.subarray(0, 16).toString('hex'))
})

t.test('seek rewinds and fast-forwards', async (t) => {
  const r = createSeededRandom('s')
  const first = r.bytes(9000)
  r.seek(4000)
  t.ok(r.bytes(5000).equals(first.subarray(4000)))
  r.seek(0)
  t.ok(r.bytes(9000).equals(first))
  t.throws(() => r.seek(-1), RangeError)
})

t.test('uuids are version 4 and reproducible', async (t) => {
  const a = createSeededRandom('u')
  const b = createSeededRandom('u')
  const ids = [a.uuid(), a.uuid()]
  t.same([b.uuid(), b.uuid()], ids)
  for (const id of ids) t.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  t.not(ids[0], ids[1])
})
