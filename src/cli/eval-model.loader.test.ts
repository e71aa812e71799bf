/**
 * `--model` on the eval commands: a registered version (by number, or production) or an artifact
 * file is evaluated as it is, instead of a model trained in place.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { sharedData } from '../../test/helpers/data.js'
import { evalCli } from '../../test/helpers/eval.js'
import { evaluateForecast, parseHourlyCsv } from '../models/forecast/forecast.eval.js'
import type { LoadForecastModel } from '../models/forecast/load-forecast.model.js'
import { CmapssRulModel } from '../models/rul/cmapss-rul.model.js'
import { groupUnits } from '../models/rul/cmapss.features.js'
import { tfjsTrainer } from '../models/runtime/tfjs.trainer.js'
import { RUNTIMES } from '../models/runtime/index.js'
import { ExperimentService } from '../registry/experiments.service.js'
import { trainPrognostic, type PrognosticTrainer } from '../registry/prognostic.training.js'
import { RegistryService } from '../registry/registry.service.js'
import { parseCmapss } from '../sim/cmapss.replay.js'
import { openDuckDbStores } from '../store/duckdb/open.js'
import { FsArtifactStore } from '../store/fs/artifact.store.js'
import { readText } from './eval-models.commands.js'

const dir = mkdtempSync(join(tmpdir(), 'prognos-eval-model-'))
const saved = process.env.PROGNOS_DATA_DIR
afterAll(() => {
  if (saved === undefined) delete process.env.PROGNOS_DATA_DIR
  else process.env.PROGNOS_DATA_DIR = saved
  rmSync(dir, { recursive: true, force: true })
})

const NASA = (): string => sharedData('battery_nasa/nasa_pcoe_capacity_B0005_B0006_B0007_B0018.csv')

describe('prognos eval --model', () => {
  it('battery --nasa evaluates a registered version, by number or production, without training', async () => {
    const data = join(dir, 'store')
    const stores = await openDuckDbStores({ dataDir: data })
    try {
      const reg = new RegistryService(stores.registry, new FsArtifactStore(join(data, 'artifacts')), RUNTIMES, stores.predictions)
      // A version trained for another end of life than the NASA default: --model must use its own.
      const r = await new ExperimentService(reg).train('default', { model: 'cells', family: 'battery-capacity-fade', params: { eolAh: 1.5 }, data: { format: 'nasa-battery', csv: NASA() } }, { actor: 'test', promote: true })
      expect(r.promoted).toBe(true)
    } finally {
      await stores.close()
    }
    process.env.PROGNOS_DATA_DIR = data
    const byNumber = JSON.parse(await evalCli(['battery', '--nasa', NASA(), '--model', 'cells@1', '--json'])) as { eolAh: number; model: string; cells: { predicted: number | string }[] }
    expect(byNumber.model).toBe('cells version 1')
    expect(byNumber.eolAh).toBe(1.5)
    expect(byNumber.cells.length).toBeGreaterThan(0)
    const byAlias = JSON.parse(await evalCli(['battery', '--nasa', NASA(), '--model', 'cells', '--json'])) as typeof byNumber
    expect(byAlias.cells).toEqual(byNumber.cells)
    // Trained in place (leave-one-cell-out, default 1.4 Ah), the answer differs.
    const trained = JSON.parse(await evalCli(['battery', '--nasa', NASA(), '--json'])) as typeof byNumber
    expect(trained.eolAh).toBe(1.4)
    expect(trained.model).toBeUndefined()
    await expect(evalCli(['battery', '--nasa', NASA(), '--model', 'cells@7', '--json'])).rejects.toThrow(/version/i)
    await expect(evalCli(['battery', '--nasa', NASA(), '--model', 'nothing-here', '--json'])).rejects.toThrow(/nothing-here/)
  })

  it('forecast evaluates a registered version as it is: its figures are that model\'s, not a model trained in place', async () => {
    // 70 days of household power: a version trained on it (5 days held out), then the last 15 days walked forward.
    const csv = join(dir, 'power.csv')
    writeFileSync(csv, readText(sharedData('household_power/household_power_consumption_hourly.csv')).split('\n').slice(0, 1 + 24 * 70).join('\n'))
    const data = join(dir, 'store-forecast')
    const stores = await openDuckDbStores({ dataDir: data })
    let trained: LoadForecastModel | undefined
    // The registry's own trainer, keeping hold of the model it registers.
    const keep: PrognosticTrainer = async (...args) => {
      const t = await trainPrognostic(...args)
      trained = t.model as LoadForecastModel
      return t
    }
    try {
      const reg = new RegistryService(stores.registry, new FsArtifactStore(join(data, 'artifacts')), RUNTIMES, stores.predictions)
      const spec = { model: 'load', family: 'load-forecast-mlp', params: { members: 1, epochs: 2, seed: 7 }, data: { format: 'hourly-load', csv, holdoutDays: 5 } }
      const r = await new ExperimentService(reg).train('default', spec as never, { actor: 'test', promote: true, trainer: keep })
      expect(r.promoted).toBe(true)
      await new ExperimentService(reg).train('default', { model: 'cells', family: 'battery-capacity-fade', data: { format: 'nasa-battery', csv: NASA() } }, { actor: 'test' })
    } finally {
      await stores.close()
    }
    process.env.PROGNOS_DATA_DIR = data
    type Out = { days: number; model: { mae: number; rmse: number; coverage80: number }; seasonalNaive: { mae: number }; maeRatio: number; modelSource?: string; trainSeconds?: number }
    const args = ['forecast', '--data', csv, '--train-until', '2007-02-10', '--json']
    const byNumber = JSON.parse(await evalCli([...args, '--model', 'load@1'])) as Out
    expect(byNumber.modelSource).toBe('load version 1')
    expect(byNumber.trainSeconds).toBeUndefined()
    expect(byNumber.days).toBeGreaterThan(10)
    // The registered model itself, walked forward over the same days.
    const want = await evaluateForecast({ points: parseHourlyCsv(readText(csv), 'Global_active_power'), trainUntilTs: Date.parse('2007-02-10T00:00:00Z'), trainer: tfjsTrainer, model: trained! })
    expect(byNumber.days).toBe(want.days)
    expect(byNumber.model.mae).toBeCloseTo(want.model.mae, 4)
    expect(byNumber.model.rmse).toBeCloseTo(want.model.rmse, 4)
    expect(byNumber.maeRatio).toBeCloseTo(want.maeRatio, 4)
    const byAlias = JSON.parse(await evalCli([...args, '--model', 'load@production'])) as Out
    expect(byAlias.model).toEqual(byNumber.model)
    // Trained in place with other settings, the figures differ; seasonal naive does not depend on the model.
    const inPlace = JSON.parse(await evalCli([...args, '--members', '1', '--epochs', '1'])) as Out
    expect(inPlace.modelSource).toBeUndefined()
    expect(inPlace.seasonalNaive.mae).toBe(byNumber.seasonalNaive.mae)
    expect(inPlace.model.mae).not.toBe(byNumber.model.mae)
    // A version of another family is refused, naming both.
    await expect(evalCli([...args, '--model', 'cells@1'])).rejects.toThrow(/'battery-capacity-fade' model; this evaluation needs a 'load-forecast-mlp' model/)
  }, 120_000)

  it('cmapss evaluates an artifact file: the printed RULs are the predictions of that model, and a model of another family is refused', async () => {
    const all = parseCmapss(readText(sharedData('cmapss/train_FD001.txt.gz')))
    const model = new CmapssRulModel({ members: 1, epochs: 2 }).withTrainer(tfjsTrainer)
    await model.fit([...groupUnits(all.filter((c) => c.unit <= 10)).values()])
    const artifact = join(dir, 'rul.json')
    writeFileSync(artifact, JSON.stringify(model.toJSON()))
    const testLines = readText(sharedData('cmapss/test_FD001.txt.gz')).split('\n').filter((l) => l.trim() !== '' && Number(l.trim().split(/\s+/)[0]) <= 3)
    const test = join(dir, 'test.txt')
    writeFileSync(test, testLines.join('\n'))
    const r = JSON.parse(await evalCli(['cmapss', '--model', artifact, '--test', test, '--json'])) as { units: { unit: number; rul: number }[]; model: string; trainSeconds?: number }
    expect(r.model).toBe(artifact)
    expect(r.trainSeconds).toBeUndefined()
    const units = [...groupUnits(parseCmapss(testLines.join('\n'))).entries()].sort((a, b) => a[0] - b[0])
    expect(r.units.map((u) => u.unit)).toEqual([1, 2, 3])
    units.forEach(([, cycles], i) => expect(r.units[i]!.rul).toBeCloseTo(model.predict(cycles).rulCycles, 1))

    const wrong = join(dir, 'battery.json')
    // Refused on its family, before anything is restored.
    writeFileSync(wrong, JSON.stringify({ family: 'battery-capacity-fade', formatVersion: 1, params: {}, state: {} }))
    await expect(evalCli(['cmapss', '--model', wrong, '--test', test, '--json'])).rejects.toThrow(/'battery-capacity-fade' model; this evaluation needs a 'cmapss-rul-tcn' model/)
    await expect(evalCli(['cmapss', '--model', artifact, '--cv', '3', '--json'])).rejects.toThrow(/--cv/)
  }, 120_000)
})
