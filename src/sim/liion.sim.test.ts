import { describe, expect, it } from 'vitest'
import { LIION_EOL_AH, LIION_PACK_CHANNELS, LIION_SERIES, liIonOcv, LiIonPackSim } from './liion.sim.js'
import type { WideRecord } from './sim.types.js'

const T0 = Date.UTC(2025, 0, 1)

function run(sim: LiIonPackSim, ticks: number, stepMs: number): WideRecord[] {
  const out: WideRecord[] = []
  for (let k = 0; k <= ticks; k++) sim.tick(T0 + k * stepMs, out)
  return out
}

const v = (r: WideRecord | undefined, ch: string): number => r?.values[ch] as number

describe('liIonOcv', () => {
  it.each([
    [0, 2.9, 3.1],
    [0.5, 3.7, 3.85],
    [1, 4.15, 4.2],
  ])('OCV(%d) is within [%d, %d] V', (soc, lo, hi) => {
    expect(liIonOcv(soc)).toBeGreaterThanOrEqual(lo)
    expect(liIonOcv(soc)).toBeLessThanOrEqual(hi)
  })

  it('rises monotonically with SOC', () => {
    for (let s = 0; s < 1; s += 0.01) expect(liIonOcv(s + 0.01)).toBeGreaterThan(liIonOcv(s))
  })
})

describe('LiIonPackSim', () => {
  it('cycles CC-CV charge and 2 A discharge within the pack limits', () => {
    const rs = run(new LiIonPackSim({ id: 'li-t', siteId: 's', seed: 1, startTs: T0, startCycle: 0 }), 3600, 1000)
    const lim = Object.fromEntries(LIION_PACK_CHANNELS.map((c) => [c.name, c]))
    const problems: string[] = []
    for (const r of rs) {
      for (const ch of ['voltage', 'soc', 'current', 'temperature']) {
        const x = v(r, ch)
        if (!(x >= (lim[ch]?.min as number) - 0.02 && x <= (lim[ch]?.max as number) + 0.02)) problems.push(`${ch}=${x}`)
      }
    }
    expect(problems.slice(0, 5)).toEqual([])
    const cur = rs.map((r) => v(r, 'current'))
    expect(cur.some((c) => Math.abs(c - 1.5) < 0.02)).toBe(true)
    expect(cur.some((c) => Math.abs(c + 2) < 0.02)).toBe(true)
    // CV phase: tapering current at the 4.2 V limit.
    const cv = rs.filter((r) => v(r, 'current') > 0.05 && v(r, 'current') < 1.2)
    expect(cv.length).toBeGreaterThan(5)
    for (const r of cv) expect(v(r, 'voltage')).toBeGreaterThan(LIION_SERIES * 4.2 - 0.05)
    // Discharge warms the pack (I²R), rest lets it cool.
    const dis = rs.filter((r) => v(r, 'current') < -1.9).map((r) => v(r, 'temperature'))
    expect(Math.max(...dis)).toBeGreaterThan(30)
  })

  it('SOC falls while discharging and rises while charging', () => {
    const rs = run(new LiIonPackSim({ id: 'li-t', siteId: 's', seed: 2, startTs: T0 }), 1200, 1000)
    let checked = 0
    for (let i = 1; i < rs.length; i++) {
      const a = rs[i - 1]
      const b = rs[i]
      if (v(a, 'current') < -1.9 && v(b, 'current') < -1.9) {
        expect(v(b, 'soc')).toBeLessThan(v(a, 'soc'))
        checked++
      }
      if (v(a, 'current') > 1.4 && v(b, 'current') > 1.4) {
        expect(v(b, 'soc')).toBeGreaterThan(v(a, 'soc'))
        checked++
      }
    }
    expect(checked).toBeGreaterThan(200)
  })

  it('fades from about 2 Ah to 1.4 Ah with regeneration jumps, then is replaced', () => {
    const sim = new LiIonPackSim({ id: 'li-t', siteId: 's', seed: 3, startTs: T0, startCycle: 0 })
    // 10 s ticks = 10 simulated minutes each: about 20 cycles an hour.
    const rs = run(sim, 6 * 60 * 16, 10_000)
    const perCycle = new Map<number, number>()
    let replacedAt = -1
    for (const r of rs) {
      if (replacedAt < 0 && perCycle.size > 0 && v(r, 'cycle') < Math.max(...perCycle.keys())) replacedAt = r.ts
      if (replacedAt < 0) perCycle.set(v(r, 'cycle'), v(r, 'capacity_ah'))
    }
    expect(sim.replaced).toBeGreaterThanOrEqual(1)
    const caps = [...perCycle.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1])
    expect(caps[0]).toBeGreaterThan(1.9)
    expect(caps[caps.length - 1]).toBeLessThan(LIION_EOL_AH + 0.05)
    expect(caps.length).toBeGreaterThan(100)
    // Regeneration: some cycle gains clearly more than measurement noise.
    const jumps = caps.slice(1).filter((c, i) => c - (caps[i] as number) > 0.012)
    expect(jumps.length).toBeGreaterThan(0)
    // After replacement the pack is new again.
    const after = rs.filter((r) => r.ts > replacedAt).slice(0, 3)
    expect(v(after[0], 'capacity_ah')).toBeGreaterThan(1.9)
    expect(v(after[0], 'cycle')).toBe(0)
    // Resistance grows with age.
    const ir = rs.filter((r) => r.ts < replacedAt).map((r) => v(r, 'internal_resistance'))
    expect(ir.slice(-50).reduce((a, b) => a + b) / 50).toBeGreaterThan((ir.slice(0, 50).reduce((a, b) => a + b) / 50) * 1.3)
  })

  it('sensor dropout removes only the chosen channel, only after the start', () => {
    const start = T0 + 90_000
    const sim = new LiIonPackSim({ id: 'li-t', siteId: 's', seed: 4, startTs: T0, fault: { kind: 'sensor_dropout', startTs: start } })
    expect(sim.asset.metadata.injectedFault).toEqual({ kind: 'sensor_dropout', startTs: start, channel: 'temperature' })
    const rs = run(sim, 1800, 1000)
    const missing = rs.filter((r) => !('temperature' in r.values))
    expect(missing.length).toBeGreaterThan(60)
    expect(missing.every((r) => r.ts >= start && Object.keys(r.values).length === 6)).toBe(true)
    expect(rs.filter((r) => r.ts >= start && 'temperature' in r.values).length).toBeGreaterThan(60)
  })

  it('is deterministic for a seed', () => {
    const mk = (seed: number): WideRecord[] => run(new LiIonPackSim({ id: 'li-t', siteId: 's', seed, startTs: T0 }), 200, 1000)
    expect(mk(5)).toEqual(mk(5))
    expect(mk(5)).not.toEqual(mk(6))
  })
})
