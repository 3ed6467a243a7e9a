/** Every area of the suite, in the order they run. */
import type { Area } from '../lib/harness.js'
import { httpArea } from './http.js'
import { sysArea } from './sys.js'
import { kvArea } from './kv.js'
import { transitArea } from './transit.js'
import { tokenArea } from './token.js'
import { policyArea } from './policy.js'
import { crossServerArea } from './cross-server.js'

export const areas: Area[] = [httpArea, sysArea, kvArea, transitArea, tokenArea, policyArea, crossServerArea]
