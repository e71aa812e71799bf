import { describe, it, expect } from 'vitest'
import { ReadingBatchBuilder, type ReadingBatch } from '../domain/readings.js'
import { FeatureConfigError, UnknownWindowError } from './errors.js'
import { RollingFeatures, type RollingSnapshot } from './rolling.features.js'
import { Rng } from '../sim/prng.js'

const T0 = 1.8e12

/** Deterministic uniform [0, 1) numbers from the simulators' seeded generator. */
const rng = (seed: number): (() => number) => {
  const r = new Rng(seed)
  return () => r.next()
}

function batchOf(points: readonly (readonly [series: number, ts: number, value: number])[]): ReadingBatch {
  const b = new ReadingBatchBuilder()
  for (const [s, t, v] of points) b.push(s, t, v)
  return b.build()
}

type Point = readonly [ts: number, value: number]

/**
 * The reference: every accepted reading of one series kept in a plain list, statistics
 * recomputed from scratch (two passes) over the window. It also applies the documented
 * acceptance rule, so it says which readings the extractor must have kept.
 */
class Naive {
  points: Point[] = []
  constructor(readonly longestMs: number) {}

  offer(ts: number, v: number): 'accepted' | 'late' | 'duplicate' | 'tooLate' {
    const newest = this.points.length ? Math.max(...this.points.map((p) => p[0])) : -Infinity
    if (ts <= newest - this.longestMs) return 'tooLate'
    if (this.points.some((p) => p[0] === ts)) return 'duplicate'
    this.points.push([ts, v])
    return ts > newest ? 'accepted' : 'late'
  }

  snapshot(windowSec: number): Omit<RollingSnapshot, 'windowSec'> {
    const sorted = [...this.points].sort((a, b) => a[0] - b[0])
    const newest = (sorted[sorted.length - 1] as Point)[0]
    const w = sorted.filter((p) => p[0] > newest - windowSec * 1000)
    const n = w.length
    const mean = w.reduce((a, p) => a + p[1], 0) / n
    const tMean = w.reduce((a, p) => a + (p[0] - newest) / 1000, 0) / n
    let sxx = 0
    let sxy = 0
    let svv = 0
    for (const [ts, v] of w) {
      const dt = (ts - newest) / 1000 - tMean
      sxx += dt * dt
      sxy += dt * (v - mean)
      svv += (v - mean) ** 2
    }
    return {
      count: n,
      mean,
      std: Math.sqrt(svv / n),
      min: Math.min(...w.map((p) => p[1])),
      max: Math.max(...w.map((p) => p[1])),
      slopePerSec: n >= 2 ? sxy / sxx : 0,
      last: (sorted[sorted.length - 1] as Point)[1],
      lastTs: newest,
      firstTs: (w[0] as Point)[0],
    }
  }
}

/** Compares with a tolerance relative to the scale of the data (values and their spread). */
function expectSnapshot(actual: RollingSnapshot | undefined, expected: Omit<RollingSnapshot, 'windowSec'>, scale: number, relTol = 1e-9): void {
  expect(actual).toBeDefined()
  if (!actual) return
  expect(actual.count).toBe(expected.count)
  expect(actual.min).toBe(expected.min)
  expect(actual.max).toBe(expected.max)
  expect(actual.last).toBe(expected.last)
  expect(actual.lastTs).toBe(expected.lastTs)
  expect(actual.firstTs).toBe(expected.firstTs)
  expect(Math.abs(actual.mean - expected.mean)).toBeLessThanOrEqual(relTol * scale)
  expect(Math.abs(actual.std - expected.std)).toBeLessThanOrEqual(relTol * scale + 1e-6 * expected.std)
  expect(Math.abs(actual.slopePerSec - expected.slopePerSec)).toBeLessThanOrEqual(relTol * scale + 1e-6 * Math.abs(expected.slopePerSec))
}

describe('RollingFeatures', () => {
  it('a linear ramp: exact slope, mean, min, max over each window', () => {
    const rf = new RollingFeatures()
    // 0.5 units per second at 1 Hz for 100 s.
    rf.push(batchOf(Array.from({ length: 100 }, (_, i) => [1, T0 + i * 1000, 10 + 0.5 * i] as const)))
    for (const [windowSec, count] of [
      [10, 10],
      [30, 30],
      [60, 60],
    ] as const) {
      const s = rf.snapshot(1, windowSec)
      const first = 10 + 0.5 * (100 - count)
      expect(s?.count).toBe(count)
      expect(s?.slopePerSec).toBeCloseTo(0.5, 9)
      expect(s?.min).toBe(first)
      expect(s?.max).toBe(10 + 0.5 * 99)
      expect(s?.mean).toBeCloseTo((first + 10 + 0.5 * 99) / 2, 9)
      // Population std of an arithmetic sequence: step · sqrt((n² − 1) / 12).
      expect(s?.std).toBeCloseTo(0.5 * Math.sqrt((count * count - 1) / 12), 9)
      expect(s?.last).toBe(59.5)
    }
  })

  describe('matches a naive recomputation after every batch', () => {
    it.each([
      { what: '1 Hz, small values', seed: 1, n: 400, periodMs: 1000, jitterMs: 0, offset: 0, spread: 1, windowsSec: [10, 30, 60] },
      { what: '10 Hz with jitter, large offset', seed: 2, n: 3000, periodMs: 100, jitterMs: 30, offset: 1e6, spread: 1e-3, windowsSec: [10, 30, 60] },
      { what: 'irregular with gaps beyond the longest window', seed: 3, n: 600, periodMs: 0, jitterMs: 0, offset: -50, spread: 20, windowsSec: [5, 20] },
      { what: 'one fractional window', seed: 4, n: 500, periodMs: 250, jitterMs: 100, offset: 3, spread: 1, windowsSec: [2.5] },
    ])('$what', ({ seed, n, periodMs, jitterMs, offset, spread, windowsSec }) => {
      const r = rng(seed)
      const rf = new RollingFeatures({ windowsSec, fft: false })
      const naive = new Naive(Math.max(...windowsSec) * 1000)
      let ts = T0
      let pending: [number, number, number][] = []
      for (let i = 0; i < n; i++) {
        // periodMs 0: irregular steps, now and then a long silence.
        ts += periodMs > 0 ? periodMs : r() < 0.02 ? 120_000 : 1 + Math.floor(r() * 3000)
        const t = ts + Math.round((r() - 0.5) * jitterMs)
        const v = offset + spread * (Math.sin(i / 7) + r())
        naive.offer(t, v)
        pending.push([9, t, v])
        if (pending.length >= 1 + Math.floor(r() * 20)) {
          rf.push(batchOf(pending))
          pending = []
          for (const w of windowsSec) expectSnapshot(rf.snapshot(9, w), naive.snapshot(w), Math.abs(offset) + spread)
        }
      }
    })
  })

  it('keeps sums well-conditioned over a long run at epoch-ms times', () => {
    // 100 Hz for 30 min, values 1e6 ± 1e-3: variance cancellation would show at once.
    const rf = new RollingFeatures({ windowsSec: [10, 60], fft: false })
    const naive = new Naive(60_000)
    const b = new ReadingBatchBuilder(100)
    for (let sec = 0; sec < 1800; sec++) {
      b.truncate(0)
      for (let i = 0; i < 100; i++) {
        const ts = T0 + sec * 1000 + i * 10
        b.push(5, ts, 1e6 + 1e-3 * Math.sin(ts / 700) + 1e-5 * sec)
      }
      rf.push(b.build())
    }
    // The reference holds the last 60 s only: the rest left every window long ago.
    for (let sec = 1740; sec < 1800; sec++) {
      for (let i = 0; i < 100; i++) {
        const ts = T0 + sec * 1000 + i * 10
        naive.points.push([ts, 1e6 + 1e-3 * Math.sin(ts / 700) + 1e-5 * sec])
      }
    }
    for (const w of [10, 60]) {
      const got = rf.snapshot(5, w)
      const want = naive.snapshot(w)
      expect(got?.count).toBe(want.count)
      expect(Math.abs((got?.mean ?? 0) - want.mean)).toBeLessThan(1e-9)
      expect(Math.abs((got?.std ?? 0) / want.std - 1)).toBeLessThan(1e-6)
      expect(Math.abs((got?.slopePerSec ?? 0) - want.slopePerSec)).toBeLessThan(1e-9)
    }
  })

  describe('out-of-order readings', () => {
    it.each([
      { what: 'mild jitter', seed: 11, swapWithin: 3, periodMs: 1000 },
      { what: 'heavy shuffling within 40 readings', seed: 12, swapWithin: 40, periodMs: 500 },
      { what: 'shuffling across the longest window', seed: 13, swapWithin: 150, periodMs: 500 },
    ])('$what: inserted in order, duplicates and too-late readings ignored', ({ seed, swapWithin, periodMs }) => {
      const r = rng(seed)
      const ts = Array.from({ length: 1500 }, (_, i) => T0 + i * periodMs)
      // Local shuffle: swap each reading with one up to `swapWithin` later.
      for (let i = 0; i < ts.length; i++) {
        const j = Math.min(ts.length - 1, i + Math.floor(r() * swapWithin))
        ;[ts[i], ts[j]] = [ts[j] as number, ts[i] as number]
      }
      // Resend some readings: duplicates.
      for (let i = 0; i < 100; i++) ts.splice(Math.floor(r() * ts.length), 0, ts[Math.floor(r() * ts.length)] as number)
      const rf = new RollingFeatures({ windowsSec: [10, 30, 60], fft: false })
      const naive = new Naive(60_000)
      const counts = { accepted: 0, late: 0, duplicate: 0, tooLate: 0 }
      const value = (t: number): number => Math.round(Math.sin(t / 3000) * 50 + ((t / periodMs) % 13))
      for (let i = 0; i < ts.length; i += 7) {
        const chunk = ts.slice(i, i + 7)
        for (const t of chunk) counts[naive.offer(t, value(t))]++
        rf.push(batchOf(chunk.map((t) => [3, t, value(t)] as const)))
        for (const w of [10, 30, 60]) expectSnapshot(rf.snapshot(3, w), naive.snapshot(w), 60)
      }
      const stats = rf.stats()
      expect(stats.accepted).toBe(counts.accepted)
      expect(stats.late).toBe(counts.late)
      expect(stats.duplicates).toBe(counts.duplicate)
      expect(stats.tooLate).toBe(counts.tooLate)
      expect(counts.late).toBeGreaterThan(0)
      expect(counts.duplicate).toBeGreaterThan(0)
    })

    it.each([
      // newest at 100 s; longest window 60 s: a reading at 40 s (exactly 60 s older) is too late.
      { ts: 40_000, outcome: 'tooLate', count60: 60 },
      { ts: 40_500, outcome: 'late', count60: 61 },
      { ts: 99_000, outcome: 'duplicate', count60: 60 },
      { ts: 100_000, outcome: 'duplicate', count60: 60 },
      { ts: 99_500, outcome: 'late', count60: 61 },
    ] as const)('a reading at $ts ms is $outcome', ({ ts, outcome, count60 }) => {
      const rf = new RollingFeatures({ fft: false })
      rf.push(batchOf(Array.from({ length: 101 }, (_, i) => [1, T0 + i * 1000, i] as const)))
      rf.push(batchOf([[1, T0 + ts, -1]]))
      const stats = rf.stats()
      expect({ late: stats.late, duplicate: stats.duplicates, tooLate: stats.tooLate }).toEqual({
        late: outcome === 'late' ? 1 : 0,
        duplicate: outcome === 'duplicate' ? 1 : 0,
        tooLate: outcome === 'tooLate' ? 1 : 0,
      })
      expect(rf.snapshot(1, 60)?.count).toBe(count60)
      expect(rf.snapshot(1, 60)?.min).toBe(outcome === 'late' ? -1 : 41)
      // A late reading leaves the window anchored at the newest: last stays 100.
      expect(rf.snapshot(1, 10)?.last).toBe(100)
    })
  })

  it('many series with monotonic runs, late readings and releases match the reference', () => {
    const r = rng(21)
    const windowsSec = [2, 5, 20]
    const rf = new RollingFeatures({ windowsSec, fft: false })
    const naive = new Map<number, Naive>()
    const clock = new Map<number, number>()
    let now = T0
    let released = 0
    for (let round = 0; round < 300; round++) {
      const points: [number, number, number][] = []
      for (let k = 0; k < 40; k++) {
        // Series 11 falls silent after round 50: it must be released once idle for 20 s.
        const series = Math.floor(r() * (round < 50 ? 12 : 11))
        const ts = (clock.get(series) ?? now) + 50 + Math.floor(r() * 400)
        clock.set(series, ts)
        now = Math.max(now, ts)
        // Long rising and falling runs make the deques grow; some readings come late.
        const v = round % 40 < 20 ? round + r() : -round - r()
        const lateMs = Math.floor(r() * (r() < 0.1 ? 30_000 : 3000))
        points.push([series, r() < 0.15 ? ts - lateMs : ts, v])
      }
      rf.push(batchOf(points))
      for (const [series, t, v] of points) {
        let ref = naive.get(series)
        if (!ref) naive.set(series, (ref = new Naive(20_000)))
        ref.offer(t, v)
      }
      if (round % 50 === 49) {
        // Series whose clocks fell 20 s behind the fleet are released too, and start afresh.
        released += rf.releaseIdle(now)
        for (const [series, ref] of naive) if (Math.max(...ref.points.map((p) => p[0])) <= now - 20_000) naive.delete(series)
      }
      for (const [series, ref] of naive) for (const w of windowsSec) expectSnapshot(rf.snapshot(series, w), ref.snapshot(w), 300)
      expect(rf.size).toBe(naive.size)
    }
    expect(released).toBeGreaterThan(0)
    expect(rf.stats().late).toBeGreaterThan(100)
    expect(rf.stats().tooLate).toBeGreaterThan(0)
  })

  it('keeps series apart within one batch', () => {
    const rf = new RollingFeatures({ windowsSec: [10], fft: false })
    const points: [number, number, number][] = []
    for (let i = 0; i < 30; i++) for (let s = 0; s < 3; s++) points.push([s, T0 + i * 1000, s * 100 + i])
    rf.push(batchOf(points))
    for (let s = 0; s < 3; s++) {
      expect(rf.snapshot(s, 10)).toMatchObject({ count: 10, min: s * 100 + 20, max: s * 100 + 29, last: s * 100 + 29 })
    }
    expect(rf.snapshot(99, 10)).toBeUndefined()
  })

  it('skips non-finite readings', () => {
    const rf = new RollingFeatures({ fft: false })
    rf.push(batchOf([[1, T0, 1], [1, T0 + 1000, Number.NaN], [1, Number.NaN, 2], [1, T0 + 2000, Number.POSITIVE_INFINITY], [1, T0 + 3000, 3]]))
    expect(rf.stats().invalid).toBe(3)
    expect(rf.snapshot(1, 10)).toMatchObject({ count: 2, mean: 2, min: 1, max: 3 })
  })

  describe('memory bounds', () => {
    it('buffers only the longest window, releases idle series, shrinks after a burst', () => {
      const rf = new RollingFeatures({ windowsSec: [10, 60], fft: false })
      const b = new ReadingBatchBuilder()
      // Series 1: a 1 kHz burst for 5 min, then 1 Hz. Series 2: 1 Hz, stops at 100 s.
      for (let ms = 0; ms < 300_000; ms++) b.push(1, T0 + ms, ms % 17)
      for (let s = 0; s < 100; s++) b.push(2, T0 + s * 1000, s)
      rf.push(b.build())
      expect(rf.stats().samples).toBe(60_000 + 60)
      b.truncate(0)
      for (let s = 300; s < 400; s++) b.push(1, T0 + s * 1000, s)
      rf.push(b.build())
      expect(rf.stats().samples).toBe(60 + 60)

      // Idle once its newest reading is a full longest window (60 s) old.
      expect(rf.releaseIdle(T0 + 158_999)).toBe(0)
      expect(rf.releaseIdle(T0 + 159_000)).toBe(1)
      expect(rf.has(2)).toBe(false)
      expect(rf.snapshot(1, 60)).toMatchObject({ count: 60, min: 340, max: 399 })
      // The burst buffer was halved down to fit 60 readings; the state still works.
      rf.push(batchOf([[1, T0 + 400_000, 1000]]))
      expect(rf.snapshot(1, 60)).toMatchObject({ count: 60, max: 1000, min: 341 })
      expect(rf.evict(1)).toBe(true)
      expect(rf.size).toBe(0)
      expect(rf.stats().samples).toBe(0)
    })

    it('refuses new series beyond maxSeries until some are released', () => {
      const rf = new RollingFeatures({ maxSeries: 2, fft: false })
      rf.push(batchOf([[1, T0, 1], [2, T0, 2], [3, T0, 3], [3, T0 + 1, 3]]))
      expect(rf.stats()).toMatchObject({ series: 2, refused: 2 })
      rf.evict(1)
      rf.push(batchOf([[3, T0 + 2, 3]]))
      expect(rf.has(3)).toBe(true)
    })

    it('caps the readings per series: windows then hold the newest readings only', () => {
      const rf = new RollingFeatures({ windowsSec: [1, 60], maxSamplesPerSeries: 100, fft: false })
      const naive = new Naive(60_000)
      const points: [number, number, number][] = []
      for (let i = 0; i < 1000; i++) points.push([1, T0 + i * 10, Math.sin(i)])
      rf.push(batchOf(points))
      // Capacity rounds up to 128: the 60 s window holds the newest 128 readings.
      naive.points = points.slice(-128).map(([, t, v]) => [t, v])
      expectSnapshot(rf.snapshot(1, 60), naive.snapshot(60), 1)
      expectSnapshot(rf.snapshot(1, 1), naive.snapshot(1), 1)
      expect(rf.snapshot(1, 1)?.count).toBe(100)
      // A late reading has no room while full.
      rf.push(batchOf([[1, T0 + 9985, 5]]))
      expect(rf.stats().tooLate).toBe(1)
    })
  })

  describe('FFT features and vectors', () => {
    function highRate(rf: RollingFeatures, series: number, rateHz: number, seconds: number, hz: number): void {
      const b = new ReadingBatchBuilder()
      for (let i = 0; i < rateHz * seconds; i++) b.push(series, T0 + (i * 1000) / rateHz, 2 * Math.sin((2 * Math.PI * hz * i) / rateHz))
      rf.push(b.build())
    }

    it('computes FFT features over a window of a fast series only', () => {
      const rf = new RollingFeatures()
      highRate(rf, 1, 256, 70, 20)
      rf.push(batchOf(Array.from({ length: 70 }, (_, i) => [2, T0 + i * 1000, i] as const)))
      // The window holds 256·w readings; the transform takes the largest power of two that fits, up to 8192.
      for (const [w, size] of [
        [10, 2048],
        [30, 4096],
        [60, 8192],
      ] as const) {
        const f = rf.fft(1, w)
        expect(f?.size).toBe(size)
        expect(f?.dominantHz).toBeCloseTo(20, 1)
        expect(f?.variance).toBeCloseTo(2, 2)
      }
      expect(rf.fft(2, 60)).toBeUndefined()
    })

    it('names every feature of a series in its vector', () => {
      const rf = new RollingFeatures({ windowsSec: [10, 60], fftWindowsSec: [60], fft: { bands: 2 } })
      highRate(rf, 1, 64, 70, 5)
      const v = rf.vector(1, 'vib')
      const snap = rf.snapshot(1, 10)
      expect(Object.keys(v).sort()).toEqual(
        [
          ...['count', 'mean', 'std', 'min', 'max', 'slope', 'last'].flatMap((s) => [`vib.w10.${s}`, `vib.w60.${s}`]),
          'vib.w60.fft.dominant_hz',
          'vib.w60.fft.band0',
          'vib.w60.fft.band1',
        ].sort(),
      )
      expect(v['vib.w10.slope']).toBe(snap?.slopePerSec)
      expect(v['vib.w10.std']).toBe(snap?.std)
      expect(v['vib.w60.fft.dominant_hz']).toBeCloseTo(5, 1)
      expect(rf.vector(2, 'x')).toEqual({})
      expect(new RollingFeatures({ fft: false, windowsSec: [10] }).vector(1, 'x')).toEqual({})
    })

    it('window() returns the readings in the window, oldest first', () => {
      const rf = new RollingFeatures({ windowsSec: [3], fft: false })
      rf.push(batchOf([[1, T0, 0], [1, T0 + 2000, 2], [1, T0 + 1000, 1], [1, T0 + 4000, 4]]))
      const w = rf.window(1, 3)
      expect(Array.from(w?.ts ?? [])).toEqual([T0 + 2000, T0 + 4000])
      expect(Array.from(w?.value ?? [])).toEqual([2, 4])
    })
  })

  it('refuses unknown windows and bad options', () => {
    const rf = new RollingFeatures()
    expect(() => rf.snapshot(1, 15)).toThrow(UnknownWindowError)
    for (const options of [{ windowsSec: [] }, { windowsSec: [0] }, { windowsSec: [10, 10] }, { maxSeries: 0 }, { maxSamplesPerSeries: 1 }, { fftWindowsSec: [15] }, { fft: { maxSize: 3 } }]) {
      expect(() => new RollingFeatures(options)).toThrow(FeatureConfigError)
    }
  })
})
