// Crypto: node:crypto wrappers shared by engines and the token store.
export * from './random.js'
export * from './compare.js'
export * from './seeded-random.js'
