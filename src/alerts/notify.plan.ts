/**
 * Who hears about which transitions, and in how many messages: routing by channel
 * subscriptions and per-user / per-role preferences (severities, channels, quiet hours),
 * then grouping per site into one notification per channel. Pure.
 */
import type { Alert, NotificationChannel, NotificationPayload, NotificationPreference, OutboxItem, Rule, Severity, Transition, TransitionKind } from './alert.types.js'
import { severityRank } from './alert.types.js'

/** Transitions that are worth a message (acknowledgements are recorded, not announced). */
const NOTIFIED: ReadonlySet<TransitionKind> = new Set(['opened', 'severity_changed', 'resolved', 'escalated', 'unsilenced'])

/** Minutes since local midnight of `ts` in an IANA zone. */
export function localMinutes(ts: number, timezone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ts))
  const h = Number(parts.find((p) => p.type === 'hour')?.value ?? 0)
  const m = Number(parts.find((p) => p.type === 'minute')?.value ?? 0)
  return h * 60 + m
}

const hhmm = (s: string): number => {
  const [h, m] = s.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}

/** Whether `ts` falls in quiet hours (`22:00`–`07:00` wraps midnight). */
export function inQuietHours(q: NotificationPreference['quietHours'], ts: number): boolean {
  if (!q) return false
  const now = localMinutes(ts, q.timezone)
  const start = hhmm(q.start)
  const end = hhmm(q.end)
  return start <= end ? now >= start && now < end : now >= start || now < end
}

/** Whether a preference wants this alert now: its severities, and only critical ones in quiet hours. */
export function preferenceWants(p: NotificationPreference, severity: Severity, ts: number): boolean {
  if (!p.severities.includes(severity)) return false
  return severity === 'critical' || !inQuietHours(p.quietHours, ts)
}

const TEMPLATE_FIELD = /\{\{\s*([a-zA-Z.]+)\s*\}\}/g

/**
 * Fills `{{field}}` with alert fields (`assetId`, `severity`, `value`, `threshold`, `ruleName`,
 * `message`, `siteId`, `state`, `evidence.link` …). Unknown fields become empty.
 *
 * @example renderTemplate('{{severity}} on {{assetId}}: {{value}}', alert)
 */
export function renderTemplate(template: string, alert: Alert, extra: Record<string, unknown> = {}): string {
  return template.replace(TEMPLATE_FIELD, (_m, path: string) => {
    let v: unknown = path in extra ? extra[path] : alert
    if (!(path in extra)) for (const part of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined
    return v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)
  })
}

const VERB: Record<TransitionKind, string> = {
  opened: 'OPEN',
  severity_changed: 'WORSE',
  acknowledged: 'ACK',
  resolved: 'RESOLVED',
  escalated: 'ESCALATED',
  unsilenced: 'STILL OPEN',
}

/** One line per transition: the rule's template when it has one, else the alert's message. */
export function transitionLine(t: Transition, rule: Rule | undefined): string {
  const body = rule?.template ? renderTemplate(rule.template, t.alert, { transition: t.kind }) : t.alert.message
  return `[${VERB[t.kind]}] ${t.alert.severity.toUpperCase()} ${body} — ${t.alert.evidence.link}`
}

export interface PlanInput {
  transitions: readonly Transition[]
  channels: readonly NotificationChannel[]
  preferences: readonly NotificationPreference[]
  rules: ReadonlyMap<string, Rule>
  now: number
  newId: () => string
}

interface Route {
  channel: NotificationChannel
  emails: Set<string>
  transitions: Transition[]
  siteId: string | null
  escalation: boolean
}

/**
 * Outbox items for a batch of transitions: one per channel and site (and escalation),
 * holding every transition routed there. Silenced alerts are not notified.
 */
export function planNotifications(p: PlanInput): OutboxItem[] {
  const routes = new Map<string, Route>()
  const byId = new Map(p.channels.filter((c) => c.enabled).map((c) => [c.id, c]))
  for (const t of p.transitions) {
    if (!NOTIFIED.has(t.kind) || t.alert.silenced) continue
    const escalation = t.kind === 'escalated'
    const add = (c: NotificationChannel | undefined, emails: readonly string[]): void => {
      if (!c) return
      const key = `${c.id}\u0000${t.alert.siteId ?? ''}\u0000${escalation}`
      let r = routes.get(key)
      if (!r) routes.set(key, (r = { channel: c, emails: new Set(), transitions: [], siteId: t.alert.siteId, escalation }))
      for (const e of emails) r.emails.add(e)
      if (!r.transitions.includes(t)) r.transitions.push(t)
    }
    const sev = t.alert.severity
    for (const c of byId.values()) {
      if (c.subscribeAll && severityRank(sev) >= severityRank(c.minSeverity)) add(c, Array.isArray(c.config.to) ? (c.config.to as string[]) : [])
    }
    for (const pref of p.preferences) {
      if (!preferenceWants(pref, sev, t.ts)) continue
      for (const id of pref.channelIds) add(byId.get(id), pref.emails)
    }
    if (escalation) for (const id of p.rules.get(t.alert.ruleId)?.escalateChannelIds ?? []) add(byId.get(id), [])
  }
  const items: OutboxItem[] = []
  for (const r of routes.values()) {
    const payload = buildPayload(r, p.rules)
    if (r.channel.type === 'email' && payload.to.length === 0) continue
    items.push(pendingItem(p.newId(), r.channel, p.newId(), payload, p.now))
  }
  return items
}

/** A new outbox item of `channel`, due now. */
function pendingItem(id: string, channel: NotificationChannel, idempotencyKey: string, payload: NotificationPayload, now: number): OutboxItem {
  return { id, tenantId: channel.tenantId, channelId: channel.id, idempotencyKey, payload, status: 'pending', attempts: 0, nextAttemptAt: now, leaseUntil: null, lastError: null, createdAt: now, deliveredAt: null }
}

function buildPayload(r: Route, rules: ReadonlyMap<string, Rule>): NotificationPayload {
  const ts = r.transitions
  const worst = ts.reduce((w, t) => (severityRank(t.alert.severity) > severityRank(w) ? t.alert.severity : w), 'info' as Severity)
  const where = r.siteId ? ` at ${r.siteId}` : ''
  const subject =
    ts.length === 1
      ? `[Prognos] ${r.escalation ? 'ESCALATED ' : ''}${VERB[ts[0]!.kind]} ${worst.toUpperCase()}: ${ts[0]!.alert.ruleName} on ${ts[0]!.alert.assetId}`
      : `[Prognos] ${r.escalation ? 'ESCALATED: ' : ''}${ts.length} alert changes${where} (worst ${worst})`
  const text = ts.map((t) => transitionLine(t, rules.get(t.alert.ruleId))).join('\n')
  return {
    tenantId: r.channel.tenantId,
    siteId: r.siteId,
    to: [...r.emails].sort(),
    subject,
    text,
    transitions: ts.map((t) => ({ kind: t.kind, ts: t.ts, alert: t.alert })),
    escalation: r.escalation,
  }
}

/**
 * The test notification of a channel (the settings page's "Send test"): no transitions, sent
 * once and never stored. E-mail goes to the channel's own `to` and to the addresses of the
 * preferences that route to it.
 */
export function testNotification(channel: NotificationChannel, prefs: readonly NotificationPreference[], p: { by: string; now: number; newId: () => string }): OutboxItem {
  const configured = Array.isArray(channel.config.to) ? channel.config.to.filter((x): x is string => typeof x === 'string') : []
  const to = [...new Set([...configured, ...prefs.filter((x) => x.channelIds.includes(channel.id)).flatMap((x) => x.emails)])].sort()
  const id = p.newId()
  return pendingItem(id, channel, `test-${id}`, {
    tenantId: channel.tenantId,
    siteId: null,
    to,
    subject: `[Prognos] Test notification on channel '${channel.name}'`,
    text: `${p.by} sent this test from Prognos at ${new Date(p.now).toISOString()}: alerts routed to '${channel.name}' will arrive here.`,
    transitions: [],
    escalation: false,
    test: true,
  }, p.now)
}
