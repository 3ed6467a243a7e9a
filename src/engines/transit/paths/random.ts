// random(/:source)(/:bytes) — random bytes (helper/random/random_api.go).
import { NAME_PATTERN, type EngineRequest, type EngineResponse, type PathSpec } from '../../engine.js'
import { goAtoi } from '../policy.js'
import { badRequest, type TransitContext } from './common.js'

const MAX_BYTES = 128 * 1024

function isSource (s: string): boolean {
  return s === '' || s === 'platform' || s === 'seal' || s === 'all'
}

function atoiError (text: string): string {
  const range = /^[+-]?\d+$/.test(text)
  return `error parsing url-set byte count: strconv.Atoi: parsing ${JSON.stringify(text)}: ${range ? 'value out of range' : 'invalid syntax'}`
}

function random (ctx: TransitContext, req: EngineRequest): EngineResponse {
  const d = req.data
  // The URL captures replace body values of the same name, as in Vault.
  const urlSource = req.params.source ?? ''
  const urlBytes = req.params.urlbytes ?? ''
  let source = 'platform'
  let bytes: number
  if (urlSource === '') {
    bytes = d.get<number>('bytes')
  } else if (urlBytes === '' && isSource(urlSource)) {
    source = urlSource
    bytes = d.get<number>('bytes')
  } else if (urlBytes === '') {
    const n = goAtoi(urlSource)
    if (n === undefined) throw badRequest(atoiError(urlSource))
    bytes = n
  } else {
    source = urlSource
    const n = goAtoi(urlBytes)
    if (n === undefined) throw badRequest(atoiError(urlBytes))
    bytes = n
  }
  const format = d.get<string>('format')
  if (bytes < 1) throw badRequest("'bytes' cannot be less than 1")
  if (bytes > MAX_BYTES) throw badRequest(`'bytes' should be less than ${MAX_BYTES}`)
  if (format !== 'hex' && format !== 'base64') throw badRequest(`unsupported encoding format ${JSON.stringify(format)}; must be "hex" or "base64"`)
  const warnings: string[] = []
  if (source === 'seal') warnings.push('no seal/entropy augmentation available, using platform entropy source')
  else if (source !== 'platform' && source !== 'all' && source !== '') {
    throw badRequest(`unsupported entropy source ${JSON.stringify(source)}; must be "platform" or "seal", or "all"`)
  }
  return { data: { random_bytes: ctx.random.bytes(bytes).toString(format) }, warnings }
}

export function randomPaths (ctx: TransitContext): PathSpec[] {
  return [{
    pattern: `random(?:/(?<source>${NAME_PATTERN}))?(?:/(?<urlbytes>.+))?`,
    fields: {
      urlbytes: { type: 'string' },
      bytes: { type: 'int', default: 32 },
      format: { type: 'string', default: 'base64' },
      source: { type: 'string', default: 'platform' }
    },
    operations: { update: (req) => random(ctx, req) }
  }]
}
