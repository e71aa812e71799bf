/**
 * Spectral features of a high-rate channel over its most recent window: dominant
 * frequency and the signal variance per frequency band.
 */
import FFT from 'fft.js'
import { FeatureConfigError } from './errors.js'

/** Below this average sample rate a channel gets no FFT features. */
export const DEFAULT_FFT_MIN_RATE_HZ = 8
/** Fewer samples than this give too coarse a spectrum to be worth a feature. */
export const DEFAULT_FFT_MIN_SIZE = 16
/** Caps the transform (and its cost) for very high-rate or very long windows. */
export const DEFAULT_FFT_MAX_SIZE = 8192
/** Default: four equal bands from 0 Hz to Nyquist. */
export const DEFAULT_FFT_BANDS = 4

/**
 * Frequency bands: a count `B` splits 0…Nyquist into B equal bands (relative to each
 * window's own sample rate); a list gives explicit `[loHz, hiHz)` bands.
 */
export type FftBands = number | readonly (readonly [loHz: number, hiHz: number])[]

/** How spectral features are computed. */
export interface FftOptions {
  /** Minimum average sample rate over the samples given, in Hz (default 8). */
  minRateHz: number
  /** Minimum transform size, a power of two (default 16). */
  minSize: number
  /** Maximum transform size, a power of two (default 8192). */
  maxSize: number
  /** Band layout (default 4 equal bands). */
  bands: FftBands
}

/** The spectral features of one window. */
export interface FftFeatures {
  /** Samples transformed: the newest power-of-two count that fits. */
  size: number
  /** Sample rate estimated from the timestamps of those samples. */
  sampleRateHz: number
  /** Frequency of the strongest non-DC component, interpolated between bins; 0 for a constant signal. */
  dominantHz: number
  /** Population variance of the samples transformed (their mean removed). */
  variance: number
  /**
   * Variance per band: `variance` distributed over frequency in proportion to the
   * Hann-windowed one-sided power spectrum (a Parseval normalisation), so bands that
   * cover 0…Nyquist sum to `variance` exactly; explicit bands that leave gaps sum to
   * less. The window spreads a tone over a few bins, so a tone near a band edge lends
   * some of its energy to the neighbouring band.
   */
  bandEnergy: Float64Array
}

interface Plan {
  fft: FFT
  hann: Float64Array
  input: Float64Array
  output: Float64Array
  power: Float64Array
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 2 && (n & (n - 1)) === 0
}

/** Validates and completes FFT options. */
export function resolveFftOptions(options: Partial<FftOptions> = {}): FftOptions {
  const o: FftOptions = {
    minRateHz: options.minRateHz ?? DEFAULT_FFT_MIN_RATE_HZ,
    minSize: options.minSize ?? DEFAULT_FFT_MIN_SIZE,
    maxSize: options.maxSize ?? DEFAULT_FFT_MAX_SIZE,
    bands: options.bands ?? DEFAULT_FFT_BANDS,
  }
  if (!(o.minRateHz >= 0)) throw new FeatureConfigError(`fft.minRateHz must be ≥ 0, got ${o.minRateHz}`)
  if (!isPowerOfTwo(o.minSize) || o.minSize < 4) throw new FeatureConfigError(`fft.minSize must be a power of two ≥ 4, got ${o.minSize}`)
  if (!isPowerOfTwo(o.maxSize) || o.maxSize < o.minSize) throw new FeatureConfigError(`fft.maxSize must be a power of two ≥ minSize, got ${o.maxSize}`)
  if (typeof o.bands === 'number') {
    if (!Number.isInteger(o.bands) || o.bands < 1) throw new FeatureConfigError(`fft.bands must be a positive integer, got ${o.bands}`)
  } else {
    if (o.bands.length === 0) throw new FeatureConfigError('fft.bands must list at least one band')
    for (const [lo, hi] of o.bands) {
      if (!(lo >= 0 && hi > lo && Number.isFinite(hi))) throw new FeatureConfigError(`fft band [${lo}, ${hi}) is not a range of frequencies in Hz`)
    }
  }
  return o
}

/** Number of bands a band layout yields. */
export function bandCount(bands: FftBands): number {
  return typeof bands === 'number' ? bands : bands.length
}

/**
 * Computes FFT features, reusing transform plans and scratch arrays per size, so
 * that one instance serves any number of channels without allocating per window
 * (beyond the returned `bandEnergy`). Not safe to share across concurrent workers,
 * which in JavaScript means: share it freely within one thread.
 *
 * The samples are assumed roughly uniform in time; the rate comes from the span of
 * the timestamps used. No resampling is done: jitter smears the spectrum slightly,
 * gaps more so.
 *
 * @example
 * const fx = new FftFeatureExtractor({ bands: [[0, 10], [10, 50], [50, 128]] })
 * const f = fx.compute(ts, value) // undefined below 8 Hz or 16 samples
 * if (f) console.log(f.dominantHz, f.bandEnergy)
 */
export class FftFeatureExtractor {
  readonly options: FftOptions
  private readonly plans = new Map<number, Plan>()

  constructor(options: Partial<FftOptions> = {}) {
    this.options = resolveFftOptions(options)
  }

  /** Number of bands each result carries. */
  get bands(): number {
    return bandCount(this.options.bands)
  }

  /**
   * Features of the newest samples of `ts` (epoch ms, ascending) and `value`, using the
   * first `length` entries (default all). Undefined when the average rate over those
   * entries is below `minRateHz` or fewer than `minSize` samples are available.
   */
  compute(ts: ArrayLike<number>, value: ArrayLike<number>, length = Math.min(ts.length, value.length)): FftFeatures | undefined {
    const { minRateHz, minSize, maxSize } = this.options
    if (length < minSize) return undefined
    const first = ts[0] as number
    const lastTs = ts[length - 1] as number
    const spanMs = lastTs - first
    if (!(spanMs > 0) || ((length - 1) * 1000) / spanMs < minRateHz) return undefined

    let size = minSize
    while (size * 2 <= length && size * 2 <= maxSize) size *= 2
    const from = length - size
    const plan = this.plan(size)
    const sizeSpanMs = lastTs - (ts[from] as number)
    if (!(sizeSpanMs > 0)) return undefined
    const sampleRateHz = ((size - 1) * 1000) / sizeSpanMs

    // Two passes: the mean first, so the variance does not cancel for large offsets.
    let sum = 0
    for (let i = 0; i < size; i++) sum += value[from + i] as number
    const mean = sum / size
    let ss = 0
    const { input, hann, output, power } = plan
    for (let i = 0; i < size; i++) {
      const d = (value[from + i] as number) - mean
      ss += d * d
      input[i] = d * (hann[i] as number)
    }
    const variance = ss / size
    plan.fft.realTransform(output, input)

    const half = size >> 1
    let total = 0
    for (let k = 0; k <= half; k++) {
      const re = output[2 * k] as number
      const im = output[2 * k + 1] as number
      power[k] = re * re + im * im
      // One-sided spectrum: every bin but DC and Nyquist stands for itself and its mirror.
      total += k === 0 || k === half ? (power[k] as number) : 2 * (power[k] as number)
    }

    const nb = this.bands
    const bandEnergy = new Float64Array(nb)
    let dominantHz = 0
    if (total > 0 && variance > 0) {
      const binHz = sampleRateHz / size
      const bands = this.options.bands
      const scale = variance / total
      for (let k = 0; k <= half; k++) {
        const p = (k === 0 || k === half ? (power[k] as number) : 2 * (power[k] as number)) * scale
        if (typeof bands === 'number') {
          const b = Math.min(nb - 1, Math.floor((k * nb) / half))
          bandEnergy[b] = (bandEnergy[b] as number) + p
        } else {
          const f = k * binHz
          for (let b = 0; b < nb; b++) {
            const [lo, hi] = bands[b] as readonly [number, number]
            // Half-open bands, except that the Nyquist bin belongs to a band reaching it.
            if (f >= lo && (f < hi || (k === half && f <= hi))) bandEnergy[b] = (bandEnergy[b] as number) + p
          }
        }
      }
      dominantHz = dominantBin(power, half) * binHz
    }
    return { size, sampleRateHz, dominantHz, variance, bandEnergy }
  }

  private plan(size: number): Plan {
    let plan = this.plans.get(size)
    if (plan) return plan
    const hann = new Float64Array(size)
    // Periodic Hann: the spectral-analysis form, whose shifted copies sum to a constant.
    for (let i = 0; i < size; i++) hann[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size)
    plan = {
      fft: new FFT(size),
      hann,
      input: new Float64Array(size),
      output: new Float64Array(2 * size),
      power: new Float64Array((size >> 1) + 1),
    }
    this.plans.set(size, plan)
    return plan
  }
}

/**
 * The strongest non-DC bin, refined by a parabola through the log powers of it and its
 * neighbours: for a Hann window the main lobe is close to Gaussian, so this recovers a
 * frequency between bins to a small fraction of a bin.
 */
function dominantBin(power: Float64Array, half: number): number {
  let k = 1
  for (let i = 2; i <= half; i++) if ((power[i] as number) > (power[k] as number)) k = i
  if (k <= 1 || k >= half) return k
  const a = power[k - 1] as number
  const b = power[k] as number
  const c = power[k + 1] as number
  if (!(a > 0 && b > 0 && c > 0)) return k
  const la = Math.log(a)
  const lb = Math.log(b)
  const lc = Math.log(c)
  const denom = la - 2 * lb + lc
  if (!(denom < 0)) return k
  const delta = (0.5 * (la - lc)) / denom
  return k + Math.max(-0.5, Math.min(0.5, delta))
}
