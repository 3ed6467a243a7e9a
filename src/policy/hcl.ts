/**
 * Policy text to a plain document: JSON when the text starts with `{` (as
 * Vault's hclutil.ParseConfig decides), HCL otherwise, through HashiCorp's
 * own HCL parser compiled to WebAssembly (@cdktf/hcl2json).
 */

/** A parse failure; `message` is what follows `failed to parse policy: `. */
export class HclError extends Error {}

type ParseFn = (filename: string, contents: string) => Promise<Record<string, unknown>>

let parser: Promise<ParseFn> | undefined

// The package starts its WebAssembly runtime when it is imported, so it is
// loaded on the first HCL policy only; a server that never parses HCL never
// pays for it. The specifier is a variable to keep its DOM-typed
// declarations out of this compilation.
async function hclParser (): Promise<ParseFn> {
  if (parser === undefined) {
    const specifier = '@cdktf/hcl2json'
    parser = import(specifier).then((mod: { parse?: ParseFn, default?: { parse: ParseFn } }) => {
      const fn = mod.parse ?? mod.default?.parse
      if (fn === undefined) throw new Error('@cdktf/hcl2json has no parse()')
      return fn
    })
  }
  return await parser
}

/** Whether Vault would read this text as JSON. */
export function isJsonPolicy (text: string): boolean {
  return text.trim().startsWith('{')
}

/**
 * Parse policy text. HCL blocks come back as hcl2json shapes them:
 * `path "x" { ... }` becomes `{ path: { x: [ {...} ] } }`.
 */
export async function parsePolicyDocument (text: string): Promise<Record<string, unknown>> {
  if (isJsonPolicy(text)) {
    try {
      const value: unknown = JSON.parse(text)
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new HclError('does not contain a root object')
      }
      return value as Record<string, unknown>
    } catch (err) {
      if (err instanceof HclError) throw err
      throw new HclError(`${(err as Error).message}`)
    }
  }
  const parse = await hclParser()
  try {
    return await parse('policy.hcl', text)
  } catch (err) {
    // HCL1, which Vault uses, accepts a block that opens on the same line
    // as its first attribute (`path "x" { capabilities = [...]` then more
    // lines); HCL2 does not. Retry with every brace on a line of its own;
    // if that fails too, report the original error.
    const spread = spreadBraces(text)
    if (spread !== text) {
      try {
        return await parse('policy.hcl', spread)
      } catch {}
    }
    const message = err instanceof Error ? err.message : String(err)
    throw new HclError(message.replace(/^parse config: /, ''))
  }
}

// HCL1 lets object items follow each other on one line (`"a" = [] "b" = []`);
// HCL2 needs a newline or comma between them.
function itemBreak (text: string, from: number): string {
  const rest = /^[ \t]*(.)/.exec(text.slice(from))
  return rest !== null && /["A-Za-z_]/.test(rest[1]) ? '\n' : ''
}

/**
 * Put a newline after every `{` and before every `}` that are HCL syntax
 * (not inside strings, comments or heredocs), and between object items
 * sharing a line. A lexical pass only: the HCL library still does all the
 * parsing.
 */
export function spreadBraces (text: string): string {
  let out = ''
  let i = 0
  while (i < text.length) {
    const c = text[i]
    const next = text[i + 1]
    if (c === '"') {
      let j = i + 1
      while (j < text.length && text[j] !== '"' && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1
      out += text.slice(i, j + 1) + itemBreak(text, j + 1)
      i = j + 1
    } else if (c === ']') {
      out += ']' + itemBreak(text, i + 1)
      i++
    } else if (c === '#' || (c === '/' && next === '/')) {
      const end = text.indexOf('\n', i)
      const stop = end < 0 ? text.length : end
      out += text.slice(i, stop)
      i = stop
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2)
      const stop = end < 0 ? text.length : end + 2
      out += text.slice(i, stop)
      i = stop
    } else if (c === '<' && next === '<') {
      const m = /^<<-?([A-Za-z_][A-Za-z0-9_-]*)\r?\n/.exec(text.slice(i))
      if (m === null) {
        out += c
        i++
        continue
      }
      const close = new RegExp(`\\n[ \\t]*${m[1]}[ \\t]*(?=\\r?\\n|$)`).exec(text.slice(i + m[0].length - 1))
      const stop = close === null ? text.length : i + m[0].length - 1 + close.index + close[0].length
      out += text.slice(i, stop)
      i = stop
    } else if (c === '{') {
      out += '{\n'
      i++
    } else if (c === '}') {
      out += '\n}' + itemBreak(text, i + 1)
      i++
    } else {
      out += c
      i++
    }
  }
  return out
}
