#!/usr/bin/env node
// The localvault CLI: runs the compiled server (npm run build makes dist/).
// `npm run build` also bundles the server into one file, which starts
// several times faster than loading hundreds of modules (README,
// Performance); the unbundled build serves whenever the bundle is missing
// or older than the last tsc run.
import { bundleIsCurrent, loadBundle } from './load-bundle.js'

const { main } = bundleIsCurrent() ? loadBundle().exports : await import('../dist/src/main.js')

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
