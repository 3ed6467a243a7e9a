// Loads the single-file server bundle that `npm run build` writes to
// dist/src/bundle/ (esbuild, CommonJS), with V8's code cache: compiling the
// 2.7 MB bundle was a quarter of the start-up time. The cache is made at
// build time; V8 rejects a cache that does not match the source or the Node
// version, and then simply compiles, so a stale cache costs time, never
// correctness.
import { readFileSync, statSync } from 'node:fs'
import { Module, createRequire } from 'node:module'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import vm from 'node:vm'

export const BUNDLE = fileURLToPath(new URL('../dist/src/bundle/localvault.cjs', import.meta.url))
export const CODE_CACHE = `${BUNDLE}.v8cache`
const TSC_STATE = fileURLToPath(new URL('../dist/.tsbuildinfo', import.meta.url))

/** Whether the bundle exists and is no older than the last tsc run (it is built from tsc's output). */
export function bundleIsCurrent () {
  let bundled
  try {
    bundled = statSync(BUNDLE).mtimeMs
  } catch {
    return false
  }
  try {
    return bundled >= statSync(TSC_STATE).mtimeMs
  } catch {
    return true // an installed copy: no tsc state to compare with
  }
}

/** Evaluate the bundle; returns its exports and the vm.Script (for createCachedData). */
export function loadBundle () {
  let cachedData
  try {
    cachedData = readFileSync(CODE_CACHE)
  } catch {}
  // No dynamic-import hook: V8 drops it for code restored from the cache, so
  // the bundle has no import() (scripts/bundle.mjs turns it into require).
  const script = new vm.Script(Module.wrap(readFileSync(BUNDLE, 'utf8')), { filename: BUNDLE, cachedData })
  const module = { exports: {} }
  script.runInThisContext().call(module.exports, module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE))
  return { exports: module.exports, script }
}
