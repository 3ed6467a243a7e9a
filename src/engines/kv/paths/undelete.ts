/** `undelete/:path`: restore listed versions (path_delete.go). */
import type { EngineRequest, PathSpec } from '../../engine.js'
import * as messages from '../messages.js'
import { KvStore, scheduledDeletion } from '../store.js'
import { requestedVersions, updateVersions, VERSIONS_FIELDS } from './versions.js'

function write (req: EngineRequest): null {
  const versions = requestedVersions(req, messages.NO_VERSIONS)
  const config = new KvStore(req.storage).config()
  const now = req.clock.now()
  // An applicable delete_version_after re-arms from now.
  updateVersions(req, versions, (vm, _version, meta) => {
    vm.deletion = scheduledDeletion(now, config, meta)
  })
  return null
}

export const undeletePaths: PathSpec[] = [{
  pattern: 'undelete/(?<path>.*)',
  fields: VERSIONS_FIELDS,
  operations: { update: write }
}]
