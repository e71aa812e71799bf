/**
 * Alerting's plain data: rules, alerts, silences, notification channels and
 * preferences, and the outbox. No I/O here; see alert.store.ts for the port.
 * Timestamps are epoch milliseconds; durations carry their unit in the name.
 */

/**
 * Prediction kinds the rules react to, as published on the bus `predictions` topic by the
 * scoring stages (detectors, prognostic models) and the model registry. A stage that
 * publishes one of these kinds gets alerting for free.
 *
 * - `anomaly_score`: value in [0, 1] (or a score where higher is worse); `details.modelVersion` when known;
 *   predictions with `details.warmingUp: true` (a detector still learning the asset) are ignored.
 * - `health`: health index in [0, 1], 1 = as new.
 * - `rul_hours`: remaining useful life in hours.
 * - `forecast`: `value` is the forecast of `details.channel` at `details.horizonHours` ahead,
 *   `details.upper` its upper bound (used when present), `details.lower` its lower bound.
 * - `drift`: a drift score of a model's inputs (e.g. PSI); `details.model`, `details.feature`.
 * - `model_error`: a model failed on this asset; `value` counts failures, `details.error` says why.
 */
export const PREDICTION_KINDS = {
  anomalyScore: 'anomaly_score',
  health: 'health',
  rulHours: 'rul_hours',
  forecast: 'forecast',
  drift: 'drift',
  modelError: 'model_error',
} as const
export type PredictionKind = (typeof PREDICTION_KINDS)[keyof typeof PREDICTION_KINDS]

/** What a forecast prediction carries in `details`. */
export interface ForecastDetails {
  channel?: string
  horizonHours: number
  upper?: number
  lower?: number
  modelVersion?: string
}

export const RULE_KINDS = ['threshold', 'rate_of_change', 'anomaly_score', 'health', 'rul', 'forecast', 'staleness', 'drift', 'model_error'] as const
export type RuleKind = (typeof RULE_KINDS)[number]

export const SEVERITIES = ['info', 'warning', 'critical'] as const
export type Severity = (typeof SEVERITIES)[number]
export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s)

/** Where a rule applies. `tenant` covers every asset of the tenant. */
export type RuleScope = { kind: 'asset'; assetId: string } | { kind: 'asset_type'; assetType: string } | { kind: 'site'; siteId: string } | { kind: 'tenant' }

/** `above`: fires when the value rises to a level; `below`: when it falls to one. */
export type Direction = 'above' | 'below'

/**
 * An alert rule. Levels: `warning` and/or `critical` (at least one). Hysteresis: once
 * firing, the condition clears only when the value is back past the warning level by
 * `hysteresis` (in the value's unit).
 */
export interface Rule {
  id: string
  tenantId: string
  name: string
  kind: RuleKind
  scope: RuleScope
  enabled: boolean
  /** threshold / rate_of_change / staleness / forecast: a channel name (`temp`) or a feature (`temp.w60.mean`). */
  target?: string
  direction: Direction
  warning?: number
  critical?: number
  hysteresis: number
  /** The condition must hold this long before the alert opens (pending meanwhile). */
  forSec: number
  /** rate_of_change: the span the rate is measured over (units per second). */
  windowSec?: number
  /** staleness: no reading of `target` for this long. model_error: clears after this long without an error. */
  staleSec?: number
  /** forecast: breach when the forecast crosses the level within this many hours. */
  withinHours?: number
  /** Escalate an open alert nobody acknowledged after this long (0 = never). */
  escalateAfterMin: number
  /** Channels that get the escalation (besides the usual routes). */
  escalateChannelIds: string[]
  /** Prediction rules: only predictions of this source (model), when set. */
  source?: string
  /** Notification text; `{{field}}` takes alert fields (assetId, severity, value, threshold, ruleName, message …). */
  template?: string
  createdAt: number
  updatedAt: number
}

export type AlertState = 'pending' | 'open' | 'acknowledged' | 'resolved'

/** Why a value made the rule fire, kept with the alert. */
export interface Evidence {
  /** Recent values of the target, oldest first. */
  values: { ts: number; value: number }[]
  thresholds: { warning?: number; critical?: number; hysteresis: number; direction: Direction }
  channels: string[]
  modelVersion?: string
  source?: string
  /** Dashboard link to the asset's chart around the alert. */
  link: string
}

export interface Alert {
  id: string
  tenantId: string
  ruleId: string
  ruleName: string
  kind: RuleKind
  assetId: string
  siteId: string | null
  severity: Severity
  state: AlertState
  message: string
  value: number
  /** The level that was crossed. */
  threshold: number
  evidence: Evidence
  /** When the condition first held (pending since). */
  startedAt: number
  openedAt: number | null
  acknowledgedAt: number | null
  acknowledgedBy: string | null
  resolvedAt: number | null
  resolvedBy: string | null
  escalatedAt: number | null
  /** Opened often in a short time: held open until calm for a while, notified once. */
  flapping: boolean
  /** Notifications held back by a silence (the alert itself is kept). */
  silenced: boolean
  updatedAt: number
}

/** What changed in an alert; these are what get notified and published. */
export type TransitionKind = 'opened' | 'severity_changed' | 'acknowledged' | 'resolved' | 'escalated' | 'unsilenced'

export interface Transition {
  kind: TransitionKind
  alert: Alert
  ts: number
}

/**
 * A silence holds back notifications of matching alerts; a maintenance window also keeps
 * them from opening at all. Matches by asset or site (and optionally one rule).
 */
export interface Silence {
  id: string
  tenantId: string
  kind: 'silence' | 'maintenance'
  assetId: string | null
  siteId: string | null
  ruleId: string | null
  startsAt: number
  endsAt: number
  reason: string
  createdBy: string
  createdAt: number
}

export const CHANNEL_TYPES = ['email', 'slack', 'teams', 'webhook'] as const
export type ChannelType = (typeof CHANNEL_TYPES)[number]

/**
 * A notification channel. `config` holds its address and secrets:
 * email `{host, port, secure?, user?, password?, from, to: string[]}`,
 * slack/teams `{url}`, webhook `{url, secret}` (HMAC-SHA256 key).
 */
export interface NotificationChannel {
  id: string
  tenantId: string
  name: string
  type: ChannelType
  config: Record<string, unknown>
  enabled: boolean
  /** Gets every alert at or above `minSeverity` (besides what preferences route to it). */
  subscribeAll: boolean
  minSeverity: Severity
  /** Notifications per minute at most; the rest wait (never dropped). */
  rateLimitPerMin: number
  createdAt: number
}

/** Per user or per role: which severities, on which channels, and when not (quiet hours). */
export interface NotificationPreference {
  id: string
  tenantId: string
  userId: string | null
  role: string | null
  severities: Severity[]
  channelIds: string[]
  /** E-mail recipients for email channels. */
  emails: string[]
  /** Local `HH:MM`–`HH:MM` in `timezone`; only critical alerts get through meanwhile. */
  quietHours: { start: string; end: string; timezone: string } | null
  createdAt: number
}

export type OutboxStatus = 'pending' | 'delivered' | 'dead'

/** What one send came to: on failure, a stable `code` and the `reason` (never a URL or a password), and whether a retry could pass. */
export type DeliveryOutcome = { ok: true; latencyMs: number } | { ok: false; code: string; reason: string; permanent: boolean; latencyMs: number }

/** One notification to deliver on one channel: a group of transitions of one site. */
export interface NotificationPayload {
  tenantId: string
  siteId: string | null
  /** email recipients (email channels). */
  to: string[]
  subject: string
  text: string
  transitions: { kind: TransitionKind; ts: number; alert: Alert }[]
  escalation: boolean
  /** A test a user sent from the settings page (no transitions): receivers may ignore it. */
  test?: boolean
}

export interface OutboxItem {
  id: string
  tenantId: string
  channelId: string
  /** Stable across retries and restarts: a receiver that honours it applies the notification once. */
  idempotencyKey: string
  payload: NotificationPayload
  status: OutboxStatus
  attempts: number
  nextAttemptAt: number
  leaseUntil: number | null
  lastError: string | null
  createdAt: number
  deliveredAt: number | null
}
