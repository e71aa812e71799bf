import { describe, expect, it } from 'vitest'
import { ReadingBatchBuilder } from '../domain/readings.js'
import { Rng } from '../sim/prng.js'
import { FeatureConfigError } from './errors.js'
import { PaneEmissions, PaneFeatures } from './pane.features.js'

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0)

interface Emitted {
  key: number
  windowSec: number
  endTs: number
  flags: number
  count: number
  mean: number
  std: number
  min: number
  max: number
  slope: number
  last: number
  lastTs: number
}

function collect(out: PaneEmissions, windowsSec: readonly number[]): Emitted[] {
  const r: Emitted[] = []
  for (let i = 0; i < out.length; i++) {
    r.push({ key: out.key[i]!, windowSec: windowsSec[out.windowIdx[i]!]!, endTs: out.endTs[i]!, flags: out.flags[i]!, count: out.count[i]!, mean: out.mean[i]!, std: out.std[i]!, min: out.min[i]!, max: out.max[i]!, slope: out.slope[i]!, last: out.last[i]!, lastTs: out.lastTs[i]! })
  }
  return r
}

/** Direct statistics of raw readings: two-pass mean/variance, least squares on times in seconds. */
function direct(rs: ReadonlyArray<{ ts: number; v: number }>): Omit<Emitted, 'key' | 'windowSec' | 'endTs' | 'flags'> {
  const n = rs.length
  const mean = rs.reduce((a, r) => a + r.v, 0) / n
  const tMean = rs.reduce((a, r) => a + (r.ts - T0) / 1000, 0) / n
  let m2 = 0
  let stt = 0
  let stv = 0
  for (const r of rs) {
    const t = (r.ts - T0) / 1000 - tMean
    m2 += (r.v - mean) ** 2
    stt += t * t
    stv += t * (r.v - mean)
  }
  const newest = rs.reduce((a, r) => (r.ts > a.ts ? r : a))
  return { count: n, mean, std: Math.sqrt(m2 / n), min: Math.min(...rs.map((r) => r.v)), max: Math.max(...rs.map((r) => r.v)), slope: n >= 2 && stt > 0 ? stv / stt : 0, last: newest.v, lastTs: newest.ts }
}

/**
 * The brute-force reference of the documented semantics: raw readings per series; a
 * reading whose pane is at or before current − longest/hop is too late, one equal to the
 * newest time of its pane a duplicate; crossing into a later pane emits every boundary
 * crossed (stored when aligned to the window, live at the newest).
 */
class Reference {
  readonly raw = new Map<number, Array<{ ts: number; v: number }>>()
  readonly cur = new Map<number, number>()
  readonly out: Emitted[] = []
  constructor(
    readonly windowsSec: readonly number[],
    readonly hopSec: number,
  ) {}

  push(key: number, ts: number, v: number): void {
    const hopMs = this.hopSec * 1000
    const kMax = Math.max(...this.windowsSec) / this.hopSec
    const p = Math.floor(ts / hopMs)
    const rs = this.raw.get(key) ?? []
    this.raw.set(key, rs)
    const cur = this.cur.get(key)
    if (cur !== undefined && p > cur) {
      for (let b = cur + 1; b <= Math.min(p, cur + kMax); b++) {
        for (const w of this.windowsSec) {
          const flags = (b % (w / this.hopSec) === 0 ? 1 : 0) | (b === p ? 2 : 0)
          if (flags === 0) continue
          const inWin = rs.filter((r) => r.ts >= b * hopMs - w * 1000 && r.ts < b * hopMs)
          if (inWin.length > 0) this.out.push({ key, windowSec: w, endTs: b * hopMs, flags, ...direct(inWin) })
        }
      }
    }
    const c = cur === undefined || p > cur ? p : cur
    this.cur.set(key, c)
    if (p <= c - kMax) return
    const samePane = rs.filter((r) => Math.floor(r.ts / hopMs) === p)
    if (samePane.length > 0 && Math.max(...samePane.map((r) => r.ts)) === ts) return
    rs.push({ ts, v })
  }
}

function expectClose(got: Emitted[], want: Emitted[]): void {
  expect(got.map((e) => [e.key, e.windowSec, e.endTs, e.flags, e.count, e.min, e.max, e.last, e.lastTs])).toEqual(want.map((e) => [e.key, e.windowSec, e.endTs, e.flags, e.count, e.min, e.max, e.last, e.lastTs]))
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!
    const w = want[i]!
    const scale = Math.max(1, Math.abs(w.mean))
    expect(Math.abs(g.mean - w.mean) / scale).toBeLessThan(1e-9)
    expect(Math.abs(g.std - w.std) / scale).toBeLessThan(1e-6)
    expect(Math.abs(g.slope - w.slope) / Math.max(1, Math.abs(w.slope))).toBeLessThan(1e-6)
  }
}

describe('PaneFeatures', () => {
  it('matches a brute-force reference on random data with late, too-late and duplicate readings, gaps and several series', () => {
    const windows = [10, 30, 60]
    for (const seed of [1, 2, 3]) {
      const rng = new Rng(seed)
      const pf = new PaneFeatures({ windowsSec: windows, hopSec: 10, maxSeries: 100 })
      const ref = new Reference(windows, 10)
      const out = new PaneEmissions()
      const got: Emitted[] = []
      const newest = new Map<number, number>()
      const counts = { late: 0, dup: 0, tooLate: 0 }
      for (let batch = 0; batch < 60; batch++) {
        const b = new ReadingBatchBuilder()
        const n = 1 + Math.floor(rng.next() * 40)
        for (let j = 0; j < n; j++) {
          const key = Math.floor(rng.next() * 4) + (seed === 3 ? 1e9 : 0) // seed 3: keys beyond the flat index
          const prev = newest.get(key) ?? T0 + Math.floor(rng.next() * 5000)
          const r = rng.next()
          let ts: number
          if (r < 0.1) {
            ts = prev - Math.floor(rng.next() * 40_000) // late, sometimes in the same pane
            counts.late++
          } else if (r < 0.15) {
            ts = prev - 60_000 - Math.floor(rng.next() * 20_000)
            counts.tooLate++
          } else if (r < 0.2) {
            ts = prev
            counts.dup++
          } else if (r < 0.22) ts = prev + 70_000 + Math.floor(rng.next() * 60_000) // gap past the longest window
          else ts = prev + 200 + Math.floor(rng.next() * 1500)
          newest.set(key, Math.max(prev, ts))
          // Large offset values: shifted sums must not cancel.
          const v = 1e6 + 100 * Math.sin(ts / 7000) + rng.next()
          b.push(key, ts, v)
          ref.push(key, ts, v)
        }
        out.clear()
        pf.push(b.build(), out)
        got.push(...collect(out, windows))
      }
      expect(counts.late).toBeGreaterThan(10)
      expect(counts.dup).toBeGreaterThan(10)
      expect(ref.out.length).toBeGreaterThan(100)
      expect(ref.out.some((e) => e.flags === 1)).toBe(true)
      expect(ref.out.some((e) => e.flags === 3)).toBe(true)
      expectClose(got, ref.out)
      expect(pf.stats().duplicates).toBeGreaterThan(0)
      expect(pf.stats().tooLate).toBeGreaterThan(0)
      // window(): the window ending at the newest boundary (late readings included), or with the open pane when that one is empty.
      for (const [key, rs] of ref.raw) {
        const cur = ref.cur.get(key)!
        const pane = (r: { ts: number }): number => Math.floor(r.ts / 10_000)
        let inWin = rs.filter((r) => pane(r) >= cur - 3 && pane(r) < cur)
        if (inWin.length === 0) inWin = rs.filter((r) => pane(r) > cur - 3 && pane(r) <= cur)
        const w = pf.window(key, 1)!
        const d = direct(inWin)
        expect([w.count, w.min, w.max, w.last, w.lastTs]).toEqual([d.count, d.min, d.max, d.last, d.lastTs])
        expect(w.mean).toBeCloseTo(d.mean, 6)
        expect(w.slopePerSec).toBeCloseTo(d.slope, 6)
      }
    }
  })

  it('stores each window once per its length (tumbling) and refreshes live vectors every pane; storeEverySec overrides', () => {
    const b = new ReadingBatchBuilder()
    for (let s = 0; s <= 120; s++) b.push(7, T0 + s * 1000, s)
    const count = (storeEverySec?: number): Record<number, number> => {
      const pf = new PaneFeatures({ windowsSec: [10, 30, 60], hopSec: 10, maxSeries: 10, ...(storeEverySec ? { storeEverySec } : {}) })
      const out = new PaneEmissions()
      pf.push(b.build(), out)
      const stored: Record<number, number> = {}
      for (const e of collect(out, pf.windowsSec)) if (e.flags & 1) stored[e.windowSec] = (stored[e.windowSec] ?? 0) + 1
      return stored
    }
    // T0 is on a minute: 12 boundaries crossed in 120 s.
    expect(count()).toEqual({ 10: 12, 30: 4, 60: 2 })
    expect(count(10)).toEqual({ 10: 12, 30: 12, 60: 12 })
    // Window [T0+50 s, T0+60 s) of 1 Hz readings with value = second.
    const pf = new PaneFeatures({ windowsSec: [10, 30, 60], hopSec: 10, maxSeries: 10 })
    const out = new PaneEmissions()
    for (let s = 0; s <= 60; s++) {
      const one = new ReadingBatchBuilder()
      one.push(7, T0 + s * 1000, s)
      pf.push(one.build(), out)
    }
    const e = collect(out, pf.windowsSec).filter((x) => x.endTs === T0 + 60_000)
    expect(e.map((x) => [x.windowSec, x.flags, x.count, x.min, x.max, x.last])).toEqual([
      [10, 3, 10, 50, 59, 59],
      [30, 3, 30, 30, 59, 59],
      [60, 3, 60, 0, 59, 59],
    ])
    expect(e[2]!.slope).toBeCloseTo(1, 12)
    expect(e[2]!.mean).toBeCloseTo(29.5, 12)
  })

  it('marks series fast from the rate of a closed pane, and lists their readings', () => {
    const pf = new PaneFeatures({ windowsSec: [10], hopSec: 10, maxSeries: 10, fastRateHz: 8 })
    const b = new ReadingBatchBuilder()
    for (let i = 0; i < 20 * 16; i++) b.push(1, T0 + i * (1000 / 16), 0)
    for (let s = 0; s < 20; s++) b.push(2, T0 + s * 1000, 0)
    pf.push(b.build(), new PaneEmissions())
    expect(pf.isFast(1)).toBe(true)
    expect(pf.isFast(2)).toBe(false)
    // The whole second pane of series 1 (the reading that closed the first one included).
    expect(pf.fastReadings).toBe(160)
  })

  it('refuses series beyond maxSeries, frees them on evict, and rejects windows that are not multiples of the hop', () => {
    const pf = new PaneFeatures({ windowsSec: [10], hopSec: 10, maxSeries: 2 })
    const b = new ReadingBatchBuilder()
    for (const k of [1, 2, 3]) b.push(k, T0, k)
    pf.push(b.build(), new PaneEmissions())
    expect(pf.stats()).toMatchObject({ series: 2, refused: 1 })
    pf.evict(1)
    const only3 = new ReadingBatchBuilder()
    only3.push(3, T0, 3)
    pf.push(only3.build(), new PaneEmissions())
    expect(pf.has(3)).toBe(true)
    expect(pf.window(3, 0)).toMatchObject({ count: 1, last: 3 })
    expect(() => new PaneFeatures({ windowsSec: [15], hopSec: 10, maxSeries: 1 })).toThrow(FeatureConfigError)
    expect(() => new PaneFeatures({ windowsSec: [20], hopSec: 10, maxSeries: 1, storeEverySec: 15 })).toThrow(/storeEverySec/)
  })
})
