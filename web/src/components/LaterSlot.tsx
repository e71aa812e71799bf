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

/** Predictions as a chart series: the value, with its interval as a band when it has one. */
export function predictionSeries(items: readonly LaterItem[]): Series {
  const pts = items.filter((i): i is LaterItem & { ts: number; value: number } => typeof i.ts === 'number' && typeof i.value === 'number').sort((a, b) => a.ts - b.ts)
  const banded = pts.some((p) => typeof p.lower === 'number' && typeof p.upper === 'number')
  if (!banded) return { channel: 'prediction', unit: null, mode: 'raw', ts: pts.map((p) => p.ts), value: pts.map((p) => p.value) }
  return {
    channel: 'prediction',
    unit: null,
    mode: 'bucketed',
    bucketMs: 0,
    ts: pts.map((p) => p.ts),
    min: pts.map((p) => p.lower ?? p.value),
    avg: pts.map((p) => p.value),
    max: pts.map((p) => p.upper ?? p.value),
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
    <div className="chart-frame">
      <TimeChart series={series} range={[range[0], Math.max(range[1], lastTs)]} unit={unit} min={min} max={max} syncKey={syncKey} onZoom={onZoom} />
    </div>
  )
}
