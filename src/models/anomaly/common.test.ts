import { describe, expect, it } from 'vitest'
import { ModelFormatError } from '../errors.js'
import { RingMatrix, SeededRandom, median } from './common.js'

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

describe('RingMatrix', () => {
  it('keeps each row the last `capacity` values, as a list per row would, while rows widen and wrap at different times', () => {
    const r = new SeededRandom(5)
    const m = new RingMatrix(20)
    const lists: number[][] = []
    for (let t = 0; t < 400; t++) {
      // A row is added now and then; each step pushes to a random row (rows fill at different rates).
      if (lists.length < 6 && t % 30 === 0) {
        const start = Array.from({ length: r.int(25) }, () => Math.fround(r.next()))
        expect(m.addRow(start)).toBe(lists.length)
        lists.push(start.slice(-20))
      }
      const row = r.int(lists.length)
      const x = Math.fround(r.next() * 100)
      m.push(row, x)
      lists[row]!.push(x)
      if (lists[row]!.length > 20) lists[row]!.shift()
      for (let k = 0; k < lists.length; k++) {
        expect(Array.from(m.ordered(k))).toEqual(lists[k])
        expect(Array.from(m.values(k)).sort()).toEqual([...lists[k]!].sort())
        expect(m.length(k)).toBe(lists[k]!.length)
      }
    }
    expect(m.rows).toBe(6)
    const back = RingMatrix.from(JSON.parse(JSON.stringify(m.toJSON())), 20, 6, 'test')
    for (let k = 0; k < 6; k++) expect(Array.from(back.ordered(k))).toEqual(lists[k])
  })

  it('refuses a checkpoint whose values and lengths do not match, naming it', () => {
    const json = new RingMatrix(8).toJSON()
    expect(() => RingMatrix.from({ ...json, lengths: [3] }, 8, 1, "'mad' rings")).toThrow(ModelFormatError)
    expect(() => RingMatrix.from({ ...json, lengths: [] }, 8, 1, "'mad' rings")).toThrow(/'mad' rings/)
    expect(() => RingMatrix.from(null, 8, 0, "'mad' rings")).toThrow(ModelFormatError)
  })
})
