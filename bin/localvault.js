#!/usr/bin/env node
// The localvault CLI: runs the compiled server (npm run build makes dist/).
// `npm run build` also bundles the server into one file, which starts
// several times faster than loading hundreds of modules (README,
// Performance); the unbundled build serves whenever the bundle is missing
// or older than the last tsc run.
import { statSync } from 'node:fs'

const bundle = new URL('../dist/src/bundle/localvault.js', import.meta.url)

function bundleIsCurrent () {
  let bundled
  try {
    bundled = statSync(bundle).mtimeMs
  } catch {
    return false
  }
  try {
    return bundled >= statSync(new URL('../dist/.tsbuildinfo', import.meta.url)).mtimeMs
  } catch {
    return true // an installed copy: no tsc state to compare with
  }
}

const { main } = await import(bundleIsCurrent() ? bundle.href : '../dist/src/main.js')

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
