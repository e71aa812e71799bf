import type pg from 'pg'
import { StoreQueryError } from '../errors.js'
import type { MigrationReport } from '../ports.js'
import type { Migration } from '../sql/client.js'
import { SqlMetaStore } from '../sql/meta.store.js'
import { runMigrations } from '../sql/migrate.js'
import { PgSqlClient } from './client.js'

/** One lock per schema, so stores in different schemas of a database migrate independently. */
const LOCK_KEY = `hashtext('prognos.migrate.' || coalesce(current_schema(), ''))`

/**
 * The generic SqlMetaStore, with migrations serialised across processes: replicas that
 * start together on a fresh schema take a session advisory lock, and the ones that get
 * it second find the migrations applied.
 */
export class PgMetaStore extends SqlMetaStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly pgMigrations: readonly Migration[],
    onClose: () => Promise<void>,
  ) {
    super(new PgSqlClient(pool), pgMigrations, onClose)
  }

  override async migrate(): Promise<MigrationReport> {
    let conn: pg.PoolClient
    try {
      conn = await this.pool.connect()
    } catch (err) {
      throw new StoreQueryError('migrate', { cause: err })
    }
    let broken: Error | undefined
    try {
      await new PgSqlClient(conn).query(`SELECT pg_advisory_lock(${LOCK_KEY})`)
      // The migrations run on the locked connection itself: with a pool of one, any other would wait forever.
      return await runMigrations(new PgSqlClient(conn), this.pgMigrations)
    } finally {
      await conn.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`).catch((e: unknown) => {
        broken = e instanceof Error ? e : new Error(String(e))
      })
      conn.release(broken)
    }
  }
}
