import { describe, expect, it } from 'vitest'
import { errorMetrics, fillCausal, FORECAST_FEATURE_COUNT, forecastFeatures, HOUR_MS, toHourlyGrid } from './load.features.js'

describe('hourly grid', () => {
  it('averages points within an hour and leaves missing hours as NaN', () => {
    const t0 = Date.UTC(2008, 0, 1)
    const g = toHourlyGrid([
      { ts: t0, value: 1 },
      { ts: t0 + 60_000, value: 3 },
      { ts: t0 + 2 * HOUR_MS, value: 5 },
    ])
    expect(g.startTs).toBe(t0)
    expect(g.values[0]).toBe(2)
    expect(g.values[1]).toBeNaN()
    expect(g.values[2]).toBe(5)
  })

  it('fills gaps causally: a week earlier when known, else the last value', () => {
    const v = Array.from({ length: 200 }, (_, i) => i)
    v[3] = NaN
    v[180] = NaN
    const f = fillCausal(v, -1)
    expect(f[3]).toBe(2)
    expect(f[180]).toBe(12)
    expect(fillCausal([NaN, 4], 7)).toEqual([7, 4])
  })
})

describe('forecast features', () => {
  it('puts yesterday, the same hour last week and the calendar where documented', () => {
    const start = Date.UTC(2008, 0, 7) // a Monday, 00:00
    const values = Array.from({ length: 40 * 24 }, (_, i) => i)
    const issue = 35 * 24 // a midnight
    const f = forecastFeatures(values, start, issue, 5)
    expect(f).toHaveLength(FORECAST_FEATURE_COUNT)
    expect(f.slice(0, 24)).toEqual(Array.from({ length: 24 }, (_, k) => issue - 24 + k))
    const target = issue + 5
    expect(f[24]).toBe(target - 168)
    expect(f[25]).toBe(target - 24 - 3 * 24) // mean of target − 24·d, d = 1..7
    expect(f[28]).toBe(target - 168 * 2.5) // same weekday, 4 weeks
    expect(f[29]).toBe(target - 24 * 4) // 7-day median
    expect(f[30]).toBe(issue - 12.5) // mean of the last day
    const hourOneHot = f.slice(31, 55)
    expect(hourOneHot.indexOf(1)).toBe(5)
    const weekday = f.slice(55, 62)
    expect(weekday.indexOf(1)).toBe(new Date(start + target * HOUR_MS).getUTCDay())
  })

  it('never reads the hours being forecast', () => {
    const values = Array.from({ length: 40 * 24 }, () => 1)
    const issue = 36 * 24
    const a = forecastFeatures(values, 0, issue, 23)
    for (let i = issue; i < values.length; i++) values[i] = 1000
    expect(forecastFeatures(values, 0, issue, 23)).toEqual(a)
  })
})

describe('error metrics', () => {
  it('MAE, RMSE and MAPE by hand', () => {
    const m = errorMetrics([1, 2, 4], [2, 2, 1])
    expect(m.mae).toBeCloseTo(4 / 3, 12)
    expect(m.rmse).toBeCloseTo(Math.sqrt(10 / 3), 12)
    expect(m.mape).toBeCloseTo(((1 + 0 + 0.75) / 3) * 100, 12)
  })
})
