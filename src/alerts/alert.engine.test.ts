import { describe, expect, it } from 'vitest'
import { AlertEngine, levelOf, rateOf, type AssetInfo } from './alert.engine.js'
import type { Rule, Silence, Transition } from './alert.types.js'
import { buildRule, type RuleInput } from './rule.validate.js'

/** A fake clock: tests move time by hand. */
class FakeClock {
  constructor(public now = Date.UTC(2026, 10, 30, 12)) {}
  advance(sec: number): number {
    this.now += sec * 1000
    return this.now
  }
}

const ctx = { channelsInScope: () => null, channelExists: () => true, assetExists: () => true, siteExists: () => true }
let seq = 0
const rule = (input: RuleInput): Rule => buildRule(input, ctx, { id: `r${++seq}`, tenantId: 't1', now: 0 })
const cell: AssetInfo = { id: 'bs-001-c03', type: 'battery_cell', siteId: 'lyon' }
const other: AssetInfo = { id: 'bs-001-c04', type: 'battery_cell', siteId: 'lyon' }

function setup(rules: Rule[], opts: { flapMaxOpens?: number; flapCalmSec?: number } = {}) {
  let ids = 0
  const engine = new AlertEngine({ tenantId: 't1', newId: () => `a${++ids}`, ...opts })
  engine.setRules(rules)
  const clock = new FakeClock()
  const seen: Transition[] = []
  const feed = (asset: AssetInfo, target: string, value: number): Transition[] => {
    const t = engine.observe(asset, target, clock.now, value, clock.now).transitions
    seen.push(...t)
    return t
  }
  const tick = (): Transition[] => {
    const t = engine.tick(clock.now).transitions
    seen.push(...t)
    return t
  }
  return { engine, clock, seen, feed, tick }
}

const kinds = (ts: readonly Transition[]): string[] => ts.map((t) => `${t.kind}:${t.alert.severity}`)

describe('levelOf (hysteresis)', () => {
  const r = { direction: 'above' as const, warning: 40, critical: 55, hysteresis: 2 }
  it.each([
    [39.9, null, null],
    [40, null, 'warning'],
    [39, 'warning', 'warning'], // inside the hysteresis band: still firing
    [38, 'warning', null], // back past warning − hysteresis
    [55, 'warning', 'critical'],
    [54, 'critical', 'critical'],
    [52.9, 'critical', 'warning'],
  ] as const)('value %s while %s → %s', (v, cur, want) => {
    expect(levelOf(r, v, cur)).toBe(want)
  })
  it('works downwards (health)', () => {
    const h = { direction: 'below' as const, warning: 0.7, critical: 0.4, hysteresis: 0.05 }
    expect(levelOf(h, 0.71, null)).toBeNull()
    expect(levelOf(h, 0.69, null)).toBe('warning')
    expect(levelOf(h, 0.74, 'warning')).toBe('warning')
    expect(levelOf(h, 0.76, 'warning')).toBeNull()
    expect(levelOf(h, 0.4, null)).toBe('critical')
  })
})

describe('AlertEngine on a fake clock', () => {
  it('holds a new condition pending for its for-duration, then opens once', () => {
    const hot = rule({ kind: 'threshold', name: 'hot', scope: { assetType: 'battery_cell' }, target: 'temperature', warning: 40, critical: 55, hysteresis: 2, for: '30s' })
    const { engine, clock, feed, tick, seen } = setup([hot])
    expect(feed(cell, 'temperature', 45)).toEqual([])
    expect(engine.active()[0]?.state).toBe('pending')
    clock.advance(10)
    expect(feed(cell, 'temperature', 46)).toEqual([])
    clock.advance(19)
    expect(tick()).toEqual([])
    clock.advance(1)
    expect(kinds(tick())).toEqual(['opened:warning'])
    // Still hot: one alert per rule and asset, no second notification.
    clock.advance(5)
    expect(feed(cell, 'temperature', 47)).toEqual([])
    expect(engine.active()).toHaveLength(1)
    expect(seen).toHaveLength(1)
    const a = seen[0]!.alert
    expect(a.evidence.channels).toEqual(['temperature'])
    expect(a.evidence.thresholds).toMatchObject({ warning: 40, critical: 55, hysteresis: 2 })
    expect(a.evidence.values.map((v) => v.value)).toEqual([45, 46])
    expect(a.evidence.link).toMatch(/^\/#\/assets\/bs-001-c03\?from=\d+&to=\d+$/)
  })

  it('drops a pending alert whose condition clears before the for-duration, without notifying', () => {
    const hot = rule({ kind: 'threshold', scope: 'tenant', target: 'temperature', warning: 40, for: '1m' })
    const { engine, clock, feed, tick, seen } = setup([hot])
    feed(cell, 'temperature', 41)
    clock.advance(30)
    feed(cell, 'temperature', 30)
    clock.advance(60)
    tick()
    expect(engine.active()).toEqual([])
    expect(seen).toEqual([])
  })

  it('resolves automatically only once the value is back past the hysteresis', () => {
    const hot = rule({ kind: 'threshold', scope: 'tenant', target: 'temperature', warning: 40, critical: 55, hysteresis: 2 })
    const { feed, clock, engine } = setup([hot])
    expect(kinds(feed(cell, 'temperature', 41))).toEqual(['opened:warning'])
    clock.advance(1)
    expect(feed(cell, 'temperature', 39)).toEqual([]) // in the band
    clock.advance(1)
    expect(kinds(feed(cell, 'temperature', 56))).toEqual(['severity_changed:critical'])
    clock.advance(1)
    expect(feed(cell, 'temperature', 50)).toEqual([]) // downgrade is stored, not notified
    expect(engine.active()[0]?.severity).toBe('warning')
    clock.advance(1)
    const done = feed(cell, 'temperature', 37.9)
    expect(kinds(done)).toEqual(['resolved:warning'])
    expect(done[0]!.alert.resolvedBy).toBeNull()
    expect(engine.active()).toEqual([])
  })

  it('escalates an open alert nobody acknowledged, once; an acknowledged one is not escalated', () => {
    const hot = rule({ kind: 'threshold', scope: 'tenant', target: 'temperature', warning: 40, escalateAfter: '15m' })
    const { feed, tick, clock, engine } = setup([hot])
    feed(cell, 'temperature', 50)
    feed(other, 'temperature', 50)
    const ackOf = engine.active().find((a) => a.assetId === other.id)!
    clock.advance(60)
    expect(kinds(engine.acknowledge(ackOf.id, 'alice', clock.now)!.transitions)).toEqual(['acknowledged:warning'])
    clock.advance(14 * 60 - 1)
    expect(tick()).toEqual([])
    clock.advance(1)
    const esc = tick()
    expect(kinds(esc)).toEqual(['escalated:warning'])
    expect(esc[0]!.alert.assetId).toBe(cell.id)
    clock.advance(3600)
    expect(tick()).toEqual([])
  })

  it('suppresses a flapping condition: after three opens in the window it is held open until calm', () => {
    const hot = rule({ kind: 'threshold', scope: 'tenant', target: 'temperature', warning: 40 })
    const { feed, tick, clock, seen } = setup([hot], { flapMaxOpens: 3, flapCalmSec: 600 })
    // Oscillates every minute for an hour.
    for (let i = 0; i < 60; i++) {
      feed(cell, 'temperature', i % 2 === 0 ? 45 : 35)
      clock.advance(60)
      tick()
    }
    // Three opens and two resolves, then held: 5 notifications, not 60.
    expect(kinds(seen)).toEqual(['opened:warning', 'resolved:warning', 'opened:warning', 'resolved:warning', 'opened:warning'])
    expect(seen[4]!.alert.flapping).toBe(true)
    // Calm since the last reading of the loop (35, a minute ago): resolves once 10 minutes are calm.
    feed(cell, 'temperature', 30)
    clock.advance(539)
    expect(tick()).toEqual([])
    clock.advance(1)
    expect(kinds(tick())).toEqual(['resolved:warning'])
  })

  it('silences hold notifications back and notify a still-open alert when they end', () => {
    const hot = rule({ kind: 'threshold', scope: 'tenant', target: 'temperature', warning: 40 })
    const { engine, feed, tick, clock } = setup([hot])
    const s: Silence = { id: 's1', tenantId: 't1', kind: 'silence', assetId: null, siteId: 'lyon', ruleId: null, startsAt: clock.now, endsAt: clock.now + 600_000, reason: 'commissioning', createdBy: 'alice', createdAt: clock.now }
    engine.setSilences([s])
    const opened = feed(cell, 'temperature', 50)
    expect(kinds(opened)).toEqual(['opened:warning'])
    expect(opened[0]!.alert.silenced).toBe(true)
    clock.advance(599)
    expect(tick()).toEqual([])
    clock.advance(1)
    const after = tick()
    expect(kinds(after)).toEqual(['unsilenced:warning'])
    expect(after[0]!.alert.silenced).toBe(false)
  })

  it('maintenance windows keep alerts from opening on the asset they cover only', () => {
    const hot = rule({ kind: 'threshold', scope: 'tenant', target: 'temperature', warning: 40 })
    const { engine, feed, clock } = setup([hot])
    engine.setSilences([{ id: 'm1', tenantId: 't1', kind: 'maintenance', assetId: cell.id, siteId: null, ruleId: null, startsAt: clock.now, endsAt: clock.now + 3_600_000, reason: 'swap', createdBy: 'bob', createdAt: clock.now }])
    expect(feed(cell, 'temperature', 50)).toEqual([])
    expect(kinds(feed(other, 'temperature', 50))).toEqual(['opened:warning'])
    clock.advance(3600)
    expect(kinds(feed(cell, 'temperature', 50))).toEqual(['opened:warning'])
  })

  it('raises staleness when a channel goes quiet, and clears when data comes back', () => {
    const stale = rule({ kind: 'staleness', scope: { assetType: 'battery_cell' }, target: 'temperature', stale: '2m' })
    const { feed, tick, clock } = setup([stale])
    feed(cell, 'temperature', 25)
    clock.advance(119)
    expect(tick()).toEqual([])
    clock.advance(1)
    const t = tick()
    expect(kinds(t)).toEqual(['opened:warning'])
    expect(t[0]!.alert.value).toBe(120)
    clock.advance(30)
    expect(kinds(feed(cell, 'temperature', 25))).toEqual(['resolved:warning'])
  })

  it('measures rate of change over its window, and flatlines with direction below', () => {
    const spike = rule({ kind: 'rate_of_change', scope: 'tenant', target: 'power_kw', warning: 20, window: '1s' })
    const flat = rule({ kind: 'rate_of_change', scope: 'tenant', target: 'energy_kwh', direction: 'below', warning: 0, window: '60s' })
    const { feed, clock } = setup([spike, flat])
    const meter: AssetInfo = { id: 'em-1', type: 'energy_meter', siteId: 's' }
    feed(meter, 'power_kw', 100)
    clock.advance(10)
    expect(feed(meter, 'power_kw', 150)).toEqual([]) // 5 kW/s
    clock.advance(10)
    expect(kinds(feed(meter, 'power_kw', 1500))).toEqual(['opened:warning']) // 135 kW/s
    let e = 1000
    for (let i = 0; i < 7; i++) {
      expect(feed(meter, 'energy_kwh', (e += 0.5))).toEqual([])
      clock.advance(10)
    }
    // Stuck: the same value for over a minute.
    const stuck: string[] = []
    for (let i = 0; i < 8; i++) {
      stuck.push(...kinds(feed(meter, 'energy_kwh', e)))
      clock.advance(10)
    }
    expect(stuck).toEqual(['opened:warning'])
  })

  it('reacts to predictions: health, RUL, forecast breach, model errors', () => {
    const rules = [
      rule({ kind: 'health', scope: 'tenant' }),
      rule({ kind: 'rul', scope: { assetType: 'turbofan' } }),
      rule({ kind: 'forecast', scope: 'tenant', target: 't50', warning: 1430, withinHours: 12 }),
      rule({ kind: 'model_error', scope: 'tenant', stale: '10m' }),
    ]
    const { engine, clock } = setup(rules)
    const tf: AssetInfo = { id: 'tf-1', type: 'turbofan', siteId: 's' }
    const p = (kind: string, value: number, details?: Record<string, unknown>) => engine.observePrediction(tf, { assetId: tf.id, ts: clock.now, source: 'm1', kind, value, ...(details ? { details } : {}) }, clock.now).transitions
    expect(kinds(p('health', 0.65, { modelVersion: 'hi@3' }))).toEqual(['opened:warning'])
    expect(engine.active()[0]!.evidence.modelVersion).toBe('hi@3')
    expect(kinds(p('health', 0.3))).toEqual(['severity_changed:critical'])
    expect(kinds(p('rul_hours', 20, { warmingUp: true }))).toEqual([])
    expect(kinds(p('rul_hours', 80))).toEqual([])
    expect(kinds(p('rul_hours', 20))).toEqual(['opened:critical'])
    expect(kinds(p('forecast', 1425, { channel: 't50', horizonHours: 6, upper: 1432 }))).toEqual(['opened:warning'])
    expect(kinds(p('forecast', 1440, { channel: 't50', horizonHours: 48, upper: 1450 }))).toEqual(['resolved:warning'])
    expect(kinds(p('model_error', 1, { error: 'NaN input' }))).toEqual(['opened:warning'])
    clock.advance(599)
    expect(engine.tick(clock.now).transitions).toEqual([])
    clock.advance(1)
    expect(kinds(engine.tick(clock.now).transitions)).toEqual(['resolved:warning'])
  })

  it('a manual resolve stays quiet while the condition holds, and a new alert opens after it cleared', () => {
    const hot = rule({ kind: 'threshold', scope: 'tenant', target: 'temperature', warning: 40 })
    const { engine, feed, clock } = setup([hot])
    feed(cell, 'temperature', 50)
    const id = engine.active()[0]!.id
    expect(engine.acknowledge('nope', 'x', clock.now)).toBeNull()
    expect(kinds(engine.resolveManually(id, 'alice', clock.now)!.transitions)).toEqual(['resolved:warning'])
    expect(feed(cell, 'temperature', 50)).toEqual([])
    feed(cell, 'temperature', 20)
    const again = feed(cell, 'temperature', 50)
    expect(kinds(again)).toEqual(['opened:warning'])
    expect(again[0]!.alert.id).not.toBe(id)
  })

  it('reports a pending alert for storing, and drops it when its condition clears first', () => {
    const hot = rule({ kind: 'threshold', scope: 'tenant', target: 'temperature', warning: 40, for: '1m' })
    const { engine, clock } = setup([hot])
    const first = engine.observe(cell, 'temperature', clock.now, 45, clock.now)
    expect(first.transitions).toEqual([])
    expect(first.changed.map((a) => a.state)).toEqual(['pending'])
    const id = first.changed[0]!.id
    clock.advance(20)
    const cleared = engine.observe(cell, 'temperature', clock.now, 30, clock.now)
    expect(cleared.dropped).toEqual([id])
    expect(cleared.changed).toEqual([])
  })

  it('resumes a stored pending alert after a restart: the for-duration counts from its first breach', () => {
    const hot = rule({ kind: 'threshold', scope: 'tenant', target: 'temperature', warning: 40, for: '1m' })
    const before = setup([hot])
    const stored = before.engine.observe(cell, 'temperature', before.clock.now, 45, before.clock.now).changed.map((a) => structuredClone(a))
    // A new engine (the process restarted 40 s later) takes the stored pending alert back.
    const after = setup([hot])
    after.clock.now = before.clock.now + 40_000
    after.engine.load(stored, () => cell)
    expect(after.engine.active().map((a) => [a.id, a.state])).toEqual([[stored[0]!.id, 'pending']])
    expect(after.feed(cell, 'temperature', 46)).toEqual([])
    after.clock.advance(20)
    const opened = after.tick()
    expect(kinds(opened)).toEqual(['opened:warning'])
    expect(opened[0]!.alert.id).toBe(stored[0]!.id)
  })

  it('marks an open alert silenced when a silence of its rule and asset begins, so its escalation stays quiet', () => {
    const hot = rule({ kind: 'threshold', scope: 'tenant', target: 'temperature', warning: 40, escalateAfter: '15m' })
    const { engine, feed, tick, clock } = setup([hot])
    const [opened] = feed(cell, 'temperature', 50)
    expect(opened!.alert.silenced).toBe(false)
    clock.advance(60)
    const silence: Silence = { id: 's1', tenantId: 't1', kind: 'silence', assetId: cell.id, siteId: null, ruleId: hot.id, startsAt: clock.now, endsAt: clock.now + 3_600_000, reason: '', createdBy: 'alice', createdAt: clock.now }
    engine.setSilences([silence])
    const out = engine.tick(clock.now)
    expect(out.transitions).toEqual([])
    expect(out.changed.map((a) => [a.id, a.silenced])).toEqual([[opened!.alert.id, true]])
    clock.advance(15 * 60)
    const esc = tick()
    expect(kinds(esc)).toEqual(['escalated:warning'])
    expect(esc[0]!.alert.silenced).toBe(true)
    // The silence ends: the still-open alert is announced again.
    clock.advance(3600)
    expect(kinds(tick())).toEqual(['unsilenced:warning'])
  })

  it('resolves the alerts of a removed rule', () => {
    const hot = rule({ kind: 'threshold', scope: 'tenant', target: 'temperature', warning: 40 })
    const { engine, feed, tick } = setup([hot])
    feed(cell, 'temperature', 50)
    engine.setRules([])
    expect(kinds(tick())).toEqual(['resolved:warning'])
  })
})

describe('rateOf', () => {
  it('uses the newest sample at least the window old', () => {
    const s = [
      { ts: 0, value: 0 },
      { ts: 30_000, value: 30 },
      { ts: 60_000, value: 90 },
      { ts: 70_000, value: 100 },
    ]
    expect(rateOf(s, 60_000, true)).toBeCloseTo(100 / 70)
    expect(rateOf(s, 10_000, false)).toBeCloseTo(1)
    expect(rateOf(s.slice(0, 2), 60_000, true)).toBeNull()
  })
})
