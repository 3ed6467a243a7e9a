// Policy: ACL policy storage, parsing and evaluation.
export * from './acl.js'
export * from './policy-store.js'
export { parseAclPolicy, PolicyParseError, type PathRule } from './policy.js'
export { CompiledAcl, globbedStringsMatch } from './evaluate.js'
export { defaultPolicyText } from './default-policy.js'
