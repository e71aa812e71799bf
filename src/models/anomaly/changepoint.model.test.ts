import { describe, expect, it } from 'vitest'
import { families } from '../families.js'
import type { AnomalyOutput } from '../model.js'
import type { ChangepointDetector } from './changepoint.model.js'
import './catalogue.js'
import { resumeOutputs, run, synth } from './testing.fixtures.js'

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
})
