import nodemailer, { type Transporter } from 'nodemailer'
import type { NotificationChannel, OutboxItem } from '../alert.types.js'
import { DeliveryError } from './errors.js'
import { requireString, type ChannelSender } from './channel.js'

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
const COLOUR: Record<string, string> = { critical: '#d32f2f', warning: '#f57c00', info: '#1976d2' }

/** The HTML body: one row per transition with its value, threshold and chart link. */
export function emailHtml(item: OutboxItem): string {
  const rows = item.payload.transitions
    .map(
      (t) =>
        `<tr><td style="color:${COLOUR[t.alert.severity]}"><b>${esc(t.alert.severity.toUpperCase())}</b></td><td>${esc(t.kind.replace('_', ' '))}</td><td>${esc(t.alert.assetId)}</td><td>${esc(t.alert.message)}</td><td>${esc(String(t.alert.value))}</td><td>${esc(String(t.alert.threshold))}</td><td><a href="${esc(t.alert.evidence.link)}">chart</a></td></tr>`,
    )
    .join('')
  return `<!doctype html><html><body><h2>${esc(item.payload.subject)}</h2><table border="1" cellpadding="4" cellspacing="0"><tr><th>Severity</th><th>Change</th><th>Asset</th><th>Alert</th><th>Value</th><th>Threshold</th><th></th></tr>${rows}</table></body></html>`
}

interface Cached {
  signature: string
  transport: Transporter
}

/**
 * E-mail over SMTP with nodemailer, HTML and text. Channel config: `host`, `port`,
 * `secure` (TLS from the start), `user`/`password`, `from`; recipients come with the item.
 * The idempotency key becomes the Message-ID, so a resend after a crash can be told apart.
 */
export class SmtpSender implements ChannelSender {
  readonly type = 'email' as const
  private readonly transports = new Map<string, Cached>()

  constructor(private readonly opts: { timeoutMs: number }) {}

  private transport(c: NotificationChannel): Transporter {
    const cfg = c.config
    const signature = JSON.stringify([cfg.host, cfg.port, cfg.secure, cfg.user, cfg.password, cfg.ignoreTls])
    const hit = this.transports.get(c.id)
    if (hit && hit.signature === signature) return hit.transport
    hit?.transport.close()
    const transport = nodemailer.createTransport({
      host: requireString(c, 'host'),
      port: typeof cfg.port === 'number' ? cfg.port : 25,
      secure: cfg.secure === true,
      ignoreTLS: cfg.ignoreTls === true,
      ...(typeof cfg.user === 'string' ? { auth: { user: cfg.user, pass: typeof cfg.password === 'string' ? cfg.password : '' } } : {}),
      connectionTimeout: this.opts.timeoutMs,
      greetingTimeout: this.opts.timeoutMs,
      socketTimeout: this.opts.timeoutMs,
      logger: false,
    })
    this.transports.set(c.id, { signature, transport })
    return transport
  }

  async send(item: OutboxItem, channel: NotificationChannel, signal: AbortSignal): Promise<void> {
    if (item.payload.to.length === 0) throw new DeliveryError('no recipients', true)
    const from = requireString(channel, 'from')
    const transport = this.transport(channel)
    const sending = transport.sendMail({
      from,
      to: item.payload.to,
      subject: item.payload.subject,
      text: item.payload.text,
      html: emailHtml(item),
      messageId: `<${item.idempotencyKey}@prognos>`,
      headers: { 'X-Prognos-Idempotency-Key': item.idempotencyKey },
    })
    const aborted = new Promise<never>((_, reject) => {
      const fail = (): void => reject(new DeliveryError('SMTP timed out'))
      if (signal.aborted) fail()
      else signal.addEventListener('abort', fail, { once: true })
    })
    try {
      await Promise.race([sending, aborted])
    } catch (err) {
      if (err instanceof DeliveryError) throw err
      const e = err as { responseCode?: number; code?: string; message?: string }
      // 5xx SMTP answers are permanent refusals (unknown mailbox …); the rest may pass later.
      const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500
      throw new DeliveryError(`SMTP ${e.responseCode ?? e.code ?? ''} ${e.message ?? ''}`.trim(), permanent, { cause: err })
    }
  }

  async close(): Promise<void> {
    for (const c of this.transports.values()) c.transport.close()
    this.transports.clear()
  }
}
