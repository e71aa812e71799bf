import { describe, expect, it } from 'vitest'
import { families } from '../families.js'
import './catalogue.js'
import { DetectorParamsError } from './errors.js'
import type { AnomalyOutput } from '../model.js'
import { resumeOutputs, run, synth } from './testing.fixtures.js'

const CH = { a: { level: 10, sd: 1 }, b: { level: -5, sd: 0.5 } }

describe('mad detector', () => {
  it.each([
    { name: 'spike up on a', at: 300, ch: 'a', delta: +12 },
    { name: 'spike down on b', at: 250, ch: 'b', delta: -6 },
    { name: 'spike up on b', at: 400, ch: 'b', delta: +10 },
  ])('flags a $name at its index and names the channel', ({ at, ch, delta }) => {
    const pts = synth({ n: 500, seed: 7, channels: CH, inject: (i, c, v) => (i === at && c === ch ? v + delta : v) })
    const out = run(families.create('mad'), pts) as AnomalyOutput[]
    expect(out[at]!.score).toBeGreaterThanOrEqual(0.7)
    expect(Object.keys(out[at]!.contributions)).toEqual([ch])
    const falseAlarms = out.filter((o, i) => i !== at && o.score >= 0.7).length
    expect(falseAlarms).toBeLessThanOrEqual(2)
  })

  it('is in probation (warmingUp, score 0) for its first values, not after', () => {
    const pts = synth({ n: 80, channels: CH, inject: (i, c, v) => (i === 10 && c === 'a' ? v + 100 : v) })
    const out = run(families.create('mad', { probation: 30, windowSize: 100 }), pts) as AnomalyOutput[]
    expect(out.slice(0, 30).every((o) => o.warmingUp && o.score === 0)).toBe(true)
    expect(out.slice(30).every((o) => !o.warmingUp)).toBe(true)
  })

  it('learns a recurring mode: a level held 20 % of the time is not an anomaly, a new one is', () => {
    // Every fifth value sits 10 sd up (a battery discharging, say); at 450 a level never seen.
    const pts = synth({ n: 500, seed: 3, channels: { a: { level: 0, sd: 1 } }, inject: (i, _c, v) => (i === 450 ? v - 25 : i % 5 === 0 ? v + 10 : v) })
    const out = run(families.create('mad'), pts) as AnomalyOutput[]
    const modeAlarms = out.filter((o, i) => i >= 100 && i !== 450 && i % 5 === 0 && o.score >= 0.7).length
    expect(modeAlarms).toBe(0)
    expect(out[450]!.score).toBeGreaterThanOrEqual(0.7)
  })

  it('resumes exactly after a round trip through JSON', () => {
    const pts = synth({ n: 300, seed: 11, channels: CH, inject: (i, c, v) => (i > 200 && c === 'a' ? v + 0.05 * (i - 200) : v) })
    const { straight, resumed } = resumeOutputs('mad', { windowSize: 120, probation: 40 }, pts, 150)
    expect(resumed).toEqual(straight)
  })

  it.each([
    [{ windowSize: 2 }, 'windowSize'],
    [{ probation: 0 }, 'probation'],
    [{ pMin: 0.9 }, 'pMin'],
    [{ zScale: 'x' }, 'zScale'],
  ])('refuses bad parameters %j', (params, param) => {
    expect(() => families.create('mad', params)).toThrow(DetectorParamsError)
    try {
      families.create('mad', params)
    } catch (e) {
      expect((e as DetectorParamsError).param).toBe(param)
    }
  })
})
