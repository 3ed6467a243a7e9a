// Bundle the compiled server (dist/src/main.js) into one file, so the CLI
// loads one module instead of hundreds: start-up time is mostly module
// loading (bench/README: Performance). Run by `npm run build` after tsc.
//
// The bundle sits at the same depth as dist/src/*/ modules so paths
// resolved from import.meta.url (package.json) stay correct.
import { build } from 'esbuild'

await build({
  entryPoints: ['dist/src/main.js'],
  outfile: 'dist/src/bundle/localvault.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Native addon and WebAssembly package: loaded from node_modules as usual.
  external: ['better-sqlite3', '@cdktf/hcl2json'],
  // CommonJS dependencies call require() for Node built-ins.
  banner: { js: "import { createRequire as __lvCreateRequire } from 'node:module'; const require = __lvCreateRequire(import.meta.url);" },
  logLevel: 'warning'
})
