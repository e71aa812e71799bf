/**
 * Runs the store conformance suite against every adapter. PostgreSQL is a required
 * component of every development and CI machine: when it cannot be reached these
 * tests fail, they are never skipped.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDuckDbStores } from '../../src/store/duckdb/open.js'
import type { Stores } from '../../src/store/ports.js'
import { openPostgresStores } from '../../src/store/postgres/open.js'
import { TEST_PG_URL, testSchemas } from '../helpers/pg.js'
import { runStoreSuite } from './store.suite.js'

const PG_URL = TEST_PG_URL

// DuckDB: one temporary directory per store.
const duckDirs = new Map<Stores, string>()
afterAll(() => {
  for (const dir of new Set(duckDirs.values())) rmSync(dir, { recursive: true, force: true })
})
runStoreSuite('duckdb', async (reopen) => {
  const dir = reopen ? duckDirs.get(reopen)! : mkdtempSync(join(tmpdir(), 'prognos-conformance-'))
  const stores = await openDuckDbStores({ dataDir: dir })
  duckDirs.set(stores, dir)
  return stores
})

// PostgreSQL: one schema per store, dropped when the file is done.
const pgSchemas = new Map<Stores, string>()
const freshSchema = testSchemas()

describe('postgres connection', () => {
  it(`reaches PostgreSQL at ${PG_URL.replace(/:[^:@/]*@/, ':***@')} (set PROGNOS_TEST_DATABASE_URL)`, async () => {
    const stores = await openPostgresStores({ url: PG_URL, autoMigrate: false })
    try {
      await stores.meta.ping()
    } finally {
      await stores.close()
    }
  })
})

runStoreSuite('postgres', async (reopen) => {
  const schema = reopen ? pgSchemas.get(reopen)! : freshSchema()
  const stores = await openPostgresStores({ url: PG_URL, schema, poolSize: 4 })
  pgSchemas.set(stores, schema)
  expect(stores.kind).toBe('postgres')
  return stores
})
