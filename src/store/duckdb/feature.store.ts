import { BIGINT, DOUBLE, DuckDBDataChunk, DuckDBListValue, INTEGER, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api'
import type { FeatureRow } from '../../domain/features.js'
import { StoreQueryError } from '../errors.js'
import type { FeatureQuery, FeatureStore } from '../ports.js'
import { expireFeatures, readFeatureRange, readLatestFeatures } from '../sql/feature.reads.js'
import { WriteGate } from './checkpointer.js'
import { DuckDbSqlClient } from './client.js'
import { CHUNK_ROWS, copyColumn, copyEpochMs } from './vectors.js'

const TYPES = [INTEGER, INTEGER, BIGINT, INTEGER, DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE]
const DOUBLE_STATS = ['mean', 'std', 'min', 'max', 'slope', 'last'] as const

/**
 * Feature rows in DuckDB, on a connection of their own so that their transactions never
 * hold up the readings' group commit. The statistics go through the Appender in columnar
 * chunks like readings; the few rows with FFT bands are appended row by row to
 * `feature_bands`, in the same transaction.
 */
export class DuckDbFeatureStore implements FeatureStore {
  private readonly sql: DuckDbSqlClient
  private chain: Promise<void> = Promise.resolve()
  private closed = false
  private readonly i32 = Array.from({ length: 3 }, () => new Int32Array(CHUNK_ROWS))
  private readonly ts = new Float64Array(CHUNK_ROWS)
  private readonly words = new Uint32Array(CHUNK_ROWS * 2)
  private readonly f64 = Array.from({ length: 7 }, () => new Float64Array(CHUNK_ROWS))

  constructor(
    private stats: DuckDBAppender,
    private bands: DuckDBAppender,
    private readonly writeConn: DuckDBConnection,
    readConn: DuckDBConnection,
    private readonly gate = new WriteGate(),
  ) {
    this.sql = new DuckDbSqlClient(readConn)
  }

  append(rows: readonly FeatureRow[]): Promise<void> {
    if (this.closed) return Promise.reject(new StoreQueryError('append features', { cause: new Error('feature store is closed') }))
    if (rows.length === 0) return Promise.resolve()
    const run = this.chain.then(() => this.write(rows))
    this.chain = run.catch(() => undefined)
    return run
  }

  private write(rows: readonly FeatureRow[]): Promise<void> {
    return this.gate.run(async () => {
      try {
        await this.writeConn.run('BEGIN TRANSACTION')
        try {
          this.writeStats(rows)
          for (const r of rows) {
            if (!r.fftBands) continue
            this.bands.appendInteger(r.series)
            this.bands.appendInteger(r.windowSec)
            this.bands.appendBigInt(BigInt(r.ts))
            this.bands.appendList(new DuckDBListValue(r.fftBands))
            this.bands.endRow()
          }
          this.bands.flushSync()
          await this.writeConn.run('COMMIT')
        } catch (err) {
          for (const a of [this.stats, this.bands]) {
            try {
              a.closeSync()
            } catch {
              // dropped either way
            }
          }
          await this.writeConn.run('ROLLBACK').catch(() => undefined)
          this.stats = await this.writeConn.createAppender('features')
          this.bands = await this.writeConn.createAppender('feature_bands')
          throw err
        }
      } catch (err) {
        throw new StoreQueryError('append features', { cause: err })
      }
    })
  }

  private writeStats(rows: readonly FeatureRow[]): void {
    const [series, windows, counts] = this.i32 as [Int32Array, Int32Array, Int32Array]
    const words = this.words
    for (let off = 0; off < rows.length; off += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, rows.length - off)
      for (let i = 0; i < n; i++) {
        const r = rows[off + i]!
        if (!Number.isSafeInteger(r.ts)) throw new RangeError(`feature row ${off + i}: ts must be an integer number of epoch ms, got ${r.ts}`)
        series[i] = r.series
        windows[i] = r.windowSec
        counts[i] = r.count
        this.ts[i] = r.ts
        for (let k = 0; k < DOUBLE_STATS.length; k++) this.f64[k]![i] = r[DOUBLE_STATS[k]!]
        this.f64[6]![i] = r.fftDominantHz ?? Number.NaN
      }
      const chunk = DuckDBDataChunk.create(TYPES, n)
      copyColumn(chunk, 0, series, 0, n)
      copyColumn(chunk, 1, windows, 0, n)
      copyEpochMs(chunk, 2, this.ts, 0, n, words)
      copyColumn(chunk, 3, counts, 0, n)
      for (let k = 0; k < 7; k++) copyColumn(chunk, 4 + k, this.f64[k]!, 0, n)
      this.stats.appendDataChunk(chunk)
    }
    this.stats.flushSync()
  }

  range(q: FeatureQuery): Promise<FeatureRow[]> {
    return readFeatureRange(this.sql, q)
  }

  latest(series: readonly number[], windowsSec?: readonly number[]): Promise<FeatureRow[]> {
    return readLatestFeatures(this.sql, series, windowsSec)
  }

  /** On the read connection: DuckDB lets the delete of old rows and the appends of new ones commit side by side. */
  expire(before: number): Promise<number> {
    return expireFeatures(this.sql, before)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.chain
    this.stats.closeSync()
    this.bands.closeSync()
  }
}
