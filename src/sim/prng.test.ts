import { describe, expect, it } from 'vitest'
import { deriveSeed, Rng } from './prng.js'

describe('Rng', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = new Rng(7)
    const b = new Rng(7)
    const c = new Rng(8)
    const sa = Array.from({ length: 50 }, () => a.next())
    const sb = Array.from({ length: 50 }, () => b.next())
    const sc = Array.from({ length: 50 }, () => c.next())
    expect(sa).toEqual(sb)
    expect(sa).not.toEqual(sc)
  })

  it('draws uniforms in [0, 1) and integers within inclusive bounds', () => {
    const r = new Rng(1)
    const seen = new Set<number>()
    let bad = 0
    for (let i = 0; i < 10_000; i++) {
      const u = r.next()
      if (!(u >= 0 && u < 1)) bad++
      seen.add(r.int(3, 6))
    }
    expect(bad).toBe(0)
    expect([...seen].sort()).toEqual([3, 4, 5, 6])
  })

  it.each([
    [0, 1],
    [10, 2.5],
    [-3, 0.1],
  ])('normal(%d, %d) has that mean and standard deviation', (mean, sd) => {
    const r = new Rng(123)
    const n = 40_000
    let s = 0
    let s2 = 0
    for (let i = 0; i < n; i++) {
      const x = r.normal(mean, sd)
      s += x
      s2 += x * x
    }
    const m = s / n
    const v = s2 / n - m * m
    expect(Number.isFinite(s2)).toBe(true)
    expect(Math.abs(m - mean)).toBeLessThan(0.03 * sd)
    expect(Math.abs(Math.sqrt(v) - sd)).toBeLessThan(0.03 * sd)
  })

  it('derives distinct, stable seeds per label', () => {
    expect(deriveSeed(42, 'tf-001')).toBe(deriveSeed(42, 'tf-001'))
    const seeds = new Set(['tf-001', 'tf-002', 'bs-001', 'bs-001-c01'].map((l) => deriveSeed(42, l)))
    expect(seeds.size).toBe(4)
    expect(deriveSeed(42, 'x')).not.toBe(deriveSeed(43, 'x'))
  })
})
