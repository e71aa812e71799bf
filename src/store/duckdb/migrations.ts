import type { Migration } from '../sql/client.js'
import { featureTablesSql } from '../sql/feature.reads.js'
import { DETECTOR_STATE_MIGRATION } from '../sql/detector-state.store.js'
import { META_MIGRATIONS } from '../sql/meta.migrations.js'
import { rollupMigration } from '../sql/rollups.js'
import { registryMigrations } from '../sql/registry.migrations.js'
import { ALERT_MIGRATIONS } from '../sql/alert.store.js'

/** DuckDB schema: the shared metadata plus one narrow readings table (no index: zone maps on ts prune scans). */
export const DUCKDB_MIGRATIONS: readonly Migration[] = [
  ...META_MIGRATIONS,
  { version: 3, name: 'readings', sql: 'CREATE TABLE readings (series INTEGER NOT NULL, ts BIGINT NOT NULL, value DOUBLE NOT NULL)' },
  // Version 4 is the dedup work's (another branch); the runner applies whatever is missing, gaps included.
  rollupMigration(false),
  { version: 6, name: 'features', sql: featureTablesSql('DOUBLE', false) },
  ...registryMigrations('DOUBLE', false),
  ...ALERT_MIGRATIONS,
  DETECTOR_STATE_MIGRATION,
]
