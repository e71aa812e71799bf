import { describe, expect, it } from 'vitest'
import { ModelFormatError } from '../errors.js'
import { tfjsTrainer } from '../runtime/tfjs.trainer.js'
import { CmapssRulModel, cmapssRulFamily, quantile, residualBands, rulToHours, type TurbofanHistory } from './cmapss-rul.model.js'
import { RulModelNotFittedError, RulTrainerMissingError } from './errors.js'

/** Synthetic run-to-failure units: sensors drift exponentially towards failure, with seeded noise. */
function syntheticUnits(count: number, seed: number): TurbofanHistory[] {
  let s = seed
  const rand = (): number => {
    s = (s * 16807) % 2147483647
    return s / 2147483647
  }
  return Array.from({ length: count }, (_, u) => {
    const life = 80 + Math.floor(rand() * 80)
    return Array.from({ length: life }, (_, t) => {
      const wear = Math.exp((t - life) / 25)
      return { unit: u + 1, cycle: t + 1, settings: [0, 0, 100], sensors: Array.from({ length: 21 }, (_, i) => 500 + i + (i % 3 === 0 ? 1 : -1) * 5 * wear + (rand() - 0.5) * 0.3) }
    })
  })
}

const SMALL = { members: 2, epochs: 8, windowCycles: 10, baselineCycles: 10, dense: [16], batchSize: 64, learningRate: 0.005 }

describe('C-MAPSS RUL model', () => {
  it('refuses to fit without a trainer and to predict before fitting', async () => {
    const m = new CmapssRulModel(SMALL)
    await expect(m.fit(syntheticUnits(3, 1))).rejects.toBeInstanceOf(RulTrainerMissingError)
    expect(() => m.predict(syntheticUnits(1, 1)[0] ?? [])).toThrow(RulModelNotFittedError)
  })

  it('learns synthetic wear: near-failure units get low RUL, fresh ones high; intervals bracket; JSON round-trips exactly', async () => {
    const m = new CmapssRulModel(SMALL).withTrainer(tfjsTrainer)
    await m.fit(syntheticUnits(12, 3))
    const test = syntheticUnits(4, 99)
    for (const u of test) {
      const near = m.predict(u.slice(0, u.length - 5))
      const early = m.predict(u.slice(0, 25))
      // true (capped) RUL: 5 near the end, min(life − 25, 125) early on
      expect(Math.abs(near.rulCycles - 5)).toBeLessThan(30)
      expect(Math.abs(early.rulCycles - Math.min(u.length - 25, 125))).toBeLessThan(40)
      expect(early.rulCycles).toBeGreaterThan(near.rulCycles + 20)
      expect(near.rulCycles).toBeGreaterThanOrEqual(0)
      expect(early.rulCycles).toBeLessThanOrEqual(125)
      for (const o of [near, early]) {
        expect(o.lower95Cycles).toBeLessThanOrEqual(o.lower80Cycles)
        expect(o.lower80Cycles).toBeLessThanOrEqual(o.rulCycles + 1e-9)
        expect(o.upper80Cycles).toBeGreaterThanOrEqual(o.rulCycles - 1e-9)
        expect(o.upper95Cycles).toBeGreaterThanOrEqual(o.upper80Cycles)
      }
    }
    const restored = cmapssRulFamily.fromJSON(JSON.parse(JSON.stringify(m.toJSON())))
    const u = test[0] ?? []
    expect(restored.predict(u)).toEqual(m.predict(u))
    expect(m.describe().kind).toBe('rul')
  })

  it('rejects a serialized model of another family or without state', () => {
    expect(() => cmapssRulFamily.fromJSON({ family: 'mad', formatVersion: 1, params: {}, state: {} })).toThrow(ModelFormatError)
    expect(() => cmapssRulFamily.fromJSON({ family: 'cmapss-rul-tcn', formatVersion: 1, params: {}, state: { members: [] } })).toThrow(ModelFormatError)
  })
})

describe('intervals and units', () => {
  it('quantile interpolates', () => {
    expect(quantile([0, 10, 20, 30], 0.5)).toBe(15)
    expect(quantile([0, 10, 20, 30], 0)).toBe(0)
    expect(quantile([0, 10, 20, 30], 1)).toBe(30)
  })

  it('residual bands take quantiles per band of predicted RUL', () => {
    const res = [
      ...Array.from({ length: 100 }, (_, i) => ({ pred: 20, resid: i / 10 - 5 })),
      ...Array.from({ length: 100 }, (_, i) => ({ pred: 100, resid: i - 50 })),
    ]
    const bands = residualBands(res, 125)
    expect(bands[0]?.q10).toBeCloseTo(quantile(Array.from({ length: 100 }, (_, i) => i / 10 - 5), 0.1), 9)
    expect(bands[2]?.q90).toBeCloseTo(quantile(Array.from({ length: 100 }, (_, i) => i - 50), 0.9), 9)
    expect(bands[2]?.upToCycles).toBe(125)
  })

  it('converts cycles to hours per asset', () => {
    const h = rulToHours({ rulCycles: 60, lower80Cycles: 30, upper80Cycles: 90, lower95Cycles: 15, upper95Cycles: 120, spreadCycles: 3 }, 0.5)
    expect(h).toEqual({ rulHours: 120, lower80Hours: 60, upper80Hours: 180, lower95Hours: 30, upper95Hours: 240 })
    expect(() => rulToHours({ rulCycles: 1, lower80Cycles: 1, upper80Cycles: 1, lower95Cycles: 1, upper95Cycles: 1, spreadCycles: 0 }, 0)).toThrow()
  })
})
