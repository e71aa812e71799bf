/**
 * Li-ion state of health and remaining cycles to end of life from a capacity-per-cycle history.
 * The degradation curve is an exponential C(k) = a·exp(b·k) fitted (log-linear least squares) to
 * the cell's own history; its extrapolated crossing of the end-of-life capacity is then corrected
 * by a residual learned on other cells: for many prediction points on each training cell, the
 * difference between true and extrapolated remaining cycles. The median residual corrects the bias,
 * its quantiles give the interval. Pure.
 */
import { ModelFormatError } from '../errors.js'
import { families } from '../families.js'
import type { Model, ModelDescription, ModelFamily, SerializedModel } from '../model.js'
import { quantile } from '../rul/cmapss-rul.model.js'
import { BatteryDataError, BatteryModelNotFittedError } from './errors.js'

/** Discharge capacities of one cell, one per cycle in order (cycle k is `capacityAh[k - 1]`). */
export interface CellHistory {
  readonly cell?: string
  readonly capacityAh: readonly number[]
}

export interface BatteryOutput {
  /** Capacity now per the fitted curve ÷ rated capacity. */
  readonly soh: number
  /** Cycles from the last one in the history to the end-of-life capacity; Infinity when the curve never reaches it. */
  readonly remainingCycles: number
  readonly lower80Cycles: number
  readonly upper80Cycles: number
  /** The uncorrected extrapolation of the fitted curve. */
  readonly curveRemainingCycles: number
}

export interface CapacityFadeParams {
  readonly ratedAh: number
  /** End of life: capacity at or below this (NASA cells: 1.4 Ah). */
  readonly eolAh: number
  /** Cycles of the most recent history the curve is fitted to (regeneration jumps make old points misleading); 0: all. */
  readonly fitCycles: number
  /** Fewest cycles before a prediction, in training and use. */
  readonly minCycles: number
}

export const DEFAULT_CAPACITY_FADE_PARAMS: CapacityFadeParams = { ratedAh: 2, eolAh: 1.4, fitCycles: 40, minCycles: 20 }

/** End of life as a fraction of rated capacity (e.g. 0.7 → 1.4 Ah for a 2 Ah cell). */
export function eolFromFraction(ratedAh: number, fraction: number): number {
  if (!(fraction > 0 && fraction < 1)) throw new BatteryDataError('eolFraction', 'must be between 0 and 1')
  return ratedAh * fraction
}

/** Least-squares exponential fit: ln C = ln a + b·k over cycles `from`..`to` (1-based, inclusive). */
export function fitExponential(capacityAh: readonly number[], from: number, to: number): { a: number; b: number } {
  let n = 0
  let sk = 0
  let sy = 0
  let skk = 0
  let sky = 0
  for (let k = from; k <= to; k++) {
    const c = capacityAh[k - 1] ?? NaN
    if (!(c > 0)) continue
    const y = Math.log(c)
    n++
    sk += k
    sy += y
    skk += k * k
    sky += k * y
  }
  if (n < 2) throw new BatteryDataError('capacityAh', 'needs at least two positive capacities to fit a curve')
  const den = n * skk - sk * sk
  const b = den !== 0 ? (n * sky - sk * sy) / den : 0
  return { a: Math.exp((sy - b * sk) / n), b }
}

/** First 1-based cycle whose capacity is at or below `eolAh`, or undefined. */
export function trueEolCycle(capacityAh: readonly number[], eolAh: number): number | undefined {
  const i = capacityAh.findIndex((c) => c <= eolAh)
  return i < 0 ? undefined : i + 1
}

interface State {
  /** Sorted residuals (true − extrapolated remaining cycles) from the training cells. */
  readonly residuals: number[]
}

export const CAPACITY_FADE_FAMILY = 'battery-capacity-fade'
const FORMAT_VERSION = 1

export class CapacityFadeModel implements Model<CellHistory, BatteryOutput> {
  readonly family = CAPACITY_FADE_FAMILY
  readonly kind = 'soh' as const
  readonly params: CapacityFadeParams
  private state: State | undefined

  constructor(params: Partial<CapacityFadeParams> = {}, state?: State) {
    this.params = { ...DEFAULT_CAPACITY_FADE_PARAMS, ...params }
    if (!(this.params.ratedAh > 0) || !(this.params.eolAh > 0) || this.params.eolAh >= this.params.ratedAh) throw new BatteryDataError('eolAh', 'must be positive and below the rated capacity')
    this.state = state
  }

  describe(): ModelDescription {
    return {
      family: this.family,
      kind: this.kind,
      summary: `Li-ion SOH and cycles to ${this.params.eolAh} Ah: exponential fade fitted to the cell, extrapolation corrected by residuals learned on other cells`,
      params: { ...this.params },
      signature: {
        inputs: [{ name: 'capacityAh', type: 'number[]', description: 'discharge capacity per cycle' }],
        outputs: ['soh', 'remainingCycles', 'lower80Cycles', 'upper80Cycles', 'curveRemainingCycles'].map((name) => ({ name, type: 'number' as const })),
      },
    }
  }

  /** The curve's own estimate: SOH now and cycles left until it crosses end of life. */
  curve(capacityAh: readonly number[]): { soh: number; remaining: number } {
    const last = capacityAh.length
    if (last < this.params.minCycles) throw new BatteryDataError('capacityAh', `needs at least ${this.params.minCycles} cycles`)
    const from = this.params.fitCycles > 0 ? Math.max(1, last - this.params.fitCycles + 1) : 1
    const { a, b } = fitExponential(capacityAh, from, last)
    const now = a * Math.exp(b * last)
    // C(k) = eol ⇔ k = ln(eol / a) / b; a flat or rising fit never gets there.
    const kEol = b < 0 ? Math.log(this.params.eolAh / a) / b : Infinity
    return { soh: now / this.params.ratedAh, remaining: Math.max(0, kEol - last) }
  }

  /** Learns the correction from run-to-end-of-life cells (cells that never reach it are skipped). */
  fit(cells: readonly CellHistory[]): void {
    const ratios: number[] = []
    for (const cell of cells) {
      const eol = trueEolCycle(cell.capacityAh, this.params.eolAh)
      if (eol === undefined) continue
      for (let s = this.params.minCycles; s < eol; s += 2) {
        const c = this.curve(cell.capacityAh.slice(0, s))
        if (!Number.isFinite(c.remaining)) continue
        ratios.push(eol - s - c.remaining)
      }
    }
    if (ratios.length === 0) throw new BatteryDataError('cells', `no training cell reaches end of life (${this.params.eolAh} Ah)`)
    this.state = { residuals: ratios.sort((x, y) => x - y) }
  }

  predict(input: CellHistory): BatteryOutput {
    const s = this.state
    if (s === undefined) throw new BatteryModelNotFittedError()
    const c = this.curve(input.capacityAh)
    if (!Number.isFinite(c.remaining)) return { soh: c.soh, remainingCycles: Infinity, lower80Cycles: Infinity, upper80Cycles: Infinity, curveRemainingCycles: Infinity }
    return {
      soh: c.soh,
      remainingCycles: Math.max(0, c.remaining + quantile(s.residuals, 0.5)),
      lower80Cycles: Math.max(0, c.remaining + quantile(s.residuals, 0.1)),
      upper80Cycles: Math.max(0, c.remaining + quantile(s.residuals, 0.9)),
      curveRemainingCycles: c.remaining,
    }
  }

  toJSON(): SerializedModel {
    if (this.state === undefined) throw new BatteryModelNotFittedError()
    return { family: this.family, formatVersion: FORMAT_VERSION, params: { ...this.params }, state: this.state }
  }
}

export const capacityFadeFamily: ModelFamily<CellHistory, BatteryOutput> = {
  family: CAPACITY_FADE_FAMILY,
  kind: 'soh',
  create: (params) => new CapacityFadeModel(params as Partial<CapacityFadeParams> | undefined),
  fromJSON(serialized) {
    if (serialized.family !== CAPACITY_FADE_FAMILY || serialized.formatVersion !== FORMAT_VERSION) throw new ModelFormatError(`expected ${CAPACITY_FADE_FAMILY} format ${FORMAT_VERSION}`)
    const st = serialized.state as Partial<State> | null
    if (st === null || typeof st !== 'object' || !Array.isArray(st.residuals) || st.residuals.length === 0) throw new ModelFormatError(`${CAPACITY_FADE_FAMILY}: state needs residuals`)
    return new CapacityFadeModel(serialized.params as Partial<CapacityFadeParams>, { residuals: st.residuals })
  },
}

if (!families.has(capacityFadeFamily.family)) families.register(capacityFadeFamily)
