import { describe, expect, it } from 'vitest'
import type { Alert, LiveAlertEvent } from '../../web/src/ops.js'
import { chartHref, fromLiveEvent, matches, scorers } from '../../web/src/ops.js'

const T = 1_700_000_000_000
const evidence = { values: [{ ts: T, value: 71 }], thresholds: { warning: 50, hysteresis: 0, direction: 'above' as const }, channels: ['temp'], link: `/#/assets/pump-1?from=${T - 3_600_000}&to=${T + 900_000}` }
const alert = (over: Partial<Alert> = {}): Alert => ({
  id: 'a1',
  ruleId: 'hot',
  ruleName: 'Pump too hot',
  kind: 'threshold',
  assetId: 'pump-1',
  siteId: 'lyon',
  severity: 'warning',
  state: 'open',
  message: 'temp of pump-1 is 71',
  value: 71,
  threshold: 50,
  evidence,
  startedAt: T,
  openedAt: T,
  acknowledgedAt: null,
  acknowledgedBy: null,
  resolvedAt: null,
  resolvedBy: null,
  escalatedAt: null,
  flapping: false,
  silenced: false,
  updatedAt: T,
  ...over,
})
const event = (over: Partial<LiveAlertEvent['details']> = {}, ts = T + 5000): LiveAlertEvent => ({
  assetId: 'pump-1',
  ts,
  source: 'Pump too hot',
  severity: 'critical',
  state: 'open',
  message: 'temp of pump-1 is 95',
  details: { alertId: 'a1', transition: 'severity_changed', ruleId: 'hot', kind: 'threshold', lifecycle: 'open', value: 95, threshold: 90, siteId: 'lyon', flapping: false, evidence, ...over },
})

describe('alert filters', () => {
  it('active keeps open and acknowledged alerts, never pending ones', () => {
    expect(matches(alert(), { state: 'active' })).toBe(true)
    expect(matches(alert({ state: 'acknowledged' }), { state: 'active' })).toBe(true)
    expect(matches(alert({ state: 'resolved' }), { state: 'active' })).toBe(false)
    expect(matches(alert({ state: 'pending' }), {})).toBe(false)
    expect(matches(alert({ state: 'resolved' }), {})).toBe(true)
  })

  it('filters by state, severity, site and asset together', () => {
    expect(matches(alert(), { state: 'open', severity: 'warning', siteId: 'lyon', assetId: 'pump-1' })).toBe(true)
    expect(matches(alert(), { severity: 'critical' })).toBe(false)
    expect(matches(alert(), { siteId: 'paris' })).toBe(false)
    expect(matches(alert(), { assetId: 'pump-2' })).toBe(false)
    expect(matches(alert(), { state: 'acknowledged' })).toBe(false)
  })
})

describe('chart links', () => {
  it('uses the hash part of the server link', () => {
    expect(chartHref(alert())).toBe(`#/assets/pump-1?from=${T - 3_600_000}&to=${T + 900_000}`)
  })

  it('builds one around the start when the alert has none', () => {
    expect(chartHref(alert({ assetId: 'a b', evidence: { ...evidence, link: '' } }))).toBe(`#/assets/a%20b?from=${T - 3_600_000}&to=${T + 900_000}`)
  })
})

describe('alerts from stream events', () => {
  it('lays the event over the known alert, keeping who acknowledged it', () => {
    const known = alert({ state: 'acknowledged', acknowledgedAt: T + 1000, acknowledgedBy: 'olga', updatedAt: T + 1000 })
    const a = fromLiveEvent(event({ lifecycle: 'acknowledged' }), known)
    expect(a).toMatchObject({ id: 'a1', severity: 'critical', state: 'acknowledged', value: 95, threshold: 90, acknowledgedBy: 'olga', updatedAt: T + 5000 })
  })

  it('makes a listable alert of an event for an alert not seen before', () => {
    const a = fromLiveEvent(event({ alertId: 'a2', transition: 'opened', kind: 'rate_of_change' }), undefined)
    expect(a).toMatchObject({ id: 'a2', ruleName: 'Pump too hot', kind: 'rate_of_change', state: 'open', openedAt: T + 5000, startedAt: T + 5000 })
    expect(matches(a, { state: 'active', severity: 'critical' })).toBe(true)
  })

  it('marks a resolution with the event time', () => {
    expect(fromLiveEvent(event({ lifecycle: 'resolved', transition: 'resolved' }), alert()).resolvedAt).toBe(T + 5000)
  })
})

describe('who scored an asset', () => {
  it('groups predictions by model, version and deployment, newest first', () => {
    const rows = scorers([
      { assetId: 'p', ts: T, source: 'api', kind: 'anomaly_score', value: 1, model: 'm', version: 1, deployment: 'production' },
      { assetId: 'p', ts: T + 10, source: 'api', kind: 'anomaly_score', value: 1, model: 'm', version: 2, deployment: 'canary' },
      { assetId: 'p', ts: T + 20, source: 'api', kind: 'anomaly_score', value: 1, model: 'm', version: 1, deployment: 'production' },
      { assetId: 'p', ts: T + 5, source: 'anomaly', kind: 'health', value: 0.9 },
      { assetId: 'p', ts: T + 6, source: 'anomaly', kind: 'anomaly_score', value: 0.1 },
    ])
    expect(rows.map((r) => [r.model, r.version, r.deployment, r.count, r.lastTs])).toEqual([
      ['m', 'v1', 'production', 2, T + 20],
      ['m', 'v2', 'canary', 1, T + 10],
      ['anomaly', '—', 'pipeline stage', 2, T + 6],
    ])
    expect(rows[2]!.kinds).toEqual(['health', 'anomaly_score'])
  })

  it('is empty without predictions', () => {
    expect(scorers([])).toEqual([])
  })
})
