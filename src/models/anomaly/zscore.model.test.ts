import { describe, expect, it } from 'vitest'
import { families } from '../families.js'
import { ModelFormatError } from '../errors.js'
import type { AnomalyOutput, StreamPoint } from '../model.js'
import { ZSCORE_FAMILY } from './zscore.model.js'

const train: StreamPoint[] = Array.from({ length: 101 }, (_, i) => ({ ts: i, values: { a: 10 + (i % 11) - 5, b: 100 + ((i * 7) % 21) - 10 } }))

describe('zscore model', () => {
  it('centres on the median, scales by 1.4826·MAD, and scores 0.5 at |z| = threshold', () => {
    const m = families.create(ZSCORE_FAMILY, { threshold: 3 })
    void m.fit(train)
    const d = m.describe()
    expect(d.signature.inputs.map((f) => f.name)).toEqual(['a', 'b'])
    const st = (m.toJSON().state as { center: number[]; scale: number[] })
    const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!
    const bs = train.map((p) => p.values.b!)
    expect(st.center).toEqual([10, med(bs)])
    expect(st.scale[1]).toBeCloseTo(med(bs.map((x) => Math.abs(x - med(bs)))) * 1.4826, 6)
    // a: values −5…5 around 10, |dev| median 3 → 4.4478
    expect(st.scale[0]).toBeCloseTo(3 * 1.4826, 6)
    const atThreshold = m.predict({ ts: 0, values: { a: 10 + 3 * st.scale[0]!, b: st.center[1]! } }) as AnomalyOutput
    expect(atThreshold.score).toBeCloseTo(0.5, 9)
    expect(atThreshold.contributions.a).toBeCloseTo(1, 9)
    expect(atThreshold.warmingUp).toBe(false)
    const normal = m.predict({ ts: 0, values: { a: 10, b: st.center[1]! } }) as AnomalyOutput
    expect(normal.score).toBe(0)
    const far = m.predict({ ts: 0, values: { a: 10, b: st.center[1]! + 10 * st.scale[1]! } }) as AnomalyOutput
    expect(far.score).toBeGreaterThan(0.99)
    expect(far.contributions.b).toBeCloseTo(1, 9)
  })

  it('round-trips through JSON to identical scores, and refuses broken state', () => {
    const m = families.create(ZSCORE_FAMILY, { robust: false })
    void m.fit(train)
    const back = families.fromJSON(JSON.parse(JSON.stringify(m.toJSON())))
    for (const p of [{ ts: 0, values: { a: 3, b: 120 } }, { ts: 0, values: { a: 11, b: 99 } }]) expect(back.predict(p)).toEqual(m.predict(p))
    expect(() => families.fromJSON({ ...m.toJSON(), state: { features: ['a'], center: [1, 2], scale: [1], n: 3 } })).toThrow(ModelFormatError)
    expect(() => families.fromJSON({ ...m.toJSON(), formatVersion: 99 })).toThrow(/format version/)
    expect(() => families.create(ZSCORE_FAMILY, { threshold: -1 })).toThrow(ModelFormatError)
  })

  it('is warming up before it is fitted or with few samples', () => {
    const m = families.create(ZSCORE_FAMILY, { minSamples: 200 })
    expect((m.predict({ ts: 0, values: { a: 1 } }) as AnomalyOutput).warmingUp).toBe(true)
    void m.fit(train)
    expect((m.predict({ ts: 0, values: { a: 1, b: 1 } }) as AnomalyOutput).warmingUp).toBe(true)
  })
})
