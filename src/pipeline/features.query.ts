import type { FeatureRow } from '../domain/features.js'
import { ROLLING_STATS, featureName, fftFeatureName, type FeatureVector } from '../features/feature-vector.js'
import type { FeatureStore } from '../store/ports.js'
import { channelsOf, type Catalog } from './catalog.js'
import { InvalidRequestError, type FieldProblem } from './errors.js'
import type { FeaturesStage } from './features.stage.js'
import { DEFAULT_MAX_POINTS, DEFAULT_RANGE_MS, MAX_MAX_POINTS } from './query.service.js'

export interface FeaturesQuery {
  channels?: string[]
  windowsSec?: number[]
  from?: number
  to?: number
  maxPoints?: number
}

/** Stored feature rows of one channel and window, as columns. */
export interface FeatureSeries {
  channel: string
  windowSec: number
  ts: number[]
  count: number[]
  mean: number[]
  std: number[]
  min: number[]
  max: number[]
  slope: number[]
  last: number[]
  /** Present when the channel has FFT features in the range (null where a row has none). */
  fftDominantHz?: (number | null)[]
  fftBands?: (number[] | null)[]
}

export interface FeaturesResult {
  assetId: string
  from: number
  to: number
  series: FeatureSeries[]
}

export interface LatestFeatures {
  assetId: string
  /** Newest reading time the vector covers (epoch ms); null when the asset has no features yet. */
  ts: number | null
  /** `live`: from the features stage's current windows; `stored`: the newest stored rows (e.g. after a restart). */
  source: 'live' | 'stored' | 'none'
  vector: FeatureVector
}

/** Reads of features for the API: stored history (bounded like readings) and the current vector. */
export class FeaturesQueryService {
  constructor(
    private readonly catalog: Catalog,
    private readonly store: FeatureStore,
    private readonly stage: FeaturesStage | null,
    readonly windowsSec: readonly number[],
    private readonly now: () => number = Date.now,
  ) {}

  async history(tenantId: string, assetId: string, q: FeaturesQuery): Promise<FeaturesResult> {
    const to = q.to ?? this.now()
    const from = q.from ?? to - DEFAULT_RANGE_MS
    const maxPoints = q.maxPoints ?? DEFAULT_MAX_POINTS
    const problems: FieldProblem[] = []
    if (from >= to) problems.push({ field: 'from', reason: 'must be before to' })
    if (!Number.isInteger(maxPoints) || maxPoints < 2 || maxPoints > MAX_MAX_POINTS) problems.push({ field: 'maxPoints', reason: `must be an integer from 2 to ${MAX_MAX_POINTS}` })
    for (const w of q.windowsSec ?? []) {
      if (!this.windowsSec.includes(w)) problems.push({ field: 'windows', reason: `${w} is not a configured window; the windows are ${this.windowsSec.join(', ')} s` })
    }
    if (problems.length > 0) throw new InvalidRequestError(problems)
    const channels = await channelsOf(this.catalog, tenantId, assetId, q.channels)
    const rows = await this.store.range({ series: channels.map((c) => c.key), windowsSec: q.windowsSec, from, to, maxPoints })
    const byKey = new Map(channels.map((c) => [c.key, c]))
    const series: FeatureSeries[] = []
    let cur: FeatureSeries | undefined
    for (const r of rows) {
      if (!cur || cur.windowSec !== r.windowSec || cur.channel !== byKey.get(r.series)?.name) {
        const ch = byKey.get(r.series)
        if (!ch) continue
        series.push((cur = { channel: ch.name, windowSec: r.windowSec, ts: [], count: [], mean: [], std: [], min: [], max: [], slope: [], last: [] }))
      }
      pushRow(cur, r)
    }
    return { assetId, from, to, series }
  }

  async latest(tenantId: string, assetId: string): Promise<LatestFeatures> {
    const channels = await channelsOf(this.catalog, tenantId, assetId)
    const live = this.stage?.current(channels)
    if (live) return { assetId, ts: live.ts, source: 'live', vector: live.vector }
    const rows = await this.store.latest(channels.map((c) => c.key))
    if (rows.length === 0) return { assetId, ts: null, source: 'none', vector: {} }
    const names = new Map(channels.map((c) => [c.key, c.name]))
    const vector: Record<string, number> = {}
    let ts = Number.NEGATIVE_INFINITY
    for (const r of rows) {
      const ch = names.get(r.series)!
      ts = Math.max(ts, r.ts)
      for (const stat of ROLLING_STATS) vector[featureName(ch, r.windowSec, stat)] = stat === 'count' ? r.count : r[stat]
      if (r.fftDominantHz !== null) vector[fftFeatureName(ch, r.windowSec, 'dominant_hz')] = r.fftDominantHz
      r.fftBands?.forEach((e, b) => (vector[fftFeatureName(ch, r.windowSec, `band${b}`)] = e))
    }
    return { assetId, ts, source: 'stored', vector }
  }
}

function pushRow(s: FeatureSeries, r: FeatureRow): void {
  s.ts.push(r.ts)
  s.count.push(r.count)
  s.mean.push(r.mean)
  s.std.push(r.std)
  s.min.push(r.min)
  s.max.push(r.max)
  s.slope.push(r.slope)
  s.last.push(r.last)
  if (r.fftDominantHz !== null || s.fftDominantHz) {
    // Rows before the first one with FFT features get null.
    s.fftDominantHz ??= s.ts.slice(0, -1).map(() => null)
    s.fftBands ??= s.ts.slice(0, -1).map(() => null)
    s.fftDominantHz.push(r.fftDominantHz)
    s.fftBands.push(r.fftBands)
  }
}
