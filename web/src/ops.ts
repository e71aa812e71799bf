/**
 * Pure logic of the alerts and models pages (no browser, no server): which alerts a filter
 * keeps, an alert from a stream event, an alert's chart address, and who scored an asset.
 * Only type imports (erased), spelled with .js as the root tsconfig (NodeNext) wants: tests load
 * it in Node. The alert and prediction shapes are the server's, generated from its route schemas
 * (api.schema.ts); api.alerts.ts and api.models.ts re-export them.
 */
import type { Answer, Item } from './api.types.js'

/** An alert as the pages hold it: what GET /v1/alerts answers, less the tenant (a stream event does not carry it). */
export type Alert = Omit<Item<'/v1/alerts'>, 'tenantId'>
export type Evidence = Alert['evidence']
export type Severity = Alert['severity']
export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'critical']
export type AlertState = Alert['state']
/** What the list filters by: `active` is open or acknowledged. */
export type StateFilter = 'active' | 'open' | 'acknowledged' | 'resolved'
export const STATE_FILTERS: readonly StateFilter[] = ['active', 'open', 'acknowledged', 'resolved']

export interface AlertQuery {
  state?: StateFilter
  severity?: Severity
  siteId?: string
  assetId?: string
  limit?: number
}

/**
 * An `alert` event of /v1/stream: one transition, with the alert's lifecycle state and evidence in
 * `details` (src/pipeline/alerting.stage.ts toBusAlert; the stream has no response schema).
 */
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
    kind: Alert['kind']
    lifecycle: AlertState
    value: number
    threshold: number
    siteId: string | null
    flapping: boolean
    evidence: Evidence
  }
}

/** A stored prediction (`GET /v1/assets/<id>/predictions`), with the model, version and deployment that made it. */
export type Prediction = Answer<'/v1/assets/{id}/predictions'>['items'][number]

/** Whether the list's filter keeps `a` (`active` is open or acknowledged; pending alerts are never listed). */
export function matches(a: Alert, q: AlertQuery): boolean {
  if (a.state === 'pending') return false
  if (q.state === 'active' ? a.state !== 'open' && a.state !== 'acknowledged' : q.state !== undefined && a.state !== q.state) return false
  if (q.severity !== undefined && a.severity !== q.severity) return false
  if (q.siteId !== undefined && a.siteId !== q.siteId) return false
  if (q.assetId !== undefined && a.assetId !== q.assetId) return false
  return true
}

/** The asset page's address for an alert's chart link (`/#/assets/x?from=…` → `#/assets/x?from=…`). */
export function chartHref(a: Pick<Alert, 'assetId' | 'startedAt' | 'evidence'>): string {
  const link = a.evidence.link
  const at = link.indexOf('#')
  if (at >= 0) return link.slice(at)
  // No link recorded: an hour before the alert started to 15 minutes after, as the server's links.
  return `#/assets/${encodeURIComponent(a.assetId)}?from=${a.startedAt - 3_600_000}&to=${a.startedAt + 900_000}`
}

/** The alert as a stream event shows it, laid over what was known of it (the event lacks the who and when of past steps). */
export function fromLiveEvent(e: LiveAlertEvent, known: Alert | undefined): Alert {
  const d = e.details
  const base: Alert = known ?? {
    id: d.alertId,
    ruleId: d.ruleId,
    ruleName: e.source,
    kind: d.kind,
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

export interface Scorer {
  model: string
  version: string
  deployment: string
  kinds: string[]
  count: number
  lastTs: number
}

/** Groups stored predictions by what made them: registry model and version (or the pipeline stage), and the deployment that routed the asset. Newest first. */
export function scorers(items: readonly Prediction[]): Scorer[] {
  const byKey = new Map<string, Scorer>()
  for (const p of items) {
    const model = p.model ?? p.source
    const version = p.version === undefined ? '—' : `v${p.version}`
    const deployment = p.deployment ?? (p.model === undefined ? 'pipeline stage' : '—')
    const key = `${model}\u0000${version}\u0000${deployment}`
    const s = byKey.get(key) ?? { model, version, deployment, kinds: [], count: 0, lastTs: Number.NEGATIVE_INFINITY }
    if (!s.kinds.includes(p.kind)) s.kinds.push(p.kind)
    s.count++
    s.lastTs = Math.max(s.lastTs, p.ts)
    byKey.set(key, s)
  }
  return [...byKey.values()].sort((a, b) => b.lastTs - a.lastTs)
}
