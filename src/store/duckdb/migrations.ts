import type { Migration } from '../sql/client.js'
import { featureTablesSql } from '../sql/feature.reads.js'
import { META_MIGRATIONS } from '../sql/meta.migrations.js'

/** DuckDB schema: the shared metadata plus one narrow readings table (no index: zone maps on ts prune scans). */
export const DUCKDB_MIGRATIONS: readonly Migration[] = [
  ...META_MIGRATIONS,
  { version: 3, name: 'readings', sql: 'CREATE TABLE readings (series INTEGER NOT NULL, ts BIGINT NOT NULL, value DOUBLE NOT NULL)' },
  // Versions 4 and 5 belong to other work of issue 3; the runner applies any missing version, gaps included.
  { version: 6, name: 'features', sql: featureTablesSql('DOUBLE', false) },
]
