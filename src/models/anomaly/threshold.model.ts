/**
 * `threshold`: static limits from each channel's expected range (the asset's channel
 * min/max), with the product defaults for batteries where a channel has none:
 * 1.8–2.5 V per cell (times `cellsInSeries` for a string's voltage), 5–50 °C and SOC 15–95 %.
 *
 * Inside its range a channel scores 0. Outside, it scores at least the alarm score 0.7,
 * growing with the excess: `0.7 + 0.3·(1 − exp(−excess / (0.05·width)))`.
 *
 * Cold start: none. Static limits need no learning, so the output is never `warmingUp`;
 * this is the detector that protects an asset during the others' probation.
 */
import type { ChannelRange } from '../../domain/health.js'
import { families } from '../families.js'
import type { AnomalyOutput, Model, ModelDescription, ModelFamily, SerializedModel, StreamPoint } from '../model.js'
import { DEFAULT_ALARM_SCORE, Params, sharedParams, checkSerialized, clone, shares } from './common.js'
import { DetectorParamsError } from './errors.js'

const FAMILY = 'threshold'
const FORMAT = 1

/** An expected range; either side may be open (null): the health index's own. */
export type Range = ChannelRange

/** Product defaults for battery channels (per cell for voltage). */
export const BATTERY_DEFAULT_RANGES = {
  voltagePerCell: { min: 1.8, max: 2.5 },
  temperature: { min: 5, max: 50 },
  soc: { min: 15, max: 95 },
} as const

export interface ThresholdParams {
  /** Channel → expected range. */
  ranges: Record<string, Range>
  /** Apply the battery defaults to `voltage`, `temperature` and `soc` when they have no range of their own. */
  batteryDefaults: boolean
  /** Cells in series behind a `voltage` channel, for the per-cell voltage default (default 1). */
  cellsInSeries: number
}

function readParams(raw?: Readonly<Record<string, unknown>>): ThresholdParams {
  const p = new Params(raw)
  const ranges: Record<string, Range> = {}
  const r = raw?.ranges ?? {}
  if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new DetectorParamsError('ranges', 'must be an object of channel → {min, max}')
  for (const [ch, v] of Object.entries(r as Record<string, unknown>)) {
    const o = v as Partial<Range> | null
    const min = o?.min ?? null
    const max = o?.max ?? null
    if ((min !== null && !Number.isFinite(min)) || (max !== null && !Number.isFinite(max))) throw new DetectorParamsError(`ranges.${ch}`, 'min and max must be finite numbers or null')
    if (min !== null && max !== null && min > max) throw new DetectorParamsError(`ranges.${ch}`, `min (${min}) is above max (${max})`)
    ranges[ch] = { min, max }
  }
  return { ranges, batteryDefaults: p.bool('batteryDefaults', false), cellsInSeries: p.num('cellsInSeries', 1, { min: 1, integer: true }) }
}

/** The range a channel is checked against under these parameters, or undefined when it has none. */
export function effectiveRange(channel: string, p: ThresholdParams): Range | undefined {
  const own = p.ranges[channel]
  if (own && (own.min !== null || own.max !== null)) return own
  if (!p.batteryDefaults) return undefined
  const d = BATTERY_DEFAULT_RANGES
  if (channel === 'voltage') return { min: d.voltagePerCell.min * p.cellsInSeries, max: d.voltagePerCell.max * p.cellsInSeries }
  if (channel === 'temperature') return { ...d.temperature }
  if (channel === 'soc') return { ...d.soc }
  return undefined
}

/** How far outside its range `x` lies, as a fraction of the range's width (0 inside). */
export function excessFraction(x: number, r: Range): number {
  const width = r.min !== null && r.max !== null ? Math.max(r.max - r.min, 1e-9) : Math.max(Math.abs(r.min ?? r.max ?? 0), 1e-9)
  if (r.min !== null && x < r.min) return (r.min - x) / width
  if (r.max !== null && x > r.max) return (x - r.max) / width
  return 0
}

/** The `threshold` detector; see the module documentation. */
export class ThresholdDetector implements Model<StreamPoint, AnomalyOutput> {
  readonly family = FAMILY
  readonly kind = 'anomaly' as const

  constructor(readonly params: ThresholdParams) {}

  describe(): ModelDescription {
    return {
      family: FAMILY,
      kind: 'anomaly',
      summary: 'Static limits from channel expected ranges (battery defaults 1.8–2.5 V per cell, 5–50 °C, SOC 15–95 %)',
      params: clone(this.params) as unknown as Record<string, unknown>,
      signature: { inputs: [{ name: 'values', type: 'number' }], outputs: [{ name: 'score', type: 'number' }] },
    }
  }

  fit(): void {
    // Static: nothing to learn.
  }

  predict(input: StreamPoint): AnomalyOutput {
    const scores: Record<string, number> = {}
    let best = 0
    // for…in, not Object.entries: no array of pairs per channel per vector (a fleet's vectors add up to GC time).
    for (const name in input.values) {
      const x = input.values[name] as number
      const r = effectiveRange(name, this.params)
      if (!r || !Number.isFinite(x)) continue
      const f = excessFraction(x, r)
      if (f <= 0) continue
      const s = DEFAULT_ALARM_SCORE + (1 - DEFAULT_ALARM_SCORE) * (1 - Math.exp(-f / 0.05))
      scores[name] = s
      if (s > best) best = s
    }
    return { score: best, contributions: shares(scores), warmingUp: false }
  }

  update(input: StreamPoint): AnomalyOutput {
    return this.predict(input)
  }

  toJSON(): SerializedModel {
    return { family: FAMILY, formatVersion: FORMAT, params: clone(this.params) as unknown as Record<string, unknown>, state: {} }
  }
}

export const thresholdFamily: ModelFamily<StreamPoint, AnomalyOutput> = {
  family: FAMILY,
  kind: 'anomaly',
  create: (params) => new ThresholdDetector(sharedParams(FAMILY, params, readParams)),
  fromJSON: (s) => {
    checkSerialized(s, FAMILY, FORMAT)
    return new ThresholdDetector(sharedParams(FAMILY, s.params, readParams))
  },
}
families.register(thresholdFamily)
