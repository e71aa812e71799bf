import { createHmac } from 'node:crypto'
import type { NotificationChannel, OutboxItem } from '../alert.types.js'
import { postJson, requireString, type ChannelSender } from './channel.js'

export const SIGNATURE_HEADER = 'x-prognos-signature'
export const TIMESTAMP_HEADER = 'x-prognos-timestamp'
export const IDEMPOTENCY_HEADER = 'idempotency-key'

/** The signature a receiver recomputes: HMAC-SHA256 over `<timestamp>.<body>` with the channel secret, hex. */
export function signBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

/** The JSON a generic webhook receives. */
export function webhookBody(item: OutboxItem): Record<string, unknown> {
  const p = item.payload
  return { idempotencyKey: item.idempotencyKey, tenantId: p.tenantId, siteId: p.siteId, subject: p.subject, text: p.text, escalation: p.escalation, transitions: p.transitions, ...(p.test ? { test: true } : {}) }
}

/**
 * A generic JSON webhook: `Idempotency-Key` (stable across retries and restarts),
 * `X-Prognos-Timestamp` and `X-Prognos-Signature: sha256=<hex>`.
 */
export class WebhookSender implements ChannelSender {
  readonly type = 'webhook' as const
  async send(item: OutboxItem, channel: NotificationChannel, signal: AbortSignal): Promise<void> {
    const url = requireString(channel, 'url')
    const raw = JSON.stringify(webhookBody(item))
    const ts = String(Date.now())
    const headers: Record<string, string> = { [IDEMPOTENCY_HEADER]: item.idempotencyKey, [TIMESTAMP_HEADER]: ts }
    const secret = channel.config.secret
    if (typeof secret === 'string' && secret !== '') headers[SIGNATURE_HEADER] = signBody(secret, ts, raw)
    await postJson(url, null, headers, signal, raw)
  }
}
