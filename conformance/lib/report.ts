/**
 * The parity table: per endpoint, how many cases ran and passed against
 * which server, as Markdown and JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Target } from './harness.js'

export type Outcome = 'pass' | 'fail' | 'gap' | 'xpass' | 'skip' | 'na'

export interface CaseResult {
  area: string
  endpoint: string
  title: string
  outcome: Outcome
  /** Failure text, skip reason or gap reason. */
  detail?: string
  ms: number
}

export interface Totals {
  passed: number
  failed: number
  /** Known localvault gaps that still fail (not fatal). */
  gaps: number
  /** Could not run here (engine missing, no second server). */
  skipped: number
  /** Not meaningful on this server family. */
  notApplicable: number
}

export interface EndpointRow {
  endpoint: string
  cases: number
  passed: number
  failed: number
  gaps: number
  skipped: number
}

export function totalsOf (results: CaseResult[]): Totals {
  const count = (o: Outcome[]): number => results.filter((r) => o.includes(r.outcome)).length
  return {
    passed: count(['pass', 'xpass']),
    failed: count(['fail']),
    gaps: count(['gap']),
    skipped: count(['skip']),
    notApplicable: count(['na'])
  }
}

export function rowsOf (results: CaseResult[]): EndpointRow[] {
  const rows = new Map<string, EndpointRow>()
  for (const r of results) {
    if (r.outcome === 'na') continue
    const row = rows.get(r.endpoint) ?? { endpoint: r.endpoint, cases: 0, passed: 0, failed: 0, gaps: 0, skipped: 0 }
    row.cases += 1
    if (r.outcome === 'pass' || r.outcome === 'xpass') row.passed += 1
    if (r.outcome === 'fail') row.failed += 1
    if (r.outcome === 'gap') row.gaps += 1
    if (r.outcome === 'skip') row.skipped += 1
    rows.set(r.endpoint, row)
  }
  const pathOf = (e: string): string => e.slice(e.indexOf(' ') + 1)
  return [...rows.values()].sort((a, b) =>
    pathOf(a.endpoint) < pathOf(b.endpoint)
      ? -1
      : pathOf(a.endpoint) > pathOf(b.endpoint) ? 1 : a.endpoint < b.endpoint ? -1 : 1)
}

function serverName (t: Target): string {
  const family = t.flavor === 'openbao' ? 'OpenBao' : 'Vault'
  return t.isLocalvault ? `localvault imitating ${family} (${t.version})` : `${family} ${t.version}`
}

export interface Report {
  date: string
  runId: string
  server: { name: string, flavor: string, version: string, localvault: boolean }
  secondServer: { name: string, flavor: string, version: string, localvault: boolean } | null
  totals: Totals
  endpoints: EndpointRow[]
  cases: CaseResult[]
}

export function buildReport (runId: string, targets: Target[], results: CaseResult[], date: Date): Report {
  const desc = (t: Target): Report['server'] => ({
    name: serverName(t), flavor: t.flavor, version: t.version, localvault: t.isLocalvault
  })
  return {
    date: date.toISOString(),
    runId,
    server: desc(targets[0]),
    secondServer: targets[1] === undefined ? null : desc(targets[1]),
    totals: totalsOf(results),
    endpoints: rowsOf(results),
    cases: results
  }
}

function mdEscape (s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

export function toMarkdown (r: Report): string {
  const lines: string[] = []
  lines.push(`# Conformance parity: ${r.server.name}`)
  lines.push('')
  lines.push(`- date: ${r.date}`)
  if (r.secondServer !== null) lines.push(`- second server (cross-server cases): ${r.secondServer.name}`)
  const t = r.totals
  lines.push(`- ${t.passed} passed, ${t.failed} failed, ${t.gaps} known gaps, ${t.skipped} skipped, ` +
    `${t.notApplicable} not applicable to this server family`)
  lines.push('')
  lines.push('| endpoint | cases | passed | failed | known gaps | skipped |')
  lines.push('|---|---:|---:|---:|---:|---:|')
  for (const row of r.endpoints) {
    lines.push(`| \`${mdEscape(row.endpoint)}\` | ${row.cases} | ${row.passed} | ${row.failed} | ${row.gaps} | ${row.skipped} |`)
  }
  const notable = r.cases.filter((c) => c.outcome !== 'pass' && c.outcome !== 'na')
  if (notable.length > 0) {
    lines.push('')
    lines.push('## Cases not passing')
    lines.push('')
    lines.push('| endpoint | case | outcome | detail |')
    lines.push('|---|---|---|---|')
    for (const c of notable) {
      const detail = (c.detail ?? '').split('\n')[0]
      lines.push(`| \`${mdEscape(c.endpoint)}\` | ${mdEscape(c.title)} | ${c.outcome} | ${mdEscape(detail.slice(0, 300))} |`)
    }
  }
  lines.push('')
  return lines.join('\n')
}

/** Write latest.{md,json}; for a real server also `<family>-<version>.{md,json}` (committed by hand). */
export function writeReport (dir: string, r: Report): string[] {
  mkdirSync(dir, { recursive: true })
  const written: string[] = []
  const put = (base: string): void => {
    writeFileSync(join(dir, `${base}.md`), toMarkdown(r))
    writeFileSync(join(dir, `${base}.json`), JSON.stringify(r, null, 2) + '\n')
    written.push(join(dir, `${base}.md`), join(dir, `${base}.json`))
  }
  put('latest')
  if (!r.server.localvault) {
    const version = r.server.version.replace(/[^0-9A-Za-z.+-]/g, '_')
    put(`${r.server.flavor}-${version}`)
  }
  return written
}
