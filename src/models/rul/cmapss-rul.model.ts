/**
 * Turbofan remaining useful life, one model per C-MAPSS sub-set: operating conditions clustered
 * and each sensor z-scored within its condition, windows of the last N cycles, the label capped
 * piecewise-linearly, and an ensemble of small temporal-convolution networks, one per fold of the
 * training units. The fold each member did not see gives out-of-fold residuals, whose quantiles
 * (by band of predicted RUL) are the uncertainty interval.
 */
import { ModelFormatError } from '../errors.js'
import { families } from '../families.js'
import type { Model, ModelDescription, ModelFamily, SerializedModel } from '../model.js'
import {
  CMAPSS_SENSORS,
  DEFAULT_RUL_CAP_CYCLES,
  cappedRul,
  detectConditionCount,
  fitConditions,
  fitNormaliser,
  normaliseCycle,
  windowAt,
  windowSummary,
  WINDOW_FEATURES,
  type SensorNormaliser,
  type TurbofanCycle,
} from './cmapss.features.js'
import { RulModelNotFittedError, RulTrainerMissingError, RulTrainingDataError } from './errors.js'
import { forward, type NetworkSpec, type NetworkTrainer, type NetworkWeights } from './network.js'

/** A unit's cycles so far, oldest first (a full run to failure when training). */
export type TurbofanHistory = readonly TurbofanCycle[]

/** Remaining useful life at the last cycle of a history, with its interval. */
export interface RulOutput {
  readonly rulCycles: number
  /** 80 % interval, from out-of-fold residual quantiles 10 % and 90 %. */
  readonly lower80Cycles: number
  readonly upper80Cycles: number
  /** 95 % interval (quantiles 2.5 % and 97.5 %). */
  readonly lower95Cycles: number
  readonly upper95Cycles: number
  /** Standard deviation of the ensemble members' predictions. */
  readonly spreadCycles: number
}

/** Parameters of the C-MAPSS RUL model; every one has a default tuned by cross-validation. */
export interface CmapssRulParams {
  readonly windowCycles: number
  /** 'window': the network sees the raw normalised window; 'summary': per-sensor window statistics. */
  readonly input: 'window' | 'summary'
  readonly capCycles: number
  /** Summary input: also each sensor's drift from the mean of the unit's first this-many cycles (0: off). */
  readonly baselineCycles: number
  /** Number of operating conditions, or 0 to detect (6 when the altitude setting varies, else 1). */
  readonly conditions: number
  /** Ensemble members; each trains on all units but one fold of them. */
  readonly members: number
  readonly conv: readonly { readonly kernel: number; readonly filters: number }[]
  readonly dense: readonly number[]
  /** Feeds the cycle count (÷ capCycles) as an extra input. */
  readonly cycleInput: boolean
  readonly epochs: number
  readonly batchSize: number
  readonly learningRate: number
  readonly seed: number
}

export const DEFAULT_CMAPSS_RUL_PARAMS: CmapssRulParams = {
  windowCycles: 30,
  input: 'summary',
  capCycles: DEFAULT_RUL_CAP_CYCLES,
  baselineCycles: 20,
  conditions: 0,
  members: 5,
  conv: [{ kernel: 10, filters: 16 }],
  dense: [64, 32],
  cycleInput: true,
  epochs: 30,
  batchSize: 256,
  learningRate: 0.001,
  seed: 1,
}

/** Out-of-fold residual (truth − prediction) quantiles for predictions up to `upToCycles`. */
export interface ResidualBand {
  readonly upToCycles: number
  readonly q025: number
  readonly q10: number
  readonly q90: number
  readonly q975: number
}

interface FittedState {
  readonly normaliser: SensorNormaliser
  readonly members: NetworkWeights[]
  readonly bands: ResidualBand[]
}

/** Progress of a fit, for progress bars: one tick per member epoch. */
export type RulFitEvent = { readonly type: 'epoch'; readonly member: number; readonly epoch: number; readonly epochs: number; readonly loss: number }

export const CMAPSS_RUL_FAMILY = 'cmapss-rul-tcn'
const FORMAT_VERSION = 1

/** Bands of predicted RUL over which residual quantiles are taken (the error grows with the horizon). */
const BAND_EDGES = [40, 80, Infinity]

export class CmapssRulModel implements Model<TurbofanHistory, RulOutput> {
  readonly family = CMAPSS_RUL_FAMILY
  readonly kind = 'rul' as const
  readonly params: CmapssRulParams
  private state: FittedState | undefined
  private trainer: NetworkTrainer | undefined
  private onEvent: ((e: RulFitEvent) => void) | undefined

  constructor(params: Partial<CmapssRulParams> = {}, state?: FittedState) {
    this.params = { ...DEFAULT_CMAPSS_RUL_PARAMS, ...params }
    if (this.params.windowCycles < 1 || this.params.members < 1 || this.params.capCycles <= 0) throw new RulTrainingDataError('windowCycles, members and capCycles must be positive')
    this.state = state
  }

  /** Sets the trainer used by `fit` (and an optional progress listener); returns this. */
  withTrainer(trainer: NetworkTrainer, onEvent?: (e: RulFitEvent) => void): this {
    this.trainer = trainer
    this.onEvent = onEvent
    return this
  }

  describe(): ModelDescription {
    return {
      family: this.family,
      kind: this.kind,
      summary: `C-MAPSS turbofan RUL: per-condition z-scored sensors, ${this.params.windowCycles}-cycle windows, label capped at ${this.params.capCycles}, ensemble of ${this.params.members} temporal-convolution networks; intervals from out-of-fold residuals`,
      params: { ...this.params },
      signature: {
        inputs: [
          { name: 'settings', type: 'number[]', description: 'operational settings 1–3 of each cycle' },
          { name: 'sensors', type: 'number[]', description: 'sensors 1–21 of each cycle' },
        ],
        outputs: [
          { name: 'rulCycles', type: 'number' },
          { name: 'lower80Cycles', type: 'number' },
          { name: 'upper80Cycles', type: 'number' },
          { name: 'lower95Cycles', type: 'number' },
          { name: 'upper95Cycles', type: 'number' },
          { name: 'spreadCycles', type: 'number' },
        ],
      },
    }
  }

  private spec(): NetworkSpec {
    const extras = this.params.cycleInput ? 1 : 0
    if (this.params.input === 'summary') return { windowCycles: 1, channels: CMAPSS_SENSORS.length * (WINDOW_FEATURES.length + (this.params.baselineCycles > 0 ? 1 : 0)), extras, conv: [], dense: this.params.dense }
    return { windowCycles: this.params.windowCycles, channels: CMAPSS_SENSORS.length, extras, conv: this.params.conv, dense: this.params.dense }
  }

  private inputAt(normalised: readonly (readonly number[])[], end: number): number[] {
    return this.params.input === 'summary' ? windowSummary(normalised, end, this.params.windowCycles, 5, this.params.baselineCycles) : windowAt(normalised, end, this.params.windowCycles)
  }

  async fit(units: readonly TurbofanHistory[]): Promise<void> {
    if (this.trainer === undefined) throw new RulTrainerMissingError()
    if (units.length < 2) throw new RulTrainingDataError('need at least two run-to-failure units')
    if (units.some((u) => u.length === 0)) throw new RulTrainingDataError('a training unit has no cycles')
    const p = this.params
    const rows = units.flat()
    const k = p.conditions > 0 ? p.conditions : detectConditionCount(rows)
    const normaliser = fitNormaliser(rows, fitConditions(rows, k))
    const normalised = units.map((u) => u.map((r) => normaliseCycle(normaliser, r)))
    const folds = Math.min(p.members, units.length)
    const members: NetworkWeights[] = []
    const residuals: { pred: number; resid: number }[] = []
    const spec = this.spec()
    for (let m = 0; m < p.members; m++) {
      const train: number[] = []
      const held: number[] = []
      units.forEach((_, i) => ((folds > 1 && i % folds === m % folds) ? held : train).push(i))
      const data = this.samples(units, normalised, train)
      const weights = await this.trainer.train(spec, data, { epochs: p.epochs, batchSize: p.batchSize, learningRate: p.learningRate, seed: p.seed * 1000 + m }, (epoch, loss) =>
        this.onEvent?.({ type: 'epoch', member: m + 1, epoch, epochs: p.epochs, loss }),
      )
      members.push(weights)
      // Only members of the first round of folds give residuals: each held-out unit once.
      if (m < folds)
        for (const i of held) {
          const u = units[i] ?? []
          const last = u[u.length - 1]?.cycle ?? 0
          for (let e = 0; e < u.length; e++) {
            const pred = this.runMember(spec, weights, normalised[i] ?? [], e, u[e]?.cycle ?? 0)
            residuals.push({ pred, resid: cappedRul(u[e]?.cycle ?? 0, last, p.capCycles) - pred })
          }
        }
    }
    this.state = { normaliser, members, bands: residualBands(residuals, p.capCycles) }
  }

  private samples(units: readonly TurbofanHistory[], normalised: readonly number[][][], idx: readonly number[]): { n: number; windows: Float32Array; extras: Float32Array; targets: Float32Array } {
    const p = this.params
    const spec = this.spec()
    const width = spec.windowCycles * spec.channels
    const n = idx.reduce((s, i) => s + (units[i]?.length ?? 0), 0)
    const windows = new Float32Array(n * width)
    const extras = new Float32Array(n)
    const targets = new Float32Array(n)
    let k = 0
    for (const i of idx) {
      const u = units[i] ?? []
      const last = u[u.length - 1]?.cycle ?? 0
      for (let e = 0; e < u.length; e++) {
        windows.set(this.inputAt(normalised[i] ?? [], e), k * width)
        extras[k] = (u[e]?.cycle ?? 0) / p.capCycles
        targets[k] = cappedRul(u[e]?.cycle ?? 0, last, p.capCycles) / p.capCycles
        k++
      }
    }
    return { n, windows, extras, targets }
  }

  private runMember(spec: NetworkSpec, weights: NetworkWeights, normalised: readonly number[][], end: number, cycle: number): number {
    const y = forward(spec, weights, this.inputAt(normalised, end), this.params.cycleInput ? [cycle / this.params.capCycles] : [])
    return Math.min(this.params.capCycles, Math.max(0, y * this.params.capCycles))
  }

  predict(history: TurbofanHistory): RulOutput {
    const s = this.state
    if (s === undefined) throw new RulModelNotFittedError()
    if (history.length === 0) throw new RulTrainingDataError('a history needs at least one cycle')
    const normalised = history.map((r) => normaliseCycle(s.normaliser, r))
    const end = history.length - 1
    const cycle = history[end]?.cycle ?? history.length
    const spec = this.spec()
    const preds = s.members.map((w) => this.runMember(spec, w, normalised, end, cycle))
    const mean = preds.reduce((a, b) => a + b, 0) / preds.length
    const spread = Math.sqrt(preds.reduce((a, b) => a + (b - mean) ** 2, 0) / preds.length)
    const band = s.bands.find((b) => mean <= b.upToCycles) ?? s.bands[s.bands.length - 1] ?? { q025: 0, q10: 0, q90: 0, q975: 0 }
    const clip = (v: number): number => Math.max(0, v)
    return {
      rulCycles: mean,
      lower80Cycles: clip(mean + band.q10),
      upper80Cycles: clip(mean + band.q90),
      lower95Cycles: clip(mean + band.q025),
      upper95Cycles: clip(mean + band.q975),
      spreadCycles: spread,
    }
  }

  toJSON(): SerializedModel {
    if (this.state === undefined) throw new RulModelNotFittedError()
    return { family: this.family, formatVersion: FORMAT_VERSION, params: { ...this.params }, state: this.state }
  }
}

/** Quantiles of residuals per band of predicted RUL (falls back to all residuals for a thin band). */
export function residualBands(residuals: readonly { pred: number; resid: number }[], capCycles: number): ResidualBand[] {
  const all = residuals.map((r) => r.resid).sort((a, b) => a - b)
  let lo = -Infinity
  return BAND_EDGES.map((edge) => {
    const upTo = Math.min(edge, capCycles)
    const inBand = residuals.filter((r) => r.pred > lo && r.pred <= (edge === Infinity ? Infinity : edge)).map((r) => r.resid).sort((a, b) => a - b)
    lo = edge
    const src = inBand.length >= 50 ? inBand : all
    return { upToCycles: edge === Infinity ? capCycles : upTo, q025: quantile(src, 0.025), q10: quantile(src, 0.1), q90: quantile(src, 0.9), q975: quantile(src, 0.975) }
  })
}

/** Linear-interpolated quantile of sorted values. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0
  const pos = (sorted.length - 1) * q
  const i = Math.floor(pos)
  const f = pos - i
  return (sorted[i] ?? 0) * (1 - f) + (sorted[Math.min(sorted.length - 1, i + 1)] ?? 0) * f
}

/** Converts cycles to hours with an asset's cycles-per-hour setting (flights per hour of operation). */
export function rulToHours(out: RulOutput, cyclesPerHour: number): { rulHours: number; lower80Hours: number; upper80Hours: number; lower95Hours: number; upper95Hours: number } {
  if (!(cyclesPerHour > 0)) throw new RulTrainingDataError('cyclesPerHour must be positive')
  return {
    rulHours: out.rulCycles / cyclesPerHour,
    lower80Hours: out.lower80Cycles / cyclesPerHour,
    upper80Hours: out.upper80Cycles / cyclesPerHour,
    lower95Hours: out.lower95Cycles / cyclesPerHour,
    upper95Hours: out.upper95Cycles / cyclesPerHour,
  }
}

function isState(s: unknown): s is FittedState {
  if (typeof s !== 'object' || s === null) return false
  const o = s as Record<string, unknown>
  return typeof o.normaliser === 'object' && o.normaliser !== null && Array.isArray(o.members) && o.members.length > 0 && Array.isArray(o.bands)
}

/** The catalogue entry: `families.create('cmapss-rul-tcn', params)` and restore from JSON. */
export const cmapssRulFamily: ModelFamily<TurbofanHistory, RulOutput> = {
  family: CMAPSS_RUL_FAMILY,
  kind: 'rul',
  create: (params) => new CmapssRulModel(params as Partial<CmapssRulParams> | undefined),
  fromJSON(serialized) {
    if (serialized.family !== CMAPSS_RUL_FAMILY) throw new ModelFormatError(`expected family '${CMAPSS_RUL_FAMILY}', got '${serialized.family}'`)
    if (serialized.formatVersion !== FORMAT_VERSION) throw new ModelFormatError(`unsupported ${CMAPSS_RUL_FAMILY} format version ${serialized.formatVersion}`)
    if (!isState(serialized.state)) throw new ModelFormatError(`${CMAPSS_RUL_FAMILY}: state needs normaliser, members and bands`)
    return new CmapssRulModel(serialized.params as Partial<CmapssRulParams>, serialized.state)
  },
}

if (!families.has(cmapssRulFamily.family)) families.register(cmapssRulFamily)
