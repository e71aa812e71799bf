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
import type { AnomalyOutput, Model, ModelDescription, ModelFamily, SerializedModel, StreamPoint } from '../model.js'
import { MAD_TO_SD, Params, Ring, checkSerialized, readValues, guardRadius, mad, median, noveltyGuard, quiet, shares, zToScore } from './common.js'

const FAMILY = 'mad'
/** 2: ring values packed as float32 base64 (1, plain lists, is still read). */
const FORMAT = 2

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

interface ChannelState {
  /** Oldest first: packed (format 2) or a list (format 1). */
  values: string | number[]
  seen: number
  med: number
  scale: number
  stale: number
}

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

class Channel {
  readonly ring: Ring
  seen: number
  med: number
  scale: number
  stale: number

  constructor(
    private readonly p: MadParams,
    s?: ChannelState,
  ) {
    this.ring = new Ring(p.windowSize, s ? readValues(s.values, 'mad channel values') : [])
    this.seen = s?.seen ?? 0
    this.med = s?.med ?? Number.NaN
    this.scale = s?.scale ?? Number.NaN
    this.stale = s?.stale ?? 0
  }

  get ready(): boolean {
    return this.seen >= this.p.probation
  }

  z(x: number): number {
    return Math.abs(x - this.med) / this.scale
  }

  score(x: number): number {
    const p = this.p
    const s = zToScore(this.z(x), p.zFree, p.zScale)
    // The guard only lowers a score: a value within zFree needs no pass over the window (most values are).
    if (s === 0) return 0
    return s * noveltyGuard(this.ring.values, x, guardRadius(this.ring.values, this.scale, p.guardRadius, p.guardRangeFrac), p.pMin, p.minModeCount)
  }

  learn(x: number): void {
    this.ring.push(x)
    this.seen++
    this.stale++
    // The baseline must exist as soon as probation ends, and then follows every `refreshEvery` values.
    if (this.stale >= this.p.refreshEvery || this.seen === this.p.probation || Number.isNaN(this.med)) this.refresh()
  }

  private refresh(): void {
    const v = this.ring.values
    this.med = median(v)
    this.scale = Math.max(MAD_TO_SD * mad(v, this.med), this.p.minScaleRel * Math.abs(this.med), this.p.minScaleAbs)
    this.stale = 0
  }

  toJSON(): ChannelState {
    return { values: this.ring.pack(), seen: this.seen, med: this.med, scale: this.scale, stale: this.stale }
  }
}

/** The `mad` detector; see the module documentation. */
export class MadDetector implements Model<StreamPoint, AnomalyOutput> {
  readonly family = FAMILY
  readonly kind = 'anomaly' as const
  private readonly channels = new Map<string, Channel>()

  constructor(
    readonly params: MadParams,
    state?: Record<string, ChannelState>,
  ) {
    for (const [name, s] of Object.entries(state ?? {})) this.channels.set(name, new Channel(params, s))
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
    const scores: Record<string, number> = {}
    let best = 0
    let anyReady = false
    // for…in, not Object.entries: no array of pairs per channel per vector (a fleet's vectors add up to GC time).
    for (const name in input.values) {
      const x = input.values[name] as number
      const c = this.channels.get(name)
      if (!c?.ready || !Number.isFinite(x)) continue
      anyReady = true
      const s = c.score(x)
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

  private learn(input: StreamPoint): void {
    for (const name in input.values) {
      const x = input.values[name] as number
      if (!Number.isFinite(x)) continue
      let c = this.channels.get(name)
      if (!c) this.channels.set(name, (c = new Channel(this.params)))
      c.learn(x)
    }
  }

  toJSON(): SerializedModel {
    const state: Record<string, ChannelState> = {}
    for (const [name, c] of this.channels) state[name] = c.toJSON()
    return { family: FAMILY, formatVersion: FORMAT, params: { ...this.params }, state: { channels: state } }
  }
}

export const madFamily: ModelFamily<StreamPoint, AnomalyOutput> = {
  family: FAMILY,
  kind: 'anomaly',
  create: (params) => new MadDetector(readParams(params)),
  fromJSON: (s) => {
    checkSerialized(s.formatVersion === 1 ? { ...s, formatVersion: FORMAT } : s, FAMILY, FORMAT)
    return new MadDetector(readParams(s.params), (s.state as { channels: Record<string, ChannelState> }).channels)
  },
}
families.register(madFamily)
