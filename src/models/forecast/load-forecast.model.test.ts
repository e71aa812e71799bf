import { describe, expect, it } from 'vitest'
import { tfjsTrainer } from '../runtime/tfjs.trainer.js'
import { ForecastInputError, ForecastTrainerMissingError } from './errors.js'
import { evaluateForecast, parseHourlyCsv } from './forecast.eval.js'
import { LoadForecastModel, loadForecastFamily } from './load-forecast.model.js'
import { HOUR_MS } from './load.features.js'

/** 120 days of a daily load shape with a weekend bump and seeded noise. */
function synthetic(): { ts: number; value: number }[] {
  const start = Date.UTC(2008, 0, 7)
  let s = 11
  const rand = (): number => {
    s = (s * 16807) % 2147483647
    return s / 2147483647
  }
  return Array.from({ length: 120 * 24 }, (_, i) => {
    const ts = start + i * HOUR_MS
    const d = new Date(ts)
    const base = 1 + Math.sin((Math.PI * d.getUTCHours()) / 12) * 0.8 + (d.getUTCDay() % 6 === 0 ? 0.5 : 0)
    return { ts, value: Math.max(0.05, base + (rand() - 0.5) * 0.6) }
  })
}

describe('load forecaster', () => {
  it('needs a trainer and a day-ahead horizon', async () => {
    await expect(new LoadForecastModel().fit([{ history: { startTs: 0, values: [1] } }])).rejects.toBeInstanceOf(ForecastTrainerMissingError)
    expect(() => new LoadForecastModel({ horizonHours: 48 })).toThrow(ForecastInputError)
  })

  it('beats seasonal naive on a noisy daily shape walk-forward, with sane intervals; JSON round-trips', async () => {
    const points = synthetic()
    const trainUntilTs = (points[0]?.ts ?? 0) + 90 * 24 * HOUR_MS
    const r = await evaluateForecast({ points, trainUntilTs, params: { members: 1, epochs: 6, residualDays: 30 }, trainer: tfjsTrainer })
    expect(r.days).toBe(30)
    expect(r.hours).toBe(30 * 24)
    expect(r.maeRatio).toBeLessThan(0.95)
    expect(r.model.coverage80).toBeGreaterThan(0.6)
    expect(r.model.coverage95).toBeGreaterThanOrEqual(r.model.coverage80)
    expect(r.model.mae).toBeGreaterThan(0)

    const m = new LoadForecastModel({ members: 1, epochs: 2 }).withTrainer(tfjsTrainer)
    const values = points.slice(0, 60 * 24).map((p) => p.value)
    await m.fit([{ history: { startTs: points[0]?.ts ?? 0, values } }])
    const input = { history: { startTs: points[0]?.ts ?? 0, values } }
    const fc = m.predict(input)
    expect(fc.mean).toHaveLength(24)
    // Empirical error quantiles: nested, though a biased model may put the forecast outside its 80 % band.
    fc.mean.forEach((v, h) => {
      expect(v).toBeGreaterThanOrEqual(0)
      expect(fc.lower95[h]).toBeLessThanOrEqual(fc.lower80[h] ?? NaN)
      expect(fc.lower80[h]).toBeLessThan(fc.upper80[h] ?? NaN)
      expect(fc.upper95[h]).toBeGreaterThanOrEqual(fc.upper80[h] ?? NaN)
    })
    expect(loadForecastFamily.fromJSON(JSON.parse(JSON.stringify(m.toJSON()))).predict(input)).toEqual(fc)
  })

  it('parses the household CSV format, gaps included', () => {
    const rows = parseHourlyCsv('Datetime,Global_active_power,Voltage\n2006-12-16 17:00:00,4.2,234\n2006-12-16 18:00:00,,235\n', 'Global_active_power')
    expect(rows).toHaveLength(2)
    expect(rows[0]).toEqual({ ts: Date.UTC(2006, 11, 16, 17), value: 4.2 })
    expect(rows[1]?.value).toBeNaN()
    expect(() => parseHourlyCsv('Datetime,x\n', 'Global_active_power')).toThrow(ForecastInputError)
  })
})
