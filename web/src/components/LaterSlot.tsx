import { getOptional, type LaterItem, type Optional, type Series } from '../api'
import { usePoll } from '../usePoll'
import { TimeChart, type TimeRange } from './TimeChart'

const POLL_MS = 30_000

/**
 * A panel for what a later feature serves (predictions, alerts, model versions). It asks the
 * endpoint that feature will answer on, and says plainly that it is not available while that
 * endpoint answers 404.
 */
export function LaterSlot<T>(props: {
  name: string
  title: string
  path: string
  /** Why there is nothing yet, e.g. "arrives with the anomaly detectors". */
  arrivesWith: string
  deps: readonly unknown[]
  children: (data: T) => React.ReactNode
}) {
  const { name, title, path, arrivesWith, deps, children } = props
  const state = usePoll<Optional<T>>(() => getOptional<T>(path), POLL_MS, [path, ...deps])
  let body: React.ReactNode
  let status: string
  if (state.data === undefined) {
    status = state.error === undefined ? 'loading' : 'error'
    body = state.error === undefined ? <p className="muted">Loading…</p> : <p className="error">Could not load: {state.error.message}</p>
  } else if (!state.data.available) {
    status = 'unavailable'
    body = (
      <p className="muted not-available">
        Not available yet: {arrivesWith}.
      </p>
    )
  } else {
    status = 'ok'
    body = children(state.data.data)
  }
  return (
    <section className="panel slot" aria-label={title} data-testid={`slot-${name}`} data-state={status}>
      <h2 className="panel-title">{title}</h2>
      {body}
    </section>
  )
}

/** A number, or undefined. */
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)

/**
 * The interval of a prediction: `lower`/`upper` when it carries them, else the 80 % bounds the
 * prognostics stage puts in its details (`lower80Hours`/`upper80Hours` of `rul_hours`,
 * `lower80Cycles`/`upper80Cycles` of `rul_cycles`).
 */
function interval(i: LaterItem): [number, number] | undefined {
  const d = (typeof i.details === 'object' && i.details !== null ? i.details : {}) as Record<string, unknown>
  const unit = i.kind === 'rul_cycles' ? 'Cycles' : 'Hours'
  const lo = num(i.lower) ?? num(d[`lower80${unit}`])
  const hi = num(i.upper) ?? num(d[`upper80${unit}`])
  return lo !== undefined && hi !== undefined ? [lo, hi] : undefined
}

/** Predictions as a chart series: the value, with its interval as a band when it has one. */
export function predictionSeries(items: readonly LaterItem[]): Series {
  const pts = items.filter((i): i is LaterItem & { ts: number; value: number } => typeof i.ts === 'number' && typeof i.value === 'number').sort((a, b) => a.ts - b.ts)
  const bands = pts.map(interval)
  if (!bands.some((b) => b !== undefined)) return { channel: 'prediction', unit: null, mode: 'raw', ts: pts.map((p) => p.ts), value: pts.map((p) => p.value) }
  return {
    channel: 'prediction',
    unit: null,
    mode: 'bucketed',
    bucketMs: 0,
    ts: pts.map((p) => p.ts),
    min: pts.map((p, k) => bands[k]?.[0] ?? p.value),
    avg: pts.map((p) => p.value),
    max: pts.map((p, k) => bands[k]?.[1] ?? p.value),
    count: pts.map(() => 1),
  }
}

/** A slot drawing predictions of one kind over the shown time range (extended to the last prediction, for forecasts). */
export function PredictionChart({ items, range, syncKey, onZoom, unit, min = null, max = null, empty }: {
  items: readonly LaterItem[]
  range: TimeRange
  syncKey: string
  onZoom: (r: TimeRange | null) => void
  unit: string | null
  min?: number | null
  max?: number | null
  empty: string
}) {
  if (items.length === 0) return <p className="muted">{empty}</p>
  const series = predictionSeries(items)
  const lastTs = series.ts[series.ts.length - 1] ?? range[1]
  return (
    <div className="chart-frame" data-points={series.ts.length}>
      <TimeChart series={series} range={[range[0], Math.max(range[1], lastTs)]} unit={unit} min={min} max={max} syncKey={syncKey} onZoom={onZoom} />
    </div>
  )
}

/** The curve of one day-ahead forecast, as the prognostics stage stores it in a `forecast` prediction's details. */
export function forecastCurve(item: LaterItem): Series | null {
  const d = (typeof item.details === 'object' && item.details !== null ? item.details : {}) as Record<string, unknown>
  const arr = (k: string): number[] => (Array.isArray(d[k]) ? (d[k] as unknown[]).map((v) => num(v) ?? NaN) : [])
  const ts = arr('ts')
  const mean = arr('mean')
  if (ts.length === 0 || ts.length !== mean.length) return null
  const lower = arr('lower80')
  const upper = arr('upper80')
  const banded = lower.length === ts.length && upper.length === ts.length
  if (!banded) return { channel: 'forecast', unit: null, mode: 'raw', ts, value: mean }
  return { channel: 'forecast', unit: null, mode: 'bucketed', bucketMs: 0, ts, min: lower, avg: mean, max: upper, count: ts.map(() => 1) }
}

/** Zoom has no meaning on a forecast's own fixed day: the chart ignores it. */
const NO_ZOOM = (): void => undefined

/** The newest day-ahead forecast among `items`: its mean, hour by hour, inside its 80 % interval. */
export function ForecastChart({ items, unitOf, syncKey, empty }: { items: readonly LaterItem[]; unitOf: (channel: string) => string | null; syncKey: string; empty: string }) {
  const newest = items.filter((i) => typeof i.ts === 'number').sort((a, b) => (b.ts ?? 0) - (a.ts ?? 0))[0]
  const series = newest === undefined ? null : forecastCurve(newest)
  if (series === null) return <p className="muted">{empty}</p>
  const first = series.ts[0] ?? 0
  const last = series.ts[series.ts.length - 1] ?? first
  const channel = (newest!.details as Record<string, unknown>).channel
  const unit = typeof channel === 'string' ? unitOf(channel) : null
  return (
    <div className="chart-frame" data-points={series.ts.length}>
      <p className="muted">
        Issued {new Date(newest!.ts!).toLocaleString()} by {String(newest!.model ?? 'a model')}
        {newest!.version !== undefined ? ` version ${String(newest!.version)}` : ''}
        {typeof channel === 'string' ? ` for ${channel}` : ''}; {series.ts.length} hours ahead.
      </p>
      <TimeChart series={series} range={[first, Math.max(last, first + 1)]} unit={unit} min={null} max={null} syncKey={`${syncKey}:forecast`} onZoom={NO_ZOOM} />
    </div>
  )
}
