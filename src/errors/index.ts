// Errors: the VaultError type and Vault's exact message texts.
export * from './vault-error.js'
export * as messages from './messages.js'
