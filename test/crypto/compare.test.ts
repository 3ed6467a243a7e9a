/** sha256/sha256Hex (FIPS 180-2 vectors) and safeEqual. */
import t from 'tap'
import { safeEqual, sha256, sha256Hex } from '../../src/crypto/compare.js'

t.test('SHA-256 known answers', async (t) => {
  t.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  t.equal(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
  t.equal(sha256('abc').toString('hex'), sha256Hex('abc'))
  t.equal(sha256Hex('é'), sha256(Buffer.from('é', 'utf8').toString()).toString('hex'), 'UTF-8 input')
})

t.test('safeEqual', async (t) => {
  t.equal(safeEqual('hvs.abc', 'hvs.abc'), true)
  t.equal(safeEqual('hvs.abc', 'hvs.abd'), false)
  t.equal(safeEqual('hvs.abc', 'hvs.ab'), false, 'different lengths')
  t.equal(safeEqual('', ''), true)
})
