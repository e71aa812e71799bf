import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api'
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

/**
 * SqlClient over one DuckDB connection. A connection runs one transaction at a
 * time, so statements are serialised through a promise chain; a transaction holds
 * the chain until it commits.
 */
export class DuckDbSqlClient implements SqlClient {
  readonly dialect = 'duckdb' as const
  private chain: Promise<unknown> = Promise.resolve()

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
    this.chain = next.catch(() => undefined)
    return next
  }

  private async raw<T>(sql: string, params: readonly SqlParam[]): Promise<T[]> {
    try {
      const reader = await this.conn.runAndReadAll(sql, params.length ? (params as DuckDBValue[]) : undefined)
      return reader.getRowObjectsJS().map((r) => normalise(r as Record<string, unknown>)) as T[]
    } catch (err) {
      throw new StoreQueryError(sql, { cause: err })
    }
  }
}
