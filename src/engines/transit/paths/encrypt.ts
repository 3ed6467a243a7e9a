// encrypt/:name — encrypt one plaintext or a batch, creating the key if needed (path_encrypt.go).
import { decodeStdBase64 } from '../../../crypto/base64.js'
import { ordered } from '../../go-json.js'
import { NAME_PATTERN, type EngineRequest, type EngineResponse, type PathSpec } from '../../engine.js'
import { isEcdsa, isKnownKeyType, isSymmetric, type KeyType } from '../key-types.js'
import { CONTEXT_MIXED, ENCRYPTION_KEY_NOT_FOUND, MISSING_BATCH, nonAeadAssociatedData, unknownKeyType } from '../messages.js'
import { TransitError, type Policy } from '../policy.js'
import { readConfigKeys } from './config-keys.js'
import { badRequest, batchResponse, decodeBatchItems, errorText, internal, type BatchItem, type TransitContext } from './common.js'
import { upsertKey } from './keys.js'

interface ItemResult {
  ciphertext?: string
  keyVersion?: number
  error?: string
}

/** Items of a batch (or the single request as one item); `batch` tells which. */
export function requestItems (req: EngineRequest, requirePlaintext: boolean): { items: BatchItem[], batch: boolean } {
  const raw = req.data.raw.batch_input
  if (raw !== undefined && raw !== null) {
    const items = decodeBatchItems(raw, requirePlaintext, !requirePlaintext)
    if (items.length === 0) throw badRequest(MISSING_BATCH)
    return { items, batch: true }
  }
  return { items: [], batch: false }
}

async function policyForEncrypt (ctx: TransitContext, req: EngineRequest, contextSet: boolean): Promise<Policy | undefined> {
  const name = req.params.name
  if (req.operation !== 'create') return ctx.keyring.get(name)
  const convergent = req.data.get<boolean>('convergent_encryption')
  if (convergent && !contextSet) {
    throw badRequest('convergent encryption requires derivation to be enabled, so context is required')
  }
  const upsert = !readConfigKeys(ctx).disable_upsert
  const type = req.data.get<string>('type')
  if (!isKnownKeyType(type, ctx.flavor) || !isSymmetric(type)) {
    if (isKnownKeyType(type, ctx.flavor) && isEcdsa(type)) throw badRequest(`key type ${type} not supported for this operation`)
    throw badRequest(unknownKeyType(type))
  }
  if (!upsert) return ctx.keyring.get(name)
  const { policy } = await upsertKey(ctx, { name, type: type as KeyType, derived: contextSet, convergent })
  return policy
}

async function encrypt (ctx: TransitContext, req: EngineRequest): Promise<EngineResponse> {
  const d = req.data
  let { items, batch } = requestItems(req, true)
  if (!batch) {
    if (!Object.hasOwn(d.raw, 'plaintext')) throw badRequest('missing plaintext to encrypt')
    items = [{
      plaintext: d.get<string>('plaintext'),
      context: d.get<string>('context'),
      keyVersion: d.get<number>('key_version'),
      associatedData: d.get<string>('associated_data'),
      ciphertext: '',
      reference: ''
    }]
  }

  const results: ItemResult[] = items.map(() => ({}))
  const plaintexts: Buffer[] = []
  const contexts: Buffer[] = []
  const contextSet = items[0].context !== ''
  let userErr = false
  let internalErr = false
  for (let i = 0; i < items.length; i++) {
    const item = items[i]
    if ((item.context === '') === contextSet) throw badRequest(CONTEXT_MIXED)
    try {
      plaintexts[i] = decodeStdBase64(item.plaintext)
      contexts[i] = item.context === '' ? Buffer.alloc(0) : decodeStdBase64(item.context)
    } catch (err) {
      userErr = true
      results[i].error = errorText(err)
    }
  }

  // Note: the key is looked up (and auto-created) even when every item failed to decode, as Vault does.
  const p = await policyForEncrypt(ctx, req, contextSet)
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
      results[i].ciphertext = p.encrypt(item.keyVersion, contexts[i], plaintexts[i], aad, ctx.random)
      results[i].keyVersion = item.keyVersion === 0 ? p.latestVersion : item.keyVersion
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
    return { data: { ciphertext: r.ciphertext, key_version: r.keyVersion } }
  }
  const batchResults = results.map((r, i) => ordered({
    ciphertext: r.ciphertext,
    key_version: r.keyVersion,
    error: r.error,
    reference: items[i].reference
  }))
  return batchResponse(req, { batch_results: batchResults }, successes, userErr, internalErr, [])
}

export function encryptPaths (ctx: TransitContext): PathSpec[] {
  return [{
    pattern: `encrypt/(?<name>${NAME_PATTERN})`,
    fields: {
      name: { type: 'string' },
      plaintext: { type: 'string' },
      context: { type: 'string' },
      type: { type: 'string', default: 'aes256-gcm96' },
      convergent_encryption: { type: 'bool' },
      key_version: { type: 'int' },
      partial_failure_response_code: { type: 'int' },
      associated_data: { type: 'string' },
      batch_input: { type: 'raw' }
    },
    // A missing key turns the write into `create`: only a token allowed to
    // create may auto-create the key (Vault's pathEncryptExistenceCheck).
    existenceCheck: (req) => ctx.keyring.has(req.params.name),
    operations: { update: async (req) => await encrypt(ctx, req) }
  }]
}

