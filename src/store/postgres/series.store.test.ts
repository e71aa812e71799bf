import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { TEST_PG_URL, testSchemas } from '../../../test/helpers/pg.js'
import type { ReadingBatch } from '../../domain/readings.js'
import { StoreQueryError } from '../errors.js'
import { PG_NUMBER_TYPES } from './client.js'
import { openPostgresStores } from './open.js'
import { READINGS_PARTITION_MS } from './migrations.js'
import { PgSeriesStore, partitionName } from './series.store.js'

const PG_URL = TEST_PG_URL
const WEEK_MS = READINGS_PARTITION_MS
const freshSchema = testSchemas()

async function migratedSchema(): Promise<string> {
  const schema = freshSchema()
  await (await openPostgresStores({ url: PG_URL, schema, poolSize: 1 })).close()
  return schema
}

const poolFor = (schema: string): pg.Pool => new pg.Pool({ connectionString: PG_URL, max: 2, types: PG_NUMBER_TYPES, options: `-c search_path=${schema}` })

function batch(series: number, ts: readonly number[]): ReadingBatch {
  return { series: new Int32Array(ts.length).fill(series), ts: Float64Array.from(ts), value: Float64Array.from(ts, (_, i) => i), length: ts.length }
}

describe('partitionName', () => {
  it.each([
    // Weeks are aligned on the epoch, a Thursday: Sunday 2026-11-22 falls in the week of Thursday the 19th.
    [Date.UTC(2026, 10, 19, 0, 0, 0), 'readings_p20261119'],
    [Date.UTC(2026, 10, 22, 23, 59, 59, 999), 'readings_p20261119'],
    [Date.UTC(2026, 10, 25, 23, 59, 59, 999), 'readings_p20261119'],
    [Date.UTC(2026, 10, 26), 'readings_p20261126'],
    [0, 'readings_p19700101'],
    [-1, 'readings_p19691225'],
    [Date.UTC(12000, 0, 1), `readings_pd${Math.floor(Date.UTC(12000, 0, 1) / WEEK_MS)}`],
    [Date.UTC(-50, 0, 1), `readings_pm${-Math.floor(Date.UTC(-50, 0, 1) / WEEK_MS)}`],
  ])('ts %d → %s', (ts, name) => {
    expect(partitionName(Math.floor(ts / WEEK_MS))).toBe(name)
  })
})

describe('PgSeriesStore', () => {
  it('two stores (as two processes) creating the same new partitions at once both succeed', async () => {
    const schema = await migratedSchema()
    const pools = [poolFor(schema), poolFor(schema), poolFor(schema)]
    const stores = pools.map((p) => new PgSeriesStore(p))
    try {
      const base = Date.UTC(2027, 0, 1)
      const days = [0, 1, 2, 3, 4].map((d) => base + d * WEEK_MS + 1000)
      await Promise.all(stores.map((s, i) => s.append(batch(i + 1, days))))
      const counts = await stores[0]!.count([1, 2, 3], base, base + 5 * WEEK_MS)
      expect([...counts.entries()].sort()).toEqual([
        [1, 5],
        [2, 5],
        [3, 5],
      ])
      const { rows } = await pools[0]!.query(`SELECT count(*) AS n FROM pg_inherits WHERE inhparent = 'readings'::regclass`)
      expect(rows[0]).toEqual({ n: 5 })
    } finally {
      for (const s of stores) await s.close()
      for (const p of pools) await p.end()
    }
  })

  it('refuses a batch with non-integer timestamps without failing the batches committed with it', async () => {
    const schema = await migratedSchema()
    const pool = poolFor(schema)
    const store = new PgSeriesStore(pool)
    try {
      const base = Date.UTC(2027, 0, 1)
      const results = await Promise.allSettled([store.append(batch(1, [base])), store.append(batch(2, [base + 0.5])), store.append(batch(3, [base + 1]))])
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
      expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(StoreQueryError)
      expect([...(await store.count([1, 2, 3], base, base + 10)).keys()].sort()).toEqual([1, 3])
    } finally {
      await store.close()
      await pool.end()
    }
  })

  it('round-trips special float values through COPY', async () => {
    const schema = await migratedSchema()
    const pool = poolFor(schema)
    const store = new PgSeriesStore(pool)
    try {
      const values = [Number.NaN, Infinity, -Infinity, Number.MIN_VALUE, -Number.MAX_VALUE, 1 / 3]
      await store.append({ series: new Int32Array(values.length).fill(9), ts: Float64Array.from(values, (_, i) => i), value: Float64Array.from(values), length: values.length })
      expect((await store.range(9, 0, values.length)).value).toEqual(values)
    } finally {
      await store.close()
      await pool.end()
    }
  })

  it('finds the latest value with one index probe per series, newest partition first', async () => {
    const schema = await migratedSchema()
    const pool = poolFor(schema)
    const store = new PgSeriesStore(pool)
    try {
      const base = Date.UTC(2027, 0, 1)
      await store.append(batch(1, [0, 1, 2, 3].map((d) => base + d * WEEK_MS)))
      const { rows } = await pool.query(
        `EXPLAIN SELECT s.series, r.ts, r.value FROM unnest(ARRAY[1]::integer[]) AS s(series)
         CROSS JOIN LATERAL (SELECT ts, value FROM readings WHERE readings.series = s.series ORDER BY ts DESC LIMIT 1) AS r`,
      )
      const plan = rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n')
      expect(plan).not.toMatch(/Sort|Merge Append/)
      // Friday 2027-01-01 falls in the week starting Thursday 2026-12-31; the fourth week starts 2027-01-21.
      expect(plan.indexOf('readings_p20270121')).toBeLessThan(plan.indexOf('readings_p20261231'))
      expect((await store.latest([1])).get(1)).toEqual({ ts: base + 3 * WEEK_MS, value: 3 })
    } finally {
      await store.close()
      await pool.end()
    }
  })
})

describe('PostgreSQL retention', () => {
  it('drops whole weekly partitions before the raw cutoff, deletes the rest, and re-creates a dropped week for a late reading', async () => {
    const schema = freshSchema()
    const stores = await openPostgresStores({ url: PG_URL, schema, poolSize: 3 })
    const pool = poolFor(schema)
    const other = new PgSeriesStore(pool) // a second process, whose partition cache goes stale
    try {
      const base = Date.UTC(2027, 0, 7) // a Thursday: weeks start here
      const ts = [0, 1, 2].flatMap((w) => [base + w * WEEK_MS + 1000, base + w * WEEK_MS + 3 * 86_400_000])
      await other.append(batch(1, ts))
      await stores.series.append(batch(1, ts.map((t) => t + 1)))
      const upTo = base + 3 * WEEK_MS
      await stores.rollups.announce(upTo)
      while (!(await stores.rollups.rollUp(upTo, 7 * 86_400_000)).caughtUp);
      const cut = base + 2 * WEEK_MS + 86_400_000
      expect((await stores.rollups.expire({ raw: cut, minute: null, hour: null, day: null })).raw).toBe(cut)
      const { rows } = await pool.query<{ relname: string }>(`SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'readings'::regclass ORDER BY 1`)
      expect(rows.map((r) => r.relname)).toEqual([partitionName(Math.floor((base + 2 * WEEK_MS) / WEEK_MS))])
      expect((await stores.series.count([1], 0, cut)).size).toBe(0)
      expect((await stores.series.count([1], cut, upTo)).get(1)).toBe(2)
      // Day buckets over the dropped weeks still come from the rollups.
      const days = await stores.series.buckets([1], base, base + 2 * WEEK_MS, 86_400_000)
      expect(days.reduce((n, b) => n + b.count, 0)).toBe(8)
      // A late reading in a dropped week, through the store that still believes the partition exists.
      await other.append(batch(1, [base + 1234]))
      expect((await stores.series.range(1, base, base + WEEK_MS)).ts).toEqual([base + 1234])
    } finally {
      await other.close()
      await pool.end()
      await stores.close()
    }
  })
})
