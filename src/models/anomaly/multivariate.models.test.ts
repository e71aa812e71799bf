import { describe, expect, it } from 'vitest'
import { families } from '../families.js'
import type { AnomalyOutput, Model, SerializedModel, StreamPoint } from '../model.js'
import './catalogue.js'
import { packF64, unpackF32 } from './common.js'
import { fitRobust, invertSpd } from './mahalanobis.model.js'
import { chooseRows, VectorBuffer } from './multivariate.js'
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

  it('stays quiet on a constant signal whose values float32 cannot hold exactly', () => {
    // An idle machine, or a test signal: every feature constant. The stored training vectors are float32.
    const values = { 'a.w60.mean': 12.34, 'b.w60.mean': 56.78, 'c.w60.std': Math.log(1e-6 * 13.34), 'c.w60.mean': 0.1 }
    const m = families.create(family, { trainSize: 40 }) as Model<StreamPoint, AnomalyOutput>
    const out = run(
      m,
      Array.from({ length: 80 }, (_, i) => ({ ts: i * 10_000, values })),
    )
    expect(out[79]!.warmingUp).toBe(false)
    expect(Math.max(...out.map((o) => o.score))).toBe(0)
  })

  it('resumes exactly after a round trip through JSON', () => {
    const pts = [...vectors(150, 3), { ts: 0, values: CASES[0]!.values }, ...vectors(20, 4)]
    const { straight, resumed } = resumeOutputs(family, { trainSize: 100 }, pts, 120)
    expect(resumed).toEqual(straight)
  })
})

describe('mahalanobis specifics', () => {
  it('learns from every learnEvery-th vector: the same span in fewer rows, resuming exactly', () => {
    const m = families.create('mahalanobis', { trainSize: 50, learnEvery: 2 }) as Model<StreamPoint, AnomalyOutput>
    const out = run(m, vectors(110, 5))
    // 50 rows of every second vector (0, 2 … 98): fitted on vector 98, so 99 is the first scored.
    expect(out.slice(0, 99).every((o) => o.warmingUp)).toBe(true)
    expect(out.slice(99).every((o) => !o.warmingUp)).toBe(true)
    expect(m.toJSON().formatVersion).toBe(3)
    const pts = [...vectors(150, 6), { ts: 0, values: CASES[0]!.values }, ...vectors(40, 7)]
    const { straight, resumed } = resumeOutputs('mahalanobis', { trainSize: 50, learnEvery: 2, refitEvery: 20 }, pts, 131)
    expect(resumed).toEqual(straight)
  })

  it('a checkpoint of format 2 (float64 precision) still loads and scores as before', () => {
    const m = families.create('mahalanobis', { trainSize: 100, refitEvery: 0 }) as Model<StreamPoint, AnomalyOutput>
    run(m, vectors(100, 8))
    const s3 = m.toJSON()
    const fitted = (s3.state as { fitted: { precision: string } }).fitted
    const s2 = { ...s3, formatVersion: 2, state: { ...(s3.state as object), fitted: { ...fitted, precision: packF64(unpackF32(fitted.precision)) } } }
    const b = families.fromJSON(JSON.parse(JSON.stringify(s2)) as SerializedModel) as Model<StreamPoint, AnomalyOutput>
    for (const p of [...vectors(30, 9), { ts: 0, values: CASES[0]!.values }]) expect(b.predict(p)).toEqual(m.predict(p))
  })

  it('fitted on a constant signal, flags a move of one channel by 1 % of its level', () => {
    const values = { 'a.w60.mean': 12.34, 'b.w60.mean': 56.78, 'c.w60.mean': 0.1 }
    const m = families.create('mahalanobis', { trainSize: 40 }) as Model<StreamPoint, AnomalyOutput>
    run(
      m,
      Array.from({ length: 60 }, (_, i) => ({ ts: i * 10_000, values })),
    )
    expect(m.predict({ ts: 0, values }).score).toBe(0)
    const o = m.predict({ ts: 0, values: { ...values, 'b.w60.mean': 56.78 * 1.01 } })
    expect(o.score).toBeGreaterThanOrEqual(0.7)
    expect(o.contributions.b).toBeGreaterThan(0.99)
  })

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

describe('VectorBuffer.choose', () => {
  it('gives the rows chooseRows gives of its records: gaps filled, rare features left out, oldest first after wrapping and widening', () => {
    const g = gaussian(9)
    const b = new VectorBuffer(40)
    for (let i = 0; i < 130; i++) {
      const v: Record<string, number> = { 'z.w60.mean': 5 + g(), 'a.w60.mean': 10 + g() }
      // b: a gap in every 15th vector (present in > 90 %); c: in one vector of three (left out); d: arrives late (a widening).
      if (i % 15 !== 0) v['b.w60.mean'] = 20 + g()
      if (i % 3 === 0) v['c.w60.std'] = 1 + g()
      if (i >= 70) v['d.w60.slope'] = g()
      if (i === 100) v['a.w60.mean'] = Number.NaN
      b.push(v)
      if (i % 10 === 9) {
        const got = b.choose()
        expect(got).toEqual(chooseRows(b.records()))
        expect(fitRobust(got, { shrinkage: 0.01, support: 0.75 })).toEqual(fitRobust(chooseRows(b.records()), { shrinkage: 0.01, support: 0.75 }))
      }
    }
    const last = b.choose()
    expect(last.names).toEqual(['a.w60.mean', 'b.w60.mean', 'd.w60.slope', 'z.w60.mean'])
    expect(last.rows).toHaveLength(40)
    expect(last.rows.every((r) => r.every(Number.isFinite))).toBe(true)
  })
})

describe('isolation-forest storage', () => {
  it('scores as the forest did before it was stored as split nodes only (scores recorded with the pre-order node arrays)', () => {
    const g = gaussian(5)
    const m = families.create('isolation-forest', { trainSize: 64, sampleSize: 64 })
    const vec = (k: number): StreamPoint => {
      const x = g()
      return { ts: 0, values: { 'a.w60.mean': 10 + x * k, 'b.w60.mean': 20 + x * k + 0.1 * g(), 'c.w60.std': 1 + 0.1 * g() * k } }
    }
    for (let i = 0; i < 64; i++) m.update!(vec(1))
    const scores = Array.from({ length: 12 }, (_, i) => (m.predict(vec(1 + i)) as AnomalyOutput).score)
    // Recorded from the build before (commit 979c180): the trees, their paths and leaves must be the same.
    expect(scores).toEqual([0, 0.12099060719769694, 0.555667264736881, 0.6197988125939873, 0.6047066191427659, 0.8404246004924273, 0.8404246004924273, 0.8404246004924273, 0.8122437223352976, 0.7791942355411643, 0, 0.8404246004924273])
  })
})
