import type { Migration } from '../sql/client.js'
import { featureTablesSql } from '../sql/feature.reads.js'
import { DETECTOR_STATE_MIGRATION } from '../sql/detector-state.store.js'
import { META_MIGRATIONS } from '../sql/meta.migrations.js'
import { rollupMigration } from '../sql/rollups.js'
import { registryMigrations } from '../sql/registry.migrations.js'
import { ALERT_MIGRATIONS } from '../sql/alert.store.js'

/** Name of the index that serves range scans and latest-value look-ups per series. */
const READINGS_INDEX = 'CREATE INDEX readings_series_ts ON readings (series, ts)'

/**
 * Readings partitioned natively by time. The series store creates one partition per
 * UTC day on demand (`readings_p20261122`); the index on the parent is created on
 * every partition.
 */
const NATIVE_READINGS_SQL = `
CREATE TABLE readings (series INTEGER NOT NULL, ts BIGINT NOT NULL, value DOUBLE PRECISION NOT NULL) PARTITION BY RANGE (ts);
${READINGS_INDEX}`

/**
 * The partition (or hypertable chunk) width: 7 days, aligned on the epoch (partitions
 * start on Thursdays). Weeks rather than days keep a backfill spread over years to a
 * few hundred partitions, and match TimescaleDB's default chunk interval.
 */
export const READINGS_PARTITION_MS = 7 * 86_400_000

/** Double-quotes an identifier (schema names come from configuration). */
export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`

/**
 * Readings as a TimescaleDB hypertable. The extension is created before migrations run
 * (see open.ts), and its functions are called through the schema it lives in, because
 * the store's search_path holds only its own schema.
 */
function timescaleReadingsSql(extensionSchema: string): string {
  return `
CREATE TABLE readings (series INTEGER NOT NULL, ts BIGINT NOT NULL, value DOUBLE PRECISION NOT NULL);
SELECT ${quoteIdent(extensionSchema)}.create_hypertable('readings', 'ts', chunk_time_interval => ${READINGS_PARTITION_MS}::bigint, create_default_indexes => false);
${READINGS_INDEX}`
}

/**
 * At most one reading per (series, ts), so that appends can drop what is already stored
 * (ON CONFLICT DO NOTHING) even across instances. Duplicates stored before this migration
 * are removed first, keeping the oldest row; a (series, ts) lives in a single partition
 * (ts is the partition key), so comparing physical positions within it is enough. The
 * unique index replaces the plain one, which it serves the same reads as.
 */
const UNIQUE_READINGS_SQL = `
DELETE FROM readings a USING readings b WHERE a.series = b.series AND a.ts = b.ts AND a.tableoid = b.tableoid AND a.ctid > b.ctid;
CREATE UNIQUE INDEX readings_series_ts_key ON readings (series, ts);
DROP INDEX readings_series_ts`

/**
 * PostgreSQL schema: the shared metadata plus the readings table.
 *
 * @param timescaleSchema the schema holding the `timescaledb` extension when it is
 * usable, or null to partition natively.
 */
export function postgresMigrations(timescaleSchema: string | null): readonly Migration[] {
  const sql = timescaleSchema === null ? NATIVE_READINGS_SQL : timescaleReadingsSql(timescaleSchema)
  return [
    ...META_MIGRATIONS,
    { version: 3, name: 'readings', sql },
    { version: 4, name: 'readings unique per series and ts', sql: UNIQUE_READINGS_SQL },
    rollupMigration(true),
    { version: 6, name: 'features', sql: featureTablesSql('DOUBLE PRECISION', true) },
    ...registryMigrations('DOUBLE PRECISION', true),
    ...ALERT_MIGRATIONS,
    DETECTOR_STATE_MIGRATION,
  ]
}

/** The PostgreSQL migrations with native partitioning (what runs where TimescaleDB is absent). */
export const POSTGRES_MIGRATIONS: readonly Migration[] = postgresMigrations(null)
