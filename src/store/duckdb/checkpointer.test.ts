import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDuckDb } from '../../../test/helpers/duckdb.js'
import { ReadingBatchBuilder } from '../../domain/readings.js'
import { WriteGate } from './checkpointer.js'
import { DUCKDB_FILE_NAME } from './open.js'

const tick = (): Promise<void> => new Promise((r) => setImmediate(r))

describe('WriteGate', () => {
  it('starts a checkpoint only when the writers inside have left, and holds new writers until it ends', async () => {
    const gate = new WriteGate()
    const events: string[] = []
    await gate.enter()
    events.push('writer 1 in')
    let finishCheckpoint!: () => void
    const checkpoint = gate.exclusive(async () => {
      events.push('checkpoint start')
      await new Promise<void>((r) => (finishCheckpoint = r))
      events.push('checkpoint end')
    })
    const writer2 = gate.enter().then(() => events.push('writer 2 in'))
    await tick()
    // Writer 1 still holds the gate: the checkpoint has not started, and writer 2 waits behind it.
    expect(events).toEqual(['writer 1 in'])
    gate.leave()
    await tick()
    expect(events).toEqual(['writer 1 in', 'checkpoint start'])
    finishCheckpoint()
    await checkpoint
    await writer2
    expect(events).toEqual(['writer 1 in', 'checkpoint start', 'checkpoint end', 'writer 2 in'])
    gate.leave()
  })

  it('reopens the gate when the checkpoint fails', async () => {
    const gate = new WriteGate()
    await expect(gate.exclusive(() => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full')
    await gate.enter()
    gate.leave()
  })
})

describe('DuckDB checkpointer', () => {
  const db = tempDuckDb('ckpt')

  it('folds the WAL into the database file once it passes the threshold, while appends go on, and loses nothing', async () => {
    const errors: unknown[] = []
    let stores = await db.open({ checkpointWalBytes: 64 * 1024, checkpointEveryMs: 20, onCheckpointError: (e) => errors.push(e) })
    const wal = join(db.dir, `${DUCKDB_FILE_NAME}.wal`)
    const walSize = (): number => (existsSync(wal) ? statSync(wal).size : 0)
    let largest = 0
    let sawShrink = false
    for (let round = 0; round < 40; round++) {
      const b = new ReadingBatchBuilder()
      for (let i = 0; i < 2000; i++) b.push(1 + (i % 10), 1_700_000_000_000 + round * 2000 + i, i)
      await stores.series.append(b.build())
      const size = walSize()
      if (size < largest) sawShrink = true
      largest = Math.max(largest, size)
      await new Promise((r) => setTimeout(r, 10))
    }
    expect(errors).toEqual([])
    // 80,000 readings are over a megabyte of WAL; with checkpoints it never held more than a few rounds' worth.
    expect(sawShrink).toBe(true)
    expect(largest).toBeLessThan(1024 * 1024)
    stores = await db.reopen()
    const counts = await stores.series.count([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0, 2 ** 53)
    expect([...counts.values()].reduce((x, y) => x + y, 0)).toBe(80_000)
  })
})
