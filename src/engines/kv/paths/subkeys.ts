/** `subkeys/:path`: a version's structure with every leaf value nulled (path_subkeys.go). */
import type { EngineRequest, EngineResponse, PathSpec } from '../../engine.js'
import { isGoObject, type GoObject, type GoValue } from '../../go-value.js'
import { KvStore, versionWire } from '../store.js'
import { decodeVersionData, isUnreadable } from './data.js'

/**
 * Replace leaves with null, walking objects down to `maxDepth` levels
 * (0 = no limit); an empty object counts as a leaf.
 */
export function removeValues (input: GoObject, maxDepth: number): void {
  const walk = (obj: GoObject, depth: number): void => {
    for (const k of Object.keys(obj)) {
      const v = obj[k]
      const next = depth + 1
      if (isGoObject(v) && (maxDepth === 0 || next <= maxDepth) && Object.keys(v).length > 0) walk(v, next)
      else obj[k] = null
    }
  }
  walk(input, 1)
}

function read (req: EngineRequest): EngineResponse | null {
  const key = req.params.path
  const store = new KvStore(req.storage)
  const meta = store.meta(key)
  if (meta === undefined) return null
  const requested = req.data.get<number>('version')
  const version = requested > 0 ? requested : meta.current_version
  const vm = meta.versions[String(version)]
  if (vm === undefined) return null

  const metadata = versionWire(version, vm, meta)
  if (isUnreadable(vm, req.clock.now())) return { status: 404, data: { subkeys: null, metadata } }
  const data: GoValue = decodeVersionData(store, key, version)
  if (isGoObject(data)) removeValues(data, req.data.get<number>('depth'))
  return { data: { subkeys: data, metadata } }
}

export const subkeysPaths: PathSpec[] = [{
  pattern: 'subkeys/(?<path>.*)',
  fields: {
    path: { type: 'string' },
    depth: { type: 'int' },
    version: { type: 'int' }
  },
  operations: { read }
}]
