/** `destroy/:path`: permanently erase listed versions' data (path_destroy.go). */
import type { EngineRequest, PathSpec } from '../../engine.js'
import * as messages from '../messages.js'
import { requestedVersions, updateVersions, VERSIONS_FIELDS } from './versions.js'

function write (req: EngineRequest): null {
  const versions = requestedVersions(req, messages.NO_VERSIONS_DESTROY)
  updateVersions(req, versions, (vm, version, meta, store) => {
    // deletion_time is kept as it was; destroyed is the marker.
    vm.destroyed = true
    store.deleteVersionData(meta.key, version)
  })
  return null
}

export const destroyPaths: PathSpec[] = [{
  pattern: 'destroy/(?<path>.*)',
  fields: VERSIONS_FIELDS,
  operations: { update: write }
}]
