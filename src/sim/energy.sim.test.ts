import { describe, expect, it } from 'vitest'
import { EnergyMeterSim, officeOccupancy, type EnergyMeterSimOptions } from './energy.sim.js'
import type { WideRecord } from './sim.types.js'
import { DEMO_SITES } from './sites.data.js'

// Monday 13 January 2025, 00:00 UTC.
const MONDAY = Date.UTC(2025, 0, 13)
const lyon = DEMO_SITES.find((s) => s.id === 'lyon-fr')
const pune = DEMO_SITES.find((s) => s.id === 'pune-in')
if (!lyon || !pune) throw new Error('demo sites changed')

function meter(over: Partial<EnergyMeterSimOptions> = {}): EnergyMeterSim {
  return new EnergyMeterSim({ id: 'em-t', siteId: lyon?.id ?? '', seed: 3, startTs: MONDAY, utcOffsetMinutes: 60, climate: lyon?.climate ?? { meanC: 12, seasonalAmpC: 9, dailyAmpC: 5, warmestDay: 200 }, ...over })
}

/** Ticks every second for `seconds` of wall time. */
function run(sim: EnergyMeterSim, seconds: number, from = MONDAY): WideRecord[] {
  const out: WideRecord[] = []
  for (let s = 0; s <= seconds; s++) sim.tick(from + s * 1000, out)
  return out
}

const v = (r: WideRecord | undefined, ch: string): number => r?.values[ch] as number

describe('officeOccupancy', () => {
  it.each([
    [10, 1, 1],
    [12.5, 3, 0.85],
    [7, 2, 0.5],
    [19, 5, 0.5],
    [3, 2, 0],
    [22, 4, 0],
    [10, 6, 0.15],
    [15, 6, 0],
    [11, 0, 0],
  ])('hour %d weekday %d → %d', (hour, weekday, expected) => {
    expect(officeOccupancy(hour, weekday)).toBeCloseTo(expected, 6)
  })
})

describe('EnergyMeterSim', () => {
  it('computes local time from the fixed UTC offset', () => {
    const m = meter({ utcOffsetMinutes: 330 })
    // 20:00 UTC Sunday is 01:30 Monday in Pune.
    const t = m.localTime(Date.UTC(2025, 0, 12, 20, 0))
    expect(t.weekday).toBe(1)
    expect(t.hour).toBeCloseTo(1.5, 9)
    expect(m.simTime(MONDAY + 1000)).toBe(MONDAY + 60_000)
  })

  it('follows a weekly office profile: weekdays in working hours above nights and weekends', () => {
    // One simulated week at timeScale 60 is 168 wall minutes.
    const rs = run(meter(), 168 * 60)
    const m = meter()
    const bucket = { work: [] as number[], night: [] as number[], sunday: [] as number[] }
    for (const r of rs) {
      const { hour, weekday } = m.localTime(m.simTime(r.ts))
      if (weekday >= 1 && weekday <= 5 && hour >= 9 && hour < 17) bucket.work.push(v(r, 'power_kw'))
      else if (weekday >= 1 && weekday <= 5 && (hour < 5 || hour >= 22)) bucket.night.push(v(r, 'power_kw'))
      else if (weekday === 0) bucket.sunday.push(v(r, 'power_kw'))
    }
    const avg = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length
    expect(avg(bucket.work)).toBeGreaterThan(1.8 * avg(bucket.night))
    expect(avg(bucket.work)).toBeGreaterThan(1.8 * avg(bucket.sunday))
  })

  it('integrates power into a monotonic energy counter', () => {
    const rs = run(meter(), 3600)
    let e = v(rs[0], 'energy_kwh')
    let integral = 0
    for (let i = 1; i < rs.length; i++) {
      expect(v(rs[i], 'energy_kwh')).toBeGreaterThanOrEqual(e)
      e = v(rs[i], 'energy_kwh')
      // Each 1 s tick is one simulated minute.
      integral += v(rs[i - 1], 'power_kw') / 60
    }
    const counted = v(rs[rs.length - 1], 'energy_kwh') - v(rs[0], 'energy_kwh')
    expect(Math.abs(counted - integral) / integral).toBeLessThan(0.02)
  })

  it('cold weather adds heating load; the daily temperature cycle peaks in the afternoon', () => {
    // Same meter parameters, two climates: only HVAC load differs.
    const cold = run(meter({ climate: { meanC: -5, seasonalAmpC: 0, dailyAmpC: 4, warmestDay: 200 } }), 24 * 60)
    const mild = run(meter({ climate: { meanC: 18, seasonalAmpC: 0, dailyAmpC: 0.1, warmestDay: 200 } }), 24 * 60)
    const avg = (rs: WideRecord[], ch: string): number => rs.reduce((a, r) => a + v(r, ch), 0) / rs.length
    expect(avg(cold, 'power_kw')).toBeGreaterThan(avg(mild, 'power_kw') * 1.15)
    const m = meter()
    const tempAt = (h0: number, h1: number): number => avg(cold.filter((r) => {
      const { hour } = m.localTime(m.simTime(r.ts))
      return hour >= h0 && hour < h1
    }), 'outdoor_temp')
    expect(tempAt(13, 17)).toBeGreaterThan(tempAt(2, 6) + 4)
  })

  it('stuck meter: power repeats exactly and energy stops after the start', () => {
    const start = MONDAY + 120_000
    const rs = run(meter({ fault: { kind: 'stuck_meter', startTs: start } }), 900)
    const before = rs.filter((r) => r.ts < start)
    const after = rs.filter((r) => r.ts >= start)
    expect(new Set(before.map((r) => v(r, 'power_kw'))).size).toBeGreaterThan(50)
    expect(new Set(after.map((r) => v(r, 'power_kw'))).size).toBe(1)
    expect(new Set(after.map((r) => v(r, 'energy_kwh'))).size).toBe(1)
    expect(v(after[0], 'power_kw')).toBe(v(before[before.length - 1], 'power_kw'))
    // The weather keeps changing: only the register is stuck.
    expect(new Set(after.map((r) => v(r, 'outdoor_temp'))).size).toBeGreaterThan(50)
  })

  it('spikes: occasional single readings many times the normal load; energy unaffected', () => {
    const start = MONDAY + 60_000
    const rs = run(meter({ fault: { kind: 'spikes', startTs: start } }), 1800)
    const normalMax = Math.max(...rs.filter((r) => r.ts < start).map((r) => v(r, 'power_kw')))
    const spikes = rs.filter((r) => v(r, 'power_kw') > 4 * normalMax)
    expect(spikes.length).toBeGreaterThanOrEqual(15)
    expect(spikes.length).toBeLessThan(100)
    expect(spikes.every((r) => r.ts >= start)).toBe(true)
    const clean = run(meter(), 1800)
    const spiked = rs[rs.length - 1]
    // Same seed, but the spike draws come from a separate stream, so energy matches the fault-free meter.
    expect(v(spiked, 'energy_kwh')).toBeCloseTo(v(clean[clean.length - 1], 'energy_kwh'), 6)
  })

  it('declares per-site ranges and keeps healthy readings inside them', () => {
    const m = meter({ climate: pune?.climate, utcOffsetMinutes: 330, nominalVoltage: 230 })
    const rs = run(m, 3 * 3600)
    const problems: string[] = []
    for (const c of m.asset.channels) {
      for (const r of rs) {
        const x = v(r, c.name)
        if (!Number.isFinite(x) || (c.min != null && x < c.min) || (c.max != null && x > c.max)) problems.push(`${c.name}=${x}`)
      }
    }
    expect(problems.slice(0, 5)).toEqual([])
  })

  it('is deterministic for a seed', () => {
    expect(run(meter(), 120)).toEqual(run(meter(), 120))
    expect(run(meter(), 120)).not.toEqual(run(meter({ seed: 4 }), 120))
  })
})
