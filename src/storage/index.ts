// Storage: the interface every stateful module writes through, and its backends.
export * from './storage.js'
export { createMemoryStorage } from './memory.js'
export { openSqliteStorage, DataDirError, DATA_FORMAT_VERSION, DATA_FILE } from './sqlite.js'
export { createFence, type Fence } from './fence.js'
