/**
 * Features for day-ahead hourly load forecasting: an hourly grid with gaps filled causally, and the
 * inputs of one forecast hour (yesterday's profile, the same hour over past days and weeks, the
 * recent level, calendar). Pure.
 */

export const HOUR_MS = 3_600_000
export const DAY_HOURS = 24
export const WEEK_HOURS = 168

/** Hourly values from `startTs` on, one per hour; NaN where nothing was measured. */
export interface HourlySeries {
  readonly startTs: number
  readonly values: number[]
}

/** Puts points on an hourly grid (averaging points within one hour); hours without points are NaN. */
export function toHourlyGrid(points: readonly { ts: number; value: number }[]): HourlySeries {
  if (points.length === 0) return { startTs: 0, values: [] }
  let lo = Infinity
  let hi = -Infinity
  for (const p of points) {
    lo = Math.min(lo, p.ts)
    hi = Math.max(hi, p.ts)
  }
  const startTs = Math.floor(lo / HOUR_MS) * HOUR_MS
  const n = Math.floor((hi - startTs) / HOUR_MS) + 1
  const sum = new Array<number>(n).fill(0)
  const count = new Array<number>(n).fill(0)
  for (const p of points) {
    if (!Number.isFinite(p.value)) continue
    const i = Math.floor((p.ts - startTs) / HOUR_MS)
    sum[i] = (sum[i] ?? 0) + p.value
    count[i] = (count[i] ?? 0) + 1
  }
  return { startTs, values: sum.map((s, i) => ((count[i] ?? 0) > 0 ? s / (count[i] ?? 1) : NaN)) }
}

/**
 * Fills gaps using only earlier values: the same hour one week earlier when known, else the last
 * known value, else `fallback`. Features then never see NaN and never see the future.
 */
export function fillCausal(values: readonly number[], fallback: number): number[] {
  const out = new Array<number>(values.length)
  let last = fallback
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? NaN
    if (Number.isFinite(v)) {
      out[i] = v
      last = v
    } else {
      const week = i >= WEEK_HOURS ? (out[i - WEEK_HOURS] ?? NaN) : NaN
      out[i] = Number.isFinite(week) ? week : last
    }
  }
  return out
}

/** The first this-many features are loads (scaled with the series); the rest are calendar. */
export const LOAD_VALUED = 31

/** Number of inputs `forecastFeatures` returns. */
export const FORECAST_FEATURE_COUNT = 24 + 7 + 24 + 7 + 2

/**
 * Inputs for the hour `issue + h` of a forecast issued at grid index `issue` (the first hour not yet
 * known), from the filled series: the last 24 hours, the same hour 1 week ago, averaged over the
 * last 7 and 28 days, over the same weekday of the last 4 weeks, and its 7-day median, the means of
 * the last week and the last day, the hour of day and weekday (one-hot) and the season.
 * Needs `issue ≥ 28 × 24`.
 */
export function forecastFeatures(filled: readonly number[], startTs: number, issue: number, h: number): number[] {
  const f: number[] = []
  for (let k = DAY_HOURS; k >= 1; k--) f.push(filled[issue - k] ?? 0)
  const target = issue + h
  // The latest known hour with the target's hour of day.
  const sameHour = target - DAY_HOURS * Math.ceil((h + 1) / DAY_HOURS)
  f.push(filled[target - WEEK_HOURS] ?? filled[sameHour] ?? 0)
  let s7 = 0
  for (let d = 0; d < 7; d++) s7 += filled[sameHour - d * DAY_HOURS] ?? 0
  let s28 = 0
  for (let d = 0; d < 28; d++) s28 += filled[sameHour - d * DAY_HOURS] ?? 0
  let week = 0
  for (let k = 1; k <= WEEK_HOURS; k++) week += filled[issue - k] ?? 0
  // Same hour and weekday over the last 4 weeks, and the median of the same hour over 7 days (robust to one-off spikes).
  let w4 = 0
  for (let k = 1; k <= 4; k++) w4 += filled[target - k * WEEK_HOURS] ?? 0
  const last7 = Array.from({ length: 7 }, (_, d) => filled[sameHour - d * DAY_HOURS] ?? 0).sort((a, b) => a - b)
  let day = 0
  for (let k = 1; k <= DAY_HOURS; k++) day += filled[issue - k] ?? 0
  f.push(s7 / 7, s28 / 28, week / WEEK_HOURS, w4 / 4, last7[3] ?? 0, day / DAY_HOURS)
  const d = new Date(startTs + target * HOUR_MS)
  const hour = d.getUTCHours()
  const weekday = d.getUTCDay()
  for (let k = 0; k < 24; k++) f.push(k === hour ? 1 : 0)
  for (let k = 0; k < 7; k++) f.push(k === weekday ? 1 : 0)
  const dayOfYear = (Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / (DAY_HOURS * HOUR_MS)
  f.push(Math.sin((2 * Math.PI * dayOfYear) / 365.25), Math.cos((2 * Math.PI * dayOfYear) / 365.25))
  return f
}

/** Mean absolute error, root mean square error and mean absolute percentage error (over non-zero truths). */
export function errorMetrics(truth: readonly number[], pred: readonly number[]): { mae: number; rmse: number; mape: number } {
  let ae = 0
  let se = 0
  let pe = 0
  let pn = 0
  truth.forEach((t, i) => {
    const e = (pred[i] ?? 0) - t
    ae += Math.abs(e)
    se += e * e
    if (Math.abs(t) > 1e-9) {
      pe += Math.abs(e / t)
      pn++
    }
  })
  const n = Math.max(1, truth.length)
  return { mae: ae / n, rmse: Math.sqrt(se / n), mape: (pe / Math.max(1, pn)) * 100 }
}
