import { describe, expect, it } from 'vitest'
import { FeatureBatch, checkFeatureTimes, type FeatureRow } from './features.js'

const row = (i: number, bands: number[] | null = null): FeatureRow => ({
  series: i,
  windowSec: i % 2 === 0 ? 10 : 60,
  ts: 1_767_571_200_000 + i * 1000,
  count: i + 1,
  mean: i / 3,
  std: -i,
  min: -Infinity,
  max: i * 1e300,
  slope: 0.1 * i,
  last: Number.NaN,
  fftDominantHz: bands ? i + 0.5 : null,
  fftBands: bands,
})

describe('FeatureBatch', () => {
  it('gives back every row as pushed, across growth, with FFT features only where they were', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => row(i, i % 97 === 0 ? [i, i + 1, i + 2, i + 3] : null))
    const b = new FeatureBatch(3)
    for (const r of rows) b.push(r.series, r.windowSec, r.ts, r.count, r.mean, r.std, r.min, r.max, r.slope, r.last, r.fftDominantHz ?? Number.NaN, r.fftBands)
    expect(b.length).toBe(1000)
    expect(b.series.length).toBeGreaterThanOrEqual(1000)
    expect(Array.from({ length: b.length }, (_, i) => b.row(i))).toEqual(rows)
    expect([...b.bands.keys()]).toEqual(rows.flatMap((r, i) => (r.fftBands ? [i] : [])))
    expect(FeatureBatch.of(rows).row(97)).toEqual(rows[97])
  })

  it('is empty after clear, bands included, and keeps its capacity', () => {
    const b = FeatureBatch.of([row(0, [1, 2]), row(1)])
    const cap = b.series.length
    b.clear()
    expect(b.length).toBe(0)
    expect(b.bands.size).toBe(0)
    b.push(5, 10, 1000, 1, 1, 0, 1, 1, 0, 1)
    expect(b.row(0)).toMatchObject({ series: 5, fftDominantHz: null, fftBands: null })
    expect(b.series.length).toBe(cap)
  })

  it('checkFeatureTimes names the first row whose time is not whole epoch ms', () => {
    expect(() => checkFeatureTimes(FeatureBatch.of([row(0), row(1)]))).not.toThrow()
    expect(() => checkFeatureTimes(FeatureBatch.of([row(0), { ...row(1), ts: 1.5 }, { ...row(2), ts: Number.NaN }]))).toThrow(/feature row 1: ts must be an integer/)
  })
})
