/**
 * Training of the prognostic families for `prognos train <spec.yaml>`: reads the family's own data
 * format (C-MAPSS text files, NASA capacity CSV, an hourly load CSV), fits the model, and measures
 * it on held-out data, so the registered version carries its evaluation figures.
 *
 * - `format: cmapss` — `train` (run-to-failure), optional `test` + `rul`: RMSE, NASA score and
 *   interval coverage of the last cycle of each test unit.
 * - `format: nasa-battery` — `csv` (battery_id,cycle,capacity_Ah): leave-one-cell-out errors of
 *   cycles to end of life, then the correction is learned on every cell.
 * - `format: hourly-load` — `csv` with a `Datetime` column and `column`: trains on all but the last
 *   `holdoutDays` (default 28) and forecasts them walk-forward, day by day, against seasonal naive.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { evaluateNasa, parseNasaCapacityCsv } from '../models/battery/battery.eval.js'
import { CapacityFadeModel, type CapacityFadeParams } from '../models/battery/capacity-fade.model.js'
import { parseHourlyCsv } from '../models/forecast/forecast.eval.js'
import { LoadForecastModel, type LoadForecastParams } from '../models/forecast/load-forecast.model.js'
import { DAY_HOURS, errorMetrics, HOUR_MS, toHourlyGrid, WEEK_HOURS } from '../models/forecast/load.features.js'
import type { Model } from '../models/model.js'
import { parseRulFile } from '../models/rul/cmapss.eval.js'
import { CmapssRulModel, type CmapssRulParams } from '../models/rul/cmapss-rul.model.js'
import { groupUnits, nasaScore, rmse } from '../models/rul/cmapss.features.js'
import { parseCmapss } from '../sim/cmapss.replay.js'
import { TrainingSpecError } from './errors.js'

/** The data section of a spec for a prognostic family. */
export type PrognosticData =
  | { format: 'cmapss'; train: string; test?: string; rul?: string }
  | { format: 'nasa-battery'; csv: string }
  | { format: 'hourly-load'; csv: string; column?: string; holdoutDays?: number }

export const PROGNOSTIC_FORMATS = ['cmapss', 'nasa-battery', 'hourly-load'] as const

/** Which format each prognostic family trains from. */
export const FORMAT_OF_FAMILY: Readonly<Record<string, PrognosticData['format']>> = {
  'cmapss-rul-tcn': 'cmapss',
  'battery-capacity-fade': 'nasa-battery',
  'load-forecast-mlp': 'hourly-load',
}

export type PrognosticProgress = { stage: 'load' | 'fit' | 'score'; done: number; total: number }

export interface PrognosticTrained {
  model: Model
  metrics: Record<string, number>
  /** SHA-256 (hex) of the training data's text. */
  fingerprint: string
  log: string[]
}

/**
 * Trains a prognostic family: {@link trainPrognostic} in this process, or the same in a child
 * process (the demo's background training, demo-models.ts) whose model comes back as JSON.
 */
export type PrognosticTrainer = (family: string, params: Record<string, unknown>, data: PrognosticData, progress: (p: PrognosticProgress) => void) => Promise<PrognosticTrained>

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

function read(field: string, path: string): string {
  try {
    const bytes = readFileSync(path)
    return (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8')
  } catch (err) {
    throw new TrainingSpecError(field, `cannot read ${path}: ${(err as Error).message}`, { cause: err })
  }
}

const round = (v: number, d = 4): number => Math.round(v * 10 ** d) / 10 ** d

/** Checks the data section of a prognostic spec; paths stay as given (resolved by the caller). */
export function checkPrognosticData(family: string, data: Record<string, unknown>): PrognosticData {
  const want = FORMAT_OF_FAMILY[family]
  if (want === undefined) throw new TrainingSpecError('family', `'${family}' is not a prognostic family`)
  if (data.format !== want) throw new TrainingSpecError('data.format', `family '${family}' trains from data.format '${want}'`)
  const str = (k: string, required: boolean): string | undefined => {
    const v = data[k]
    if (v === undefined && !required) return undefined
    if (typeof v !== 'string' || v === '') throw new TrainingSpecError(`data.${k}`, 'must be a file path')
    return v
  }
  switch (want) {
    case 'cmapss': {
      const test = str('test', false)
      const rul = str('rul', false)
      if ((test === undefined) !== (rul === undefined)) throw new TrainingSpecError('data.rul', 'data.test and data.rul go together (the test file and its true RUL)')
      return { format: 'cmapss', train: str('train', true)!, ...(test !== undefined ? { test } : {}), ...(rul !== undefined ? { rul } : {}) }
    }
    case 'nasa-battery':
      return { format: 'nasa-battery', csv: str('csv', true)! }
    case 'hourly-load': {
      const h = data.holdoutDays
      if (h !== undefined && !(typeof h === 'number' && Number.isInteger(h) && h >= 1)) throw new TrainingSpecError('data.holdoutDays', 'must be a whole number of days, at least 1')
      const column = data.column
      if (column !== undefined && typeof column !== 'string') throw new TrainingSpecError('data.column', 'must be a column name')
      return { format: 'hourly-load', csv: str('csv', true)!, ...(column !== undefined ? { column } : {}), ...(h !== undefined ? { holdoutDays: h } : {}) }
    }
  }
}

/** Trains a prognostic family on its data and measures it on what was held out. */
export const trainPrognostic: PrognosticTrainer = async (family, params, data, progress) => {
  const log: string[] = []
  switch (data.format) {
    case 'cmapss': {
      const { tfjsTrainer } = await import('../models/runtime/tfjs.trainer.js')
      const text = read('data.train', data.train)
      const units = [...groupUnits(parseCmapss(text)).values()]
      const model = new CmapssRulModel(params as Partial<CmapssRulParams>)
      const total = model.params.members * model.params.epochs
      let done = 0
      model.withTrainer(tfjsTrainer, () => progress({ stage: 'fit', done: ++done, total }))
      await model.fit(units)
      log.push(`fitted on ${units.length} run-to-failure units of ${data.train}`)
      const metrics: Record<string, number> = { train_units: units.length }
      if (data.test !== undefined && data.rul !== undefined) {
        const test = [...groupUnits(parseCmapss(read('data.test', data.test))).entries()].sort((a, b) => a[0] - b[0])
        const truth = parseRulFile(read('data.rul', data.rul))
        if (truth.length !== test.length) throw new TrainingSpecError('data.rul', `has ${truth.length} values for ${test.length} test units`)
        const preds = test.map(([, cycles]) => model.predict(cycles))
        const pred = preds.map((p) => p.rulCycles)
        metrics.test_units = test.length
        metrics.test_rmse = round(rmse(truth, pred))
        metrics.test_nasa_score = round(nasaScore(truth, pred), 1)
        metrics.test_coverage80 = round(preds.filter((p, i) => truth[i]! >= p.lower80Cycles && truth[i]! <= p.upper80Cycles).length / preds.length)
        progress({ stage: 'score', done: 1, total: 1 })
        log.push(`test ${data.test}: RMSE ${metrics.test_rmse}, NASA score ${metrics.test_nasa_score}`)
      }
      return { model, metrics, fingerprint: sha256(text), log }
    }
    case 'nasa-battery': {
      const text = read('data.csv', data.csv)
      const cells = parseNasaCapacityCsv(text)
      const p = params as Partial<CapacityFadeParams>
      const ev = evaluateNasa(cells, { params: p })
      progress({ stage: 'score', done: 1, total: 1 })
      const model = new CapacityFadeModel(p)
      model.fit(cells)
      progress({ stage: 'fit', done: 1, total: 1 })
      log.push(`leave-one-cell-out over ${cells.length} cells, then fitted on all`)
      const metrics = { cells: cells.length, loco_mae_cycles: round(ev.maeCycles, 2), loco_rmse_cycles: round(ev.rmseCycles, 2), loco_coverage80: round(ev.coverage80), loco_soh_mae: round(ev.sohMae) }
      return { model, metrics, fingerprint: sha256(text), log }
    }
    case 'hourly-load': {
      const { tfjsTrainer } = await import('../models/runtime/tfjs.trainer.js')
      const text = read('data.csv', data.csv)
      const series = toHourlyGrid(parseHourlyCsv(text, data.column ?? 'Global_active_power'))
      // Held-out days start at a midnight, so each is one day-ahead forecast.
      let cut = series.values.length - (data.holdoutDays ?? 28) * DAY_HOURS
      while (cut > 0 && new Date(series.startTs + cut * HOUR_MS).getUTCHours() !== 0) cut--
      if (cut <= 0) throw new TrainingSpecError('data.holdoutDays', 'leaves no training data')
      const model = new LoadForecastModel(params as Partial<LoadForecastParams>)
      const total = model.params.members * model.params.epochs
      let done = 0
      model.withTrainer(tfjsTrainer, () => progress({ stage: 'fit', done: ++done, total }))
      await model.fit([{ history: { startTs: series.startTs, values: series.values.slice(0, cut) } }])
      const truth: number[] = []
      const pred: number[] = []
      const naive: number[] = []
      const H = model.params.horizonHours
      const days = Math.floor((series.values.length - cut) / DAY_HOURS)
      for (let d = 0; d < days; d++) {
        const issue = cut + d * DAY_HOURS
        const fc = model.predict({ history: { startTs: series.startTs, values: series.values.slice(0, issue) } })
        for (let h = 0; h < H; h++) {
          const y = series.values[issue + h] ?? NaN
          const n = series.values[issue + h - WEEK_HOURS] ?? NaN
          if (!Number.isFinite(y) || !Number.isFinite(n)) continue
          truth.push(y)
          pred.push(fc.mean[h] ?? NaN)
          naive.push(n)
        }
        progress({ stage: 'score', done: d + 1, total: days })
      }
      const m = errorMetrics(truth, pred)
      const nv = errorMetrics(truth, naive)
      log.push(`trained on ${cut} hours, forecast ${days} held-out days`)
      const metrics = { train_hours: cut, holdout_days: days, holdout_mae: round(m.mae), holdout_rmse: round(m.rmse), naive_mae: round(nv.mae), mae_ratio: round(nv.mae > 0 ? m.mae / nv.mae : NaN) }
      return { model, metrics, fingerprint: sha256(text), log }
    }
  }
}
