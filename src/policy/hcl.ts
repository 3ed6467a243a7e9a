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
    const message = err instanceof Error ? err.message : String(err)
    throw new HclError(message.replace(/^parse config: /, ''))
  }
}
