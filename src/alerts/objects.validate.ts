/**
 * Validation of the alerting objects other than rules: silences, notification channels
 * and preferences. Each returns the problems with their field; empty means fine.
 */
import { CHANNEL_TYPES, SEVERITIES, type ChannelType, type NotificationChannel, type NotificationPreference, type Severity, type Silence } from './alert.types.js'
import type { RuleProblem } from './errors.js'

/** The longest "silence this alert" (30 days); longer ones are silences of the asset or site. */
export const SILENCE_MAX_HOURS = 720

export interface SilenceInput {
  kind?: 'silence' | 'maintenance'
  assetId?: string | null
  siteId?: string | null
  ruleId?: string | null
  startsAt?: number
  endsAt: number
  reason?: string
}

export function silenceProblems(s: SilenceInput, known: { asset(id: string): boolean; site(id: string): boolean; rule(id: string): boolean }, now: number): RuleProblem[] {
  const p: RuleProblem[] = []
  if (s.kind !== undefined && s.kind !== 'silence' && s.kind !== 'maintenance') p.push({ field: 'kind', reason: "must be 'silence' or 'maintenance'" })
  if (!s.assetId && !s.siteId) p.push({ field: 'assetId', reason: 'a silence covers an asset or a site: give assetId or siteId' })
  if (s.assetId && !known.asset(s.assetId)) p.push({ field: 'assetId', reason: `unknown asset '${s.assetId}'` })
  if (s.siteId && !known.site(s.siteId)) p.push({ field: 'siteId', reason: `unknown site '${s.siteId}'` })
  if (s.ruleId && !known.rule(s.ruleId)) p.push({ field: 'ruleId', reason: `unknown rule '${s.ruleId}'` })
  const starts = s.startsAt ?? now
  if (!Number.isFinite(s.endsAt) || s.endsAt <= starts) p.push({ field: 'endsAt', reason: 'must be after startsAt (epoch ms)' })
  return p
}

export function buildSilence(s: SilenceInput, meta: { id: string; tenantId: string; by: string; now: number }): Silence {
  return {
    id: meta.id,
    tenantId: meta.tenantId,
    kind: s.kind ?? 'silence',
    assetId: s.assetId ?? null,
    siteId: s.siteId ?? null,
    ruleId: s.ruleId ?? null,
    startsAt: s.startsAt ?? meta.now,
    endsAt: s.endsAt,
    reason: s.reason ?? '',
    createdBy: meta.by,
    createdAt: meta.now,
  }
}

export interface ChannelInput {
  name: string
  type: ChannelType
  config: Record<string, unknown>
  enabled?: boolean
  subscribeAll?: boolean
  minSeverity?: Severity
  rateLimitPerMin?: number
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/
const httpUrl = (v: unknown): boolean => {
  if (typeof v !== 'string') return false
  try {
    const u = new URL(v)
    return u.protocol === 'http:' || u.protocol === 'https:'
  } catch {
    return false
  }
}

const hasCredentials = (v: string): boolean => {
  const u = new URL(v)
  return u.username !== '' || u.password !== ''
}

export function channelProblems(c: ChannelInput): RuleProblem[] {
  const p: RuleProblem[] = []
  if (!CHANNEL_TYPES.includes(c.type)) return [{ field: 'type', reason: `must be one of ${CHANNEL_TYPES.join(', ')}` }]
  const cfg = c.config ?? {}
  switch (c.type) {
    case 'email': {
      if (typeof cfg.host !== 'string' || cfg.host === '') p.push({ field: 'config.host', reason: 'the SMTP server host is required' })
      if (cfg.port !== undefined && !(Number.isInteger(cfg.port) && (cfg.port as number) > 0 && (cfg.port as number) < 65536)) p.push({ field: 'config.port', reason: 'must be a port number' })
      if (typeof cfg.from !== 'string' || !EMAIL.test(cfg.from.replace(/^.*<(.+)>$/, '$1'))) p.push({ field: 'config.from', reason: 'a sender address is required' })
      if (cfg.to !== undefined && (!Array.isArray(cfg.to) || cfg.to.some((a) => typeof a !== 'string' || !EMAIL.test(a)))) p.push({ field: 'config.to', reason: 'must be a list of e-mail addresses' })
      break
    }
    case 'slack':
    case 'teams':
    case 'webhook':
      if (!httpUrl(cfg.url)) p.push({ field: 'config.url', reason: 'an http(s) URL is required' })
      // fetch refuses a URL with credentials, so such a channel could never deliver.
      else if (hasCredentials(cfg.url as string)) p.push({ field: 'config.url', reason: 'must not hold a user name or password (they are never sent): use a token in the path or query, or the webhook secret' })
      if (c.type === 'webhook' && cfg.secret !== undefined && (typeof cfg.secret !== 'string' || cfg.secret.length < 16)) p.push({ field: 'config.secret', reason: 'the signing secret must be 16 characters or more' })
      break
  }
  if (c.minSeverity !== undefined && !SEVERITIES.includes(c.minSeverity)) p.push({ field: 'minSeverity', reason: `must be one of ${SEVERITIES.join(', ')}` })
  if (c.rateLimitPerMin !== undefined && !(Number.isInteger(c.rateLimitPerMin) && c.rateLimitPerMin >= 0)) p.push({ field: 'rateLimitPerMin', reason: 'must be a whole number, 0 for none' })
  return p
}

/** Default notifications per minute per channel. */
export const DEFAULT_CHANNEL_RATE_PER_MIN = 60

export function buildChannel(c: ChannelInput, meta: { id: string; tenantId: string; now: number; createdAt?: number }): NotificationChannel {
  return {
    id: meta.id,
    tenantId: meta.tenantId,
    name: c.name,
    type: c.type,
    config: c.config ?? {},
    enabled: c.enabled ?? true,
    subscribeAll: c.subscribeAll ?? true,
    minSeverity: c.minSeverity ?? 'warning',
    rateLimitPerMin: c.rateLimitPerMin ?? DEFAULT_CHANNEL_RATE_PER_MIN,
    createdAt: meta.createdAt ?? meta.now,
  }
}

export interface PreferenceInput {
  userId?: string | null
  role?: string | null
  severities?: Severity[]
  channelIds: string[]
  emails?: string[]
  quietHours?: { start: string; end: string; timezone: string } | null
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/

export function preferenceProblems(p: PreferenceInput, known: { user(id: string): boolean; channel(id: string): boolean; zone(tz: string): boolean }): RuleProblem[] {
  const out: RuleProblem[] = []
  if (!p.userId === !p.role) out.push({ field: 'userId', reason: 'a preference belongs to one user (userId) or one role (role)' })
  if (p.userId && !known.user(p.userId)) out.push({ field: 'userId', reason: `unknown user '${p.userId}'` })
  if (p.role && !['admin', 'operator', 'viewer', 'ingest'].includes(p.role)) out.push({ field: 'role', reason: 'must be admin, operator, viewer or ingest' })
  for (const s of p.severities ?? []) if (!SEVERITIES.includes(s)) out.push({ field: 'severities', reason: `unknown severity '${String(s)}'` })
  for (const id of p.channelIds ?? []) if (!known.channel(id)) out.push({ field: 'channelIds', reason: `unknown notification channel '${id}'` })
  for (const e of p.emails ?? []) if (!EMAIL.test(e)) out.push({ field: 'emails', reason: `'${e}' is not an e-mail address` })
  const q = p.quietHours
  if (q) {
    if (!HHMM.test(q.start)) out.push({ field: 'quietHours.start', reason: 'must be HH:MM' })
    if (!HHMM.test(q.end)) out.push({ field: 'quietHours.end', reason: 'must be HH:MM' })
    if (!known.zone(q.timezone)) out.push({ field: 'quietHours.timezone', reason: `'${q.timezone}' is not an IANA time zone` })
  }
  return out
}

export function buildPreference(p: PreferenceInput, meta: { id: string; tenantId: string; now: number }): NotificationPreference {
  return {
    id: meta.id,
    tenantId: meta.tenantId,
    userId: p.userId ?? null,
    role: p.role ?? null,
    severities: p.severities ?? ['warning', 'critical'],
    channelIds: p.channelIds ?? [],
    emails: p.emails ?? [],
    quietHours: p.quietHours ?? null,
    createdAt: meta.now,
  }
}
