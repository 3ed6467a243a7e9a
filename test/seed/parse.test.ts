/**
 * Seed parsing: what a valid seed becomes, and one test per error a seed
 * can have, each naming the file, the line and the field.
 */
import t from 'tap'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadSeedFile, parseSeed, seedFromObject, SeedError } from '../../src/seed/index.js'

const FULL = `# every section
mounts:
  transit: transit
  kv1: kv-v1
  team:
    type: kv
    description: team secrets
    options: {version: 2}
    config: {default_lease_ttl: 1h}
    local: false
    seal_wrap: false
policies:
  app: |
    path "secret/*" { capabilities = ["read"] }
transit:
  transit/:
    orders:
    payments:
      type: ecdsa-p256
      exportable: true
      deletion_allowed: true
      auto_rotate_period: 24h
      versions: 3
    fixed:
      type: aes256-gcm96
      allow_rotation: false
      min_decryption_version: 1
      versions:
        - AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
kv:
  secret:
    app/config:
      custom_metadata: {owner: a, n: 1}
      max_versions: 4
      cas_required: false
      delete_version_after: 30m
      versions:
        - {password: one}
        - password: two
          list: [1, true, null, 2.5, "x"]
  kv1:
    /legacy/: {data: {x: 1}}
tokens:
  - id: app-token
    policies: [app, default]
    ttl: 1h
    explicit_max_ttl: 2h
    period: 30m
    renewable: true
    num_uses: 3
    display_name: app
    meta: {team: a}
    no_default_policy: false
  - id: child
    policies: app,other
    orphan: false
`

t.test('a full seed parses into what is applied, in order', async (t) => {
  const seed = parseSeed(FULL, 'full.yaml')
  t.same(seed.mounts.map((m) => [m.path, m.type, m.options ?? null, m.at.line]), [
    ['transit', 'transit', null, 3],
    ['kv1', 'kv', { version: '1' }, 4],
    ['team', 'kv', { version: '2' }, 5]
  ])
  t.same(seed.mounts[2].config, { default_lease_ttl: '1h' })
  t.equal(seed.mounts[2].description, 'team secrets')
  t.same(seed.policies, [{ at: { source: 'full.yaml', line: 13, path: 'policies.app' }, name: 'app', text: 'path "secret/*" { capabilities = ["read"] }\n' }])
  t.same(seed.transit.map((k) => [k.mount, k.name, k.type, k.create, k.config, typeof k.versions === 'number' ? k.versions : k.versions.length, k.allowRotation]), [
    ['transit', 'orders', 'aes256-gcm96', { type: 'aes256-gcm96' }, {}, 1, true],
    ['transit', 'payments', 'ecdsa-p256', { type: 'ecdsa-p256', exportable: true, auto_rotate_period: '24h' }, { deletion_allowed: true }, 3, true],
    ['transit', 'fixed', 'aes256-gcm96', { type: 'aes256-gcm96' }, { min_decryption_version: 1 }, 1, false]
  ])
  const secret = seed.kv[0]
  t.same([secret.mount, secret.path, secret.at.line], ['secret', 'app/config', 32])
  t.same(secret.metadata, { custom_metadata: { owner: 'a', n: '1' }, max_versions: 4, cas_required: false, delete_version_after: '30m' })
  t.same(secret.versions.map((v) => v.data), [{ password: 'one' }, { password: 'two', list: [1, true, null, 2.5, 'x'] }])
  t.same(secret.versions.map((v) => v.at.line), [38, 39])
  t.same([seed.kv[1].mount, seed.kv[1].path, seed.kv[1].versions[0].data], ['kv1', 'legacy', { x: 1 }])
  t.same(seed.tokens.map((tk) => [tk.id, tk.orphan, tk.fields]), [
    ['app-token', true, { id: 'app-token', policies: ['app', 'default'], ttl: '1h', explicit_max_ttl: '2h', period: '30m', renewable: true, num_uses: 3, display_name: 'app', meta: { team: 'a' }, no_default_policy: false }],
    ['child', false, { id: 'child', policies: ['app', 'other'] }]
  ])
})

t.test('JSON seeds parse the same way, with lines', async (t) => {
  const json = '{\n  "mounts": {"transit": "transit"},\n  "tokens": [\n    {"id": "x", "ttl": "1h"}\n  ]\n}\n'
  const seed = parseSeed(json, 'seed.json')
  t.same(seed.mounts[0].at, { source: 'seed.json', line: 2, path: 'mounts.transit' })
  t.same(seed.tokens[0].at, { source: 'seed.json', line: 4, path: 'tokens[0]' })
  t.throws(() => parseSeed('{\n  "tokens": [\n    {"id": "x", "ttl": "soon"}\n  ]\n}\n', 'seed.json'),
    { message: /^seed\.json:3: tokens\[0\]\.ttl: must be a duration/ })
})

t.test('empty seeds and empty sections are fine', async (t) => {
  t.same(parseSeed('', 'e.yaml').mounts, [])
  t.same(parseSeed('# nothing yet\n', 'e.yaml').tokens, [])
  t.same(parseSeed('mounts:\ntokens:\n', 'e.yaml').tokens, [])
})

t.test('object seeds (Node API) name the field path', async (t) => {
  const seed = seedFromObject({ mounts: { transit: 'transit' }, kv: { secret: { a: { data: { b: 1 } } } } })
  t.equal(seed.source, 'seed')
  t.same(seed.kv[0].versions[0].data, { b: 1 })
  t.throws(() => seedFromObject({ tokens: [{ id: 'x', ttl: [] }] }), new SeedError({ source: 'seed', line: undefined, path: 'tokens[0].ttl' }, 'must be a single value, not a map or a list'))
  t.throws(() => seedFromObject({ kv: { secret: { a: { data: { d: Infinity } } } } }), { message: /^seed: kv\.secret\.a\.data\.d: / })
})

// Each error: the seed text, then file:line: path: reason.
const ERRORS: Array<[string, string, string]> = [
  ['YAML syntax', 'mounts:\n  transit: [transit\n', /^bad\.yaml:\d+: invalid YAML\/JSON: /.source],
  ['duplicate key', 'mounts:\n  transit: transit\n  transit: kv\n', 'bad.yaml:3: invalid YAML/JSON: the same key appears twice in one map'],
  ['top level not a map', '- a\n- b\n', 'bad.yaml:1: must be a map with the sections mounts, policies, transit, kv and tokens'],
  ['unknown section', 'mounts: {}\nsecrets: {}\n', 'bad.yaml:2: secrets: unknown section (expected one of: mounts, policies, transit, kv, tokens)'],
  ['mounts not a map', 'mounts: [transit]\n', 'bad.yaml:1: mounts: must be a map'],
  ['mount without type', 'mounts:\n  x:\n    description: d\n', 'bad.yaml:2: mounts.x: missing field "type"'],
  ['mount unknown field', 'mounts:\n  x:\n    type: kv\n    versoin: 2\n', 'bad.yaml:4: mounts.x.versoin: unknown field (expected one of: type, description, config, options, local, seal_wrap)'],
  ['mount type not a string', 'mounts:\n  x: 5\n', 'bad.yaml:2: mounts.x: must be a string'],
  ['mount path twice', 'mounts:\n  x: kv\n  /x/: kv\n', 'bad.yaml:3: mounts["/x/"]: mount path "x/" appears twice'],
  ['empty mount path', 'mounts:\n  "/": kv\n', 'bad.yaml:2: mounts["/"]: mount path must not be empty'],
  ['mount local not a bool', 'mounts:\n  x:\n    type: kv\n    local: "yes"\n', 'bad.yaml:4: mounts.x.local: must be true or false'],
  ['policy not text', 'policies:\n  app:\n    path: x\n', 'bad.yaml:3: policies.app: must be a single value, not a map or a list'],
  ['transit key unknown field', 'transit:\n  transit:\n    k:\n      tpye: rsa-2048\n', /^bad\.yaml:4: transit\.transit\.k\.tpye: unknown field \(expected one of: type, /.source],
  ['transit versions zero', 'transit:\n  transit:\n    k:\n      versions: 0\n', 'bad.yaml:4: transit.transit.k.versions: must be at least 1'],
  ['transit versions empty list', 'transit:\n  transit:\n    k:\n      versions: []\n', 'bad.yaml:4: transit.transit.k.versions: must list at least one version'],
  ['transit material not base64', 'transit:\n  transit:\n    k:\n      versions:\n        - "not base64!"\n', 'bad.yaml:5: transit.transit.k.versions[0]: key material must be base64 (raw key bytes, or PKCS#8 DER for asymmetric keys) or a PEM private key'],
  ['allow_rotation without material', 'transit:\n  transit:\n    k:\n      allow_rotation: true\n', 'bad.yaml:4: transit.transit.k.allow_rotation: applies only to keys with fixed key material (a list under "versions")'],
  ['transit bad duration', 'transit:\n  transit:\n    k:\n      auto_rotate_period: 1 day\n', /^bad\.yaml:4: transit\.transit\.k\.auto_rotate_period: must be a duration such as "1h" or a number of seconds \(time: /.source],
  ['transit negative duration', 'transit:\n  transit:\n    k:\n      auto_rotate_period: -1h\n', 'bad.yaml:4: transit.transit.k.auto_rotate_period: must not be negative'],
  ['transit int field not int', 'transit:\n  transit:\n    k:\n      min_decryption_version: 1.5\n', 'bad.yaml:4: transit.transit.k.min_decryption_version: must be a whole number'],
  ['kv secret neither data nor versions', 'kv:\n  secret:\n    a:\n      max_versions: 2\n', 'bad.yaml:3: kv.secret.a: give either "data" (one version) or "versions" (a list of versions, oldest first)'],
  ['kv secret both data and versions', 'kv:\n  secret:\n    a:\n      data: {x: 1}\n      versions: [{x: 2}]\n', 'bad.yaml:3: kv.secret.a: give either "data" (one version) or "versions" (a list of versions, oldest first)'],
  ['kv version not a map', 'kv:\n  secret:\n    a:\n      versions:\n        - x\n', 'bad.yaml:5: kv.secret.a.versions[0]: must be a map of fields'],
  ['kv data with binary', 'kv:\n  secret:\n    a:\n      data:\n        b: !!binary aGVsbG8=\n', 'bad.yaml:5: kv.secret.a.data.b: must be a JSON value (string, number, boolean, null, map or list)'],
  ['kv integer too large', 'kv:\n  secret:\n    a:\n      data: {n: 12345678901234567890}\n', 'bad.yaml:4: kv.secret.a.data.n: integer is too large to keep exactly; quote it as a string'],
  ['kv custom_metadata not strings', 'kv:\n  secret:\n    a:\n      data: {}\n      custom_metadata: {x: [1]}\n', 'bad.yaml:5: kv.secret.a.custom_metadata.x: must be a single value, not a map or a list'],
  ['kv unknown field', 'kv:\n  secret:\n    a:\n      data: {}\n      ttl: 1h\n', 'bad.yaml:5: kv.secret.a.ttl: unknown field (expected one of: data, versions, custom_metadata, max_versions, cas_required, delete_version_after)'],
  ['tokens not a list', 'tokens:\n  id: x\n', 'bad.yaml:2: tokens: must be a list'],
  ['token without id', 'tokens:\n  - policies: [a]\n', 'bad.yaml:2: tokens[0]: missing field "id" (seeded tokens need a fixed id so the seed can be applied again)'],
  ['token empty id', 'tokens:\n  - id: " "\n', 'bad.yaml:2: tokens[0].id: must not be empty'],
  ['token id twice', 'tokens:\n  - id: a\n  - id: a\n', 'bad.yaml:3: tokens[1].id: the same token id appears twice'],
  ['token bad ttl', 'tokens:\n  - id: a\n    ttl: tomorrow\n', /^bad\.yaml:3: tokens\[0\]\.ttl: must be a duration/.source],
  ['token num_uses negative', 'tokens:\n  - id: a\n    num_uses: -1\n', 'bad.yaml:3: tokens[0].num_uses: must be at least 0'],
  ['token unknown field', 'tokens:\n  - id: a\n    policy: x\n', /^bad\.yaml:3: tokens\[0\]\.policy: unknown field/.source],
  ['token policies not strings', 'tokens:\n  - id: a\n    policies: [{x: 1}]\n', 'bad.yaml:3: tokens[0].policies[0]: must be a single value, not a map or a list']
]

for (const [name, text, expected] of ERRORS) {
  t.test(`seed error: ${name}`, async (t) => {
    let err: unknown
    try {
      parseSeed(text, 'bad.yaml')
    } catch (e) {
      err = e
    }
    t.ok(err instanceof SeedError, 'a SeedError')
    const message = (err as Error).message
    if (expected.startsWith('^')) t.match(message, new RegExp(expected))
    else t.equal(message, expected)
  })
}

t.test('seed files: missing, a directory, and a good one', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lv-seed-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  t.throws(() => loadSeedFile(path.join(dir, 'nope.yaml')), { message: `${path.join(dir, 'nope.yaml')}: cannot read seed file: no such file` })
  t.throws(() => loadSeedFile(dir), { message: `${dir}: cannot read seed file: is a directory` })
  const file = path.join(dir, 'seed.yaml')
  fs.writeFileSync(file, FULL)
  t.equal(loadSeedFile(file).tokens.length, 2)
})
