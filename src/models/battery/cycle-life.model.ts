/**
 * Cycle life from early-cycle features (Severson et al. 2019): ridge regression on log cycle life
 * over standardised features, the penalty chosen by leave-one-out inside the training cells. Pure.
 */
import { ModelFormatError } from '../errors.js'
import { families } from '../families.js'
import type { Model, ModelDescription, ModelFamily, SerializedModel } from '../model.js'
import { BatteryDataError, BatteryModelNotFittedError } from './errors.js'

/** One cell: its early-cycle features (in `featureNames` order) and, for training, its cycle life. */
export interface CycleLifeSample {
  readonly features: readonly number[]
  readonly cycleLife?: number
}

export interface CycleLifeParams {
  readonly featureNames: readonly string[]
  /** Candidate ridge penalties; the one with the lowest leave-one-out error on the training cells wins. */
  readonly lambdas: readonly number[]
}

interface State {
  readonly mean: number[]
  readonly std: number[]
  readonly weights: number[]
  readonly intercept: number
  readonly lambda: number
}

export const CYCLE_LIFE_FAMILY = 'battery-cycle-life-ridge'
const FORMAT_VERSION = 1
const DEFAULT_LAMBDAS = [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100]

/** Solves (A) x = b for a small dense symmetric positive-definite A by Gaussian elimination with pivoting. */
export function solve(A: number[][], b: number[]): number[] {
  const n = b.length
  const M = A.map((row, i) => [...row, b[i] ?? 0])
  for (let c = 0; c < n; c++) {
    let p = c
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]?.[c] ?? 0) > Math.abs(M[p]?.[c] ?? 0)) p = r
    const tmp = M[c] ?? []
    M[c] = M[p] ?? []
    M[p] = tmp
    const piv = M[c]?.[c] ?? 0
    if (Math.abs(piv) < 1e-12) continue
    for (let r = 0; r < n; r++) {
      if (r === c) continue
      const f = (M[r]?.[c] ?? 0) / piv
      if (f === 0) continue
      const row = M[r] ?? []
      const src = M[c] ?? []
      for (let k = c; k <= n; k++) row[k] = (row[k] ?? 0) - f * (src[k] ?? 0)
    }
  }
  return M.map((row, i) => {
    const d = row[i] ?? 0
    return Math.abs(d) < 1e-12 ? 0 : (row[n] ?? 0) / d
  })
}

/** Standardised features are clipped: one cell far outside the training range must not explode exp(). */
const Z_CLIP = 4
const clipZ = (z: number): number => Math.max(-Z_CLIP, Math.min(Z_CLIP, z))

/** Ridge fit on standardised X and centred y. */
function ridge(X: readonly number[][], y: readonly number[], lambda: number): { weights: number[]; intercept: number } {
  const p = X[0]?.length ?? 0
  const yMean = y.reduce((a, b) => a + b, 0) / Math.max(1, y.length)
  const A = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => (i === j ? lambda : 0)))
  const b = new Array<number>(p).fill(0)
  X.forEach((row, n) => {
    const yc = (y[n] ?? 0) - yMean
    for (let i = 0; i < p; i++) {
      b[i] = (b[i] ?? 0) + (row[i] ?? 0) * yc
      const Ai = A[i] ?? []
      for (let j = 0; j < p; j++) Ai[j] = (Ai[j] ?? 0) + (row[i] ?? 0) * (row[j] ?? 0)
    }
  })
  return { weights: solve(A, b), intercept: yMean }
}

export class CycleLifeModel implements Model<CycleLifeSample, number> {
  readonly family = CYCLE_LIFE_FAMILY
  readonly kind = 'rul' as const
  readonly params: CycleLifeParams
  private state: State | undefined

  constructor(params: Partial<CycleLifeParams> = {}, state?: State) {
    this.params = { featureNames: params.featureNames ?? [], lambdas: params.lambdas ?? DEFAULT_LAMBDAS }
    this.state = state
  }

  describe(): ModelDescription {
    return {
      family: this.family,
      kind: this.kind,
      summary: `cycle life from early-cycle features: ridge on log cycle life over ${this.params.featureNames.length} standardised features`,
      params: { ...this.params, lambda: this.state?.lambda },
      signature: { inputs: this.params.featureNames.map((name) => ({ name, type: 'number' as const })), outputs: [{ name: 'cycleLife', type: 'number' }] },
    }
  }

  fit(samples: readonly CycleLifeSample[]): void {
    if (samples.length < 4) throw new BatteryDataError('cells', 'needs at least 4 cells with a cycle life')
    const p = samples[0]?.features.length ?? 0
    for (const s of samples) {
      if (s.features.length !== p || s.features.some((v) => !Number.isFinite(v))) throw new BatteryDataError('features', 'every cell needs the same finite features')
      if (!(typeof s.cycleLife === 'number' && s.cycleLife > 0)) throw new BatteryDataError('cycleLife', 'every training cell needs a positive cycle life')
    }
    const mean = Array.from({ length: p }, (_, j) => samples.reduce((a, s) => a + (s.features[j] ?? 0), 0) / samples.length)
    const std = Array.from({ length: p }, (_, j) => Math.sqrt(samples.reduce((a, s) => a + ((s.features[j] ?? 0) - (mean[j] ?? 0)) ** 2, 0) / samples.length) || 1)
    const X = samples.map((s) => s.features.map((v, j) => clipZ((v - (mean[j] ?? 0)) / (std[j] ?? 1))))
    const y = samples.map((s) => Math.log(s.cycleLife ?? 1))
    let best = { lambda: this.params.lambdas[0] ?? 1, err: Infinity }
    for (const lambda of this.params.lambdas) {
      let err = 0
      for (let i = 0; i < X.length; i++) {
        const fit = ridge(
          X.filter((_, k) => k !== i),
          y.filter((_, k) => k !== i),
          lambda,
        )
        const pred = fit.intercept + (X[i] ?? []).reduce((a, v, j) => a + v * (fit.weights[j] ?? 0), 0)
        err += Math.abs(Math.exp(pred) - Math.exp(y[i] ?? 0)) / Math.exp(y[i] ?? 0)
      }
      if (err < best.err) best = { lambda, err }
    }
    const fit = ridge(X, y, best.lambda)
    this.state = { mean, std, weights: fit.weights, intercept: fit.intercept, lambda: best.lambda }
  }

  predict(input: CycleLifeSample): number {
    const s = this.state
    if (s === undefined) throw new BatteryModelNotFittedError()
    if (input.features.length !== s.weights.length) throw new BatteryDataError('features', `expected ${s.weights.length} features, got ${input.features.length}`)
    const z = input.features.reduce((a, v, j) => a + clipZ((v - (s.mean[j] ?? 0)) / (s.std[j] ?? 1)) * (s.weights[j] ?? 0), s.intercept)
    return Math.exp(z)
  }

  toJSON(): SerializedModel {
    if (this.state === undefined) throw new BatteryModelNotFittedError()
    return { family: this.family, formatVersion: FORMAT_VERSION, params: { ...this.params }, state: this.state }
  }
}

export const cycleLifeFamily: ModelFamily<CycleLifeSample, number> = {
  family: CYCLE_LIFE_FAMILY,
  kind: 'rul',
  create: (params) => new CycleLifeModel(params as Partial<CycleLifeParams> | undefined),
  fromJSON(serialized) {
    if (serialized.family !== CYCLE_LIFE_FAMILY || serialized.formatVersion !== FORMAT_VERSION) throw new ModelFormatError(`expected ${CYCLE_LIFE_FAMILY} format ${FORMAT_VERSION}`)
    const st = serialized.state as Partial<State> | null
    if (st === null || typeof st !== 'object' || !Array.isArray(st.weights) || !Array.isArray(st.mean) || !Array.isArray(st.std) || typeof st.intercept !== 'number') throw new ModelFormatError(`${CYCLE_LIFE_FAMILY}: bad state`)
    return new CycleLifeModel(serialized.params as Partial<CycleLifeParams>, st as State)
  },
}

if (!families.has(cycleLifeFamily.family)) families.register(cycleLifeFamily)
