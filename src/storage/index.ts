// Storage: the interface every stateful module writes through, and its backends.
export * from './storage.js'
export { createMemoryStorage } from './memory.js'
