import { describe, expect, it } from 'vitest'
import { createDemoFleet, type SimFleet, type WideRecord } from './fleet.sim.js'

const T0 = Date.UTC(2025, 0, 13, 8)

function runFleet(f: SimFleet, seconds: number, stepMs = 1000): WideRecord[] {
  const all: WideRecord[] = []
  for (let s = 0; s * stepMs <= seconds * 1000; s++) for (const r of f.tick(T0 + s * stepMs)) all.push(r)
  return all
}

describe('createDemoFleet', () => {
  it('builds the default fleet: counts, readable unique ids, parents before children', () => {
    const f = createDemoFleet({ startTs: T0 })
    const byType = (t: string): string[] => f.assets.filter((a) => a.type === t).map((a) => a.id)
    expect(byType('turbofan')).toEqual(['tf-001', 'tf-002', 'tf-003', 'tf-004', 'tf-005', 'tf-006'])
    expect(byType('battery_string')).toEqual(['bs-001', 'bs-002', 'bs-003'])
    expect(byType('battery_cell')).toHaveLength(36)
    expect(byType('battery_cell')).toContain('bs-002-c12')
    expect(byType('li_ion_pack')).toEqual(['li-001', 'li-002', 'li-003'])
    expect(byType('energy_meter')).toHaveLength(6)
    expect(new Set(f.assets.map((a) => a.id)).size).toBe(f.assets.length)
    const seen = new Set<string>()
    for (const a of f.assets) {
      if (a.parentId !== null) expect(seen.has(a.parentId)).toBe(true)
      seen.add(a.id)
    }
    for (const c of f.assets.filter((a) => a.type === 'battery_cell')) expect(c.id.startsWith(`${c.parentId}-c`)).toBe(true)
    const tf = f.assets[0]
    expect(tf?.metadata).toMatchObject({ cycleMs: 10_000, hoursPerCycle: 1.5 })
    expect(typeof tf?.metadata.lifeCycles).toBe('number')
  })

  it('spreads assets over real sites in several countries', () => {
    const f = createDemoFleet({ startTs: T0 })
    expect(new Set(f.sites.map((s) => s.country)).size).toBeGreaterThanOrEqual(6)
    for (const s of f.sites) {
      expect(Math.abs(s.latitude)).toBeLessThanOrEqual(90)
      expect(Math.abs(s.longitude)).toBeLessThanOrEqual(180)
      expect(s.timezone).toMatch(/^[A-Z][a-z]+\/[A-Za-z_]+$/)
      expect(Object.keys(s).sort()).toEqual(['country', 'id', 'latitude', 'longitude', 'name', 'timezone'])
    }
    const siteIds = new Set(f.sites.map((s) => s.id))
    for (const a of f.assets) expect(siteIds.has(a.siteId)).toBe(true)
    expect(new Set(f.assets.map((a) => a.siteId)).size).toBeGreaterThanOrEqual(5)
    // Cells live where their string is.
    for (const c of f.assets.filter((a) => a.parentId)) expect(c.siteId).toBe(f.assets.find((a) => a.id === c.parentId)?.siteId)
  })

  it('declares one of each demo fault, 1–5 minutes after start, also in the asset metadata', () => {
    const f = createDemoFleet({ startTs: T0 })
    expect(f.faults.map((x) => x.kind).sort()).toEqual(['cell_imbalance', 'degradation', 'sensor_dropout', 'spikes', 'stuck_meter', 'thermal_runaway'])
    for (const fault of f.faults) {
      expect(fault.startTs - T0).toBeGreaterThanOrEqual(60_000)
      expect(fault.startTs - T0).toBeLessThanOrEqual(300_000)
      const a = f.assets.find((x) => x.id === fault.assetId)
      expect(a?.metadata.injectedFault).toMatchObject({ kind: fault.kind, startTs: fault.startTs })
    }
    const kindOn = (k: string): string => f.assets.find((a) => a.id === f.faults.find((x) => x.kind === k)?.assetId)?.type ?? ''
    expect(kindOn('degradation')).toBe('turbofan')
    expect(kindOn('thermal_runaway')).toBe('battery_cell')
    expect(kindOn('cell_imbalance')).toBe('battery_cell')
    expect(kindOn('sensor_dropout')).toBe('li_ion_pack')
    expect(kindOn('stuck_meter')).toBe('energy_meter')
    expect(kindOn('spikes')).toBe('energy_meter')
    const parent = (k: string): string | null | undefined => f.assets.find((a) => a.id === f.faults.find((x) => x.kind === k)?.assetId)?.parentId
    expect(parent('thermal_runaway')).not.toBe(parent('cell_imbalance'))
    expect(createDemoFleet({ startTs: T0, faults: false }).faults).toEqual([])
  })

  it.each([
    [{ turbofans: 0, batteryStrings: 1, liIonPacks: 0, meters: 1 }, ['cell_imbalance', 'sensor_dropout', 'stuck_meter', 'thermal_runaway']],
    [{ turbofans: 1, batteryStrings: 0, liIonPacks: 0, meters: 0 }, ['degradation']],
    [{ turbofans: 0, batteryStrings: 0, liIonPacks: 0, meters: 0 }, []],
  ])('adapts the faults to a small fleet %o', (counts, kinds) => {
    const f = createDemoFleet({ startTs: T0, ...counts })
    expect(f.faults.map((x) => x.kind).sort()).toEqual(kinds)
    // Each fault lands on its own asset, even when they share one string.
    expect(new Set(f.faults.map((x) => x.assetId)).size).toBe(f.faults.length)
  })

  it('reports each asset at most once per tick; every tick-rate asset on every tick; no NaN', () => {
    const f = createDemoFleet({ startTs: T0 })
    const nonTurbofan = f.assets.filter((a) => a.type !== 'turbofan').length
    const known = new Set(f.assets.map((a) => a.id))
    const perTurbofan = new Map<string, number>()
    let bad = 0
    for (let s = 0; s < 120; s++) {
      const recs = f.tick(T0 + s * 1000)
      const ids = recs.map((r) => r.asset)
      expect(new Set(ids).size).toBe(ids.length)
      expect(recs.filter((r) => !r.asset.startsWith('tf-')).length).toBe(nonTurbofan)
      for (const r of recs) {
        if (!known.has(r.asset) || r.ts !== T0 + s * 1000) bad++
        for (const x of Object.values(r.values)) if (!Number.isFinite(x)) bad++
        if (r.asset.startsWith('tf-')) perTurbofan.set(r.asset, (perTurbofan.get(r.asset) ?? 0) + 1)
      }
    }
    expect(bad).toBe(0)
    // 120 s at one cycle per 10 s.
    for (const n of perTurbofan.values()) expect(n).toBe(12)
    expect(perTurbofan.size).toBe(6)
  })

  it('shows the faults in the data after they start', () => {
    const f = createDemoFleet({ startTs: T0 })
    const recs = runFleet(f, 20 * 60)
    const of = (k: string): { id: string; start: number; rs: WideRecord[] } => {
      const ev = f.faults.find((x) => x.kind === k)
      if (!ev) throw new Error(k)
      return { id: ev.assetId, start: ev.startTs, rs: recs.filter((r) => r.asset === ev.assetId) }
    }
    const hot = of('thermal_runaway')
    expect(Math.max(...hot.rs.filter((r) => r.ts < hot.start).map((r) => r.values.temperature as number))).toBeLessThan(35)
    expect(Math.max(...hot.rs.map((r) => r.values.temperature as number))).toBeGreaterThan(60)
    const drop = of('sensor_dropout')
    expect(drop.rs.some((r) => r.ts < drop.start && !('temperature' in r.values))).toBe(false)
    expect(drop.rs.some((r) => r.ts >= drop.start && !('temperature' in r.values))).toBe(true)
    const stuck = of('stuck_meter')
    expect(new Set(stuck.rs.filter((r) => r.ts >= stuck.start).map((r) => r.values.power_kw)).size).toBe(1)
    const eng = of('degradation')
    const cycles = eng.rs.map((r) => r.values.cycle as number)
    // The engine failed and was replaced within the 20 minutes.
    expect(cycles.some((c, i) => i > 0 && c < (cycles[i - 1] as number))).toBe(true)
  })

  it('is deterministic for a seed and differs across seeds', () => {
    const a = runFleet(createDemoFleet({ startTs: T0, seed: 7 }), 60)
    const b = runFleet(createDemoFleet({ startTs: T0, seed: 7 }), 60)
    const c = runFleet(createDemoFleet({ startTs: T0, seed: 8 }), 60)
    expect(a).toEqual(b)
    expect(a).not.toEqual(c)
    expect(createDemoFleet({ startTs: T0, seed: 7 }).faults).toEqual(createDemoFleet({ startTs: T0, seed: 7 }).faults)
  })

  it('keeps an asset\'s data independent of the rest of the fleet', () => {
    const small = runFleet(createDemoFleet({ startTs: T0, turbofans: 2, faults: false }), 60).filter((r) => r.asset === 'tf-001')
    const big = runFleet(createDemoFleet({ startTs: T0, turbofans: 50, faults: false }), 60).filter((r) => r.asset === 'tf-001')
    expect(small).toEqual(big)
  })

  it('refuses time going backwards and bad options', () => {
    const f = createDemoFleet({ startTs: T0 })
    f.tick(T0 + 5000)
    expect(() => f.tick(T0 + 4999)).toThrow(/backwards/)
    expect(f.tick(T0 + 5000)).toEqual([])
    expect(() => createDemoFleet({ startTs: T0, turbofans: -1 })).toThrow(RangeError)
    expect(() => createDemoFleet({ startTs: T0, meters: 1.5 })).toThrow(RangeError)
  })

  // Speed is measured by bench/, not asserted here: shared machines make timed tests flaky.
  it('scales to a fleet of 1,500 assets, every fast asset reporting each tick', () => {
    const f = createDemoFleet({ startTs: T0, turbofans: 1000, batteryStrings: 30, cellsPerString: 12, liIonPacks: 50, meters: 60 })
    expect(f.assets).toHaveLength(1500)
    for (let s = 0; s < 20; s++) f.tick(T0 + s * 1000)
    const n = 100
    let recs = 0
    for (let s = 20; s < 20 + n; s++) recs += f.tick(T0 + s * 1000).length
    expect(recs / n).toBeGreaterThan(550)
  })
})
