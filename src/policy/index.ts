// Policy: ACL policy storage, parsing and evaluation.
export * from './acl.js'
export * from './policy-store.js'
