/**
 * `mahalanobis`: robust Mahalanobis distance over feature vectors.
 *
 * Fit (after `trainSize` vectors of probation, or through `fit`):
 * 1. each feature is centred on its median and scaled by 1.4826 · MAD (floored), so one
 *    wild feature cannot dominate;
 * 2. an MCD-like trimmed covariance: the covariance of the 75 % of vectors closest to the
 *    centre, then again of the 75 % closest under that covariance (one concentration step);
 * 3. shrinkage towards the identity (`shrinkage`, default 0.01), so few vectors or collinear
 *    features still give an invertible matrix;
 * 4. a consistency factor so the median squared distance equals the chi-square median.
 *
 * A vector's squared distance d² is turned into a z by Wilson–Hilferty (chi-square with p
 * degrees of freedom → normal) and scored by the shared z → score map. Feature
 * contributions are `uᵢ · (Σ⁻¹u)ᵢ` (they sum to d²), clipped at 0 and folded into channels.
 *
 * Cold start: `warmingUp` until fitted. Then the model stays fixed unless `refitEvery` > 0,
 * in which case it refits on the last `trainSize` vectors whose score stayed below 0.5.
 * With `learnEvery` n > 1 the buffer takes every n-th vector only (calm ones once fitted):
 * the same span of time in n times fewer rows, so less state and a cheaper fit.
 */
import { families } from '../families.js'
import { ModelFormatError } from '../errors.js'
import type { AnomalyOutput, Model, ModelDescription, ModelFamily, SerializedModel, StreamPoint } from '../model.js'
import { MAD_TO_SD, Params, sharedParams, addToChannel, checkSerialized, chiSquareToZ, mad, median, packF32, quiet, readF64, shares, unpackF32, zToScore } from './common.js'
import { VectorBuffer, chooseRows, type ChosenRows } from './multivariate.js'

const FAMILY = 'mahalanobis'
/**
 * 3: the precision matrix as float32 (2, float64, and 1, vectors as objects and plain lists,
 * are still read).
 */
const FORMAT = 3

export interface MahalanobisParams {
  trainSize: number
  shrinkage: number
  /** Share of vectors kept by the trimmed covariance (default 0.75). */
  support: number
  refitEvery: number
  /** The buffer takes every `learnEvery`-th vector (calm ones, once fitted): `trainSize` rows span `learnEvery` × as many vectors (default 1). */
  learnEvery: number
  zFree: number
  zScale: number
}

interface Fitted {
  names: string[]
  fill: number[]
  center: number[]
  scale: number[]
  /**
   * Inverse covariance of the standardised features, row-major p × p, held as float32 (half
   * the state of float64; 7 significant digits move a squared distance by ~10⁻⁷ of itself).
   */
  precision: Float32Array
}

interface State {
  buffer: VectorBuffer
  fitted: Fitted | null
  sinceFit: number
  /** Vectors offered to the buffer so far (for `learnEvery`). */
  offered: number
}

function readParams(raw?: Readonly<Record<string, unknown>>): MahalanobisParams {
  const p = new Params(raw)
  return {
    trainSize: p.num('trainSize', 120, { min: 8, max: 100_000, integer: true }),
    shrinkage: p.num('shrinkage', 0.01, { min: 0, max: 1 }),
    support: p.num('support', 0.75, { min: 0.5, max: 1 }),
    refitEvery: p.num('refitEvery', 0, { min: 0, integer: true }),
    learnEvery: p.num('learnEvery', 1, { min: 1, integer: true }),
    zFree: p.num('zFree', 3, { min: 0 }),
    zScale: p.num('zScale', 4, { min: 1e-9 }),
  }
}

/** Inverse of a symmetric positive-definite p × p matrix (row-major) through Cholesky; adds a ridge if it is not. */
export function invertSpd(a: readonly number[], p: number): number[] {
  for (let ridge = 0; ; ridge = ridge === 0 ? 1e-9 : ridge * 10) {
    const l = new Float64Array(p * p)
    let ok = true
    for (let i = 0; i < p && ok; i++) {
      for (let j = 0; j <= i; j++) {
        let s = (a[i * p + j] as number) + (i === j ? ridge : 0)
        for (let k = 0; k < j; k++) s -= (l[i * p + k] as number) * (l[j * p + k] as number)
        if (i === j) {
          if (!(s > 0)) {
            ok = false
            break
          }
          l[i * p + i] = Math.sqrt(s)
        } else l[i * p + j] = s / (l[j * p + j] as number)
      }
    }
    if (!ok) {
      if (ridge > 1e6) throw new ModelFormatError('covariance matrix cannot be inverted')
      continue
    }
    // inv(A) = inv(L)ᵀ inv(L)
    const li = new Float64Array(p * p)
    for (let i = 0; i < p; i++) {
      li[i * p + i] = 1 / (l[i * p + i] as number)
      for (let j = 0; j < i; j++) {
        let s = 0
        for (let k = j; k < i; k++) s -= (l[i * p + k] as number) * (li[k * p + j] as number)
        li[i * p + j] = s / (l[i * p + i] as number)
      }
    }
    const inv = new Array<number>(p * p).fill(0)
    for (let i = 0; i < p; i++)
      for (let j = 0; j <= i; j++) {
        let s = 0
        for (let k = i; k < p; k++) s += (li[k * p + i] as number) * (li[k * p + j] as number)
        inv[i * p + j] = s
        inv[j * p + i] = s
      }
    return inv
  }
}

function quadForm(u: ArrayLike<number>, prec: ArrayLike<number>, p: number, out?: Float64Array): number {
  let d2 = 0
  for (let i = 0; i < p; i++) {
    let s = 0
    for (let j = 0; j < p; j++) s += (prec[i * p + j] as number) * (u[j] as number)
    if (out) out[i] = s
    d2 += (u[i] as number) * s
  }
  return d2
}

function covariance(rows: readonly number[][], p: number): number[] {
  const n = rows.length
  const mean = new Array<number>(p).fill(0)
  for (const r of rows) for (let i = 0; i < p; i++) mean[i] = (mean[i] as number) + (r[i] as number) / n
  const c = new Array<number>(p * p).fill(0)
  // Each row's deviations once, not once per pair (the same products, summed in the same order).
  const d = new Float64Array(p)
  for (const r of rows) {
    for (let i = 0; i < p; i++) d[i] = (r[i] as number) - (mean[i] as number)
    for (let i = 0; i < p; i++) {
      const di = d[i]!
      const at = i * p
      for (let j = 0; j <= i; j++) c[at + j] = (c[at + j] as number) + di * d[j]!
    }
  }
  for (let i = 0; i < p; i++)
    for (let j = 0; j <= i; j++) {
      const v = (c[i * p + j] as number) / Math.max(1, n - 1)
      c[i * p + j] = v
      c[j * p + i] = v
    }
  return c
}

/**
 * Features are standardised by their robust scale, so a typical one varies by about 1. One
 * that never moved has variance 0 in these units; when every feature is such (an idle
 * machine, a constant test signal), the shrinkage target is floored at MIN_TARGET_VARIANCE,
 * not ~0: otherwise the precision reached 10¹¹ and float32 rounding of the stored training
 * vectors (6·10⁻⁸ of a value) alone scored 0.996 on the very values it was fitted on.
 */
const MIN_TARGET_VARIANCE = 1e-2

function shrink(c: number[], p: number, lambda: number): number[] {
  let tr = 0
  for (let i = 0; i < p; i++) tr += c[i * p + i] as number
  const mu = Math.max(tr / p, MIN_TARGET_VARIANCE)
  return c.map((v, k) => (1 - lambda) * v + (Math.floor(k / p) === k % p ? lambda * mu : 0))
}

/** Fits the robust location, scale and precision of a set of vectors, chosen as rows (VectorBuffer.choose, or chooseRows of objects). */
export function fitRobust(chosen: ChosenRows, params: Pick<MahalanobisParams, 'shrinkage' | 'support'>): Fitted | null {
  const { names, fill, rows: raw } = chosen
  const p = names.length
  if (p === 0 || raw.length < 4) return null
  const center: number[] = []
  const scale: number[] = []
  for (let i = 0; i < p; i++) {
    const col = raw.map((r) => r[i] as number)
    const m = median(col)
    center.push(m)
    scale.push(Math.max(MAD_TO_SD * mad(col, m), 1e-3 * Math.abs(m), 1e-6))
  }
  const u = raw.map((r) => r.map((x, i) => (x - (center[i] as number)) / (scale[i] as number)))
  const h = Math.max(p + 1, Math.ceil(params.support * u.length))
  const keepClosest = (dist: (r: number[]) => number): number[][] =>
    u
      .map((r) => ({ r, d: dist(r) }))
      .sort((a, b) => a.d - b.d)
      .slice(0, Math.min(h, u.length))
      .map((x) => x.r)
  let subset = keepClosest((r) => r.reduce((s, x) => s + x * x, 0))
  let prec = invertSpd(shrink(covariance(subset, p), p, params.shrinkage), p)
  subset = keepClosest((r) => quadForm(r, prec, p))
  const cov = shrink(covariance(subset, p), p, params.shrinkage)
  prec = invertSpd(cov, p)
  // Consistency: the median squared distance of the data should be the chi-square median.
  const d2 = u.map((r) => quadForm(r, prec, p))
  const chiMedian = p * (1 - 2 / (9 * p)) ** 3
  const factor = median(d2) / chiMedian
  if (factor > 0 && Number.isFinite(factor)) prec = prec.map((v) => v / factor)
  return { names, fill, center, scale, precision: Float32Array.from(prec) }
}

/** Scratch space of `predict` (scoring is synchronous, so one array serves every detector). */
let scratch = new Float64Array(64)

/** The `mahalanobis` detector; see the module documentation. */
export class MahalanobisDetector implements Model<StreamPoint, AnomalyOutput> {
  readonly family = FAMILY
  readonly kind = 'anomaly' as const
  private s: State

  constructor(
    readonly params: MahalanobisParams,
    state?: State,
  ) {
    this.s = state ?? { buffer: new VectorBuffer(params.trainSize), fitted: null, sinceFit: 0, offered: 0 }
  }

  get fitted(): boolean {
    return this.s.fitted !== null
  }

  describe(): ModelDescription {
    return {
      family: FAMILY,
      kind: 'anomaly',
      summary: 'Robust Mahalanobis distance (median/MAD scaling, trimmed shrinkage covariance) over feature vectors',
      params: { ...this.params },
      signature: { inputs: (this.s.fitted?.names ?? []).map((name) => ({ name, type: 'number' as const })), outputs: [{ name: 'score', type: 'number' }] },
    }
  }

  fit(data: readonly StreamPoint[]): void {
    const f = fitRobust(
      chooseRows(data.map((d) => d.values)),
      this.params,
    )
    if (f) this.s = { buffer: new VectorBuffer(this.params.trainSize), fitted: f, sinceFit: 0, offered: 0 }
  }

  predict(input: StreamPoint): AnomalyOutput {
    const f = this.s.fitted
    if (!f) return quiet(true)
    // Standardised vector u and Σ⁻¹u in scratch arrays: nothing is allocated for a vector that scores 0.
    const p = f.names.length
    if (scratch.length < 2 * p) scratch = new Float64Array(2 * p)
    const u = scratch.subarray(0, p)
    const w = scratch.subarray(p, 2 * p)
    for (let i = 0; i < p; i++) {
      const v = input.values[f.names[i]!]
      const x = v !== undefined && Number.isFinite(v) ? v : f.fill[i]!
      u[i] = (x - f.center[i]!) / f.scale[i]!
    }
    const d2 = quadForm(u, f.precision, p, w)
    const score = zToScore(chiSquareToZ(d2, p), this.params.zFree, this.params.zScale)
    if (!(score > 0)) return { score, contributions: {}, warmingUp: false }
    // Each feature's term folded into its channel as it comes (byChannel without the object of 30-odd features).
    const channels: Record<string, number> = {}
    for (let i = 0; i < p; i++) addToChannel(channels, f.names[i]!, Math.max(0, u[i]! * w[i]!))
    return { score, contributions: shares(channels), warmingUp: false }
  }

  update(input: StreamPoint): AnomalyOutput {
    const out = this.predict(input)
    const p = this.params
    // A subsample (every learnEvery-th vector) spans as long a time in fewer rows: less state and a cheaper fit.
    const take = (): boolean => this.s.offered++ % p.learnEvery === 0
    if (!this.s.fitted) {
      if (!take()) return out
      this.s.buffer.push(input.values)
      if (this.s.buffer.length >= p.trainSize) {
        const f = fitRobust(this.s.buffer.choose(), p)
        if (f) {
          this.s.buffer.clear()
          this.s = { buffer: this.s.buffer, fitted: f, sinceFit: 0, offered: 0 }
        } else this.s.buffer.shift()
      }
      return out
    }
    if (p.refitEvery > 0) {
      if (out.score < 0.5 && take()) {
        // At capacity (trainSize) the buffer drops its oldest vector.
        this.s.buffer.push(input.values)
      }
      if (++this.s.sinceFit >= p.refitEvery && this.s.buffer.length >= p.trainSize) {
        const f = fitRobust(this.s.buffer.choose(), p)
        if (f) this.s.fitted = f
        this.s.sinceFit = 0
      }
    }
    return out
  }

  toJSON(): SerializedModel {
    const f = this.s.fitted
    const fitted = f ? { names: [...f.names], fill: [...f.fill], center: [...f.center], scale: [...f.scale], precision: packF32(f.precision) } : null
    return { family: FAMILY, formatVersion: FORMAT, params: { ...this.params }, state: { buffer: this.s.buffer.toJSON(), fitted, sinceFit: this.s.sinceFit, offered: this.s.offered } }
  }
}

function readPrecision(v: unknown): Float32Array {
  if (typeof v !== 'string') throw new ModelFormatError("'mahalanobis' precision must be packed float32 values")
  return unpackF32(v)
}

export const mahalanobisFamily: ModelFamily<StreamPoint, AnomalyOutput> = {
  family: FAMILY,
  kind: 'anomaly',
  create: (params) => new MahalanobisDetector(sharedParams(FAMILY, params, readParams)),
  fromJSON: (s) => {
    checkSerialized(s.formatVersion === 1 || s.formatVersion === 2 ? { ...s, formatVersion: FORMAT } : s, FAMILY, FORMAT)
    const st = s.state as { buffer?: unknown; fitted?: (Omit<Fitted, 'precision'> & { precision: unknown }) | null; sinceFit?: number; offered?: number }
    if (st.buffer === undefined) throw new ModelFormatError("'mahalanobis' state needs a buffer")
    const params = sharedParams(FAMILY, s.params, readParams)
    const f = st.fitted ?? null
    const fitted: Fitted | null = f ? { names: [...f.names], fill: [...f.fill], center: [...f.center], scale: [...f.scale], precision: s.formatVersion === FORMAT ? readPrecision(f.precision) : Float32Array.from(readF64(f.precision, "'mahalanobis' precision")) } : null
    if (fitted && fitted.precision.length !== fitted.names.length ** 2) throw new ModelFormatError("'mahalanobis' precision must be p × p")
    return new MahalanobisDetector(params, { buffer: VectorBuffer.from(st.buffer, params.trainSize), fitted, sinceFit: st.sinceFit ?? 0, offered: st.offered ?? 0 })
  },
}
families.register(mahalanobisFamily)
