import { describe, expect, it } from 'vitest'
import { families } from '../families.js'
import type { AnomalyOutput, Model, StreamPoint } from '../model.js'
import './catalogue.js'
import { invertSpd } from './mahalanobis.model.js'
import { gaussian, resumeOutputs, run } from './testing.fixtures.js'

/** Feature vectors over channels a, b (strongly correlated) and c (independent). */
function vectors(n: number, seed: number): StreamPoint[] {
  const g = gaussian(seed)
  return Array.from({ length: n }, (_, i) => {
    const x = g()
    return { ts: i * 10_000, values: { 'a.w60.mean': 10 + x, 'b.w60.mean': 20 + x + 0.1 * g(), 'c.w60.std': 1 + 0.1 * g() } }
  })
}

const CASES = [
  { name: 'far outlier on a and b', values: { 'a.w60.mean': 18, 'b.w60.mean': 28, 'c.w60.std': 1 }, drivers: ['a', 'b'] },
  { name: 'outlier on c only', values: { 'a.w60.mean': 10, 'b.w60.mean': 20, 'c.w60.std': 3 }, drivers: ['c'] },
]

describe.each(['mahalanobis', 'isolation-forest'])('%s detector', (family) => {
  const fitted = (): Model<StreamPoint, AnomalyOutput> => {
    const m = families.create(family, { trainSize: 200 }) as Model<StreamPoint, AnomalyOutput>
    run(m, vectors(200, 1))
    return m
  }

  it('is warming up until it has its training vectors', () => {
    const m = families.create(family, { trainSize: 50 }) as Model<StreamPoint, AnomalyOutput>
    const out = run(m, vectors(60, 2))
    expect(out.slice(0, 50).every((o) => o.warmingUp && o.score === 0)).toBe(true)
    expect(out.slice(50).every((o) => !o.warmingUp)).toBe(true)
  })

  it.each(CASES)('flags the $name and names its channels', ({ values, drivers }) => {
    const o = fitted().predict({ ts: 0, values })
    expect(o.score).toBeGreaterThanOrEqual(0.7)
    // The channels that drove it hold most of the score (features are folded into channels).
    const share = drivers.reduce((s, ch) => s + (o.contributions[ch] ?? 0), 0)
    expect(share).toBeGreaterThan(0.7)
    expect(Object.keys(o.contributions).every((k) => ['a', 'b', 'c'].includes(k))).toBe(true)
  })

  it('raises few false alarms on fresh data from the training distribution', () => {
    const m = fitted()
    const out = vectors(500, 9).map((p) => m.predict(p))
    expect(out.filter((o) => o.score >= 0.7).length).toBeLessThanOrEqual(5)
  })

  it('resumes exactly after a round trip through JSON', () => {
    const pts = [...vectors(150, 3), { ts: 0, values: CASES[0]!.values }, ...vectors(20, 4)]
    const { straight, resumed } = resumeOutputs(family, { trainSize: 100 }, pts, 120)
    expect(resumed).toEqual(straight)
  })
})

describe('mahalanobis specifics', () => {
  it('flags a vector that breaks the correlation although each feature is ordinary on its own', () => {
    const m = families.create('mahalanobis', { trainSize: 300 }) as Model<StreamPoint, AnomalyOutput>
    run(m, vectors(300, 5))
    // a one sd up, b one sd down: each marginal is fine, together impossible.
    const o = m.predict({ ts: 0, values: { 'a.w60.mean': 11.5, 'b.w60.mean': 18.5, 'c.w60.std': 1 } })
    expect(o.score).toBeGreaterThanOrEqual(0.7)
  })

  it('inverts a symmetric positive-definite matrix', () => {
    const a = [4, 2, 0.6, 2, 2, 0.4, 0.6, 0.4, 3]
    const inv = invertSpd(a, 3)
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        let s = 0
        for (let k = 0; k < 3; k++) s += a[i * 3 + k]! * inv[k * 3 + j]!
        expect(s).toBeCloseTo(i === j ? 1 : 0, 9)
      }
  })
})
