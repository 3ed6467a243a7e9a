/**
 * The unauthenticated status endpoints Vault serves outside the logical
 * pipeline (http/sys_health.go, sys_seal.go, sys_init.go, sys_leader.go):
 * bare JSON bodies, no envelope.
 */
import { VaultError } from '../../errors/index.js'
import { parseGoBool } from '../../engines/fields.js'
import { serverVersion } from '../../mounts/index.js'
import type { EngineRequest, EngineResponse, PathSpec } from '../../engines/engine.js'
import type { SystemDeps } from '../deps.js'

/** The date OpenBao/Vault report as their build or commit date. */
const BUILD_DATE = '2026-11-01T00:00:00Z'

function queryInt (req: EngineRequest, name: string, fallback: number): number {
  const raw = req.data.raw[name]
  if (raw === undefined) return fallback
  const text = Array.isArray(raw) ? String(raw[0]) : String(raw)
  // Go's strconv.Atoi: optional sign, decimal digits only.
  if (!/^[+-]?\d+$/.test(text)) throw new VaultError('invalidRequest', [])
  return Number(text)
}

function health (deps: SystemDeps, req: EngineRequest): EngineResponse {
  const standbyRaw = req.data.raw.standbyok
  if (standbyRaw !== undefined) {
    const text = Array.isArray(standbyRaw) ? String(standbyRaw[0]) : String(standbyRaw)
    // The reason is only logged; the client gets 400 {"errors":[]} (http/sys_health.go).
    if (parseGoBool(text) === undefined) throw new VaultError('invalidRequest', [])
  }
  const codes = {
    uninit: queryInt(req, 'uninitcode', 501),
    sealed: queryInt(req, 'sealedcode', 503),
    standby: queryInt(req, 'standbycode', 429),
    active: queryInt(req, 'activecode', 200)
  }
  if (req.flavor === 'vault') {
    for (const name of ['perfstandbyok']) {
      const raw = req.data.raw[name]
      if (raw !== undefined && parseGoBool(String(Array.isArray(raw) ? raw[0] : raw)) === undefined) {
        throw new VaultError('invalidRequest', [])
      }
    }
    for (const name of ['drsecondarycode', 'performancestandbycode', 'haunhealthycode', 'removedcode']) {
      queryInt(req, name, 0)
    }
  }
  const sealed = deps.isSealed
  const body: Record<string, unknown> = {
    initialized: true,
    sealed,
    standby: false
  }
  if (req.flavor === 'vault') body.performance_standby = false
  body.replication_performance_mode = 'disabled'
  body.replication_dr_mode = 'disabled'
  body.server_time_utc = Math.floor(req.clock.now() / 1000)
  body.version = serverVersion(req.flavor)
  if (req.flavor === 'vault') body.enterprise = false
  if (!sealed) {
    body.cluster_name = deps.cluster.name
    body.cluster_id = deps.cluster.id
  }
  return { data: body, status: sealed ? codes.sealed : codes.active, bare: true }
}

function sealStatus (deps: SystemDeps, req: EngineRequest): EngineResponse {
  const sealed = deps.isSealed
  const cluster = sealed ? {} : { cluster_name: deps.cluster.name, cluster_id: deps.cluster.id }
  if (req.flavor === 'openbao') {
    return {
      bare: true,
      status: 200,
      data: {
        type: 'shamir', initialized: true, sealed, t: 1, n: 1, progress: 0, nonce: '',
        recovery_seal: false, version: serverVersion(req.flavor), commit_date: BUILD_DATE,
        migration: false, ...cluster, storage_type: 'inmem'
      }
    }
  }
  return {
    bare: true,
    status: 200,
    data: {
      type: 'shamir', initialized: true, sealed, t: 1, n: 1, progress: 0, nonce: '',
      version: serverVersion(req.flavor), build_date: BUILD_DATE, migration: false,
      ...cluster, recovery_seal: false, storage_type: 'inmem'
    }
  }
}

function leader (req: EngineRequest): EngineResponse {
  if (req.flavor === 'openbao') return { bare: true, status: 200, data: { ha_enabled: false } }
  return {
    bare: true,
    status: 200,
    data: {
      ha_enabled: false,
      is_self: false,
      active_time: '0001-01-01T00:00:00Z',
      leader_address: '',
      leader_cluster_address: '',
      performance_standby: false,
      performance_standby_last_remote_wal: 0
    }
  }
}

export function healthPaths (deps: SystemDeps): PathSpec[] {
  return [
    {
      pattern: 'health',
      unauthenticated: true,
      operations: { read: (req) => health(deps, req) }
    },
    {
      pattern: 'seal-status',
      unauthenticated: true,
      operations: { read: (req) => sealStatus(deps, req) }
    },
    {
      pattern: 'init',
      unauthenticated: true,
      operations: { read: () => ({ bare: true, status: 200, data: { initialized: true } }) }
    },
    {
      pattern: 'leader',
      unauthenticated: true,
      operations: { read: (req) => leader(req) }
    }
  ]
}
