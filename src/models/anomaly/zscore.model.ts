/**
 * A robust z-score baseline over feature vectors: each feature is centred on its training
 * median and scaled by its median absolute deviation (×1.4826, the normal-consistent MAD),
 * or on mean and standard deviation when `robust` is false. The anomaly score maps the largest
 * absolute z to 0–1 (0.5 at `threshold`); contributions are each feature's share of Σz².
 * Pure; round-trips through JSON (the registry's built-in flavour).
 */
import { families } from '../families.js'
import { ModelFormatError } from '../errors.js'
import type { AnomalyOutput, Model, ModelDescription, ModelFamily, SerializedModel, StreamPoint } from '../model.js'

export const ZSCORE_FAMILY = 'zscore'
const FORMAT_VERSION = 1
/** MAD of a normal distribution is 0.6745 σ: 1 / 0.6745. */
const MAD_TO_SIGMA = 1.4826
/** Floor of a feature's scale, relative to its centre, so a constant training feature does not divide by zero. */
const MIN_RELATIVE_SCALE = 1e-6
const MIN_ABSOLUTE_SCALE = 1e-9

export interface ZScoreParams {
  /** Median/MAD (true, default) or mean/std (false). */
  robust: boolean
  /** |z| that scores 0.5. */
  threshold: number
  /** Features to use; default every numeric feature seen in training. */
  features: string[] | null
  /** Training samples needed before scores leave warm-up. */
  minSamples: number
}

interface ZScoreState {
  features: string[]
  center: number[]
  scale: number[]
  n: number
}

const DEFAULTS: ZScoreParams = { robust: true, threshold: 4, features: null, minSamples: 30 }

function parseParams(p: Readonly<Record<string, unknown>> = {}): ZScoreParams {
  const out = { ...DEFAULTS }
  if (p.robust !== undefined) {
    if (typeof p.robust !== 'boolean') throw new ModelFormatError('zscore: "robust" must be true or false')
    out.robust = p.robust
  }
  if (p.threshold !== undefined) {
    if (typeof p.threshold !== 'number' || !(p.threshold > 0)) throw new ModelFormatError('zscore: "threshold" must be a number above 0')
    out.threshold = p.threshold
  }
  if (p.minSamples !== undefined) {
    if (typeof p.minSamples !== 'number' || !Number.isInteger(p.minSamples) || p.minSamples < 1) throw new ModelFormatError('zscore: "minSamples" must be a whole number ≥ 1')
    out.minSamples = p.minSamples
  }
  if (p.features !== undefined && p.features !== null) {
    if (!Array.isArray(p.features) || p.features.length === 0 || !p.features.every((f) => typeof f === 'string')) throw new ModelFormatError('zscore: "features" must be a non-empty list of names')
    out.features = [...(p.features as string[])]
  }
  return out
}

function median(sorted: readonly number[]): number {
  const n = sorted.length
  if (n === 0) return Number.NaN
  const mid = n >> 1
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Robust z-score detector over feature vectors. */
export class ZScoreModel implements Model<StreamPoint, AnomalyOutput> {
  readonly family = ZSCORE_FAMILY
  readonly kind = 'anomaly' as const
  private state: ZScoreState | null = null

  constructor(readonly params: ZScoreParams) {}

  describe(): ModelDescription {
    const inputs = (this.state?.features ?? this.params.features ?? []).map((name) => ({ name, type: 'number' as const }))
    return {
      family: this.family,
      kind: this.kind,
      summary: `${this.params.robust ? 'median/MAD' : 'mean/std'} z-score over ${inputs.length || 'the training'} features; 0.5 at |z| = ${this.params.threshold}`,
      params: { ...this.params },
      signature: { inputs, outputs: [{ name: 'score', type: 'number' }] },
    }
  }

  fit(data: readonly StreamPoint[]): void {
    if (data.length === 0) throw new ModelFormatError('zscore: fit needs at least one sample')
    const names = this.params.features ?? [...new Set(data.flatMap((d) => Object.keys(d.values)))].sort()
    const center: number[] = []
    const scale: number[] = []
    for (const name of names) {
      const xs = data.map((d) => d.values[name]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
      if (xs.length === 0) throw new ModelFormatError(`zscore: feature '${name}' has no finite value in the training data`)
      let c: number
      let s: number
      if (this.params.robust) {
        const sorted = [...xs].sort((a, b) => a - b)
        c = median(sorted)
        s = median(sorted.map((x) => Math.abs(x - c)).sort((a, b) => a - b)) * MAD_TO_SIGMA
        // Half the samples identical (MAD 0): fall back to the mean absolute deviation.
        if (s === 0) s = (xs.reduce((a, x) => a + Math.abs(x - c), 0) / xs.length) * 1.2533
      } else {
        c = xs.reduce((a, b) => a + b, 0) / xs.length
        s = Math.sqrt(xs.reduce((a, x) => a + (x - c) ** 2, 0) / Math.max(1, xs.length - 1))
      }
      center.push(c)
      scale.push(Math.max(s, Math.abs(c) * MIN_RELATIVE_SCALE, MIN_ABSOLUTE_SCALE))
    }
    this.state = { features: names, center, scale, n: data.length }
  }

  predict(input: StreamPoint): AnomalyOutput {
    const st = this.state
    if (!st) return { score: 0, contributions: {}, warmingUp: true }
    let zMax = 0
    let sumSq = 0
    const z2: number[] = []
    for (let i = 0; i < st.features.length; i++) {
      const v = input.values[st.features[i]!]
      const z = v === undefined || !Number.isFinite(v) ? 0 : (v - st.center[i]!) / st.scale[i]!
      z2.push(z * z)
      sumSq += z * z
      if (Math.abs(z) > zMax) zMax = Math.abs(z)
    }
    const contributions: Record<string, number> = {}
    for (let i = 0; i < st.features.length; i++) contributions[st.features[i]!] = sumSq > 0 ? z2[i]! / sumSq : 1 / st.features.length
    const score = 1 - Math.pow(2, -((zMax / this.params.threshold) ** 2))
    return { score, contributions, warmingUp: st.n < this.params.minSamples }
  }

  toJSON(): SerializedModel {
    return { family: this.family, formatVersion: FORMAT_VERSION, params: { ...this.params }, state: this.state }
  }
}

export const zscoreFamily: ModelFamily<StreamPoint, AnomalyOutput> = {
  family: ZSCORE_FAMILY,
  kind: 'anomaly',
  create: (params) => new ZScoreModel(parseParams(params)),
  fromJSON(s: SerializedModel) {
    if (s.formatVersion !== FORMAT_VERSION) throw new ModelFormatError(`zscore: format version ${s.formatVersion} is not supported (expected ${FORMAT_VERSION})`)
    const m = new ZScoreModel(parseParams(s.params))
    const st = s.state as Partial<ZScoreState> | null
    if (st !== null) {
      const ok =
        typeof st === 'object' &&
        Array.isArray(st.features) &&
        Array.isArray(st.center) &&
        Array.isArray(st.scale) &&
        st.center.length === st.features.length &&
        st.scale.length === st.features.length &&
        st.center.every((x) => typeof x === 'number') &&
        st.scale.every((x) => typeof x === 'number' && x > 0) &&
        typeof st.n === 'number'
      if (!ok) throw new ModelFormatError('zscore: the state must hold features, center and scale of equal length (scales > 0) and n')
      ;(m as unknown as { state: ZScoreState }).state = st as ZScoreState
    }
    return m
  },
}

if (!families.has(ZSCORE_FAMILY)) families.register(zscoreFamily)
