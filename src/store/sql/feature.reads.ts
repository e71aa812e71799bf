import type { FeatureRow } from '../../domain/features.js'
import type { FeatureQuery } from '../ports.js'
import type { SqlClient } from './client.js'
import { inList } from './in-list.js'

/**
 * The feature tables, the same in both engines (migration 6):
 * - `features`: one row per (series, window_sec, ts) with the rolling statistics; `fft_hz`
 *   is NaN when the channel got no FFT features (NaN, not NULL, so that DuckDB's columnar
 *   loader needs no validity masks);
 * - `feature_bands`: the FFT band energies of the rows that have them (high-rate channels only).
 */
export const FEATURE_COLUMNS = 'series, window_sec, ts, n, mean, std, min_v, max_v, slope, last_v, fft_hz'

export function featureTablesSql(double: string, index: boolean): string {
  return `
CREATE TABLE features (series INTEGER NOT NULL, window_sec INTEGER NOT NULL, ts BIGINT NOT NULL, n INTEGER NOT NULL,
  mean ${double} NOT NULL, std ${double} NOT NULL, min_v ${double} NOT NULL, max_v ${double} NOT NULL,
  slope ${double} NOT NULL, last_v ${double} NOT NULL, fft_hz ${double} NOT NULL);
CREATE TABLE feature_bands (series INTEGER NOT NULL, window_sec INTEGER NOT NULL, ts BIGINT NOT NULL, bands ${double}[] NOT NULL)${
    index
      ? `;
CREATE INDEX features_series_window_ts ON features (series, window_sec, ts);
CREATE INDEX feature_bands_series_window_ts ON feature_bands (series, window_sec, ts)`
      : ''
  }`
}

interface Row {
  series: number
  window_sec: number
  ts: number
  n: number
  mean: number
  std: number
  min_v: number
  max_v: number
  slope: number
  last_v: number
  fft_hz: number
  bands: number[] | null
}

function toRow(r: Row): FeatureRow {
  const hz = Number(r.fft_hz)
  return {
    series: Number(r.series),
    windowSec: Number(r.window_sec),
    ts: Number(r.ts),
    count: Number(r.n),
    mean: r.mean,
    std: r.std,
    min: r.min_v,
    max: r.max_v,
    slope: r.slope,
    last: r.last_v,
    fftDominantHz: Number.isNaN(hz) ? null : hz,
    fftBands: r.bands ? r.bands.map(Number) : null,
  }
}

const SELECT = `SELECT f.series, f.window_sec, f.ts, f.n, f.mean, f.std, f.min_v, f.max_v, f.slope, f.last_v, f.fft_hz, b.bands
  FROM features f LEFT JOIN feature_bands b ON b.series = f.series AND b.window_sec = f.window_sec AND b.ts = f.ts`

function windowFilter(windows: readonly number[] | undefined, alias = ''): string {
  return windows && windows.length > 0 ? ` AND ${alias}window_sec IN (${inList(windows)})` : ''
}

/** FeatureStore.expire over either engine: bands first, so a reader never sees bands without their row. */
export async function expireFeatures(db: SqlClient, before: number): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query('DELETE FROM feature_bands WHERE ts < $1', [before])
    const [n] = await tx.query<{ n: number }>('SELECT count(*) AS n FROM features WHERE ts < $1', [before])
    if (Number(n?.n ?? 0) > 0) await tx.query('DELETE FROM features WHERE ts < $1', [before])
    return Number(n?.n ?? 0)
  })
}

/** FeatureStore.range over either engine. */
export async function readFeatureRange(db: SqlClient, q: FeatureQuery): Promise<FeatureRow[]> {
  if (q.series.length === 0 || (q.windowsSec && q.windowsSec.length === 0)) return []
  const where = (a: string): string => `${a}series IN (${inList(q.series)})${windowFilter(q.windowsSec, a)} AND ${a}ts >= $1 AND ${a}ts < $2`
  const [most] = await db.query<{ n: number | null }>(`SELECT max(c) AS n FROM (SELECT count(*) AS c FROM features WHERE ${where('')} GROUP BY series, window_sec) t`, [q.from, q.to])
  const maxPoints = Math.max(1, Math.floor(q.maxPoints))
  let rows: Row[]
  if (most?.n == null || Number(most.n) <= maxPoints) {
    rows = await db.query<Row>(`${SELECT} WHERE ${where('f.')} ORDER BY f.series, f.window_sec, f.ts`, [q.from, q.to])
  } else {
    // Too many rows: the newest row of each of maxPoints equal time buckets.
    const bucketMs = Math.ceil((q.to - q.from) / maxPoints)
    rows = await db.query<Row>(
      `${SELECT} WHERE (f.series, f.window_sec, f.ts) IN (
         SELECT series, window_sec, max(ts) FROM features WHERE ${where('')} GROUP BY series, window_sec, floor((ts - $1) / $3))
       ORDER BY f.series, f.window_sec, f.ts`,
      [q.from, q.to, bucketMs],
    )
  }
  return rows.map(toRow)
}

/** FeatureStore.latest over either engine. */
export async function readLatestFeatures(db: SqlClient, series: readonly number[], windowsSec?: readonly number[]): Promise<FeatureRow[]> {
  if (series.length === 0 || (windowsSec && windowsSec.length === 0)) return []
  const rows = await db.query<Row>(
    `${SELECT} WHERE (f.series, f.window_sec, f.ts) IN (
       SELECT series, window_sec, max(ts) FROM features WHERE series IN (${inList(series)})${windowFilter(windowsSec)} GROUP BY series, window_sec)
     ORDER BY f.series, f.window_sec`,
  )
  return rows.map(toRow)
}
