/**
 * Every declared field of every endpoint, sent with a value of the wrong
 * type: Vault's framework refuses each with 400 `error converting input
 * for field "<name>"`, before any handler runs. The endpoints and fields
 * come from the engines' own PathSpec tables, so a field added tomorrow is
 * covered without touching this file.
 */
import t from 'tap'
import { Agent, request } from 'undici'
import { loadEndpoints, samplePath, uncoercible, type Endpoint } from './lib/endpoints.js'
import { ROOT, startHardened } from './lib/fixture.js'

const CAPTURE_VALUES: Record<string, string> = {
  name: 'fz', path: 'fz', role_name: 'fz-role', plaintext: 'plaintext', type: 'encryption-key', version: '1', urlalgorithm: 'sha2-256', source: 'platform', urlbytes: '32'
}

function pathFor (ep: Endpoint): string | undefined {
  return samplePath(ep, (n) => CAPTURE_VALUES[n] ?? 'fz', () => false)
}

interface Probe {
  method: string
  path: string
  field: string
  value: unknown
  /** Whether Vault words the error without "Field validation failed: " (existence-check writes). */
  bare: boolean
}

function probes (endpoints: Endpoint[]): Probe[] {
  const out: Probe[] = []
  for (const ep of endpoints) {
    const path = pathFor(ep)
    if (path === undefined) continue
    const writes = ep.operations.includes('update') || ep.operations.includes('create')
    const patches = ep.operations.includes('patch')
    const reads = ep.operations.includes('read')
    for (const [field, spec] of Object.entries(ep.fields)) {
      if (ep.captures.includes(field)) continue
      for (const value of uncoercible(spec.type)) {
        if (writes) out.push({ method: 'POST', path, field, value, bare: ep.existenceCheck })
        else if (patches) out.push({ method: 'PATCH', path, field, value, bare: false })
        else if (reads && typeof value === 'string') out.push({ method: 'GET', path, field, value, bare: false })
      }
    }
  }
  return out
}

for (const flavor of ['vault', 'openbao'] as const) t.test(`${flavor}: a wrong-typed value for any declared field is a 400 naming it`, async (t) => {
  const { server } = await startHardened({ flavor })
  const agent = new Agent({ connections: 8 })
  t.teardown(async () => { await agent.close(); await server.close() })
  const endpoints = loadEndpoints(flavor)
  const list = probes(endpoints)
  t.ok(list.length > 100, `${list.length} probes over ${endpoints.length} endpoints`)

  let sent = 0
  const wrong: string[] = []
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < list.length) {
      const p = list[next++]
      const query = p.method === 'GET' ? `?${p.field}=${encodeURIComponent(String(p.value))}` : ''
      const headers: Record<string, string> = { 'x-vault-token': ROOT }
      if (p.method === 'PATCH') headers['content-type'] = 'application/merge-patch+json'
      const res = await request(`${server.address}/v1/${p.path}${query}`, {
        method: p.method as 'GET',
        headers,
        body: p.method === 'GET' ? undefined : JSON.stringify({ [p.field]: p.value }),
        dispatcher: agent
      })
      const text = await res.body.text()
      sent++
      const expected = `error converting input for field ${JSON.stringify(p.field)}`
      let first = ''
      try { first = JSON.parse(text).errors?.[0] ?? '' } catch {}
      const prefixOk = p.bare ? first.startsWith(expected) : first.startsWith(`Field validation failed: ${expected}`)
      if (res.statusCode !== 400 || !prefixOk) {
        wrong.push(`${p.method} ${p.path} ${JSON.stringify({ [p.field]: p.value })} -> ${res.statusCode} ${text.slice(0, 200)}`)
      }
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker))
  t.comment(`field types: sent ${sent} requests`)
  t.same(wrong, [], 'every probe answered 400 naming its field')
})
