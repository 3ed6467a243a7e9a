/** `delete/:path`: soft-delete listed versions (path_delete.go). */
import type { EngineRequest, PathSpec } from '../../engine.js'
import * as messages from '../messages.js'
import { isDeleted } from '../store.js'
import { requestedVersions, updateVersions, VERSIONS_FIELDS } from './versions.js'

function write (req: EngineRequest): null {
  const versions = requestedVersions(req, messages.NO_VERSIONS)
  const now = req.clock.now()
  updateVersions(req, versions, (vm) => {
    // Already deleted stays as it was; a future scheduled deletion moves to now.
    if (!isDeleted(vm, now)) vm.deletion = now
  })
  return null
}

export const deletePaths: PathSpec[] = [{
  pattern: 'delete/(?<path>.*)',
  fields: VERSIONS_FIELDS,
  operations: { update: write }
}]
