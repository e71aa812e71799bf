import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { sharedData } from '../../../test/helpers/data.js'
import { ModelFormatError } from '../errors.js'
import { evaluateNasa, evaluateSeverson, parseNasaCapacityCsv, parseSeversonCsv } from './battery.eval.js'
import { CapacityFadeModel, capacityFadeFamily, eolFromFraction, fitExponential, trueEolCycle } from './capacity-fade.model.js'
import { CycleLifeModel, cycleLifeFamily, solve } from './cycle-life.model.js'
import { BatteryDataError } from './errors.js'

describe('capacity fade', () => {
  it('recovers an exact exponential', () => {
    const cap = Array.from({ length: 50 }, (_, i) => 2 * Math.exp(-0.004 * (i + 1)))
    const f = fitExponential(cap, 1, 50)
    expect(f.a).toBeCloseTo(2, 9)
    expect(f.b).toBeCloseTo(-0.004, 12)
  })

  it('finds the first cycle at end of life and converts a fraction of rated capacity', () => {
    expect(trueEolCycle([1.9, 1.5, 1.41, 1.4, 1.3], 1.4)).toBe(4)
    expect(trueEolCycle([1.9, 1.5], 1.4)).toBeUndefined()
    expect(eolFromFraction(2, 0.7)).toBeCloseTo(1.4, 12)
    expect(() => eolFromFraction(2, 1.2)).toThrow(BatteryDataError)
  })

  it('on noiseless exponential cells the curve is exact, so the learned correction is ~0', () => {
    const cell = (rate: number): { capacityAh: number[] } => ({ capacityAh: Array.from({ length: 200 }, (_, i) => 2 * Math.exp(-rate * (i + 1))) })
    const m = new CapacityFadeModel({ fitCycles: 0 })
    m.fit([cell(0.003), cell(0.004), cell(0.005)])
    const test = cell(0.0035).capacityAh
    const out = m.predict({ capacityAh: test.slice(0, 60) })
    const eol = Math.log(0.7) / -0.0035 // cycle where 2·e^(−rk) = 1.4
    expect(out.curveRemainingCycles).toBeCloseTo(eol - 60, 6)
    expect(Math.abs(out.remainingCycles - (eol - 60))).toBeLessThan(1.5)
    expect(out.soh).toBeCloseTo(test[59]! / 2, 9)
    const restored = capacityFadeFamily.fromJSON(JSON.parse(JSON.stringify(m.toJSON())))
    expect(restored.predict({ capacityAh: test.slice(0, 60) })).toEqual(out)
    expect(() => capacityFadeFamily.fromJSON({ family: 'x', formatVersion: 1, params: {}, state: {} })).toThrow(ModelFormatError)
  })

  it('golden: NASA leave-one-cell-out from cycles 80 and 100 (figures recorded when the model was built)', () => {
    const cells = parseNasaCapacityCsv(readFileSync(sharedData('battery_nasa/nasa_pcoe_capacity_B0005_B0006_B0007_B0018.csv'), 'utf8'))
    expect(cells.map((c) => [c.cell, c.capacityAh.length])).toEqual([
      ['B0005', 168],
      ['B0006', 168],
      ['B0007', 168],
      ['B0018', 132],
    ])
    const r = evaluateNasa(cells)
    expect(r.results).toHaveLength(7) // B0006@100 and B0018@100 are past or near EOL: B0018 ends at 97
    expect(r.results.filter((x) => x.trueRemaining === null).map((x) => x.cell)).toEqual(['B0007', 'B0007'])
    expect(r.maeCycles).toBeCloseTo(7.7, 0)
    expect(r.sohMae).toBeLessThan(0.01)
  })
})

describe('cycle life', () => {
  it('solves a small linear system', () => {
    const x = solve(
      [
        [4, 1],
        [1, 3],
      ],
      [1, 2],
    )
    expect(x[0]).toBeCloseTo(1 / 11, 12)
    expect(x[1]).toBeCloseTo(7 / 11, 12)
  })

  it('recovers a log-linear law from synthetic cells', () => {
    const cells = Array.from({ length: 30 }, (_, i) => {
      const a = Math.sin(i * 1.3)
      const b = Math.cos(i * 0.7)
      return { features: [a, b, (i % 5) / 5], cycleLife: Math.exp(6.5 + 0.4 * a - 0.2 * b) }
    })
    const m = new CycleLifeModel({ featureNames: ['a', 'b', 'noise'], lambdas: [0.001, 0.01] })
    m.fit(cells.slice(0, 25))
    for (const c of cells.slice(25)) expect(Math.abs(m.predict(c) / (c.cycleLife ?? 1) - 1)).toBeLessThan(0.02)
    expect(cycleLifeFamily.fromJSON(JSON.parse(JSON.stringify(m.toJSON()))).predict(cells[0]!)).toBeCloseTo(m.predict(cells[0]!), 9)
    expect(() => m.fit(cells.slice(0, 2))).toThrow(BatteryDataError)
  })

  it('golden: Severson leave-one-out on the 32 labelled cells (figures recorded when the model was built)', () => {
    const data = parseSeversonCsv(readFileSync(sharedData('battery_severson_beep_subset/beep_severson_full_model_features.csv'), 'utf8'))
    expect(data.cells).toHaveLength(32)
    const r = evaluateSeverson(data, 32)
    expect(r.discharge?.meanPercentError).toBeCloseTo(11.2, 0)
    expect(r.variance?.meanPercentError).toBeCloseTo(13.6, 0)
    expect(r.full.features).toBe(20)
  })
})

describe('catalogue', () => {
  it('registers the prognostic families so the registry can restore them', async () => {
    const { families } = await import('../families.js')
    await import('../rul/cmapss-rul.model.js')
    await import('../forecast/load-forecast.model.js')
    for (const name of ['battery-capacity-fade', 'battery-cycle-life-ridge', 'cmapss-rul-tcn', 'load-forecast-mlp']) expect(families.has(name)).toBe(true)
    const m = new CapacityFadeModel()
    m.fit([{ capacityAh: Array.from({ length: 100 }, (_, i) => 2 - 0.007 * i) }])
    expect(families.fromJSON(m.toJSON()).family).toBe('battery-capacity-fade')
  })
})
