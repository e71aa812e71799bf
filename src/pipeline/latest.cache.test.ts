import { Session } from 'node:inspector/promises'
import { describe, expect, it } from 'vitest'
import type { ReadingBatch } from '../domain/readings.js'
import type { SeriesStore } from '../store/ports.js'
import { LatestCache } from './latest.cache.js'

const noStore = { latest: () => Promise.resolve(new Map()) } as unknown as SeriesStore

function batchOf(n: number): ReadingBatch {
  return { length: n, series: Int32Array.from({ length: n }, (_, i) => i), ts: new Float64Array(n), value: new Float64Array(n) } as unknown as ReadingBatch
}

/** Bytes allocated by `fn`, garbage included, as V8's sampling heap profiler counts them. */
async function allocated(fn: () => void): Promise<number> {
  const s = new Session()
  s.connect()
  try {
    await s.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true })
    fn()
    const { profile } = await s.post('HeapProfiler.stopSampling')
    let total = 0
    const walk = (n: typeof profile.head): void => {
      total += n.selfSize
      n.children.forEach(walk)
    }
    walk(profile.head)
    return total
  } finally {
    s.disconnect()
  }
}

describe('LatestCache', () => {
  it('keeps the newest value per series, and ignores an older one', async () => {
    const c = new LatestCache(noStore)
    const b = batchOf(2)
    b.ts.set([2000, 2000])
    b.value.set([1.5, 2.5])
    c.update(b)
    b.ts.set([1000, 3000])
    b.value.set([9, 3.5])
    c.update(b)
    const got = await c.get([0, 1, 2])
    expect([...got.entries()].map(([k, v]) => [k, v.ts, v.value])).toEqual([
      [0, 2000, 1.5],
      [1, 3000, 3.5],
    ])
  })

  it('allocates nothing per reading for series it knows, even after { ts, value } literals elsewhere held other types', async () => {
    // Such literals share one hidden class; one with a string and a null made every number written into them a new heap box.
    const others = [{ ts: '2026-12-02T00:00:00Z', value: null }]
    const c = new LatestCache(noStore)
    const n = 10_000
    const b = batchOf(n)
    const round = (r: number): void => {
      b.ts.fill(1.764e12 + r * 1000 + 0.5)
      for (let i = 0; i < n; i++) b.value[i] = ((i * 7 + r) % 1000) / 10 + 0.25
      c.update(b)
    }
    for (let r = 0; r < 20; r++) round(r)
    const bytes = await allocated(() => {
      for (let r = 20; r < 120; r++) round(r)
    })
    // 1,000,000 readings: boxed, they took ~29 MB.
    expect(bytes).toBeLessThan(1_000_000)
    expect(others).toHaveLength(1)
  })
})
