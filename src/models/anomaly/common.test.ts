import { describe, expect, it } from 'vitest'
import { SeededRandom, median } from './common.js'

/** The median by a full sort: what `median` selects must equal it exactly. */
function sortedMedian(v: readonly number[]): number {
  const a = Float64Array.from(v).sort()
  const h = a.length >> 1
  return a.length % 2 === 1 ? a[h]! : (a[h - 1]! + a[h]!) / 2
}

describe('median', () => {
  it('equals the median of a full sort on random, tied, sorted and reversed inputs of every length', () => {
    const r = new SeededRandom(3)
    for (let t = 0; t < 5000; t++) {
      const n = 1 + r.int(300)
      const kind = t % 4
      const v = Array.from({ length: n }, (_, i) => (kind === 0 ? r.next() - 0.5 : kind === 1 ? r.int(4) : kind === 2 ? i : 10 - i * 0.5 + r.int(2)))
      expect(median(v)).toBe(sortedMedian(v))
    }
  })

  it('leaves its input as it was, and is NaN for no values', () => {
    const v = [5, 1, 4, 2, 3]
    expect(median(v)).toBe(3)
    expect(v).toEqual([5, 1, 4, 2, 3])
    expect(median([])).toBeNaN()
    expect(median([2, Number.NaN, 1])).toBe(2)
  })
})
