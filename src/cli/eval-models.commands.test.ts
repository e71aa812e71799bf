import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { sharedData } from '../../test/helpers/data.js'
import { evalCli } from '../../test/helpers/eval.js'
import { readText } from './eval-models.commands.js'

const dir = mkdtempSync(join(tmpdir(), 'prognos-eval-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The first `units` units of a C-MAPSS file, written gzipped (and the RUL file's first lines, plain). */
function subset(file: string, units: number, name: string): string {
  const lines = readText(sharedData(`cmapss/${file}`)).split('\n').filter((l) => l.trim() !== '' && Number(l.trim().split(/\s+/)[0]) <= units)
  const path = join(dir, name)
  writeFileSync(path, name.endsWith('.gz') ? gzipSync(lines.join('\n')) : lines.join('\n'))
  return path
}

describe('prognos eval cmapss', () => {
  it('trains on a few units and prints one JSON line: a prediction per test unit, RMSE and NASA score', async () => {
    const train = subset('train_FD001.txt.gz', 8, 'train.txt.gz')
    const test = subset('test_FD001.txt.gz', 4, 'test.txt')
    const rul = join(dir, 'rul.txt')
    writeFileSync(rul, readText(sharedData('cmapss/RUL_FD001.txt.gz')).split('\n').slice(0, 4).join('\n'))
    const stdout = await evalCli(['cmapss', '--train', train, '--test', test, '--rul', rul, '--members', '2', '--epochs', '3', '--cycles-per-hour', '0.5', '--json'])
    const lines = stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    const r = JSON.parse(lines[0] ?? '') as { units: { unit: number; rul: number; lower80: number; upper80: number; rulHours: number; trueRul: number }[]; rmse: number; score: number }
    expect(r.units.map((u) => u.unit)).toEqual([1, 2, 3, 4])
    expect(r.units.map((u) => u.trueRul)).toEqual([112, 98, 69, 82])
    for (const u of r.units) {
      expect(u.rul).toBeGreaterThanOrEqual(0)
      expect(u.rul).toBeLessThanOrEqual(125)
      expect(u.lower80).toBeLessThanOrEqual(u.upper80)
      expect(u.rulHours).toBeCloseTo(u.rul / 0.5, 1)
    }
    expect(r.rmse).toBeGreaterThan(0)
    expect(r.rmse).toBeLessThan(100)
    expect(r.score).toBeGreaterThan(0)
  })

  it('cross-validates by unit with --cv', async () => {
    const train = subset('train_FD001.txt.gz', 6, 'cv.txt')
    const r = JSON.parse(await evalCli(['cmapss', '--train', train, '--cv', '2', '--members', '1', '--epochs', '2', '--json'])) as { folds: number; points: number; rmse: number; perFold: unknown[] }
    expect(r.folds).toBe(2)
    expect(r.points).toBe(6 * 5)
    expect(r.perFold).toHaveLength(2)
    expect(r.rmse).toBeGreaterThan(0)
  })

  it('refuses a run without --test or --cv, and bad numbers', async () => {
    const train = subset('train_FD001.txt.gz', 2, 'small.txt')
    await expect(evalCli(['cmapss', '--train', train])).rejects.toThrow(/--test/)
    await expect(evalCli(['cmapss', '--train', train, '--cv', 'x'])).rejects.toThrow(/--cv must be a positive integer/)
  })
})

describe('prognos eval battery', () => {
  it('prints the NASA leave-one-cell-out figures as JSON', async () => {
    const r = JSON.parse(await evalCli(['battery', '--nasa', sharedData('battery_nasa/nasa_pcoe_capacity_B0005_B0006_B0007_B0018.csv'), '--json'])) as { eolAh: number; cells: unknown[]; maeCycles: number }
    expect(r.eolAh).toBe(1.4)
    expect(r.cells.length).toBeGreaterThan(4)
    expect(r.maeCycles).toBeGreaterThan(0)
  })

  it('takes the end of life as a fraction of rated capacity', async () => {
    const r = JSON.parse(await evalCli(['battery', '--nasa', sharedData('battery_nasa/nasa_pcoe_capacity_B0005_B0006_B0007_B0018.csv'), '--eol-fraction', '0.75', '--json'])) as { eolAh: number }
    expect(r.eolAh).toBeCloseTo(1.5, 9)
  })

  it('prints Severson cross-validated percent errors', async () => {
    const r = JSON.parse(await evalCli(['battery', '--severson', sharedData('battery_severson_beep_subset/beep_severson_full_model_features.csv'), '--cv', '4', '--json'])) as { cells: number; folds: number; discharge: { meanPercentError: number } }
    expect(r.cells).toBe(32)
    expect(r.folds).toBe(4)
    expect(r.discharge.meanPercentError).toBeGreaterThan(1)
    expect(r.discharge.meanPercentError).toBeLessThan(40)
  })

  it('needs exactly one data set', async () => {
    await expect(evalCli(['battery'])).rejects.toThrow(/exactly one/)
  })
})

describe('prognos eval forecast', () => {
  it('walks forward over the last days of a short slice and compares with seasonal naive', async () => {
    const text = readText(sharedData('household_power/household_power_consumption_hourly.csv')).split('\n')
    const path = join(dir, 'power.csv')
    writeFileSync(path, text.slice(0, 1 + 24 * 70).join('\n'))
    const r = JSON.parse(await evalCli(['forecast', '--data', path, '--train-until', '2007-02-10', '--members', '1', '--epochs', '2', '--json'])) as {
      days: number
      model: { mae: number; coverage80: number }
      seasonalNaive: { mae: number }
      maeRatio: number
    }
    expect(r.days).toBeGreaterThan(10)
    expect(r.model.mae).toBeGreaterThan(0)
    expect(r.maeRatio).toBeCloseTo(r.model.mae / r.seasonalNaive.mae, 2)
    expect(r.model.coverage80).toBeGreaterThan(0)
  })
})
