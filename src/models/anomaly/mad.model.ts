/**
 * `mad`: a robust rolling baseline per channel. Each channel keeps its last `windowSize`
 * values; a value is scored by its distance from their median in robust standard
 * deviations (1.4826 · MAD), times a novelty guard: a value the channel has been near
 * (within `guardRadius` robust sd) at least `pMin` of the window, as in a recurring
 * operating mode, is not an anomaly; a value never seen is.
 *
 * Cold start: a channel is in probation until it has `probation` values; while no channel
 * is out of probation the output has `warmingUp: true` and score 0.
 */
import { families } from '../families.js'
import { grown } from '../../domain/typed-arrays.js'
import type { AnomalyOutput, Model, ModelDescription, ModelFamily, SerializedModel, StreamPoint } from '../model.js'
import { ModelFormatError } from '../errors.js'
import { MAD_TO_SD, Params, sharedParams, RingMatrix, type RingMatrixJson, checkSerialized, guardRadius, mad, median, noveltyGuard, packF64, quiet, readChannelBlock, readValues, rowOf, shares, zToScore } from './common.js'

const FAMILY = 'mad'
/**
 * 3: all channels in one block (names, their windows packed, their scalars packed); 2, an
 * object per channel with its window packed, and 1, plain lists, are still read.
 */
const FORMAT = 3

export interface MadParams {
  /** Values kept per channel (default 360: an hour of 10-s feature vectors). */
  windowSize: number
  /** Values a channel needs before it is scored (default 60). */
  probation: number
  /** Median and MAD are recomputed every this many values (default 5); between, the cached ones are used. */
  refreshEvery: number
  /** Novelty guard: a value the channel was within `guardRadius` robust sd of at least `pMin` of the window is not scored (defaults 0.02 and 2; pMin 0 turns it off). */
  pMin: number
  guardRadius: number
  /** …and at least this share of the window's span (default 0.1), for multimodal channels. */
  guardRangeFrac: number
  /** …and a level counts as a mode only once held this many times (default 5). */
  minModeCount: number
  /** Floor of the scale relative to |median| (default 0.001), and absolute (default 1e-6), for flat channels. */
  minScaleRel: number
  minScaleAbs: number
  zFree: number
  zScale: number
}

/** A channel as format 2 (and 1) stored it: read only. */
interface ChannelStateV2 {
  /** Oldest first: packed (format 2) or a list (format 1). */
  values: string | number[]
  seen: number
  med: number | null
  scale: number | null
  stale: number
}

/** How the detector is checkpointed (format 3): channel names, their rings, and their scalars (SCALARS a channel, packed float64). */
interface StateJson {
  names: string[]
  rings: RingMatrixJson
  scalars: string
}

/** Per-channel scalars, at these offsets of a channel's SCALARS in `scalars`. */
const SEEN = 0
const MED = 1
const SCALE = 2
const STALE = 3
const SCALARS = 4

function readParams(raw?: Readonly<Record<string, unknown>>): MadParams {
  const p = new Params(raw)
  const windowSize = p.num('windowSize', 360, { min: 8, max: 100_000, integer: true })
  return {
    windowSize,
    probation: p.num('probation', Math.min(60, windowSize), { min: 1, max: windowSize, integer: true }),
    refreshEvery: p.num('refreshEvery', 5, { min: 1, integer: true }),
    pMin: p.num('pMin', 0.02, { min: 0, max: 0.5 }),
    guardRadius: p.num('guardRadius', 2, { min: 0 }),
    guardRangeFrac: p.num('guardRangeFrac', 0.1, { min: 0, max: 1 }),
    minModeCount: p.num('minModeCount', 5, { min: 0, integer: true }),
    minScaleRel: p.num('minScaleRel', 0.001, { min: 0 }),
    minScaleAbs: p.num('minScaleAbs', 1e-6, { min: 0 }),
    zFree: p.num('zFree', 3, { min: 0 }),
    zScale: p.num('zScale', 4, { min: 1e-9 }),
  }
}

/**
 * The `mad` detector; see the module documentation. Its channels' state is held in one
 * block per detector, a row per channel (`names`): the windows in a RingMatrix and the
 * scalars (values seen, cached median and scale, values since the refresh) in a Float64Array.
 */
export class MadDetector implements Model<StreamPoint, AnomalyOutput> {
  readonly family = FAMILY
  readonly kind = 'anomaly' as const
  private readonly names: string[] = []
  private readonly rings: RingMatrix
  private scalars: Float64Array = new Float64Array(0)

  constructor(readonly params: MadParams) {
    this.rings = new RingMatrix(params.windowSize)
  }

  describe(): ModelDescription {
    return {
      family: FAMILY,
      kind: 'anomaly',
      summary: 'Robust rolling median/MAD baseline per channel with a novelty guard for recurring modes',
      params: { ...this.params },
      signature: { inputs: [{ name: 'values', type: 'number', description: 'one value per channel' }], outputs: [{ name: 'score', type: 'number' }] },
    }
  }

  fit(data: readonly StreamPoint[]): void {
    for (const d of data) this.learn(d)
  }

  predict(input: StreamPoint): AnomalyOutput {
    const p = this.params
    const sc = this.scalars
    const scores: Record<string, number> = {}
    let best = 0
    let anyReady = false
    let k = 0
    // for…in, not Object.entries: no array of pairs per channel per vector (a fleet's vectors add up to GC time).
    for (const name in input.values) {
      const x = input.values[name] as number
      const r = rowOf(this.names, name, k++)
      if (r < 0 || (sc[r * SCALARS + SEEN] as number) < p.probation || !Number.isFinite(x)) continue
      anyReady = true
      const s = this.score(r, x)
      scores[name] = s
      if (s > best) best = s
    }
    if (!anyReady) return quiet(true)
    return { score: best, contributions: shares(scores), warmingUp: false }
  }

  update(input: StreamPoint): AnomalyOutput {
    const out = this.predict(input)
    this.learn(input)
    return out
  }

  private score(r: number, x: number): number {
    const p = this.params
    const scale = this.scalars[r * SCALARS + SCALE] as number
    const s = zToScore(Math.abs(x - (this.scalars[r * SCALARS + MED] as number)) / scale, p.zFree, p.zScale)
    // The guard only lowers a score: a value within zFree needs no pass over the window (most values are).
    if (s === 0) return 0
    const v = this.rings.values(r)
    return s * noveltyGuard(v, x, guardRadius(v, scale, p.guardRadius, p.guardRangeFrac), p.pMin, p.minModeCount)
  }

  private learn(input: StreamPoint): void {
    const p = this.params
    let k = 0
    for (const name in input.values) {
      const x = input.values[name] as number
      let r = rowOf(this.names, name, k++)
      if (!Number.isFinite(x)) continue
      if (r < 0) r = this.addChannel(name)
      this.rings.push(r, x)
      const at = r * SCALARS
      const sc = this.scalars
      const seen = (sc[at + SEEN] = (sc[at + SEEN] as number) + 1)
      const stale = (sc[at + STALE] = (sc[at + STALE] as number) + 1)
      // The baseline must exist as soon as probation ends, and then follows every `refreshEvery` values.
      if (stale >= p.refreshEvery || seen === p.probation || Number.isNaN(sc[at + MED])) this.refresh(r)
    }
  }

  private refresh(r: number): void {
    const v = this.rings.values(r)
    const at = r * SCALARS
    const med = median(v)
    this.scalars[at + MED] = med
    this.scalars[at + SCALE] = Math.max(MAD_TO_SD * mad(v, med), this.params.minScaleRel * Math.abs(med), this.params.minScaleAbs)
    this.scalars[at + STALE] = 0
  }

  /** A new channel's row, with `values` in its window (oldest first) and its scalars (a fresh channel's by default). */
  private addChannel(name: string, values?: ArrayLike<number>, scalars: ArrayLike<number> = [0, Number.NaN, Number.NaN, 0]): number {
    const r = this.rings.addRow(values)
    this.names.push(name)
    this.scalars = grown(this.scalars, this.names.length * SCALARS)
    this.scalars.set(scalars, r * SCALARS)
    return r
  }

  toJSON(): SerializedModel {
    const state: StateJson = { names: [...this.names], rings: this.rings.toJSON(), scalars: packF64(this.scalars.subarray(0, this.names.length * SCALARS)) }
    return { family: FAMILY, formatVersion: FORMAT, params: { ...this.params }, state: state as unknown as Record<string, unknown> }
  }

  /** Restores format-3 state. */
  static fromState(params: MadParams, raw: Readonly<Record<string, unknown>>): MadDetector {
    const { names, rows, scalars } = readChannelBlock(FAMILY, raw, 'rings', params.windowSize, SCALARS)
    const d = new MadDetector(params)
    names.forEach((n, r) => d.addChannel(n, rows.ordered(r), scalars.slice(r * SCALARS, (r + 1) * SCALARS)))
    return d
  }

  /** Restores format 1–2 state (an object per channel). */
  static fromLegacy(params: MadParams, channels: Readonly<Record<string, ChannelStateV2>>): MadDetector {
    const d = new MadDetector(params)
    for (const [name, s] of Object.entries(channels)) d.addChannel(name, readValues(s.values, 'mad channel values'), [s.seen ?? 0, s.med ?? Number.NaN, s.scale ?? Number.NaN, s.stale ?? 0])
    return d
  }
}

export const madFamily: ModelFamily<StreamPoint, AnomalyOutput> = {
  family: FAMILY,
  kind: 'anomaly',
  create: (params) => new MadDetector(sharedParams(FAMILY, params, readParams)),
  fromJSON: (s) => {
    const legacy = s.formatVersion === 1 || s.formatVersion === 2
    checkSerialized(legacy ? { ...s, formatVersion: FORMAT } : s, FAMILY, FORMAT)
    const params = sharedParams(FAMILY, s.params, readParams)
    if (!legacy) return MadDetector.fromState(params, s.state as Readonly<Record<string, unknown>>)
    const channels = (s.state as { channels?: unknown }).channels
    if (typeof channels !== 'object' || channels === null) throw new ModelFormatError("'mad' state needs its channels")
    return MadDetector.fromLegacy(params, channels as Record<string, ChannelStateV2>)
  },
}
families.register(madFamily)
