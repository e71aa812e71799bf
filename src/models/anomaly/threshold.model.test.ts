import { describe, expect, it } from 'vitest'
import { families } from '../families.js'
import type { AnomalyOutput, Model, StreamPoint } from '../model.js'
import './catalogue.js'
import { DetectorParamsError } from './errors.js'

const score = (params: Record<string, unknown>, values: Record<string, number>): AnomalyOutput =>
  (families.create('threshold', params) as Model<StreamPoint, AnomalyOutput>).predict({ ts: 0, values })

describe('threshold detector', () => {
  it.each([
    { what: 'cell voltage inside 1.8–2.5 V', params: { batteryDefaults: true }, values: { voltage: 2.2 }, alarm: false },
    { what: 'cell voltage above 2.5 V', params: { batteryDefaults: true }, values: { voltage: 2.6 }, alarm: true },
    { what: 'cell voltage below 1.8 V', params: { batteryDefaults: true }, values: { voltage: 1.75 }, alarm: true },
    { what: 'temperature 55 °C', params: { batteryDefaults: true }, values: { temperature: 55 }, alarm: true },
    { what: 'temperature 4 °C', params: { batteryDefaults: true }, values: { temperature: 4 }, alarm: true },
    { what: 'temperature 25 °C', params: { batteryDefaults: true }, values: { temperature: 25 }, alarm: false },
    { what: 'SOC 10 %', params: { batteryDefaults: true }, values: { soc: 10 }, alarm: true },
    { what: 'SOC 96 %', params: { batteryDefaults: true }, values: { soc: 96 }, alarm: true },
    { what: 'SOC 50 %', params: { batteryDefaults: true }, values: { soc: 50 }, alarm: false },
    { what: 'a 12-cell string at 27 V', params: { batteryDefaults: true, cellsInSeries: 12 }, values: { voltage: 27 }, alarm: false },
    { what: 'a 12-cell string at 31 V', params: { batteryDefaults: true, cellsInSeries: 12 }, values: { voltage: 31 }, alarm: true },
    { what: 'the channel’s own range wins over the default', params: { batteryDefaults: true, ranges: { temperature: { min: 0, max: 60 } } }, values: { temperature: 55 }, alarm: false },
    { what: 'no defaults without batteryDefaults', params: {}, values: { temperature: 80 }, alarm: false },
    { what: 'a one-sided range', params: { ranges: { rpm: { min: null, max: 3000 } } }, values: { rpm: 3100 }, alarm: true },
  ] as { what: string; params: Record<string, unknown>; values: Record<string, number>; alarm: boolean }[])('$what → alarm $alarm', ({ params, values, alarm }) => {
    const o = score(params, values)
    expect(o.score >= 0.7).toBe(alarm)
    expect(o.warmingUp).toBe(false)
    if (alarm) expect(Object.keys(o.contributions)).toEqual(Object.keys(values))
    else expect(o.score).toBe(0)
  })

  it('grows with the excess and shares contributions between the channels out of range', () => {
    const a = score({ batteryDefaults: true }, { temperature: 51 })
    const b = score({ batteryDefaults: true }, { temperature: 60 })
    expect(b.score).toBeGreaterThan(a.score)
    const both = score({ batteryDefaults: true }, { temperature: 60, soc: 5, voltage: 2.1 })
    expect(Object.keys(both.contributions).sort()).toEqual(['soc', 'temperature'])
    expect(Object.values(both.contributions).reduce((s, x) => s + x, 0)).toBeCloseTo(1, 9)
  })

  it('round-trips through JSON', () => {
    const m = families.create('threshold', { batteryDefaults: true, ranges: { x: { min: 1, max: 2 } } })
    const r = families.fromJSON(JSON.parse(JSON.stringify(m.toJSON()))) as Model<StreamPoint, AnomalyOutput>
    expect(r.predict({ ts: 0, values: { x: 3, soc: 99 } })).toEqual((m as Model<StreamPoint, AnomalyOutput>).predict({ ts: 0, values: { x: 3, soc: 99 } }))
  })

  it('refuses a range whose min is above its max', () => {
    expect(() => families.create('threshold', { ranges: { x: { min: 3, max: 1 } } })).toThrow(DetectorParamsError)
  })
})
