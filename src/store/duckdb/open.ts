import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { DEFAULT_DUCKDB_MEMORY_LIMIT } from '../../config.js'
import { StoreUnavailableError } from '../errors.js'
import type { StoreMemory, Stores } from '../ports.js'
import { SqlDetectorStateStore } from '../sql/detector-state.store.js'
import { SqlMetaStore } from '../sql/meta.store.js'
import { DuckDbPredictionStore } from './prediction.store.js'
import { SqlRegistryStore } from '../sql/registry.store.js'
import { DuckDbSqlClient } from './client.js'
import { DUCKDB_MIGRATIONS } from './migrations.js'
import { DuckDbRollupStore } from './rollup.store.js'
import { DuckDbFeatureStore } from './feature.store.js'
import { DuckDbSeriesStore } from './series.store.js'
import { SqlAlertStore } from '../sql/alert.store.js'
import { DEFAULT_CHECKPOINT_WAL_BYTES, DUCKDB_BACKSTOP_CHECKPOINT_THRESHOLD, DuckDbCheckpointer, WriteGate } from './checkpointer.js'

export const DUCKDB_FILE_NAME = 'prognos.duckdb'

export interface DuckDbOptions {
  /** Directory that holds the database file; created if missing. `:memory:` for a throwaway store. */
  dataDir: string
  /**
   * DuckDB's buffer-pool limit (`memory_limit`, e.g. `256MB`). DuckDB otherwise caches up to
   * 80 % of the machine's memory, so the process would grow with the data; past the limit,
   * large queries spill to a temporary directory beside the database.
   */
  memoryLimit?: string
  /** WAL bytes at which the store checkpoints (see DuckDbCheckpointer); default 16 MiB. */
  checkpointWalBytes?: number
  /** How often the WAL's size is looked at; default every second. */
  checkpointEveryMs?: number
  /** Told when a checkpoint fails (the WAL then keeps growing until the next one succeeds). */
  onCheckpointError?: (err: unknown) => void
}


/**
 * The settings the store's DuckDB instance is created with:
 * - `memory_limit`: the buffer pool (DuckDbOptions.memoryLimit);
 * - `checkpoint_threshold`: a backstop far above DuckDbCheckpointer's own WAL size, so DuckDB
 *   never checkpoints at a commit (an appender flush on the event loop could wait for it);
 * - `allocator_background_threads`: DuckDB's allocator (jemalloc, linked into it on Linux)
 *   otherwise hands pages it freed back to the system only when a thread that allocates gets
 *   round to it, and a busy store's freed pages waited there. In the 10,000-asset soak the
 *   median RSS over minutes 2–4 fell from 946 to 899 MB at the same CPU (docs/benchmarks.md,
 *   session 12). Freeing them at once (jemalloc's decay 0) saved as much again but cost a
 *   quarter more of the server's CPU.
 */
export function duckDbInstanceOptions(memoryLimit?: string): Record<string, string> {
  return { memory_limit: memoryLimit ?? DEFAULT_DUCKDB_MEMORY_LIMIT, checkpoint_threshold: DUCKDB_BACKSTOP_CHECKPOINT_THRESHOLD, allocator_background_threads: 'true' }
}

/**
 * Opens (and migrates) the embedded DuckDB store. One process owns a data directory
 * at a time: DuckDB locks the file, and a second opener gets a clear error.
 */
export async function openDuckDbStores(opts: DuckDbOptions): Promise<Stores> {
  let path = ':memory:'
  if (opts.dataDir !== ':memory:') {
    mkdirSync(opts.dataDir, { recursive: true })
    path = join(resolve(opts.dataDir), DUCKDB_FILE_NAME)
  }
  let instance: DuckDBInstance
  try {
    instance = await DuckDBInstance.create(path, duckDbInstanceOptions(opts.memoryLimit))
  } catch (err) {
    const msg = String((err as Error).message)
    if (/lock/i.test(msg)) {
      throw new StoreUnavailableError(
        `the data directory ${opts.dataDir} is in use by another Prognos process: stop it, or while it runs use its API (users and keys are under /v1/users and /v1/keys), or set PROGNOS_DATA_DIR to another directory`,
        { cause: err },
      )
    }
    throw new StoreUnavailableError(`cannot open the DuckDB database at ${path}: ${msg}`, { cause: err })
  }
  const metaConn = await instance.connect()
  const readConn = await instance.connect()
  const writeConn = await instance.connect()
  const maintConn = await instance.connect()
  const featureConn = await instance.connect()
  const featureReadConn = await instance.connect()
  const predictionConn = await instance.connect()
  // Alerting has its own connection: its transactions (transition + outbox) never wait behind metadata or readings.
  const alertConn = await instance.connect()
  // Detector checkpoints get their own connection: a large one never holds up metadata queries.
  const stateConn = await instance.connect()
  const outboxConn = await instance.connect()
  const predictionReadConn = await instance.connect()
  const checkpointConn = await instance.connect()
  const gate = new WriteGate()
  const checkpointer =
    path === ':memory:'
      ? null
      : new DuckDbCheckpointer(checkpointConn, gate, { path, walBytes: opts.checkpointWalBytes ?? DEFAULT_CHECKPOINT_WAL_BYTES, everyMs: opts.checkpointEveryMs ?? 1000, onError: opts.onCheckpointError ?? (() => undefined) })
  const metaSql = new DuckDbSqlClient(metaConn)
  let series: DuckDbSeriesStore | null = null
  let features: DuckDbFeatureStore | null = null
  let predictions: DuckDbPredictionStore | null = null
  let closed = false

  const close = async (): Promise<void> => {
    if (closed) return
    closed = true
    await checkpointer?.stop()
    await series?.close()
    await features?.close()
    await predictions?.close()
    // Fold the WAL into the database file so the next start opens fast.
    await metaSql.query('CHECKPOINT').catch(() => undefined)
    for (const c of [metaConn, readConn, writeConn, maintConn, featureConn, featureReadConn, predictionConn, predictionReadConn, alertConn, outboxConn, stateConn, checkpointConn]) c.closeSync()
    instance.closeSync()
  }

  const meta = new SqlMetaStore(metaSql, DUCKDB_MIGRATIONS, close)
  // The readings table must exist before an appender can be created on it.
  await meta.migrate()
  series = new DuckDbSeriesStore(await writeConn.createAppender('readings'), writeConn, readConn, gate)
  await series.loadRollupState()
  const rollups = new DuckDbRollupStore(new DuckDbSqlClient(maintConn), series)
  features = new DuckDbFeatureStore(await featureConn.createAppender('features'), await featureConn.createAppender('feature_bands'), featureConn, featureReadConn, gate)
  // Predictions on connections of their own, appended like features; the registry is metadata.
  predictions = new DuckDbPredictionStore(await predictionConn.createAppender('prediction_values'), await predictionConn.createAppender('prediction_series'), predictionConn, predictionReadConn, gate)
  checkpointer?.start()
  const registry = new SqlRegistryStore(metaSql)
  const detectorState = new SqlDetectorStateStore(new DuckDbSqlClient(stateConn))
  const memory = async (): Promise<StoreMemory> => {
    const [row] = await metaSql.query<{ used: number | null; temp: number | null; lim: string }>(
      "SELECT sum(memory_usage_bytes) AS used, sum(temporary_storage_bytes) AS temp, current_setting('memory_limit') AS lim FROM duckdb_memory()",
    )
    return { usedBytes: Number(row?.used ?? 0), temporaryBytes: Number(row?.temp ?? 0), limitBytes: parseDuckDbSize(row?.lim ?? '') }
  }
  return { kind: 'duckdb', meta, series, rollups, features, predictions, registry, alerts: new SqlAlertStore(new DuckDbSqlClient(alertConn), new DuckDbSqlClient(outboxConn)), detectorState, memory, close }
}

const SIZE_UNITS: Record<string, number> = { bytes: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 }

/** Bytes in a size as DuckDB prints its settings ('488.2 MiB', '1.0 GiB', '0 bytes'); NaN if unreadable. */
export function parseDuckDbSize(text: string): number {
  const m = /^\s*([\d.]+)\s*([A-Za-z]+)\s*$/.exec(text)
  const unit = m ? SIZE_UNITS[m[2]!] : undefined
  return unit === undefined ? NaN : Math.round(Number(m![1]) * unit)
}
