import { describe, expect, it } from 'vitest'
import { ModelFormatError } from '../errors.js'
import { families } from '../families.js'
import './catalogue.js'
import { paramsForAsset } from './asset-ensemble.model.js'
import { RingMatrix, SeededRandom, median, sharedParams } from './common.js'

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

describe('sharedParams', () => {
  it('gives one frozen object for equal parameters, another for different ones', () => {
    const read = (raw?: Readonly<Record<string, unknown>>) => ({ n: (raw?.n as number) ?? 1, nested: { ranges: { t: { min: 0, max: (raw?.max as number) ?? 9 } } } })
    const a = sharedParams('test-family', { n: 2, max: 5 }, read)
    expect(sharedParams('test-family', { n: 2, max: 5 }, read)).toBe(a)
    expect(sharedParams('test-family', { n: 3, max: 5 }, read)).not.toBe(a)
    expect(sharedParams('other-family', { n: 2, max: 5 }, read)).not.toBe(a)
    expect(Object.isFrozen(a) && Object.isFrozen(a.nested.ranges.t)).toBe(true)
    expect(() => {
      ;(a.nested.ranges.t as { max: number }).max = 1
    }).toThrow(TypeError)
  })

  it("lets a fleet's ensembles of one configuration share their members' parameters", () => {
    const profile = { type: 'rotating_machine', channels: [{ name: 'temp', min: 0, max: 90 }] }
    const one = families.create('asset-ensemble', paramsForAsset(profile))
    const two = families.create('asset-ensemble', paramsForAsset(profile))
    expect(two.describe().params).toEqual(one.describe().params)
    const members = (m: unknown) => (m as { members: { model: { params: unknown } }[] }).members.map((x) => x.model.params)
    const [p1, p2] = [members(one), members(two)]
    expect(p1.length).toBeGreaterThan(3)
    p1.forEach((p, i) => expect(p2[i]).toBe(p))
    // A different limit is a different parameter set for the members that read limits.
    const other = families.create('asset-ensemble', paramsForAsset({ ...profile, channels: [{ name: 'temp', min: 0, max: 80 }] }))
    expect(members(other)[0]).not.toBe(p1[0])
  })
})
