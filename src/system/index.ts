// System backend: the sys/ paths.
export { systemBackendFactory } from './backend.js'
export type { SystemDeps } from './deps.js'
export { mountEntryWire } from './paths/mounts.js'
