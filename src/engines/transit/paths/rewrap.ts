// rewrap/:name — decrypt and re-encrypt with the latest (or given) version (path_rewrap.go).
import { ordered } from '../../go-json.js'
import { NAME_PATTERN, type EngineRequest, type EngineResponse, type PathSpec } from '../../engine.js'
import { CONTEXT_MIXED, ENCRYPTION_KEY_NOT_FOUND } from '../messages.js'
import { TransitError } from '../policy.js'
import { badRequest, decodeContextOrThrow, errorText, internal, type TransitContext } from './common.js'
import { requestItems } from './encrypt.js'

interface ItemResult {
  ciphertext?: string
  keyVersion?: number
  error?: string
}

function rewrap (ctx: TransitContext, req: EngineRequest): EngineResponse {
  const d = req.data
  let { items, batch } = requestItems(req, false)
  if (!batch) {
    const ciphertext = d.get<string>('ciphertext')
    if (ciphertext === '') throw badRequest('missing ciphertext to decrypt')
    items = [{
      ciphertext,
      context: d.get<string>('context'),
      keyVersion: d.get<number>('key_version'),
      plaintext: '',
      associatedData: '',
      reference: ''
    }]
  }

  const results: ItemResult[] = items.map(() => ({}))
  const contexts: Buffer[] = []
  const contextSet = items[0].context !== ''
  for (let i = 0; i < items.length; i++) {
    const item = items[i]
    if ((item.context === '') === contextSet) throw badRequest(CONTEXT_MIXED)
    if (item.ciphertext === '') {
      results[i].error = 'missing ciphertext to decrypt'
      continue
    }
    try {
      contexts[i] = decodeContextOrThrow(item.context)
    } catch (err) {
      results[i].error = errorText(err)
    }
  }

  const p = ctx.keyring.get(req.params.name)
  if (p === undefined) throw badRequest(ENCRYPTION_KEY_NOT_FOUND)

  for (let i = 0; i < items.length; i++) {
    if (results[i].error !== undefined) continue
    const item = items[i]
    // Only user errors stay inside the item; anything else fails the whole call.
    try {
      const plaintext = p.decrypt(contexts[i], item.ciphertext, undefined)
      results[i].ciphertext = p.encrypt(item.keyVersion, contexts[i], plaintext, undefined, ctx.random)
      results[i].keyVersion = item.keyVersion === 0 ? p.latestVersion : item.keyVersion
    } catch (err) {
      if (err instanceof TransitError && err.kind === 'user') {
        results[i].error = err.message
        continue
      }
      throw internal(errorText(err))
    }
  }

  if (!batch) {
    const r = results[0]
    if (r.error !== undefined) throw badRequest(r.error)
    return { data: { ciphertext: r.ciphertext, key_version: r.keyVersion } }
  }
  return {
    data: {
      batch_results: results.map((r, i) => ordered({
        ciphertext: r.ciphertext,
        key_version: r.keyVersion,
        error: r.error,
        reference: items[i].reference
      }))
    }
  }
}

export function rewrapPaths (ctx: TransitContext): PathSpec[] {
  return [{
    pattern: `rewrap/(?<name>${NAME_PATTERN})`,
    fields: {
      name: { type: 'string' },
      ciphertext: { type: 'string' },
      context: { type: 'string' },
      key_version: { type: 'int' },
      batch_input: { type: 'raw' }
    },
    operations: { update: (req) => rewrap(ctx, req) }
  }]
}
