// hash(/:algorithm) — plain digests of base64 input (path_hash.go).
import { createHash } from 'node:crypto'
import { decodeStdBase64 } from '../../../crypto/base64.js'
import type { EngineRequest, EngineResponse, PathSpec } from '../../engine.js'
import { badRequest } from './common.js'

const ALGORITHMS: Record<string, string> = {
  'sha2-224': 'sha224',
  'sha2-256': 'sha256',
  'sha2-384': 'sha384',
  'sha2-512': 'sha512',
  'sha3-224': 'sha3-224',
  'sha3-256': 'sha3-256',
  'sha3-384': 'sha3-384',
  'sha3-512': 'sha3-512'
}

function hash (req: EngineRequest): EngineResponse {
  const d = req.data
  if (!Object.hasOwn(d.raw, 'input')) throw badRequest('input missing')
  const format = d.get<string>('format')
  const algorithm = req.params.urlalgorithm ?? d.get<string>('algorithm')
  let input: Buffer
  try {
    input = decodeStdBase64(d.get<string>('input'))
  } catch (err) {
    throw badRequest(`unable to decode input as base64: ${(err as Error).message}`)
  }
  if (format !== 'hex' && format !== 'base64') throw badRequest(`unsupported encoding format ${format}; must be "hex" or "base64"`)
  const node = ALGORITHMS[algorithm]
  if (node === undefined) throw badRequest(`unsupported algorithm ${algorithm}`)
  return { data: { sum: createHash(node).update(input).digest(format) } }
}

export function hashPaths (): PathSpec[] {
  return [{
    pattern: 'hash(?:/(?<urlalgorithm>.+))?',
    fields: {
      input: { type: 'string' },
      algorithm: { type: 'string', default: 'sha2-256' },
      urlalgorithm: { type: 'string' },
      format: { type: 'string', default: 'hex' }
    },
    operations: { update: hash }
  }]
}
