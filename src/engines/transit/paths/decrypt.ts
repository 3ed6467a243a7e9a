// decrypt/:name — decrypt one ciphertext or a batch (path_decrypt.go).
import { ordered } from '../../go-json.js'
import { NAME_PATTERN, type EngineRequest, type EngineResponse, type PathSpec } from '../../engine.js'
import { isSymmetric } from '../key-types.js'
import { CONTEXT_MIXED, ENCRYPTION_KEY_NOT_FOUND, nonAeadAssociatedData } from '../messages.js'
import { TransitError } from '../policy.js'
import { badRequest, batchResponse, decodeContextOrThrow, errorText, internal, type TransitContext } from './common.js'
import { requestItems } from './encrypt.js'

interface ItemResult {
  plaintext: string
  error?: string
}

function decrypt (ctx: TransitContext, req: EngineRequest): EngineResponse {
  const d = req.data
  let { items, batch } = requestItems(req, false)
  if (!batch) {
    const ciphertext = d.get<string>('ciphertext')
    if (ciphertext === '') throw badRequest('missing ciphertext to decrypt')
    items = [{
      ciphertext,
      context: d.get<string>('context'),
      associatedData: d.get<string>('associated_data'),
      plaintext: '',
      keyVersion: 0,
      reference: ''
    }]
  }

  const results: ItemResult[] = items.map(() => ({ plaintext: '' }))
  const contexts: Buffer[] = []
  const contextSet = items[0].context !== ''
  let userErr = false
  let internalErr = false
  for (let i = 0; i < items.length; i++) {
    const item = items[i]
    if ((item.context === '') === contextSet) throw badRequest(CONTEXT_MIXED)
    if (item.ciphertext === '') {
      userErr = true
      results[i].error = 'missing ciphertext to decrypt'
      continue
    }
    try {
      contexts[i] = decodeContextOrThrow(item.context)
    } catch (err) {
      userErr = true
      results[i].error = errorText(err)
    }
  }

  const p = ctx.keyring.get(req.params.name)
  if (p === undefined) throw badRequest(ENCRYPTION_KEY_NOT_FOUND)

  let successes = false
  for (let i = 0; i < items.length; i++) {
    if (results[i].error !== undefined) continue
    const item = items[i]
    let aad: string | undefined
    if (item.associatedData !== '') {
      if (!isSymmetric(p.type)) {
        // Quirk: this item error does not count as a failure for the status code.
        results[i].error = nonAeadAssociatedData(i, p.type)
        continue
      }
      aad = item.associatedData
    }
    try {
      results[i].plaintext = p.decrypt(contexts[i], item.ciphertext, aad).toString('base64')
      successes = true
    } catch (err) {
      if (err instanceof TransitError && err.kind === 'internal') internalErr = true
      else userErr = true
      results[i].error = errorText(err)
    }
  }

  if (!batch) {
    const r = results[0]
    if (r.error !== undefined) throw internalErr ? internal(r.error) : badRequest(r.error)
    return { data: { plaintext: r.plaintext } }
  }
  const batchResults = results.map((r, i) => ordered({ plaintext: r.plaintext, error: r.error, reference: items[i].reference }))
  return batchResponse(req, { batch_results: batchResults }, successes, userErr, internalErr, [])
}

export function decryptPaths (ctx: TransitContext): PathSpec[] {
  return [{
    pattern: `decrypt/(?<name>${NAME_PATTERN})`,
    fields: {
      name: { type: 'string' },
      ciphertext: { type: 'string' },
      context: { type: 'string' },
      partial_failure_response_code: { type: 'int' },
      associated_data: { type: 'string' },
      batch_input: { type: 'raw' }
    },
    operations: { update: (req) => decrypt(ctx, req) }
  }]
}
