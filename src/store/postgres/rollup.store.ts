import type pg from 'pg'
import type { RetentionCutoffs, RollupPass, RollupStatus, RollupStore } from '../ports.js'
import type { SqlClient } from '../sql/client.js'
import { MINUTE_MS, expireSlice, readRollupState, rollUpSlice, rollupStatus } from '../sql/rollups.js'
import { PgSqlClient } from './client.js'
import type { PgSeriesStore } from './series.store.js'

/** One maintenance job at a time per schema, across replicas. */
const LOCK = `pg_try_advisory_xact_lock(hashtext('prognos.rollup.' || coalesce(current_schema(), '')))`

/**
 * Rollups on PostgreSQL. Every append takes a share lock on the `dirty_below` row of
 * rollup_state; announce raises that row, so it waits for the appends in flight and the
 * ones after it see the new bound. A pass runs in REPEATABLE READ, so the dirty minutes
 * it deletes are exactly the ones it recomputed, and takes a transaction-scoped
 * advisory lock so replicas never run two passes at once.
 */
export class PgRollupStore implements RollupStore {
  private readonly sql: PgSqlClient

  constructor(
    pool: pg.Pool,
    private readonly series: PgSeriesStore,
  ) {
    this.sql = new PgSqlClient(pool)
  }

  async announce(upTo: number): Promise<void> {
    await this.sql.query(`UPDATE rollup_state SET value = GREATEST(COALESCE(value, $1::bigint), $1::bigint) WHERE name = 'dirty_below'`, [upTo - (upTo % MINUTE_MS)])
  }

  async rollUp(upTo: number, maxSpanMs: number): Promise<RollupPass> {
    const pass = await this.locked(async (tx) => rollUpSlice(tx, { upTo, maxSpanMs, persistDirtyBelow: false }))
    if (pass) {
      this.series.setWatermark(pass.to)
      return pass
    }
    // Another replica is running a pass: nothing to do here this time.
    const w = (await readRollupState(this.sql)).watermark ?? upTo
    return { from: w, to: w, dirtyMinutes: 0, caughtUp: true }
  }

  async expire(cutoffs: RetentionCutoffs): Promise<RetentionCutoffs> {
    const applied = await this.locked((tx) => expireSlice(tx, cutoffs, async (before) => void (await this.series.dropPartitionsBefore(tx, before))))
    return applied ?? { raw: null, minute: null, hour: null, day: null }
  }

  status(): Promise<RollupStatus> {
    return rollupStatus(this.sql)
  }

  private locked<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T | null> {
    return this.sql.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ')
      const [row] = await tx.query<{ ok: boolean }>(`SELECT ${LOCK} AS ok`)
      if (!row?.ok) return null
      return fn(tx)
    })
  }
}
