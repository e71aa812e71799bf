import { describe, expect, it } from 'vitest'
import { ScoringHop } from './scoring-hop.js'

const T0 = 1_767_571_200_000
/** An asset's vectors as the features stage makes them at a 10-s hop: time = the newest reading, 1 s before each boundary. */
const every10s = (assetId: string, n: number, offsetMs = -1000): { assetId: string; ts: number }[] => Array.from({ length: n }, (_, i) => ({ assetId, ts: T0 + (i + 1) * 10_000 + offsetMs }))

describe('scoring hop', () => {
  it("scores an asset's first vector in each hop of data time, asset by asset and tenant by tenant", () => {
    const hop = new ScoringHop(30)
    const a = every10s('a', 9)
    const b = every10s('b', 9, -3000)
    const picked: { assetId: string; ts: number }[] = []
    for (let i = 0; i < 9; i++) picked.push(...hop.pick('t1', [a[i]!, b[i]!]))
    // Vectors at 9, 19, 29 | 39, 49, 59 | 69, 79, 89 s: the first of each 30 s is scored.
    expect(picked.filter((v) => v.assetId === 'a').map((v) => (v.ts - T0) / 1000)).toEqual([9, 39, 69])
    expect(picked.filter((v) => v.assetId === 'b').map((v) => (v.ts - T0) / 1000)).toEqual([7, 37, 67])
    // Another tenant's asset of the same id keeps its own hops.
    expect(hop.pick('t2', [a[8]!]).map((v) => v.ts)).toEqual([a[8]!.ts])
    expect(hop.pick('t1', [a[8]!])).toEqual([])
  })

  it('scores every vector of an asset sparser than the hop, and hands back the same array when all are due', () => {
    const hop = new ScoringHop(30)
    const sparse = Array.from({ length: 5 }, (_, i) => ({ assetId: 'meter', ts: T0 + i * 60_000 + 15_000 }))
    for (const v of sparse) {
      const msg = [v]
      expect(hop.pick('t1', msg)).toBe(msg)
    }
  })

  it('keeps one number per asset, forgetting all of them past twice the bound (each asset then scores one extra vector)', () => {
    const hop = new ScoringHop(30, 2)
    expect(hop.due('t1', 'a', T0)).toBe(true)
    expect(hop.due('t1', 'a', T0 + 10_000)).toBe(false)
    expect(hop.due('t1', 'b', T0)).toBe(true)
    expect(hop.due('t1', 'c', T0)).toBe(true)
    expect(hop.due('t1', 'd', T0)).toBe(true)
    // Four remembered: the fifth clears them, so 'a' is due again within the same hop.
    expect(hop.due('t1', 'e', T0)).toBe(true)
    expect(hop.due('t1', 'a', T0 + 20_000)).toBe(true)
  })
})
