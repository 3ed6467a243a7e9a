/**
 * Policy parsing and evaluation without HTTP: Vault's precedence between
 * patterns, merging across policies, parameter rules, capability reports,
 * and the built-in default policy text agreeing with its compiled form.
 */
import t from 'tap'
import { CompiledAcl, globbedStringsMatch, parseAclPolicy } from '../../src/policy/index.js'
import { compileDocument } from '../../src/policy/policy.js'
import { defaultPolicyDocument, defaultPolicyText } from '../../src/policy/default-policy.js'
import { spreadBraces } from '../../src/policy/hcl.js'

async function acl (...texts: string[]): Promise<CompiledAcl> {
  const policies = []
  for (const [i, text] of texts.entries()) {
    policies.push({ name: `p${i}`, rules: await parseAclPolicy(text, 'openbao', 0) })
  }
  return new CompiledAcl(policies, 0)
}

t.test('precedence between prefix and segment wildcards', async (t) => {
  const a = await acl(`
path "secret/+/teamb" { capabilities = ["read"] }
path "secret/*" { capabilities = ["list"] }
path "secret/a/+/c" { capabilities = ["create"] }
path "secret/a/+/c*" { capabilities = ["delete"] }
path "secret/x/+/+" { capabilities = ["patch"] }
path "secret/x/y/+" { capabilities = ["sudo"] }
path "secret/exact" { capabilities = ["update"] }
path "+" { capabilities = ["read"] }
`)
  t.same(a.capabilities('secret/a/teamb'), ['read'])
  t.same(a.capabilities('secret/a/q/c'), ['create'])
  t.same(a.capabilities('secret/a/q/cd'), ['delete'])
  t.same(a.capabilities('secret/x/y/z'), ['sudo'])
  t.same(a.capabilities('secret/x/q/z'), ['patch'])
  t.same(a.capabilities('secret/exact'), ['update'], 'an exact rule wins outright')
  t.same(a.capabilities('top'), ['read'])
  t.same(a.capabilities('nothing/here'), ['deny'])
  t.equal(a.check({ path: 'secret/exact', operation: 'update' }).allowed, true)
  t.equal(a.check({ path: 'secret/exact', operation: 'read' }).allowed, false)
  t.equal(a.check({ path: 'secret/exact', operation: 'read' }).missing, 'read')
})

t.test('list uses the path without its trailing slash too', async (t) => {
  const a = await acl('path "secret/metadata/app" { capabilities = ["list"] }')
  t.equal(a.check({ path: 'secret/metadata/app/', operation: 'list' }).allowed, true)
  t.equal(a.check({ path: 'secret/metadata/app/', operation: 'read' }).allowed, false)
})

t.test('merging: union of capabilities, deny wins', async (t) => {
  const a = await acl('path "a/*" { capabilities = ["read"] }', 'path "a/*" { capabilities = ["update"] }')
  t.same(a.capabilities('a/x'), ['read', 'update'])
  const d = await acl('path "a/*" { capabilities = ["read"] }', 'path "a/*" { capabilities = ["deny"] }', 'path "a/*" { capabilities = ["list"] }')
  t.same(d.capabilities('a/x'), ['deny'])
  t.equal(d.check({ path: 'a/x', operation: 'read' }).allowed, false)
})

t.test('legacy policy keyword', async (t) => {
  const a = await acl('path "r" { policy = "read" }\npath "w" { policy = "write" }\npath "s" { policy = "sudo" }\npath "d" { policy = "deny" }')
  t.same(a.capabilities('r'), ['list', 'read'])
  t.same(a.capabilities('w'), ['create', 'delete', 'list', 'read', 'update'])
  t.same(a.capabilities('s'), ['create', 'delete', 'list', 'read', 'sudo', 'update'])
  t.same(a.capabilities('d'), ['deny'])
})

t.test('parameters: required first, then denied, then allowed with globs', async (t) => {
  const a = await acl(`
path "p" {
  capabilities = ["update", "read"]
  allowed_parameters = { "name" = ["web-*"] "size" = [] }
  denied_parameters = { "bad" = [] }
}
path "q" {
  capabilities = ["update"]
  required_parameters = ["must"]
}
path "n" {
  capabilities = ["update"]
  allowed_parameters = { "count" = [1] }
}
`)
  const check = (path: string, data: Record<string, unknown> | null): boolean =>
    a.check({ path, operation: 'update', data }).allowed
  t.equal(check('p', { name: 'web-1', size: 3 }), true)
  t.equal(check('p', { name: 'db-1' }), false)
  t.equal(check('p', { other: 'x' }), false)
  t.equal(check('p', { bad: 'x' }), false)
  t.equal(check('p', null), true, 'no data at all is allowed')
  t.equal(check('q', null), false, 'required parameters apply even without data')
  t.equal(check('q', { must: 1 }), true)
  t.equal(check('n', { count: 1 }), false, 'JSON numbers never equal policy numbers (json.Number)')
  t.equal(a.check({ path: 'q', operation: 'list' }).allowed, false)
})

t.test('sudo-protected paths need sudo', async (t) => {
  const a = await acl('path "x" { capabilities = ["list"] }\npath "y" { capabilities = ["list", "sudo"] }')
  t.equal(a.check({ path: 'x', operation: 'list', sudoRequired: true }).allowed, false)
  t.equal(a.check({ path: 'y', operation: 'list', sudoRequired: true }).allowed, true)
  t.equal(a.check({ path: 'y', operation: 'list' }).sudo, true)
})

t.test('mount access for sys/internal/ui/mounts', async (t) => {
  const a = await acl('path "secret/data/app/*" { capabilities = ["read"] }\npath "kv2/+/team/*" { capabilities = ["read"] }\npath "gone/*" { capabilities = ["deny"] }')
  t.equal(a.hasAccessUnder('secret/'), true)
  t.equal(a.hasAccessUnder('kv2/'), true)
  t.equal(a.hasAccessUnder('gone/'), false)
  t.equal(a.hasAccessUnder('transit/'), false)
})

t.test('parse errors carry Vault texts', async (t) => {
  const bad = async (text: string): Promise<string> => {
    try {
      await parseAclPolicy(text, 'openbao', 0)
      return 'parsed'
    } catch (err) {
      return (err as Error).message
    }
  }
  t.equal(await bad('path "a" { capabilities = ["foo"] }'), 'failed to parse policy: path "a": invalid capability "foo"')
  t.equal(await bad('path "a" { policy = "foo" }'), 'failed to parse policy: path "a": invalid policy "foo"')
  t.equal(await bad('path "a/+*" { policy = "read" }'), 'failed to parse policy: path "a/+*": invalid use of wildcards (\'+*\' is forbidden)')
  t.equal(await bad('foo = 1\npath "a" {}'), 'failed to parse policy: 1 error occurred:\n\t* invalid key "foo" on line 1\n\n')
  t.equal(await bad('path "a" {\n capabilities = ["read"]\n bogus = 1\n}'), 'failed to parse policy: 1 error occurred:\n\t* path "a": invalid key "bogus" on line 3\n\n')
  t.equal(await bad('path "a" { capabilities = "read" }'), 'failed to parse policy: path "a": At 1:27: unknown slice type: *ast.LiteralType')
  t.equal(await bad('path "a" { capabilities = ["scan"] }'), 'parsed')
  t.match(await bad('path "a" { capabilities = ["read"] '), /^failed to parse policy: /)
})

t.test('HCL1 layouts HCL2 refuses still parse', async (t) => {
  const rules = await parseAclPolicy('path "p" { capabilities = ["update"]\n  allowed_parameters = { "a" = [] "b" = ["x"] }\n}\n# a "quoted {" comment\n', 'vault', 0)
  t.equal(rules.length, 1)
  t.same(rules[0].allowedParameters, { a: [], b: ['x'] })
  t.equal(spreadBraces('a = "{x}" # {\n'), 'a = "{x}" # {\n', 'braces in strings and comments stay')
})

t.test('JSON policies', async (t) => {
  const rules = await parseAclPolicy('{"path": {"x/*": {"capabilities": ["read", "list"]}}}', 'vault', 0)
  t.same(rules.map((r) => [r.path, r.isPrefix]), [['x/', true]])
})

t.test('the default policy text compiles to the built-in document', async (t) => {
  for (const flavor of ['vault', 'openbao'] as const) {
    const text = defaultPolicyText(flavor)
    const parsed = await parseAclPolicy(text, flavor, 0)
    const builtIn = compileDocument(defaultPolicyDocument(flavor), text, flavor, 0)
    const key = (r: { path: string }): string => r.path
    t.same([...parsed].sort((a, b) => key(a).localeCompare(key(b))), [...builtIn].sort((a, b) => key(a).localeCompare(key(b))), flavor)
  }
  t.match(defaultPolicyText('vault'), /path "sys\/renew"/)
  t.notMatch(defaultPolicyText('openbao'), /sys\/renew"/)
})

t.test('globbed string matching (strutil.GlobbedStringsMatch)', async (t) => {
  t.equal(globbedStringsMatch('web-*', 'web-1'), true)
  t.equal(globbedStringsMatch('*-prod', 'db-prod'), true)
  t.equal(globbedStringsMatch('*mid*', 'a-mid-b'), true)
  t.equal(globbedStringsMatch('*', 'anything'), false, 'a lone * matches only itself')
  t.equal(globbedStringsMatch('exact', 'exact'), true)
})
