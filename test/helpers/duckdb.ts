import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import type { Stores } from '../../src/store/ports.js'
import { openDuckDbStores, type DuckDbOptions } from '../../src/store/duckdb/open.js'

export interface TempDuckDb {
  /** Opens the stores in a new temporary directory (closing any the test opened before). */
  open(opts?: Omit<DuckDbOptions, 'dataDir'>): Promise<Stores>
  /** Closes the stores and opens the same directory again, as a restart would. */
  reopen(opts?: Omit<DuckDbOptions, 'dataDir'>): Promise<Stores>
  /** A new temporary directory for the test to use itself; removed after the test. */
  mkdir(): string
  /** The directory of the stores last opened. */
  readonly dir: string
}

/**
 * DuckDB stores on disk for the tests of one file: call at the top level; each test's stores
 * are closed and their directories removed after it.
 */
export function tempDuckDb(prefix: string): TempDuckDb {
  let stores: Stores | null = null
  let dir = ''
  const dirs: string[] = []
  afterEach(async () => {
    await stores?.close()
    stores = null
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })
  const mkdir = (): string => {
    const d = mkdtempSync(join(tmpdir(), `prognos-${prefix}-`))
    dirs.push(d)
    return d
  }
  const at = async (d: string, opts: Omit<DuckDbOptions, 'dataDir'>): Promise<Stores> => {
    await stores?.close()
    stores = null
    dir = d
    stores = await openDuckDbStores({ ...opts, dataDir: d })
    return stores
  }
  return {
    open: (opts = {}) => at(mkdir(), opts),
    reopen: (opts = {}) => at(dir, opts),
    mkdir,
    get dir() {
      return dir
    },
  }
}
