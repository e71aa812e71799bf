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
import { grown } from '../../domain/typed-arrays.js'
import type { AnomalyOutput, Model, ModelDescription, ModelFamily, SerializedModel, StreamPoint } from '../model.js'
import { ModelFormatError } from '../errors.js'
import { Params, sharedParams, RingMatrix, type RingMatrixJson, checkSerialized, guardRadius, noveltyGuard, packF64, quiet, readChannelBlock, readValues, rowOf, shares } from './common.js'

const FAMILY = 'changepoint'
/**
 * 3: all channels in one block (names, their histories packed, their scalars packed); 2, an
 * object per channel with its history packed, and 1, plain lists, are still read.
 */
const FORMAT = 3
/** Values after a declared change during which the baseline relearns (equal weights) and nothing accumulates. */
const RELEARN = 10
/** Not relearning after a change (sinceChange 0: no change yet). */
const settled = (sinceChange: number): boolean => sinceChange === 0 || sinceChange >= RELEARN

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

/** A channel as format 2 (and 1) stored it: read only. */
interface ChannelStateV2 {
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

/** How the detector is checkpointed (format 3): channel names, their histories, and their scalars (SCALARS a channel, packed float64). */
interface StateJson {
  names: string[]
  history: RingMatrixJson
  scalars: string
}

/** Per-channel scalars, at these offsets of a channel's SCALARS in `scalars` (as ChannelStateV2's fields). */
const SEEN = 0
const SINCE_CHANGE = 1
const LEVEL = 2
const TREND = 3
const E_VAR = 4
const S_POS = 5
const S_NEG = 6
const CHANGES = 7
const SCALARS = 8

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

/**
 * Each scored channel's step of the vector being scored (S⁺ and S⁻, by row), from `evaluate`
 * for `update`, so it is not computed twice (scoring is synchronous: one array serves every detector).
 */
let stepScratch = new Float64Array(64)

/**
 * The `changepoint` detector; see the module documentation. Its channels' state is held in
 * one block per detector, a row per channel (`names`): the histories in a RingMatrix and the
 * scalars (SEEN … CHANGES) in a Float64Array.
 */
export class ChangepointDetector implements Model<StreamPoint, AnomalyOutput> {
  readonly family = FAMILY
  readonly kind = 'anomaly' as const
  private readonly names: string[] = []
  private readonly history: RingMatrix
  private scalars: Float64Array = new Float64Array(0)

  constructor(readonly params: ChangepointParams) {
    this.history = new RingMatrix(params.historySize)
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

  /** One step of row r on `x`: S⁺ and S⁻ after it, written to `out` at `at`, without changing the state. */
  private step(r: number, x: number, out: Float64Array, at: number): void {
    const p = this.params
    const sc = this.scalars
    const o = r * SCALARS
    const level = sc[o + LEVEL] as number
    const sPos = sc[o + S_POS] as number
    const sNeg = sc[o + S_NEG] as number
    const sd = Math.max(Math.sqrt(sc[o + E_VAR] as number), p.minSdRel * Math.abs(level), p.minSdAbs)
    let z = (x - level - (sc[o + TREND] as number)) / sd
    // The guard g ∈ [0, 1] scales z. It needs a pass over the history, so it is computed only
    // when g can change a sum: max(0, S + z·g − k) is the same for every g when even its
    // largest value is ≤ 0 (the usual case: innovations within the allowance k).
    const pos = z > 0 ? sPos + z - p.k : sPos - p.k
    const neg = z < 0 ? sNeg - z - p.k : sNeg - p.k
    if (p.pMin > 0 && (!Number.isFinite(z) || (z !== 0 && (pos > 0 || neg > 0)))) {
      const v = this.history.values(r)
      z *= noveltyGuard(v, x, guardRadius(v, sd, p.guardRadius, p.guardRangeFrac), p.pMin, 5)
    }
    out[at] = Math.max(0, sPos + z - p.k)
    out[at + 1] = Math.max(0, sNeg - z - p.k)
  }

  private scoreOf(sPos: number, sNeg: number): number {
    const r = Math.max(sPos, sNeg) / this.params.h
    return r <= 0.5 ? 0 : 1 - Math.exp(-2.4 * (r - 0.5))
  }

  predict(input: StreamPoint): AnomalyOutput {
    return this.evaluate(input)
  }

  /** Row r is scored: out of probation and not relearning after a change. */
  private scored(r: number): boolean {
    return (this.scalars[r * SCALARS + SEEN] as number) >= this.params.probation && settled(this.scalars[r * SCALARS + SINCE_CHANGE] as number)
  }

  /** Scores `input`, leaving each scored channel's step in `stepScratch` at 2 × its row. */
  private evaluate(input: StreamPoint): AnomalyOutput {
    const scores: Record<string, number> = {}
    let best = 0
    let anyReady = false
    if (stepScratch.length < 2 * this.names.length) stepScratch = new Float64Array(2 * this.names.length)
    let k = 0
    // for…in, not Object.entries: no array of pairs per channel per vector (a fleet's vectors add up to GC time).
    for (const name in input.values) {
      const x = input.values[name] as number
      const r = rowOf(this.names, name, k++)
      if (r < 0 || (this.scalars[r * SCALARS + SEEN] as number) < this.params.probation || !Number.isFinite(x)) continue
      anyReady = true
      if (!this.scored(r)) continue
      this.step(r, x, stepScratch, 2 * r)
      const sc = this.scoreOf(stepScratch[2 * r] as number, stepScratch[2 * r + 1] as number)
      scores[name] = sc
      if (sc > best) best = sc
    }
    if (!anyReady) return quiet(true)
    return { score: best, contributions: shares(scores), warmingUp: false }
  }

  update(input: StreamPoint): AnomalyOutput {
    const out = this.evaluate(input)
    const p = this.params
    let k = 0
    for (const name in input.values) {
      const x = input.values[name] as number
      let r = rowOf(this.names, name, k++)
      if (!Number.isFinite(x)) continue
      if (r < 0) r = this.addChannel(name, undefined, [0, 0, x, 0, 0, 0, 0, 0])
      const sc = this.scalars
      const o = r * SCALARS
      if (this.scored(r)) {
        // evaluate scored this channel (same state, finite x): its step is in the scratch array.
        sc[o + S_POS] = stepScratch[2 * r] as number
        sc[o + S_NEG] = stepScratch[2 * r + 1] as number
        if (Math.max(sc[o + S_POS] as number, sc[o + S_NEG] as number) >= p.h) {
          // Change accepted: the new level is the baseline from now on.
          sc[o + S_POS] = 0
          sc[o + S_NEG] = 0
          sc[o + LEVEL] = x
          sc[o + SINCE_CHANGE] = 1
          sc[o + CHANGES] = (sc[o + CHANGES] as number) + 1
          this.history.push(r, x)
          sc[o + SEEN] = (sc[o + SEEN] as number) + 1
          continue
        }
      }
      const seen = sc[o + SEEN] as number
      const sinceChange = sc[o + SINCE_CHANGE] as number
      const e = x - (sc[o + LEVEL] as number) - (sc[o + TREND] as number)
      if (seen > 0) {
        // Probation learns fast (equal weights), then the baseline moves slowly; after a change the level relearns fast again.
        const w = Math.max(p.noiseAlpha, 1 / (seen + 1))
        if (settled(sinceChange)) sc[o + E_VAR] = (1 - w) * ((sc[o + E_VAR] as number) + w * e * e)
        const a = Math.max(p.levelAlpha, 1 / ((sinceChange || seen) + 1))
        sc[o + LEVEL] = (sc[o + LEVEL] as number) + ((sc[o + TREND] as number) + a * e)
        sc[o + TREND] = (sc[o + TREND] as number) + a * p.trendBeta * e
      }
      this.history.push(r, x)
      sc[o + SEEN] = seen + 1
      if (sinceChange > 0) sc[o + SINCE_CHANGE] = sinceChange + 1
    }
    return out
  }

  /** A new channel's row, with `history` (oldest first) and its scalars (SEEN … CHANGES). */
  private addChannel(name: string, history: ArrayLike<number> | undefined, scalars: ArrayLike<number>): number {
    const r = this.history.addRow(history)
    this.names.push(name)
    this.scalars = grown(this.scalars, this.names.length * SCALARS)
    this.scalars.set(scalars, r * SCALARS)
    return r
  }

  /** Changes declared so far per channel (for tests and explanations). */
  changes(): Record<string, number> {
    return Object.fromEntries(this.names.map((k, r) => [k, this.scalars[r * SCALARS + CHANGES] as number]))
  }

  toJSON(): SerializedModel {
    const state: StateJson = { names: [...this.names], history: this.history.toJSON(), scalars: packF64(this.scalars.subarray(0, this.names.length * SCALARS)) }
    return { family: FAMILY, formatVersion: FORMAT, params: { ...this.params }, state: state as unknown as Record<string, unknown> }
  }

  /** Restores format-3 state. */
  static fromState(params: ChangepointParams, raw: Readonly<Record<string, unknown>>): ChangepointDetector {
    const { names, rows, scalars } = readChannelBlock(FAMILY, raw, 'history', params.historySize, SCALARS)
    const d = new ChangepointDetector(params)
    names.forEach((n, r) => d.addChannel(n, rows.ordered(r), scalars.slice(r * SCALARS, (r + 1) * SCALARS)))
    return d
  }

  /** Restores format 1–2 state (an object per channel). */
  static fromLegacy(params: ChangepointParams, channels: Readonly<Record<string, ChannelStateV2>>): ChangepointDetector {
    const d = new ChangepointDetector(params)
    for (const [name, s] of Object.entries(channels)) d.addChannel(name, readValues(s.history, 'changepoint history'), [s.seen, s.sinceChange, s.level, s.trend, s.eVar, s.sPos, s.sNeg, s.changes])
    return d
  }
}

export const changepointFamily: ModelFamily<StreamPoint, AnomalyOutput> = {
  family: FAMILY,
  kind: 'anomaly',
  create: (params) => new ChangepointDetector(sharedParams(FAMILY, params, readParams)),
  fromJSON: (s) => {
    const legacy = s.formatVersion === 1 || s.formatVersion === 2
    checkSerialized(legacy ? { ...s, formatVersion: FORMAT } : s, FAMILY, FORMAT)
    const params = sharedParams(FAMILY, s.params, readParams)
    if (!legacy) return ChangepointDetector.fromState(params, s.state as Readonly<Record<string, unknown>>)
    const channels = (s.state as { channels?: unknown }).channels
    if (typeof channels !== 'object' || channels === null) throw new ModelFormatError("'changepoint' state needs its channels")
    return ChangepointDetector.fromLegacy(params, channels as Record<string, ChannelStateV2>)
  },
}
families.register(changepointFamily)
