import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { checkFeatureTimes, type FeatureBatch, type FeatureRow } from '../../domain/features.js'
import { StoreQueryError } from '../errors.js'
import type { FeatureQuery, FeatureStore } from '../ports.js'
import { FEATURE_COLUMNS, expireFeatures, readFeatureRange, readLatestFeatures } from '../sql/feature.reads.js'
import { PgSqlClient } from './client.js'

const COPY_FEATURES = `COPY features (${FEATURE_COLUMNS}) FROM STDIN`
const COPY_BANDS = 'COPY feature_bands (series, window_sec, ts, bands) FROM STDIN'
const COPY_CHUNK_ROWS = 8192

function* featureText(b: FeatureBatch): Generator<string> {
  for (let off = 0; off < b.length; off += COPY_CHUNK_ROWS) {
    let text = ''
    for (let i = off; i < Math.min(b.length, off + COPY_CHUNK_ROWS); i++) {
      text += `${b.series[i]}\t${b.windowSec[i]}\t${b.ts[i]}\t${b.count[i]}\t${b.mean[i]}\t${b.std[i]}\t${b.min[i]}\t${b.max[i]}\t${b.slope[i]}\t${b.last[i]}\t${b.fftDominantHz[i]}\n`
    }
    yield text
  }
}

function* bandText(b: FeatureBatch): Generator<string> {
  let text = ''
  for (const [i, bands] of b.bands) text += `${b.series[i]}\t${b.windowSec[i]}\t${b.ts[i]}\t{${bands.join(',')}}\n`
  yield text
}

/** Feature rows in PostgreSQL, loaded with COPY (statistics and bands in one transaction). */
export class PgFeatureStore implements FeatureStore {
  private readonly sql: PgSqlClient

  constructor(private readonly pool: pg.Pool) {
    this.sql = new PgSqlClient(pool)
  }

  async append(b: FeatureBatch): Promise<void> {
    if (b.length === 0) return
    try {
      checkFeatureTimes(b)
    } catch (err) {
      throw new StoreQueryError(COPY_FEATURES, { cause: err })
    }
    let conn: pg.PoolClient
    try {
      conn = await this.pool.connect()
    } catch (err) {
      throw new StoreQueryError(COPY_FEATURES, { cause: err })
    }
    let broken: Error | undefined
    try {
      await conn.query('BEGIN')
      await pipeline(Readable.from(featureText(b)), conn.query(copyFrom(COPY_FEATURES)))
      if (b.bands.size > 0) await pipeline(Readable.from(bandText(b)), conn.query(copyFrom(COPY_BANDS)))
      await conn.query('COMMIT')
    } catch (err) {
      await conn.query('ROLLBACK').catch((e: unknown) => {
        broken = e instanceof Error ? e : new Error(String(e))
      })
      throw new StoreQueryError(COPY_FEATURES, { cause: err })
    } finally {
      conn.release(broken)
    }
  }

  range(q: FeatureQuery): Promise<FeatureRow[]> {
    return readFeatureRange(this.sql, q)
  }

  latest(series: readonly number[], windowsSec?: readonly number[]): Promise<FeatureRow[]> {
    return readLatestFeatures(this.sql, series, windowsSec)
  }

  expire(before: number): Promise<number> {
    return expireFeatures(this.sql, before)
  }
}
