import { JSDuckDBValueConverter, type DuckDBConnection, type DuckDBMaterializedResult, type DuckDBPreparedStatement, type DuckDBValue } from '@duckdb/node-api'
import { StoreQueryError } from '../errors.js'
import type { SqlClient, SqlParam } from '../sql/client.js'

/** Converts BIGINT (JS bigint) cells to numbers: every BIGINT we store (ms, counts, keys) fits in 2^53. */
function normalise(row: Record<string, unknown>): Record<string, unknown> {
  for (const k in row) {
    const v = row[k]
    if (typeof v === 'bigint') row[k] = Number(v)
  }
  return row
}

/** Rows of a materialized result, read in place (its chunks are already in memory: no fetch round trips). */
function rowsOf<T>(result: DuckDBMaterializedResult): T[] {
  const names = result.deduplicatedColumnNames()
  const out: T[] = []
  for (let c = 0; c < result.chunkCount; c++) {
    for (const values of result.getChunk(c).convertRows(JSDuckDBValueConverter)) {
      const row: Record<string, unknown> = {}
      for (let i = 0; i < names.length; i++) row[names[i]!] = values[i]
      out.push(normalise(row) as T)
    }
  }
  return out
}

/** Prepared statements kept per connection (by SQL text), least recently used dropped first. */
const PREPARED_CACHE_SIZE = 64

/**
 * SqlClient over one DuckDB connection. A connection runs one transaction at a
 * time, so statements are serialised through a promise chain; a transaction holds
 * the chain until it commits.
 *
 * Each trip to DuckDB's worker thread costs a wait for the thread pool and another for the
 * event loop, which under load is most of a small statement's time. So a statement with
 * parameters runs from a cached prepared statement (one trip, not four: no parse and plan
 * each time), and results are read from the materialized chunks without further trips.
 */
export class DuckDbSqlClient implements SqlClient {
  readonly dialect = 'duckdb' as const
  private chain: Promise<unknown> = Promise.resolve()
  private readonly prepared = new Map<string, DuckDBPreparedStatement>()

  constructor(private readonly conn: DuckDBConnection) {}

  query<T = Record<string, unknown>>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    return this.serial(() => this.raw<T>(sql, params))
  }

  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      await this.raw('BEGIN TRANSACTION', [])
      const tx: SqlClient = { dialect: 'duckdb', query: (sql, params = []) => this.raw(sql, params), transaction: (inner) => inner(tx) }
      try {
        const out = await fn(tx)
        await this.raw('COMMIT', [])
        return out
      } catch (err) {
        await this.raw('ROLLBACK', []).catch(() => undefined)
        throw err
      }
    })
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn)
    // Settled with nothing: the chain must not hold the last statement's rows (a fleet-wide read is 10,000 of them) until the next one.
    this.chain = next.then(
      () => undefined,
      () => undefined,
    )
    return next
  }

  private async raw<T>(sql: string, params: readonly SqlParam[]): Promise<T[]> {
    try {
      if (params.length === 0) return rowsOf<T>(await this.conn.run(sql))
      const stmt = await this.statement(sql)
      if (!stmt) return (await this.conn.runAndReadAll(sql, params as DuckDBValue[])).getRowObjectsJS().map((r) => normalise(r as Record<string, unknown>)) as T[]
      try {
        stmt.bind(params as DuckDBValue[])
        return rowsOf<T>(await stmt.run())
      } catch (err) {
        // A statement that failed is prepared afresh next time. (One whose tables were replaced since it was
        // prepared does not fail: DuckDB binds it again by itself.)
        this.prepared.delete(sql)
        stmt.destroySync()
        throw err
      }
    } catch (err) {
      throw new StoreQueryError(sql, { cause: err })
    }
  }

  /** The cached prepared statement for `sql`, or null when it cannot be prepared alone (several statements). */
  private async statement(sql: string): Promise<DuckDBPreparedStatement | null> {
    const hit = this.prepared.get(sql)
    if (hit) {
      // Most recently used last.
      this.prepared.delete(sql)
      this.prepared.set(sql, hit)
      return hit
    }
    let stmt: DuckDBPreparedStatement
    try {
      stmt = await this.conn.prepare(sql)
    } catch {
      return null
    }
    this.prepared.set(sql, stmt)
    if (this.prepared.size > PREPARED_CACHE_SIZE) {
      const [oldest, old] = this.prepared.entries().next().value!
      this.prepared.delete(oldest)
      old.destroySync()
    }
    return stmt
  }
}
