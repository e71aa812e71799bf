import { BIGINT, DOUBLE, DuckDBDataChunk, INTEGER, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api'
import { BatchConcatenator, type ReadingBatch } from '../../domain/readings.js'
import type { LatestValue } from '../../domain/model.js'
import { StoreQueryError } from '../errors.js'
import { splitResults, withoutDropped } from '../dedup.js'
import type { AppendResult, Bucket, SeriesPoints, SeriesStore } from '../ports.js'
import { DuckDbSqlClient } from './client.js'
import { DuckDbDedup } from './dedup.js'
import { CHUNK_ROWS, copyColumn, copyEpochMs } from './vectors.js'
import { WriteGate } from './checkpointer.js'
import { inList } from '../sql/in-list.js'
import { readBuckets, readCounts, readRange } from '../sql/series.reads.js'
import { insertDirty, lateMinutes, readBucketsRolled, readRollupState } from '../sql/rollups.js'

const COLUMN_TYPES = [INTEGER, BIGINT, DOUBLE]

/**
 * Group commit under a busy stream: when a commit ended less than `GROUP_BUSY_MS` ago and
 * fewer than `GROUP_MIN_READINGS` readings wait, the next group gathers for up to
 * `GROUP_LINGER_MS` more. Each commit costs the event loop a fixed ~0.4 ms in the
 * appender's flush whatever its size, and MQTT QoS 1 at 15,000 messages/s otherwise
 * committed some 300 groups of ~500 readings a second. A lone append never waits.
 */
export const GROUP_LINGER_MS = 4
export const GROUP_MIN_READINGS = 20_000
const GROUP_BUSY_MS = 20

interface Pending {
  batch: ReadingBatch
  resolve: (r: AppendResult) => void
  reject: (err: unknown) => void
}

/**
 * Readings in DuckDB, one narrow row (series, ts, value) per reading, loaded through
 * the Appender in columnar data chunks.
 *
 * Group commit: appends that arrive while a commit is in flight are written and
 * committed together, so many concurrent requests share one WAL sync. Each group is
 * appended inside an explicit transaction whose COMMIT (WAL write and sync) runs on
 * DuckDB's thread pool, so the event loop keeps parsing the next requests meanwhile.
 * A group that fails is rolled back whole: no half-written batch remains. Each
 * caller's promise resolves only after the commit that contains its rows.
 *
 * Exactly once per (series, ts): before a group is written, its readings already stored
 * or repeated within the group are dropped (DuckDbDedup), inside this single-writer
 * loop, so concurrent appends of the same readings cannot race.
 */
export class DuckDbSeriesStore implements SeriesStore {
  private readonly sql: DuckDbSqlClient
  private readonly dedup: DuckDbDedup
  /** The flush loop's group, concatenated into reused arrays (one group at a time). */
  private readonly concat = new BatchConcatenator()
  private pending: Pending[] = []
  private flushing: Promise<void> | null = null
  private closed = false
  /** Readings below it are late: their minutes go to rollup_dirty (see RollupStore.announce). */
  private dirtyBelow: number | null = null
  /** Settles when the commit group being written ends; announce waits for it. */
  private group: Promise<void> | null = null
  /** The rollup watermark reads may rely on (undefined: not read yet). */
  private watermark: number | null | undefined = undefined

  constructor(
    private appender: DuckDBAppender,
    private readonly writeConn: DuckDBConnection,
    readConn: DuckDBConnection,
    private readonly gate = new WriteGate(),
  ) {
    this.sql = new DuckDbSqlClient(readConn)
    this.dedup = new DuckDbDedup(writeConn)
  }

  append(batch: ReadingBatch): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new StoreQueryError('append', { cause: new Error('series store is closed') }))
    if (batch.length === 0) return Promise.resolve({ written: 0, duplicates: 0, stored: batch })
    return new Promise((resolve, reject) => {
      this.pending.push({ batch, resolve, reject })
      this.pendingReadings += batch.length
      if (this.pendingReadings >= GROUP_MIN_READINGS) this.wake?.()
      this.kick()
    })
  }

  /** Readings of `pending`. */
  private pendingReadings = 0
  /** When the last commit ended (performance.now()). */
  private lastCommitEnd = Number.NEGATIVE_INFINITY
  /** Ends a linger early, once the group is big enough. */
  private wake: (() => void) | null = null

  /** See GROUP_LINGER_MS. */
  private linger(): Promise<void> | undefined {
    if (this.pendingReadings >= GROUP_MIN_READINGS || performance.now() - this.lastCommitEnd >= GROUP_BUSY_MS) return undefined
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        this.wake = null
        resolve()
      }
      const timer = setTimeout(done, GROUP_LINGER_MS)
      this.wake = done
    })
  }

  /** Starts the flush loop unless one runs; after it ends, picks up appends made while it was ending. */
  private kick(): void {
    if (this.flushing || this.pending.length === 0) return
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = null
      this.kick()
    })
  }

  private async flushLoop(): Promise<void> {
    // Let the appends of the current tick join the first group.
    await new Promise<void>((r) => setImmediate(r))
    while (this.pending.length > 0) {
      const gathering = this.linger()
      if (gathering) await gathering
      const group = this.pending
      this.pending = []
      this.pendingReadings = 0
      let ended = (): void => undefined
      this.group = new Promise<void>((r) => (ended = r))
      try {
        const parts = group.map((p) => p.batch)
        const all = this.concat.concat(parts)
        const dropped = await this.dedup.duplicates(all)
        const written = withoutDropped(all, 0, all.length, dropped)
        // A group of nothing but duplicates has nothing to make durable: its readings already are.
        if (written.length > 0) await this.commit(written)
        this.dedup.committed(written)
        const results = splitResults(parts, dropped)
        group.forEach((p, i) => p.resolve(results[i]!))
      } catch (err) {
        this.dedup.invalidate()
        const wrapped = new StoreQueryError('append readings', { cause: err })
        for (const p of group) p.reject(wrapped)
      } finally {
        this.group = null
        this.lastCommitEnd = performance.now()
        ended()
      }
    }
  }

  /** RollupStore.announce for this process's only writer: later groups see the new bound. */
  async announce(upTo: number): Promise<void> {
    if (this.dirtyBelow === null) this.dirtyBelow = (await readRollupState(this.sql)).dirtyBelow
    this.dirtyBelow = Math.max(this.dirtyBelow ?? upTo, upTo)
    if (this.group) await this.group
  }

  /** The rollup job moved the watermark (after its commit). */
  setWatermark(watermark: number | null): void {
    this.watermark = watermark
  }

  /** Loads the persisted bound once at open, so late readings are caught before the first pass. */
  async loadRollupState(): Promise<void> {
    const st = await readRollupState(this.sql)
    this.dirtyBelow = st.dirtyBelow
    this.watermark = st.watermark
  }

  /**
   * Writes the rows in one transaction, with the minutes of late ones marked for the
   * rollup job from the rows actually written; a failure rolls all of it back.
   */
  private commit(rows: ReadingBatch): Promise<void> {
    return this.gate.run(async () => {
      await this.writeConn.run('BEGIN TRANSACTION')
      try {
        this.write(rows)
        await insertDirty((sql) => this.writeConn.run(sql), lateMinutes(rows, this.dirtyBelow))
        await this.writeConn.run('COMMIT')
      } catch (err) {
        await this.discardAndRollback()
        throw err
      }
    })
  }

  /**
   * A write that broke off may leave rows in the appender. Closing it flushes them, so
   * it is closed while the failed transaction is still open, and the rollback discards
   * them; the next group starts on a fresh appender.
   */
  private async discardAndRollback(): Promise<void> {
    try {
      this.appender.closeSync()
    } catch {
      // An appender in an error state may refuse to flush; it is dropped either way.
    }
    await this.writeConn.run('ROLLBACK').catch(() => undefined)
    this.appender = await this.writeConn.createAppender('readings')
  }

  /** Scratch for one chunk of timestamps laid out as int64 (low word, high word). */
  private readonly tsWords = new Uint32Array(CHUNK_ROWS * 2)

  /**
   * Copies each column of the batch straight into DuckDB's vectors: the INTEGER and
   * DOUBLE columns as they are, the timestamps as int64 words. No per-reading objects
   * (a BigInt per timestamp would be 10,000 allocations per request).
   */
  protected write(b: ReadingBatch): void {
    const words = this.tsWords
    for (let off = 0; off < b.length; off += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, b.length - off)
      const chunk = DuckDBDataChunk.create(COLUMN_TYPES, n)
      copyColumn(chunk, 0, b.series, off, n)
      copyEpochMs(chunk, 1, b.ts, off, n, words)
      copyColumn(chunk, 2, b.value, off, n)
      this.appender.appendDataChunk(chunk)
    }
    // Moves the rows into the open transaction; they become durable at COMMIT.
    this.appender.flushSync()
  }

  range(series: number, from: number, to: number): Promise<SeriesPoints> {
    return readRange(this.sql, series, from, to)
  }

  count(series: readonly number[], from: number, to: number): Promise<Map<number, number>> {
    return readCounts(this.sql, series, from, to)
  }

  async buckets(series: readonly number[], from: number, to: number, bucketMs: number): Promise<Bucket[]> {
    if (this.watermark === undefined) this.watermark = (await readRollupState(this.sql)).watermark
    return (await readBucketsRolled(this.sql, this.watermark, series, from, to, bucketMs)) ?? readBuckets(this.sql, series, from, to, bucketMs)
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
    this.closed = true
    // Queued appends commit before the appender goes away.
    while (this.flushing) await this.flushing
    // A store closed right after opening may still be loading its high-water marks.
    await this.dedup.idle()
    this.appender.closeSync()
  }
}
