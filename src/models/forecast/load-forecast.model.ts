/**
 * Day-ahead hourly load forecaster: a small network over lag, rolling and calendar features,
 * trained on absolute error (so it forecasts the median, which is what MAE rewards), with 80 % and
 * 95 % intervals from the empirical quantiles of recent errors at each hour of day.
 */
import { ModelFormatError } from '../errors.js'
import { families } from '../families.js'
import type { Model, ModelDescription, ModelFamily, SerializedModel } from '../model.js'
import { forward, type NetworkSpec, type NetworkTrainer, type NetworkWeights } from '../rul/network.js'
import { quantile } from '../rul/cmapss-rul.model.js'
import { DAY_HOURS, FORECAST_FEATURE_COUNT, LOAD_VALUED, fillCausal, forecastFeatures, HOUR_MS, type HourlySeries } from './load.features.js'
import { ForecastInputError, ForecastModelNotFittedError, ForecastTrainerMissingError } from './errors.js'

/** What a forecast is made from: the hourly history up to (not including) the first hour to forecast. */
export interface ForecastInput {
  readonly history: HourlySeries
}

/** One forecast: `horizon` hours from the end of the history. */
export interface LoadForecast {
  readonly ts: number[]
  readonly mean: number[]
  readonly lower80: number[]
  readonly upper80: number[]
  readonly lower95: number[]
  readonly upper95: number[]
  /** Drift correction included in `mean` (0 unless `biasDays` > 0). */
  readonly bias: number[]
  /** The level the networks' inputs and outputs were divided by (the training mean, or the history's recent mean with `scaleFrom: 'history'`). */
  readonly scale?: number
}

export interface LoadForecastParams {
  readonly horizonHours: number
  readonly dense: readonly number[]
  readonly members: number
  readonly epochs: number
  readonly batchSize: number
  readonly learningRate: number
  readonly seed: number
  /** Days of errors per hour of day kept for the intervals. */
  readonly residualDays: number
  /** When > 0, the median error of the last this-many days at each hour is added to the forecast (drift correction). */
  readonly biasDays: number
  /**
   * `training`: inputs and outputs are divided by the training series' mean load (one site).
   * `history`: by the mean of the 28 days before each forecast, and errors are kept relative to
   * it, so one version serves meters of any size (a 2 kW household, a 300 kW office).
   */
  readonly scaleFrom: 'training' | 'history'
}

export const DEFAULT_LOAD_FORECAST_PARAMS: LoadForecastParams = {
  horizonHours: 24,
  dense: [64, 32],
  // 8 rather than 5: chosen on the validation year (docs/benchmarks.md), MAE ratio 0.772 against 0.782.
  members: 8,
  epochs: 20,
  batchSize: 128,
  learningRate: 0.001,
  seed: 1,
  residualDays: 90,
  biasDays: 0,
  scaleFrom: 'training',
}

/** Hours whose mean load is the scale under `scaleFrom: 'history'`. */
const LOCAL_SCALE_HOURS = 28 * DAY_HOURS

/** Mean absolute load of the `LOCAL_SCALE_HOURS` before grid index `issue` of a filled series (1 when zero). */
function localScale(filled: readonly number[], issue: number): number {
  let sum = 0
  let n = 0
  for (let i = Math.max(0, issue - LOCAL_SCALE_HOURS); i < issue; i++) {
    sum += Math.abs(filled[i] ?? 0)
    n++
  }
  return n > 0 && sum > 0 ? sum / n : 1
}

/** Hours of history a forecast needs (28 days for the same-hour averages, plus a week). */
export const MIN_HISTORY_HOURS = 35 * DAY_HOURS

interface State {
  readonly scale: number
  readonly members: NetworkWeights[]
  /** Per hour of day, the most recent errors (truth − forecast), oldest first. */
  readonly residuals: number[][]
}

export const LOAD_FORECAST_FAMILY = 'load-forecast-mlp'
const FORMAT_VERSION = 1

export class LoadForecastModel implements Model<ForecastInput, LoadForecast> {
  readonly family = LOAD_FORECAST_FAMILY
  readonly kind = 'forecast' as const
  readonly params: LoadForecastParams
  private state: State | undefined
  private trainer: NetworkTrainer | undefined
  private onEpoch: ((member: number, epoch: number) => void) | undefined

  constructor(params: Partial<LoadForecastParams> = {}, state?: State) {
    this.params = { ...DEFAULT_LOAD_FORECAST_PARAMS, ...params }
    if (!Number.isInteger(this.params.horizonHours) || this.params.horizonHours < 1 || this.params.horizonHours > DAY_HOURS) throw new ForecastInputError('horizonHours', 'must be an integer from 1 to 24 (a day-ahead forecast)')
    if (this.params.scaleFrom !== 'training' && this.params.scaleFrom !== 'history') throw new ForecastInputError('scaleFrom', "must be 'training' or 'history'")
    this.state = state
  }

  withTrainer(trainer: NetworkTrainer, onEpoch?: (member: number, epoch: number) => void): this {
    this.trainer = trainer
    this.onEpoch = onEpoch
    return this
  }

  describe(): ModelDescription {
    return {
      family: this.family,
      kind: this.kind,
      summary: `day-ahead hourly load: ${this.params.members} networks on lags, same-hour means and calendar, trained on absolute error; 80/95 % intervals from recent errors per hour of day`,
      params: { ...this.params },
      signature: {
        inputs: [{ name: 'history', type: 'number[]', description: 'hourly load, at least 35 days' }],
        outputs: ['mean', 'lower80', 'upper80', 'lower95', 'upper95'].map((name) => ({ name, type: 'number[]' as const })),
      },
    }
  }

  private spec(): NetworkSpec {
    return { windowCycles: 1, channels: FORECAST_FEATURE_COUNT, extras: 0, conv: [], dense: this.params.dense }
  }

  /** Trains on every day-ahead issue point of the series (one midnight per day); the last 10 % of days give the first residuals. */
  async fit(data: readonly ForecastInput[]): Promise<void> {
    if (this.trainer === undefined) throw new ForecastTrainerMissingError()
    const series = data[0]?.history
    if (series === undefined || data.length !== 1) throw new ForecastInputError('data', 'fit takes exactly one hourly series')
    const finite = series.values.filter((v) => Number.isFinite(v))
    if (finite.length === 0) throw new ForecastInputError('history', 'has no values')
    const scale = finite.reduce((a, b) => a + Math.abs(b), 0) / finite.length || 1
    const filled = fillCausal(series.values, finite[0] ?? 0)
    const issues = this.issuePoints(series, MIN_HISTORY_HOURS, series.values.length)
    if (issues.length < 20) throw new ForecastInputError('history', `needs at least ${MIN_HISTORY_HOURS / 24 + 20} days of hourly data`)
    const H = this.params.horizonHours
    const rows: number[][] = []
    const targets: number[] = []
    for (const issue of issues) {
      const sc = this.params.scaleFrom === 'history' ? localScale(filled, issue) : scale
      for (let h = 0; h < H; h++) {
        const y = series.values[issue + h] ?? NaN
        if (!Number.isFinite(y)) continue
        rows.push(forecastFeatures(filled, series.startTs, issue, h).map((v, j) => (j < LOAD_VALUED ? v / sc : v)))
        targets.push(y / sc)
      }
    }
    const n = rows.length
    const windows = new Float32Array(n * FORECAST_FEATURE_COUNT)
    rows.forEach((r, i) => windows.set(r, i * FORECAST_FEATURE_COUNT))
    const members: NetworkWeights[] = []
    for (let m = 0; m < this.params.members; m++)
      members.push(
        await this.trainer.train(
          this.spec(),
          { n, windows, extras: new Float32Array(0), targets: Float32Array.from(targets) },
          { epochs: this.params.epochs, batchSize: this.params.batchSize, learningRate: this.params.learningRate, seed: this.params.seed * 1000 + m, loss: 'mae' },
          (epoch) => this.onEpoch?.(m + 1, epoch),
        ),
      )
    this.state = { scale, members, residuals: Array.from({ length: DAY_HOURS }, () => []) }
    // First intervals: errors over the last days of the training data (in-sample, so a little narrow;
    // `observe` replaces them with out-of-sample errors as forecasts meet the truth).
    const tail = issues.slice(-this.params.residualDays)
    for (const issue of tail) {
      const fc = this.predict({ history: { startTs: series.startTs, values: series.values.slice(0, issue) } })
      this.observe(fc, series.values.slice(issue, issue + H))
    }
  }

  /** Midnights (grid indices) from which a full horizon fits before `end`. */
  private issuePoints(series: HourlySeries, from: number, end: number): number[] {
    const out: number[] = []
    for (let i = from; i + this.params.horizonHours <= end; i++) if (new Date(series.startTs + i * HOUR_MS).getUTCHours() === 0) out.push(i)
    return out
  }

  predict(input: ForecastInput): LoadForecast {
    const s = this.state
    if (s === undefined) throw new ForecastModelNotFittedError()
    const series = input.history
    if (series.values.length < MIN_HISTORY_HOURS) throw new ForecastInputError('history', `needs at least ${MIN_HISTORY_HOURS} hours`)
    const finite = series.values.find((v) => Number.isFinite(v)) ?? 0
    // Room for the horizon after the history, so the feature code can index target hours.
    const filled = fillCausal(series.values, finite)
    const issue = series.values.length
    const spec = this.spec()
    // Errors are kept in the unit of the scale (kW for 'training', multiples of the recent mean for 'history').
    const sc = this.params.scaleFrom === 'history' ? localScale(filled, issue) : s.scale
    const errScale = this.params.scaleFrom === 'history' ? sc : 1
    const out: LoadForecast = { ts: [], mean: [], lower80: [], upper80: [], lower95: [], upper95: [], bias: [], scale: sc }
    for (let h = 0; h < this.params.horizonHours; h++) {
      const x = forecastFeatures(filled, series.startTs, issue, h).map((v, j) => (j < LOAD_VALUED ? v / sc : v))
      const preds = s.members.map((w) => forward(spec, w, x, []))
      preds.sort((a, b) => a - b)
      const ts = series.startTs + (issue + h) * HOUR_MS
      const hour = new Date(ts).getUTCHours()
      const recent = (s.residuals[hour] ?? []).map((e) => e * errScale)
      const bias = this.params.biasDays > 0 && recent.length > 0 ? quantile([...recent.slice(-this.params.biasDays)].sort((a, b) => a - b), 0.5) : 0
      const mean = Math.max(0, quantile(preds, 0.5) * sc + bias)
      // The buffers hold errors of the uncorrected forecast; with a correction, the interval is that
      // error distribution re-centred on the corrected forecast.
      const r = [...recent].sort((a, b) => a - b)
      const centre = this.params.biasDays > 0 ? quantile(r, 0.5) : 0
      for (let i = 0; i < r.length; i++) r[i] = (r[i] ?? 0) - centre
      out.ts.push(ts)
      out.bias.push(mean - Math.max(0, quantile(preds, 0.5) * sc))
      out.mean.push(mean)
      out.lower80.push(Math.max(0, mean + quantile(r, 0.1)))
      out.upper80.push(mean + quantile(r, 0.9))
      out.lower95.push(Math.max(0, mean + quantile(r, 0.025)))
      out.upper95.push(mean + quantile(r, 0.975))
    }
    return out
  }

  /** Learns the interval widths from a forecast and what then happened (NaN truths are skipped). */
  observe(forecast: LoadForecast, truth: readonly number[]): void {
    const s = this.state
    if (s === undefined) throw new ForecastModelNotFittedError()
    forecast.mean.forEach((m, h) => {
      const t = truth[h] ?? NaN
      if (!Number.isFinite(t)) return
      const hour = new Date(forecast.ts[h] ?? 0).getUTCHours()
      const buf = s.residuals[hour]
      if (buf === undefined) return
      // Errors of the uncorrected forecast, so the drift correction does not chase its own output.
      const err = t - (m - (forecast.bias[h] ?? 0))
      buf.push(this.params.scaleFrom === 'history' ? err / (forecast.scale ?? 1) : err)
      if (buf.length > this.params.residualDays) buf.shift()
    })
  }

  toJSON(): SerializedModel {
    if (this.state === undefined) throw new ForecastModelNotFittedError()
    return { family: this.family, formatVersion: FORMAT_VERSION, params: { ...this.params }, state: this.state }
  }
}

/** The catalogue entry for the load forecaster. */
export const loadForecastFamily: ModelFamily<ForecastInput, LoadForecast> = {
  family: LOAD_FORECAST_FAMILY,
  kind: 'forecast',
  create: (params) => new LoadForecastModel(params as Partial<LoadForecastParams> | undefined),
  fromJSON(serialized) {
    if (serialized.family !== LOAD_FORECAST_FAMILY || serialized.formatVersion !== FORMAT_VERSION) throw new ModelFormatError(`expected ${LOAD_FORECAST_FAMILY} format ${FORMAT_VERSION}`)
    const st = serialized.state as Partial<State> | null
    if (st === null || typeof st !== 'object' || typeof st.scale !== 'number' || !Array.isArray(st.members) || !Array.isArray(st.residuals) || st.residuals.length !== DAY_HOURS)
      throw new ModelFormatError(`${LOAD_FORECAST_FAMILY}: state needs scale, members and 24 residual buffers`)
    return new LoadForecastModel(serialized.params as Partial<LoadForecastParams>, st as State)
  },
}

if (!families.has(loadForecastFamily.family)) families.register(loadForecastFamily)
