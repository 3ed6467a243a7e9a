/**
 * `config`: mount-wide KV v2 settings (max_versions, cas_required,
 * delete_version_after; OpenBao adds metadata_cas_required).
 */
import { formatGoDuration } from '../../duration.js'
import type { EngineRequest, EngineResponse, PathSpec } from '../../engine.js'
import type { FieldSpecs } from '../../fields.js'
import { present } from '../body.js'
import { DVA_DISABLED, hasMetadataCas, KvStore } from '../store.js'

function fields (withMetadataCas: boolean): FieldSpecs {
  return {
    max_versions: { type: 'int' },
    cas_required: { type: 'bool' },
    delete_version_after: { type: 'signedDuration' },
    ...(withMetadataCas ? { metadata_cas_required: { type: 'bool' } } : {})
  }
}

function read (req: EngineRequest): EngineResponse {
  const config = new KvStore(req.storage).config()
  const data: Record<string, unknown> = {
    max_versions: config.max_versions,
    cas_required: config.cas_required,
    delete_version_after: formatGoDuration(config.delete_version_after)
  }
  if (hasMetadataCas(req.flavor)) data.metadata_cas_required = config.metadata_cas_required
  return { data }
}

function write (req: EngineRequest): null {
  const withMcas = hasMetadataCas(req.flavor)
  const maxOk = present(req, 'max_versions')
  const casOk = present(req, 'cas_required')
  const mcasOk = withMcas && present(req, 'metadata_cas_required')
  const dvaOk = present(req, 'delete_version_after', true)
  if (!maxOk && !casOk && !mcasOk && !dvaOk) return null

  const store = new KvStore(req.storage)
  const config = store.config()
  // Vault keeps max_versions as a uint32: a negative value wraps around.
  if (maxOk) config.max_versions = req.data.get<number>('max_versions') >>> 0
  if (casOk) config.cas_required = req.data.get<boolean>('cas_required')
  if (mcasOk) config.metadata_cas_required = req.data.get<boolean>('metadata_cas_required')
  if (dvaOk) {
    const dva = req.data.get<number>('delete_version_after')
    config.delete_version_after = dva < 0 ? DVA_DISABLED : dva
  }
  store.putConfig(config)
  return null
}

export function configPaths (flavor: EngineRequest['flavor']): PathSpec[] {
  return [{
    pattern: 'config',
    fields: fields(hasMetadataCas(flavor)),
    operations: { read, update: write }
  }]
}
