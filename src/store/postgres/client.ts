import pg from 'pg'
import { StoreQueryError } from '../errors.js'
import type { SqlClient, SqlParam } from '../sql/client.js'

const INT8_OID = 20
const NUMERIC_OID = 1700

/**
 * Type parsers for one pool: BIGINT (epoch ms, counts, keys) and NUMERIC (sums, averages
 * of integers) come back as JS numbers instead of strings. Every such value we store fits
 * in 2^53. Passed as the pool's `types` so the process-wide `pg.types` stay untouched.
 */
export const PG_NUMBER_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if ((format ?? 'text') === 'text' && (oid === INT8_OID || oid === NUMERIC_OID)) return Number
    return pg.types.getTypeParser(oid, format)
  }) as pg.CustomTypesConfig['getTypeParser'],
}

/** Runs one statement on a pool or a checked-out client, wrapping the driver error once. */
async function run<T>(db: pg.Pool | pg.PoolClient, sql: string, params: readonly SqlParam[]): Promise<T[]> {
  try {
    const res = await db.query(sql, params as SqlParam[])
    return res.rows as T[]
  } catch (err) {
    throw new StoreQueryError(sql, { cause: err })
  }
}

/**
 * SqlClient over a `pg.Pool`. Plain statements take any pooled connection; a
 * transaction checks one out and holds it from BEGIN to COMMIT or ROLLBACK.
 * Over one checked-out connection instead (used to run migrations under a session
 * lock), statements and transactions must not overlap: callers run them in turn.
 *
 * @example
 * const pool = new pg.Pool({ connectionString: url, types: PG_NUMBER_TYPES })
 * const sql = new PgSqlClient(pool)
 * const [row] = await sql.query<{ n: number }>('SELECT count(*) AS n FROM tenants')
 */
export class PgSqlClient implements SqlClient {
  readonly dialect = 'postgres' as const

  constructor(private readonly db: pg.Pool | pg.PoolClient) {}

  query<T = Record<string, unknown>>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    return run<T>(this.db, sql, params)
  }

  async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    if (!(this.db instanceof pg.Pool)) return this.transactionOn(this.db, () => undefined, fn)
    let conn: pg.PoolClient
    try {
      conn = await this.db.connect()
    } catch (err) {
      throw new StoreQueryError('BEGIN', { cause: err })
    }
    return this.transactionOn(conn, (broken) => conn.release(broken), fn)
  }

  private async transactionOn<T>(conn: pg.PoolClient, done: (broken?: Error) => void, fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    // A connection whose ROLLBACK failed is in an unknown state: destroy it instead of reusing it.
    let broken: Error | undefined
    try {
      await run(conn, 'BEGIN', [])
      const tx: SqlClient = {
        dialect: 'postgres',
        query: (sql, params = []) => run(conn, sql, params),
        // Nested transactions join the outer one, as in the DuckDB client.
        transaction: (inner) => inner(tx),
      }
      const out = await fn(tx)
      await run(conn, 'COMMIT', [])
      return out
    } catch (err) {
      await run(conn, 'ROLLBACK', []).catch((rollbackErr: unknown) => {
        broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr))
      })
      throw err
    } finally {
      done(broken)
    }
  }
}
