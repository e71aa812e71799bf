/**
 * FeatureStore conformance: the same cases for every adapter. Each case opens a fresh
 * store (runs migration 6 with the rest).
 */
import { describe, expect, it } from 'vitest'
import { FeatureBatch, type FeatureRow } from '../../src/domain/features.js'
import { StoreQueryError } from '../../src/store/errors.js'
import type { Stores } from '../../src/store/ports.js'
import { freshStores } from './fresh.js'

const T0 = Date.UTC(2026, 10, 22, 23, 59, 0)

function row(series: number, windowSec: number, ts: number, v: number, bands: number[] | null = null): FeatureRow {
  return { series, windowSec, ts, count: 10 + Math.floor(Math.abs(v)), mean: v, std: v / 10, min: v - 1, max: v + 1, slope: -v / 100, last: v + 0.5, fftDominantHz: bands ? 12.5 + v : null, fftBands: bands }
}

export function runFeatureStoreSuite(name: string, open: () => Promise<Stores>): void {
  describe(`${name} feature store`, () => {
    const fresh = freshStores(open)

    it('migration 6 is applied after 3 (versions 4 and 5 may be missing)', async () => {
      const { meta } = await fresh()
      const status = await meta.migrationStatus()
      expect(status.pending).toEqual([])
      expect(status.latest).toBeGreaterThanOrEqual(6)
    })

    it('appends rows and reads them back exactly, ordered by series, window and ts, with FFT bands where present', async () => {
      const { features } = await fresh()
      const rows = [row(2, 10, T0 + 10_000, 3), row(1, 30, T0, 1.25), row(1, 10, T0 + 10_000, 2, [0.5, 0.25, 0.125, 0.0625]), row(1, 10, T0, 1)]
      await features.append(FeatureBatch.of(rows))
      const got = await features.range({ series: [1, 2], from: T0, to: T0 + 60_000, maxPoints: 100 })
      expect(got).toEqual([row(1, 10, T0, 1), row(1, 10, T0 + 10_000, 2, [0.5, 0.25, 0.125, 0.0625]), row(1, 30, T0, 1.25), row(2, 10, T0 + 10_000, 3)])
      // Filters: series, windows and the half-open range.
      expect(await features.range({ series: [1], windowsSec: [10], from: T0, to: T0 + 10_000, maxPoints: 100 })).toEqual([row(1, 10, T0, 1)])
      expect(await features.range({ series: [3], from: T0, to: T0 + 60_000, maxPoints: 100 })).toEqual([])
      expect(await features.range({ series: [1], windowsSec: [], from: T0, to: T0 + 60_000, maxPoints: 100 })).toEqual([])
    })

    it('bounds a long range to maxPoints rows per series and window: the newest row of each time bucket', async () => {
      const { features } = await fresh()
      const rows: FeatureRow[] = []
      for (let i = 0; i < 100; i++) rows.push(row(7, 10, T0 + i * 10_000, i), row(7, 60, T0 + i * 10_000, -i))
      await features.append(FeatureBatch.of(rows))
      const got = await features.range({ series: [7], from: T0, to: T0 + 1_000_000, maxPoints: 10 })
      const w10 = got.filter((r) => r.windowSec === 10)
      const w60 = got.filter((r) => r.windowSec === 60)
      expect(w10).toHaveLength(10)
      expect(w60).toHaveLength(10)
      // Buckets of 100 s hold rows i = 10k … 10k+9: the newest is 10k+9.
      expect(w10.map((r) => r.mean)).toEqual([9, 19, 29, 39, 49, 59, 69, 79, 89, 99])
      expect(w60.map((r) => r.mean)).toEqual([-9, -19, -29, -39, -49, -59, -69, -79, -89, -99])
    })

    it('latest: the newest row of each (series, window) asked for', async () => {
      const { features } = await fresh()
      await features.append(FeatureBatch.of([row(1, 10, T0, 1), row(1, 10, T0 + 20_000, 3, [1, 2]), row(1, 10, T0 + 10_000, 2), row(1, 30, T0 + 5000, 9), row(2, 10, T0, 5)]))
      expect(await features.latest([1])).toEqual([row(1, 10, T0 + 20_000, 3, [1, 2]), row(1, 30, T0 + 5000, 9)])
      expect(await features.latest([1, 2], [10])).toEqual([row(1, 10, T0 + 20_000, 3, [1, 2]), row(2, 10, T0, 5)])
      expect(await features.latest([])).toEqual([])
      expect(await features.latest([99])).toEqual([])
    })

    it('expire: drops the rows older than the cutoff with their bands, keeps the rest', async () => {
      const { features } = await fresh()
      await features.append(FeatureBatch.of([row(1, 10, T0 - 20_000, 1, [1, 2]), row(1, 10, T0 - 10_000, 2), row(1, 10, T0, 3, [3, 4]), row(2, 30, T0 - 1, 4)]))
      expect(await features.expire(T0)).toBe(3)
      expect(await features.range({ series: [1, 2], from: 0, to: T0 + 60_000, maxPoints: 100 })).toEqual([row(1, 10, T0, 3, [3, 4])])
      expect(await features.expire(T0)).toBe(0)
    })

    it('a batch with a bad row stores none of it', async () => {
      const { features } = await fresh()
      await expect(features.append(FeatureBatch.of([row(1, 10, T0, 1), { ...row(1, 10, T0 + 1, 2), ts: 1.5 }]))).rejects.toBeInstanceOf(StoreQueryError)
      expect(await features.range({ series: [1], from: 0, to: T0 + 60_000, maxPoints: 100 })).toEqual([])
      // and the store still works afterwards
      await features.append(FeatureBatch.of([row(1, 10, T0, 1)]))
      expect(await features.latest([1])).toEqual([row(1, 10, T0, 1)])
    })
  })
}
