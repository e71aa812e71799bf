import { DuckDBInstance } from '@duckdb/node-api'
import { describe, expect, it } from 'vitest'
import { duckDbInstanceOptions, parseDuckDbSize } from './open.js'

describe('the store’s DuckDB settings', () => {
  it('are accepted by DuckDB and in force: a bounded pool, no checkpoint at commit, the allocator purging in the background', async () => {
    const instance = await DuckDBInstance.create(':memory:', duckDbInstanceOptions('64MB'))
    const conn = await instance.connect()
    try {
      const row = (
        await conn.runAndReadAll("SELECT current_setting('memory_limit') AS lim, current_setting('checkpoint_threshold') AS wal, current_setting('allocator_background_threads') AS bg")
      ).getRowObjects()[0]!
      expect(parseDuckDbSize(String(row.lim))).toBeGreaterThan(60e6)
      expect(parseDuckDbSize(String(row.lim))).toBeLessThanOrEqual(64e6)
      expect(parseDuckDbSize(String(row.wal))).toBeGreaterThanOrEqual(2 ** 30)
      expect(row.bg).toBe(true)
    } finally {
      conn.closeSync()
      instance.closeSync()
    }
  })

  it('default to a 128 MB pool', () => {
    expect(duckDbInstanceOptions().memory_limit).toBe('128MB')
  })
})
