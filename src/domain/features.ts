/**
 * Stored feature snapshots: the rolling statistics of one channel over one window at
 * one time, as the features stage emits them and the FeatureStore keeps them.
 */

/** Statistics of one series over one window; `fftDominantHz`/`fftBands` null when the channel is too slow for FFT features. */
export interface FeatureRow {
  series: number
  windowSec: number
  /** Timestamp of the newest reading in the window (epoch ms). */
  ts: number
  count: number
  mean: number
  std: number
  min: number
  max: number
  /** Least-squares slope, value units per second. */
  slope: number
  last: number
  fftDominantHz: number | null
  fftBands: number[] | null
}

/** Throws RangeError naming the first row whose time is not a whole number of epoch ms (what both stores keep). */
export function checkFeatureTimes(b: FeatureBatch): void {
  for (let i = 0; i < b.length; i++) {
    const t = b.ts[i]!
    if (!Number.isSafeInteger(t)) throw new RangeError(`feature row ${i}: ts must be an integer number of epoch ms, got ${t}`)
  }
}

/** The columns of a FeatureBatch that hold numbers, in the order of FeatureRow's fields. */
const INT_COLUMNS = ['series', 'windowSec', 'count'] as const
const FLOAT_COLUMNS = ['ts', 'mean', 'std', 'min', 'max', 'slope', 'last', 'fftDominantHz'] as const

/**
 * Feature rows as columns: what the features stage emits and a FeatureStore appends. A
 * large fleet emits ~15,000 rows a second and 300,000 at once at a minute's boundary; as
 * objects (with a boxed number per statistic) those were 70 MB of short-lived heap at
 * each boundary in the 10,000-asset soak, for the store to copy into columns anyway.
 *
 * The columns are valid up to `length`; they are replaced when the batch grows, so read
 * them after the last push. `fftDominantHz` is NaN for a row without FFT features, and
 * `bands` holds the band energies of the (few) rows that have them, by row.
 */
export class FeatureBatch {
  series: Int32Array
  windowSec: Int32Array
  count: Int32Array
  ts: Float64Array
  mean: Float64Array
  std: Float64Array
  min: Float64Array
  max: Float64Array
  slope: Float64Array
  last: Float64Array
  fftDominantHz: Float64Array
  readonly bands = new Map<number, readonly number[]>()
  private n = 0

  constructor(capacity = 256) {
    const cap = Math.max(1, capacity)
    this.series = new Int32Array(cap)
    this.windowSec = new Int32Array(cap)
    this.count = new Int32Array(cap)
    this.ts = new Float64Array(cap)
    this.mean = new Float64Array(cap)
    this.std = new Float64Array(cap)
    this.min = new Float64Array(cap)
    this.max = new Float64Array(cap)
    this.slope = new Float64Array(cap)
    this.last = new Float64Array(cap)
    this.fftDominantHz = new Float64Array(cap)
  }

  /** A batch of these rows (tests, and callers holding rows). */
  static of(rows: readonly FeatureRow[]): FeatureBatch {
    const b = new FeatureBatch(rows.length)
    for (const r of rows) b.push(r.series, r.windowSec, r.ts, r.count, r.mean, r.std, r.min, r.max, r.slope, r.last, r.fftDominantHz ?? Number.NaN, r.fftBands)
    return b
  }

  get length(): number {
    return this.n
  }

  push(series: number, windowSec: number, ts: number, count: number, mean: number, std: number, min: number, max: number, slope: number, last: number, fftDominantHz = Number.NaN, fftBands: readonly number[] | null = null): void {
    const i = this.n
    if (i === this.series.length) this.grow()
    this.series[i] = series
    this.windowSec[i] = windowSec
    this.count[i] = count
    this.ts[i] = ts
    this.mean[i] = mean
    this.std[i] = std
    this.min[i] = min
    this.max[i] = max
    this.slope[i] = slope
    this.last[i] = last
    this.fftDominantHz[i] = fftDominantHz
    if (fftBands) this.bands.set(i, fftBands)
    this.n = i + 1
  }

  /** Row i as an object. */
  row(i: number): FeatureRow {
    const hz = this.fftDominantHz[i]!
    return {
      series: this.series[i]!,
      windowSec: this.windowSec[i]!,
      ts: this.ts[i]!,
      count: this.count[i]!,
      mean: this.mean[i]!,
      std: this.std[i]!,
      min: this.min[i]!,
      max: this.max[i]!,
      slope: this.slope[i]!,
      last: this.last[i]!,
      fftDominantHz: Number.isNaN(hz) ? null : hz,
      fftBands: this.bands.has(i) ? [...this.bands.get(i)!] : null,
    }
  }

  /** Empties the batch, keeping its capacity. */
  clear(): void {
    this.n = 0
    this.bands.clear()
  }

  private grow(): void {
    const cap = this.series.length * 2
    for (const k of INT_COLUMNS) {
      const a = new Int32Array(cap)
      a.set(this[k])
      this[k] = a
    }
    for (const k of FLOAT_COLUMNS) {
      const a = new Float64Array(cap)
      a.set(this[k])
      this[k] = a
    }
  }
}
