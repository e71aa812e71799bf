import { describe, expect, it } from 'vitest'
import { Rng } from '../sim/prng.js'
import { DriftMonitor, binIndex, buildHistogram, buildReference, ksCritical, type DriftReport } from './drift.js'

/** Standard normal draws from a seeded generator (Box–Muller). */
function normals(seed: number): () => number {
  const r = new Rng(seed)
  return () => Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next())
}

const OPTS = { windowSize: 1000, psiThreshold: 0.2, ksAlpha: 0.001 }

describe('drift histograms', () => {
  it('cuts a reference sample into bins of about equal mass, and bins values by the same rule', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i)
    const h = buildHistogram(xs, 10)
    expect(h.edges).toHaveLength(9)
    expect(h.shares).toHaveLength(10)
    h.shares.forEach((s) => expect(s).toBeCloseTo(0.1, 2))
    expect(binIndex(h.edges, -5)).toBe(0)
    expect(binIndex(h.edges, 5000)).toBe(9)
    // Repeated values collapse bins instead of making empty ones.
    const h2 = buildHistogram([...Array(500).fill(1), ...Array(500).fill(2)], 10)
    expect(h2.edges).toEqual([1])
    expect(h2.shares).toEqual([0.5, 0.5])
  })
})

describe('DriftMonitor', () => {
  const n = normals(7)
  const train = Array.from({ length: 10_000 }, () => ({ temp: 50 + 5 * n(), vib: n() }))
  const reference = buildReference(train, ['temp', 'vib'], train.map((r) => Math.abs(r.vib)))

  it('detects a one-sigma shift of one sensor within two windows, names it, and leaves the steady one alone', () => {
    const m = new DriftMonitor(reference, OPTS)
    const g = normals(11)
    let first: DriftReport | null = null
    // 1,500 readings in distribution, then temp shifts by one standard deviation (+5).
    const shiftAt = 1500
    let detectedAt = -1
    for (let i = 0; i < 10_000 && detectedAt < 0; i++) {
      const vib = g()
      const r = m.observe({ temp: 50 + 5 * g() + (i >= shiftAt ? 5 : 0), vib }, Math.abs(vib))
      if (r?.drifting) {
        first = r
        detectedAt = i
      }
    }
    expect(detectedAt).toBeGreaterThanOrEqual(shiftAt)
    expect(detectedAt - shiftAt).toBeLessThan(2 * OPTS.windowSize)
    expect(first!.drifted).toEqual(['temp'])
    expect(first!.features.temp!.psi).toBeGreaterThan(0.2)
    expect(first!.features.temp!.ks).toBeGreaterThan(first!.features.temp!.ksCritical)
    expect(first!.features.vib!.drifting).toBe(false)
  })

  it('detects a shift of the prediction distribution', () => {
    const m = new DriftMonitor(reference, OPTS)
    const g = normals(12)
    let report: DriftReport | null = null
    for (let i = 0; i < 1000; i++) {
      const vib = g()
      report = m.observe({ temp: 50 + 5 * g(), vib }, Math.abs(vib) * 3) ?? report
    }
    expect(report!.drifted).toEqual(['prediction'])
  })

  it('raises no false alarm on a stationary stream of 1,000,000 readings', () => {
    const m = new DriftMonitor(reference, OPTS)
    const g = normals(13)
    let windows = 0
    let alarms = 0
    let maxPsi = 0
    for (let i = 0; i < 1_000_000; i++) {
      const vib = g()
      const r = m.observe({ temp: 50 + 5 * g(), vib }, Math.abs(vib))
      if (r) {
        windows++
        if (r.drifting) alarms++
        maxPsi = Math.max(maxPsi, r.features.temp!.psi, r.features.vib!.psi, r.prediction!.psi)
      }
    }
    expect(windows).toBe(1000)
    expect(alarms).toBe(0)
    expect(maxPsi).toBeLessThan(0.2)
    expect(m.progress.observed).toBe(1_000_000)
  })

  it('KS critical value shrinks with sample size', () => {
    expect(ksCritical(1000, 10_000, 0.001)).toBeCloseTo(1.9495 * Math.sqrt(11_000 / 10_000_000), 3)
    expect(ksCritical(10_000, 10_000, 0.001)).toBeLessThan(ksCritical(1000, 10_000, 0.001))
  })
})
