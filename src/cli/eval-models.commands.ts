/**
 * `prognos eval cmapss | forecast | battery`: train the prognostic models on reference data and
 * print their figures (one JSON line with --json). Registered under the `eval` parent command.
 */
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { Presets, SingleBar } from 'cli-progress'
import { Option, type Command } from 'commander'
import type { CapacityFadeModel } from '../models/battery/capacity-fade.model.js'
import type { CmapssRulParams } from '../models/rul/cmapss-rul.model.js'
import type { EvalEvent } from '../models/rul/cmapss.eval.js'
import type { ForecastScores } from '../models/forecast/forecast.eval.js'
import { parseCmapss } from '../sim/cmapss.replay.js'

// The models and TensorFlow.js load only when an eval command runs: `prognos start` must not pay for them.
const rulModules = async () => ({ ...(await import('../models/rul/cmapss-rul.model.js')), ...(await import('../models/rul/cmapss.eval.js')), ...(await import('../models/runtime/tfjs.trainer.js')) })
const forecastModules = async () => ({ ...(await import('../models/forecast/forecast.eval.js')), ...(await import('../models/forecast/load-forecast.model.js')), ...(await import('../models/runtime/tfjs.trainer.js')) })

// Opens the store only when --model names a registered version.
const loadEvalModel = async (ref: string, family: string) => (await import('./eval-model.loader.js')).loadEvalModel(ref, family)

const out = (s: string): void => {
  process.stdout.write(`${s}\n`)
}

/** Reads a text file, gunzipping it when it starts with the gzip magic bytes (so `.gz` and plain both work). */
export function readText(file: string): string {
  const buf = readFileSync(file)
  return buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf).toString('utf8') : buf.toString('utf8')
}

function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(v)}`)
  return n
}

function positiveNumber(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(v)}`)
  return n
}

const round = (v: number, digits = 2): number => Math.round(v * 10 ** digits) / 10 ** digits

/** A progress bar on stderr (drawn only on a terminal), fed by model events. */
function progress(label: string, total: number): { tick: (n?: number) => void; stop: () => void } {
  const bar = new SingleBar({ format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta}s left`, stream: process.stderr }, Presets.shades_classic)
  bar.start(total, 0)
  return { tick: (n = 1) => bar.increment(n), stop: () => bar.stop() }
}

interface CmapssOptions {
  train?: string
  model?: string
  test?: string
  rul?: string
  cv?: string
  json?: boolean
  members?: string
  epochs?: string
  window?: string
  seed?: string
  cyclesPerHour?: string
  params?: string
}

async function runCmapss(o: CmapssOptions): Promise<void> {
  const { DEFAULT_CMAPSS_RUL_PARAMS, crossValidateCmapss, evaluateCmapssTest, parseRulFile, tfjsTrainer } = await rulModules()
  const params: Partial<CmapssRulParams> = {}
  if (o.params !== undefined) {
    let extra: unknown
    try {
      extra = JSON.parse(o.params)
    } catch (err) {
      throw new Error(`--params must be a JSON object: ${(err as Error).message}`, { cause: err })
    }
    if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) throw new Error('--params must be a JSON object')
    Object.assign(params, extra)
  }
  const members = positiveInt('--members', o.members)
  const epochs = positiveInt('--epochs', o.epochs)
  const windowCycles = positiveInt('--window', o.window)
  const seed = positiveInt('--seed', o.seed)
  const cyclesPerHour = positiveNumber('--cycles-per-hour', o.cyclesPerHour)
  if (members !== undefined) Object.assign(params, { members })
  if (epochs !== undefined) Object.assign(params, { epochs })
  if (windowCycles !== undefined) Object.assign(params, { windowCycles })
  if (seed !== undefined) Object.assign(params, { seed })
  if (o.model !== undefined && o.cv !== undefined) throw new Error('--cv trains a model per fold; it does not take --model')
  if (o.model === undefined && o.train === undefined) throw new Error('eval cmapss needs --train FILE, or --model with a registered version or artifact file')
  const given = o.model !== undefined ? await loadEvalModel(o.model, 'cmapss-rul-tcn') : undefined
  const train = o.train !== undefined ? parseCmapss(readText(o.train)) : []
  const m = params.members ?? DEFAULT_CMAPSS_RUL_PARAMS.members
  const e = params.epochs ?? DEFAULT_CMAPSS_RUL_PARAMS.epochs
  if (o.cv !== undefined) {
    const folds = positiveInt('--cv', o.cv) ?? 5
    const bar = progress('cv', folds * m * e)
    const onEvent = (ev: EvalEvent): void => {
      if (ev.type === 'epoch') bar.tick()
    }
    const r = await crossValidateCmapss({ train, folds, params, trainer: tfjsTrainer, onEvent }).finally(() => bar.stop())
    if (o.json === true) {
      out(JSON.stringify({ folds: r.folds, points: r.points, rmse: round(r.rmse), score: round(r.score, 1), coverage80: round(r.coverage80, 3), coverage95: round(r.coverage95, 3), perFold: r.perFold.map((f) => ({ fold: f.fold, rmse: round(f.rmse), score: round(f.score, 1) })), trainSeconds: round(r.trainSeconds, 1) }))
      return
    }
    for (const f of r.perFold) out(`fold ${f.fold}: RMSE ${f.rmse.toFixed(2)}  NASA score ${f.score.toFixed(1)}`)
    out(`${r.folds}-fold CV by unit, ${r.points} cut points (capped true RUL): RMSE ${r.rmse.toFixed(2)}  NASA score ${r.score.toFixed(1)}  80 % interval coverage ${(r.coverage80 * 100).toFixed(1)} %  95 % ${(r.coverage95 * 100).toFixed(1)} %  (training ${r.trainSeconds.toFixed(0)} s)`)
    return
  }
  if (o.test === undefined) throw new Error('eval cmapss needs --test FILE, or --cv K')
  const test = parseCmapss(readText(o.test))
  const rul = o.rul !== undefined ? parseRulFile(readText(o.rul)) : undefined
  const bar = progress(given ? 'predict' : 'train', given ? 1 : m * e)
  const r = await evaluateCmapssTest({
    train,
    test,
    ...(rul !== undefined ? { rul } : {}),
    ...(given ? { model: given.model as InstanceType<Awaited<ReturnType<typeof rulModules>>['CmapssRulModel']> } : {}),
    params,
    trainer: tfjsTrainer,
    onEvent: (ev) => {
      if (ev.type === 'epoch') bar.tick()
    },
  }).finally(() => bar.stop())
  const hours = (v: number): number | undefined => (cyclesPerHour !== undefined ? round(v / cyclesPerHour) : undefined)
  if (o.json === true) {
    out(
      JSON.stringify({
        units: r.units.map((u) => ({
          unit: u.unit,
          rul: round(u.rulCycles),
          lower80: round(u.lower80Cycles),
          upper80: round(u.upper80Cycles),
          lower95: round(u.lower95Cycles),
          upper95: round(u.upper95Cycles),
          ...(cyclesPerHour !== undefined ? { rulHours: hours(u.rulCycles), lower80Hours: hours(u.lower80Cycles), upper80Hours: hours(u.upper80Cycles) } : {}),
          ...(u.trueRul !== undefined ? { trueRul: u.trueRul } : {}),
        })),
        ...(r.rmse !== undefined ? { rmse: round(r.rmse, 3), score: round(r.score ?? NaN, 1), rmseCapped: round(r.rmseCapped ?? NaN, 3), coverage80: r.coverage80, coverage95: r.coverage95 } : {}),
        ...(given ? { model: given.source } : { trainSeconds: round(r.trainSeconds, 1) }),
      }),
    )
    return
  }
  out('unit  last cycle  RUL (cycles)  80 % interval   95 % interval' + (cyclesPerHour !== undefined ? '   RUL (h)' : '') + (rul !== undefined ? '   true RUL' : ''))
  for (const u of r.units)
    out(
      `${String(u.unit).padStart(4)}  ${String(u.lastCycle).padStart(10)}  ${u.rulCycles.toFixed(1).padStart(12)}  [${u.lower80Cycles.toFixed(0)}, ${u.upper80Cycles.toFixed(0)}]`.padEnd(46) +
        `[${u.lower95Cycles.toFixed(0)}, ${u.upper95Cycles.toFixed(0)}]`.padEnd(14) +
        (cyclesPerHour !== undefined ? `${(u.rulCycles / cyclesPerHour).toFixed(1).padStart(9)}` : '') +
        (u.trueRul !== undefined ? `${String(u.trueRul).padStart(11)}` : ''),
    )
  if (r.rmse !== undefined)
    out(`RMSE ${r.rmse.toFixed(2)}  NASA score ${(r.score ?? NaN).toFixed(1)}  (RMSE against true RUL capped at the label cap: ${(r.rmseCapped ?? NaN).toFixed(2)}; 80 % interval coverage ${((r.coverage80 ?? NaN) * 100).toFixed(0)} %, 95 % ${((r.coverage95 ?? NaN) * 100).toFixed(0)} %)`)
  out(given ? `model: ${given.source} (not trained here)` : `training took ${r.trainSeconds.toFixed(0)} s`)
}

interface ForecastOptions {
  data: string
  trainUntil: string
  until?: string
  horizon?: string
  column: string
  members?: string
  epochs?: string
  biasDays?: string
  scaleFrom?: string
  model?: string
  json?: boolean
}

async function runForecast(o: ForecastOptions): Promise<void> {
  const { DEFAULT_LOAD_FORECAST_PARAMS, evaluateForecast, parseHourlyCsv, tfjsTrainer } = await forecastModules()
  const date = (name: string, v: string): number => {
    const ts = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v)
    if (!Number.isFinite(ts)) throw new Error(`${name} must be a date (YYYY-MM-DD), got ${JSON.stringify(v)}`)
    return ts
  }
  const trainUntilTs = date('--train-until', o.trainUntil)
  const untilTs = o.until !== undefined ? date('--until', o.until) : Infinity
  const horizonHours = positiveInt('--horizon', o.horizon) ?? 24
  const members = positiveInt('--members', o.members) ?? DEFAULT_LOAD_FORECAST_PARAMS.members
  const epochs = positiveInt('--epochs', o.epochs) ?? DEFAULT_LOAD_FORECAST_PARAMS.epochs
  const given = o.model !== undefined ? await loadEvalModel(o.model, 'load-forecast-mlp') : undefined
  const points = parseHourlyCsv(readText(o.data), o.column).filter((p) => p.ts < untilTs)
  const bar = progress(given ? 'load' : 'train', given ? 1 : members * epochs)
  let walk: ReturnType<typeof progress> | undefined
  const r = await evaluateForecast({
    points,
    trainUntilTs,
    horizonHours,
    params: { members, epochs, ...(o.biasDays !== undefined ? { biasDays: positiveInt('--bias-days', o.biasDays) ?? 0 } : {}), ...(o.scaleFrom !== undefined ? { scaleFrom: o.scaleFrom as 'training' | 'history' } : {}) },
    trainer: tfjsTrainer,
    ...(given ? { model: given.model as InstanceType<Awaited<ReturnType<typeof forecastModules>>['LoadForecastModel']> } : {}),
    onEpoch: () => bar.tick(),
    onDay: (day, days) => {
      if (walk === undefined) {
        bar.stop()
        walk = progress('forecast', days)
      }
      walk.tick()
    },
  }).finally(() => {
    bar.stop()
    walk?.stop()
  })
  const fmt = (s: ForecastScores): Record<string, number> => ({ mae: round(s.mae, 4), rmse: round(s.rmse, 4), mape: round(s.mape, 2), coverage80: round(s.coverage80, 3), coverage95: round(s.coverage95, 3) })
  if (o.json === true) {
    out(JSON.stringify({ days: r.days, hours: r.hours, model: fmt(r.model), seasonalNaive: fmt(r.seasonalNaive), maeRatio: round(r.maeRatio, 4), ...(given ? { modelSource: given.source } : { trainSeconds: round(r.trainSeconds, 1) }) }))
    return
  }
  out(`walk-forward over ${r.days} days (${r.hours} hours), ${o.column}, horizon ${horizonHours} h from each midnight`)
  out('                 MAE      RMSE     MAPE      80 % cover  95 % cover')
  for (const [name, s] of [
    ['model', r.model],
    ['seasonal naive', r.seasonalNaive],
  ] as const)
    out(`${name.padEnd(15)}  ${s.mae.toFixed(4)}   ${s.rmse.toFixed(4)}   ${s.mape.toFixed(1).padStart(5)} %   ${(s.coverage80 * 100).toFixed(1).padStart(6)} %    ${(s.coverage95 * 100).toFixed(1).padStart(6)} %`)
  out(`MAE ratio model / seasonal naive: ${r.maeRatio.toFixed(3)} (${((1 - r.maeRatio) * 100).toFixed(1)} % lower)   ${given ? `model: ${given.source} (not trained here)` : `training ${r.trainSeconds.toFixed(0)} s`}`)
}

interface BatteryOptions {
  nasa?: string
  severson?: string
  eolAh?: string
  eolFraction?: string
  ratedAh?: string
  start?: string
  cv?: string
  model?: string
  json?: boolean
}

async function runBattery(o: BatteryOptions): Promise<void> {
  const { evaluateNasa, evaluateSeverson, parseNasaCapacityCsv, parseSeversonCsv } = await import('../models/battery/battery.eval.js')
  if ((o.nasa === undefined) === (o.severson === undefined)) throw new Error('eval battery needs exactly one of --nasa FILE or --severson FILE')
  if (o.severson !== undefined && o.model !== undefined) throw new Error('--severson cross-validates a model per fold; --model goes with --nasa')
  if (o.severson !== undefined) {
    const data = parseSeversonCsv(readText(o.severson))
    const folds = o.cv !== undefined ? (positiveInt('--cv', o.cv) ?? 5) : data.cells.length
    const r = evaluateSeverson(data, folds)
    const fig = (m: { features: number; meanPercentError: number; rmseCycles: number } | null): Record<string, number> | null => (m === null ? null : { features: m.features, meanPercentError: round(m.meanPercentError), rmseCycles: round(m.rmseCycles, 1) })
    if (o.json === true) {
      out(JSON.stringify({ cells: r.cells, folds: r.folds, variance: fig(r.variance), discharge: fig(r.discharge), full: fig(r.full) }))
      return
    }
    out(`Severson cycle life, ${r.cells} cells, early-cycle features (cycles 1–100), ${r.folds === r.cells ? 'leave-one-out' : `${r.folds}-fold`} CV; ridge on log cycle life`)
    for (const [name, m] of [
      ['variance', r.variance],
      ['discharge', r.discharge],
      ['full', r.full],
    ] as const)
      if (m !== null) out(`${name.padEnd(10)} (${String(m.features).padStart(2)} features): mean percent error ${m.meanPercentError.toFixed(1)} %, RMSE ${m.rmseCycles.toFixed(0)} cycles`)
    return
  }
  const ratedAh = positiveNumber('--rated-ah', o.ratedAh) ?? 2
  const fraction = positiveNumber('--eol-fraction', o.eolFraction)
  const eolAh = positiveNumber('--eol-ah', o.eolAh) ?? (fraction !== undefined ? ratedAh * fraction : 1.4)
  const startCycles = (o.start ?? '80,100').split(',').map((s) => {
    const n = positiveInt('--start', s.trim())
    if (n === undefined) throw new Error('--start needs cycle numbers')
    return n
  })
  const given = o.model !== undefined ? await loadEvalModel(o.model, 'battery-capacity-fade') : undefined
  if (given && (o.eolAh !== undefined || o.eolFraction !== undefined || o.ratedAh !== undefined)) throw new Error('--model brings its own rated and end-of-life capacity: --eol-ah, --eol-fraction and --rated-ah go without it')
  const r = evaluateNasa(parseNasaCapacityCsv(readText(o.nasa ?? '')), { startCycles, params: { ratedAh, eolAh }, ...(given ? { model: given.model as CapacityFadeModel } : {}) })
  const f = (v: number): string | number => (Number.isFinite(v) ? round(v, 1) : 'never')
  if (o.json === true) {
    out(
      JSON.stringify({
        eolAh: r.eolAh,
        cells: r.results.map((c) => ({ cell: c.cell, start: c.startCycle, trueRemaining: c.trueRemaining, predicted: f(c.predicted), lower80: f(c.lower80), upper80: f(c.upper80), curveOnly: f(c.curveOnly), soh: round(c.soh, 4), measuredSoh: round(c.measuredSoh, 4) })),
        maeCycles: round(r.maeCycles, 1),
        rmseCycles: round(r.rmseCycles, 1),
        curveOnlyMaeCycles: round(r.curveOnlyMaeCycles, 1),
        coverage80: round(r.coverage80, 3),
        sohMae: round(r.sohMae, 4),
        ...(given ? { model: given.source } : {}),
      }),
    )
    return
  }
  out(given ? `NASA cells, predicted by ${given.source} (not leave-one-cell-out: the cells it was trained on score in-sample), end of life at ${r.eolAh} Ah` : `NASA cells, leave-one-cell-out, end of life at ${r.eolAh} Ah`)
  out('cell   start  true left  predicted  80 % interval     curve only  SOH (fit / measured)')
  for (const c of r.results)
    out(
      `${c.cell.padEnd(6)} ${String(c.startCycle).padStart(5)}  ${(c.trueRemaining === null ? 'censored' : String(c.trueRemaining)).padStart(9)}  ${String(f(c.predicted)).padStart(9)}  ${`[${f(c.lower80)}, ${f(c.upper80)}]`.padEnd(16)}  ${String(f(c.curveOnly)).padStart(10)}  ${c.soh.toFixed(3)} / ${c.measuredSoh.toFixed(3)}`,
    )
  out(`remaining cycles over cells reaching end of life: MAE ${r.maeCycles.toFixed(1)}  RMSE ${r.rmseCycles.toFixed(1)}  (curve alone MAE ${r.curveOnlyMaeCycles.toFixed(1)}); 80 % interval coverage ${(r.coverage80 * 100).toFixed(0)} %; SOH MAE ${r.sohMae.toFixed(4)}`)
}

/** Adds `cmapss`, `forecast` and `battery` under the `eval` command. */
export function registerModelEvalCommands(evalCommand: Command): void {
  evalCommand
    .command('cmapss')
    .description('train the turbofan RUL model on a C-MAPSS train file; predict the last cycle of each test unit (with --rul: RMSE and NASA score), or --cv K cross-validate by unit')
    .option('--train <file>', 'train_FD00x.txt (plain or .gz); not with --model')
    .option('--model <ref>', 'evaluate a registered version (name, name@3, name@production, name@staging) or an artifact file instead of training')
    .option('--test <file>', 'test_FD00x.txt (plain or .gz)')
    .option('--rul <file>', 'RUL_FD00x.txt: true RUL of each test unit')
    .option('--cv <k>', 'K-fold cross-validation by unit on the train file instead of a test file')
    .option('--members <n>', 'ensemble members (default 5)')
    .option('--epochs <n>', 'training epochs per member (default 30)')
    .option('--window <cycles>', 'window length in cycles (default 30)')
    .option('--seed <n>', 'random seed (default 1)')
    .option('--params <json>', 'further model parameters as a JSON object, e.g. \'{"baselineCycles":0}\' (for tuning)')
    .option('--cycles-per-hour <n>', 'also print RUL in hours at this many cycles per hour')
    .option('--json', 'print one JSON line')
    .action((o: CmapssOptions) => runCmapss(o))
  evalCommand
    .command('forecast')
    .description('train the day-ahead load forecaster before a date, forecast every later day walk-forward, and compare with seasonal naive (same hour a week earlier)')
    .requiredOption('--data <file>', 'hourly CSV with a Datetime column (plain or .gz)')
    .requiredOption('--train-until <date>', 'train on data before this date (YYYY-MM-DD)')
    .option('--until <date>', 'ignore data from this date on (to tune on a validation year before the test year)')
    .option('--model <ref>', 'forecast with a registered version (name, name@3, name@production, name@staging) or an artifact file instead of training')
    .option('--horizon <hours>', 'hours forecast from each midnight (1–24)', '24')
    .option('--column <name>', 'target column', 'Global_active_power')
    .option('--members <n>', 'ensemble members (default 8)')
    .option('--epochs <n>', 'training epochs per member (default 20)')
    .option('--bias-days <n>', 'add the median error of the last N days at each hour (drift correction; default off)')
    .addOption(new Option('--scale-from <how>', 'divide loads by the training mean, or by the mean of the 28 days before each forecast').choices(['training', 'history']))
    .option('--json', 'print one JSON line')
    .action((o: ForecastOptions) => runForecast(o))
  evalCommand
    .command('battery')
    .description('battery models: --nasa leave-one-cell-out SOH and cycles to end of life; --severson cross-validated cycle life from early-cycle features')
    .option('--nasa <file>', 'NASA PCoE capacity CSV (battery_id,cycle,capacity_Ah)')
    .option('--severson <file>', 'Severson/beep early-cycle feature CSV')
    .option('--eol-ah <ah>', 'with --nasa: end-of-life capacity (default 1.4 Ah)')
    .option('--eol-fraction <f>', 'with --nasa: end of life as a fraction of --rated-ah instead')
    .option('--rated-ah <ah>', 'with --nasa: rated capacity (default 2 Ah)')
    .option('--start <cycles>', 'with --nasa: comma-separated prediction start cycles', '80,100')
    .option('--cv <k>', 'with --severson: K folds (default leave-one-out)')
    .option('--model <ref>', 'with --nasa: predict with a registered version (name, name@3, name@production, name@staging) or an artifact file instead of leave-one-cell-out training')
    .option('--json', 'print one JSON line')
    .action((o: BatteryOptions) => runBattery(o))
}
