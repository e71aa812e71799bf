import { describe, expect, it } from 'vitest'
import { BatchConcatenator, ReadingBatchBuilder, concatBatches, type ReadingBatch } from './readings.js'

function batch(rows: [number, number, number][]): ReadingBatch {
  const b = new ReadingBatchBuilder(1)
  for (const [s, t, v] of rows) b.push(s, t, v)
  return b.build()
}

const rowsOf = (b: ReadingBatch): [number, number, number][] => Array.from({ length: b.length }, (_, i) => [b.series[i]!, b.ts[i]!, b.value[i]!])

describe('concatenating reading batches', () => {
  const a = batch([
    [1, 1000, 1.5],
    [2, 1000, 2.5],
  ])
  const b = batch([[3, 2000, -1]])

  it('concatBatches copies the batches in order into fresh arrays', () => {
    const all = concatBatches([a, b])
    expect(rowsOf(all)).toEqual([...rowsOf(a), ...rowsOf(b)])
    expect(all.series.buffer).not.toBe(a.series.buffer)
  })

  it('a concatenator gives the same readings, in arrays it reuses from one group to the next', () => {
    const c = new BatchConcatenator()
    const first = c.concat([a, b])
    expect(rowsOf(first)).toEqual([...rowsOf(a), ...rowsOf(b)])
    const buffer = first.ts.buffer
    const second = c.concat([b, a])
    expect(rowsOf(second)).toEqual([...rowsOf(b), ...rowsOf(a)])
    expect(second.ts.buffer).toBe(buffer)
    expect(second.length).toBe(3)
  })

  it('hands a lone batch back as it is', () => {
    expect(new BatchConcatenator().concat([a])).toBe(a)
  })

  it('gives a group larger than it keeps fresh arrays, and keeps its own for the next group', () => {
    const c = new BatchConcatenator(2)
    const small = c.concat([batch([[1, 1, 1]]), batch([[2, 2, 2]])])
    const kept = small.ts.buffer
    const big = c.concat([a, b])
    expect(rowsOf(big)).toEqual([...rowsOf(a), ...rowsOf(b)])
    expect(big.ts.buffer).not.toBe(kept)
    expect(c.concat([batch([[5, 5, 5]]), batch([[6, 6, 6]])]).ts.buffer).toBe(kept)
  })
})
