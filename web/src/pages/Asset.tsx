import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import {
  getAsset,
  getAssetLatest,
  getOptional,
  getReadings,
  LATER,
  listAssets,
  listSites,
  queryString,
  subscribe,
  type Asset,
  type Channel,
  type LatestValue,
  type LaterItem,
  type LiveReadings,
  type Readings,
  type Series,
} from '../api'
import { AssetModels } from '../components/AssetModels'
import { ForecastChart, LaterSlot, PredictionChart } from '../components/LaterSlot'
import { TimeChart, type TimeRange } from '../components/TimeChart'
import { formatAge, formatDuration, formatRange, isOutOfRange, withUnit } from '../format'
import { assetHref, assetsHref, hashParams } from '../router'
import { usePoll } from '../usePoll'

const MIN_MS = 60_000
const HOUR_MS = 60 * MIN_MS
const DAY_MS = 24 * HOUR_MS
const RANGES = [
  { label: '15 min', ms: 15 * MIN_MS },
  { label: '1 h', ms: HOUR_MS },
  { label: '6 h', ms: 6 * HOUR_MS },
  { label: '24 h', ms: DAY_MS },
  { label: '7 d', ms: 7 * DAY_MS },
  { label: '30 d', ms: 30 * DAY_MS },
]
const DEFAULT_RANGE_MS = HOUR_MS
/** Never ask for fewer points than this, even on a narrow screen. */
const MIN_POINTS = 100
/** The page's padding either side of the charts. */
const PAGE_PADDING_PX = 40
/** Live readings are drawn at most this often. */
const APPLY_MS = 1000
/** Reload the shown range now and then: buckets of long ranges fill in, and anything the stream missed comes back. */
const RESYNC_MS = 30_000
/** Bucketed views following the present reload at most this often. */
const MIN_RESYNC_MS = 5000
/** A zoom narrower than this is not worth a request. */
const MIN_ZOOM_MS = 1000
/** How often the page looks again for the kinds of prediction an asset has (a model may start serving it). */
const KINDS_POLL_MS = 60_000

const AssetLink = ({ asset }: { asset: Asset }) => <a href={assetHref(asset.id)}>{asset.name}</a>

const byName = (a: Asset, b: Asset): number => a.name.localeCompare(b.name, undefined, { numeric: true })

/** Raw series with the live points appended, and points older than `from` dropped. */
function appendLive(readings: Readings, events: readonly LiveReadings[], from: number, to: number): Readings {
  const series = readings.series.map((s): Series => {
    if (s.mode !== 'raw') return s
    const ts: number[] = []
    const value: number[] = []
    for (const e of events)
      for (const live of e.series) {
        if (live.channel !== s.channel) continue
        for (let i = 0; i < live.ts.length; i++) {
          ts.push(live.ts[i]!)
          value.push(live.value[i]!)
        }
      }
    if (ts.length === 0 && (s.ts[0] ?? from) >= from) return s
    const last = s.ts[s.ts.length - 1] ?? -Infinity
    const order = ts.map((_, i) => i).filter((i) => ts[i]! > last).sort((a, b) => ts[a]! - ts[b]!)
    let start = 0
    while (start < s.ts.length && s.ts[start]! < from) start++
    return { ...s, ts: [...s.ts.slice(start), ...order.map((i) => ts[i]!)], value: [...s.value.slice(start), ...order.map((i) => value[i]!)] }
  })
  return { ...readings, from, to, series }
}

function ChartCard(props: { channel: Channel; series: Series | undefined; latest: LatestValue | undefined; range: TimeRange; syncKey: string; loading: boolean; onZoom: (range: TimeRange | null) => void }) {
  const { channel, series, latest, range, syncKey, loading, onZoom } = props
  const expected = formatRange(channel.min, channel.max, channel.unit)
  const out = latest !== undefined && isOutOfRange(latest.value, channel.min, channel.max)
  const points = series?.ts.length ?? 0
  return (
    <section className="chart-card" data-testid={`chart-${channel.name}`} data-points={points} aria-label={`${channel.name} chart`}>
      <div className="chart-main">
        <h2 className="chart-title">
          {channel.name}
          {channel.unit !== null && <span className="muted"> ({channel.unit})</span>}
          <span className="chart-mode">{series?.mode === 'bucketed' ? `avg with min–max per ${formatDuration(series.bucketMs)}` : 'raw'}</span>
        </h2>
        <div className="chart-frame">
          <TimeChart series={series} range={range} unit={channel.unit} min={channel.min} max={channel.max} syncKey={syncKey} onZoom={onZoom} />
          {points === 0 && <p className="chart-empty">{loading ? 'Loading readings…' : 'No readings in this range'}</p>}
        </div>
      </div>
      <aside className={out ? 'latest out' : 'latest'} aria-label={`Latest ${channel.name}`}>
        <div className="latest-value">{latest === undefined ? '—' : withUnit(latest.value, channel.unit)}</div>
        <div className="muted">{latest === undefined ? 'no data' : formatAge(Date.now() - latest.ts)}</div>
        {expected !== null && <div className="muted">expected {expected}</div>}
        {out && <div className="latest-flag">outside expected range</div>}
      </aside>
    </section>
  )
}

function ItemTable({ items, columns, empty }: { items: readonly LaterItem[]; columns: { label: string; get: (i: LaterItem) => React.ReactNode }[]; empty: string }) {
  if (items.length === 0) return <p className="muted">{empty}</p>
  return (
    <div className="table-scroll">
      <table className="plain-table">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.slice(0, 50).map((item, i) => (
            <tr key={String(item.id ?? i)}>
              {columns.map((c) => (
                <td key={c.label}>{c.get(item)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

const when = (i: LaterItem): string => {
  const ts = [i.ts, i.openedAt, i.startedAt].find((t) => typeof t === 'number') as number | undefined
  return ts === undefined ? '—' : new Date(ts).toLocaleString()
}

/** One asset: its place in the hierarchy, live charts per channel with zoom and pan, and its predictions, alerts and models. */
/** The time range given in the address, when both ends are there and in order. */
function linkedRange(): TimeRange | null {
  const p = hashParams()
  const from = Number(p.get('from'))
  const to = Number(p.get('to'))
  return p.has('from') && p.has('to') && Number.isFinite(from) && Number.isFinite(to) && from < to ? [from, to] : null
}

export function AssetPage({ id }: { id: string }) {
  const asset = usePoll(() => getAsset(id), null, [id])
  const children = usePoll(() => listAssets({ parentId: id }), null, [id])
  const sites = usePoll(listSites, null, [])
  const parentId = asset.data?.parentId ?? null
  const parent = usePoll(() => (parentId === null ? Promise.resolve(null) : getAsset(parentId)), null, [parentId])
  // The kinds of prediction this asset has: the state-of-health and load-forecast panels show only where they apply.
  const newest = usePoll(() => getOptional<{ items: LaterItem[] }>(`${LATER.assetPredictions(id)}/latest`), KINDS_POLL_MS, [id])
  const kinds = new Set(newest.data?.available === true ? newest.data.data.items.map((i) => i.kind) : [])
  const [rangeMs, setRangeMs] = useState(DEFAULT_RANGE_MS)
  // An alert's chart link (`#/assets/<id>?from=<ms>&to=<ms>`) opens the chart on the alert's time.
  const [zoom, setZoomState] = useState<TimeRange | null>(linkedRange)
  const [now, setNow] = useState(() => Date.now())
  const [readings, setReadings] = useState<Readings | null>(null)
  const [latest, setLatest] = useState<Record<string, LatestValue>>({})
  const [loadError, setLoadError] = useState<Error | null>(null)
  const [loading, setLoading] = useState(true)
  const [live, setLive] = useState(false)
  const [resync, setResync] = useState(0)
  const chartsRef = useRef<HTMLDivElement>(null)
  const pending = useRef<LiveReadings[]>([])
  const zoomRef = useRef(zoom)
  zoomRef.current = zoom

  const rangeMsRef = useRef(rangeMs)
  rangeMsRef.current = rangeMs

  const setZoom = useCallback((r: TimeRange | null) => {
    if (r === null) setZoomState(null)
    else if (r[1] - r[0] >= MIN_ZOOM_MS) setZoomState(r)
  }, [])
  const shown: TimeRange = zoom ?? [now - rangeMs, now]

  // Load the shown range: on open (at once, beside the asset itself: every channel), on a new range or zoom, and every RESYNC_MS.
  useEffect(() => {
    let active = true
    const [from, to] = zoomRef.current ?? [Date.now() - rangeMs, Date.now()]
    // Before the charts are laid out, their width is the window's less the page's padding.
    const maxPoints = Math.max(MIN_POINTS, Math.round(chartsRef.current?.clientWidth ?? document.documentElement.clientWidth - PAGE_PADDING_PX))
    setLoading(true)
    Promise.all([getReadings(id, { channels: [], from: Math.round(from), to: Math.round(to), maxPoints }), getAssetLatest(id)])
      .then(([r, l]) => {
        if (!active) return
        pending.current = []
        setReadings(r)
        setLatest(l.values)
        setLoadError(null)
      })
      .catch((err: unknown) => {
        if (active) setLoadError(err instanceof Error ? err : new Error(String(err)))
      })
      .finally(() => {
        if (active) setLoading(false)
      })
    return () => {
      active = false
    }
  }, [id, rangeMs, zoom, resync])

  // Live points are appended to raw series only; bucketed ones follow the present by reloading about once a bucket.
  const bucketMs = readings?.series.find((s) => s.mode === 'bucketed')?.bucketMs
  const resyncMs = bucketMs === undefined || zoom !== null ? RESYNC_MS : Math.min(RESYNC_MS, Math.max(MIN_RESYNC_MS, bucketMs))
  useEffect(() => {
    const timer = window.setInterval(() => setResync((n) => n + 1), resyncMs)
    return () => window.clearInterval(timer)
  }, [resyncMs])

  // Live readings: latest values always; appended to the charts while they follow the present.
  useEffect(() => {
    const stop = subscribe({ readings: (e) => void pending.current.push(e), status: setLive }, [id])
    const timer = window.setInterval(() => {
      const events = pending.current
      pending.current = []
      const t = Date.now()
      if (events.length > 0)
        setLatest((current) => {
          const next = { ...current }
          for (const e of events)
            for (const s of e.series)
              for (let i = 0; i < s.ts.length; i++) if ((next[s.channel]?.ts ?? -Infinity) < s.ts[i]!) next[s.channel] = { ts: s.ts[i]!, value: s.value[i]! }
          return next
        })
      if (zoomRef.current === null) {
        setNow(t)
        setReadings((r) => (r === null ? r : appendLive(r, events, t - rangeMsRef.current, t)))
      }
    }, APPLY_MS)
    return () => {
      stop()
      window.clearInterval(timer)
    }
  }, [id])

  const seriesByChannel = useMemo(() => new Map((readings?.series ?? []).map((s) => [s.channel, s])), [readings])

  if (asset.data === undefined) {
    return asset.error === undefined ? (
      <p className="state">Loading asset…</p>
    ) : (
      <p className="state error" role="alert">
        Could not load asset <code>{id}</code>: {asset.error.message}
      </p>
    )
  }

  const a = asset.data
  const site = a.siteId === null ? null : (sites.data?.items.find((s) => s.id === a.siteId) ?? null)
  const siteName = a.siteId === null ? null : (site?.name ?? a.siteId)
  const kids = [...(children.data?.items ?? [])].sort(byName)
  const metadata = Object.entries(a.metadata)
  const span = shown[1] - shown[0]
  const pan = (fraction: number): void => {
    const shift = span * fraction
    const to = Math.min(Date.now(), shown[1] + shift)
    setZoom([to - span, to])
  }
  const zoomBy = (factor: number): void => {
    // Following the present, zoom keeps the newest readings in view; otherwise it keeps the middle.
    const anchor = zoom === null ? shown[1] : (shown[0] + shown[1]) / 2
    const before = (anchor - shown[0]) * factor
    const after = (shown[1] - anchor) * factor
    setZoom([anchor - before, Math.min(Date.now(), anchor + after)])
  }
  // Whole RESYNC_MS steps, so following the present does not ask again every second.
  const slotFrom = Math.floor(shown[0] / RESYNC_MS) * RESYNC_MS
  const slotTo = Math.ceil(shown[1] / RESYNC_MS) * RESYNC_MS
  const predictionsPath = (kind: string): string => `${LATER.assetPredictions(id)}${queryString({ kind, from: slotFrom, to: slotTo })}`

  return (
    <article className="asset-page">
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <a href={assetsHref()}>Assets</a>
        {a.siteId !== null && (
          <span>
            {' / '}
            <a href={assetsHref({ site: a.siteId })}>{siteName}</a>
          </span>
        )}
        {parent.data && (
          <span>
            {' / '}
            <AssetLink asset={parent.data} />
          </span>
        )}
        <span aria-current="page"> / {a.name}</span>
      </nav>
      <header className="asset-header">
        <h1>{a.name}</h1>
        <dl className="facts">
          <div>
            <dt>Type</dt>
            <dd>{a.type}</dd>
          </div>
          <div>
            <dt>Site</dt>
            <dd>{a.siteId === null ? '—' : <a href={assetsHref({ site: a.siteId })}>{siteName}</a>}</dd>
          </div>
          <div>
            <dt>Id</dt>
            <dd>
              <code>{a.id}</code>
            </dd>
          </div>
          {parent.data && (
            <div>
              <dt>Parent</dt>
              <dd>
                <AssetLink asset={parent.data} />
              </dd>
            </div>
          )}
          {kids.length > 0 && (
            <div className="facts-wide" data-testid="children">
              <dt>Children ({kids.length})</dt>
              <dd className="link-list">
                {kids.map((kid) => (
                  <AssetLink key={kid.id} asset={kid} />
                ))}
              </dd>
            </div>
          )}
        </dl>
        {metadata.length > 0 && (
          <dl className="facts metadata" aria-label="Metadata">
            {metadata.map(([key, value]) => (
              <div key={key}>
                <dt>{key}</dt>
                <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
              </div>
            ))}
          </dl>
        )}
      </header>

      <div className="toolbar chart-toolbar">
        <div className="segmented" role="group" aria-label="Time range">
          {RANGES.map((r) => (
            <button
              key={r.ms}
              type="button"
              className="button"
              aria-pressed={zoom === null && r.ms === rangeMs}
              onClick={() => {
                setRangeMs(r.ms)
                setZoomState(null)
              }}
            >
              {r.label}
            </button>
          ))}
        </div>
        <div className="segmented" role="group" aria-label="Zoom and pan">
          <button type="button" className="button" onClick={() => pan(-0.5)} aria-label="Pan earlier" data-testid="pan-earlier">
            ◀
          </button>
          <button type="button" className="button" onClick={() => zoomBy(0.5)} aria-label="Zoom in" data-testid="zoom-in">
            +
          </button>
          <button type="button" className="button" onClick={() => zoomBy(2)} aria-label="Zoom out" data-testid="zoom-out">
            −
          </button>
          <button type="button" className="button" onClick={() => pan(0.5)} aria-label="Pan later" disabled={zoom === null}>
            ▶
          </button>
        </div>
        {zoom !== null && (
          <button type="button" className="button" onClick={() => setZoomState(null)} data-testid="reset-zoom">
            Back to live
          </button>
        )}
        <span className="muted hint">Drag on a chart or Ctrl + wheel to zoom, double-click to go back to live.</span>
        {loadError !== null ? (
          <span className="error" role="status">
            Update failed ({loadError.message}), retrying…
          </span>
        ) : zoom !== null ? (
          <span className="muted" role="status">
            Paused on {new Date(shown[0]).toLocaleString()} – {new Date(shown[1]).toLocaleString()}
          </span>
        ) : (
          <span className={live ? 'live' : 'muted'} role="status">
            {live ? 'Live' : 'Connecting to live updates…'}
          </span>
        )}
      </div>

      <div className="charts" ref={chartsRef} data-testid="charts" data-loading={loading}>
        {a.channels.length === 0 && <p className="state">This asset has no channels yet: they appear with its first readings.</p>}
        {a.channels.map((channel) => (
          <ChartCard key={channel.name} channel={channel} series={seriesByChannel.get(channel.name)} latest={latest[channel.name]} range={shown} syncKey={a.id} loading={loading && readings === null} onZoom={setZoom} />
        ))}
      </div>

      <h2 className="section-title">Predictions, alerts and models</h2>
      <div className="slots" data-testid="prediction-slots" data-kinds={newest.data?.available === true ? [...kinds].sort().join(' ') : undefined}>
        <LaterSlot<{ items: LaterItem[] }> name="anomaly" title="Anomaly score" path={predictionsPath('anomaly_score')} arrivesWith="anomaly scores arrive with the detectors" deps={[]}>
          {(d) => <PredictionChart items={d.items} range={shown} syncKey={a.id} onZoom={setZoom} unit={null} empty="No anomaly scores in this range." />}
        </LaterSlot>
        <LaterSlot<{ items: LaterItem[] }> name="health" title="Health trend" path={predictionsPath('health')} arrivesWith="the health index arrives with the health models" deps={[]}>
          {(d) => <PredictionChart items={d.items} range={shown} syncKey={a.id} onZoom={setZoom} unit={null} min={0.4} max={1} empty="No health scores in this range." />}
        </LaterSlot>
        <LaterSlot<{ items: LaterItem[] }> name="rul" title="Remaining useful life, with its interval" path={predictionsPath('rul_hours')} arrivesWith="RUL arrives with the prognostic models" deps={[]}>
          {(d) => <PredictionChart items={d.items} range={shown} syncKey={a.id} onZoom={setZoom} unit="h" empty="No RUL predictions in this range." />}
        </LaterSlot>
        {kinds.has('soh') && (
          <LaterSlot<{ items: LaterItem[] }> name="soh" title="Battery state of health" path={predictionsPath('soh')} arrivesWith="state of health arrives with the battery models" deps={[]}>
            {(d) => <PredictionChart items={d.items} range={shown} syncKey={a.id} onZoom={setZoom} unit={null} max={1} empty="No state-of-health predictions in this range." />}
          </LaterSlot>
        )}
        {kinds.has('forecast') && (
          <LaterSlot<{ items: LaterItem[] }> name="forecast" title="Load forecast, the day ahead (80 % interval)" path={`${LATER.assetPredictions(id)}${queryString({ kind: 'forecast', from: slotFrom })}`} arrivesWith="forecasts arrive with the forecasting models" deps={[]}>
            {(d) => <ForecastChart items={d.items} unitOf={(name) => a.channels.find((c) => c.name === name)?.unit ?? null} syncKey={a.id} empty="No forecast in this range." />}
          </LaterSlot>
        )}
        <LaterSlot<{ items: LaterItem[] }> name="alerts" title="Alerts raised" path={`${LATER.alerts}${queryString({ assetId: id })}`} arrivesWith="alerting is turned off on this server (PROGNOS_ALERTS=off)" deps={[]}>
          {(d) => (
            <>
            <ItemTable
              items={d.items}
              empty="This asset has raised no alerts."
              columns={[
                { label: 'When', get: when },
                { label: 'Severity', get: (i) => <span className={`severity-${String(i.severity)}`}>{String(i.severity ?? '—')}</span> },
                { label: 'State', get: (i) => String(i.state ?? '—') },
                { label: 'Message', get: (i) => String(i.message ?? '') },
              ]}
            />
            <p>
              <a href={`#/alerts?state=&assetId=${encodeURIComponent(id)}`}>All alerts of this asset, with their evidence</a>
            </p>
            </>
          )}
        </LaterSlot>
        <AssetModels assetId={id} from={slotFrom} to={slotTo} />
      </div>
    </article>
  )
}
