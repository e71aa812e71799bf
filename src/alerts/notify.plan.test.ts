import { describe, expect, it } from 'vitest'
import type { Alert, NotificationChannel, NotificationPreference, Rule, Transition } from './alert.types.js'
import { inQuietHours, planNotifications, renderTemplate } from './notify.plan.js'

const alert = (id: string, siteId: string | null, severity: Alert['severity'], ruleId = 'r1'): Alert => ({
  id,
  tenantId: 't',
  ruleId,
  ruleName: 'Hot',
  kind: 'threshold',
  assetId: `a-${id}`,
  siteId,
  severity,
  state: 'open',
  message: `hot a-${id}`,
  value: 61,
  threshold: 55,
  evidence: { values: [], thresholds: { direction: 'above', hysteresis: 0 }, channels: ['temp'], link: `/#/assets/a-${id}?from=0&to=1` },
  startedAt: 0,
  openedAt: 0,
  acknowledgedAt: null,
  acknowledgedBy: null,
  resolvedAt: null,
  resolvedBy: null,
  escalatedAt: null,
  flapping: false,
  silenced: false,
  updatedAt: 0,
})
const ch = (id: string, extra: Partial<NotificationChannel> = {}): NotificationChannel => ({ id, tenantId: 't', name: id, type: 'webhook', config: { url: 'http://x' }, enabled: true, subscribeAll: false, minSeverity: 'warning', rateLimitPerMin: 60, createdAt: 0, ...extra })
const pref = (extra: Partial<NotificationPreference>): NotificationPreference => ({ id: 'p', tenantId: 't', userId: null, role: 'operator', severities: ['warning', 'critical'], channelIds: [], emails: [], quietHours: null, createdAt: 0, ...extra })
let n = 0
const plan = (transitions: Transition[], channels: NotificationChannel[], preferences: NotificationPreference[] = [], rules = new Map<string, Rule>()) =>
  planNotifications({ transitions, channels, preferences, rules, now: 1, newId: () => `id${++n}` })
// 2026-11-30 23:30 in Paris (22:30 UTC) and 12:00 in Paris.
const NIGHT = Date.UTC(2026, 10, 30, 22, 30)
const NOON = Date.UTC(2026, 10, 30, 11, 0)

describe('planNotifications', () => {
  it('groups the transitions of one site into one message per channel', () => {
    const items = plan(
      [
        { kind: 'opened', alert: alert('1', 'lyon', 'warning'), ts: NOON },
        { kind: 'opened', alert: alert('2', 'lyon', 'critical'), ts: NOON },
        { kind: 'opened', alert: alert('3', 'oslo', 'critical'), ts: NOON },
      ],
      [ch('all', { subscribeAll: true }), ch('critical-only', { subscribeAll: true, minSeverity: 'critical' })],
    )
    const summary = items.map((i) => `${i.channelId}@${i.payload.siteId}:${i.payload.transitions.map((t) => t.alert.id).join(',')}`).sort()
    expect(summary).toEqual(['all@lyon:1,2', 'all@oslo:3', 'critical-only@lyon:2', 'critical-only@oslo:3'])
    expect(items.find((i) => i.channelId === 'all' && i.payload.siteId === 'lyon')!.payload.subject).toBe('[Prognos] 2 alert changes at lyon (worst critical)')
    expect(new Set(items.map((i) => i.idempotencyKey)).size).toBe(4)
  })

  it('routes by preference: severities, channels, e-mail addresses, and only critical in quiet hours', () => {
    const mail = ch('mail', { type: 'email', config: { host: 'h', from: 'a@b.c' } })
    const night = pref({ channelIds: ['mail'], emails: ['oncall@x.test'], quietHours: { start: '22:00', end: '07:00', timezone: 'Europe/Paris' } })
    const w = (ts: number) => plan([{ kind: 'opened', alert: alert('1', 's', 'warning'), ts }], [mail], [night])
    expect(w(NIGHT)).toEqual([])
    expect(w(NOON).map((i) => i.payload.to)).toEqual([['oncall@x.test']])
    const c = plan([{ kind: 'opened', alert: alert('2', 's', 'critical'), ts: NIGHT }], [mail], [night])
    expect(c).toHaveLength(1)
    expect(plan([{ kind: 'opened', alert: alert('3', 's', 'warning'), ts: NOON }], [mail], [pref({ channelIds: ['mail'], emails: ['x@y.z'], severities: ['critical'] })])).toEqual([])
  })

  it('does not announce silenced alerts or acknowledgements, and sends escalations to the rule’s escalation channels too', () => {
    const silenced = { ...alert('1', 's', 'critical'), silenced: true }
    expect(plan([{ kind: 'opened', alert: silenced, ts: NOON }], [ch('all', { subscribeAll: true })])).toEqual([])
    expect(plan([{ kind: 'acknowledged', alert: alert('1', 's', 'critical'), ts: NOON }], [ch('all', { subscribeAll: true })])).toEqual([])
    const rule = { id: 'r1', escalateChannelIds: ['boss'] } as unknown as Rule
    const items = plan([{ kind: 'escalated', alert: alert('1', 's', 'warning'), ts: NOON }], [ch('all', { subscribeAll: true }), ch('boss')], [], new Map([['r1', rule]]))
    expect(items.map((i) => [i.channelId, i.payload.escalation]).sort()).toEqual([
      ['all', true],
      ['boss', true],
    ])
    expect(plan([{ kind: 'opened', alert: alert('1', 's', 'warning'), ts: NOON }], [ch('boss')], [], new Map([['r1', rule]]))).toEqual([])
  })

  it('uses the rule’s template for its lines', () => {
    const rule = { id: 'r1', template: '{{severity}} {{assetId}} at {{value}} (limit {{threshold}}) {{nope}}' } as unknown as Rule
    const [item] = plan([{ kind: 'opened', alert: alert('1', 's', 'critical'), ts: NOON }], [ch('all', { subscribeAll: true })], [], new Map([['r1', rule]]))
    expect(item!.payload.text).toBe('[OPEN] CRITICAL critical a-1 at 61 (limit 55)  — /#/assets/a-1?from=0&to=1')
    expect(renderTemplate('{{evidence.channels}}', alert('1', 's', 'warning'))).toBe('["temp"]')
  })
})

describe('inQuietHours', () => {
  it('handles windows across midnight and time zones', () => {
    const q = { start: '22:00', end: '07:00', timezone: 'Europe/Paris' }
    expect(inQuietHours(q, NIGHT)).toBe(true)
    expect(inQuietHours(q, NOON)).toBe(false)
    expect(inQuietHours({ start: '09:00', end: '17:00', timezone: 'UTC' }, NOON)).toBe(true)
    expect(inQuietHours(null, NIGHT)).toBe(false)
  })
})
