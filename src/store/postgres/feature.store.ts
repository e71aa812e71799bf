import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import type { FeatureRow } from '../../domain/features.js'
import { StoreQueryError } from '../errors.js'
import type { FeatureQuery, FeatureStore } from '../ports.js'
import { FEATURE_COLUMNS, expireFeatures, readFeatureRange, readLatestFeatures } from '../sql/feature.reads.js'
import { PgSqlClient } from './client.js'

const COPY_FEATURES = `COPY features (${FEATURE_COLUMNS}) FROM STDIN`
const COPY_BANDS = 'COPY feature_bands (series, window_sec, ts, bands) FROM STDIN'
const COPY_CHUNK_ROWS = 8192

function* featureText(rows: readonly FeatureRow[]): Generator<string> {
  for (let off = 0; off < rows.length; off += COPY_CHUNK_ROWS) {
    let text = ''
    for (let i = off; i < Math.min(rows.length, off + COPY_CHUNK_ROWS); i++) {
      const r = rows[i]!
      text += `${r.series}\t${r.windowSec}\t${r.ts}\t${r.count}\t${r.mean}\t${r.std}\t${r.min}\t${r.max}\t${r.slope}\t${r.last}\t${r.fftDominantHz ?? 'NaN'}\n`
    }
    yield text
  }
}

function* bandText(rows: readonly FeatureRow[]): Generator<string> {
  let text = ''
  for (const r of rows) if (r.fftBands) text += `${r.series}\t${r.windowSec}\t${r.ts}\t{${r.fftBands.join(',')}}\n`
  yield text
}

/** Feature rows in PostgreSQL, loaded with COPY (statistics and bands in one transaction). */
export class PgFeatureStore implements FeatureStore {
  private readonly sql: PgSqlClient

  constructor(private readonly pool: pg.Pool) {
    this.sql = new PgSqlClient(pool)
  }

  async append(rows: readonly FeatureRow[]): Promise<void> {
    if (rows.length === 0) return
    for (const [i, r] of rows.entries()) {
      if (!Number.isSafeInteger(r.ts)) throw new StoreQueryError(COPY_FEATURES, { cause: new RangeError(`feature row ${i}: ts must be an integer number of epoch ms, got ${r.ts}`) })
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
      await pipeline(Readable.from(featureText(rows)), conn.query(copyFrom(COPY_FEATURES)))
      if (rows.some((r) => r.fftBands)) await pipeline(Readable.from(bandText(rows)), conn.query(copyFrom(COPY_BANDS)))
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
