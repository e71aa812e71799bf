import { sharedData } from '../../test/helpers/data.js'
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { parseCmapss } from './cmapss.replay.js'
import type { WideRecord } from './sim.types.js'
import { TURBOFAN_CHANNELS, TurbofanSim } from './turbofan.sim.js'

const T0 = Date.UTC(2025, 0, 1)
const CYCLE = 10_000

/** Runs one engine cycle by cycle and returns its records. */
function run(sim: TurbofanSim, cycles: number, from = T0): WideRecord[] {
  const out: WideRecord[] = []
  for (let k = 0; k < cycles; k++) sim.tick(from + k * CYCLE, out)
  return out
}

function mean(rs: WideRecord[], ch: string): number {
  return rs.reduce((s, r) => s + (r.values[ch] ?? NaN), 0) / rs.length
}

// Direction of drift towards failure in C-MAPSS FD001, and the FD001 sensor it stands for.
const DRIFT: [string, 1 | -1, string][] = [
  ['t24', 1, 's2'],
  ['t30', 1, 's3'],
  ['t50', 1, 's4'],
  ['p30', -1, 's7'],
  ['nf', 1, 's8'],
  ['nc', 1, 's9'],
  ['ps30', 1, 's11'],
  ['phi', -1, 's12'],
  ['nrf', 1, 's13'],
  ['nrc', 1, 's14'],
  ['bpr', 1, 's15'],
  ['htbleed', 1, 's17'],
  ['w31', -1, 's20'],
  ['w32', -1, 's21'],
]

describe('TurbofanSim', () => {
  it('declares cycle and the 14 informative sensors with healthy ranges', () => {
    expect(TURBOFAN_CHANNELS.map((c) => c.name)).toEqual(['cycle', ...DRIFT.map((d) => d[0])])
    for (const c of TURBOFAN_CHANNELS.slice(1)) expect(c.min as number).toBeLessThan(c.max as number)
  })

  it('reports once per cycle and not in between', () => {
    const sim = new TurbofanSim({ id: 'tf-x', siteId: 's', seed: 1, firstTs: T0 + 3000, cycleMs: CYCLE, lifeCycles: 200 })
    const out: WideRecord[] = []
    for (let s = 0; s < 60; s++) sim.tick(T0 + s * 1000, out)
    // Due at 3 s, 13 s, … 53 s.
    expect(out.map((r) => (r.ts - T0) / 1000)).toEqual([3, 13, 23, 33, 43, 53])
    expect(out.map((r) => r.values.cycle)).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('advances wear through skipped cycles but reports only the latest', () => {
    const sim = new TurbofanSim({ id: 'tf-x', siteId: 's', seed: 1, firstTs: T0, cycleMs: CYCLE, lifeCycles: 200 })
    const out: WideRecord[] = []
    sim.tick(T0, out)
    sim.tick(T0 + 5 * CYCLE, out)
    expect(out.map((r) => r.values.cycle)).toEqual([1, 6])
  })

  it.each(DRIFT)('%s drifts in the C-MAPSS direction over a life', (ch, sign) => {
    // Averaged over several engines so noise and manufacturing spread cannot flip the sign.
    let early = 0
    let late = 0
    for (let e = 0; e < 8; e++) {
      const life = 200
      const rs = run(new TurbofanSim({ id: `tf-${e}`, siteId: 's', seed: 100 + e, firstTs: T0, cycleMs: CYCLE, lifeCycles: life }), life)
      early += mean(rs.slice(0, 30), ch)
      late += mean(rs.slice(-10), ch)
    }
    expect(Math.sign(late - early)).toBe(sign)
  })

  it('keeps healthy engines mostly inside the declared ranges and failing ones outside', () => {
    const rs = run(new TurbofanSim({ id: 'tf-x', siteId: 's', seed: 5, firstTs: T0, cycleMs: CYCLE, lifeCycles: 250 }), 250)
    const inRange = (r: WideRecord): number =>
      TURBOFAN_CHANNELS.slice(1).filter((c) => (r.values[c.name] as number) >= (c.min as number) && (r.values[c.name] as number) <= (c.max as number)).length / 14
    const healthy = rs.slice(0, 80).reduce((s, r) => s + inRange(r), 0) / 80
    const failing = rs.slice(-5).reduce((s, r) => s + inRange(r), 0) / 5
    expect(healthy).toBeGreaterThan(0.95)
    expect(failing).toBeLessThan(0.6)
  })

  it('is replaced at failure: cycle restarts at 1 with a fresh life', () => {
    const sim = new TurbofanSim({ id: 'tf-x', siteId: 's', seed: 9, firstTs: T0, cycleMs: CYCLE, lifeCycles: 40, startCycle: 35 })
    const rs = run(sim, 10)
    expect(rs.map((r) => r.values.cycle)).toEqual([35, 36, 37, 38, 39, 40, 1, 2, 3, 4])
    expect(sim.replaced).toBe(1)
    expect(sim.lifeCycles).toBeGreaterThanOrEqual(150)
    // A new engine runs cool again.
    expect(rs[6]?.values.t50 as number).toBeLessThan(rs[5]?.values.t50 as number)
  })

  it('degradation fault: healthy before onset, failure about 8 minutes after', () => {
    const onset = T0 + 120_000
    const sim = new TurbofanSim({ id: 'tf-x', siteId: 's', seed: 3, firstTs: T0, cycleMs: CYCLE, lifeCycles: 300, fault: { kind: 'degradation', startTs: onset } })
    expect(sim.asset.metadata.injectedFault).toEqual({ kind: 'degradation', startTs: onset })
    const rs = run(sim, 80)
    const resetAt = rs.findIndex((r, i) => i > 0 && r.values.cycle === 1)
    const failTs = (rs[resetAt - 1] as WideRecord).ts
    expect(failTs - onset).toBeGreaterThan(7 * 60_000)
    expect(failTs - onset).toBeLessThan(9 * 60_000)
    expect(sim.wearAt(5)).toBeLessThan(0.1)
    const last = rs[resetAt - 1] as WideRecord
    const first = rs[0] as WideRecord
    expect(last.values.t50 as number).toBeGreaterThan((first.values.t50 as number) + 10)
    expect(last.values.w32 as number).toBeLessThan(first.values.w32 as number)
  })

  it('is deterministic for a seed', () => {
    const mk = (seed: number): WideRecord[] => run(new TurbofanSim({ id: 'tf-x', siteId: 's', seed, firstTs: T0, cycleMs: CYCLE }), 20)
    expect(mk(11)).toEqual(mk(11))
    expect(mk(11)).not.toEqual(mk(12))
  })

  const fd001 = sharedData('cmapss/train_FD001.txt.gz')
  it('matches FD001: early-life means and end-of-life shifts', () => {
    const rows = parseCmapss(gunzipSync(readFileSync(fd001)).toString('utf8'))
    const units = new Map<number, number[][]>()
    for (const r of rows) units.set(r.unit, [...(units.get(r.unit) ?? []), r.sensors])
    const sims: WideRecord[][] = []
    for (let e = 0; e < 20; e++) {
      const life = 150 + e * 10
      sims.push(run(new TurbofanSim({ id: `tf-${e}`, siteId: 's', seed: 500 + e, firstTs: T0, cycleMs: CYCLE, lifeCycles: life }), life))
    }
    for (const [ch, , s] of DRIFT) {
      const k = Number(s.slice(1)) - 1
      let realEarly = 0
      let realShift = 0
      for (const u of units.values()) {
        const e = u.slice(0, 30).reduce((a, x) => a + (x[k] ?? 0), 0) / 30
        const l = u.slice(-5).reduce((a, x) => a + (x[k] ?? 0), 0) / 5
        realEarly += e / units.size
        realShift += (l - e) / units.size
      }
      let simEarly = 0
      let simShift = 0
      for (const rs of sims) {
        const e = mean(rs.slice(0, 30), ch)
        simEarly += e / sims.length
        simShift += (mean(rs.slice(-5), ch) - e) / sims.length
      }
      expect(Math.abs(simEarly - realEarly), `${ch} early mean`).toBeLessThan(Math.abs(realShift) * 0.25)
      expect(simShift / realShift, `${ch} shift ratio`).toBeGreaterThan(0.7)
      expect(simShift / realShift, `${ch} shift ratio`).toBeLessThan(1.3)
    }
  })
})
