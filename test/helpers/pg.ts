import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll } from 'vitest'

/** The PostgreSQL the tests use: the local server, or PROGNOS_TEST_DATABASE_URL. */
export const TEST_PG_URL = process.env.PROGNOS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/**
 * Hands out unique schema names for one test file and drops them all when the file is
 * done, so files can run in parallel against one database. Call at module level.
 */
export function testSchemas(): () => string {
  const schemas: string[] = []
  afterAll(async () => {
    if (schemas.length === 0) return
    const admin = new pg.Pool({ connectionString: TEST_PG_URL, max: 1 })
    try {
      for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`)
    } finally {
      await admin.end()
    }
  })
  return () => {
    const s = `t_${randomBytes(6).toString('hex')}`
    schemas.push(s)
    return s
  }
}
