import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { TEST_PG_URL, testSchemas } from '../../../test/helpers/pg.js'
import { StoreQueryError, StoreUnavailableError } from '../errors.js'
import { PG_NUMBER_TYPES, PgSqlClient } from './client.js'
import { POSTGRES_MIGRATIONS, postgresMigrations } from './migrations.js'
import { openPostgresStores } from './open.js'

const PG_URL = TEST_PG_URL
const freshSchema = testSchemas()

describe('openPostgresStores', () => {
  it('reports an unreachable server in one sentence, without the password', async () => {
    const err = await openPostgresStores({ url: 'postgres://prognos:s3cret-pw@127.0.0.1:1/prognos' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StoreUnavailableError)
    const { message } = err as StoreUnavailableError
    expect(message).toMatch(/^cannot reach PostgreSQL at 127\.0\.0\.1:1: .+; check PROGNOS_DATABASE_URL$/)
    expect(message).not.toContain('s3cret')
  })

  it('reports an unknown database as unavailable', async () => {
    const url = new URL(PG_URL)
    url.pathname = `/no_such_db_${randomBytes(3).toString('hex')}`
    await expect(openPostgresStores({ url: url.toString() })).rejects.toThrow(/cannot reach PostgreSQL at .*does not exist; check PROGNOS_DATABASE_URL/)
  })

  it('refuses a schema name that would need quoting', async () => {
    await expect(openPostgresStores({ url: PG_URL, schema: 'Bad Schema; DROP' })).rejects.toBeInstanceOf(StoreUnavailableError)
  })

  it('creates the schema, keeps every table in it, and partitions readings natively where TimescaleDB is absent', async () => {
    const schema = freshSchema()
    const stores = await openPostgresStores({ url: PG_URL, schema, poolSize: 2 })
    try {
      await stores.series.append({ series: Int32Array.of(1), ts: Float64Array.of(Date.UTC(2026, 10, 22, 12)), value: Float64Array.of(1), length: 1 })
      const admin = new pg.Client({ connectionString: PG_URL })
      await admin.connect()
      try {
        const { rows } = await admin.query<{ relname: string; relkind: string }>(
          `SELECT c.relname, c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = $1 AND c.relname LIKE 'readings%' AND c.relkind IN ('r', 'p') ORDER BY 1`,
          [schema],
        )
        const { rows: ext } = await admin.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'`)
        if (ext.length === 0) {
          expect(rows).toEqual([
            { relname: 'readings', relkind: 'p' },
            { relname: 'readings_p20261119', relkind: 'r' },
          ])
        } else {
          expect(rows[0]).toEqual({ relname: 'readings', relkind: 'r' })
        }
        const { rows: tables } = await admin.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1 AND tablename IN ('tenants', 'channels', 'schema_migrations')`, [schema])
        expect(tables).toEqual([{ n: 3 }])
      } finally {
        await admin.end()
      }
    } finally {
      await stores.close()
    }
  })

  it('lets replicas that start together on a fresh schema migrate it once', async () => {
    const schema = freshSchema()
    const all = await Promise.all(Array.from({ length: 4 }, () => openPostgresStores({ url: PG_URL, schema, poolSize: 1 })))
    try {
      for (const s of all) expect((await s.meta.migrationStatus()).pending).toEqual([])
      await all[0]!.meta.createTenant({ id: 'x', name: 'X' })
      expect(await all[3]!.meta.getTenant('x')).toMatchObject({ name: 'X' })
    } finally {
      await Promise.all(all.map((s) => s.close()))
    }
  })

  it('leaves migrations pending without autoMigrate, and appends fail clearly until they run', async () => {
    const schema = freshSchema()
    const stores = await openPostgresStores({ url: PG_URL, schema, autoMigrate: false })
    try {
      const status = await stores.meta.migrationStatus()
      expect(status.current).toBe(0)
      expect(status.pending.map((m) => m.version)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version))
      const batch = { series: Int32Array.of(1), ts: Float64Array.of(1000), value: Float64Array.of(1), length: 1 }
      await expect(stores.series.append(batch)).rejects.toThrow(/run the migrations/)
      expect((await stores.meta.migrate()).current).toBe(Math.max(...POSTGRES_MIGRATIONS.map((m) => m.version)))
      await stores.series.append(batch)
      expect((await stores.series.count([1], 0, 2000)).get(1)).toBe(1)
    } finally {
      await stores.close()
      await stores.close() // idempotent
    }
  })

  it('close() waits for queued appends and rejects later ones', async () => {
    const schema = freshSchema()
    const stores = await openPostgresStores({ url: PG_URL, schema })
    const pending = stores.series.append({ series: Int32Array.of(5, 5), ts: Float64Array.of(1000, 2000), value: Float64Array.of(1, 2), length: 2 })
    await stores.close()
    await pending
    await expect(stores.series.append({ series: Int32Array.of(5), ts: Float64Array.of(3000), value: Float64Array.of(3), length: 1 })).rejects.toBeInstanceOf(StoreQueryError)
    const again = await openPostgresStores({ url: PG_URL, schema })
    try {
      expect((await again.series.range(5, 0, 10_000)).ts).toEqual([1000, 2000])
    } finally {
      await again.close()
    }
  })

  it('uses TimescaleDB through the schema it is installed in', () => {
    const readings = postgresMigrations('ext').find((m) => m.version === 3)!.sql
    expect(readings).toContain('"ext".create_hypertable(\'readings\'')
    expect(readings).not.toContain('PARTITION BY')
    expect(POSTGRES_MIGRATIONS.find((m) => m.version === 3)!.sql).toContain('PARTITION BY RANGE (ts)')
  })
})

describe('PgSqlClient', () => {
  it('returns BIGINT and NUMERIC as numbers without touching the process-wide parsers', async () => {
    const pool = new pg.Pool({ connectionString: PG_URL, max: 2, types: PG_NUMBER_TYPES })
    const plain = new pg.Pool({ connectionString: PG_URL, max: 1 })
    try {
      const [row] = await new PgSqlClient(pool).query('SELECT 9007199254740991::bigint AS big, count(*) AS n, sum(x)::numeric AS s, 1.5::float8 AS f FROM (VALUES (1), (2)) v(x)')
      expect(row).toEqual({ big: 9007199254740991, n: 2, s: 3, f: 1.5 })
      const { rows } = await plain.query('SELECT 1::bigint AS big')
      expect(rows[0]).toEqual({ big: '1' })
    } finally {
      await pool.end()
      await plain.end()
    }
  })

  it('commits a transaction, rolls back when it throws, and wraps driver errors once', async () => {
    const schema = freshSchema()
    const pool = new pg.Pool({ connectionString: PG_URL, max: 1, types: PG_NUMBER_TYPES, options: `-c search_path=${schema}` })
    const sql = new PgSqlClient(pool)
    try {
      await sql.query(`CREATE SCHEMA ${schema}`)
      await sql.query('CREATE TABLE t (x INTEGER PRIMARY KEY)')
      await sql.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (1)')
        await tx.transaction((inner) => inner.query('INSERT INTO t VALUES (2)'))
      })
      const failed = await sql
        .transaction(async (tx) => {
          await tx.query('INSERT INTO t VALUES (3)')
          await tx.query('INSERT INTO t VALUES (1)')
        })
        .catch((e: unknown) => e)
      expect(failed).toBeInstanceOf(StoreQueryError)
      expect((failed as StoreQueryError).sql).toBe('INSERT INTO t VALUES (1)')
      expect(((failed as StoreQueryError).cause as { code?: string }).code).toBe('23505')
      // the only pooled connection is usable again, and the failed transaction left nothing
      expect(await sql.query('SELECT x FROM t ORDER BY x')).toEqual([{ x: 1 }, { x: 2 }])
    } finally {
      await pool.end()
    }
  })
})
