import type { Migration } from '../sql/client.js'
import { featureTablesSql } from '../sql/feature.reads.js'
import { DETECTOR_STATE_MIGRATION } from '../sql/detector-state.store.js'
import { META_MIGRATIONS } from '../sql/meta.migrations.js'
import { rollupMigration } from '../sql/rollups.js'
import { registryMigrations } from '../sql/registry.migrations.js'
import { ALERT_MIGRATIONS } from '../sql/alert.store.js'

/**
 * DuckDB schema: the shared metadata plus one narrow readings table (no index: zone maps on ts
 * prune scans). Predictions are stored the same way: one row per series (tenant, asset, kind,
 * source, model, version, deployment) and narrow value rows; ten columns with five strings
 * per row cost 2–3 times as much to append and checkpoint (docs/benchmarks.md, session 9).
 */
export const DUCKDB_MIGRATIONS: readonly Migration[] = [
  ...META_MIGRATIONS,
  { version: 3, name: 'readings', sql: 'CREATE TABLE readings (series INTEGER NOT NULL, ts BIGINT NOT NULL, value DOUBLE NOT NULL)' },
  // Version 4 is the dedup work's (another branch); the runner applies whatever is missing, gaps included.
  rollupMigration(false),
  { version: 6, name: 'features', sql: featureTablesSql('DOUBLE', false) },
  ...registryMigrations('DOUBLE', false),
  ...ALERT_MIGRATIONS,
  DETECTOR_STATE_MIGRATION,
  {
    version: 14,
    name: 'predictions as series and values',
    // Existing rows move over; `predictions` becomes a view with the same columns, so every read stays as it was.
    sql: `
CREATE TABLE prediction_series (
  id INTEGER PRIMARY KEY, tenant_id VARCHAR NOT NULL, asset_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, source VARCHAR NOT NULL,
  model VARCHAR, version INTEGER, deployment VARCHAR);
INSERT INTO prediction_series
  SELECT CAST(row_number() OVER (ORDER BY tenant_id, asset_id, kind, source, model, version, deployment) AS INTEGER), *
  FROM (SELECT DISTINCT tenant_id, asset_id, kind, source, model, version, deployment FROM predictions);
CREATE TABLE prediction_values (series INTEGER NOT NULL, ts BIGINT NOT NULL, value DOUBLE NOT NULL, details VARCHAR);
INSERT INTO prediction_values
  SELECT s.id, p.ts, p.value, p.details FROM predictions p JOIN prediction_series s
    ON s.tenant_id = p.tenant_id AND s.asset_id = p.asset_id AND s.kind = p.kind AND s.source = p.source
   AND s.model IS NOT DISTINCT FROM p.model AND s.version IS NOT DISTINCT FROM p.version AND s.deployment IS NOT DISTINCT FROM p.deployment
  ORDER BY p.ts;
DROP TABLE predictions;
CREATE VIEW predictions AS
  SELECT s.tenant_id, s.asset_id, v.ts, s.kind, s.source, s.model, s.version, s.deployment, v.value, v.details
  FROM prediction_values v JOIN prediction_series s ON s.id = v.series`,
  },
]
