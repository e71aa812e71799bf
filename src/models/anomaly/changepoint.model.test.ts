import { describe, expect, it } from 'vitest'
import { families } from '../families.js'
import type { AnomalyOutput } from '../model.js'
import type { ChangepointDetector } from './changepoint.model.js'
import './catalogue.js'
import { ModelFormatError } from '../errors.js'
import type { SerializedModel } from '../model.js'
import { unpackF32 } from './common.js'
import { channelStates, resumeOutputs, run, synth } from './testing.fixtures.js'

describe('changepoint detector (CUSUM)', () => {
  it.each([
    { shift: +3, maxDelay: 8 },
    { shift: -3, maxDelay: 8 },
    { shift: +1.5, maxDelay: 25 },
  ])('detects a level shift of $shift sd within $maxDelay steps, once', ({ shift, maxDelay }) => {
    const at = 300
    const pts = synth({ n: 500, seed: 21, channels: { a: { level: 50, sd: 1 }, b: { level: 0, sd: 1 } }, inject: (i, c, v) => (i >= at && c === 'a' ? v + shift : v) })
    const m = families.create('changepoint') as ChangepointDetector
    const out = run(m, pts) as AnomalyOutput[]
    const first = out.findIndex((o, i) => i >= at && o.score >= 0.7)
    expect(first).toBeGreaterThanOrEqual(at)
    expect(first - at).toBeLessThanOrEqual(maxDelay)
    expect(Object.keys(out[first]!.contributions)).toContain('a')
    expect(out.filter((o, i) => i < at && o.score >= 0.7).length).toBe(0)
    // The change is accepted: once per change, not for every later value.
    expect(m.changes().a).toBe(1)
  })

  it('stays quiet on a steady trend (a counter): innovations are standardised around their mean', () => {
    const pts = synth({ n: 600, seed: 2, channels: { kwh: { level: 0, sd: 0.2 } }, inject: (i, _c, v) => 1000 + 3 * i + v })
    const out = run(families.create('changepoint'), pts) as AnomalyOutput[]
    expect(out.filter((o) => o.score >= 0.7).length).toBe(0)
  })

  it.each([
    { pMin: 0, quiet: false },
    { pMin: 0.02, quiet: true },
  ])('switching between two recurring modes: with the novelty guard pMin $pMin it stays quiet = $quiet', ({ pMin, quiet }) => {
    // 40 values at 0, 10 at +20, and so on (a battery floating, then discharging).
    const pts = synth({ n: 800, seed: 8, channels: { v: { level: 0, sd: 1 } }, inject: (i, _c, x) => (i % 50 >= 40 ? x + 20 : x) })
    const out = run(families.create('changepoint', { pMin }), pts) as AnomalyOutput[]
    const alarms = out.filter((o, i) => i >= 300 && o.score >= 0.7).length
    if (quiet) expect(alarms).toBe(0)
    else expect(alarms).toBeGreaterThan(5)
  })

  it('resumes exactly after a round trip through JSON', () => {
    const pts = synth({ n: 400, seed: 4, channels: { a: { level: 5, sd: 1 } }, inject: (i, _c, v) => (i > 250 ? v + 4 : v) })
    const { straight, resumed } = resumeOutputs('changepoint', {}, pts, 200)
    expect(resumed).toEqual(straight)
  })
  it('checkpoints all channels in one block (format 3)', () => {
    const m = families.create('changepoint', { historySize: 60, pMin: 0.02 })
    run(m, synth({ n: 200, seed: 5, channels: { a: { level: 10, sd: 1 }, b: { level: -5, sd: 0.5 } } }))
    const json = m.toJSON()
    expect(json.formatVersion).toBe(3)
    const st = json.state as { names: string[]; scalars: string } & Record<string, { values: string; lengths: number[] }>
    expect(st.names).toEqual(['a', 'b'])
    const capacity = 60
    expect(st['history']!.lengths).toEqual([capacity, capacity])
    expect(unpackF32(st['history']!.values)).toHaveLength(2 * capacity)
    expect(() => families.fromJSON({ ...json, state: { ...st, names: ['a', 'a'] } })).toThrow(ModelFormatError)
    expect(() => families.fromJSON({ ...json, state: { ...st, names: ['a'] } })).toThrow(ModelFormatError)
  })

  it('a checkpoint of format 2 (an object per channel) still loads and resumes exactly', () => {
    const pts = synth({ n: 400, seed: 12, channels: { a: { level: 10, sd: 1 }, b: { level: -5, sd: 0.5 } }, inject: (i, c, v) => (i > 250 && c === 'a' ? v + 4 : i % 7 === 0 && c === 'b' ? v + 3 : v) })
    const a = families.create('changepoint', { historySize: 60, pMin: 0.02 })
    run(a, pts.slice(0, 200))
    const s2: SerializedModel = { ...a.toJSON(), formatVersion: 2, state: { channels: channelStates(a.toJSON()) } }
    const b = families.fromJSON(JSON.parse(JSON.stringify(s2)) as SerializedModel)
    expect(b.toJSON()).toEqual(a.toJSON())
    const rest = pts.slice(200)
    expect(run(b, rest)).toEqual(run(a, rest))
  })
})
