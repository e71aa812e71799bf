import { describe, expect, it } from 'vitest'
import { MIN_HISTORY_HOURS } from '../models/forecast/load-forecast.model.js'
import { HOUR_MS } from '../models/forecast/load.features.js'
import { BATTERY_KEEP_CYCLES, BATTERY_MIN_CYCLES, batteryAdapter, cyclesPerHourOf, loadAdapter, TURBOFAN_BASELINE_KEEP_CYCLES, TURBOFAN_RECENT_KEEP_CYCLES, turbofanAdapter, wallTime, type AdapterAsset } from './prognostics.adapters.js'

const SIM_SENSORS = ['t24', 't30', 't50', 'p30', 'nf', 'nc', 'ps30', 'phi', 'nrf', 'nrc', 'bpr', 'htbleed', 'w31', 'w32']
const engine: AdapterAsset = { channels: new Set(['cycle', ...SIM_SENSORS]), metadata: { hoursPerCycle: 1.5 } }
const cycleRecord = (cycle: number): { ts: number; values: Record<string, number> } => ({ ts: cycle * 1000, values: { cycle, ...Object.fromEntries(SIM_SENSORS.map((s, i) => [s, i + cycle / 1000])) } })

describe('turbofan adapter', () => {
  it('accepts demo engines and C-MAPSS replays, not other assets', () => {
    expect(turbofanAdapter.accepts(engine)).toBe(true)
    const replay = new Set(['cycle', 'setting1', 'setting2', 'setting3', ...Array.from({ length: 21 }, (_, i) => `s${i + 1}`)])
    expect(turbofanAdapter.accepts({ channels: replay, metadata: {} })).toBe(true)
    expect(turbofanAdapter.accepts({ channels: new Set(['cycle', 't24']), metadata: {} })).toBe(false)
  })

  it('steps once per new cycle and keeps the first and latest cycles only (bounded)', () => {
    const s = turbofanAdapter.create(engine)
    expect(turbofanAdapter.push(s, cycleRecord(1))).toBe(true)
    expect(turbofanAdapter.push(s, cycleRecord(1))).toBe(false) // same cycle again
    for (let c = 2; c <= 500; c++) turbofanAdapter.push(s, cycleRecord(c))
    const h = turbofanAdapter.input(s) as { cycle: number; sensors: number[]; settings: number[] }[]
    expect(h).toHaveLength(TURBOFAN_BASELINE_KEEP_CYCLES + TURBOFAN_RECENT_KEEP_CYCLES)
    expect(h[0]!.cycle).toBe(1)
    expect(h[TURBOFAN_BASELINE_KEEP_CYCLES - 1]!.cycle).toBe(TURBOFAN_BASELINE_KEEP_CYCLES)
    expect(h[h.length - 1]!.cycle).toBe(500)
    expect(h[TURBOFAN_BASELINE_KEEP_CYCLES]!.cycle).toBe(500 - TURBOFAN_RECENT_KEEP_CYCLES + 1)
    // Sim names land on the C-MAPSS sensor positions (t24 is sensor 2, w32 sensor 21); sea-level settings.
    expect(h[0]!.sensors[1]).toBeCloseTo(0.001)
    expect(h[0]!.sensors[20]).toBeCloseTo(13.001)
    expect(h[0]!.settings).toEqual([0, 0, 100])
  })

  it('starts a new history when the cycle goes back (engine replaced)', () => {
    const s = turbofanAdapter.create(engine)
    for (let c = 1; c <= 50; c++) turbofanAdapter.push(s, cycleRecord(c))
    expect(turbofanAdapter.push(s, cycleRecord(1))).toBe(true)
    expect(turbofanAdapter.input(s)).toHaveLength(1)
  })

  it('publishes cycles, and hours when the asset says its cycles per hour', () => {
    const s = turbofanAdapter.create(engine)
    turbofanAdapter.push(s, cycleRecord(7))
    const out = { model: 'rul', version: 3, deployment: 'production', deploymentId: 2, outputs: { rulCycles: 90, lower80Cycles: 60, upper80Cycles: 120 } }
    const preds = turbofanAdapter.predictions(s, engine, 'tf-1', 7000, out)
    expect(preds.map((p) => p.kind)).toEqual(['rul_cycles', 'rul_hours'])
    expect(preds[1]!.value).toBeCloseTo(135)
    expect(preds[1]!.details!.lower80Hours).toBeCloseTo(90)
    expect(preds.every((p) => p.model === 'rul' && p.version === 3)).toBe(true)
    expect(turbofanAdapter.predictions(s, { ...engine, metadata: {} }, 'tf-1', 7000, out).map((p) => p.kind)).toEqual(['rul_cycles'])
  })
})

describe('cycles per hour', () => {
  it.each([
    [{ cyclesPerHour: 2 }, 2],
    [{ hoursPerCycle: 0.5 }, 2],
    [{ cyclesPerHour: 0, hoursPerCycle: 4 }, 0.25],
    [{}, undefined],
    [{ cyclesPerHour: 'x' }, undefined],
  ])('%j → %s', (meta, want) => expect(cyclesPerHourOf(meta)).toBe(want))
})

describe('battery adapter', () => {
  const pack: AdapterAsset = { channels: new Set(['capacity_ah', 'cycle', 'voltage']), metadata: {} }
  it('waits for enough cycles, keeps the latest only, and restarts on a new pack', () => {
    const s = batteryAdapter.create(pack)
    let c = 100
    for (; c < 100 + BATTERY_MIN_CYCLES - 1; c++) batteryAdapter.push(s, { ts: c, values: { cycle: c, capacity_ah: 2 - c / 1000 } })
    expect(batteryAdapter.input(s)).toBeNull()
    expect(batteryAdapter.push(s, { ts: c, values: { cycle: c, capacity_ah: 1.8 } })).toBe(true)
    expect((batteryAdapter.input(s) as { capacityAh: number[] }).capacityAh).toHaveLength(BATTERY_MIN_CYCLES)
    for (let k = 0; k < 500; k++) batteryAdapter.push(s, { ts: c + 1 + k, values: { cycle: c + 1 + k, capacity_ah: 1.7 } })
    expect(batteryAdapter.size(s)).toBe(BATTERY_KEEP_CYCLES)
    batteryAdapter.push(s, { ts: 1e6, values: { cycle: 0, capacity_ah: 2.05 } })
    expect(batteryAdapter.size(s)).toBe(1)
  })
})

describe('load adapter', () => {
  it('averages per local hour of the meter, forecasts at each local midnight once 35 days are kept, and stays bounded', () => {
    // A demo meter: 3600× faster than the wall clock, UTC+2.
    const origin = Date.UTC(2026, 0, 1, 10)
    const meter: AdapterAsset = { channels: new Set(['power_kw']), metadata: { timeScale: 3600, simStartTs: origin, utcOffsetMinutes: 120 } }
    const s = loadAdapter.create(meter)
    const due: number[] = []
    // Two readings per asset hour (half a wall second apart) for 50 asset days.
    for (let i = 0; i < 50 * 24 * 2; i++) {
      const ts = origin + i * 500
      if (loadAdapter.push(s, { ts, values: { power_kw: (i % 2) * 10 } })) due.push(ts)
    }
    expect(loadAdapter.size(s)).toBeLessThanOrEqual(MIN_HISTORY_HOURS + 3)
    expect(due.length).toBeGreaterThan(10)
    const input = loadAdapter.input(s) as { history: { startTs: number; values: number[] } }
    expect(input.history.values).toHaveLength(MIN_HISTORY_HOURS)
    expect(input.history.values.every((v) => v === 5)).toBe(true)
    // Each forecast is issued as a local day starts: the meter's local midnight.
    for (const ts of due) {
      const local = origin + (ts - origin) * 3600 + 120 * 60_000
      expect(new Date(local).getUTCHours()).toBe(0)
    }
    expect(wallTime(s, origin + 3600 * HOUR_MS + 120 * 60_000)).toBe(origin + HOUR_MS)
  })
})
