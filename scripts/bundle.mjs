// Bundle the compiled server (dist/src/main.js) into one CommonJS file and
// write V8's code cache for it, so the CLI loads one pre-compiled script
// instead of hundreds of modules: start-up time was mostly module loading
// and compiling (README, Performance). Run by `npm run build` after tsc.
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { build } from 'esbuild'

// V8 loses a script's dynamic-import hook when it restores the code from
// the cache, so the bundle may not contain `import(x)`. The sources use it
// only with a variable specifier for lazily loaded CommonJS packages (the
// HCL parser); in the CommonJS bundle `require` does the same job.
const lazyRequire = {
  name: 'lazy-require',
  setup (b) {
    b.onLoad({ filter: /[\\/]dist[\\/]src[\\/].*\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8')
      return {
        contents: text.replace(/\bimport\(\s*([A-Za-z_$][\w$]*)\s*\)/g, 'Promise.resolve().then(() => require($1))'),
        loader: 'js'
      }
    })
  }
}

const OUT = 'dist/src/bundle/localvault.cjs'

rmSync('dist/src/bundle', { recursive: true, force: true })
await build({
  entryPoints: ['dist/src/main.js'],
  outfile: OUT,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Native addon and WebAssembly package: loaded from node_modules as usual.
  external: ['better-sqlite3', '@cdktf/hcl2json'],
  // The sources resolve files against import.meta.url; the bundle sits at
  // the same depth under dist/src/ as they do, so the same relative paths hold.
  define: { 'import.meta.url': '__lvImportMetaUrl' },
  banner: { js: "const __lvImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [lazyRequire],
  logLevel: 'warning'
})

// A dynamic import with a computed specifier would fail at run time only.
if (/\bimport\(\s*(?!['"`])/.test(readFileSync(OUT, 'utf8').replace(/\/\*[\s\S]*?\*\//g, ''))) {
  throw new Error(`${OUT} still contains a dynamic import(); see lazyRequire above`)
}

// The code cache: start a dev server on a free port once, so the functions
// start-up runs are compiled too, then save V8's cache for the script.
const warm = `
import { writeFileSync } from 'node:fs'
import { CODE_CACHE, loadBundle } from './bin/load-bundle.js'
const { exports, script } = loadBundle()
await exports.main(['server', '-dev', '-dev-listen-address=127.0.0.1:0', '-log-level=error'])
writeFileSync(CODE_CACHE, script.createCachedData())
process.exit(0)
`
const result = spawnSync(process.execPath, ['--input-type=module', '-e', warm], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 60_000 })
if (result.status !== 0) {
  // Not fatal: without a cache the bundle is compiled at each start.
  process.stderr.write(`bundle: no code cache written (exit ${result.status ?? result.signal})\n`)
}
