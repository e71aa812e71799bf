import type { RetentionCutoffs, RollupPass, RollupStatus, RollupStore } from '../ports.js'
import { MINUTE_MS, expireSlice, rollUpSlice, rollupStatus } from '../sql/rollups.js'
import type { DuckDbSqlClient } from './client.js'
import type { DuckDbSeriesStore } from './series.store.js'

/**
 * Rollups on DuckDB. Passes run on a connection of their own, so the single writer
 * connection of the series store keeps committing ingest while a pass aggregates;
 * they touch different rows (the readings table is only read), so the two never conflict.
 * `dirty_below` is the series store's in-memory bound, persisted with the watermark.
 */
export class DuckDbRollupStore implements RollupStore {
  constructor(
    private readonly sql: DuckDbSqlClient,
    private readonly series: DuckDbSeriesStore,
  ) {}

  announce(upTo: number): Promise<void> {
    return this.series.announce(upTo - (upTo % MINUTE_MS))
  }

  async rollUp(upTo: number, maxSpanMs: number): Promise<RollupPass> {
    const pass = await this.sql.transaction((tx) => rollUpSlice(tx, { upTo, maxSpanMs, persistDirtyBelow: true }))
    this.series.setWatermark(pass.to)
    return pass
  }

  expire(cutoffs: RetentionCutoffs): Promise<RetentionCutoffs> {
    return this.sql.transaction((tx) => expireSlice(tx, cutoffs))
  }

  status(): Promise<RollupStatus> {
    return rollupStatus(this.sql)
  }
}
