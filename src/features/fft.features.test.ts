import { describe, it, expect } from 'vitest'
import { FeatureConfigError } from './errors.js'
import { FftFeatureExtractor, type FftOptions } from './fft.features.js'
import { Rng } from '../sim/prng.js'

const T0 = 1.8e12

/** Deterministic uniform [0, 1) numbers from the simulators' seeded generator. */
const rng = (seed: number): (() => number) => {
  const r = new Rng(seed)
  return () => r.next()
}

function gaussian(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())
}

interface Tone {
  hz: number
  amp: number
  phase?: number
}

function signal(rateHz: number, n: number, tones: readonly Tone[], offset = 0): { ts: Float64Array; value: Float64Array } {
  const ts = new Float64Array(n)
  const value = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const tSec = i / rateHz
    ts[i] = T0 + tSec * 1000
    let v = offset
    for (const { hz, amp, phase = 0.3 } of tones) v += amp * Math.sin(2 * Math.PI * hz * tSec + phase)
    value[i] = v
  }
  return { ts, value }
}

/** Independent reference: direct DFT of the mean-removed, Hann-windowed tail, one-sided, scaled to the variance. */
function naiveBands(value: Float64Array, size: number, rateHz: number, edgesHz: readonly (readonly [number, number])[]): { variance: number; bands: number[] } {
  const x = Array.from(value.subarray(value.length - size))
  const mean = x.reduce((a, b) => a + b, 0) / size
  const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / size
  const w = x.map((v, i) => (v - mean) * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size)))
  const power: number[] = []
  for (let k = 0; k <= size / 2; k++) {
    let re = 0
    let im = 0
    for (let i = 0; i < size; i++) {
      re += (w[i] as number) * Math.cos((2 * Math.PI * k * i) / size)
      im -= (w[i] as number) * Math.sin((2 * Math.PI * k * i) / size)
    }
    power.push((k === 0 || k === size / 2 ? 1 : 2) * (re * re + im * im))
  }
  const total = power.reduce((a, b) => a + b, 0)
  const bands = edgesHz.map(([lo, hi]) => {
    let e = 0
    power.forEach((p, k) => {
      const f = (k * rateHz) / size
      if (f >= lo && (f < hi || (k === size / 2 && f <= hi))) e += p
    })
    return (e / total) * variance
  })
  return { variance, bands }
}

const sum = (a: Float64Array): number => a.reduce((x, y) => x + y, 0)

describe('FftFeatureExtractor', () => {
  describe('single tones: dominant frequency, and all the variance (A²/2) in the band of the tone', () => {
    it.each([
      // rateHz, samples, tone Hz, amplitude, band holding it (4 equal bands)
      { rateHz: 256, n: 4096, hz: 10, amp: 1, band: 0 },
      { rateHz: 256, n: 4096, hz: 50.3, amp: 2.5, band: 1 },
      { rateHz: 256, n: 5000, hz: 77.77, amp: 0.01, band: 2 },
      { rateHz: 1000, n: 8192, hz: 400, amp: 3, band: 3 },
      { rateHz: 20, n: 256, hz: 3.3, amp: 1, band: 1 },
    ])('$hz Hz × $amp at $rateHz Hz', ({ rateHz, n, hz, amp, band }) => {
      const { ts, value } = signal(rateHz, n, [{ hz, amp }])
      const f = new FftFeatureExtractor().compute(ts, value)
      expect(f).toBeDefined()
      if (!f) return
      const binHz = rateHz / f.size
      expect(f.sampleRateHz).toBeCloseTo(rateHz, 6)
      // Interpolation between bins: well within a tenth of a bin.
      expect(Math.abs(f.dominantHz - hz)).toBeLessThan(0.1 * binHz)
      expect(sum(f.bandEnergy)).toBeCloseTo(f.variance, 12)
      expect(Math.abs(f.variance / ((amp * amp) / 2) - 1)).toBeLessThan(0.005)
      expect((f.bandEnergy[band] as number) / f.variance).toBeGreaterThan(0.999)
    })
  })

  it('takes the newest power-of-two samples, up to maxSize', () => {
    // 1000 samples: the first 488 at 5 Hz, the newest 512 at 30 Hz.
    const rateHz = 128
    const { ts, value } = signal(rateHz, 1000, [{ hz: 30, amp: 1 }])
    for (let i = 0; i < 488; i++) value[i] = Math.sin((2 * Math.PI * 5 * i) / rateHz)
    const f = new FftFeatureExtractor().compute(ts, value)
    expect(f?.size).toBe(512)
    expect(f?.dominantHz).toBeCloseTo(30, 1)
    const capped = new FftFeatureExtractor({ maxSize: 128 }).compute(ts, value)
    expect(capped?.size).toBe(128)
  })

  it('two tones: each band holds its tone, the stronger one dominates', () => {
    const { ts, value } = signal(256, 4096, [
      { hz: 12, amp: 1 },
      { hz: 80, amp: 2 },
    ])
    const f = new FftFeatureExtractor().compute(ts, value)
    expect(f).toBeDefined()
    if (!f) return
    expect(f.dominantHz).toBeCloseTo(80, 1)
    expect(f.variance).toBeCloseTo(0.5 + 2, 2)
    expect(f.bandEnergy[0]).toBeCloseTo(0.5, 2)
    expect(f.bandEnergy[2]).toBeCloseTo(2, 2)
    expect((f.bandEnergy[1] as number) + (f.bandEnergy[3] as number)).toBeLessThan(1e-3)
    expect(sum(f.bandEnergy)).toBeCloseTo(f.variance, 12)
  })

  it('white noise spreads its variance evenly over the bands', () => {
    const r = rng(42)
    const n = 8192
    const ts = new Float64Array(n)
    const value = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      ts[i] = T0 + (i * 1000) / 256
      value[i] = 3 * gaussian(r)
    }
    const f = new FftFeatureExtractor().compute(ts, value)
    expect(f).toBeDefined()
    if (!f) return
    expect(f.variance).toBeGreaterThan(9 * 0.95)
    expect(f.variance).toBeLessThan(9 * 1.05)
    expect(sum(f.bandEnergy)).toBeCloseTo(f.variance, 10)
    for (const e of f.bandEnergy) expect(Math.abs(e / (f.variance / 4) - 1)).toBeLessThan(0.1)
  })

  it('a DC offset changes nothing: the mean is removed first', () => {
    const tone = [{ hz: 40, amp: 1.5 }]
    const plain = signal(256, 2048, tone)
    const offset = signal(256, 2048, tone, 1e6)
    const fx = new FftFeatureExtractor()
    const a = fx.compute(plain.ts, plain.value)
    const b = fx.compute(offset.ts, offset.value)
    expect(a && b).toBeDefined()
    if (!a || !b) return
    expect(b.dominantHz).toBeCloseTo(a.dominantHz, 6)
    expect(b.variance).toBeCloseTo(a.variance, 6)
    for (let i = 0; i < 4; i++) expect(b.bandEnergy[i]).toBeCloseTo(a.bandEnergy[i] as number, 6)
  })

  it('a constant signal has no dominant frequency and no band energy', () => {
    const { ts, value } = signal(100, 512, [], 7)
    const f = new FftFeatureExtractor().compute(ts, value)
    expect(f?.dominantHz).toBe(0)
    expect(f?.variance).toBe(0)
    expect(Array.from(f?.bandEnergy ?? [])).toEqual([0, 0, 0, 0])
  })

  it('matches a direct DFT for explicit Hz bands, including a gap', () => {
    const r = rng(7)
    const rateHz = 200
    const { ts, value } = signal(rateHz, 300, [
      { hz: 7, amp: 1 },
      { hz: 33, amp: 0.5 },
    ])
    for (let i = 0; i < value.length; i++) value[i] = (value[i] as number) + 0.2 * gaussian(r)
    const edges = [
      [0, 10],
      [10, 40],
      [60, 100],
    ] as const
    const f = new FftFeatureExtractor({ bands: edges }).compute(ts, value)
    const ref = naiveBands(value, 256, rateHz, edges)
    expect(f?.size).toBe(256)
    expect(f?.variance).toBeCloseTo(ref.variance, 10)
    for (let b = 0; b < edges.length; b++) expect(f?.bandEnergy[b]).toBeCloseTo(ref.bands[b] as number, 10)
    // The 40–60 Hz gap holds a little noise, so the listed bands sum to less than the variance.
    expect(sum(f?.bandEnergy ?? new Float64Array())).toBeLessThan(ref.variance)
  })

  it('estimates the rate from jittered timestamps', () => {
    const r = rng(3)
    const { ts, value } = signal(256, 2048, [{ hz: 25, amp: 1 }])
    for (let i = 0; i < ts.length; i++) ts[i] = (ts[i] as number) + (r() - 0.5) * 0.5
    const f = new FftFeatureExtractor().compute(ts, value)
    expect(Math.abs((f?.sampleRateHz ?? 0) / 256 - 1)).toBeLessThan(0.001)
    expect(Math.abs((f?.dominantHz ?? 0) - 25)).toBeLessThan(0.125)
  })

  it.each([
    { what: 'below the rate threshold', rateHz: 5, n: 256, options: {} },
    { what: 'below a raised threshold', rateHz: 50, n: 256, options: { minRateHz: 64 } },
    { what: 'too few samples', rateHz: 256, n: 15, options: {} },
    { what: 'a single timestamp', rateHz: Number.POSITIVE_INFINITY, n: 32, options: {} },
  ])('gives nothing $what', ({ rateHz, n, options }) => {
    const { ts, value } = signal(rateHz, n, [{ hz: 1, amp: 1 }])
    expect(new FftFeatureExtractor(options).compute(ts, value)).toBeUndefined()
  })

  it.each<Partial<FftOptions>>([{ minSize: 12 }, { maxSize: 8 }, { minRateHz: -1 }, { bands: 0 }, { bands: [] }, { bands: [[10, 5]] }])('refuses options %j', (options) => {
    expect(() => new FftFeatureExtractor(options)).toThrow(FeatureConfigError)
  })
})
