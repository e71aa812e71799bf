import { describe, expect, it } from 'vitest'
import { ReadingBatchBuilder, type ReadingBatch } from '../domain/readings.js'
import { splitResults, withoutDropped } from './dedup.js'

const batch = (ts: number[]): ReadingBatch => {
  const b = new ReadingBatchBuilder()
  for (const t of ts) b.push(1, t, t * 10)
  return b.build()
}
const tsOf = (b: ReadingBatch): number[] => Array.from(b.ts.subarray(0, b.length))

describe('withoutDropped', () => {
  it.each([
    { ts: [1, 2, 3, 4], from: 0, to: 4, dropped: [], want: [1, 2, 3, 4] },
    { ts: [1, 2, 3, 4], from: 0, to: 4, dropped: [0, 3], want: [2, 3] },
    { ts: [1, 2, 3, 4], from: 1, to: 3, dropped: [0, 3], want: [2, 3] },
    { ts: [1, 2, 3, 4], from: 1, to: 4, dropped: [2], want: [2, 4] },
    { ts: [1, 2, 3, 4], from: 0, to: 4, dropped: [0, 1, 2, 3], want: [] },
  ])('$ts [$from, $to) without $dropped', ({ ts, from, to, dropped, want }) => {
    const out = withoutDropped(batch(ts), from, to, dropped)
    expect(tsOf(out)).toEqual(want)
    expect(Array.from(out.value.subarray(0, out.length))).toEqual(want.map((t) => t * 10))
  })

  it('hands back the batch itself when nothing is dropped', () => {
    const b = batch([1, 2])
    expect(withoutDropped(b, 0, 2, [])).toBe(b)
  })
})

describe('splitResults', () => {
  it('gives each caller of a group its own written, duplicates and stored readings', () => {
    const parts = [batch([1, 2]), batch([3]), batch([1, 4, 5])]
    // Group positions: 0,1 | 2 | 3,4,5; position 3 (ts 1 again) and 5 were dropped.
    const results = splitResults(parts, [3, 5])
    expect(results.map((r) => ({ written: r.written, duplicates: r.duplicates, ts: tsOf(r.stored) }))).toEqual([
      { written: 2, duplicates: 0, ts: [1, 2] },
      { written: 1, duplicates: 0, ts: [3] },
      { written: 1, duplicates: 2, ts: [4] },
    ])
    expect(results[0]!.stored).toBe(parts[0])
  })
})
