// localvault's Node API: start a Vault-compatible server in-process.
export { startServer, type StartOptions, type RunningServer } from './start.js'
