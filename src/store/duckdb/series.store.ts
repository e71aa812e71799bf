import { BIGINT, DOUBLE, DuckDBDataChunk, INTEGER, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api'
import { concatBatches, type ReadingBatch } from '../../domain/readings.js'
import type { LatestValue } from '../../domain/model.js'
import { StoreQueryError } from '../errors.js'
import type { Bucket, SeriesPoints, SeriesStore } from '../ports.js'
import { DuckDbSqlClient } from './client.js'
import { inList } from '../sql/in-list.js'

/** DuckDB's vector size: a data chunk holds at most this many rows. */
const CHUNK_ROWS = 2048

interface Pending {
  batch: ReadingBatch
  resolve: () => void
  reject: (err: unknown) => void
}

/**
 * Readings in DuckDB, one narrow row (series, ts, value) per reading, loaded through
 * the Appender in columnar data chunks.
 *
 * Group commit: appends that arrive while a flush is being prepared are written and
 * committed together, so many concurrent small requests share one WAL sync. Each
 * caller's promise resolves only after the commit that contains its rows.
 */
export class DuckDbSeriesStore implements SeriesStore {
  private readonly sql: DuckDbSqlClient
  private pending: Pending[] = []
  private scheduled = false
  private closed = false

  constructor(
    private readonly appender: DuckDBAppender,
    readConn: DuckDBConnection,
  ) {
    this.sql = new DuckDbSqlClient(readConn)
  }

  append(batch: ReadingBatch): Promise<void> {
    if (this.closed) return Promise.reject(new StoreQueryError('append', { cause: new Error('series store is closed') }))
    if (batch.length === 0) return Promise.resolve()
    return new Promise((resolve, reject) => {
      this.pending.push({ batch, resolve, reject })
      if (!this.scheduled) {
        this.scheduled = true
        setImmediate(() => this.flush())
      }
    })
  }

  private flush(): void {
    this.scheduled = false
    const group = this.pending
    this.pending = []
    if (group.length === 0) return
    try {
      this.write(concatBatches(group.map((p) => p.batch)))
      for (const p of group) p.resolve()
    } catch (err) {
      const wrapped = new StoreQueryError('append readings', { cause: err })
      for (const p of group) p.reject(wrapped)
    }
  }

  private write(b: ReadingBatch): void {
    for (let off = 0; off < b.length; off += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, b.length - off)
      const series = new Array<number>(n)
      const ts = new Array<bigint>(n)
      const value = new Array<number>(n)
      for (let i = 0; i < n; i++) {
        series[i] = b.series[off + i]!
        ts[i] = BigInt(b.ts[off + i]!)
        value[i] = b.value[off + i]!
      }
      const chunk = DuckDBDataChunk.create([INTEGER, BIGINT, DOUBLE], n)
      chunk.setColumnValues(0, series)
      chunk.setColumnValues(1, ts)
      chunk.setColumnValues(2, value)
      this.appender.appendDataChunk(chunk)
    }
    // flushSync commits the appended rows as one transaction; DuckDB syncs its WAL on commit.
    this.appender.flushSync()
  }

  async range(series: number, from: number, to: number): Promise<SeriesPoints> {
    const rows = await this.sql.query<{ ts: number; value: number }>(
      'SELECT ts, value FROM readings WHERE series = $1 AND ts >= $2 AND ts < $3 ORDER BY ts',
      [series, from, to],
    )
    return { ts: rows.map((r) => r.ts), value: rows.map((r) => r.value) }
  }

  async count(series: readonly number[], from: number, to: number): Promise<Map<number, number>> {
    const out = new Map<number, number>()
    if (series.length === 0) return out
    const rows = await this.sql.query<{ series: number; n: number }>(
      `SELECT series, count(*) AS n FROM readings WHERE series IN (${inList(series)}) AND ts >= $1 AND ts < $2 GROUP BY series`,
      [from, to],
    )
    for (const r of rows) out.set(r.series, r.n)
    return out
  }

  async buckets(series: readonly number[], from: number, to: number, bucketMs: number): Promise<Bucket[]> {
    if (series.length === 0) return []
    return this.sql.query<Bucket>(
      `SELECT series, ts - ts % $3 AS ts, min(value) AS min, avg(value) AS avg, max(value) AS max, count(*) AS count
       FROM readings WHERE series IN (${inList(series)}) AND ts >= $1 AND ts < $2
       GROUP BY series, ts - ts % $3 ORDER BY series, ts`,
      [from, to, Math.max(1, Math.floor(bucketMs))],
    )
  }

  async latest(series: readonly number[]): Promise<Map<number, LatestValue>> {
    const out = new Map<number, LatestValue>()
    if (series.length === 0) return out
    const rows = await this.sql.query<{ series: number; ts: number; value: number }>(
      `SELECT series, max(ts) AS ts, arg_max(value, ts) AS value FROM readings WHERE series IN (${inList(series)}) GROUP BY series`,
    )
    for (const r of rows) out.set(r.series, { ts: r.ts, value: r.value })
    return out
  }

  async close(): Promise<void> {
    if (this.closed) return
    // Let queued appends commit before the appender goes away.
    this.flush()
    this.closed = true
    this.appender.closeSync()
  }
}
