/**
 * What the MQTT ingest reports about itself. Pass `onEvent` to feed metrics (prom-client
 * or anything else); `MqttIngestStats` is one such consumer and is always attached.
 */
import type { MqttErrorReport, MqttIngestFailedError } from './errors.js'

export type MqttIngestEvent =
  /** A device authenticated on the embedded broker. */
  | { type: 'client_connected'; tenantId: string; keyId: string; clientId: string }
  | { type: 'client_disconnected'; tenantId: string; keyId: string; clientId: string }
  /** A CONNECT was refused (bad credentials, a key without the ingest permission, a revoked key). */
  | { type: 'auth_failed'; clientId: string; username: string | null; reason: string }
  /** One commit: `messages` messages of one tenant stored `records` records holding `readings` readings, `duplicates` of them already stored (resent). */
  | { type: 'ingested'; tenantId: string; messages: number; records: number; readings: number; duplicates: number }
  /** Bad input: acknowledged (sending it again would not help) and reported on the tenant error topic. */
  | { type: 'rejected'; tenantId: string; report: MqttErrorReport }
  /** A publish outside what the device may do (topic ACL): refused and reported on the tenant error topic. */
  | { type: 'denied'; tenantId: string; clientId: string | null; report: MqttErrorReport }
  | { type: 'subscribe_denied'; tenantId: string; clientId: string; topic: string }
  /** Storing failed; the message was not acknowledged, so a QoS 1 publisher sends it again. */
  | { type: 'failed'; tenantId: string; topic: string; error: MqttIngestFailedError }
  /** Every in-flight slot is taken: acknowledgements (and reading from sockets) slow down until one frees. */
  | { type: 'saturated'; inFlight: number }
  /** State of the connection to an external broker. */
  | { type: 'upstream'; state: 'connected' | 'reconnecting' | 'offline' | 'error'; url: string; error?: Error }

/** Counters of one tenant since start. */
export interface MqttTenantStats {
  /** Messages that stored at least one record. */
  storedMessages: number
  records: number
  readings: number
  /** Of `readings`, those already stored (a device resending what it got no acknowledgement for). */
  duplicates: number
  /** Records refused inside otherwise readable messages. */
  refusedRecords: number
  /** Messages reported as bad input, by code (MQTT_PAYLOAD_NOT_JSON, MQTT_RECORDS_REFUSED, …). */
  rejected: Record<string, number>
  /** Publishes refused by the topic ACL. */
  denied: number
  /** Messages left unacknowledged because storing failed. */
  failed: number
}

const empty = (): MqttTenantStats => ({ storedMessages: 0, records: 0, readings: 0, duplicates: 0, refusedRecords: 0, rejected: {}, denied: 0, failed: 0 })

/**
 * Per-tenant counters of MQTT ingest, fed by events.
 *
 * @example
 * const stats = new MqttIngestStats()
 * stats.onEvent({ type: 'ingested', tenantId: 'default', messages: 1, records: 1, readings: 10, duplicates: 0 })
 * stats.tenant('default').readings // 10
 */
export class MqttIngestStats {
  private readonly byTenant = new Map<string, MqttTenantStats>()

  private of(tenantId: string): MqttTenantStats {
    let s = this.byTenant.get(tenantId)
    if (!s) this.byTenant.set(tenantId, (s = empty()))
    return s
  }

  /** A copy of one tenant's counters (zeros for a tenant never seen). */
  tenant(tenantId: string): MqttTenantStats {
    const s = this.byTenant.get(tenantId) ?? empty()
    return { ...s, rejected: { ...s.rejected } }
  }

  /** A copy of every tenant's counters. */
  snapshot(): Record<string, MqttTenantStats> {
    const out: Record<string, MqttTenantStats> = {}
    for (const id of this.byTenant.keys()) out[id] = this.tenant(id)
    return out
  }

  onEvent = (e: MqttIngestEvent): void => {
    switch (e.type) {
      case 'ingested': {
        const s = this.of(e.tenantId)
        s.storedMessages += e.messages
        s.records += e.records
        s.readings += e.readings
        s.duplicates += e.duplicates
        break
      }
      case 'rejected': {
        const s = this.of(e.tenantId)
        s.rejected[e.report.code] = (s.rejected[e.report.code] ?? 0) + 1
        if (e.report.details) s.refusedRecords += e.report.details.refusedCount
        break
      }
      case 'denied':
        this.of(e.tenantId).denied++
        break
      case 'failed':
        this.of(e.tenantId).failed++
        break
      case 'client_connected':
      case 'client_disconnected':
      case 'auth_failed':
      case 'subscribe_denied':
      case 'saturated':
      case 'upstream':
        break
    }
  }
}
