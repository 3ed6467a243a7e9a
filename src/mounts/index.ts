// Mounts: the mount table and request-path resolution.
export * from './mount-table.js'
