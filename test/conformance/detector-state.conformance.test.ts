/** Runs the DetectorStateStore conformance suite on DuckDB and PostgreSQL (never skipped: PostgreSQL must be reachable). */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { openDuckDbStores } from '../../src/store/duckdb/open.js'
import { openPostgresStores } from '../../src/store/postgres/open.js'
import { TEST_PG_URL, testSchemas } from '../helpers/pg.js'
import { runDetectorStateSuite } from './detector-state.suite.js'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})
runDetectorStateSuite('duckdb', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prognos-detector-state-'))
  dirs.push(dir)
  return openDuckDbStores({ dataDir: dir })
})

const schema = testSchemas()
runDetectorStateSuite('postgres', () => openPostgresStores({ url: TEST_PG_URL, schema: schema(), poolSize: 2 }))
