/**
 * Typed client for alerting (/v1/alerts, /v1/silences): see README "Alerting and notifications"
 * and src/api/alerts.routes.ts. Session handling is api.ts's.
 *
 * Request bodies come from the server's OpenAPI document (api.types.ts). The alert and silence
 * answers are written out (in ops.ts and here): their route schemas allow any fields, so the
 * document does not describe them.
 */
import { queryString, request } from './api'
import type { RequestBody } from './api.types'
import type { Alert, AlertQuery } from './ops'

export { SEVERITIES, STATE_FILTERS } from './ops'
export type { Alert, AlertQuery, AlertState, Evidence, LiveAlertEvent, Severity, StateFilter } from './ops'

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
export const createSilence = (body: Omit<RequestBody<'/v1/silences', 'post'>, 'kind'> & { assetId: string }): Promise<Silence> =>
  request('POST', '/v1/silences', { kind: 'silence', ...body })
export const deleteSilence = (id: string): Promise<void> => request('DELETE', `/v1/silences/${encodeURIComponent(id)}`)
