import { createHmac } from 'node:crypto'
import type { RegistryEvent } from './registry.service.js'

export type WebhookEvent = { type: 'delivered'; url: string; event: string; attempts: number } | { type: 'failed'; url: string; event: string; attempts: number; error: unknown }

export interface WebhookOptions {
  urls: readonly string[]
  /** HMAC-SHA256 key: bodies are signed in `X-Prognos-Signature: sha256=<hex>`. */
  secret?: string
  attempts?: number
  timeoutMs?: number
  /** Delay before retry n (1-based). */
  backoffMs?: (attempt: number) => number
  onEvent?: (e: WebhookEvent) => void
}

/** The webhook name of a registry event. */
export function webhookEventName(e: RegistryEvent): string {
  switch (e.type) {
    case 'version.created':
      return 'version.created'
    case 'drift.detected':
      return 'drift.detected'
    case 'deployment.changed':
      return e.deployment.action === 'promote' ? 'version.promoted' : e.deployment.action === 'rollback' ? 'deployment.rolled_back' : `deployment.${e.deployment.action}`
  }
}

/**
 * Sends registry events to the configured URLs as JSON POSTs, signed when a secret is set,
 * retried with back-off. Delivery runs in the background and never fails the change itself.
 */
export class WebhookNotifier {
  private readonly inFlight = new Set<Promise<void>>()

  constructor(private readonly opts: WebhookOptions) {}

  notify(e: RegistryEvent): void {
    if (this.opts.urls.length === 0) return
    const event = webhookEventName(e)
    const body = JSON.stringify({ event, sentAt: Date.now(), ...e })
    for (const url of this.opts.urls) {
      const p = this.deliver(url, event, body).finally(() => this.inFlight.delete(p))
      this.inFlight.add(p)
    }
  }

  private async deliver(url: string, event: string, body: string): Promise<void> {
    const attempts = this.opts.attempts ?? 3
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-prognos-event': event }
    if (this.opts.secret) headers['x-prognos-signature'] = `sha256=${createHmac('sha256', this.opts.secret).update(body).digest('hex')}`
    let lastError: unknown
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 5000) })
        if (res.ok) {
          this.opts.onEvent?.({ type: 'delivered', url, event, attempts: attempt })
          return
        }
        lastError = new Error(`HTTP ${res.status}`)
      } catch (err) {
        lastError = err
      }
      if (attempt < attempts) await new Promise((r) => setTimeout(r, (this.opts.backoffMs ?? ((n) => 500 * 4 ** (n - 1)))(attempt)))
    }
    this.opts.onEvent?.({ type: 'failed', url, event, attempts, error: lastError })
  }

  /** Resolves when every delivery started so far has ended. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight])
  }
}
