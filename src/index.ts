// localvault's Node API: start a Vault-compatible server in-process.
export {
  startServer,
  DETERMINISTIC_EPOCH,
  type StartOptions,
  type RunningServer,
  type ClockControl
} from './start.js'
export { SeedError } from './seed/index.js'
export { DataDirError } from './storage/index.js'
