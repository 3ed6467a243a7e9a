// Seed: one YAML or JSON file that sets up mounts, policies, transit keys, KV secrets and tokens at start.
export { parseSeed, seedFromObject, loadSeedFile } from './parse.js'
export { applySeed, type SeedTarget, type SeedSummary } from './apply.js'
export { SeedError, type SeedLocation } from './errors.js'
export type { Seed } from './model.js'
