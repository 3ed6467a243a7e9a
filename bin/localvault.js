#!/usr/bin/env node
// The localvault CLI: runs the compiled server (npm run build makes dist/).
import { main } from '../dist/src/main.js'

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
