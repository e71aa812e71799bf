/**
 * Channel adapters: each turns one outbox item into one delivery on its channel type.
 * They throw DeliveryError on failure (retried by the delivery worker), and never log
 * a channel's URL or password.
 */
import type { ChannelType, NotificationChannel, OutboxItem } from '../alert.types.js'
import { DeliveryError } from './errors.js'

export interface ChannelSender {
  readonly type: ChannelType
  /** Delivers, or throws DeliveryError. Must give up by `signal`. */
  send(item: OutboxItem, channel: NotificationChannel, signal: AbortSignal): Promise<void>
  /** Releases connections (SMTP pools). */
  close?(): Promise<void>
}

/** Config keys that hold secrets: never logged, redacted in API answers. */
export const SECRET_KEYS: ReadonlySet<string> = new Set(['password', 'pass', 'secret', 'url', 'token'])
export const REDACTED = '***'

/** The channel as shown to users: secrets replaced by `***` (a webhook URL is a secret). */
export function redactChannel(c: NotificationChannel): NotificationChannel {
  const config: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(c.config)) config[k] = SECRET_KEYS.has(k) && v !== undefined && v !== '' ? REDACTED : v
  return { ...c, config }
}

/**
 * An error message with the channel's secret values (URL, password, signing secret) replaced by
 * `***`: some errors quote them (fetch names a URL that carries credentials).
 */
export function redactSecrets(message: string, c: NotificationChannel): string {
  let out = message
  for (const [k, v] of Object.entries(c.config)) if (SECRET_KEYS.has(k) && typeof v === 'string' && v.length >= 4) out = out.split(v).join(REDACTED)
  return out
}

/** Posts JSON; a non-2xx answer or a network error is a DeliveryError (4xx other than 408/429 are permanent). */
export async function postJson(url: string, body: unknown, headers: Record<string, string>, signal: AbortSignal, raw?: string): Promise<string> {
  let res: Response
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw ?? JSON.stringify(body), signal })
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } }
    const why = e.name === 'TimeoutError' || e.name === 'AbortError' ? 'timed out' : (e.cause?.code ?? e.message)
    throw new DeliveryError(`POST failed: ${why}`, false, { cause: err })
  }
  const text = await res.text().catch(() => '')
  if (res.status < 200 || res.status >= 300) {
    const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429
    throw new DeliveryError(`HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`, permanent)
  }
  return text
}

export function requireString(c: NotificationChannel, key: string): string {
  const v = c.config[key]
  if (typeof v !== 'string' || v === '') throw new DeliveryError(`channel ${c.id} has no ${key}`, true)
  return v
}
