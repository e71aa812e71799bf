import type { FeatureRow } from '../domain/features.js'
import { ROLLING_STATS, featureName, fftFeatureName, type FeatureVector } from '../features/feature-vector.js'
import { RollingFeatures, type RollingSnapshot } from '../features/rolling.features.js'
import type { FeatureStore } from '../store/ports.js'
import type { AssetFeatures, Bus, ReadingsMessage, SeriesRef, Subscription } from './bus.js'

/** Default time between two feature snapshots of a series, in its own data time: the shortest default window. */
export const DEFAULT_FEATURE_HOP_SEC = 10
/** How often idle series are released (wall clock). */
export const FEATURE_SWEEP_MS = 10_000

export interface FeaturesStageOptions {
  windowsSec: readonly number[]
  /** A series emits a snapshot of every window when its newest reading enters a new hop (ts / hopMs, floored). */
  hopSec: number
  /** Series tracked at once; more are counted as refused until idle ones are released. */
  maxSeries: number
  /** FFT features for high-rate channels. */
  fft: boolean
}

export type FeaturesStageEvent = { type: 'emitted'; tenantId: string; rows: number; assets: number } | { type: 'released'; series: number }

interface Tracked {
  tenantId: string
  ref: SeriesRef
  /** Hop of the last snapshot; -Infinity before the first one. */
  lastHop: number
  /** Wall-clock time of the last batch that held the series. */
  seenAt: number
}

/**
 * The features stage: consumes committed reading batches from the bus, keeps rolling
 * windows per series (RollingFeatures: statistics, plus FFT for channels fast enough),
 * and every `hopSec` of a series' data time emits one row per window. Rows are stored
 * (FeatureStore) and published on the `features` topic as typed feature vectors per asset,
 * for scoring stages and live subscribers.
 *
 * The cadence is in data time, so a replay stores the same rows as the live stream did,
 * and the first batch of a series emits at once. A 1 Hz channel with windows 10/30/60 s
 * and a 10 s hop stores 0.3 rows per reading.
 */
export class FeaturesStage {
  private readonly rf: RollingFeatures
  private readonly hopMs: number
  private readonly longestMs: number
  private readonly tracked = new Map<number, Tracked>()
  private lastSweep = 0
  private sub: Subscription | null = null
  emittedRows = 0

  constructor(
    private readonly bus: Bus,
    private readonly store: FeatureStore,
    opts: FeaturesStageOptions,
    private readonly onEvent: (e: FeaturesStageEvent) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.rf = new RollingFeatures({ windowsSec: opts.windowsSec, maxSeries: opts.maxSeries, fft: opts.fft ? {} : false })
    this.hopMs = opts.hopSec * 1000
    this.longestMs = Math.max(...opts.windowsSec) * 1000
  }

  get windowsSec(): readonly number[] {
    return this.rf.windowsSec
  }

  /** Starts consuming the `readings` topic as consumer group `features`. */
  start(): void {
    this.sub ??= this.bus.subscribe('readings', 'features', this.handle)
  }

  stop(): void {
    this.sub?.unsubscribe()
    this.sub = null
  }

  /** One readings message: update the windows, emit the series that entered a new hop. */
  readonly handle = async (m: ReadingsMessage): Promise<void> => {
    const now = this.now()
    // Released first, so that their room goes to the series of this batch.
    this.sweep(now)
    this.rf.push(m.batch)
    const rows: FeatureRow[] = []
    const byAsset = new Map<string, { ts: number; vector: Record<string, number> }>()
    const wantVectors = this.bus.hasSubscribers('features')
    for (const ref of m.refs) {
      const newest = this.rf.newestTs(ref.key)
      if (newest === undefined) continue // refused: maxSeries reached
      let t = this.tracked.get(ref.key)
      if (!t) this.tracked.set(ref.key, (t = { tenantId: m.tenantId, ref, lastHop: Number.NEGATIVE_INFINITY, seenAt: now }))
      t.seenAt = now
      const hop = Math.floor(newest / this.hopMs)
      if (hop === t.lastHop) continue
      t.lastHop = hop
      let vector: Record<string, number> | undefined
      if (wantVectors) {
        let a = byAsset.get(ref.assetId)
        if (!a) byAsset.set(ref.assetId, (a = { ts: newest, vector: {} }))
        if (newest > a.ts) a.ts = newest
        vector = a.vector
      }
      this.emitSeries(ref, rows, vector)
    }
    if (rows.length > 0) {
      await this.store.append(rows)
      this.emittedRows += rows.length
      const assets: AssetFeatures[] = [...byAsset].map(([assetId, a]) => ({ assetId, ts: a.ts, vector: a.vector as FeatureVector }))
      if (wantVectors) await this.bus.publish('features', { tenantId: m.tenantId, assets, rows }, rows.length)
      this.onEvent({ type: 'emitted', tenantId: m.tenantId, rows: rows.length, assets: byAsset.size })
    }
  }

  private emitSeries(ref: SeriesRef, rows: FeatureRow[], vector: Record<string, number> | undefined): void {
    for (const w of this.rf.windowsSec) {
      const s = this.rf.snapshot(ref.key, w) as RollingSnapshot
      const f = this.rf.fft(ref.key, w)
      rows.push({
        series: ref.key,
        windowSec: w,
        ts: s.lastTs,
        count: s.count,
        mean: s.mean,
        std: s.std,
        min: s.min,
        max: s.max,
        slope: s.slopePerSec,
        last: s.last,
        fftDominantHz: f ? f.dominantHz : null,
        fftBands: f ? Array.from(f.bandEnergy) : null,
      })
      if (!vector) continue
      for (const stat of ROLLING_STATS) vector[featureName(ref.channel, w, stat)] = stat === 'slope' ? s.slopePerSec : s[stat]
      if (f) {
        vector[fftFeatureName(ref.channel, w, 'dominant_hz')] = f.dominantHz
        for (let b = 0; b < f.bandEnergy.length; b++) vector[fftFeatureName(ref.channel, w, `band${b}`)] = f.bandEnergy[b]!
      }
    }
  }

  /**
   * Releases the series that received nothing for the longest window of wall-clock time,
   * at most once per FEATURE_SWEEP_MS. Wall clock, not data time: a replay of old data
   * is not idle, and a device whose clock runs ahead does not release everyone else.
   */
  private sweep(now: number): void {
    if (now - this.lastSweep < FEATURE_SWEEP_MS) return
    this.lastSweep = now
    const cutoff = now - this.longestMs
    for (const [key, t] of this.tracked) {
      if (t.seenAt > cutoff) continue
      this.rf.evict(key)
      this.tracked.delete(key)
      this.onEvent({ type: 'released', series: key })
    }
  }

  /**
   * The current feature vector of the given series (the ones this stage tracks), named by
   * channel; series it does not track are absent. Computed from the live windows, so it is
   * newer than the last stored row.
   */
  current(refs: readonly SeriesRef[]): { ts: number; vector: FeatureVector } | undefined {
    const out: Record<string, number> = {}
    let ts = Number.NEGATIVE_INFINITY
    for (const ref of refs) {
      const newest = this.rf.newestTs(ref.key)
      if (newest === undefined) continue
      ts = Math.max(ts, newest)
      Object.assign(out, this.rf.vector(ref.key, ref.channel))
    }
    return ts === Number.NEGATIVE_INFINITY ? undefined : { ts, vector: out as FeatureVector }
  }

  /** Series tracked, readings counted by kind: for metrics and tests. */
  stats(): { series: number; emittedRows: number } & ReturnType<RollingFeatures['stats']> {
    return { ...this.rf.stats(), emittedRows: this.emittedRows }
  }
}
