/**
 * Typed client for alerting (/v1/alerts, /v1/silences): see README "Alerting and notifications"
 * and src/api/alerts.routes.ts. Session handling is api.ts's.
 *
 * Request bodies and answers come from the server's OpenAPI document (api.types.ts), generated
 * from the route schemas (src/api/alerts.schemas.ts). The one body written out here is the rule's
 * (RuleBody): the route takes any object and validates it field by field.
 */
import { queryString, request } from './api'
import type { Answer, Item, RequestBody } from './api.types'
import type { AlertQuery } from './ops'

export { SEVERITIES, STATE_FILTERS } from './ops'
export type { Alert, AlertQuery, AlertState, Evidence, LiveAlertEvent, Severity, StateFilter } from './ops'

export type Silence = Item<'/v1/silences'>

export const listAlerts = (q: AlertQuery): Promise<Answer<'/v1/alerts'>> => request('GET', `/v1/alerts${queryString({ ...q })}`)
export const getAlert = (id: string): Promise<Answer<'/v1/alerts/{id}'>> => request('GET', `/v1/alerts/${encodeURIComponent(id)}`)
export const acknowledgeAlert = (id: string): Promise<Answer<'/v1/alerts/{id}/ack', 'post'>> => request('POST', `/v1/alerts/${encodeURIComponent(id)}/ack`)
export const resolveAlert = (id: string): Promise<Answer<'/v1/alerts/{id}/resolve', 'post'>> => request('POST', `/v1/alerts/${encodeURIComponent(id)}/resolve`)
export const listSilences = (): Promise<Answer<'/v1/silences'>> => request('GET', '/v1/silences')
/** Holds back notifications of an asset's alerts (of one rule) until `endsAt`; the alerts themselves are kept. */
export const createSilence = (body: Omit<RequestBody<'/v1/silences', 'post'>, 'kind'> & { assetId: string }): Promise<Silence> =>
  request('POST', '/v1/silences', { kind: 'silence', ...body })
export const deleteSilence = (id: string): Promise<void> => request('DELETE', `/v1/silences/${encodeURIComponent(id)}`)

// --- Rules, notification channels and preferences (the Settings page) ----------------------------

/** A notification channel, its secrets answered as `***` (email: host, port, secure, user, password, from, to; slack/teams: url; webhook: url, secret). */
export type NotificationChannel = Item<'/v1/notification-channels'>
export type ChannelType = NotificationChannel['type']
export const CHANNEL_TYPES: readonly ChannelType[] = ['email', 'slack', 'teams', 'webhook']
/** What the server answers in place of a secret (password, secret, webhook URL); sent back, it keeps the stored value. */
export const MASKED = '***'
export type ChannelBody = RequestBody<'/v1/notification-channels', 'post'>

export type NotificationPreference = Item<'/v1/notification-preferences'>
export type PreferenceBody = RequestBody<'/v1/notification-preferences', 'post'>

/** A stored rule, as GET /v1/alert-rules answers. */
export type AlertRule = Item<'/v1/alert-rules'>
export type RuleKind = AlertRule['kind']
export type RuleScope = AlertRule['scope']
export const RULE_KINDS: readonly RuleKind[] = ['threshold', 'rate_of_change', 'anomaly_score', 'health', 'rul', 'forecast', 'staleness', 'drift', 'model_error']

/**
 * A rule as written (what POST/PUT take; src/alerts/rule.validate.ts `RuleInput`). Numbers the
 * user typed that are not numbers are sent as typed, so the server names the field.
 */
export interface RuleBody {
  name?: string
  kind: RuleKind
  scope: { assetId?: string; assetType?: string; siteId?: string } | 'tenant'
  enabled?: boolean
  target?: string
  direction?: 'above' | 'below'
  warning?: number | string
  critical?: number | string
  hysteresis?: number | string
  for?: number | string
  window?: number | string
  stale?: number | string
  withinHours?: number | string
  escalateAfter?: number | string
  escalateChannelIds?: string[]
  source?: string
  template?: string
}

/** The input that recreates a stored rule (for edits and enable/disable, which PUT the whole rule). */
export function ruleBody(r: AlertRule): RuleBody {
  const scope: RuleBody['scope'] =
    r.scope.kind === 'asset' ? { assetId: r.scope.assetId } : r.scope.kind === 'asset_type' ? { assetType: r.scope.assetType } : r.scope.kind === 'site' ? { siteId: r.scope.siteId } : 'tenant'
  const b: RuleBody = { name: r.name, kind: r.kind, scope, enabled: r.enabled, direction: r.direction, hysteresis: r.hysteresis, for: r.forSec, escalateAfter: r.escalateAfterMin * 60, escalateChannelIds: r.escalateChannelIds }
  if (r.target !== undefined) b.target = r.target
  if (r.warning !== undefined) b.warning = r.warning
  if (r.critical !== undefined) b.critical = r.critical
  if (r.windowSec !== undefined) b.window = r.windowSec
  if (r.staleSec !== undefined) b.stale = r.staleSec
  if (r.withinHours !== undefined) b.withinHours = r.withinHours
  if (r.source !== undefined) b.source = r.source
  if (r.template !== undefined) b.template = r.template
  return b
}

const at = (path: string, id: string): string => `${path}/${encodeURIComponent(id)}`

export const listRules = (): Promise<Answer<'/v1/alert-rules'>> => request('GET', '/v1/alert-rules')
export const createRule = (body: RuleBody): Promise<Answer<'/v1/alert-rules', 'post'>> => request('POST', '/v1/alert-rules', body)
export const updateRule = (id: string, body: RuleBody): Promise<Answer<'/v1/alert-rules/{id}', 'put'>> => request('PUT', at('/v1/alert-rules', id), body)
export const deleteRule = (id: string): Promise<void> => request('DELETE', at('/v1/alert-rules', id))

export const listChannels = (): Promise<Answer<'/v1/notification-channels'>> => request('GET', '/v1/notification-channels')
export const createChannel = (body: ChannelBody): Promise<Answer<'/v1/notification-channels', 'post'>> => request('POST', '/v1/notification-channels', body)
/** A secret sent as `***` keeps its stored value. */
export const updateChannel = (id: string, body: ChannelBody): Promise<Answer<'/v1/notification-channels/{id}', 'put'>> => request('PUT', at('/v1/notification-channels', id), body)
export const deleteChannel = (id: string): Promise<void> => request('DELETE', at('/v1/notification-channels', id))
/** How a test notification sent now through the channel went: `ok`, or the failure's code and reason. */
export type ChannelTestOutcome = Answer<'/v1/notification-channels/{id}/test', 'post'>
export const testChannel = (id: string): Promise<ChannelTestOutcome> => request('POST', `${at('/v1/notification-channels', id)}/test`)

export const listPreferences = (): Promise<Answer<'/v1/notification-preferences'>> => request('GET', '/v1/notification-preferences')
export const createPreference = (body: PreferenceBody): Promise<Answer<'/v1/notification-preferences', 'post'>> => request('POST', '/v1/notification-preferences', body)
export const deletePreference = (id: string): Promise<void> => request('DELETE', at('/v1/notification-preferences', id))
