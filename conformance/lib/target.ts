/**
 * Which servers the suite talks to: VAULT_ADDR/VAULT_TOKEN (and the _2
 * pair for cross-server cases), or localvault started in-process with the
 * flavor from LOCALVAULT_FLAVOR. Each server is identified by what it
 * reports, never by how it was started.
 */
import { Client } from './client.js'
import type { Flavor, Target } from './harness.js'

export interface Started {
  targets: Target[]
  stop: () => Promise<void>
}

/** Ask the server who it is: seal-status carries `commit_date` on OpenBao, `build_date` on Vault. */
export async function identify (label: string, addr: string, token: string): Promise<Target> {
  const api = new Client(addr, token)
  const res = await api.get('sys/seal-status', { noToken: true })
  const body = res.json as Record<string, unknown> | undefined
  if (res.status !== 200 || body === undefined || typeof body.version !== 'string') {
    throw new Error(`${addr}: sys/seal-status answered ${res.status} ${res.text.slice(0, 200)}`)
  }
  if (body.sealed === true) throw new Error(`${addr}: the server is sealed`)
  let flavor: Flavor
  if (Object.hasOwn(body, 'commit_date')) flavor = 'openbao'
  else if (Object.hasOwn(body, 'build_date')) flavor = 'vault'
  else throw new Error(`${addr}: seal-status has neither build_date nor commit_date`)
  const version = body.version
  const lookup = await api.get('auth/token/lookup-self')
  if (lookup.status !== 200) {
    throw new Error(`${addr}: the token is not usable (lookup-self answered ${lookup.status})`)
  }
  return { label, addr, flavor, version, isLocalvault: version.includes('+localvault'), api }
}

function flavorFromEnv (): Flavor {
  const raw = process.env.LOCALVAULT_FLAVOR ?? 'vault'
  if (raw !== 'vault' && raw !== 'openbao') throw new Error(`LOCALVAULT_FLAVOR must be vault or openbao, not ${raw}`)
  return raw
}

interface InProcess {
  address: string
  rootToken: string
  close: () => Promise<void>
}

async function startLocalvault (flavor: Flavor): Promise<InProcess> {
  // Loaded lazily: a run against a real server needs none of localvault.
  const mod = await import('../../src/start.js') as {
    startServer: (o: { port: number, flavor: Flavor, logLevel: 'silent' }) => Promise<InProcess>
  }
  return mod.startServer({ port: 0, flavor, logLevel: 'silent' })
}

/**
 * Resolve the targets. With VAULT_ADDR unset, localvault runs in-process;
 * the second server is VAULT_ADDR_2 when set, otherwise a second in-process
 * localvault when the first one is in-process too.
 */
export async function resolveTargets (): Promise<Started> {
  const stops: Array<() => Promise<void>> = []
  const stop = async (): Promise<void> => {
    for (const s of stops.reverse()) await s()
  }
  try {
    const targets: Target[] = []
    const addr = process.env.VAULT_ADDR ?? ''
    if (addr !== '') {
      targets.push(await identify('primary', addr, process.env.VAULT_TOKEN ?? ''))
    } else {
      const lv = await startLocalvault(flavorFromEnv())
      stops.push(lv.close)
      targets.push(await identify('primary', lv.address, lv.rootToken))
    }
    const addr2 = process.env.VAULT_ADDR_2 ?? ''
    if (addr2 !== '') {
      targets.push(await identify('secondary', addr2, process.env.VAULT_TOKEN_2 ?? ''))
    } else if (addr === '') {
      const lv2 = await startLocalvault(flavorFromEnv())
      stops.push(lv2.close)
      targets.push(await identify('secondary', lv2.address, lv2.rootToken))
    }
    return { targets, stop }
  } catch (err) {
    await stop()
    throw err
  }
}
