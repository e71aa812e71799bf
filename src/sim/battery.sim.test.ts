import { describe, expect, it } from 'vitest'
import { BatteryStringSim, type BatteryFault } from './battery.sim.js'
import type { WideRecord } from './sim.types.js'

const T0 = Date.UTC(2025, 0, 1)

/** Ticks once a second for `seconds` and groups the records by asset. */
function run(sim: BatteryStringSim, seconds: number): Map<string, WideRecord[]> {
  const by = new Map<string, WideRecord[]>()
  const out: WideRecord[] = []
  for (let s = 0; s <= seconds; s++) {
    out.length = 0
    sim.tick(T0 + s * 1000, out)
    for (const r of out) {
      const list = by.get(r.asset)
      if (list) list.push(r)
      else by.set(r.asset, [r])
    }
  }
  return by
}

function make(faults: BatteryFault[] = [], seed = 4, cells = 12): BatteryStringSim {
  return new BatteryStringSim({ id: 'bs-t', siteId: 's', seed, startTs: T0, cells, capacityAh: 200, faults })
}

const at = (rs: WideRecord[] | undefined, i: number): WideRecord => (rs ?? [])[i] as WideRecord
const v = (r: WideRecord, ch: string): number => r.values[ch] as number

describe('BatteryStringSim', () => {
  it('describes the string then its cells, with parent ids and product ranges', () => {
    const sim = make([], 1, 24)
    expect(sim.assets).toHaveLength(25)
    expect(sim.assets[0]?.type).toBe('battery_string')
    expect(sim.assets[0]?.metadata.nominalVoltage).toBe(48)
    expect(sim.assets[1]?.id).toBe('bs-t-c01')
    expect(sim.assets[24]?.id).toBe('bs-t-c24')
    for (const c of sim.assets.slice(1)) {
      expect(c.parentId).toBe('bs-t')
      expect(c.type).toBe('battery_cell')
    }
    const volt = sim.assets[0]?.channels.find((c) => c.name === 'voltage')
    expect([volt?.min, volt?.max]).toEqual([43.2, 60])
  })

  it('healthy string: cells sum to the string, SOC follows current, everything in range', () => {
    const by = run(make(), 2 * 3600)
    const str = by.get('bs-t') ?? []
    expect(str).toHaveLength(2 * 3600 + 1)
    let discharging = 0
    let charging = 0
    const problems: string[] = []
    for (let i = 0; i < str.length; i++) {
      const s = at(str, i)
      let sum = 0
      for (let c = 1; c <= 12; c++) {
        const cell = at(by.get(`bs-t-c${String(c).padStart(2, '0')}`), i)
        if (cell.ts !== s.ts) problems.push(`cell ${c} ts at ${i}`)
        sum += v(cell, 'voltage')
        if (!(v(cell, 'voltage') >= 1.8 && v(cell, 'voltage') <= 2.5)) problems.push(`cell ${c} voltage ${v(cell, 'voltage')} at ${i}`)
        if (!(v(cell, 'temperature') > 5 && v(cell, 'temperature') < 50)) problems.push(`cell ${c} temperature at ${i}`)
      }
      if (Math.abs(sum - v(s, 'voltage')) >= 0.12) problems.push(`sum ${sum} vs ${v(s, 'voltage')} at ${i}`)
      if (!(v(s, 'soc') >= 15 && v(s, 'soc') <= 95)) problems.push(`soc ${v(s, 'soc')} at ${i}`)
      if (i > 0) {
        const dSoc = v(s, 'soc') - v(at(str, i - 1), 'soc')
        if (v(s, 'current') < -5) {
          discharging++
          if (!(dSoc < 0)) problems.push(`soc rose while discharging at ${i}`)
        } else if (v(s, 'current') > 5) {
          charging++
          if (!(dSoc > 0)) problems.push(`soc fell while charging at ${i}`)
        }
      }
    }
    expect(problems.slice(0, 5)).toEqual([])
    // Two wall hours are 40 simulated hours: many discharge/recharge cycles.
    expect(discharging).toBeGreaterThan(200)
    expect(charging).toBeGreaterThan(500)
  })

  it('discharge lowers the voltage below float', () => {
    const str = run(make(), 3600).get('bs-t') ?? []
    const flt = str.filter((r) => Math.abs(v(r, 'current')) < 1)
    const dis = str.filter((r) => v(r, 'current') < -20)
    const avg = (rs: WideRecord[]): number => rs.reduce((a, r) => a + v(r, 'voltage'), 0) / rs.length
    expect(avg(flt)).toBeCloseTo(12 * 2.25, 1)
    expect(avg(dis)).toBeLessThan(12 * 2.1)
  })

  it('thermal runaway: one cell heats up accelerating, resistance climbs, voltage sags', () => {
    const start = T0 + 120_000
    const sim = make([{ kind: 'thermal_runaway', startTs: start, cell: 4 }])
    expect(sim.assets[5]?.metadata.injectedFault).toEqual({ kind: 'thermal_runaway', startTs: start })
    const by = run(sim, 120 + 20 * 60)
    const hot = by.get('bs-t-c05') ?? []
    const cold = by.get('bs-t-c06') ?? []
    const idx = (min: number): number => 120 + min * 60
    expect(v(at(hot, 110), 'temperature')).toBeLessThan(30)
    const rise = (m: number): number => v(at(hot, idx(m)), 'temperature') - v(at(hot, idx(0)), 'temperature')
    // Accelerating: the last five minutes add more than the first ten.
    expect(rise(15) - rise(10)).toBeGreaterThan(rise(10))
    expect(v(at(hot, idx(16)), 'temperature')).toBeGreaterThan(80)
    expect(v(at(cold, idx(16)), 'temperature')).toBeLessThan(35)
    expect(v(at(hot, idx(16)), 'internal_resistance')).toBeGreaterThan(3 * v(at(hot, 100), 'internal_resistance'))
    expect(v(at(hot, idx(16)), 'voltage')).toBeLessThan(v(at(cold, idx(16)), 'voltage') - 0.2)
  })

  it('cell imbalance: one cell drifts away from the others', () => {
    const start = T0 + 60_000
    const by = run(make([{ kind: 'cell_imbalance', startTs: start, cell: 0 }]), 60 + 20 * 60)
    const dev = (i: number): number => {
      const rs = [...by.entries()].filter(([k]) => k.startsWith('bs-t-c')).map(([, rs]) => v(at(rs, i), 'voltage'))
      const others = rs.slice(1).reduce((a, x) => a + x, 0) / (rs.length - 1)
      return (rs[0] ?? 0) - others
    }
    expect(Math.abs(dev(30))).toBeLessThan(0.05)
    expect(dev(60 + 5 * 60)).toBeLessThan(-0.08)
    expect(dev(60 + 15 * 60)).toBeLessThan(-0.28)
  })

  it('sensor dropout: the channel goes missing for periods after the start, never NaN', () => {
    const start = T0 + 60_000
    const sim = make([{ kind: 'sensor_dropout', startTs: start, channel: 'temperature' }])
    const by = run(sim, 30 * 60)
    const str = by.get('bs-t') ?? []
    const missing = str.filter((r) => !('temperature' in r.values))
    expect(missing.length).toBeGreaterThan(60)
    expect(missing.length).toBeLessThan(str.length * 0.8)
    expect(Math.min(...missing.map((r) => r.ts))).toBe(start)
    let nonFinite = 0
    for (const rs of by.values()) for (const r of rs) for (const x of Object.values(r.values)) if (!Number.isFinite(x)) nonFinite++
    expect(nonFinite).toBe(0)
    // Other channels of the string keep reporting.
    for (const r of missing) expect(Object.keys(r.values).sort()).toEqual(['ac_voltage', 'current', 'dc_voltage', 'soc', 'voltage'])
  })

  it('reports at most once per timestamp and never before start', () => {
    const sim = make()
    const out: WideRecord[] = []
    sim.tick(T0 - 5000, out)
    expect(out).toHaveLength(0)
    sim.tick(T0, out)
    sim.tick(T0, out)
    expect(out).toHaveLength(13)
  })

  it('is deterministic for a seed', () => {
    const a = run(make([], 8), 300).get('bs-t')
    const b = run(make([], 8), 300).get('bs-t')
    const c = run(make([], 9), 300).get('bs-t')
    expect(a).toEqual(b)
    expect(a).not.toEqual(c)
  })
})
