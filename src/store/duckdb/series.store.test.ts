import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ReadingBatchBuilder } from '../../domain/readings.js'
import type { Stores } from '../ports.js'
import { openDuckDbStores } from './open.js'

let stores: Stores | null = null
let dir = ''
afterEach(async () => {
  await stores?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('DuckDB series store column copy', () => {
  it('round-trips timestamps across the 32-bit word boundary, negative ones and chunk boundaries', async () => {
    dir = mkdtempSync(join(tmpdir(), 'prognos-duck-'))
    stores = await openDuckDbStores({ dataDir: dir })
    const edge = [0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 40 + 123, 1_795_327_962_879, 2 ** 53 - 1, -1, -(2 ** 32), -(2 ** 33) - 7]
    const b = new ReadingBatchBuilder()
    edge.forEach((ts, i) => b.push(7, ts, i + 0.5))
    // Enough rows to span two data chunks (2,048 rows each), with distinct series.
    for (let i = 0; i < 5000; i++) b.push(1000 + (i % 3), 1_700_000_000_000 + i, -i)
    await stores.series.append(b.build())
    const got = await stores.series.range(7, -(2 ** 40), 2 ** 53)
    expect(got.ts).toEqual([...edge].sort((x, y) => x - y))
    expect(got.value).toEqual([...edge].map((ts, i) => [ts, i + 0.5] as const).sort((x, y) => x[0] - y[0]).map((p) => p[1]))
    const counts = await stores.series.count([1000, 1001, 1002], 0, 2 ** 53)
    expect([...counts.values()].reduce((x, y) => x + y, 0)).toBe(5000)
    const last = await stores.series.range(1002, 1_700_000_004_990, 1_700_000_005_000)
    expect(last).toEqual({ ts: [1_700_000_004_991, 1_700_000_004_994, 1_700_000_004_997], value: [-4991, -4994, -4997] })
  })
})
