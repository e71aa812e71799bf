import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ReadingBatchBuilder } from '../domain/readings.js'
import { openDuckDbStores } from '../store/duckdb/open.js'
import type { SeriesStore, Stores } from '../store/ports.js'
import { readHistory } from './prognostics.history.js'

const T0 = Date.UTC(2026, 0, 1)
let stores: Stores
const keys = new Map<string, number>()

beforeAll(async () => {
  stores = await openDuckDbStores({ dataDir: ':memory:' })
  const tm = stores.meta.tenant('default')
  await tm.createSite({ id: 's', name: 'S', latitude: 0, longitude: 0, timezone: 'UTC' })
  await tm.createAsset({ id: 'a', siteId: 's', parentId: null, type: 'x', name: 'A', metadata: {} })
  for (const c of await tm.ensureChannels('a', [{ name: 'cycle' }, { name: 'v' }, { name: 'p' }])) keys.set(c.name, c.key)
  // 3,000 reports a second apart: cycle and v on every one, p on every third; then a burst of 2,000 a millisecond apart.
  const b = new ReadingBatchBuilder()
  for (let i = 0; i < 3000; i++) {
    b.push(keys.get('cycle')!, T0 + i * 1000, i)
    b.push(keys.get('v')!, T0 + i * 1000, i * 10)
    if (i % 3 === 0) b.push(keys.get('p')!, T0 + i * 1000, 5)
  }
  for (let i = 0; i < 2000; i++) b.push(keys.get('cycle')!, T0 + 3_600_000 + i, 10_000 + i)
  await stores.series.append(b.build())
})
afterAll(async () => {
  await stores?.close()
})

/** The same store, counting count() queries and the most readings one range() handed back. */
function counting(): { store: SeriesStore; calls: { counts: number; maxRead: number } } {
  const s = stores.series
  const calls = { counts: 0, maxRead: 0 }
  const store: SeriesStore = {
    append: (b) => s.append(b),
    count: (k, from, to) => {
      calls.counts++
      return s.count(k, from, to)
    },
    buckets: (k, from, to, ms) => s.buckets(k, from, to, ms),
    latest: (k) => s.latest(k),
    close: () => s.close(),
    async range(k, from, to) {
      const pts = await s.range(k, from, to)
      calls.maxRead = Math.max(calls.maxRead, pts.ts.length)
      return pts
    },
  }
  return { store, calls }
}

describe('readHistory', () => {
  it('returns the newest reports before `before`, at most maxReports, rebuilt from every channel', async () => {
    const before = T0 + 2500 * 1000
    const r = await readHistory(stores.series, keys, { kind: 'reports', channels: ['cycle', 'v', 'nothing'], maxReports: 100 }, before)
    expect(r).toHaveLength(100)
    expect(r[0]).toEqual({ ts: T0 + 2400 * 1000, values: { cycle: 2400, v: 24000 } })
    expect(r[99]).toEqual({ ts: T0 + 2499 * 1000, values: { cycle: 2499, v: 24990 } })
    expect(r.every((x, i) => i === 0 || x.ts > r[i - 1]!.ts)).toBe(true)
  })

  it('returns what there is when the asset has fewer reports, and nothing without its pacing channel', async () => {
    const r = await readHistory(stores.series, keys, { kind: 'reports', channels: ['cycle'], maxReports: 10_000 }, T0 + 50 * 1000)
    expect(r.map((x) => x.values.cycle)).toEqual(Array.from({ length: 50 }, (_, i) => i))
    expect(await readHistory(stores.series, keys, { kind: 'reports', channels: ['missing', 'cycle'], maxReports: 10 }, T0 + 50_000)).toEqual([])
  })

  it('costs one query for an asset with no stored readings (every asset of a first start)', async () => {
    const { store, calls } = counting()
    expect(await readHistory(store, keys, { kind: 'reports', channels: ['cycle', 'v'], maxReports: 600 }, T0)).toEqual([])
    expect(calls.counts).toBe(1)
    expect(calls.maxRead).toBe(0)
  })

  it('stays bounded in a burst: the newest maxReports of 2,000 readings within two seconds, reading at most twice that', async () => {
    const { store: counted, calls } = counting()
    const r = await readHistory(counted, keys, { kind: 'reports', channels: ['cycle', 'v'], maxReports: 300 }, T0 + 3_602_000)
    expect(r).toHaveLength(300)
    expect(r[299]!.values.cycle).toBe(11_999)
    expect(calls.maxRead).toBeGreaterThanOrEqual(300)
    expect(calls.maxRead).toBeLessThanOrEqual(600)
  })

  it('averages one channel per bucket for a means plan, stamped inside each bucket and before `before`', async () => {
    const before = T0 + 600 * 1000
    const r = await readHistory(stores.series, keys, { kind: 'means', channel: 'v', spanMs: 60_000, bucketMs: 10_000 }, before)
    expect(r).toHaveLength(6)
    // Bucket [T0 + 540 s, T0 + 550 s): v = 5400 … 5490, mean 5445, stamped at its middle.
    expect(r[0]).toEqual({ ts: T0 + 545_000, values: { v: 5445 } })
    expect(r.every((x) => x.ts < before)).toBe(true)
  })
})
