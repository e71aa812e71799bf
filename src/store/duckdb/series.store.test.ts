import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DuckDBInstance } from '@duckdb/node-api'
import { tempDuckDb } from '../../../test/helpers/duckdb.js'
import { ReadingBatchBuilder, type ReadingBatch } from '../../domain/readings.js'
import { DuckDbSeriesStore } from './series.store.js'

const db = tempDuckDb('duck')

describe('DuckDB series store column copy', () => {
  it('round-trips timestamps across the 32-bit word boundary, negative ones and chunk boundaries', async () => {
    const stores = await db.open()
    const edge = [0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 40 + 123, 1_795_327_962_879, 2 ** 53 - 1, -1, -(2 ** 32), -(2 ** 33) - 7]
    const b = new ReadingBatchBuilder()
    edge.forEach((ts, i) => b.push(7, ts, i + 0.5))
    // Enough rows to span two data chunks (2,048 rows each), with distinct series.
    for (let i = 0; i < 5000; i++) b.push(1000 + (i % 3), 1_700_000_000_000 + i, -i)
    await stores.series.append(b.build())
    const got = await stores.series.range(7, -(2 ** 40), 2 ** 53)
    expect(got.ts).toEqual([...edge].sort((x, y) => x - y))
    expect(got.value).toEqual([...edge].map((ts, i) => [ts, i + 0.5] as const).sort((x, y) => x[0] - y[0]).map((p) => p[1]))
    const counts = await stores.series.count([1000, 1001, 1002], 0, 2 ** 53)
    expect([...counts.values()].reduce((x, y) => x + y, 0)).toBe(5000)
    const last = await stores.series.range(1002, 1_700_000_004_990, 1_700_000_005_000)
    expect(last).toEqual({ ts: [1_700_000_004_991, 1_700_000_004_994, 1_700_000_004_997], value: [-4991, -4994, -4997] })
  })
})

describe('DuckDB series store deduplication', () => {
  it('checks a large retry against the table in several look-ups, and a partial overlap keeps the new readings', async () => {
    const stores = await db.open()
    const b = new ReadingBatchBuilder()
    for (let i = 0; i < 50_000; i++) b.push(1 + (i % 100), 1_700_000_000_000 + Math.floor(i / 100), i)
    const all = b.build()
    expect(await stores.series.append(all)).toMatchObject({ written: 50_000, duplicates: 0 })
    // The same readings again, reversed: every one is at or below its series' mark.
    const rev = new ReadingBatchBuilder()
    for (let i = all.length - 1; i >= 0; i--) rev.push(all.series[i]!, all.ts[i]!, -1)
    expect(await stores.series.append(rev.build())).toMatchObject({ written: 0, duplicates: 50_000 })
    const counts = await stores.series.count([1], 0, 2 ** 53)
    expect(counts.get(1)).toBe(500)
    const mixed = new ReadingBatchBuilder()
    for (let i = 0; i < 1000; i++) mixed.push(1, 1_700_000_000_000 + i, i) // 0..499 stored, 500..999 new
    const r = await stores.series.append(mixed.build())
    expect({ written: r.written, duplicates: r.duplicates }).toEqual({ written: 500, duplicates: 500 })
    expect(Array.from(r.stored.ts)).toEqual(Array.from({ length: 500 }, (_, i) => 1_700_000_000_500 + i))
    expect((await stores.series.range(1, 0, 2 ** 53)).value.slice(0, 3)).toEqual([0, 100, 200])
  })
})

describe('DuckDB series store after a failed commit group', () => {
  it('rolls the whole group back and keeps accepting appends', async () => {
    const dir = db.mkdir()
    const instance = await DuckDBInstance.create(join(dir, 'x.duckdb'))
    const conn = await instance.connect()
    await conn.run('CREATE TABLE readings (series INTEGER NOT NULL, ts BIGINT NOT NULL, value DOUBLE NOT NULL)')
    const writeConn = await instance.connect()
    const store = new DuckDbSeriesStore(await writeConn.createAppender('readings'), writeConn, await instance.connect())
    const batch = (from: number, n: number): ReadingBatch => {
      const b = new ReadingBatchBuilder()
      for (let i = 0; i <= n; i++) b.push(1, from + i, i)
      return { ...b.build(), length: n }
    }
    // A timestamp column that fails on row 3,000: the first data chunk (2,048 rows) is
    // already in the appender, not yet flushed, when the write breaks off.
    const bad = batch(0, 3000)
    const ts = new Proxy(bad.ts, {
      get: (target, prop) => {
        if (prop === '3000') throw new Error('injected failure')
        const v = Reflect.get(target, prop, target) as unknown
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
      },
    })
    await expect(store.append({ ...bad, ts, length: 3001 })).rejects.toThrow(/append readings/)
    await store.append(batch(10_000, 3000))
    await store.append(batch(20_000, 10))
    const counts = await store.count([1], 0, 1e9)
    // Nothing of the failed group, everything of the later ones.
    expect(counts.get(1)).toBe(3010)
    expect((await store.range(1, 0, 10_000)).ts).toEqual([])
    // The failed group's readings were never stored, so sending them again stores them:
    // a rolled-back group must not count as seen.
    expect(await store.append(batch(0, 3000))).toMatchObject({ written: 3000, duplicates: 0 })
    expect(await store.append(batch(0, 3000))).toMatchObject({ written: 0, duplicates: 3000 })
    expect((await store.count([1], 0, 1e9)).get(1)).toBe(6010)
    await store.close()
    instance.closeSync()
  })
})
