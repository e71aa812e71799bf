/**
 * Drift, pure and streaming: live data is counted into the reference's bins (one counter
 * per bin per feature, never a stored sample), and every `windowSize` readings the window is
 * compared to the reference with the population stability index (PSI) and the two-sample
 * Kolmogorov–Smirnov statistic on the binned CDFs. A feature drifts when both say so:
 * PSI above its threshold and KS above its critical value at `ksAlpha`.
 */
import type { ReferenceHistogram, ReferenceStats } from '../store/registry.ports.js'

export const DEFAULT_DRIFT_BINS = 20
/** Share given to an empty bin, so PSI stays finite. */
const PSI_EPSILON = 1e-4

/** Quantile histogram of a reference sample: `bins` bins of about equal mass (fewer when values repeat). */
export function buildHistogram(values: readonly number[], bins = DEFAULT_DRIFT_BINS): ReferenceHistogram {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
  if (xs.length === 0) return { edges: [], shares: [1], count: 0 }
  const edges: number[] = []
  for (let i = 1; i < bins; i++) {
    const e = xs[Math.min(xs.length - 1, Math.floor((i * xs.length) / bins))]!
    if (edges.length === 0 || e > edges[edges.length - 1]!) edges.push(e)
  }
  // The top edge would leave its upper bin empty; drop it.
  if (edges.length > 0 && edges[edges.length - 1] === xs[xs.length - 1]) edges.pop()
  const counts = new Array<number>(edges.length + 1).fill(0)
  for (const x of xs) counts[binIndex(edges, x)]!++
  return { edges, shares: counts.map((c) => c / xs.length), count: xs.length }
}

/** Reference statistics of a training set: per feature, and of the model's outputs on it. */
export function buildReference(rows: readonly Readonly<Record<string, number>>[], features: readonly string[], predictions: readonly number[] | null, bins = DEFAULT_DRIFT_BINS): ReferenceStats {
  const out: ReferenceStats = { features: {}, prediction: null }
  for (const f of features) out.features[f] = buildHistogram(rows.map((r) => r[f] ?? Number.NaN), bins)
  if (predictions) out.prediction = buildHistogram(predictions, bins)
  return out
}

/** Bin of x: the first edge ≥ x, else the last bin. */
export function binIndex(edges: readonly number[], x: number): number {
  let lo = 0
  let hi = edges.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (x <= edges[mid]!) hi = mid
    else lo = mid + 1
  }
  return lo
}

export function psi(refShares: readonly number[], counts: ArrayLike<number>, n: number): number {
  let s = 0
  for (let i = 0; i < refShares.length; i++) {
    const e = Math.max(refShares[i]!, PSI_EPSILON)
    const a = Math.max(counts[i]! / n, PSI_EPSILON)
    s += (a - e) * Math.log(a / e)
  }
  return s
}

/** Largest gap between the binned CDFs. */
export function ksStatistic(refShares: readonly number[], counts: ArrayLike<number>, n: number): number {
  let cr = 0
  let cl = 0
  let d = 0
  for (let i = 0; i < refShares.length; i++) {
    cr += refShares[i]!
    cl += counts[i]! / n
    d = Math.max(d, Math.abs(cr - cl))
  }
  return d
}

/** Two-sample KS critical value at level alpha for samples of n and m. */
export function ksCritical(n: number, m: number, alpha: number): number {
  return Math.sqrt(-Math.log(alpha / 2) / 2) * Math.sqrt((n + m) / (n * m))
}

export interface DriftOptions {
  /** Readings per evaluation window. */
  windowSize: number
  psiThreshold: number
  ksAlpha: number
}

export const DEFAULT_DRIFT_OPTIONS: DriftOptions = { windowSize: 1000, psiThreshold: 0.2, ksAlpha: 0.001 }

export interface FeatureDrift {
  psi: number
  ks: number
  ksCritical: number
  drifting: boolean
}

export interface DriftReport {
  /** Readings observed since the monitor started. */
  observed: number
  /** Windows evaluated so far. */
  windows: number
  windowSize: number
  features: Record<string, FeatureDrift>
  prediction: FeatureDrift | null
  drifting: boolean
  /** Consecutive drifting windows up to this one. */
  consecutive: number
  /** Names of what drifts. */
  drifted: string[]
}

interface Counter {
  name: string
  ref: ReferenceHistogram
  counts: Float64Array
  n: number
}

/**
 * Live drift of one model version against its reference. `observe` costs a binary search
 * per feature; memory is one counter per bin.
 *
 * @example
 * const m = new DriftMonitor(version.reference, { windowSize: 1000, psiThreshold: 0.2, ksAlpha: 0.001 })
 * const report = m.observe(row.values, output.value)   // a DriftReport at the end of each window, else null
 */
export class DriftMonitor {
  private readonly counters: Counter[]
  private readonly prediction: Counter | null
  private observed = 0
  private inWindow = 0
  private windows = 0
  private consecutive = 0
  private last: DriftReport | null = null

  constructor(
    reference: ReferenceStats,
    private readonly opts: DriftOptions = DEFAULT_DRIFT_OPTIONS,
  ) {
    const counter = (name: string, ref: ReferenceHistogram): Counter => ({ name, ref, counts: new Float64Array(ref.shares.length), n: 0 })
    this.counters = Object.entries(reference.features)
      .filter(([, h]) => h.count > 0)
      .map(([name, h]) => counter(name, h))
    this.prediction = reference.prediction && reference.prediction.count > 0 ? counter('prediction', reference.prediction) : null
  }

  /** Counts one reading (and the model's output on it); returns the window's report when it closes. */
  observe(values: Readonly<Record<string, number>>, prediction?: number): DriftReport | null {
    for (const c of this.counters) {
      const x = values[c.name]
      if (x === undefined || !Number.isFinite(x)) continue
      c.counts[binIndex(c.ref.edges, x)]!++
      c.n++
    }
    if (this.prediction && prediction !== undefined && Number.isFinite(prediction)) {
      this.prediction.counts[binIndex(this.prediction.ref.edges, prediction)]!++
      this.prediction.n++
    }
    this.observed++
    if (++this.inWindow < this.opts.windowSize) return null
    return this.close()
  }

  private judge(c: Counter): FeatureDrift | null {
    if (c.n === 0) return null
    const p = psi(c.ref.shares, c.counts, c.n)
    const d = ksStatistic(c.ref.shares, c.counts, c.n)
    const crit = ksCritical(c.n, c.ref.count, this.opts.ksAlpha)
    return { psi: p, ks: d, ksCritical: crit, drifting: p > this.opts.psiThreshold && d > crit }
  }

  private close(): DriftReport {
    const features: Record<string, FeatureDrift> = {}
    const drifted: string[] = []
    for (const c of this.counters) {
      const j = this.judge(c)
      if (j) features[c.name] = j
      if (j?.drifting) drifted.push(c.name)
      c.counts.fill(0)
      c.n = 0
    }
    let prediction: FeatureDrift | null = null
    if (this.prediction) {
      prediction = this.judge(this.prediction)
      if (prediction?.drifting) drifted.push('prediction')
      this.prediction.counts.fill(0)
      this.prediction.n = 0
    }
    this.windows++
    this.inWindow = 0
    const drifting = drifted.length > 0
    this.consecutive = drifting ? this.consecutive + 1 : 0
    this.last = { observed: this.observed, windows: this.windows, windowSize: this.opts.windowSize, features, prediction, drifting, consecutive: this.consecutive, drifted }
    return this.last
  }

  /** The last closed window's report (null before the first), with the current window's progress. */
  report(): (DriftReport & { pendingInWindow: number }) | null {
    return this.last ? { ...this.last, pendingInWindow: this.inWindow } : null
  }

  get progress(): { observed: number; inWindow: number; windows: number } {
    return { observed: this.observed, inWindow: this.inWindow, windows: this.windows }
  }
}
