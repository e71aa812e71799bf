import { describe, expect, it } from 'vitest'
import {
  CMAPSS_SENSORS,
  cappedRul,
  conditionOf,
  detectConditionCount,
  fitConditions,
  fitNormaliser,
  groupUnits,
  nasaScore,
  normaliseCycle,
  rmse,
  windowAt,
  windowSummary,
  type TurbofanCycle,
} from './cmapss.features.js'

const REGIMES = [
  [0, 0, 100],
  [10, 0.25, 100],
  [20, 0.7, 100],
  [25, 0.62, 60],
  [35, 0.84, 100],
  [42, 0.84, 100],
]

/** A cycle in regime r whose sensors read base(r) + offset (the same offset on all 21). */
function cycle(unit: number, c: number, r: number, offset: number, jitter = 0): TurbofanCycle {
  const s = REGIMES[r] ?? [0, 0, 100]
  return { unit, cycle: c, settings: [(s[0] ?? 0) + jitter * 0.001, (s[1] ?? 0) + jitter * 0.0001, s[2] ?? 0], sensors: Array.from({ length: 21 }, (_, i) => 100 * (r + 1) + i + offset) }
}

describe('label cap', () => {
  it.each([
    [1, 200, 125, 125],
    [75, 200, 125, 125],
    [76, 200, 125, 124],
    [200, 200, 125, 0],
    [10, 50, 125, 40],
    [10, 50, 30, 30],
  ])('cycle %i of %i, cap %i → %i', (c, last, cap, want) => {
    expect(cappedRul(c, last, cap)).toBe(want)
  })
})

describe('groupUnits', () => {
  it('groups by unit and orders cycles', () => {
    const rows = [cycle(2, 2, 0, 0), cycle(1, 1, 0, 0), cycle(2, 1, 0, 0)]
    const g = groupUnits(rows)
    expect([...g.keys()]).toEqual([2, 1])
    expect(g.get(2)?.map((r) => r.cycle)).toEqual([1, 2])
  })
})

describe('operating conditions', () => {
  const rows: TurbofanCycle[] = []
  for (let i = 0; i < 600; i++) rows.push(cycle(1, i + 1, i % 6, 0, (i % 7) - 3))

  it('detects six regimes when altitude varies, one when it does not', () => {
    expect(detectConditionCount(rows)).toBe(6)
    const model = fitConditions(rows, 6)
    const one = rows.filter((r) => conditionOf(model, r.settings) === conditionOf(model, rows[0]?.settings ?? []))
    expect(one.length).toBe(100)
    expect(detectConditionCount(one)).toBe(1)
  })

  it('k-means recovers the six regimes: rows of one regime share a cluster, different regimes do not', () => {
    const model = fitConditions(rows, 6)
    const byRegime = new Map<number, Set<number>>()
    rows.forEach((r, i) => {
      const set = byRegime.get(i % 6) ?? new Set<number>()
      set.add(conditionOf(model, r.settings))
      byRegime.set(i % 6, set)
    })
    const labels = [...byRegime.values()].map((s) => {
      expect(s.size).toBe(1)
      return [...s][0]
    })
    expect(new Set(labels).size).toBe(6)
  })

  it('normalises each sensor within its regime: the regime offset disappears', () => {
    // Same degradation offsets in every regime: after normalisation the regimes are indistinguishable.
    const data: TurbofanCycle[] = []
    for (let i = 0; i < 600; i++) data.push(cycle(1, i + 1, i % 6, (Math.floor(i / 6) % 5) - 2))
    const norm = fitNormaliser(data, fitConditions(data, 6))
    const a = normaliseCycle(norm, cycle(9, 1, 0, 2))
    const b = normaliseCycle(norm, cycle(9, 1, 5, 2))
    expect(a).toHaveLength(CMAPSS_SENSORS.length)
    a.forEach((v, j) => expect(v).toBeCloseTo(b[j] ?? NaN, 9))
    // offsets −2..2 uniformly: mean 0, population std √2
    expect(a[0]).toBeCloseTo(2 / Math.SQRT2, 6)
    expect(normaliseCycle(norm, cycle(9, 1, 3, 0))[4]).toBeCloseTo(0, 9)
  })
})

describe('windows', () => {
  const cycles = [[1, 10], [2, 20], [3, 30], [4, 40]]

  it('takes the last N cycles time-major', () => {
    expect(windowAt(cycles, 3, 2)).toEqual([3, 30, 4, 40])
  })

  it('pads a short history at the front with its first cycle', () => {
    expect(windowAt(cycles, 1, 4)).toEqual([1, 10, 1, 10, 1, 10, 2, 20])
  })

  it('summarises a ramp: recent mean, mean, slope × length, std and drift from the start', () => {
    const ramp = Array.from({ length: 40 }, (_, t) => [t, 5])
    const s = windowSummary(ramp, 39, 10, 5, 3)
    // window = cycles 30..39; recent = 35..39
    expect(s[0]).toBeCloseTo(37, 9)
    expect(s[1]).toBeCloseTo(34.5, 9)
    expect(s[2]).toBeCloseTo(10, 9)
    expect(s[3]).toBeCloseTo(Math.sqrt(8.25), 9)
    expect(s[4]).toBeCloseTo(37 - 1, 9) // baseline = mean of cycles 0..2 = 1
    expect(s.slice(5)).toEqual([5, 5, 0, 0, 0])
  })

  it('uses only cycles up to the end for the baseline (no look-ahead)', () => {
    const ramp = Array.from({ length: 40 }, (_, t) => [t])
    expect(windowSummary(ramp, 1, 4, 2, 20)[4]).toBeCloseTo(0.5 - 0.5, 9)
  })
})

describe('scores', () => {
  it('RMSE', () => {
    expect(rmse([10, 20], [13, 16])).toBeCloseTo(Math.sqrt((9 + 16) / 2), 12)
  })

  it('NASA score, computed by hand: late costs exp(d/10) − 1, early exp(−d/13) − 1', () => {
    // d = +10 → e − 1 = 1.718281828; d = −13 → e − 1; d = 0 → 0; d = +20 → e² − 1 = 6.389056099
    expect(nasaScore([50, 50, 50, 50], [60, 37, 50, 70])).toBeCloseTo(1.718281828 * 2 + 6.389056099, 6)
    // asymmetry: 10 cycles late costs more than 10 early
    expect(nasaScore([50], [60])).toBeGreaterThan(nasaScore([50], [40]))
  })
})
