import { useMemo } from 'react'
import { getOptional, LATER, queryString, type LaterItem, type Optional, type Site } from '../api'
import { SiteMap, STATUS_COLOUR } from '../components/SiteMap'
import { STATUS_LABEL, STATUS_ORDER, summarise, type AssetStatus, type FleetSummary } from '../fleet'
import { assetsHref } from '../router'
import { useFleet } from '../useFleet'
import { usePoll } from '../usePoll'

const LATER_POLL_MS = 30_000
const SEVERITIES = ['critical', 'warning', 'info'] as const
/** Health index thresholds of the product brief: below 0.4 critical, below 0.7 warning. */
const HEALTH_BANDS = [
  { label: 'critical (< 0.4)', test: (v: number) => v < 0.4, colour: '#ff6b7d' },
  { label: 'warning (0.4–0.7)', test: (v: number) => v >= 0.4 && v < 0.7, colour: '#ffb357' },
  { label: 'healthy (≥ 0.7)', test: (v: number) => v >= 0.7, colour: '#73bf69' },
]

const NO_HEALTH_COLOUR = '#9da5b0'

const startOfToday = (): number => {
  const d = new Date()
  d.setHours(0, 0, 0, 0)
  return d.getTime()
}

function Kpi({ title, children, testId }: { title: string; children: React.ReactNode; testId: string }) {
  return (
    <section className="kpi" aria-label={title} data-testid={testId}>
      <h2 className="kpi-title">{title}</h2>
      {children}
    </section>
  )
}

/** A stacked bar with a legend; each part links where it can. */
function Distribution({ parts, total }: { parts: { label: string; count: number; colour: string; href?: string }[]; total: number }) {
  return (
    <>
      <div className="dist-bar" aria-hidden="true">
        {parts.map((p) => (p.count > 0 ? <span key={p.label} style={{ flexGrow: p.count, background: p.colour }} /> : null))}
      </div>
      <ul className="dist-legend">
        {parts.map((p) => (
          <li key={p.label}>
            <span className="swatch" style={{ background: p.colour }} />
            {p.href !== undefined && p.count > 0 ? <a href={p.href}>{p.label}</a> : p.label}
            <strong>{p.count}</strong>
            <span className="muted">{total === 0 ? '' : `${Math.round((100 * p.count) / total)} %`}</span>
          </li>
        ))}
      </ul>
    </>
  )
}

/** What an endpoint of a later feature gave: its figures, "not available yet", loading, or the error. */
function LaterState<T>({ state, absent, children }: { state: { data: Optional<T> | undefined; error: Error | undefined }; absent: string; children: (data: T) => React.ReactNode }) {
  if (state.data === undefined) return state.error === undefined ? <p className="muted">Loading…</p> : <p className="error">Could not load: {state.error.message}</p>
  if (!state.data.available) return <p className="muted not-available">{absent}</p>
  return <>{children(state.data.data)}</>
}

function countBy(items: readonly LaterItem[], field: 'severity' | 'kind'): Map<string, number> {
  const counts = new Map<string, number>()
  for (const item of items) {
    const key = String(item[field] ?? 'other')
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return counts
}

/** GET /v1/fleet/health as one item per asset that has a health score (`value` = health). */
async function fleetHealthItems(): Promise<Optional<{ items: LaterItem[] }>> {
  const r = await getOptional<{ assets: { assetId: string; ts: number | null; health: number | null }[] }>(LATER.fleetHealth)
  if (!r.available) return r
  const items = r.data.assets.flatMap((a) => (a.health === null ? [] : [{ assetId: a.assetId, value: a.health, ...(a.ts === null ? {} : { ts: a.ts }) }]))
  return { available: true, data: { items } }
}

/** The fleet at a glance: what is monitored, how it is doing, and where. */
export function OverviewPage() {
  const { items, sites, error, live } = useFleet()
  const health = usePoll(fleetHealthItems, LATER_POLL_MS, [])
  const alerts = usePoll(() => getOptional<{ items: LaterItem[] }>(`${LATER.alerts}${queryString({ state: 'open' })}`), LATER_POLL_MS, [])
  const today = usePoll(() => getOptional<{ items: LaterItem[] }>(`${LATER.predictions}${queryString({ from: startOfToday() })}`), LATER_POLL_MS, [])

  // Statuses age with the clock, so the summary is recomputed with each live update (once a second at most).
  const summary: FleetSummary<Site> | undefined = useMemo(
    () => (items === undefined || sites === undefined ? undefined : summarise(items, sites, Date.now())),
    [items, sites],
  )

  // Once health scores exist, the map colours each site by its lowest asset health instead of by ranges.
  const lowestHealth = useMemo(() => {
    const scores = health.data?.available ? health.data.data.items : []
    if (items === undefined || scores.length === 0) return null
    const siteOf = new Map(items.map((i) => [i.assetId, i.siteId]))
    const lowest = new Map<string, number>()
    for (const score of scores) {
      const site = score.assetId === undefined ? undefined : siteOf.get(score.assetId)
      if (site === undefined || site === null || typeof score.value !== 'number') continue
      lowest.set(site, Math.min(score.value, lowest.get(site) ?? Infinity))
    }
    return lowest
  }, [health.data, items])

  if (summary === undefined) {
    return error === undefined ? (
      <p className="state">Loading the fleet…</p>
    ) : (
      <p className="state error" role="alert">
        Could not load the fleet: {error.message}
      </p>
    )
  }

  return (
    <section aria-labelledby="overview-title" className="overview">
      <div className="toolbar">
        <h1 id="overview-title">Overview</h1>
        <span className={live ? 'live' : 'muted'} role="status">
          {live ? 'Live' : 'Connecting to live updates…'}
        </span>
        {error !== undefined && (
          <span className="error" role="status">
            Update failed ({error.message}), retrying…
          </span>
        )}
      </div>
      {summary.assets === 0 && (
        <p className="state">
          No assets yet — start with <code>prognos start --demo</code> or send readings to <code>POST /v1/ingest</code>.
        </p>
      )}
      <div className="kpis">
        <Kpi title="Assets monitored" testId="kpi-assets">
          <p className="kpi-figure">
            <a href={assetsHref()}>{summary.assets}</a>
          </p>
          <p className="muted">
            on {summary.sites.filter((s) => s.assets > 0).length} site{summary.sites.length === 1 ? '' : 's'}
            {summary.withoutSite > 0 && `, ${summary.withoutSite} without a site`}
          </p>
        </Kpi>
        <Kpi title="Latest values" testId="kpi-status">
          <Distribution
            total={summary.assets}
            parts={STATUS_ORDER.map((s: AssetStatus) => ({ label: STATUS_LABEL[s], count: summary.counts[s], colour: STATUS_COLOUR[s], href: assetsHref({ status: s }) }))}
          />
        </Kpi>
        <Kpi title="Health" testId="kpi-health">
          <LaterState state={health} absent="No health scores yet: they appear once a health model scores this fleet.">
            {(d) =>
              d.items.length === 0 ? (
                <p className="muted">No health scores yet.</p>
              ) : (
                <Distribution total={d.items.length} parts={HEALTH_BANDS.map((b) => ({ label: b.label, colour: b.colour, count: d.items.filter((i) => typeof i.value === 'number' && b.test(i.value)).length }))} />
              )
            }
          </LaterState>
        </Kpi>
        <Kpi title="Open alerts" testId="kpi-alerts">
          <LaterState state={alerts} absent="Alerts are not available: alerting is turned off on this server (PROGNOS_ALERTS=off).">
            {(d) => {
              const bySeverity = countBy(d.items, 'severity')
              return d.items.length === 0 ? (
                <p className="muted">No open alerts.</p>
              ) : (
                <ul className="kpi-list">
                  {SEVERITIES.map((s) => (
                    <li key={s} className={`severity-${s}`}>
                      {s} <strong>{bySeverity.get(s) ?? 0}</strong>
                    </li>
                  ))}
                </ul>
              )
            }}
          </LaterState>
        </Kpi>
        <Kpi title="Today" testId="kpi-today">
          <LaterState state={today} absent="No anomalies or predictions yet: they appear once models score this fleet.">
            {(d) => {
              const byKind = [...countBy(d.items, 'kind')].sort((a, b) => b[1] - a[1])
              return byKind.length === 0 ? (
                <p className="muted">No anomalies or predictions today.</p>
              ) : (
                <ul className="kpi-list">
                  {byKind.map(([kind, n]) => (
                    <li key={kind}>
                      {kind} <strong>{n}</strong>
                    </li>
                  ))}
                </ul>
              )
            }}
          </LaterState>
        </Kpi>
      </div>
      <section className="panel" aria-labelledby="map-title">
        <h2 id="map-title" className="panel-title">
          Sites{' '}
          <span className="muted">
            {lowestHealth === null ? '· coloured by the worst latest values of their assets (until health scores exist)' : '· coloured by the lowest health of their assets'}
          </span>
        </h2>
        {summary.sites.length === 0 ? (
          <p className="muted">No sites yet: create one with <code>POST /v1/sites</code>.</p>
        ) : lowestHealth === null ? (
          <SiteMap summaries={summary.sites} />
        ) : (
          <SiteMap
            summaries={summary.sites}
            colourOf={(s) => {
              const h = lowestHealth.get(s.site.id)
              return h === undefined ? NO_HEALTH_COLOUR : (HEALTH_BANDS.find((b) => b.test(h))?.colour ?? NO_HEALTH_COLOUR)
            }}
            describe={(s) => {
              const h = lowestHealth.get(s.site.id)
              return h === undefined ? 'no health scores' : `lowest health ${h.toFixed(2)}`
            }}
          />
        )}
        <ul className="dist-legend map-legend">
          {lowestHealth === null
            ? STATUS_ORDER.map((s) => (
                <li key={s}>
                  <span className="swatch" style={{ background: STATUS_COLOUR[s] }} />
                  {STATUS_LABEL[s]}
                </li>
              ))
            : HEALTH_BANDS.map((b) => (
                <li key={b.label}>
                  <span className="swatch" style={{ background: b.colour }} />
                  {b.label}
                </li>
              ))}
        </ul>
      </section>
    </section>
  )
}
