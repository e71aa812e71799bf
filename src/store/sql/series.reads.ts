import type { Bucket, SeriesPoints } from '../ports.js'
import type { SqlClient } from './client.js'
import { inList } from './in-list.js'

/**
 * Reads of the readings table that DuckDB and PostgreSQL answer with the same SQL;
 * each series store delegates to them (latest values differ: each engine has its fast path).
 */
export async function readRange(db: SqlClient, series: number, from: number, to: number): Promise<SeriesPoints> {
  const rows = await db.query<{ ts: number; value: number }>('SELECT ts, value FROM readings WHERE series = $1 AND ts >= $2 AND ts < $3 ORDER BY ts', [series, from, to])
  return { ts: rows.map((r) => r.ts), value: rows.map((r) => r.value) }
}

export async function readCounts(db: SqlClient, series: readonly number[], from: number, to: number): Promise<Map<number, number>> {
  const out = new Map<number, number>()
  if (series.length === 0) return out
  const rows = await db.query<{ series: number; n: number }>(
    `SELECT series, count(*) AS n FROM readings WHERE series IN (${inList(series)}) AND ts >= $1 AND ts < $2 GROUP BY series`,
    [from, to],
  )
  for (const r of rows) out.set(r.series, r.n)
  return out
}

/** Buckets aligned to multiples of bucketMs: `ts - ts % bucketMs`. */
export async function readBuckets(db: SqlClient, series: readonly number[], from: number, to: number, bucketMs: number): Promise<Bucket[]> {
  if (series.length === 0) return []
  return db.query<Bucket>(
    `SELECT series, ts - ts % $3 AS ts, min(value) AS min, avg(value) AS avg, max(value) AS max, count(*) AS count
     FROM readings WHERE series IN (${inList(series)}) AND ts >= $1 AND ts < $2
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [from, to, Math.max(1, Math.floor(bucketMs))],
  )
}
