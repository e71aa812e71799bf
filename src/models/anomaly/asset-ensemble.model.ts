/**
 * `asset-ensemble`: what the pipeline runs per asset. It reads the asset's feature vectors
 * (`StreamPoint.values` = feature name → value, as published by the features stage) and
 * runs a set of detectors on them:
 * - per-channel detectors (`threshold`, `mad`, `changepoint`, `seasonal`) on each channel's
 *   mean over the shortest window in the vector holding at least 5 readings (`temp.w10.mean`
 *   → `temp`; a channel reporting every 10 s uses its 60-s window);
 * - multivariate detectors (`mahalanobis`, `isolation-forest`) on each channel's mean,
 *   log standard deviation and slope over the longest window (`temp.w60.{mean,std,slope}`;
 *   spread and slope only when it holds at least 10 readings), so a flat-lined (stuck)
 *   sensor or a changed trend shows even at a normal level;
 * - `presence`: a channel that was in (nearly) every vector of its first `probation` and
 *   then goes missing for `missingAfter` vectors in a row, while others still report,
 *   scores 0.8 (a dropped-out sensor).
 *
 * Counters (a channel whose level never went down during probation, and grew: energy
 * meters, cycle counts) are judged by their rate (the shortest window's slope) instead of
 * their level, which only ever grows.
 *
 * Score: the highest score of the detectors out of probation, held for `persistence`
 * vectors in a row (the lowest of the last `persistence`; default 2, so one odd vector,
 * such as a window straddling a battery's switch from float to discharge, never alarms).
 * Contributions: the channels of every detector scoring at least half of the highest,
 * weighted by their scores.
 *
 * Cold start (probation): the learned detectors stay silent for their first values
 * (`probation` vectors, more for a seasonal profile or a multivariate fit); while none of
 * them is out of probation `warmingUp` is true and only the static `threshold` limits,
 * which need no learning, may score.
 */
import { PackedVector, parseFeatureName, type VectorShape } from '../../features/feature-vector.js'
import { families } from '../families.js'
import { ModelFormatError } from '../errors.js'
import type { AnomalyOutput, Model, ModelDescription, ModelFamily, SerializedModel, StreamPoint } from '../model.js'
import './catalogue.js'
import { CHANNEL_DETECTORS, VECTOR_DETECTORS, type DetectorName } from './catalogue.js'
import { Params, sharedParams, checkSerialized, clone, shares } from './common.js'
import { DetectorParamsError } from './errors.js'
import type { Range } from './threshold.model.js'

const FAMILY = 'asset-ensemble'
const FORMAT = 1
const PRESENCE_SCORE = 0.8
const NO_COUNTERS: ReadonlySet<string> = new Set()
/** Readings a window needs to stand for a channel's level (else a longer window is used). */
const MIN_READINGS = 5
/** Readings the longest window needs before its spread and slope are multivariate features. */
const MIN_SPREAD_READINGS = 10

/**
 * Per-channel windows of the members (values = vectors): `mad`'s baseline is the median of the
 * last MAD_WINDOW, recomputed every MAD_REFRESH, and `changepoint`'s novelty guard looks back
 * CHANGEPOINT_HISTORY. 90 is 15 minutes at a 10-s hop: half of what they held before
 * (180 and 240), which was a third of an asset's detector state and of its scoring CPU.
 */
export const MAD_WINDOW = 180
export const MAD_REFRESH = 20
export const CHANGEPOINT_HISTORY = 90
/** `mahalanobis` learns from every MAHALANOBIS_LEARN_EVERY-th vector (half the buffer and the fitting work). */
export const MAHALANOBIS_LEARN_EVERY = 2
/** The ensemble's Mahalanobis detector refits on its calm vectors every this many vectors. */
export const MAHALANOBIS_REFIT_EVERY = 120

/** Detectors the ensemble runs by default. */
export const DEFAULT_ENSEMBLE_DETECTORS: readonly DetectorName[] = ['threshold', 'mad', 'changepoint', 'seasonal', 'mahalanobis']

/**
 * Asset types whose normal operation switches between modes (a battery floats, discharges,
 * recharges): their multivariate detector is the isolation forest, which learns several
 * clusters, instead of the Mahalanobis distance, which assumes one (measured on the
 * simulated fleet: `prognos eval faults`).
 */
export const MULTIMODAL_TYPES: readonly string[] = ['battery_string', 'battery_cell', 'li_ion_pack']
export const MULTIMODAL_DETECTORS: readonly DetectorName[] = ['threshold', 'mad', 'changepoint', 'seasonal', 'isolation-forest']

export interface AssetEnsembleParams {
  detectors: DetectorName[]
  /** Vectors in a row a score must hold to be reported (default 2): the reported score is the lowest of the last `persistence` raw ones. */
  persistence: number
  /** Vectors each learned detector observes before it may score (default 60: ten minutes at a 10-s hop). */
  probation: number
  /** Vectors a channel must be missing in a row to count as dropped out (default 3). */
  missingAfter: number
  /** Expected ranges of the asset's channels, and battery defaults (see `threshold`). */
  ranges: Record<string, Range>
  batteryDefaults: boolean
  cellsInSeries: number
  /** Local time and time scale of the asset, for `seasonal`. */
  utcOffsetMinutes: number
  timeScale: number
  origin: number
  /** Extra parameters per detector, merged over the ensemble's. */
  detectorParams: Partial<Record<DetectorName, Record<string, unknown>>>
}

/** What the ensemble says about one vector: the shared output plus each detector's. */
export interface EnsembleOutput extends AnomalyOutput {
  detectors: Record<string, Verdict>
  /** Each channel's level (its shortest well-filled window's mean), as splitVector read it: what health compares with the limits. */
  levels: Record<string, number>
}

interface PresenceState {
  seen: number
  present: Record<string, number>
  missing: Record<string, number>
  /** Per channel during probation: first and last level, and whether it never went down (a counter). */
  levels?: Record<string, { first: number; last: number; rising: boolean }>
  /** Raw scores of the last `persistence` − 1 vectors. */
  recent?: number[]
}

function readParams(raw?: Readonly<Record<string, unknown>>): AssetEnsembleParams {
  const p = new Params(raw)
  const all: readonly string[] = [...CHANNEL_DETECTORS, ...VECTOR_DETECTORS]
  const detectors = (raw?.detectors ?? DEFAULT_ENSEMBLE_DETECTORS) as unknown
  if (!Array.isArray(detectors) || detectors.some((d) => typeof d !== 'string' || !all.includes(d))) throw new DetectorParamsError('detectors', `must be a list of ${all.join(', ')}`)
  const dp = raw?.detectorParams ?? {}
  if (typeof dp !== 'object' || dp === null) throw new DetectorParamsError('detectorParams', 'must be an object of detector → parameters')
  return {
    detectors: [...new Set(detectors as DetectorName[])],
    probation: p.num('probation', 60, { min: 1, integer: true }),
    persistence: p.num('persistence', 2, { min: 1, max: 100, integer: true }),
    missingAfter: p.num('missingAfter', 3, { min: 1, integer: true }),
    ranges: clone((raw?.ranges ?? {}) as Record<string, Range>),
    batteryDefaults: p.bool('batteryDefaults', false),
    cellsInSeries: p.num('cellsInSeries', 1, { min: 1, integer: true }),
    utcOffsetMinutes: p.num('utcOffsetMinutes', 0, { min: -14 * 60, max: 14 * 60 }),
    timeScale: p.num('timeScale', 1, { min: 1e-6 }),
    origin: p.num('origin', 0),
    detectorParams: clone(dp as AssetEnsembleParams['detectorParams']),
  }
}

/** Parameters of one member detector under the ensemble's parameters. */
function memberParams(name: DetectorName, p: AssetEnsembleParams): Record<string, unknown> {
  const own = p.detectorParams[name] ?? {}
  switch (name) {
    case 'threshold':
      return { ranges: p.ranges, batteryDefaults: p.batteryDefaults, cellsInSeries: p.cellsInSeries, ...own }
    case 'mad':
      return { windowSize: MAD_WINDOW, refreshEvery: MAD_REFRESH, probation: Math.min(p.probation, MAD_WINDOW), ...own }
    case 'changepoint':
      // Recurring operating modes (a battery's discharges) are changes the ensemble must not alarm on.
      return { probation: p.probation, pMin: 0.02, historySize: CHANGEPOINT_HISTORY, ...own }
    case 'seasonal':
      return { utcOffsetMinutes: p.utcOffsetMinutes, timeScale: p.timeScale, origin: p.origin, ...own }
    case 'mahalanobis':
      // Refitted every hour of vectors on the last 180 calm ones, so slow normal drifts (ambient temperature) are followed.
      // zFree 5: the alarm needs z ≈ 9.8; the compressed daily cycle of the demo's meters otherwise alarms (prognos eval faults).
      // Every second vector: 90 rows still span the last 180 calm vectors (30 minutes at a 10-s hop).
      return { trainSize: Math.ceil(Math.max(p.probation, 180) / MAHALANOBIS_LEARN_EVERY), learnEvery: MAHALANOBIS_LEARN_EVERY, refitEvery: MAHALANOBIS_REFIT_EVERY, zFree: 5, ...own }
    case 'isolation-forest':
      return { trainSize: Math.max(p.probation, 64), sampleSize: 64, nTrees: 100, ...own }
  }
}

/** Where splitVector finds a channel's figures for one window: the names, and their positions in the layout (−1: absent), built once per layout. */
interface WindowKeys {
  count: string
  mean: string
  std: string
  slope: string
  at: { count: number; mean: number; std: number; slope: number }
}

/** What splitVector reads of one layout of feature names (the same for every vector of an asset, and for most of a fleet). */
interface SplitPlan {
  /** The layout's names in order: a vector matches the plan when its own are these. */
  names: readonly string[]
  /** Per channel (in order of first appearance), its windows by increasing length. */
  channels: { ch: string; windows: WindowKeys[] }[]
}

function planFor(names: readonly string[]): SplitPlan {
  const windows = new Map<string, number[]>()
  const position = new Map<string, number>()
  names.forEach((name, i) => position.set(name, i))
  for (const name of names) {
    const f = parseFeatureName(name)
    if (!f || f.kind !== 'rolling' || f.stat !== 'mean') continue
    let list = windows.get(f.channel)
    if (!list) windows.set(f.channel, (list = []))
    list.push(f.windowSec)
  }
  const keys = (ch: string, w: number): WindowKeys => {
    const k = { count: `${ch}.w${w}.count`, mean: `${ch}.w${w}.mean`, std: `${ch}.w${w}.std`, slope: `${ch}.w${w}.slope` }
    return { ...k, at: { count: position.get(k.count) ?? -1, mean: position.get(k.mean) ?? -1, std: position.get(k.std) ?? -1, slope: position.get(k.slope) ?? -1 } }
  }
  const channels = [...windows].map(([ch, ws]) => ({ ch, windows: ws.sort((a, b) => a - b).map((w) => keys(ch, w)) }))
  return { names, channels }
}

/** Plans by layout (names joined), and the last one used: consecutive vectors nearly always share it. */
const PLANS = new Map<string, SplitPlan>()
const PLANS_MAX = 1000
let lastPlan: SplitPlan | null = null
/** Plans of packed vectors, by their shape (shapes are shared, so no names are compared at all). */
const PLANS_BY_SHAPE = new WeakMap<VectorShape, SplitPlan>()

function planOf(vector: Readonly<Record<string, number>>): SplitPlan {
  const names = Object.keys(vector)
  const last = lastPlan
  if (last && last.names.length === names.length && names.every((n, i) => n === last.names[i])) return last
  const key = names.join('\n')
  let plan = PLANS.get(key)
  if (!plan) {
    if (PLANS.size >= PLANS_MAX) PLANS.clear()
    PLANS.set(key, (plan = planFor(names)))
  }
  lastPlan = plan
  return plan
}

function planOfShape(shape: VectorShape): SplitPlan {
  let plan = PLANS_BY_SHAPE.get(shape)
  if (!plan) PLANS_BY_SHAPE.set(shape, (plan = planFor(shape.names)))
  return plan
}

/**
 * Builds objects of a fixed list of keys, in that order, leaving out the keys not set: each
 * object is cloned from a template holding the set keys (so it gets fast properties, with no
 * property added one at a time: a vector's 30 features added by name made a dictionary-mode
 * object per vector) and then filled in. Fill `values` and `present` (1: set), then `build`.
 */
class RecordBuilder {
  readonly values: Float64Array
  readonly present: Uint8Array
  private readonly full: Record<string, number>
  /** Templates of objects missing some keys, by the positions missing. */
  private readonly partial = new Map<string, Record<string, number>>()

  constructor(readonly keys: readonly string[]) {
    this.values = new Float64Array(keys.length)
    this.present = new Uint8Array(keys.length)
    this.full = template(keys)
  }

  build(): Record<string, number> {
    const { keys, values, present } = this
    const o = { ...(present.indexOf(0) < 0 ? this.full : this.partialTemplate()) }
    for (let i = 0; i < keys.length; i++) if (present[i] === 1) o[keys[i]!] = values[i]!
    return o
  }

  private partialTemplate(): Record<string, number> {
    let missing = ''
    for (let i = 0; i < this.present.length; i++) if (this.present[i] === 0) missing += `${i},`
    let t = this.partial.get(missing)
    if (!t) {
      if (this.partial.size >= 64) this.partial.clear()
      this.partial.set(missing, (t = template(this.keys.filter((_, i) => this.present[i] === 1))))
    }
    return t
  }
}

/** An object of these keys in order, with fast properties (values: a double, so filling in numbers keeps its shape). */
function template(keys: readonly string[]): Record<string, number> {
  return Object.fromEntries(keys.map((k) => [k, 0.5]))
}

/** Where splitVector reads one channel: its windows' (shortest first) count, mean and slope positions, and whether it is a counter. */
interface ChannelRead {
  windows: readonly { count: number; mean: number; slope: number }[]
  counter: boolean
}

/** Where splitVector reads one channel's multivariate features (its longest window), and the features' indices in the builder (−1: absent). */
interface FeatureRead {
  count: number
  mean: number
  std: number
  slope: number
  meanKey: number
  stdKey: number
  slopeKey: number
}

/** What splitVector does for one plan and set of counters: where to read, and the builders of its three objects. */
interface SplitLayout {
  channels: readonly ChannelRead[]
  features: readonly FeatureRead[]
  levelsOut: RecordBuilder
  channelsOut: RecordBuilder
  featuresOut: RecordBuilder
}

/** Layouts per plan, by the counters' names (most assets have none: ''). */
const LAYOUTS = new WeakMap<SplitPlan, Map<string, SplitLayout>>()
const COUNTER_KEYS = new WeakMap<ReadonlySet<string>, string>()

function layoutOf(plan: SplitPlan, counters: ReadonlySet<string>): SplitLayout {
  let key = ''
  if (counters.size > 0) {
    const k = COUNTER_KEYS.get(counters)
    if (k !== undefined) key = k
    else COUNTER_KEYS.set(counters, (key = [...counters].sort().join('\n')))
  }
  let byCounters = LAYOUTS.get(plan)
  if (!byCounters) LAYOUTS.set(plan, (byCounters = new Map()))
  let layout = byCounters.get(key)
  if (!layout) byCounters.set(key, (layout = layoutFor(plan, counters)))
  return layout
}

function layoutFor(plan: SplitPlan, counters: ReadonlySet<string>): SplitLayout {
  const featureKeys: string[] = []
  const slot = (at: number, name: string): number => (at < 0 ? -1 : featureKeys.push(name) - 1)
  const features: FeatureRead[] = []
  for (const { ch, windows } of plan.channels) {
    // Counters stay out of the multivariate features: their rate moves in steps (a cycle count) that no covariance describes.
    if (counters.has(ch)) continue
    const w = windows[windows.length - 1]!
    const meanKey = slot(w.at.mean, w.mean)
    const stdKey = slot(w.at.std, w.std)
    const slopeKey = slot(w.at.slope, w.slope)
    features.push({ ...w.at, meanKey, stdKey, slopeKey })
  }
  const names = plan.channels.map((c) => c.ch)
  return {
    channels: plan.channels.map(({ ch, windows }) => ({ windows: windows.map((w) => ({ count: w.at.count, mean: w.at.mean, slope: w.at.slope })), counter: counters.has(ch) })),
    features,
    levelsOut: new RecordBuilder(names),
    channelsOut: new RecordBuilder(names),
    featuresOut: new RecordBuilder(featureKeys),
  }
}

function put(b: RecordBuilder, i: number, v: number): void {
  b.values[i] = v
  b.present[i] = 1
}

/**
 * The per-channel values and the multivariate features of a feature vector, as a name →
 * value object or packed (what the features stage publishes: read by position, no object built).
 * Exported for tests and for callers that want to see what the detectors read.
 */
export function splitVector(
  vector: Readonly<Record<string, number>> | PackedVector,
  counters: ReadonlySet<string> = NO_COUNTERS,
): { levels: Record<string, number>; channels: Record<string, number>; features: Record<string, number> } {
  const { levels, channels, features } = split(vector, counters)
  return { levels, channels, features }
}

/**
 * splitVector, and how many channels have a value. A position −1 is a figure absent from the
 * layout; values are read in place (a figure passed around as `number | undefined` is boxed).
 */
function split(vector: Readonly<Record<string, number>> | PackedVector, counters: ReadonlySet<string>): { levels: Record<string, number>; channels: Record<string, number>; features: Record<string, number>; channelCount: number } {
  const packed = vector instanceof PackedVector
  const plan = packed ? planOfShape(vector.shape) : planOf(vector)
  // Both read by position: a packed vector's values, or the object's in the order of its names (the plan's).
  const values: ArrayLike<number> = packed ? vector.values : Object.values(vector)
  const { channels, features, levelsOut, channelsOut, featuresOut } = layoutOf(plan, counters)
  levelsOut.present.fill(0)
  channelsOut.present.fill(0)
  featuresOut.present.fill(0)
  let channelCount = 0
  for (let j = 0; j < channels.length; j++) {
    const { windows, counter } = channels[j]!
    // The shortest window holding enough readings to be more than one noisy sample (a turbofan reports once per 10-s cycle).
    let w = windows[windows.length - 1]!
    for (const x of windows)
      if (x.count >= 0 && (values[x.count] ?? 0) >= MIN_READINGS) {
        w = x
        break
      }
    if (w.mean >= 0 && Number.isFinite(values[w.mean])) put(levelsOut, j, values[w.mean]!)
    // A counter (energy, cycles) is judged by its rate: its level only ever grows.
    const at = counter ? w.slope : w.mean
    if (at >= 0 && Number.isFinite(values[at])) {
      put(channelsOut, j, values[at]!)
      channelCount++
    }
  }
  for (const f of features) {
    if (f.mean >= 0 && Number.isFinite(values[f.mean])) put(featuresOut, f.meanKey, values[f.mean]!)
    // Spread and trend of a handful of readings are noise, not features.
    if (f.count < 0 || (values[f.count] ?? 0) < MIN_SPREAD_READINGS) continue
    // Log scale: a sensor that flat-lines (std → 0) is far from its usual noise, however small that is.
    if (f.std >= 0 && Number.isFinite(values[f.std])) put(featuresOut, f.stdKey, Math.log(values[f.std]! + 1e-6 * (1 + Math.abs(f.mean < 0 ? 0 : (values[f.mean] ?? 0)))))
    if (f.slope >= 0 && Number.isFinite(values[f.slope])) put(featuresOut, f.slopeKey, values[f.slope]!)
  }
  return { levels: levelsOut.build(), channels: channelsOut.build(), features: featuresOut.build(), channelCount }
}

/** What the ensemble reports of one detector. */
interface Verdict {
  score: number
  warmingUp: boolean
}

/** A member detector and the input it reads: the channels' values, the multivariate features, or the levels. */
interface Member {
  name: DetectorName
  model: Model<StreamPoint, AnomalyOutput>
  reads: 'channels' | 'features' | 'levels'
}

/** Templates of `detectors` outputs (members in order, then presence), by the members: cloned per vector, so none is built key by key. */
const VERDICTS = new Map<string, Record<string, Verdict>>()

function verdictsTemplate(detectors: readonly string[]): Record<string, Verdict> {
  const names = [...detectors, 'presence']
  const key = names.join('\n')
  let t = VERDICTS.get(key)
  if (!t) {
    const none: Verdict = { score: 0.5, warmingUp: true }
    VERDICTS.set(key, (t = Object.fromEntries(names.map((n) => [n, none]))))
  }
  return t
}

/** The `asset-ensemble` model; see the module documentation. */
export class AssetEnsemble implements Model<StreamPoint, EnsembleOutput> {
  readonly family = FAMILY
  readonly kind = 'anomaly' as const
  /** The members in order, each with the input it reads. */
  private readonly members: Member[] = []
  /** The template of `detectors` outputs (shared by ensembles of the same members). */
  private readonly verdicts: Record<string, Verdict>
  private presence: PresenceState
  private counterSet: ReadonlySet<string> | null = null

  constructor(
    readonly params: AssetEnsembleParams,
    state?: { members: Record<string, SerializedModel>; presence: PresenceState },
  ) {
    for (const name of params.detectors) {
      const s = state?.members[name]
      const model = (s ? families.fromJSON(s) : families.create(name, memberParams(name, params))) as Model<StreamPoint, AnomalyOutput>
      // Static limits apply to levels (a counter's range is about its value, not its rate).
      this.members.push({ name, model, reads: (VECTOR_DETECTORS as readonly string[]).includes(name) ? 'features' : name === 'threshold' ? 'levels' : 'channels' })
    }
    this.verdicts = verdictsTemplate(params.detectors)
    this.presence = state?.presence ? clone(state.presence) : { seen: 0, present: {}, missing: {} }
  }

  describe(): ModelDescription {
    return {
      family: FAMILY,
      kind: 'anomaly',
      summary: 'Per-asset ensemble of detectors over feature vectors: the highest score out of probation, with the channels that drove it',
      params: clone(this.params) as unknown as Record<string, unknown>,
      signature: { inputs: [{ name: 'vector', type: 'number', description: 'feature vector (name → value)' }], outputs: [{ name: 'score', type: 'number' }] },
    }
  }

  fit(data: readonly StreamPoint[]): void {
    for (const d of data) this.update(d)
  }

  /** Channels found to be counters during probation (never decreasing, and grown); fixed once probation is over, so found once. */
  private counters(): ReadonlySet<string> {
    if (this.presence.seen < this.params.probation) return NO_COUNTERS
    if (this.counterSet) return this.counterSet
    const out = new Set<string>()
    for (const [ch, l] of Object.entries(this.presence.levels ?? {})) if (l.rising && l.last > l.first) out.add(ch)
    return (this.counterSet = out)
  }

  private run(input: StreamPoint, learn: boolean): EnsembleOutput {
    const counters = this.counters()
    const { levels, channels, features, channelCount } = split(input.packed ?? input.values, counters)
    if (learn && this.presence.seen < this.params.probation) this.trackLevels(levels)
    const points: Record<Member['reads'], StreamPoint> = { channels: { ts: input.ts, values: channels }, features: { ts: input.ts, values: features }, levels: { ts: input.ts, values: levels } }
    const detectors = { ...this.verdicts }
    const outs: AnomalyOutput[] = []
    let raw = 0
    // Warming up while every detector but the static limits (presence included) is.
    let warmingUp = true
    for (const { name, model, reads } of this.members) {
      const o = learn ? model.update!(points[reads]) : model.predict(points[reads])
      detectors[name] = { score: o.score, warmingUp: o.warmingUp }
      outs.push(o)
      if (!o.warmingUp && o.score > raw) raw = o.score
      if (!o.warmingUp && name !== 'threshold') warmingUp = false
    }
    const pres = this.presenceScore(channels, channelCount > 0, learn)
    detectors.presence = { score: pres.score, warmingUp: pres.warmingUp }
    outs.push(pres)
    if (!pres.warmingUp) {
      warmingUp = false
      if (pres.score > raw) raw = pres.score
    }
    // Persistence: a score is reported once it held for `persistence` vectors (the lowest of them), so one odd vector never alarms.
    const recent = this.presence.recent ?? []
    let best = raw
    for (const r of recent) best = Math.min(best, r)
    if (learn) {
      recent.push(raw)
      while (recent.length > this.params.persistence - 1) recent.shift()
      this.presence.recent = recent
    }
    if (best === 0) return { score: best, contributions: {}, warmingUp, detectors, levels }
    const weights: Record<string, number> = {}
    for (const o of outs) {
      if (o.warmingUp || o.score < 0.5 * best) continue
      for (const ch in o.contributions) weights[ch] = (weights[ch] ?? 0) + o.contributions[ch]! * o.score
    }
    return { score: best, contributions: shares(weights), warmingUp, detectors, levels }
  }

  /** Follows each channel's level (shortest-window mean, from splitVector) during probation, to tell counters from levels. */
  private trackLevels(current: Readonly<Record<string, number>>): void {
    const levels = (this.presence.levels ??= {})
    for (const ch in current) {
      const v = current[ch]!
      const l = levels[ch]
      if (!l) levels[ch] = { first: v, last: v, rising: true }
      else {
        if (v < l.last) l.rising = false
        l.last = v
      }
    }
  }

  /** Dropped-out channels: present in ≥ 95 % of the probation vectors, now missing `missingAfter` times in a row. */
  private presenceScore(channels: Readonly<Record<string, number>>, any: boolean, learn: boolean): AnomalyOutput {
    const p = this.presence
    const warmingUp = p.seen < this.params.probation
    const scores: Record<string, number> = {}
    let best = 0
    if (!warmingUp && any) {
      for (const ch in p.present) {
        if (p.present[ch]! < 0.95 * this.params.probation || ch in channels) continue
        if ((p.missing[ch] ?? 0) + 1 >= this.params.missingAfter) {
          scores[ch] = PRESENCE_SCORE
          best = PRESENCE_SCORE
        }
      }
    }
    if (learn && any) {
      if (warmingUp) {
        p.seen++
        for (const ch in channels) p.present[ch] = (p.present[ch] ?? 0) + 1
      }
      for (const ch in p.present) p.missing[ch] = ch in channels ? 0 : (p.missing[ch] ?? 0) + 1
    }
    return { score: best, contributions: best > 0 ? shares(scores) : {}, warmingUp }
  }

  predict(input: StreamPoint): EnsembleOutput {
    return this.run(input, false)
  }

  update(input: StreamPoint): EnsembleOutput {
    return this.run(input, true)
  }

  toJSON(): SerializedModel {
    const members: Record<string, SerializedModel> = {}
    for (const { name, model } of this.members) members[name] = model.toJSON()
    return { family: FAMILY, formatVersion: FORMAT, params: clone(this.params) as unknown as Record<string, unknown>, state: { members, presence: clone(this.presence) } }
  }
}

export const assetEnsembleFamily: ModelFamily<StreamPoint, EnsembleOutput> = {
  family: FAMILY,
  kind: 'anomaly',
  create: (params) => new AssetEnsemble(sharedParams(FAMILY, params, readParams)),
  fromJSON: (s) => {
    checkSerialized(s, FAMILY, FORMAT)
    const st = s.state as { members?: Record<string, SerializedModel>; presence?: PresenceState }
    if (typeof st.members !== 'object' || st.members === null) throw new ModelFormatError("'asset-ensemble' state needs its members")
    return new AssetEnsemble(sharedParams(FAMILY, s.params, readParams), { members: st.members, presence: st.presence ?? { seen: 0, present: {}, missing: {} } })
  },
}
families.register(assetEnsembleFamily)

/** What the ensemble needs to know about an asset to set itself up. */
export interface AssetProfile {
  type: string
  channels: readonly { name: string; min?: number | null; max?: number | null }[]
  metadata?: Readonly<Record<string, unknown>>
}

/** Asset types that get the lead-acid battery defaults (1.8–2.5 V per cell, 5–50 °C, SOC 15–95 %). */
export const LEAD_ACID_TYPES: readonly string[] = ['battery_string', 'battery_cell']

/**
 * Ensemble parameters for an asset: its channels' expected ranges, the battery defaults
 * for lead-acid strings and cells (a string's voltage scaled by `metadata.cells`), and the
 * local time and time scale (`metadata.utcOffsetMinutes`, `metadata.timeScale`) for the
 * seasonal profile, and the detectors for its type (MULTIMODAL_TYPES get the isolation
 * forest). `base` (detectors, probation …) overrides the type's detectors.
 */
export function paramsForAsset(asset: AssetProfile, base: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  const ranges: Record<string, Range> = {}
  for (const c of asset.channels) if (c.min != null || c.max != null) ranges[c.name] = { min: c.min ?? null, max: c.max ?? null }
  const md = asset.metadata ?? {}
  const num = (v: unknown, def: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : def)
  const lead = LEAD_ACID_TYPES.includes(asset.type)
  return {
    detectors: MULTIMODAL_TYPES.includes(asset.type) ? MULTIMODAL_DETECTORS : DEFAULT_ENSEMBLE_DETECTORS,
    ...base,
    ranges,
    batteryDefaults: lead,
    cellsInSeries: asset.type === 'battery_string' ? Math.max(1, Math.round(num(md.cells, 1))) : 1,
    utcOffsetMinutes: Math.max(-840, Math.min(840, num(md.utcOffsetMinutes, 0))),
    timeScale: num(md.timeScale, 1) > 0 ? num(md.timeScale, 1) : 1,
  }
}
