import type { NotificationChannel, OutboxItem } from '../alert.types.js'
import { postJson, requireString, type ChannelSender } from './channel.js'

const EMOJI: Record<string, string> = { critical: ':red_circle:', warning: ':large_orange_circle:', info: ':large_blue_circle:' }

/** The Slack incoming-webhook message: a text fallback and one section block per transition. */
export function slackMessage(item: OutboxItem): Record<string, unknown> {
  const p = item.payload
  return {
    text: p.subject,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: p.subject.slice(0, 150) } },
      ...p.transitions.slice(0, 45).map((t) => ({
        type: 'section',
        text: { type: 'mrkdwn', text: `${EMOJI[t.alert.severity] ?? ''} *${t.kind.replace('_', ' ')}* ${t.alert.message}\n<${t.alert.evidence.link}|chart>` },
      })),
    ],
  }
}

/** Slack incoming webhooks (`config.url`). */
export class SlackSender implements ChannelSender {
  readonly type = 'slack' as const
  async send(item: OutboxItem, channel: NotificationChannel, signal: AbortSignal): Promise<void> {
    await postJson(requireString(channel, 'url'), slackMessage(item), {}, signal)
  }
}
