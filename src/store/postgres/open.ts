import pg from 'pg'
import { StoreUnavailableError } from '../errors.js'
import type { Stores } from '../ports.js'
import { PG_NUMBER_TYPES, PgSqlClient } from './client.js'
import { PgMetaStore } from './meta.store.js'
import { postgresMigrations, quoteIdent } from './migrations.js'
import { PgRollupStore } from './rollup.store.js'
import { PgFeatureStore } from './feature.store.js'
import { PgSeriesStore } from './series.store.js'
import { SqlPredictionStore } from '../sql/prediction.store.js'
import { SqlRegistryStore } from '../sql/registry.store.js'
import { SqlAlertStore } from '../sql/alert.store.js'
import { SqlDetectorStateStore } from '../sql/detector-state.store.js'

/** Pooled connections when `poolSize` is not given. */
export const DEFAULT_PG_POOL_SIZE = 10
/** How long opening a connection may take before the store reports PostgreSQL unreachable. */
export const DEFAULT_PG_CONNECT_TIMEOUT_MS = 10_000
/** Idle pooled connections are closed after this long. */
export const DEFAULT_PG_IDLE_TIMEOUT_MS = 30_000

export interface PostgresOptions {
  /** `postgres://user:password@host:port/database` */
  url: string
  /** Schema that holds every table; created if missing. Default: the server's search_path (usually `public`). */
  schema?: string
  /** Apply pending migrations on open. Default true. */
  autoMigrate?: boolean
  /** Maximum pooled connections. Default DEFAULT_PG_POOL_SIZE. */
  poolSize?: number
}

/** Lower-case SQL identifiers only: they need no quoting inside the connection's `options`. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

/** `host:port` of the URL, without user or password. */
function target(url: string): string {
  try {
    const u = new URL(url)
    return `${u.hostname || u.searchParams.get('host') || 'localhost'}:${u.port || '5432'}`
  } catch {
    return 'the configured address'
  }
}

/** The driver's reason, with the password scrubbed in case a message ever echoes it. */
function reason(err: unknown, url: string): string {
  // Node reports a refused dual-stack connect as an AggregateError with an empty message.
  const first = err instanceof AggregateError && err.errors.length > 0 ? (err.errors[0] as unknown) : err
  const e = first as { message?: string; code?: string }
  let text = e.message || e.code || String(first)
  let password = ''
  try {
    password = decodeURIComponent(new URL(url).password)
  } catch {
    // not a URL: nothing to scrub
  }
  if (password) text = text.split(password).join('***')
  return text
}

/**
 * The schema holding a usable TimescaleDB when the readings table is still to be
 * created, or null to partition natively. TimescaleDB is optional: where it is not
 * available (Debian's PostgreSQL) or cannot be created, the store degrades quietly.
 */
async function timescaleSchema(sql: PgSqlClient): Promise<string | null> {
  const installed = `SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'timescaledb'`
  const [probe] = await sql.query<{ available: boolean; schema: string | null; has_readings: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') AS available,
            (${installed}) AS schema, to_regclass('readings') IS NOT NULL AS has_readings`,
  )
  if (!probe?.available || probe.has_readings) return null
  if (probe.schema) return probe.schema
  try {
    await sql.query('CREATE EXTENSION IF NOT EXISTS timescaledb WITH SCHEMA public')
  } catch {
    return null // e.g. not in shared_preload_libraries, or no privilege to create it
  }
  const [row] = await sql.query<{ nspname: string }>(installed)
  return row?.nspname ?? null
}

/**
 * Opens (and by default migrates) the PostgreSQL stores. Readings are bulk-loaded with
 * COPY into a table partitioned by day, or a TimescaleDB hypertable where available.
 *
 * @example
 * const stores = await openPostgresStores({ url: 'postgres://prognos@db:5432/prognos', schema: 'prognos' })
 * await stores.meta.createTenant({ name: 'Acme' })
 * await stores.close()
 */
export async function openPostgresStores(opts: PostgresOptions): Promise<Stores> {
  if (opts.schema !== undefined && !SCHEMA_NAME.test(opts.schema)) {
    throw new StoreUnavailableError(`invalid PostgreSQL schema name '${opts.schema}': use lower-case letters, digits and '_' (at most 63)`)
  }
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: Math.max(1, opts.poolSize ?? DEFAULT_PG_POOL_SIZE),
    connectionTimeoutMillis: DEFAULT_PG_CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: DEFAULT_PG_IDLE_TIMEOUT_MS,
    types: PG_NUMBER_TYPES,
    // Set at connection start-up, so every pooled connection sees the schema before its first statement.
    ...(opts.schema !== undefined ? { options: `-c search_path=${opts.schema}` } : {}),
  })
  // An idle connection dropped by the server emits 'error' on the pool; without a
  // listener that would crash the process. The pool replaces it on next use.
  pool.on('error', () => undefined)

  try {
    const conn = await pool.connect()
    conn.release()
  } catch (err) {
    await pool.end().catch(() => undefined)
    throw new StoreUnavailableError(`cannot reach PostgreSQL at ${target(opts.url)}: ${reason(err, opts.url)}; check PROGNOS_DATABASE_URL`, { cause: err })
  }

  const sql = new PgSqlClient(pool)
  let series: PgSeriesStore | null = null
  let closed = false
  const close = async (): Promise<void> => {
    if (closed) return
    closed = true
    await series?.close()
    await pool.end()
  }

  try {
    if (opts.schema !== undefined) {
      // Concurrent openers of a fresh schema may race past IF NOT EXISTS: the loser sees 23505.
      await sql.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(opts.schema)}`).catch(async (err: unknown) => {
        const [exists] = await sql.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [opts.schema!])
        if (!exists) throw err
      })
    }
    const meta = new PgMetaStore(pool, postgresMigrations(await timescaleSchema(sql)), close)
    if (opts.autoMigrate ?? true) await meta.migrate()
    series = new PgSeriesStore(pool)
    return { kind: 'postgres', meta, series, rollups: new PgRollupStore(pool, series), features: new PgFeatureStore(pool), predictions: new SqlPredictionStore(sql), registry: new SqlRegistryStore(sql), alerts: new SqlAlertStore(sql), detectorState: new SqlDetectorStateStore(sql), close }
  } catch (err) {
    await close().catch(() => undefined)
    throw err
  }
}
