/**
 * Serving adapters for windowed prognostic models. A registered RUL, state-of-health or load
 * forecasting version reads a history (a turbofan's cycles, a cell's capacity per cycle, an
 * hourly load series), not one feature vector; an adapter keeps, per asset, the bounded part of
 * that history the model reads, from the asset's raw readings, and says when a new step (a cycle,
 * a day) is complete and the model should run. Pure: no I/O.
 */
import type { TurbofanCycle } from '../models/rul/cmapss.features.js'
import { MIN_HISTORY_HOURS } from '../models/forecast/load-forecast.model.js'
import { DAY_HOURS, HOUR_MS } from '../models/forecast/load.features.js'
import type { Prediction } from './bus.js'

/** What an adapter knows of an asset: its channel names and metadata. */
export interface AdapterAsset {
  readonly channels: ReadonlySet<string>
  readonly metadata: Readonly<Record<string, unknown>>
}

/** One report of an asset: every channel it measured at `ts`. */
export interface AssetRecord {
  readonly ts: number
  readonly values: Readonly<Record<string, number>>
}

/** The model's answer for an asset, with the registry version behind it. */
export interface ServedOutput {
  readonly model: string
  readonly version: number
  readonly deployment: string
  readonly deploymentId: number
  readonly outputs: Readonly<Record<string, number>>
  readonly details?: Readonly<Record<string, unknown>>
}

/**
 * What to read back from storage to rebuild an asset's history when the stage first meets it after
 * a start (prognostics.history.ts reads it), so a restart does not wait for a whole window again.
 * - `reports`: the newest readings of `channels` (the first one paces the reports), at most
 *   `maxReports` of it, rebuilt into reports;
 * - `means`: the mean of `channel` per `bucketMs` over the last `spanMs` (both wall-clock ms), one
 *   report per bucket, for histories the adapter averages anyway.
 */
export type HistoryPlan =
  | { readonly kind: 'reports'; readonly channels: readonly string[]; readonly maxReports: number }
  | { readonly kind: 'means'; readonly channel: string; readonly spanMs: number; readonly bucketMs: number }

/**
 * A serving adapter for one kind of windowed model.
 *
 * @example
 * const s = turbofanAdapter.create(asset)
 * if (turbofanAdapter.push(s, record)) router.predict(tenant, model, [{ assetId, ts, features: {}, input: turbofanAdapter.input(s) }])
 */
export interface ServingAdapter<S = unknown> {
  readonly name: 'turbofan-rul' | 'battery-soh' | 'load-forecast'
  /** The model signature inputs this adapter builds (a served model whose inputs are exactly these is served by it). */
  readonly inputs: readonly string[]
  /** Whether an asset has the channels this adapter reads. */
  accepts(asset: AdapterAsset): boolean
  create(asset: AdapterAsset): S
  /** Adds one report; true when a step is complete and the model should run now. */
  push(state: S, record: AssetRecord): boolean
  /** The model's input, or null while the history is too short. */
  input(state: S): unknown
  /** Numbers kept for this asset (for the bounded-memory tests and the stage's stats). */
  size(state: S): number
  /** The stored history that rebuilds this asset's state (pushed in order, oldest first). */
  history(asset: AdapterAsset): HistoryPlan
  /** Stored predictions of one answer. */
  predictions(state: S, asset: AdapterAsset, assetId: string, ts: number, out: ServedOutput): Prediction[]
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)

/**
 * Cycles per hour of operation of an asset, from `metadata.cyclesPerHour` or, failing that,
 * `1 / metadata.hoursPerCycle`; undefined when neither is set (RUL then stays in cycles).
 */
export function cyclesPerHourOf(metadata: Readonly<Record<string, unknown>>): number | undefined {
  const c = num(metadata.cyclesPerHour)
  if (c !== undefined && c > 0) return c
  const h = num(metadata.hoursPerCycle)
  return h !== undefined && h > 0 ? 1 / h : undefined
}

function baseDetails(out: ServedOutput): Record<string, unknown> {
  return out.details ? { deploymentId: out.deploymentId, ...out.details } : { deploymentId: out.deploymentId }
}

function prediction(assetId: string, ts: number, kind: string, value: number, out: ServedOutput, details: Record<string, unknown>): Prediction {
  return { assetId, ts, source: 'prognostics', kind, value, model: out.model, version: out.version, deployment: out.deployment, details }
}

/** Remaining life in cycles, and in hours when the asset says how many cycles it runs an hour. */
function rulPredictions(assetId: string, ts: number, out: ServedOutput, cycles: number, bounds: Record<string, number>, asset: AdapterAsset, extra: Record<string, unknown>): Prediction[] {
  const d = { ...baseDetails(out), ...extra, ...bounds }
  const preds = [prediction(assetId, ts, 'rul_cycles', cycles, out, d)]
  const perHour = cyclesPerHourOf(asset.metadata)
  if (perHour !== undefined) {
    const hours: Record<string, number> = { cyclesPerHour: perHour }
    for (const [k, v] of Object.entries(bounds)) hours[k.replace(/Cycles$/, 'Hours')] = v / perHour
    preds.push(prediction(assetId, ts, 'rul_hours', cycles / perHour, out, { ...baseDetails(out), ...extra, rulCycles: cycles, ...hours }))
  }
  return preds
}

// ---------------------------------------------------------------- turbofan

/** The 21 C-MAPSS sensors under the names the demo turbofan uses (src/sim/turbofan.sim.ts); the others are read as `s<n>`. */
const TURBOFAN_NAMES: Readonly<Record<number, string>> = { 2: 't24', 3: 't30', 4: 't50', 7: 'p30', 8: 'nf', 9: 'nc', 11: 'ps30', 12: 'phi', 13: 'nrf', 14: 'nrc', 15: 'bpr', 17: 'htbleed', 20: 'w31', 21: 'w32' }
/** Settings of a sea-level C-MAPSS cycle (FD001), used when an engine reports none. */
const SEA_LEVEL_SETTINGS: readonly number[] = [0, 0, 100]

/** First cycles kept for the model's baseline (drift from the engine's own start); covers `baselineCycles` up to this. */
export const TURBOFAN_BASELINE_KEEP_CYCLES = 32
/** Latest cycles kept for the model's window; covers `windowCycles` up to this. */
export const TURBOFAN_RECENT_KEEP_CYCLES = 64
/**
 * Cycles read back after a restart: a whole C-MAPSS life (the longest training unit flies 543), so
 * the engine's first cycles, its baseline, come back too. An engine older than this resumes with its
 * oldest cycles read as its baseline.
 */
export const TURBOFAN_HISTORY_CYCLES = 600

interface TurbofanState {
  first: TurbofanCycle[]
  recent: TurbofanCycle[]
  lastCycle: number
}

function sensorValue(v: Readonly<Record<string, number>>, n: number): number | undefined {
  return v[`s${n}`] ?? (TURBOFAN_NAMES[n] !== undefined ? v[TURBOFAN_NAMES[n]] : undefined)
}

/**
 * Turbofans (C-MAPSS replays with `s1`…`s21`, or the demo engines with `t24`…`w32`), one step per
 * new value of `cycle`; a cycle lower than the last one is a new engine and starts a new history.
 * Keeps the first and the latest cycles: exactly what the C-MAPSS model reads (its baseline and its
 * window), so memory stays bounded however long an engine runs.
 */
export const turbofanAdapter: ServingAdapter<TurbofanState> = {
  name: 'turbofan-rul',
  inputs: ['settings', 'sensors'],
  accepts: (a) => a.channels.has('cycle') && Object.entries(TURBOFAN_NAMES).every(([n, name]) => a.channels.has(name) || a.channels.has(`s${n}`)),
  create: () => ({ first: [], recent: [], lastCycle: 0 }),
  push(s, r) {
    const cycle = r.values.cycle
    if (cycle === undefined || !Number.isFinite(cycle) || cycle === s.lastCycle) return false
    const sensors: number[] = []
    for (let n = 1; n <= 21; n++) {
      const v = sensorValue(r.values, n)
      // Only the 14 informative sensors must be there; the others are constant and unread.
      if (v === undefined && TURBOFAN_NAMES[n] !== undefined) return false
      sensors.push(v ?? 0)
    }
    if (cycle < s.lastCycle) {
      s.first = []
      s.recent = []
    }
    s.lastCycle = cycle
    const settings = [1, 2, 3].map((i) => r.values[`setting${i}`] ?? SEA_LEVEL_SETTINGS[i - 1] ?? 0)
    const row: TurbofanCycle = { unit: 0, cycle, settings, sensors }
    if (s.first.length < TURBOFAN_BASELINE_KEEP_CYCLES) s.first.push(row)
    else {
      s.recent.push(row)
      if (s.recent.length > TURBOFAN_RECENT_KEEP_CYCLES) s.recent.shift()
    }
    return true
  },
  input: (s) => (s.first.length === 0 ? null : [...s.first, ...s.recent]),
  size: (s) => (s.first.length + s.recent.length) * 25,
  history: (a) => ({
    kind: 'reports',
    // `cycle` first: it paces the reports. Then every channel push reads that the asset has.
    channels: ['cycle', 'setting1', 'setting2', 'setting3', ...Array.from({ length: 21 }, (_, i) => [`s${i + 1}`, TURBOFAN_NAMES[i + 1]]).flat()].filter((c): c is string => c !== undefined && a.channels.has(c)),
    maxReports: TURBOFAN_HISTORY_CYCLES,
  }),
  predictions(s, asset, assetId, ts, out) {
    const o = out.outputs
    const bounds: Record<string, number> = {}
    for (const k of ['lower80Cycles', 'upper80Cycles', 'lower95Cycles', 'upper95Cycles', 'spreadCycles']) if (o[k] !== undefined) bounds[k] = o[k]
    return rulPredictions(assetId, ts, out, o.rulCycles ?? NaN, bounds, asset, { cycle: s.lastCycle })
  },
}

// ---------------------------------------------------------------- li-ion

/** Latest discharge capacities kept per cell (the capacity-fade model fits its last 40 by default). */
export const BATTERY_KEEP_CYCLES = 64
/** Cycles seen before the first answer (the capacity-fade model's default `minCycles`). */
export const BATTERY_MIN_CYCLES = 20
/**
 * Readings read back after a restart. Packs report many times a cycle (the demo's about 220), so
 * this covers some 90 of its cycles, more than the 64 kept.
 */
export const BATTERY_HISTORY_READINGS = 20_000

interface BatteryState {
  capacityAh: number[]
  lastCycle: number
}

/**
 * Li-ion packs and cells reporting `capacity_ah` (the capacity of the last full discharge) and
 * `cycle`: one step per new cycle; a lower cycle is a new pack. The capacity-fade model's answer is
 * the same on the latest cycles as on the whole history (its curve is fitted to the recent cycles,
 * and cycles left are counted from the last), so only those are kept.
 */
export const batteryAdapter: ServingAdapter<BatteryState> = {
  name: 'battery-soh',
  inputs: ['capacityAh'],
  accepts: (a) => a.channels.has('capacity_ah') && a.channels.has('cycle'),
  create: () => ({ capacityAh: [], lastCycle: -1 }),
  push(s, r) {
    const cycle = r.values.cycle
    const cap = r.values.capacity_ah
    if (cycle === undefined || cap === undefined || !Number.isFinite(cycle) || !(cap > 0) || cycle === s.lastCycle) return false
    if (cycle < s.lastCycle) s.capacityAh = []
    s.lastCycle = cycle
    s.capacityAh.push(cap)
    if (s.capacityAh.length > BATTERY_KEEP_CYCLES) s.capacityAh.shift()
    return true
  },
  input: (s) => (s.capacityAh.length < BATTERY_MIN_CYCLES ? null : { capacityAh: [...s.capacityAh] }),
  size: (s) => s.capacityAh.length,
  history: () => ({ kind: 'reports', channels: ['cycle', 'capacity_ah'], maxReports: BATTERY_HISTORY_READINGS }),
  predictions(s, asset, assetId, ts, out) {
    const o = out.outputs
    const preds: Prediction[] = []
    if (o.soh !== undefined) preds.push(prediction(assetId, ts, 'soh', o.soh, out, { ...baseDetails(out), cycle: s.lastCycle }))
    if (o.remainingCycles !== undefined && Number.isFinite(o.remainingCycles)) {
      const bounds: Record<string, number> = {}
      for (const k of ['lower80Cycles', 'upper80Cycles']) if (o[k] !== undefined && Number.isFinite(o[k])) bounds[k] = o[k]
      preds.push(...rulPredictions(assetId, ts, out, o.remainingCycles, bounds, asset, { cycle: s.lastCycle }))
    }
    return preds
  },
}

// ---------------------------------------------------------------- load

interface LoadState {
  /** Asset-time epoch ms of `values[0]`'s hour. */
  startTs: number
  /** Hourly means, NaN where nothing was measured; at most MIN_HISTORY_HOURS. */
  values: number[]
  /** The open hour: its index relative to startTs, sum and count. */
  openHour: number
  sum: number
  count: number
  /** Asset-time day of the last forecast. */
  lastIssueDay: number
  /** Wall-clock mapping of asset time (demo meters run faster than the wall clock). */
  timeScale: number
  originTs: number
  offsetMs: number
}

function assetTime(s: Pick<LoadState, 'timeScale' | 'originTs' | 'offsetMs'>, ts: number): number {
  return s.originTs + (ts - s.originTs) * s.timeScale + s.offsetMs
}

/** Wall-clock epoch ms of an asset-time instant. */
export function wallTime(s: Pick<LoadState, 'timeScale' | 'originTs' | 'offsetMs'>, assetTs: number): number {
  return s.originTs + (assetTs - s.offsetMs - s.originTs) / s.timeScale
}

/**
 * Building meters reporting `power_kw`: readings are averaged per hour of the meter's local time
 * and the latest 35 days are kept (what the forecaster reads); one step per local midnight once
 * that much history is there, i.e. one day-ahead forecast a day, as the model is trained and
 * evaluated. Demo meters run `metadata.timeScale` times faster than the wall clock from
 * `metadata.simStartTs`; `metadata.utcOffsetMinutes` gives local time.
 */
export const loadAdapter: ServingAdapter<LoadState> = {
  name: 'load-forecast',
  inputs: ['history'],
  accepts: (a) => a.channels.has('power_kw'),
  create(a) {
    const scale = num(a.metadata.timeScale)
    const timeScale = scale !== undefined && scale > 0 ? scale : 1
    const originTs = num(a.metadata.simStartTs) ?? 0
    return { startTs: NaN, values: [], openHour: -1, sum: 0, count: 0, lastIssueDay: NaN, timeScale, originTs: timeScale === 1 ? 0 : originTs, offsetMs: (num(a.metadata.utcOffsetMinutes) ?? 0) * 60_000 }
  },
  push(s, r) {
    const p = r.values.power_kw
    if (p === undefined || !Number.isFinite(p)) return false
    const t = assetTime(s, r.ts)
    const hourTs = Math.floor(t / HOUR_MS) * HOUR_MS
    if (Number.isNaN(s.startTs)) {
      s.startTs = hourTs
      s.openHour = 0
    }
    let h = Math.round((hourTs - s.startTs) / HOUR_MS)
    // Late readings of a closed hour are dropped: forecasts already issued saw that hour.
    if (h < s.openHour) return false
    if (h - s.openHour > MIN_HISTORY_HOURS) {
      // Silent for longer than the model looks back: start afresh instead of filling the gap.
      s.startTs = hourTs
      s.values = []
      s.openHour = h = 0
      s.sum = 0
      s.count = 0
    }
    let due = false
    if (h > s.openHour) {
      s.values.push(s.count > 0 ? s.sum / s.count : NaN)
      for (let k = s.openHour + 1; k < h; k++) s.values.push(NaN)
      s.sum = 0
      s.count = 0
      s.openHour = h
      if (s.values.length > MIN_HISTORY_HOURS) {
        const drop = s.values.length - MIN_HISTORY_HOURS
        s.values.splice(0, drop)
        s.startTs += drop * HOUR_MS
        s.openHour -= drop
      }
      const day = Math.floor(hourTs / (DAY_HOURS * HOUR_MS))
      // A new local day began: forecast it (all hours before it are closed now).
      if (new Date(hourTs).getUTCHours() === 0 && day !== s.lastIssueDay && s.values.length >= MIN_HISTORY_HOURS && s.openHour === s.values.length) {
        s.lastIssueDay = day
        due = true
      }
    }
    s.sum += p
    s.count++
    return due
  },
  input: (s) => (s.values.length < MIN_HISTORY_HOURS ? null : { history: { startTs: s.startTs, values: [...s.values] } }),
  size: (s) => s.values.length + 3,
  history(a) {
    // The forecaster's window in wall time, averaged per quarter of the meter's hour (quarters line up
    // with local hours in every time zone, and are what the adapter averages per hour anyway).
    const scale = num(a.metadata.timeScale)
    const k = scale !== undefined && scale > 0 ? scale : 1
    return { kind: 'means', channel: 'power_kw', spanMs: Math.ceil(((MIN_HISTORY_HOURS + 1) * HOUR_MS) / k), bucketMs: Math.max(1, Math.round(HOUR_MS / 4 / k)) }
  },
  predictions(s, _asset, assetId, ts, out) {
    const d = out.details ?? {}
    const arr = (k: string): number[] => (Array.isArray(d[k]) ? (d[k] as number[]) : [])
    const mean = arr('mean')
    if (mean.length === 0) return []
    const at = arr('ts').map((t) => Math.round(wallTime(s, t)))
    const upper80 = arr('upper80')
    const lower80 = arr('lower80')
    // One prediction per forecast: the peak of the day ahead (what the `forecast` alert rule compares), the whole curve in details.
    let peak = 0
    for (let i = 1; i < mean.length; i++) if ((mean[i] ?? -Infinity) > (mean[peak] ?? -Infinity)) peak = i
    const details: Record<string, unknown> = {
      deploymentId: out.deploymentId,
      channel: 'power_kw',
      horizonHours: mean.length,
      peakTs: at[peak],
      upper: Math.max(...upper80),
      lower: Math.min(...lower80),
      ts: at,
      mean,
      lower80,
      upper80,
      lower95: arr('lower95'),
      upper95: arr('upper95'),
    }
    return [prediction(assetId, ts, 'forecast', mean[peak] ?? NaN, out, details)]
  },
}

/** Every adapter, in the order the stage tries them. */
export const SERVING_ADAPTERS: readonly ServingAdapter[] = [turbofanAdapter as ServingAdapter, batteryAdapter as ServingAdapter, loadAdapter as ServingAdapter]
