import { describe, expect, it } from 'vitest'
import { anomalyComponent, channelMargin, healthIndex, healthStatus, rollUp, rulComponent, type HealthInputs } from './health.js'

describe('health index', () => {
  it.each([
    [0, 1],
    [0.35, 0.85],
    [0.7, 0.7],
    [0.8, 0.55],
    [0.9, 0.4],
    [1, 0.2],
  ])('anomaly score %d → component %d', (s, a) => {
    expect(anomalyComponent(s)).toBeCloseTo(a, 9)
  })

  it.each([
    [0, 0],
    [12, 0.2],
    [24, 0.4],
    [72, 0.7],
    [120, 0.85],
    [168, 1],
    [1000, 1],
  ])('RUL %d h → component %d (the RUL thresholds line up with the health ones)', (h, r) => {
    expect(rulComponent(h)).toBeCloseTo(r, 9)
  })

  it.each([
    { v: 25, min: 5, max: 50, m: 1, why: 'mid-range' },
    { v: 49, min: 5, max: 50, m: 0.5 + 5 * (1 / 22.5), why: 'close to the top' },
    { v: 50, min: 5, max: 50, m: 0.5, why: 'at the limit' },
    { v: 52.25, min: 5, max: 50, m: 0.5 * Math.exp(-1), why: 'a tenth of the half width outside' },
    { v: 3, min: 5, max: null, m: 0.5 * Math.exp(-0.4 / 0.1), why: 'below a one-sided limit' },
    { v: 100, min: null, max: null, m: 1, why: 'no range' },
  ])('channel margin $why', ({ v, min, max, m }) => {
    expect(channelMargin(v, min, max)).toBeCloseTo(m, 9)
  })

  it.each([
    { name: 'healthy', inputs: { anomalyScore: 0.1, levels: { t: 25 }, ranges: new Map([['t', { min: 5, max: 50 }]]) } as HealthInputs, status: 'ok', limiting: 'anomaly' },
    { name: 'sustained anomaly', inputs: { anomalyScore: 0.8, anomalyContributions: { t: 0.9, v: 0.1 } }, status: 'warning', limiting: 'anomaly', channels: ['t', 'v'] },
    { name: 'over temperature', inputs: { anomalyScore: 0, levels: { t: 60, v: 2.2, x: 1e6 }, ranges: new Map([['t', { min: 5, max: 50 }], ['v', { min: 1.8, max: 2.5 }]]) }, status: 'critical', limiting: 'margin', channels: ['t'] },
    { name: 'short remaining life', inputs: { anomalyScore: 0.2, rulHours: 20 }, status: 'critical', limiting: 'rul' },
    { name: 'RUL in warning', inputs: { rulHours: 48 }, status: 'warning', limiting: 'rul' },
    { name: 'nothing known', inputs: {}, status: 'ok', limiting: null },
  ])('$name → $status, limited by $limiting', ({ inputs, status, limiting, channels }) => {
    const h = healthIndex(inputs)
    expect(h.status).toBe(status)
    expect(h.limiting).toBe(limiting)
    expect(h.health).toBe(Math.min(h.components.anomaly, h.components.margin, h.components.rul))
    if (channels) expect(h.channels).toEqual(channels)
  })

  it('takes configurable thresholds', () => {
    expect(healthStatus(0.65)).toBe('warning')
    expect(healthStatus(0.65, { warning: 0.6, critical: 0.3 })).toBe('ok')
    expect(healthStatus(0.35, { warning: 0.6, critical: 0.3 })).toBe('warning')
  })

  it('rolls up worst-of, with mean, weighted mean and counts', () => {
    const r = rollUp([{ health: 0.9 }, { health: 0.5, weight: 3 }, { health: 0.3 }])
    expect(r.health).toBe(0.3)
    expect(r.status).toBe('critical')
    expect(r.mean).toBeCloseTo(1.7 / 3, 12)
    expect(r.weightedMean).toBeCloseTo((0.9 + 1.5 + 0.3) / 5, 12)
    expect(r.counts).toEqual({ ok: 1, warning: 1, critical: 1 })
    expect(rollUp([]).health).toBeNull()
  })
})
