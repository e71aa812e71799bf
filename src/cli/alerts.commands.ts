/**
 * `prognos alerts …` and `prognos rules …`: clients of a running platform's API (like
 * `simulate`), so they work while `start` holds the data directory.
 */
import { readFileSync } from 'node:fs'
import type { Command } from 'commander'

interface Conn {
  url?: string
  key?: string
  json?: boolean
}

const out = (s: string): void => {
  process.stdout.write(`${s}\n`)
}

function fail(message: string, code = 1): never {
  process.stderr.write(`prognos: ${message}\n`)
  process.exit(code)
}

/** Calls the API; exits with the API's message on an error answer. */
async function call<T>(o: Conn, method: string, path: string, body?: unknown): Promise<T> {
  const url = o.url ?? process.env.PROGNOS_URL
  const key = o.key ?? process.env.PROGNOS_API_KEY
  if (!url) fail('give the platform URL: --url http://127.0.0.1:8080 (or PROGNOS_URL)', 2)
  if (!key) fail("give an API key: --key (or PROGNOS_API_KEY); create one with 'prognos keys create --name cli --role operator'", 2)
  let res: Response
  try {
    res = await fetch(`${url.replace(/\/$/, '')}${path}`, {
      method,
      headers: { 'x-api-key': key, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    })
  } catch (err) {
    fail(`cannot reach ${url}: ${(err as Error & { cause?: { code?: string } }).cause?.code ?? (err as Error).message}`)
  }
  const text = await res.text()
  const json = text ? (JSON.parse(text) as unknown) : null
  if (!res.ok) {
    const e = json as { code?: string; message?: string; details?: { field: string; reason: string }[] } | null
    const details = e?.details?.map((d) => `\n  - ${d.field}: ${d.reason}`).join('') ?? ''
    fail(`${e?.code ?? res.status}: ${e?.message ?? text}${details}`)
  }
  return json as T
}

const conn = (c: Command): Command => c.option('--url <url>', 'platform base URL (or PROGNOS_URL)').option('--key <apiKey>', 'API key (or PROGNOS_API_KEY)').option('--json', 'print JSON')

const iso = (ts: number | null | undefined): string => (ts ? new Date(ts).toISOString().replace('.000Z', 'Z') : '-')

interface AlertRow {
  id: string
  state: string
  severity: string
  assetId: string
  ruleName: string
  message: string
  openedAt: number | null
  startedAt: number
}

/** Parses a duration like 2h or 30m into ms (for --for). */
function durationMs(s: string): number {
  const m = /^(\d+)(s|m|h|d)$/.exec(s.trim())
  if (!m) fail(`'${s}' is not a duration: use e.g. 30m, 2h, 1d`, 2)
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd']
}

/** Registers `alerts` and `rules`. */
export function registerAlertsCommands(program: Command): void {
  const alerts = program.command('alerts').description('list, acknowledge, resolve and silence alerts of a running platform')
  conn(alerts.command('list'))
    .description('list alerts (default: the active ones)')
    .option('--state <state>', 'active, open, acknowledged or resolved', 'active')
    .option('--severity <severity>', 'info, warning or critical')
    .option('--asset <id>', 'only this asset')
    .option('--limit <n>', 'at most this many', '100')
    .action(async (o: Conn & { state: string; severity?: string; asset?: string; limit: string }) => {
      const q = new URLSearchParams({ state: o.state, limit: o.limit, ...(o.severity ? { severity: o.severity } : {}), ...(o.asset ? { assetId: o.asset } : {}) })
      const { items } = await call<{ items: AlertRow[] }>(o, 'GET', `/v1/alerts?${q}`)
      if (o.json) return out(JSON.stringify(items))
      if (items.length === 0) return out('no alerts')
      for (const a of items) out(`${a.id}  ${a.state.padEnd(12)} ${a.severity.padEnd(8)} ${a.assetId.padEnd(16)} ${iso(a.openedAt ?? a.startedAt)}  ${a.message}`)
    })
  for (const [verb, path, what] of [
    ['ack', 'ack', 'acknowledge an open alert'],
    ['resolve', 'resolve', 'resolve an alert by hand'],
  ] as const) {
    conn(alerts.command(verb))
      .description(what)
      .argument('<id>', 'alert id')
      .action(async (id: string, o: Conn) => {
        const a = await call<AlertRow>(o, 'POST', `/v1/alerts/${encodeURIComponent(id)}/${path}`)
        out(o.json ? JSON.stringify(a) : `${a.id} is ${a.state}`)
      })
  }
  conn(alerts.command('silence'))
    .description('silence notifications for an alert, an asset or a site (or, with --maintenance, keep alerts from opening)')
    .option('--alert <id>', "this alert: its rule on its asset")
    .option('--asset <id>', 'the asset')
    .option('--site <id>', 'the site')
    .option('--rule <id>', 'only this rule')
    .option('--for <duration>', 'how long, e.g. 2h', '1h')
    .option('--reason <text>', 'why', '')
    .option('--maintenance', 'a maintenance window: alerts do not open at all')
    .action(async (o: Conn & { alert?: string; asset?: string; site?: string; rule?: string; for: string; reason: string; maintenance?: boolean }) => {
      if (o.alert) {
        if (o.asset || o.site || o.rule || o.maintenance) fail('--alert takes no --asset, --site, --rule or --maintenance: it silences that alert\'s rule on its asset', 2)
        const s = await call<{ id: string; endsAt: number }>(o, 'POST', `/v1/alerts/${encodeURIComponent(o.alert)}/silence`, { hours: durationMs(o.for) / 3_600_000, ...(o.reason ? { reason: o.reason } : {}) })
        return out(o.json ? JSON.stringify(s) : `silence ${s.id} until ${iso(s.endsAt)}`)
      }
      if (!o.asset && !o.site) fail('give --alert, --asset or --site', 2)
      const s = await call<{ id: string; endsAt: number }>(o, 'POST', '/v1/silences', {
        kind: o.maintenance ? 'maintenance' : 'silence',
        ...(o.asset ? { assetId: o.asset } : {}),
        ...(o.site ? { siteId: o.site } : {}),
        ...(o.rule ? { ruleId: o.rule } : {}),
        endsAt: Date.now() + durationMs(o.for),
        reason: o.reason,
      })
      out(o.json ? JSON.stringify(s) : `silence ${s.id} until ${iso(s.endsAt)}`)
    })

  const rules = program.command('rules').description('manage alert rules of a running platform (YAML files: a list of rules, or {rules: [...]})')
  conn(rules.command('list'))
    .description('list rules')
    .action(async (o: Conn) => {
      const { items } = await call<{ items: { id: string; name: string; kind: string; enabled: boolean; target?: string; warning?: number; critical?: number }[] }>(o, 'GET', '/v1/alert-rules')
      if (o.json) return out(JSON.stringify(items))
      for (const r of items) out(`${r.id.padEnd(34)} ${r.kind.padEnd(15)} ${(r.target ?? '').padEnd(14)} w=${r.warning ?? '-'} c=${r.critical ?? '-'}${r.enabled ? '' : ' (disabled)'}  ${r.name}`)
    })
  conn(rules.command('apply'))
    .description('create or replace the rules of a YAML file (all are validated before any is stored)')
    .argument('<file>', 'YAML file')
    .action(async (file: string, o: Conn) => {
      let yaml: string
      try {
        yaml = readFileSync(file, 'utf8')
      } catch (err) {
        fail(`cannot read ${file}: ${(err as Error).message}`, 2)
      }
      const { items } = await call<{ items: { id: string }[] }>(o, 'POST', '/v1/alert-rules/apply', { yaml })
      out(o.json ? JSON.stringify({ applied: items.map((r) => r.id) }) : `applied ${items.length} rule(s): ${items.map((r) => r.id).join(', ')}`)
    })
  conn(rules.command('delete'))
    .description('delete a rule (its open alerts resolve)')
    .argument('<id>', 'rule id')
    .action(async (id: string, o: Conn) => {
      await call(o, 'DELETE', `/v1/alert-rules/${encodeURIComponent(id)}`)
      out(o.json ? JSON.stringify({ deleted: id }) : `deleted ${id}`)
    })
}
