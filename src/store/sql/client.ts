/**
 * The small SQL surface the generic metadata store needs. Both adapters implement it;
 * statements use `$1, $2 …` placeholders, which DuckDB and PostgreSQL both accept.
 */
export type SqlParam = string | number | boolean | null

export interface SqlClient {
  readonly dialect: 'duckdb' | 'postgres'
  /** Runs one statement and returns its rows with BIGINT columns as JS numbers. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<T[]>
  /** Runs `fn` in one transaction; rolls back if it throws. */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>
}

/** A versioned schema change. `sql` may hold several statements separated by `;`. */
export interface Migration {
  version: number
  name: string
  sql: string
}
