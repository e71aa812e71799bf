import { describe, expect, it } from 'vitest'
import { ModelFormatError } from '../errors.js'
import { families } from '../families.js'
import type { AnomalyOutput, Model, StreamPoint } from '../model.js'
import { CONTEXT_DEFAULTS, contextFamily } from './context.model.js'

const FIVE_MIN = 300_000

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A daily cycle at 5-minute steps with a little noise; from `jumpAt` on the level is 40 % higher. */
function stream(n: number, jumpAt = Infinity, seed = 7): StreamPoint[] {
  const r = rng(seed)
  return Array.from({ length: n }, (_, i) => ({
    ts: Date.UTC(2024, 0, 1) + i * FIVE_MIN,
    values: { value: 50 + 20 * Math.sin((2 * Math.PI * i) / 288) + 2 * (r() - 0.5) + (i >= jumpAt ? 28 : 0) },
  }))
}

const run = (m: Model, points: readonly StreamPoint[]): AnomalyOutput[] => points.map((p) => m.update!(p) as AnomalyOutput)

describe('context detector', () => {
  it('is in the model catalogue', () => {
    expect(families.has('context')).toBe(true)
    expect(families.create('context').describe()).toMatchObject({ family: 'context', kind: 'anomaly', params: CONTEXT_DEFAULTS })
  })

  it('reports 0 and warmingUp during its learning rows, then scores in 0–1', () => {
    const out = run(contextFamily.create({ learningRows: 100 }), stream(1500, 1200))
    expect(out.slice(0, 100).every((o) => o.score === 0 && o.warmingUp)).toBe(true)
    expect(out.slice(100).every((o) => !o.warmingUp && o.score >= 0 && o.score <= 1)).toBe(true)
  })

  it('fires once at a level jump after days of a regular cycle, and is quiet on the cycle itself', () => {
    const out = run(contextFamily.create(), stream(1500, 1200))
    const firstHigh = out.findIndex((o, i) => i >= 300 && o.score >= 0.5)
    expect(firstHigh).toBeGreaterThanOrEqual(1200)
    expect(firstHigh).toBeLessThan(1210)
    expect(out[firstHigh]!.contributions).toEqual({ value: 1 })
    // Suppression: nothing else reaches the alarm level in the next restRows rows.
    expect(out.slice(firstHigh + 1, firstHigh + 1 + CONTEXT_DEFAULTS.restRows).every((o) => o.score === 0)).toBe(true)
  })

  it('matches its recorded output on a short stream (golden, 1e-6)', () => {
    // Recorded from this implementation; a change here is a change of the detector's behaviour.
    const out = run(contextFamily.create({ learningRows: 200 }), stream(900, 700, 11))
    const high = out.map((o, i) => [i, Number(o.score.toFixed(6))] as const).filter(([, s]) => s > 0.03)
    expect(high).toEqual(GOLDEN_HIGH)
    expect(out.reduce((a, o) => a + o.score, 0)).toBeCloseTo(GOLDEN_SUM, 6)
  })

  it('resumes exactly from its JSON: a restart mid-stream gives the same scores as an uninterrupted run', () => {
    const points = stream(1400, 1100, 3)
    const whole = run(contextFamily.create({ historyRows: 300, restRows: 40 }), points)
    const first = contextFamily.create({ historyRows: 300, restRows: 40 })
    const a = run(first, points.slice(0, 777))
    const restored = families.fromJSON(JSON.parse(JSON.stringify(first.toJSON())))
    const b = run(restored, points.slice(777))
    expect([...a, ...b].map((o) => o.score)).toEqual(whole.map((o) => o.score))
    expect(restored.toJSON()).toEqual(JSON.parse(JSON.stringify(contextFamily.fromJSON(restored.toJSON()).toJSON())))
  })

  it('predict scores without learning; update scores the same, then learns', () => {
    const m = contextFamily.create({ learningRows: 50 })
    run(m, stream(400))
    const before = JSON.stringify(m.toJSON())
    const next = { ts: Date.UTC(2025, 0, 1), values: { value: 500 } }
    const p = m.predict(next)
    expect(JSON.stringify(m.toJSON())).toBe(before)
    expect(m.update!(next)).toEqual(p)
    expect(JSON.stringify(m.toJSON())).not.toBe(before)
  })

  it('reads the named channel and ignores missing values', () => {
    const m = contextFamily.create({ channel: 'temp', learningRows: 0 })
    expect(m.update!({ ts: 0, values: { other: 1 } }).score).toBe(0)
    expect((m.toJSON().state as { n: number }).n).toBe(0)
    m.update!({ ts: 1, values: { temp: 1 } })
    expect((m.toJSON().state as { n: number }).n).toBe(1)
  })

  it.each([
    [{ levels: 1 }],
    [{ maxOrder: -1 }],
    [{ restRows: 2.5 }],
    [{ rawOnly: 'yes' }],
    [{ bogus: 1 }],
    [{ levels: 64, maxOrder: 12 }],
  ])('refuses bad parameters %j', (params) => {
    expect(() => contextFamily.create(params)).toThrow(ModelFormatError)
  })

  it('refuses a serialized model of another family, version or shape', () => {
    const json = contextFamily.create().toJSON()
    expect(() => contextFamily.fromJSON({ ...json, family: 'mad' })).toThrow(ModelFormatError)
    expect(() => contextFamily.fromJSON({ ...json, formatVersion: 99 })).toThrow(ModelFormatError)
    expect(() => contextFamily.fromJSON({ ...json, state: { n: 1 } })).toThrow(ModelFormatError)
  })
})

/** Rows scoring above 0.03: a little unease while the daily cycle is still new, then the jump at row 700. */
const GOLDEN_HIGH: ReadonlyArray<readonly [number, number]> = [
  [263, 0.031354], [264, 0.032414], [265, 0.03576], [266, 0.03811], [267, 0.039309], [268, 0.039277], [269, 0.038014],
  [270, 0.037988], [271, 0.036751], [272, 0.033248], [280, 0.034562], [281, 0.035743], [282, 0.036952], [283, 0.038187],
  [284, 0.042114], [285, 0.044862], [286, 0.039347], [287, 0.040642], [288, 0.043352], [289, 0.040561], [290, 0.03417],
  [291, 0.036619], [292, 0.037878], [293, 0.039166], [294, 0.040482], [295, 0.04045], [296, 0.043209], [297, 0.046088],
  [298, 0.047545], [299, 0.05222], [300, 0.052137], [301, 0.042867], [302, 0.036049], [303, 0.032331], [313, 0.035077],
  [314, 0.040485], [315, 0.036335], [316, 0.033732], [320, 0.030114], [321, 0.030114], [322, 0.030114], [700, 1],
]
const GOLDEN_SUM = 2.575727087044171
