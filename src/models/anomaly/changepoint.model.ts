/**
 * `changepoint`: two-sided CUSUM per channel on standardised innovations.
 *
 * Each channel's reference is a slow Holt linear baseline (level and trend, `levelAlpha`,
 * `trendBeta`), so a steady trend (a counter, a slow drift) is predicted and gives z ≈ 0.
 * The innovation `e = x − (level + trend)` is standardised by an exponentially weighted
 * standard deviation of past innovations (`noiseAlpha`), and accumulated:
 * `S⁺ = max(0, S⁺ + z − k)`, `S⁻ = max(0, S⁻ − z − k)`.
 * When either reaches `h` a change is declared: the score peaks and the channel accepts the
 * new level (S reset), so a change fires once at its onset, then the detector is quiet.
 *
 * Optionally (`pMin` > 0) increments are multiplied by a novelty guard over the last
 * `historySize` values: moving to a value the channel has been near (within `guardRadius`
 * innovation sd, or `guardRangeFrac` of the history's span) at least `pMin` of the time, as in a recurring mode, does not accumulate.
 *
 * Score: 0 below S = h/2, then `1 − exp(−2.4·(S/h − 0.5))`, which is 0.70 at S = h.
 * Cold start: a channel is in probation for its first `probation` values.
 */
import { families } from '../families.js'
import type { AnomalyOutput, Model, ModelDescription, ModelFamily, SerializedModel, StreamPoint } from '../model.js'
import { Params, Ring, checkSerialized, readValues, guardRadius, noveltyGuard, quiet, shares } from './common.js'

const FAMILY = 'changepoint'
/** 2: histories packed as float32 base64 (1, plain lists, is still read). */
const FORMAT = 2
/** Values after a declared change during which the baseline relearns (equal weights) and nothing accumulates. */
const RELEARN = 10
/** Not relearning after a change (sinceChange 0: no change yet). */
const settled = (s: { sinceChange: number }): boolean => s.sinceChange === 0 || s.sinceChange >= RELEARN

export interface ChangepointParams {
  levelAlpha: number
  trendBeta: number
  noiseAlpha: number
  /** Allowance per step, in standard deviations (default 0.5). */
  k: number
  /** Decision threshold, in standard deviations (default 8). */
  h: number
  probation: number
  historySize: number
  /** Novelty guard (off by default: pMin 0): radius in innovation sd and minimum share. */
  pMin: number
  guardRadius: number
  guardRangeFrac: number
  /** Floor of the innovation scale relative to |level| (default 0.001) and absolute (1e-6). */
  minSdRel: number
  minSdAbs: number
}

interface ChannelState {
  seen: number
  /** Values since the last declared change (the baseline relearns fast after one). */
  sinceChange: number
  level: number
  trend: number
  eVar: number
  sPos: number
  sNeg: number
  /** Oldest first: packed (format 2) or a list (format 1). */
  history: string | number[]
  changes: number
}

function readParams(raw?: Readonly<Record<string, unknown>>): ChangepointParams {
  const p = new Params(raw)
  return {
    levelAlpha: p.num('levelAlpha', 0.03, { min: 1e-6, max: 1 }),
    trendBeta: p.num('trendBeta', 0.1, { min: 0, max: 1 }),
    noiseAlpha: p.num('noiseAlpha', 0.02, { min: 1e-6, max: 1 }),
    k: p.num('k', 0.5, { min: 0 }),
    h: p.num('h', 8, { min: 1e-6 }),
    probation: p.num('probation', 60, { min: 2, integer: true }),
    historySize: p.num('historySize', 240, { min: 8, integer: true }),
    pMin: p.num('pMin', 0, { min: 0, max: 0.5 }),
    guardRadius: p.num('guardRadius', 0.5, { min: 0 }),
    guardRangeFrac: p.num('guardRangeFrac', 0.05, { min: 0, max: 1 }),
    minSdRel: p.num('minSdRel', 0.001, { min: 0 }),
    minSdAbs: p.num('minSdAbs', 1e-6, { min: 0 }),
  }
}

/** One step of one channel: the statistics after seeing `x`, without changing the input state. */
interface Step {
  z: number
  sPos: number
  sNeg: number
}

/** The `changepoint` detector; see the module documentation. */
export class ChangepointDetector implements Model<StreamPoint, AnomalyOutput> {
  readonly family = FAMILY
  readonly kind = 'anomaly' as const
  private readonly channels = new Map<string, { s: ChannelState; ring: Ring }>()

  constructor(
    readonly params: ChangepointParams,
    state?: Record<string, ChannelState>,
  ) {
    for (const [k, s] of Object.entries(state ?? {})) this.channels.set(k, { s: { ...s, history: [] }, ring: new Ring(params.historySize, readValues(s.history, 'changepoint history')) })
  }

  describe(): ModelDescription {
    return {
      family: FAMILY,
      kind: 'anomaly',
      summary: 'Two-sided CUSUM per channel on standardised innovations; fires once per change, then accepts the new level',
      params: { ...this.params },
      signature: { inputs: [{ name: 'values', type: 'number' }], outputs: [{ name: 'score', type: 'number' }] },
    }
  }

  fit(data: readonly StreamPoint[]): void {
    for (const d of data) this.update(d)
  }

  private step(c: { s: ChannelState; ring: Ring }, x: number): Step {
    const p = this.params
    const s = c.s
    const sd = Math.max(Math.sqrt(s.eVar), p.minSdRel * Math.abs(s.level), p.minSdAbs)
    let z = (x - s.level - s.trend) / sd
    // The guard g ∈ [0, 1] scales z. It needs a pass over the history, so it is computed only
    // when g can change a sum: max(0, S + z·g − k) is the same for every g when even its
    // largest value is ≤ 0 (the usual case: innovations within the allowance k).
    const pos = z > 0 ? s.sPos + z - p.k : s.sPos - p.k
    const neg = z < 0 ? s.sNeg - z - p.k : s.sNeg - p.k
    if (p.pMin > 0 && (!Number.isFinite(z) || (z !== 0 && (pos > 0 || neg > 0)))) z *= noveltyGuard(c.ring.values, x, guardRadius(c.ring.values, sd, p.guardRadius, p.guardRangeFrac), p.pMin, 5)
    return { z, sPos: Math.max(0, s.sPos + z - p.k), sNeg: Math.max(0, s.sNeg - z - p.k) }
  }

  private scoreOf(st: Step): number {
    const r = Math.max(st.sPos, st.sNeg) / this.params.h
    return r <= 0.5 ? 0 : 1 - Math.exp(-2.4 * (r - 0.5))
  }

  predict(input: StreamPoint): AnomalyOutput {
    return this.evaluate(input)
  }

  /** Scores `input`; `steps` (from update) receives each scored channel's step, so it is not computed twice. */
  private evaluate(input: StreamPoint, steps?: Map<string, Step>): AnomalyOutput {
    const scores: Record<string, number> = {}
    let best = 0
    let anyReady = false
    // for…in, not Object.entries: no array of pairs per channel per vector (a fleet's vectors add up to GC time).
    for (const name in input.values) {
      const x = input.values[name] as number
      const c = this.channels.get(name)
      if (!c || c.s.seen < this.params.probation || !Number.isFinite(x)) continue
      anyReady = true
      if (!settled(c.s)) continue
      anyReady = true
      const st = this.step(c, x)
      steps?.set(name, st)
      const sc = this.scoreOf(st)
      scores[name] = sc
      if (sc > best) best = sc
    }
    if (!anyReady) return quiet(true)
    return { score: best, contributions: shares(scores), warmingUp: false }
  }

  update(input: StreamPoint): AnomalyOutput {
    const steps = new Map<string, Step>()
    const out = this.evaluate(input, steps)
    const p = this.params
    for (const name in input.values) {
      const x = input.values[name] as number
      if (!Number.isFinite(x)) continue
      let c = this.channels.get(name)
      if (!c) {
        c = { s: { seen: 0, sinceChange: 0, level: x, trend: 0, eVar: 0, sPos: 0, sNeg: 0, history: [], changes: 0 }, ring: new Ring(p.historySize) }
        this.channels.set(name, c)
      }
      const s = c.s
      if (s.seen >= p.probation && settled(s)) {
        const st = steps.get(name) ?? this.step(c, x)
        s.sPos = st.sPos
        s.sNeg = st.sNeg
        if (Math.max(s.sPos, s.sNeg) >= p.h) {
          // Change accepted: the new level is the baseline from now on.
          s.sPos = 0
          s.sNeg = 0
          s.level = x
          s.sinceChange = 1
          s.changes++
          c.ring.push(x)
          s.seen++
          continue
        }
      }
      const e = x - s.level - s.trend
      if (s.seen > 0) {
        // Probation learns fast (equal weights), then the baseline moves slowly; after a change the level relearns fast again.
        const w = Math.max(p.noiseAlpha, 1 / (s.seen + 1))
        if (settled(s)) s.eVar = (1 - w) * (s.eVar + w * e * e)
        const a = Math.max(p.levelAlpha, 1 / ((s.sinceChange || s.seen) + 1))
        s.level += s.trend + a * e
        s.trend += a * p.trendBeta * e
      }
      c.ring.push(x)
      s.seen++
      if (s.sinceChange > 0) s.sinceChange++
    }
    return out
  }

  /** Changes declared so far per channel (for tests and explanations). */
  changes(): Record<string, number> {
    return Object.fromEntries([...this.channels].map(([k, c]) => [k, c.s.changes]))
  }

  toJSON(): SerializedModel {
    const state: Record<string, ChannelState> = {}
    for (const [k, c] of this.channels) state[k] = { ...c.s, history: c.ring.pack() }
    return { family: FAMILY, formatVersion: FORMAT, params: { ...this.params }, state: { channels: state } }
  }
}

export const changepointFamily: ModelFamily<StreamPoint, AnomalyOutput> = {
  family: FAMILY,
  kind: 'anomaly',
  create: (params) => new ChangepointDetector(readParams(params)),
  fromJSON: (s) => {
    checkSerialized(s.formatVersion === 1 ? { ...s, formatVersion: FORMAT } : s, FAMILY, FORMAT)
    return new ChangepointDetector(readParams(s.params), (s.state as { channels: Record<string, ChannelState> }).channels)
  },
}
families.register(changepointFamily)
