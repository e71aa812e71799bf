/**
 * The MQTT topic scheme. Pure: strings in, plain data out.
 *
 *   <root>/<site>/<asset>/telemetry   devices publish wide records here
 *   <root>/<tenant>/errors            Prognos reports bad input of the tenant's devices here
 */
import { ASSET_ID_PATTERN } from '../records.parse.js'

export const DEFAULT_TOPIC_ROOT = 'prognos'
/** Site segment of an asset that belongs to no site. Never a site id: ids start with a letter or digit. */
export const NO_SITE = '-'

const TELEMETRY = 'telemetry'
const ERRORS = 'errors'

export interface TelemetryTopic {
  /** Null when the topic's site segment is NO_SITE. */
  siteId: string | null
  assetId: string
}

/** True for a usable topic root: one or more non-empty levels without wildcards, not under `$`. */
export function isValidTopicRoot(root: string): boolean {
  return root.length > 0 && !root.startsWith('$') && !/[+#]/.test(root) && !root.includes('\u0000') && root.split('/').every((l) => l.length > 0)
}

/** Site and asset of `<root>/<site>/<asset>/telemetry`, or null for any other topic. */
export function parseTelemetryTopic(topic: string, root: string = DEFAULT_TOPIC_ROOT): TelemetryTopic | null {
  if (!topic.startsWith(root) || topic.charCodeAt(root.length) !== 47 /* / */) return null
  const rest = topic.slice(root.length + 1).split('/')
  if (rest.length !== 3 || rest[2] !== TELEMETRY) return null
  const [site, asset] = rest as [string, string, string]
  if (!ASSET_ID_PATTERN.test(asset)) return null
  if (site === NO_SITE) return { siteId: null, assetId: asset }
  return ASSET_ID_PATTERN.test(site) ? { siteId: site, assetId: asset } : null
}

/**
 * Under `root` and ending in the telemetry level: every telemetry topic, and no error topic.
 * A cheap test (no split) for paths that see every message.
 */
export function endsInTelemetry(topic: string, root: string = DEFAULT_TOPIC_ROOT): boolean {
  return topic.endsWith(`/${TELEMETRY}`) && topic.startsWith(root) && topic.charCodeAt(root.length) === 47 /* / */
}

/** The topic a device publishes an asset's telemetry to. */
export function telemetryTopic(siteId: string | null, assetId: string, root: string = DEFAULT_TOPIC_ROOT): string {
  return `${root}/${siteId ?? NO_SITE}/${assetId}/${TELEMETRY}`
}

/** The subscription that matches every telemetry topic. */
export function telemetryFilter(root: string = DEFAULT_TOPIC_ROOT): string {
  return `${root}/+/+/${TELEMETRY}`
}

/** Where bad input of a tenant's devices is reported. */
export function errorTopic(tenantId: string, root: string = DEFAULT_TOPIC_ROOT): string {
  return `${root}/${tenantId}/${ERRORS}`
}
