import { FeatureBatch } from '../domain/features.js'
import { ReadingBatchBuilder } from '../domain/readings.js'
import { grown } from '../domain/typed-arrays.js'
import { ROLLING_STATS, VectorPacker, fftFeatureName, rollingNames, type FeatureName, type FeatureVector } from '../features/feature-vector.js'
import { DEFAULT_FFT_MIN_RATE_HZ } from '../features/fft.features.js'
import { PaneEmissions, PaneFeatures } from '../features/pane.features.js'
import { RollingFeatures } from '../features/rolling.features.js'
import type { FeatureStore } from '../store/ports.js'
import { PackedAssetFeatures, type AssetFeatures, type Bus, type ReadingsMessage, type SeriesRef, type Subscription } from './bus.js'

/** Default pane length (live refresh cadence), in data time: the greatest common divisor of the windows. */
export const DEFAULT_FEATURE_HOP_SEC = 10
/** How often idle series are released (wall clock). */
export const FEATURE_SWEEP_MS = 10_000

/** The default hop for a set of windows: their greatest common divisor (whole seconds), so every window is a whole number of panes. */
export function defaultHopSec(windowsSec: readonly number[]): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b))
  return windowsSec.reduce((g, w) => gcd(g, Math.round(w)), 0) || DEFAULT_FEATURE_HOP_SEC
}

export interface FeaturesStageOptions {
  /** Window lengths, each a multiple of `hopSec`. */
  windowsSec: readonly number[]
  /** Pane length: windows end on multiples of it (epoch time), and live vectors are refreshed once per pane of a series' data time. */
  hopSec: number
  /** Stored cadence: every window is stored every this many seconds of data time (a multiple of `hopSec`); default each window's own length (tumbling). */
  storeEverySec?: number
  /** Series tracked at once; more are counted as refused until idle ones are released. */
  maxSeries: number
  /** FFT features for high-rate channels. */
  fft: boolean
}

export type FeaturesStageEvent = { type: 'emitted'; tenantId: string; rows: number; assets: number } | { type: 'released'; series: number }

/** Vector builders kept between messages, at most (one per asset of a message). */
const SCRATCH_POOL_MAX = 2048
/**
 * Rows collected before they are appended (one transaction): the stage's batch keeps its
 * columns between messages, so this bounds them (~4 MB) however many series cross a
 * boundary together; below it, the messages handled together still make one append.
 */
export const FEATURE_APPEND_ROWS = 50_000

interface VectorScratch {
  ts: number
  /** Entries in use; the arrays may be longer (left from earlier messages). */
  n: number
  names: FeatureName[]
  values: number[]
}

/**
 * The features stage: consumes committed reading batches from the bus and keeps pane-based
 * window statistics per series (PaneFeatures: a reading only adds into its pane of `hopSec`).
 * When a series' data time crosses a pane boundary, the windows ending at that boundary are
 * combined from their panes:
 * - stored (FeatureStore) once per window length by default (tumbling: every reading is in
 *   one stored row per window; at 1 Hz with windows 10/30/60 s that is 0.15 rows per reading),
 *   or every `storeEverySec`;
 * - published on the `features` topic as typed feature vectors per asset for every window at
 *   the newest boundary (once per hop), for scoring stages and live subscribers.
 *
 * Channels found to be high-rate (a closed pane at ≥ the FFT minimum rate) also feed a
 * RollingFeatures, for the FFT features of their rows and vectors (computed over the window
 * ending at the newest reading of the batch); slow channels never pay for it.
 *
 * The cadence is in data time, so a replay stores the same rows as the live stream did.
 */
export class FeaturesStage {
  private readonly pf: PaneFeatures
  private readonly rf: RollingFeatures | null
  private readonly longestMs: number
  private readonly out = new PaneEmissions()
  private readonly fastBatch = new ReadingBatchBuilder()
  private readonly packer = new VectorPacker()
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
    this.pf = new PaneFeatures({
      windowsSec: opts.windowsSec,
      hopSec: opts.hopSec,
      maxSeries: opts.maxSeries,
      ...(opts.storeEverySec !== undefined ? { storeEverySec: opts.storeEverySec } : {}),
      fastRateHz: opts.fft ? DEFAULT_FFT_MIN_RATE_HZ : 0,
    })
    this.rf = opts.fft ? new RollingFeatures({ windowsSec: opts.windowsSec, maxSeries: opts.maxSeries, fft: {} }) : null
    this.longestMs = Math.max(...opts.windowsSec) * 1000
  }

  get windowsSec(): readonly number[] {
    return this.pf.windowsSec
  }

  /** Starts consuming the `readings` topic as consumer group `features`. */
  start(): void {
    this.sub ??= this.bus.subscribeBatch('readings', 'features', this.handleBatch)
  }

  stop(): void {
    this.sub?.unsubscribe()
    this.sub = null
  }

  /** One readings message: add into the panes, store and publish the windows of the boundaries crossed. */
  readonly handle = (m: ReadingsMessage): Promise<void> => this.handleBatch([m])

  /**
   * Readings messages in publish order (what the bus hands a batch subscriber): each adds
   * into the panes and yields its rows and its asset vectors as if handled alone, but the
   * rows of all of them go to the store in one append (one transaction) and the vectors of
   * each tenant in one `features` message. MQTT commits many small batches: a transaction
   * and a publish per batch cost more than the batches' features.
   */
  readonly handleBatch = async (msgs: readonly ReadingsMessage[]): Promise<void> => {
    const now = this.now()
    // Released first, so that their room goes to the series of this batch.
    this.sweep(now)
    const wantVectors = this.bus.hasSubscribers('features')
    // One batch for the stage, reused: messages are handled one at a time, and each append resolves before the batch is refilled.
    const rows = this.rows
    rows.clear()
    const byTenant = new Map<string, { assets: AssetFeatures[]; values: number; rows: number }>()
    for (const m of msgs) {
      let t = byTenant.get(m.tenantId)
      if (!t) byTenant.set(m.tenantId, (t = { assets: [], values: 0, rows: 0 }))
      const before = rows.length
      t.values += this.collect(m, wantVectors, now, rows, t.assets)
      t.rows += rows.length - before
      // A queue of messages at a window's boundary (a fleet's every series at once) is stored
      // in several appends, so the batch kept for the next messages stays near this size.
      if (rows.length >= FEATURE_APPEND_ROWS) await this.appendRows()
    }
    await this.appendRows()
    for (const [tenantId, t] of byTenant) {
      if (t.rows === 0 && t.assets.length === 0) continue
      // The message holds vectors only (the rows went to the store): none, no message.
      if (wantVectors && t.assets.length > 0) {
        // Back-pressure: while scoring is behind, this stage waits, so readings queue (bounded) and ingest slows, instead of feature messages piling up.
        if (this.bus.saturated('features')) await this.bus.waitForRoom('features')
        // Weighed by the numbers it holds: a vector of 10 channels holds some 210 values, so
        // counting it as one let a backlog of 40,000 vectors (half a gigabyte) fit the bound.
        await this.bus.publish('features', { tenantId, assets: t.assets }, Math.max(1, t.values))
      }
      this.onEvent({ type: 'emitted', tenantId, rows: t.rows, assets: t.assets.length })
    }
  }

  /**
   * Adds one message into the panes; pushes the rows to store onto `rows`, and the message's
   * asset vectors onto `assets`. Returns the number of vector values.
   */
  private collect(m: ReadingsMessage, wantVectors: boolean, now: number, rows: FeatureBatch, assets: AssetFeatures[]): number {
    const out = this.out
    out.clear()
    this.pf.push(m.batch, out, wantVectors, now)
    if (this.rf && this.pf.fastReadings > 0) this.pushFast(m)
    if (out.length === 0) return 0
    const byAsset = this.byAsset
    byAsset.clear()
    const placed = this.placed
    placed.next()
    const windows = this.pf.windowsSec
    /** Values put into the asset vectors: what the message's weight on the bus counts. */
    let values = 0
    for (let i = 0; i < out.length; i++) {
      const key = out.key[i] as number
      const w = windows[out.windowIdx[i] as number] as number
      const f = out.fast[i] === 1 && this.rf ? this.rf.fft(key, w) : undefined
      const flags = out.flags[i] as number
      if (flags & PaneEmissions.STORED) {
        rows.push(key, w, out.lastTs[i] as number, out.count[i] as number, out.mean[i] as number, out.std[i] as number, out.min[i] as number, out.max[i] as number, out.slope[i] as number, out.last[i] as number, f ? f.dominantHz : Number.NaN, f ? Array.from(f.bandEnergy) : null)
      }
      const ref = wantVectors ? m.series(key) : undefined
      if (!(flags & PaneEmissions.LIVE) || !ref) continue
      let a = byAsset.get(ref.assetId)
      if (!a) byAsset.set(ref.assetId, (a = this.scratch(byAsset.size, out.lastTs[i] as number)))
      if ((out.lastTs[i] as number) > a.ts) a.ts = out.lastTs[i] as number
      // A batch spanning several panes of a series emits its windows at each boundary: the vector keeps the newest.
      const id = key * windows.length + (out.windowIdx[i] as number)
      const at = placed.get(id)
      if (at >= 0) {
        writeRolling(a.values, at, out, i)
        if (f && at + 7 < a.n && a.names[at + 7] === fftFeatureName(ref.name, w, 'dominant_hz')) {
          a.values[at + 7] = f.dominantHz
          for (let b = 0; b < f.bandEnergy.length; b++) a.values[at + 8 + b] = f.bandEnergy[b]!
        }
        continue
      }
      placed.set(id, a.n)
      const names = rollingNames(ref.name, w)
      for (let k = 0; k < names.length; k++) a.names[a.n + k] = names[k]!
      writeRolling(a.values, a.n, out, i)
      a.n += names.length
      if (f) {
        a.names[a.n] = fftFeatureName(ref.name, w, 'dominant_hz')
        a.values[a.n++] = f.dominantHz
        for (let b = 0; b < f.bandEnergy.length; b++) {
          a.names[a.n] = fftFeatureName(ref.name, w, `band${b}`)
          a.values[a.n++] = f.bandEnergy[b]!
        }
      }
      values += 7 + (f ? 1 + f.bandEnergy.length : 0)
    }
    // One array holds the message's vectors (each a view of it): a typed array per vector was
    // ~900 small off-heap allocations a second in the 10,000-asset soak. Consumers copy what they keep.
    let total = 0
    for (const a of byAsset.values()) total += a.n
    const block = new Float64Array(total)
    let off = 0
    for (const [assetId, a] of byAsset) {
      assets.push(new PackedAssetFeatures(assetId, a.ts, this.packer.pack(assetId, a.names, a.values, a.n, block.subarray(off, off + a.n))))
      off += a.n
    }
    return values
  }

  /** Stores the rows collected so far and empties the batch. */
  private async appendRows(): Promise<void> {
    if (this.rows.length === 0) return
    await this.store.append(this.rows)
    this.emittedRows += this.rows.length
    this.rows.clear()
  }

  /** The rows to store of the messages being handled (see handleBatch). */
  private readonly rows = new FeatureBatch()
  /** Scratch of one message: each asset's vector being built, and where each (series, window) sits in it. */
  private readonly byAsset = new Map<string, VectorScratch>()
  private readonly placed = new PlacedIndex()
  /** Vector builders reused from message to message (a message's vectors are copied out by the packer). */
  private readonly scratchPool: VectorScratch[] = []

  private scratch(i: number, ts: number): VectorScratch {
    let sc = this.scratchPool[i]
    if (!sc) {
      sc = { ts, n: 0, names: [], values: [] }
      // Bounded: a message of more assets than that builds the rest afresh.
      if (i < SCRATCH_POOL_MAX) this.scratchPool.push(sc)
    }
    sc.ts = ts
    // Written from 0 by index: the arrays keep their backing stores (setting length to 0 would drop them).
    sc.n = 0
    return sc
  }

  /** The readings of fast series go on to the FFT windows. */
  private pushFast(m: ReadingsMessage): void {
    const b = this.fastBatch
    b.truncate(0)
    const { series, ts, value } = m.batch
    const idx = this.pf.fastIndex
    for (let j = 0; j < this.pf.fastReadings; j++) {
      const i = idx[j] as number
      b.push(series[i] as number, ts[i] as number, value[i] as number)
    }
    this.rf!.push(b.build())
  }

  /**
   * Releases the series that received nothing for the longest window of wall-clock time,
   * at most once per FEATURE_SWEEP_MS. Wall clock, not data time: a replay of old data
   * is not idle, and a device whose clock runs ahead does not release everyone else.
   */
  private sweep(now: number): void {
    if (now - this.lastSweep < FEATURE_SWEEP_MS) return
    this.lastSweep = now
    for (const key of this.pf.releaseIdle(now - this.longestMs)) {
      this.rf?.evict(key)
      this.onEvent({ type: 'released', series: key })
    }
  }

  /**
   * The current feature vector of the given series (the ones this stage tracks), named by
   * channel; series it does not track are absent. Each window is the one ending at the
   * series' newest pane boundary (as last published, plus late readings since); a series
   * still in its first pane gets the windows of what it has so far. `ts` is the newest
   * reading the vector covers.
   */
  current(refs: readonly SeriesRef[]): { ts: number; vector: FeatureVector } | undefined {
    const out: Record<string, number> = {}
    let ts = Number.NEGATIVE_INFINITY
    const windows = this.pf.windowsSec
    for (const ref of refs) {
      for (let w = 0; w < windows.length; w++) {
        const s = this.pf.window(ref.key, w)
        if (!s) continue
        ts = Math.max(ts, s.lastTs)
        const win = windows[w] as number
        const names = rollingNames(ref.name, win)
        ROLLING_STATS.forEach((stat, k) => (out[names[k]!] = stat === 'slope' ? s.slopePerSec : s[stat]))
        const f = this.rf && this.pf.isFast(ref.key) ? this.rf.fft(ref.key, win) : undefined
        if (f) addFft(out, ref.name, win, f)
      }
    }
    return ts === Number.NEGATIVE_INFINITY ? undefined : { ts, vector: out as FeatureVector }
  }

  /** Series tracked, readings counted by kind: for metrics and tests. */
  stats(): { series: number; emittedRows: number; fastSeries: number } & ReturnType<PaneFeatures['stats']> {
    return { ...this.pf.stats(), fastSeries: this.rf?.size ?? 0, emittedRows: this.emittedRows }
  }
}

/** The rolling statistics of emission `i`, in ROLLING_STATS order (count, mean, std, min, max, slope, last), at `at`. */
function writeRolling(values: number[], at: number, out: PaneEmissions, i: number): void {
  values[at] = out.count[i] as number
  values[at + 1] = out.mean[i] as number
  values[at + 2] = out.std[i] as number
  values[at + 3] = out.min[i] as number
  values[at + 4] = out.max[i] as number
  values[at + 5] = out.slope[i] as number
  values[at + 6] = out.last[i] as number
}

function addFft(v: Record<string, number>, channel: string, w: number, f: { dominantHz: number; bandEnergy: ArrayLike<number> }): void {
  v[fftFeatureName(channel, w, 'dominant_hz')] = f.dominantHz
  for (let b = 0; b < f.bandEnergy.length; b++) v[fftFeatureName(channel, w, `band${b}`)] = f.bandEnergy[b]!
}

/**
 * Where each (series, window) of the message being collected sits in its asset's vector: ids
 * are small dense integers (series key × windows + window), so arrays indexed by id, stamped
 * with the message they were set for, instead of a Map cleared per message. Clearing a Map
 * drops its table, and refilling it to the 30,000 entries of an HTTP batch regrew it a dozen
 * times: over a quarter of what the event loop allocated under HTTP ingest.
 */
export class PlacedIndex {
  private at = new Int32Array(0)
  private stampOf = new Uint32Array(0)
  private stamp = 1

  /** Forgets every entry (in O(1): entries of earlier stamps no longer count). */
  next(): void {
    if (++this.stamp === 0xffff_ffff) {
      this.stampOf.fill(0)
      this.stamp = 1
    }
  }

  /** The position set for `id` since the last `next()`, or -1. */
  get(id: number): number {
    return id < this.stampOf.length && this.stampOf[id] === this.stamp ? (this.at[id] as number) : -1
  }

  set(id: number, position: number): void {
    if (id >= this.stampOf.length) {
      const size = Math.max(id + 1, 2 * this.stampOf.length, 1024)
      this.at = grown(this.at, size)
      this.stampOf = grown(this.stampOf, size)
    }
    this.stampOf[id] = this.stamp
    this.at[id] = position
  }
}
