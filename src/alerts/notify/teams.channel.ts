import type { NotificationChannel, OutboxItem } from '../alert.types.js'
import { postJson, requireString, type ChannelSender } from './channel.js'

const COLOUR: Record<string, string> = { critical: 'D32F2F', warning: 'F57C00', info: '1976D2' }

/** A Microsoft Teams incoming-webhook MessageCard: one section per transition with its facts. */
export function teamsCard(item: OutboxItem): Record<string, unknown> {
  const p = item.payload
  const worst = p.transitions.some((t) => t.alert.severity === 'critical') ? 'critical' : p.transitions.some((t) => t.alert.severity === 'warning') ? 'warning' : 'info'
  return {
    '@type': 'MessageCard',
    '@context': 'https://schema.org/extensions',
    summary: p.subject,
    themeColor: COLOUR[worst],
    title: p.subject,
    sections: p.transitions.map((t) => ({
      activityTitle: `${t.kind.replace('_', ' ')}: ${t.alert.ruleName}`,
      text: t.alert.message,
      facts: [
        { name: 'Asset', value: t.alert.assetId },
        { name: 'Severity', value: t.alert.severity },
        { name: 'Value', value: String(t.alert.value) },
        { name: 'Threshold', value: String(t.alert.threshold) },
      ],
      potentialAction: [{ '@type': 'OpenUri', name: 'Chart', targets: [{ os: 'default', uri: t.alert.evidence.link }] }],
    })),
  }
}

/** Microsoft Teams incoming webhooks (`config.url`). */
export class TeamsSender implements ChannelSender {
  readonly type = 'teams' as const
  async send(item: OutboxItem, channel: NotificationChannel, signal: AbortSignal): Promise<void> {
    await postJson(requireString(channel, 'url'), teamsCard(item), {}, signal)
  }
}
