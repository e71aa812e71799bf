import { BIGINT, DOUBLE, DuckDBDataChunk, DuckDBListValue, INTEGER, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api'
import { checkFeatureTimes, type FeatureBatch, type FeatureRow } from '../../domain/features.js'
import { StoreQueryError } from '../errors.js'
import type { FeatureQuery, FeatureStore } from '../ports.js'
import { expireFeatures, readFeatureRange, readLatestFeatures } from '../sql/feature.reads.js'
import { WriteGate } from './checkpointer.js'
import { DuckDbSqlClient } from './client.js'
import { CHUNK_ROWS, copyColumn, copyEpochMs } from './vectors.js'

const TYPES = [INTEGER, INTEGER, BIGINT, INTEGER, DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE]

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
  private readonly words = new Uint32Array(CHUNK_ROWS * 2)

  constructor(
    private stats: DuckDBAppender,
    private bands: DuckDBAppender,
    private readonly writeConn: DuckDBConnection,
    readConn: DuckDBConnection,
    private readonly gate = new WriteGate(),
  ) {
    this.sql = new DuckDbSqlClient(readConn)
  }

  append(batch: FeatureBatch): Promise<void> {
    if (this.closed) return Promise.reject(new StoreQueryError('append features', { cause: new Error('feature store is closed') }))
    if (batch.length === 0) return Promise.resolve()
    const run = this.chain.then(() => this.write(batch))
    this.chain = run.catch(() => undefined)
    return run
  }

  private write(b: FeatureBatch): Promise<void> {
    return this.gate.run(async () => {
      try {
        await this.writeConn.run('BEGIN TRANSACTION')
        try {
          this.writeStats(b)
          for (const [i, bands] of b.bands) {
            this.bands.appendInteger(b.series[i]!)
            this.bands.appendInteger(b.windowSec[i]!)
            this.bands.appendBigInt(BigInt(b.ts[i]!))
            this.bands.appendList(new DuckDBListValue([...bands]))
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

  /** The statistics, straight from the batch's columns into DuckDB chunks. */
  private writeStats(b: FeatureBatch): void {
    checkFeatureTimes(b)
    const doubles = [b.mean, b.std, b.min, b.max, b.slope, b.last, b.fftDominantHz]
    for (let off = 0; off < b.length; off += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, b.length - off)
      const chunk = DuckDBDataChunk.create(TYPES, n)
      copyColumn(chunk, 0, b.series, off, n)
      copyColumn(chunk, 1, b.windowSec, off, n)
      copyEpochMs(chunk, 2, b.ts, off, n, this.words)
      copyColumn(chunk, 3, b.count, off, n)
      for (let k = 0; k < doubles.length; k++) copyColumn(chunk, 4 + k, doubles[k]!, off, n)
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
