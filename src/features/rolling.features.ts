/**
 * Incremental rolling-window statistics per series, for several window lengths at once.
 *
 * Each series keeps one ring buffer holding the longest window; every window length
 * keeps its own start position in that buffer, running sums and two monotonic deques.
 * A reading costs amortised O(1) per window: its sums are added, readings that fell
 * out of the window are subtracted, and min/max come from the deques' fronts.
 *
 * Window: for window length W, a series' window holds its readings with
 * `ts > newestTs − W·1000`, where `newestTs` is the newest timestamp seen for that
 * series (not the wall clock: a series that stops keeps its last window until
 * `releaseIdle` or `evict` drops it).
 *
 * Out-of-order readings, per series, in batch order:
 * - a timestamp equal to one already held is a duplicate and is ignored (the platform
 *   deduplicates by (series, ts), so this matches what is stored);
 * - a reading older than the newest by less than the longest window is inserted in
 *   time order, and counts in every window whose range contains it; the windows are
 *   not moved (they stay anchored at the newest reading);
 * - a reading older than that (`ts ≤ newestTs − longest·1000`) is ignored and counted as `tooLate`.
 * A late insert costs O(readings newer than it + deque length), cheap for the slightly
 * late readings this is meant for.
 *
 * Numerics: sums are kept over times and values shifted by a per-window reference
 * (a reading of the window), so epoch-millisecond times (~1.8e12) and large offsets do
 * not cancel; the sums are recomputed from the buffer, and the reference moved, once
 * as many readings have been evicted as the window holds, which bounds drift at
 * amortised O(1) cost.
 */
import { type ReadingBatch } from '../domain/readings.js'
import { FeatureConfigError, UnknownWindowError } from './errors.js'
import { type FeatureVector, ROLLING_STATS, featureName, fftFeatureName } from './feature-vector.js'
import { type FftFeatures, type FftOptions, FftFeatureExtractor } from './fft.features.js'

/** Default rolling windows, in seconds. */
export const DEFAULT_WINDOWS_SEC: readonly number[] = [10, 30, 60]
/** Default bound on the number of series tracked at once. */
export const DEFAULT_MAX_SERIES = 100_000
/**
 * Default bound on readings buffered per series: 60 s at ~2 kHz, 2 MiB of ring, plus at
 * most as much again per min/max deque (only reached by monotonic runs).
 */
export const DEFAULT_MAX_SAMPLES_PER_SERIES = 131_072

/** How rolling features are computed. */
export interface RollingOptions {
  /** Window lengths in seconds (default 10, 30, 60). */
  windowsSec: readonly number[]
  /** New series beyond this many are refused (counted in `stats().refused`) until others are released. */
  maxSeries: number
  /**
   * Readings buffered per series (rounded up to a power of two). A series faster than this
   * over its longest window has its oldest readings dropped, so its windows hold fewer
   * seconds than configured; late readings arriving while full are ignored.
   */
  maxSamplesPerSeries: number
  /** FFT options for `fft()` and `vector()`; false turns FFT features off. Default: on, with defaults. */
  fft: Partial<FftOptions> | false
  /** Windows that get FFT features in `vector()` (default all). */
  fftWindowsSec?: readonly number[]
}

/** Statistics of one series over one window. */
export interface RollingSnapshot {
  windowSec: number
  /** Readings in the window (≥ 1 for a tracked series: the newest is always in). */
  count: number
  mean: number
  /** Population standard deviation (divisor n): 0 for a single reading. */
  std: number
  min: number
  max: number
  /** Least-squares slope of value against time, in value units per second; 0 below two readings. */
  slopePerSec: number
  /** The newest value and its timestamp (epoch ms). */
  last: number
  lastTs: number
  /** Timestamp of the oldest reading in the window (epoch ms). */
  firstTs: number
}

/** Counters since construction, and current sizes. */
export interface RollingStats {
  /** Series tracked now. */
  series: number
  /** Readings buffered now, over all series. */
  samples: number
  /** Readings taken in time order. */
  accepted: number
  /** Late readings inserted in order. */
  late: number
  /** Late readings ignored: older than the newest by the longest window or more, or buffer full. */
  tooLate: number
  /** Readings whose (series, ts) was already held. */
  duplicates: number
  /** Readings with a non-finite timestamp or value. */
  invalid: number
  /** Readings refused because `maxSeries` series were tracked. */
  refused: number
}

/** Sums are recomputed after at least this many evictions even for tiny windows. */
const RECOMPUTE_MIN_EVICTIONS = 16
const INITIAL_RING_CAPACITY = 8
const INITIAL_DEQUE_CAPACITY = 4

/*
 * Per-series state lives in one Float64Array, so that a reading touches one contiguous
 * block instead of a chain of objects: with ten thousand series the working set does
 * not fit in cache, and each dependent pointer hop is a miss (on the 10,000-series 1 Hz
 * fleet of bench/features.ts this layout went from ~0.57 to ~1.0 million readings/s
 * over one object per window and per deque).
 *
 *   [ window 0 header | … | window W−1 header | 2W deques × dequeCap | ring: (ts, value) × ringCap ]
 *
 * Deques hold sequence numbers: absolute positions in the series' stream that never
 * wrap, so they survive the ring being resized; a sequence number's ring slot is
 * `seq & ringMask`. Deque 2w is window w's max deque (values strictly decreasing from
 * front to back), deque 2w+1 its min deque (strictly increasing).
 */
const HEADER = 16
const H_HEAD = 0 // sequence number of the window's oldest reading
const H_N = 1
const H_REF_TS = 2 // the shift applied to times (ms) and values in the sums below
const H_REF_V = 3
const H_ST = 4 // Σt (s)
const H_SV = 5 // Σv
const H_STT = 6
const H_SVV = 7
const H_STV = 8
const H_EVICTED = 9 // evictions since the sums were last recomputed
const H_QHEAD = 10 // deque q (0 max, 1 min): ring head at H_QHEAD + 2q, size at H_QHEAD + 2q + 1

class SeriesState {
  d: Float64Array
  ringCap: number
  ringMask: number
  dequeCap: number
  dequeMask: number
  ringOff: number
  /** The ring holds sequence numbers [start, end). */
  start = 0
  end = 0
  newestTs = Number.NEGATIVE_INFINITY

  constructor(readonly windows: number) {
    this.ringCap = INITIAL_RING_CAPACITY
    this.ringMask = INITIAL_RING_CAPACITY - 1
    this.dequeCap = INITIAL_DEQUE_CAPACITY
    this.dequeMask = INITIAL_DEQUE_CAPACITY - 1
    this.ringOff = windows * HEADER + 2 * windows * INITIAL_DEQUE_CAPACITY
    this.d = new Float64Array(this.ringOff + 2 * INITIAL_RING_CAPACITY)
  }

  tsAt(seq: number): number {
    return this.d[this.ringOff + 2 * (seq & this.ringMask)] as number
  }

  valueAt(seq: number): number {
    return this.d[this.ringOff + 2 * (seq & this.ringMask) + 1] as number
  }

  /** Offset of deque j (2w + q) in `d`. */
  dequeBase(j: number): number {
    return this.windows * HEADER + j * this.dequeCap
  }

  /** Entry i (from the front) of deque q of window w. */
  dequeAt(w: number, q: number, i: number): number {
    const d = this.d
    return d[this.dequeBase(2 * w + q) + (((d[w * HEADER + H_QHEAD + 2 * q] as number) + i) & this.dequeMask)] as number
  }

  dequeSize(w: number, q: number): number {
    return this.d[w * HEADER + H_QHEAD + 2 * q + 1] as number
  }

  /** Moves everything into a block with the given capacities (each deque restarts at 0). */
  relayout(ringCap: number, dequeCap: number): void {
    const W = this.windows
    const ringOff = W * HEADER + 2 * W * dequeCap
    const next = new Float64Array(ringOff + 2 * ringCap)
    next.set(this.d.subarray(0, W * HEADER))
    for (let w = 0; w < W; w++) {
      for (let q = 0; q < 2; q++) {
        const size = this.dequeSize(w, q)
        const base = W * HEADER + (2 * w + q) * dequeCap
        for (let i = 0; i < size; i++) next[base + i] = this.dequeAt(w, q, i)
        next[w * HEADER + H_QHEAD + 2 * q] = 0
      }
    }
    const ringMask = ringCap - 1
    for (let seq = this.start; seq < this.end; seq++) {
      const to = ringOff + 2 * (seq & ringMask)
      next[to] = this.tsAt(seq)
      next[to + 1] = this.valueAt(seq)
    }
    this.d = next
    this.ringCap = ringCap
    this.ringMask = ringMask
    this.dequeCap = dequeCap
    this.dequeMask = dequeCap - 1
    this.ringOff = ringOff
  }

  /** Each operation adds at most one entry per deque: make sure there is room for it. */
  ensureDequeRoom(): void {
    for (let j = 0; j < 2 * this.windows; j++) {
      if ((this.d[(j >> 1) * HEADER + H_QHEAD + 2 * (j & 1) + 1] as number) === this.dequeCap) {
        this.relayout(this.ringCap, this.dequeCap * 2)
        return
      }
    }
  }
}

function ceilPowerOfTwo(n: number): number {
  let p = 1
  while (p < n) p *= 2
  return p
}

/**
 * Rolling statistics (count, mean, std, min, max, slope, last) per series and window
 * length, updated incrementally as batches arrive, plus FFT features on demand.
 * Pure and synchronous: the caller owns the clock and calls `releaseIdle(nowTs)`
 * from time to time to free series that stopped reporting.
 *
 * @example
 * const rf = new RollingFeatures({ windowsSec: [10, 60] })
 * rf.push(batch)
 * rf.snapshot(seriesKey, 10)        // { count, mean, std, min, max, slopePerSec, last, … }
 * rf.vector(seriesKey, 'temp')      // { 'temp.w10.mean': 21.3, …, 'temp.w60.fft.dominant_hz': … }
 * rf.releaseIdle(nowTs)
 */
export class RollingFeatures {
  /** Window lengths, ascending. */
  readonly windowsSec: readonly number[]
  private readonly windowsMs: Float64Array
  private readonly windowIndex = new Map<number, number>()
  private readonly longestMs: number
  private readonly maxSeries: number
  private readonly maxCapacity: number
  private readonly series = new Map<number, SeriesState>()
  private readonly fftExtractor: FftFeatureExtractor | undefined
  private readonly fftWindows: readonly number[]
  private scratchTs = new Float64Array(0)
  private scratchV = new Float64Array(0)
  private readonly counters = { accepted: 0, late: 0, tooLate: 0, duplicates: 0, invalid: 0, refused: 0 }

  constructor(options: Partial<RollingOptions> = {}) {
    const windows = [...(options.windowsSec ?? DEFAULT_WINDOWS_SEC)].sort((a, b) => a - b)
    if (windows.length === 0) throw new FeatureConfigError('at least one rolling window is required')
    for (const [i, w] of windows.entries()) {
      if (!(w > 0 && Number.isFinite(w))) throw new FeatureConfigError(`window length must be a positive number of seconds, got ${w}`)
      if (i > 0 && windows[i - 1] === w) throw new FeatureConfigError(`window length ${w} s is listed twice`)
      this.windowIndex.set(w, i)
    }
    this.windowsSec = windows
    this.windowsMs = Float64Array.from(windows, (w) => w * 1000)
    this.longestMs = (windows[windows.length - 1] as number) * 1000
    this.maxSeries = options.maxSeries ?? DEFAULT_MAX_SERIES
    if (!(this.maxSeries >= 1)) throw new FeatureConfigError(`maxSeries must be ≥ 1, got ${this.maxSeries}`)
    const maxSamples = options.maxSamplesPerSeries ?? DEFAULT_MAX_SAMPLES_PER_SERIES
    if (!(maxSamples >= 2)) throw new FeatureConfigError(`maxSamplesPerSeries must be ≥ 2, got ${maxSamples}`)
    this.maxCapacity = Math.max(INITIAL_RING_CAPACITY, ceilPowerOfTwo(maxSamples))
    const fft = options.fft ?? {}
    this.fftExtractor = fft === false ? undefined : new FftFeatureExtractor(fft)
    this.fftWindows = options.fftWindowsSec ?? windows
    for (const w of this.fftWindows) if (!this.windowIndex.has(w)) throw new FeatureConfigError(`FFT window ${w} s is not one of the rolling windows`)
  }

  /** Number of series tracked. */
  get size(): number {
    return this.series.size
  }

  /** True when the series has state. */
  has(series: number): boolean {
    return this.series.has(series)
  }

  /** Timestamp of the newest reading held for `series`; undefined for an unknown series. */
  newestTs(series: number): number | undefined {
    return this.series.get(series)?.newestTs
  }

  /** Takes a batch of readings; see the module documentation for late and duplicate readings. */
  push(batch: ReadingBatch): void {
    const { series: keys, ts: tsCol, value: valueCol, length } = batch
    const c = this.counters
    // High-rate channels arrive in runs of one series: skip the map for those.
    let lastKey = Number.NaN
    let s: SeriesState | undefined
    for (let i = 0; i < length; i++) {
      const key = keys[i] as number
      const ts = tsCol[i] as number
      const v = valueCol[i] as number
      if (!Number.isFinite(ts) || !Number.isFinite(v)) {
        c.invalid++
        continue
      }
      if (key !== lastKey || s === undefined) {
        s = this.series.get(key)
        lastKey = key
        if (s === undefined) {
          if (this.series.size >= this.maxSeries) {
            c.refused++
            continue
          }
          s = new SeriesState(this.windowsMs.length)
          for (let w = 0; w < s.windows; w++) {
            s.d[w * HEADER + H_REF_TS] = ts
            s.d[w * HEADER + H_REF_V] = v
          }
          this.series.set(key, s)
        }
      }
      const newest = s.newestTs
      if (ts > newest) {
        this.append(s, ts, v)
        c.accepted++
      } else if (ts === newest) {
        c.duplicates++
      } else if (ts <= newest - this.longestMs) {
        c.tooLate++
      } else {
        this.insertLate(s, ts, v)
      }
    }
  }

  /** Statistics of `series` over the window of `windowSec`; undefined for an unknown series. */
  snapshot(series: number, windowSec: number): RollingSnapshot | undefined {
    const w = this.windowIndex.get(windowSec)
    if (w === undefined) throw new UnknownWindowError(windowSec)
    const s = this.series.get(series)
    if (s === undefined) return undefined
    const d = s.d
    const h = w * HEADER
    const n = d[h + H_N] as number
    const sv = d[h + H_SV] as number
    const st = d[h + H_ST] as number
    const meanShifted = sv / n
    const variance = Math.max(0, ((d[h + H_SVV] as number) - sv * meanShifted) / n)
    const sttc = (d[h + H_STT] as number) - (st * st) / n
    const stvc = (d[h + H_STV] as number) - (st * sv) / n
    return {
      windowSec,
      count: n,
      mean: (d[h + H_REF_V] as number) + meanShifted,
      std: Math.sqrt(variance),
      min: s.valueAt(s.dequeAt(w, 1, 0)),
      max: s.valueAt(s.dequeAt(w, 0, 0)),
      slopePerSec: n >= 2 && sttc > 0 ? stvc / sttc : 0,
      last: s.valueAt(s.end - 1),
      lastTs: s.newestTs,
      firstTs: s.tsAt(d[h + H_HEAD] as number),
    }
  }

  /**
   * The readings of `series` in the window of `windowSec`, oldest first, as fresh arrays
   * (undefined for an unknown series). For inspection and tests; features use the buffer in place.
   */
  window(series: number, windowSec: number): { ts: Float64Array; value: Float64Array } | undefined {
    const w = this.windowIndex.get(windowSec)
    if (w === undefined) throw new UnknownWindowError(windowSec)
    const s = this.series.get(series)
    if (s === undefined) return undefined
    const n = s.d[w * HEADER + H_N] as number
    const ts = new Float64Array(n)
    const value = new Float64Array(n)
    this.copyWindow(s, w, ts, value)
    return { ts, value }
  }

  /**
   * FFT features of `series` over the window of `windowSec`; undefined for an unknown
   * series, when FFT features are off, or when the window is too slow or too short
   * (see `FftOptions`).
   */
  fft(series: number, windowSec: number): FftFeatures | undefined {
    const w = this.windowIndex.get(windowSec)
    if (w === undefined) throw new UnknownWindowError(windowSec)
    const s = this.series.get(series)
    if (s === undefined || this.fftExtractor === undefined) return undefined
    const n = s.d[w * HEADER + H_N] as number
    const { minRateHz, minSize, maxSize } = this.fftExtractor.options
    // The rate threshold applies to the whole window, checked before copying anything;
    // the transform then only needs the newest maxSize readings.
    if (n < minSize) return undefined
    const head = s.d[w * HEADER + H_HEAD] as number
    const spanMs = s.newestTs - s.tsAt(head)
    if (!(spanMs > 0) || ((n - 1) * 1000) / spanMs < minRateHz) return undefined
    const take = Math.min(n, maxSize)
    if (this.scratchTs.length < take) {
      this.scratchTs = new Float64Array(ceilPowerOfTwo(take))
      this.scratchV = new Float64Array(ceilPowerOfTwo(take))
    }
    this.copyRange(s, s.end - take, this.scratchTs, this.scratchV)
    return this.fftExtractor.compute(this.scratchTs, this.scratchV, take)
  }

  /**
   * All features of `series` named for `channel`: the rolling statistics of every window
   * and, for windows with FFT features (when the channel is fast enough), `fft.dominant_hz`
   * and `fft.band<i>`. Empty for an unknown series.
   */
  vector(series: number, channel: string): FeatureVector {
    const out: Record<string, number> = {}
    if (!this.series.has(series)) return out
    for (const w of this.windowsSec) {
      const snap = this.snapshot(series, w) as RollingSnapshot
      for (const stat of ROLLING_STATS) out[featureName(channel, w, stat)] = stat === 'slope' ? snap.slopePerSec : snap[stat]
    }
    for (const w of this.fftWindows) {
      const f = this.fft(series, w)
      if (f === undefined) continue
      out[fftFeatureName(channel, w, 'dominant_hz')] = f.dominantHz
      for (let b = 0; b < f.bandEnergy.length; b++) out[fftFeatureName(channel, w, `band${b}`)] = f.bandEnergy[b] as number
    }
    return out as FeatureVector
  }

  /** Drops all state of `series`; true when it was tracked. */
  evict(series: number): boolean {
    return this.series.delete(series)
  }

  /**
   * Releases every series whose newest reading is at least the longest window older than
   * `nowTs` (epoch ms, the caller's clock), and shrinks buffers left less than a quarter
   * full after a burst. Returns the number of series released.
   */
  releaseIdle(nowTs: number): number {
    const cutoff = nowTs - this.longestMs
    let released = 0
    for (const [key, s] of this.series) {
      if (s.newestTs <= cutoff) {
        this.series.delete(key)
        released++
        continue
      }
      const size = s.end - s.start
      let ringCap = s.ringCap
      while (ringCap > INITIAL_RING_CAPACITY && size * 4 < ringCap) ringCap /= 2
      let longestDeque = 0
      for (let w = 0; w < s.windows; w++) longestDeque = Math.max(longestDeque, s.dequeSize(w, 0), s.dequeSize(w, 1))
      let dequeCap = s.dequeCap
      while (dequeCap > INITIAL_DEQUE_CAPACITY && longestDeque * 4 < dequeCap) dequeCap /= 2
      if (ringCap < s.ringCap || dequeCap < s.dequeCap) s.relayout(ringCap, dequeCap)
    }
    return released
  }

  /** Counters and sizes. */
  stats(): RollingStats {
    let samples = 0
    for (const s of this.series.values()) samples += s.end - s.start
    return { series: this.series.size, samples, ...this.counters }
  }

  private copyWindow(s: SeriesState, w: number, ts: Float64Array, value: Float64Array): void {
    this.copyRange(s, s.d[w * HEADER + H_HEAD] as number, ts, value)
  }

  /** Copies the readings from sequence number `from` to the newest. */
  private copyRange(s: SeriesState, from: number, ts: Float64Array, value: Float64Array): void {
    for (let seq = from, i = 0; seq < s.end; seq++, i++) {
      ts[i] = s.tsAt(seq)
      value[i] = s.valueAt(seq)
    }
  }

  private append(s: SeriesState, ts: number, v: number): void {
    if (s.end - s.start === s.ringCap) {
      if (s.ringCap < this.maxCapacity) s.relayout(s.ringCap * 2, s.dequeCap)
      else this.dropOldest(s)
    }
    s.ensureDequeRoom()
    const d = s.d
    const seq = s.end
    const ringOff = s.ringOff
    const ringMask = s.ringMask
    const dequeMask = s.dequeMask
    const slot = ringOff + 2 * (seq & ringMask)
    d[slot] = ts
    d[slot + 1] = v
    s.end = seq + 1
    s.newestTs = ts
    const W = s.windows
    for (let w = 0; w < W; w++) {
      const h = w * HEADER
      addToSums(d, h, ts, v)

      // Max deque: drop entries the new reading outlives and matches or beats.
      let base = W * HEADER + 2 * w * s.dequeCap
      let qh = d[h + H_QHEAD] as number
      let qs = d[h + H_QHEAD + 1] as number
      while (qs > 0 && (d[ringOff + 2 * ((d[base + ((qh + qs - 1) & dequeMask)] as number) & ringMask) + 1] as number) <= v) qs--
      d[base + ((qh + qs) & dequeMask)] = seq
      d[h + H_QHEAD + 1] = qs + 1
      // Min deque, mirrored.
      base += s.dequeCap
      qh = d[h + H_QHEAD + 2] as number
      qs = d[h + H_QHEAD + 3] as number
      while (qs > 0 && (d[ringOff + 2 * ((d[base + ((qh + qs - 1) & dequeMask)] as number) & ringMask) + 1] as number) >= v) qs--
      d[base + ((qh + qs) & dequeMask)] = seq
      d[h + H_QHEAD + 3] = qs + 1

      const cutoff = ts - (this.windowsMs[w] as number)
      while ((d[ringOff + 2 * ((d[h + H_HEAD] as number) & ringMask)] as number) <= cutoff) this.evictHead(s, w)
      const evicted = d[h + H_EVICTED] as number
      if (evicted >= RECOMPUTE_MIN_EVICTIONS && evicted >= (d[h + H_N] as number)) this.recompute(s, w)
    }
    // The longest window is last and starts earliest: the ring holds exactly it.
    s.start = d[(W - 1) * HEADER + H_HEAD] as number
  }

  private evictHead(s: SeriesState, w: number): void {
    const d = s.d
    const h = w * HEADER
    const seq = d[h + H_HEAD] as number
    const slot = s.ringOff + 2 * (seq & s.ringMask)
    const t = ((d[slot] as number) - (d[h + H_REF_TS] as number)) * 0.001
    const dv = (d[slot + 1] as number) - (d[h + H_REF_V] as number)
    d[h + H_N] = (d[h + H_N] as number) - 1
    d[h + H_ST] = (d[h + H_ST] as number) - t
    d[h + H_SV] = (d[h + H_SV] as number) - dv
    d[h + H_STT] = (d[h + H_STT] as number) - t * t
    d[h + H_SVV] = (d[h + H_SVV] as number) - dv * dv
    d[h + H_STV] = (d[h + H_STV] as number) - t * dv
    d[h + H_EVICTED] = (d[h + H_EVICTED] as number) + 1
    for (let q = 0; q < 2; q++) {
      const hq = h + H_QHEAD + 2 * q
      const size = d[hq + 1] as number
      if (size > 0 && s.dequeAt(w, q, 0) === seq) {
        d[hq] = ((d[hq] as number) + 1) & s.dequeMask
        d[hq + 1] = size - 1
      }
    }
    d[h + H_HEAD] = seq + 1
  }

  /** The ring is at its bound: the oldest reading leaves every window that holds it. */
  private dropOldest(s: SeriesState): void {
    for (let w = 0; w < s.windows; w++) {
      if ((s.d[w * HEADER + H_HEAD] as number) === s.start && (s.d[w * HEADER + H_N] as number) > 0) this.evictHead(s, w)
    }
    s.start++
  }

  private recompute(s: SeriesState, w: number): void {
    const d = s.d
    const h = w * HEADER
    const head = d[h + H_HEAD] as number
    const refTs = s.tsAt(head)
    const refV = s.valueAt(head)
    let st = 0
    let sv = 0
    let stt = 0
    let svv = 0
    let stv = 0
    for (let seq = head; seq < s.end; seq++) {
      const t = (s.tsAt(seq) - refTs) * 0.001
      const dv = s.valueAt(seq) - refV
      st += t
      sv += dv
      stt += t * t
      svv += dv * dv
      stv += t * dv
    }
    d[h + H_N] = s.end - head
    d[h + H_REF_TS] = refTs
    d[h + H_REF_V] = refV
    d[h + H_ST] = st
    d[h + H_SV] = sv
    d[h + H_STT] = stt
    d[h + H_SVV] = svv
    d[h + H_STV] = stv
    d[h + H_EVICTED] = 0
  }

  private insertLate(s: SeriesState, ts: number, v: number): void {
    if (s.end - s.start === s.ringCap) {
      if (s.ringCap >= this.maxCapacity) {
        this.counters.tooLate++
        return
      }
      s.relayout(s.ringCap * 2, s.dequeCap)
    }
    // First sequence number whose timestamp is ≥ ts; the newest is > ts, so p < end.
    let lo = s.start
    let hi = s.end - 1
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2)
      if (s.tsAt(mid) < ts) lo = mid + 1
      else hi = mid
    }
    const p = lo
    if (s.tsAt(p) === ts) {
      this.counters.duplicates++
      return
    }
    s.ensureDequeRoom()
    const d = s.d
    for (let seq = s.end; seq > p; seq--) {
      const to = s.ringOff + 2 * (seq & s.ringMask)
      const from = s.ringOff + 2 * ((seq - 1) & s.ringMask)
      d[to] = d[from] as number
      d[to + 1] = d[from + 1] as number
    }
    const slot = s.ringOff + 2 * (p & s.ringMask)
    d[slot] = ts
    d[slot + 1] = v
    s.end++
    for (let w = 0; w < s.windows; w++) {
      const h = w * HEADER
      for (let q = 0; q < 2; q++) this.dequeShiftFrom(s, w, q, p)
      if (ts <= s.newestTs - (this.windowsMs[w] as number)) {
        // Outside this window: everything the window holds moved up by one.
        d[h + H_HEAD] = (d[h + H_HEAD] as number) + 1
        continue
      }
      addToSums(d, h, ts, v)
      // The new reading belongs in a deque unless a later reading is at least as extreme;
      // if it belongs, the earlier entries it matches or beats become redundant.
      for (let q = 0; q < 2; q++) {
        const beats = (x: number): boolean => (q === 0 ? v > x : v < x)
        const k = this.dequeUpperBound(s, w, q, p)
        if (k < s.dequeSize(w, q) && !beats(s.valueAt(s.dequeAt(w, q, k)))) continue
        let j = k
        while (j > 0 && !(q === 0 ? v < s.valueAt(s.dequeAt(w, q, j - 1)) : v > s.valueAt(s.dequeAt(w, q, j - 1)))) j--
        this.dequeReplace(s, w, q, j, k, p)
      }
    }
    s.start = d[(s.windows - 1) * HEADER + H_HEAD] as number
    this.counters.late++
  }

  /** Adds 1 to every entry ≥ seq of a deque (a reading was inserted before them). */
  private dequeShiftFrom(s: SeriesState, w: number, q: number, seq: number): void {
    const d = s.d
    const base = s.dequeBase(2 * w + q)
    const qh = d[w * HEADER + H_QHEAD + 2 * q] as number
    for (let i = s.dequeSize(w, q) - 1; i >= 0; i--) {
      const at = base + ((qh + i) & s.dequeMask)
      const x = d[at] as number
      if (x < seq) break
      d[at] = x + 1
    }
  }

  /** First index of a deque whose entry is > seq (its size when none). */
  private dequeUpperBound(s: SeriesState, w: number, q: number, seq: number): number {
    let lo = 0
    let hi = s.dequeSize(w, q)
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (s.dequeAt(w, q, mid) > seq) hi = mid
      else lo = mid + 1
    }
    return lo
  }

  /** Replaces entries [from, to) of a deque by the single entry x (room for one more is ensured). */
  private dequeReplace(s: SeriesState, w: number, q: number, from: number, to: number, x: number): void {
    const d = s.d
    const base = s.dequeBase(2 * w + q)
    const hq = w * HEADER + H_QHEAD + 2 * q
    const qh = d[hq] as number
    const size = d[hq + 1] as number
    const at = (i: number): number => base + ((qh + i) & s.dequeMask)
    const removed = to - from
    if (removed === 0) {
      for (let i = size; i > from; i--) d[at(i)] = d[at(i - 1)] as number
    } else {
      for (let i = to; i < size; i++) d[at(i - removed + 1)] = d[at(i)] as number
    }
    d[at(from)] = x
    d[hq + 1] = size - removed + 1
  }
}

/** Adds one reading to a window's running sums, centred on the window's reference time and value. */
function addToSums(d: Float64Array, h: number, ts: number, v: number): void {
  const t = (ts - (d[h + H_REF_TS] as number)) * 0.001
  const dv = v - (d[h + H_REF_V] as number)
  d[h + H_N] = (d[h + H_N] as number) + 1
  d[h + H_ST] = (d[h + H_ST] as number) + t
  d[h + H_SV] = (d[h + H_SV] as number) + dv
  d[h + H_STT] = (d[h + H_STT] as number) + t * t
  d[h + H_SVV] = (d[h + H_SVV] as number) + dv * dv
  d[h + H_STV] = (d[h + H_STV] as number) + t * dv
}
