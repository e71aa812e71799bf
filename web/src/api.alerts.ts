/**
 * Typed client for alerting (/v1/alerts, /v1/silences): see README "Alerting and notifications"
 * and src/api/alerts.routes.ts. Session handling is api.ts's.
 */
import { queryString, request } from './api'

export type Severity = 'info' | 'warning' | 'critical'
export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'critical']
export type AlertState = 'pending' | 'open' | 'acknowledged' | 'resolved'
/** What the list filters by: `active` is open or acknowledged. */
export type StateFilter = 'active' | 'open' | 'acknowledged' | 'resolved'
export const STATE_FILTERS: readonly StateFilter[] = ['active', 'open', 'acknowledged', 'resolved']

export interface Evidence {
  /** Recent values of the target, oldest first. */
  values: { ts: number; value: number }[]
  thresholds: { warning?: number; critical?: number; hysteresis: number; direction: 'above' | 'below' }
  channels: string[]
  modelVersion?: string
  source?: string
  /** Dashboard link to the asset's chart around the alert (`/#/assets/<id>?from=…&to=…`). */
  link: string
}

export interface Alert {
  id: string
  ruleId: string
  ruleName: string
  kind: string
  assetId: string
  siteId: string | null
  severity: Severity
  state: AlertState
  message: string
  value: number
  threshold: number
  evidence: Evidence
  startedAt: number
  openedAt: number | null
  acknowledgedAt: number | null
  acknowledgedBy: string | null
  resolvedAt: number | null
  resolvedBy: string | null
  escalatedAt: number | null
  flapping: boolean
  silenced: boolean
  updatedAt: number
}

export interface AlertQuery {
  state?: StateFilter
  severity?: Severity
  siteId?: string
  assetId?: string
  limit?: number
}

export interface Silence {
  id: string
  kind: 'silence' | 'maintenance'
  assetId: string | null
  siteId: string | null
  ruleId: string | null
  startsAt: number
  endsAt: number
  reason: string
  createdBy: string
}

export const listAlerts = (q: AlertQuery): Promise<{ items: Alert[] }> => request('GET', `/v1/alerts${queryString({ ...q })}`)
export const getAlert = (id: string): Promise<Alert> => request('GET', `/v1/alerts/${encodeURIComponent(id)}`)
export const acknowledgeAlert = (id: string): Promise<Alert> => request('POST', `/v1/alerts/${encodeURIComponent(id)}/ack`)
export const resolveAlert = (id: string): Promise<Alert> => request('POST', `/v1/alerts/${encodeURIComponent(id)}/resolve`)
export const listSilences = (): Promise<{ items: Silence[] }> => request('GET', '/v1/silences')
/** Holds back notifications of an asset's alerts (of one rule) until `endsAt`; the alerts themselves are kept. */
export const createSilence = (body: { assetId: string; ruleId?: string; endsAt: number; reason: string }): Promise<Silence> =>
  request('POST', '/v1/silences', { kind: 'silence', ...body })
export const deleteSilence = (id: string): Promise<void> => request('DELETE', `/v1/silences/${encodeURIComponent(id)}`)

/** The asset page's address for an alert's chart link (`/#/assets/x?from=…` → `#/assets/x?from=…`). */
export function chartHref(a: Alert): string {
  const link = a.evidence.link
  const at = link.indexOf('#')
  if (at >= 0) return link.slice(at)
  // No link recorded: an hour before the alert started to 15 minutes after.
  return `#/assets/${encodeURIComponent(a.assetId)}?from=${a.startedAt - 3_600_000}&to=${a.startedAt + 900_000}`
}

/** An `alert` event of /v1/stream: one transition, with the alert's lifecycle state and evidence in `details`. */
export interface LiveAlertEvent {
  assetId: string
  ts: number
  /** The rule's name. */
  source: string
  severity: Severity
  state: 'open' | 'resolved'
  message: string
  details: {
    alertId: string
    transition: string
    ruleId: string
    lifecycle: AlertState
    value: number
    threshold: number
    siteId: string | null
    flapping: boolean
    evidence: Evidence
  }
}

/** The alert as a stream event shows it, laid over what was known of it (the event lacks the who and when of past steps). */
export function fromLiveEvent(e: LiveAlertEvent, known: Alert | undefined): Alert {
  const d = e.details
  const base: Alert = known ?? {
    id: d.alertId,
    ruleId: d.ruleId,
    ruleName: e.source,
    kind: '',
    assetId: e.assetId,
    siteId: d.siteId,
    severity: e.severity,
    state: d.lifecycle,
    message: e.message,
    value: d.value,
    threshold: d.threshold,
    evidence: d.evidence,
    startedAt: e.ts,
    openedAt: d.transition === 'opened' ? e.ts : null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    escalatedAt: null,
    flapping: d.flapping,
    silenced: false,
    updatedAt: e.ts,
  }
  return {
    ...base,
    severity: e.severity,
    state: d.lifecycle,
    message: e.message,
    value: d.value,
    threshold: d.threshold,
    evidence: d.evidence,
    flapping: d.flapping,
    resolvedAt: d.lifecycle === 'resolved' ? (base.resolvedAt ?? e.ts) : base.resolvedAt,
    updatedAt: Math.max(base.updatedAt, e.ts),
  }
}
