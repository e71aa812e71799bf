/**
 * Walk-forward evaluation of the day-ahead load forecaster against seasonal naive (the same hour one
 * week earlier): train on everything before a date, then forecast each following day from midnight
 * with the truth up to then. Used by `prognos eval forecast`.
 */
import { quantile } from '../rul/cmapss-rul.model.js'
import type { NetworkTrainer } from '../rul/network.js'
import { ForecastInputError } from './errors.js'
import { LoadForecastModel, MIN_HISTORY_HOURS, type LoadForecastParams } from './load-forecast.model.js'
import { errorMetrics, HOUR_MS, toHourlyGrid, WEEK_HOURS, DAY_HOURS } from './load.features.js'

/** Parses a CSV with a `Datetime` (or first) column of `YYYY-MM-DD HH:MM:SS` and the target column. Empty or non-numeric targets become gaps. */
export function parseHourlyCsv(text: string, column: string): { ts: number; value: number }[] {
  const lines = text.split(/\r?\n/)
  const header = (lines[0] ?? '').split(',').map((h) => h.trim())
  const col = header.indexOf(column)
  if (col < 0) throw new ForecastInputError('column', `'${column}' is not in the header (${header.join(', ')})`)
  const out: { ts: number; value: number }[] = []
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (line.trim() === '') continue
    const parts = line.split(',')
    const ts = Date.parse(`${(parts[0] ?? '').trim().replace(' ', 'T')}Z`)
    if (!Number.isFinite(ts)) throw new ForecastInputError('Datetime', `line ${i + 1}: not a date: ${JSON.stringify(parts[0])}`)
    const raw = (parts[col] ?? '').trim()
    const value = raw === '' || raw === '?' ? NaN : Number(raw)
    out.push({ ts, value })
  }
  return out
}

export interface ForecastScores {
  readonly mae: number
  readonly rmse: number
  readonly mape: number
  readonly coverage80: number
  readonly coverage95: number
}

export interface ForecastEvalResult {
  readonly days: number
  readonly hours: number
  readonly model: ForecastScores
  readonly seasonalNaive: ForecastScores
  /** model MAE ÷ seasonal-naive MAE. */
  readonly maeRatio: number
  readonly trainSeconds: number
}

/** Trains before `trainUntilTs` and forecasts every later day walk-forward. */
export async function evaluateForecast(opts: {
  points: readonly { ts: number; value: number }[]
  trainUntilTs: number
  horizonHours?: number
  params?: Partial<LoadForecastParams>
  trainer: NetworkTrainer
  onEpoch?: (member: number, epoch: number) => void
  onDay?: (day: number, days: number) => void
  now?: () => number
  /** A fitted model (a registered version) forecasting as it is: nothing is trained, `params` and `trainer` are unused. */
  model?: LoadForecastModel
}): Promise<ForecastEvalResult> {
  const now = opts.now ?? Date.now
  const series = toHourlyGrid(opts.points)
  const split = Math.ceil((opts.trainUntilTs - series.startTs) / HOUR_MS)
  if (split < MIN_HISTORY_HOURS + 20 * DAY_HOURS) throw new ForecastInputError('train-until', 'leaves too little training data (at least 55 days are needed)')
  if (split >= series.values.length - 1) throw new ForecastInputError('train-until', 'leaves nothing to forecast')
  const H = opts.model?.params.horizonHours ?? opts.horizonHours ?? 24
  const model = opts.model ?? new LoadForecastModel({ ...opts.params, horizonHours: H }).withTrainer(opts.trainer, opts.onEpoch)
  const t0 = now()
  if (!opts.model) await model.fit([{ history: { startTs: series.startTs, values: series.values.slice(0, split) } }])
  const trainSeconds = (now() - t0) / 1000
  const issues: number[] = []
  for (let i = split; i + H <= series.values.length; i++) if (new Date(series.startTs + i * HOUR_MS).getUTCHours() === 0) issues.push(i)
  // Seasonal naive's own intervals, by the same rule: quantiles of its recent errors per hour of day.
  const naiveResid: number[][] = Array.from({ length: DAY_HOURS }, () => [])
  const pushNaive = (hour: number, r: number): void => {
    const b = naiveResid[hour]
    if (b === undefined) return
    b.push(r)
    if (b.length > model.params.residualDays) b.shift()
  }
  for (let i = Math.max(WEEK_HOURS, split - model.params.residualDays * DAY_HOURS); i < split; i++) {
    const t = series.values[i] ?? NaN
    const p = series.values[i - WEEK_HOURS] ?? NaN
    if (Number.isFinite(t) && Number.isFinite(p)) pushNaive(new Date(series.startTs + i * HOUR_MS).getUTCHours(), t - p)
  }
  const truth: number[] = []
  const pred: number[] = []
  const naive: number[] = []
  let in80 = 0
  let in95 = 0
  let nIn80 = 0
  let nIn95 = 0
  issues.forEach((issue, d) => {
    opts.onDay?.(d + 1, issues.length)
    const fc = model.predict({ history: { startTs: series.startTs, values: series.values.slice(0, issue) } })
    const actual = series.values.slice(issue, issue + H)
    for (let h = 0; h < H; h++) {
      const t = actual[h] ?? NaN
      // Seasonal naive reads the truth a week back; where that was a gap it carries the last known value.
      let back = issue + h - WEEK_HOURS
      while (back > 0 && !Number.isFinite(series.values[back] ?? NaN)) back--
      const nv = series.values[back] ?? 0
      if (!Number.isFinite(t)) continue
      const hour = new Date(fc.ts[h] ?? 0).getUTCHours()
      truth.push(t)
      pred.push(fc.mean[h] ?? 0)
      naive.push(nv)
      if (t >= (fc.lower80[h] ?? 0) && t <= (fc.upper80[h] ?? 0)) in80++
      if (t >= (fc.lower95[h] ?? 0) && t <= (fc.upper95[h] ?? 0)) in95++
      const r = [...(naiveResid[hour] ?? [])].sort((a, b) => a - b)
      if (t >= nv + quantile(r, 0.1) && t <= nv + quantile(r, 0.9)) nIn80++
      if (t >= nv + quantile(r, 0.025) && t <= nv + quantile(r, 0.975)) nIn95++
    }
    // Only after the day is over do its errors inform later intervals.
    model.observe(fc, actual)
    for (let h = 0; h < H; h++) {
      const t = actual[h] ?? NaN
      const nv = series.values[issue + h - WEEK_HOURS] ?? NaN
      if (Number.isFinite(t) && Number.isFinite(nv)) pushNaive(new Date(fc.ts[h] ?? 0).getUTCHours(), t - nv)
    }
  })
  const n = Math.max(1, truth.length)
  const m = errorMetrics(truth, pred)
  const b = errorMetrics(truth, naive)
  return {
    days: issues.length,
    hours: truth.length,
    model: { ...m, coverage80: in80 / n, coverage95: in95 / n },
    seasonalNaive: { ...b, coverage80: nIn80 / n, coverage95: nIn95 / n },
    maeRatio: m.mae / b.mae,
    trainSeconds,
  }
}
