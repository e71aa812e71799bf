import { DuckDBInstance } from '@duckdb/node-api'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDuckDb } from '../../../test/helpers/duckdb.js'
import type { Prediction } from '../../pipeline/bus.js'
import { runMigrations } from '../sql/migrate.js'
import { DuckDbSqlClient } from './client.js'
import { DUCKDB_MIGRATIONS } from './migrations.js'
import { DUCKDB_FILE_NAME, openDuckDbStores } from './open.js'

const T0 = Date.UTC(2026, 11, 1, 12)
const db = tempDuckDb('predictions')

const p = (assetId: string, ts: number, value: number, over: Partial<Prediction> = {}): Prediction => ({ assetId, ts, source: 'anomaly', kind: 'anomaly_score', value, ...over })

describe('DuckDB prediction store: series and values', () => {
  it('moves predictions stored in the ten-column table of migration 7 into series and values, readable as before', async () => {
    const dir = db.mkdir()
    const instance = await DuckDBInstance.create(join(dir, DUCKDB_FILE_NAME))
    const conn = await instance.connect()
    const sql = new DuckDbSqlClient(conn)
    await runMigrations(sql, DUCKDB_MIGRATIONS.filter((m) => m.version < 14))
    await sql.query(
      `INSERT INTO predictions VALUES ('t1', 'a1', ${T0}, 'anomaly_score', 'anomaly', NULL, NULL, NULL, 0.25, '{"top":"temp"}'),
        ('t1', 'a1', ${T0 + 1000}, 'anomaly_score', 'anomaly', NULL, NULL, NULL, 0.5, '='),
        ('t1', 'a1', ${T0}, 'rul', 'models', 'cmapss', 3, 'canary', 120, NULL),
        ('t2', 'a1', ${T0}, 'anomaly_score', 'anomaly', NULL, NULL, NULL, 0.75, '{}')`,
    )
    conn.closeSync()
    instance.closeSync()

    const stores = await openDuckDbStores({ dataDir: dir })
    try {
      const t1 = await stores.predictions.range('t1', { assetId: 'a1', from: T0, to: T0 + 10_000, limit: 10 })
      expect(t1).toEqual([
        p('a1', T0, 120, { kind: 'rul', source: 'models', model: 'cmapss', version: 3, deployment: 'canary' }),
        p('a1', T0, 0.25, { details: { top: 'temp' } }),
        p('a1', T0 + 1000, 0.5, { details: { top: 'temp' } }),
      ])
      expect(await stores.predictions.range('t2', { assetId: 'a1', from: T0, to: T0 + 10_000, limit: 10 })).toEqual([p('a1', T0, 0.75, { details: {} })])
      // Appends after the move go to the series the move created, and to new ones.
      await stores.predictions.append('t1', [p('a1', T0 + 2000, 0.125), p('a2', T0 + 2000, 0.0625)])
      expect((await stores.predictions.latest('t1', 'a1', { kind: 'anomaly_score' }))[0]?.value).toBe(0.125)
      expect((await stores.predictions.latest('t1', 'a2'))[0]?.value).toBe(0.0625)
    } finally {
      await stores.close()
    }
  })

  it('after a restart, appends to the series stored before it and adds new ones', async () => {
    let stores = await db.open()
    await stores.predictions.append('t', [p('a', T0, 1), p('a', T0, 2, { kind: 'health' }), p('b', T0, 3, { model: 'm', version: 1 })])
    stores = await db.reopen()
    await stores.predictions.append('t', [p('a', T0 + 1, 4), p('b', T0 + 1, 5, { model: 'm', version: 1 }), p('b', T0 + 1, 6, { model: 'm', version: 2 }), p('c', T0 + 1, 7)])
    stores = await db.reopen()
    expect((await stores.predictions.range('t', { assetId: 'a', from: T0, to: T0 + 10, limit: 10 })).map((x) => x.value)).toEqual([2, 1, 4])
    expect((await stores.predictions.range('t', { assetId: 'b', from: T0, to: T0 + 10, limit: 10 })).map((x) => [x.value, x.version]).sort((x, y) => x[0]! - y[0]!)).toEqual([
      [3, 1],
      [5, 1],
      [6, 2],
    ])
    expect((await stores.predictions.range('t', { assetId: 'c', from: T0, to: T0 + 10, limit: 10 })).map((x) => x.value)).toEqual([7])
    // One series each: a's two kinds, b's two versions, c.
    await stores.close()
    const instance = await DuckDBInstance.create(join(db.dir, DUCKDB_FILE_NAME))
    const conn = await instance.connect()
    const rows = await new DuckDbSqlClient(conn).query<{ n: number }>('SELECT count(*) AS n FROM prediction_series')
    conn.closeSync()
    instance.closeSync()
    expect(Number(rows[0]?.n)).toBe(5)
  })
})
