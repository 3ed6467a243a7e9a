// Token auth: the token store and the auth/token/ backend.
export * from './token-store.js'
export { tokenBackendFactory } from './backend.js'
export { lookupData } from './paths/lookup.js'
export { calculateTtl } from './ttl.js'
