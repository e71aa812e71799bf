import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import type { LatestValue } from '../../domain/model.js'
import { BatchConcatenator, type ReadingBatch } from '../../domain/readings.js'
import { StoreQueryError } from '../errors.js'
import { splitResults, withoutDropped } from '../dedup.js'
import type { AppendResult, Bucket, SeriesPoints, SeriesStore } from '../ports.js'
import { inList } from '../sql/in-list.js'
import { readBuckets, readCounts, readRange } from '../sql/series.reads.js'
import { insertDirty, lateMinutes, readBucketsRolled, readRollupState } from '../sql/rollups.js'
import { PgSqlClient } from './client.js'
import { READINGS_PARTITION_MS, quoteIdent } from './migrations.js'

/**
 * Each group is COPYed into a temporary staging table (one per connection, emptied at
 * commit), then moved into readings in staging order with ON CONFLICT DO NOTHING: a
 * reading whose (series, ts) is stored, or was moved just before from the same group,
 * is skipped, so the first write wins. When the row count says some were skipped (a
 * retry), the move is redone by MOVE_REPORT_SQL, which also returns their positions.
 */
const STAGE_SQL = `CREATE TEMP TABLE IF NOT EXISTS readings_stage (ord INTEGER NOT NULL, series INTEGER NOT NULL, ts BIGINT NOT NULL, value DOUBLE PRECISION NOT NULL) ON COMMIT DELETE ROWS`
const COPY_SQL = 'COPY pg_temp.readings_stage (ord, series, ts, value) FROM STDIN'
const MOVE_SQL = 'INSERT INTO readings (series, ts, value) SELECT series, ts, value FROM pg_temp.readings_stage ORDER BY ord ON CONFLICT DO NOTHING'
const MOVE_REPORT_SQL = `WITH ins AS (
  INSERT INTO readings (series, ts, value)
  SELECT DISTINCT ON (series, ts) series, ts, value FROM pg_temp.readings_stage ORDER BY series, ts, ord
  ON CONFLICT DO NOTHING
  RETURNING series, ts
), kept AS (
  SELECT min(s.ord) AS ord FROM pg_temp.readings_stage s JOIN ins ON ins.series = s.series AND ins.ts = s.ts GROUP BY s.series, s.ts
)
SELECT s.ord FROM pg_temp.readings_stage s LEFT JOIN kept ON kept.ord = s.ord WHERE kept.ord IS NULL ORDER BY s.ord`

/** Rows rendered into one string and handed to the COPY stream in one write. */
const COPY_CHUNK_ROWS = 16_384

/** SQLSTATEs a concurrent creator of the same partition can cause: duplicate_table, unique_violation, invalid_object_definition (overlap). */
const PARTITION_RACE_CODES = new Set(['42P07', '23505', '42P17'])
/** SQLSTATE of a row that fits no partition: another process dropped it (retention); the layout is read again. */
const NO_PARTITION_CODE = '23514'
/** How long reads trust the rollup watermark they know before reading it again (another replica may have moved it). */
const WATERMARK_TTL_MS = 30_000

interface Pending {
  batch: ReadingBatch
  resolve: (r: AppendResult) => void
  reject: (err: unknown) => void
}

/** How the readings table is laid out, read from the catalog once. */
interface Layout {
  /** Natively partitioned (true) or a plain table such as a TimescaleDB hypertable (false). */
  partitioned: boolean
  /** Quoted schema of the readings table: partitions are created beside it. */
  schema: string
  /** Partitions known to exist. */
  partitions: Set<string>
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n))

/**
 * `readings_p20261119` for partition slot `slot` (ts / READINGS_PARTITION_MS, floored), named
 * by the UTC date it starts on; slot numbers outside four-digit years.
 */
export function partitionName(slot: number): string {
  const d = new Date(slot * READINGS_PARTITION_MS)
  const year = d.getUTCFullYear()
  if (year >= 1000 && year <= 9999) return `readings_p${year}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}`
  return slot < 0 ? `readings_pm${-slot}` : `readings_pd${slot}`
}

/** COPY text format, one string per chunk of rows. Numbers print without quoting: NaN and Infinity are valid float8 input. */
function* copyText(b: ReadingBatch): Generator<string> {
  const { series, ts, value } = b
  for (let off = 0; off < b.length; off += COPY_CHUNK_ROWS) {
    const end = Math.min(b.length, off + COPY_CHUNK_ROWS)
    let text = ''
    for (let i = off; i < end; i++) text += `${i}\t${series[i]!}\t${ts[i]!}\t${value[i]!}\n`
    yield text
  }
}

/** Rejects a batch that COPY would refuse, so one bad batch does not fail the others committed with it. */
function checkBatch(b: ReadingBatch): void {
  for (let i = 0; i < b.length; i++) {
    const t = b.ts[i]!
    if (!Number.isSafeInteger(t)) throw new RangeError(`reading ${i}: ts must be an integer number of epoch ms, got ${t}`)
  }
}

const wrap = (what: string, err: unknown): StoreQueryError => (err instanceof StoreQueryError ? err : new StoreQueryError(what, { cause: err }))

/**
 * Readings in PostgreSQL, one narrow row (series, ts, value) per reading, bulk-loaded
 * with COPY FROM STDIN into a table partitioned by UTC day.
 *
 * Group commit: appends that arrive while a COPY is running are loaded together by
 * the next one, so concurrent small requests share a transaction and a WAL flush.
 * Each caller's promise resolves only after the COMMIT that contains its rows.
 *
 * Exactly once per (series, ts), across instances: the unique index (migration 4) and
 * ON CONFLICT DO NOTHING drop readings already stored, whoever stored them.
 */
export class PgSeriesStore implements SeriesStore {
  private readonly sql: PgSqlClient
  private pending: Pending[] = []
  /** The drain loop's group, concatenated into reused arrays (one group at a time). */
  private readonly concat = new BatchConcatenator()
  private flushing: Promise<void> | null = null
  private layout: Layout | null = null
  private closed = false
  private watermark: { value: number | null; readAt: number } | null = null
  /** Pooled connections that have their staging table. */
  private readonly staged = new WeakSet<pg.PoolClient>()

  constructor(private readonly pool: pg.Pool) {
    this.sql = new PgSqlClient(pool)
  }

  append(batch: ReadingBatch): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new StoreQueryError('append', { cause: new Error('series store is closed') }))
    if (batch.length === 0) return Promise.resolve({ written: 0, duplicates: 0, stored: batch })
    try {
      checkBatch(batch)
    } catch (err) {
      return Promise.reject(wrap('append readings', err))
    }
    return new Promise((resolve, reject) => {
      this.pending.push({ batch, resolve, reject })
      this.kick()
    })
  }

  private kick(): void {
    if (this.flushing) return // the running flush takes the queue when its COPY is done
    this.flushing = this.drain().finally(() => {
      this.flushing = null
      if (this.pending.length > 0) this.kick()
    })
  }

  private async drain(): Promise<void> {
    // Let appends made in the same turn of the event loop join the first group.
    await new Promise<void>((r) => setImmediate(r))
    while (this.pending.length > 0) {
      const group = this.pending
      this.pending = []
      try {
        const parts = group.map((p) => p.batch)
        const b = this.concat.concat(parts)
        const dropped = await this.write(b).catch(async (err: unknown) => {
          if ((err as { cause?: { code?: string } }).cause?.code !== NO_PARTITION_CODE) throw err
          this.layout = null
          return this.write(b)
        })
        const results = splitResults(parts, dropped)
        group.forEach((p, i) => p.resolve(results[i]!))
      } catch (err) {
        const wrapped = wrap(COPY_SQL, err)
        for (const p of group) p.reject(wrapped)
      }
    }
  }

  /** Stores the group in one transaction; returns the positions it dropped as duplicates, ascending. */
  private async write(b: ReadingBatch): Promise<number[]> {
    const layout = await this.readLayout()
    if (layout.partitioned) await this.ensurePartitions(b, layout)
    let conn: pg.PoolClient
    try {
      conn = await this.pool.connect()
    } catch (err) {
      throw wrap(COPY_SQL, err)
    }
    let broken: Error | undefined
    try {
      await conn.query('BEGIN')
      // The share lock makes a rollup pass's announce wait for this commit (see PgRollupStore.announce).
      const bound = await conn.query<{ value: number | null }>(`SELECT value FROM rollup_state WHERE name = 'dirty_below' FOR SHARE`)
      // Created inside the transaction, so it is remembered only once that commits.
      const create = !this.staged.has(conn)
      if (create) await conn.query(STAGE_SQL)
      await pipeline(Readable.from(copyText(b)), conn.query(copyFrom(COPY_SQL)))
      await conn.query('SAVEPOINT move')
      const moved = await conn.query(MOVE_SQL)
      let dropped: number[] = []
      if ((moved.rowCount ?? 0) < b.length) {
        await conn.query('ROLLBACK TO SAVEPOINT move')
        dropped = (await conn.query<{ ord: number }>(MOVE_REPORT_SQL)).rows.map((r) => r.ord)
      }
      // Late readings mark their minutes for the rollup job, from the rows written, in the same transaction.
      const written = dropped.length === 0 ? b : withoutDropped(b, 0, b.length, dropped)
      await insertDirty((sql) => conn.query(sql), lateMinutes(written, bound.rows[0]?.value ?? null))
      await conn.query('COMMIT')
      if (create) this.staged.add(conn)
      return dropped
    } catch (err) {
      await conn.query('ROLLBACK').catch((e: unknown) => {
        broken = e instanceof Error ? e : new Error(String(e))
      })
      throw wrap(COPY_SQL, err)
    } finally {
      conn.release(broken)
    }
  }

  private async readLayout(): Promise<Layout> {
    if (this.layout) return this.layout
    const [row] = await this.sql.query<{ kind: string; schema: string; parts: string[] }>(
      `SELECT c.relkind::text AS kind, n.nspname AS schema,
              coalesce((SELECT array_agg(p.relname::text) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhrelid WHERE i.inhparent = c.oid), '{}') AS parts
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.oid = to_regclass('readings')`,
    )
    if (!row) throw new StoreQueryError('append readings', { cause: new Error('the readings table does not exist: run the migrations first') })
    this.layout = { partitioned: row.kind === 'p', schema: quoteIdent(row.schema), partitions: new Set(row.parts) }
    return this.layout
  }

  /** Creates the partitions the batch needs that are not known to exist yet. */
  private async ensurePartitions(b: ReadingBatch, layout: Layout): Promise<void> {
    const missing = new Set<number>()
    let lastSlot = Number.NaN
    for (let i = 0; i < b.length; i++) {
      const slot = Math.floor(b.ts[i]! / READINGS_PARTITION_MS)
      if (slot === lastSlot) continue
      lastSlot = slot
      if (!layout.partitions.has(partitionName(slot))) missing.add(slot)
    }
    for (const slot of missing) {
      const name = partitionName(slot)
      const from = slot * READINGS_PARTITION_MS
      const sql = `CREATE TABLE IF NOT EXISTS ${layout.schema}.${name} PARTITION OF readings FOR VALUES FROM (${from}) TO (${from + READINGS_PARTITION_MS})`
      try {
        await this.pool.query(sql)
      } catch (err) {
        // Another process may have created it between our check and our CREATE.
        const code = (err as { code?: string }).code
        const [exists] = code && PARTITION_RACE_CODES.has(code) ? await this.sql.query('SELECT 1 FROM pg_class WHERE oid = to_regclass($1)', [`${layout.schema}.${name}`]) : []
        if (!exists) throw new StoreQueryError(sql, { cause: err })
      }
      layout.partitions.add(name)
    }
  }

  range(series: number, from: number, to: number): Promise<SeriesPoints> {
    return readRange(this.sql, series, from, to)
  }

  count(series: readonly number[], from: number, to: number): Promise<Map<number, number>> {
    return readCounts(this.sql, series, from, to)
  }

  async buckets(series: readonly number[], from: number, to: number, bucketMs: number): Promise<Bucket[]> {
    const now = Date.now()
    if (!this.watermark || now - this.watermark.readAt > WATERMARK_TTL_MS) this.watermark = { value: (await readRollupState(this.sql)).watermark, readAt: now }
    return (await readBucketsRolled(this.sql, this.watermark.value, series, from, to, bucketMs)) ?? readBuckets(this.sql, series, from, to, bucketMs)
  }

  /** The rollup job of this process moved the watermark (after its commit). */
  setWatermark(watermark: number | null): void {
    this.watermark = { value: watermark, readAt: Date.now() }
  }

  /**
   * Retention of raw readings by whole partitions: drops (inside `tx`) every weekly
   * partition that ends at or before `before`. The rows left below it are deleted by the caller.
   */
  async dropPartitionsBefore(tx: { query<T>(sql: string, params?: readonly (string | number)[]): Promise<T[]> }, before: number): Promise<string[]> {
    const layout = await this.readLayout()
    if (!layout.partitioned) return []
    const parts = await tx.query<{ name: string; bound: string }>(
      `SELECT p.relname::text AS name, pg_get_expr(p.relpartbound, p.oid) AS bound
       FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhrelid WHERE i.inhparent = to_regclass('readings')`,
    )
    const dropped: string[] = []
    for (const { name, bound } of parts) {
      const m = /TO \('?(-?\d+)'?\)/.exec(bound)
      if (!m || Number(m[1]) > before) continue
      await tx.query(`DROP TABLE ${layout.schema}.${quoteIdent(name)}`)
      layout.partitions.delete(name)
      dropped.push(name)
    }
    return dropped
  }

  async latest(series: readonly number[]): Promise<Map<number, LatestValue>> {
    const out = new Map<number, LatestValue>()
    if (series.length === 0) return out
    // One index probe per series: on a table partitioned by ts, the planner walks the
    // partitions newest first and stops at the first row.
    const rows = await this.sql.query<{ series: number; ts: number; value: number }>(
      `SELECT s.series, r.ts, r.value
       FROM unnest(ARRAY[${inList(series)}]::integer[]) AS s(series)
       CROSS JOIN LATERAL (SELECT ts, value FROM readings WHERE readings.series = s.series ORDER BY ts DESC LIMIT 1) AS r`,
    )
    for (const r of rows) out.set(r.series, { ts: r.ts, value: r.value })
    return out
  }

  /** Waits for queued appends to commit; the pool itself is ended by the opener. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    while (this.flushing) await this.flushing
  }
}
