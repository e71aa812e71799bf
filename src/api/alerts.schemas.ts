/**
 * Response schemas of the alerting routes (alerts.routes.ts): the shapes of src/alerts/alert.types.ts
 * as the API shows them. They document /openapi.json (and so the dashboard's generated types) and
 * serialize the answers: a field missing here is dropped from the answer, so each follows its type
 * field for field.
 */
import { Type, type TSchema } from '@sinclair/typebox'
import { CHANNEL_TYPES, RULE_KINDS, SEVERITIES } from '../alerts/alert.types.js'

const literals = <T extends string>(xs: readonly T[]) => Type.Union(xs.map((x) => Type.Literal(x)))
const OrNull = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()])
const Str = Type.String()
const Num = Type.Number()
const Ms = Type.Number({ description: 'epoch ms' })

export const SeveritySchema = literals(SEVERITIES)
export const RuleKindSchema = literals(RULE_KINDS)
export const AlertStateSchema = literals(['pending', 'open', 'acknowledged', 'resolved'] as const)
const Direction = literals(['above', 'below'] as const)

export const EvidenceSchema = Type.Object({
  values: Type.Array(Type.Object({ ts: Ms, value: Num }), { description: 'recent values of the target, oldest first' }),
  thresholds: Type.Object({ warning: Type.Optional(Num), critical: Type.Optional(Num), hysteresis: Num, direction: Direction }),
  channels: Type.Array(Str),
  modelVersion: Type.Optional(Str),
  source: Type.Optional(Str),
  link: Type.String({ description: "dashboard link to the asset's chart around the alert" }),
})

export const AlertSchema = Type.Object({
  id: Str,
  tenantId: Str,
  ruleId: Str,
  ruleName: Str,
  kind: RuleKindSchema,
  assetId: Str,
  siteId: OrNull(Str),
  severity: SeveritySchema,
  state: AlertStateSchema,
  message: Str,
  value: Num,
  threshold: Type.Number({ description: 'the level that was crossed' }),
  evidence: EvidenceSchema,
  startedAt: Type.Number({ description: 'epoch ms: when the condition first held (pending since)' }),
  openedAt: OrNull(Ms),
  acknowledgedAt: OrNull(Ms),
  acknowledgedBy: OrNull(Str),
  resolvedAt: OrNull(Ms),
  resolvedBy: OrNull(Str),
  escalatedAt: OrNull(Ms),
  flapping: Type.Boolean({ description: 'opened often in a short time: held open until calm, notified once' }),
  silenced: Type.Boolean({ description: 'notifications held back by a silence (the alert itself is kept)' }),
  updatedAt: Ms,
})

export const SilenceSchema = Type.Object({
  id: Str,
  tenantId: Str,
  kind: literals(['silence', 'maintenance'] as const),
  assetId: OrNull(Str),
  siteId: OrNull(Str),
  ruleId: OrNull(Str),
  startsAt: Ms,
  endsAt: Ms,
  reason: Str,
  createdBy: Str,
  createdAt: Ms,
})

export const RuleScopeSchema = Type.Union([
  Type.Object({ kind: Type.Literal('asset'), assetId: Str }),
  Type.Object({ kind: Type.Literal('asset_type'), assetType: Str }),
  Type.Object({ kind: Type.Literal('site'), siteId: Str }),
  Type.Object({ kind: Type.Literal('tenant') }),
])

export const RuleSchema = Type.Object({
  id: Str,
  tenantId: Str,
  name: Str,
  kind: RuleKindSchema,
  scope: RuleScopeSchema,
  enabled: Type.Boolean(),
  target: Type.Optional(Type.String({ description: 'a channel name or a feature (temp.w60.mean)' })),
  direction: Direction,
  warning: Type.Optional(Num),
  critical: Type.Optional(Num),
  hysteresis: Num,
  forSec: Num,
  windowSec: Type.Optional(Num),
  staleSec: Type.Optional(Num),
  withinHours: Type.Optional(Num),
  escalateAfterMin: Type.Number({ description: '0 = never' }),
  escalateChannelIds: Type.Array(Str),
  source: Type.Optional(Str),
  template: Type.Optional(Str),
  createdAt: Ms,
  updatedAt: Ms,
})

/** A rule as written (what apply takes back; src/alerts/rule.validate.ts ruleToInput). */
export const RuleInputSchema = Type.Object({
  id: Type.Optional(Str),
  name: Type.Optional(Str),
  kind: Type.Optional(Str),
  scope: Type.Optional(Type.Union([Type.Object({ assetId: Type.Optional(Str), assetType: Type.Optional(Str), siteId: Type.Optional(Str) }), Type.Literal('tenant')])),
  enabled: Type.Optional(Type.Boolean()),
  target: Type.Optional(Str),
  direction: Type.Optional(Str),
  warning: Type.Optional(Num),
  critical: Type.Optional(Num),
  hysteresis: Type.Optional(Num),
  for: Type.Optional(Type.Union([Num, Str])),
  window: Type.Optional(Type.Union([Num, Str])),
  stale: Type.Optional(Type.Union([Num, Str])),
  withinHours: Type.Optional(Num),
  escalateAfter: Type.Optional(Type.Union([Num, Str])),
  escalateChannelIds: Type.Optional(Type.Array(Str)),
  source: Type.Optional(Str),
  template: Type.Optional(Str),
})

export const NotificationChannelSchema = Type.Object({
  id: Str,
  tenantId: Str,
  name: Str,
  type: literals(CHANNEL_TYPES),
  config: Type.Record(Type.String(), Type.Unknown(), {
    description: 'email: host, port, secure, user, password, from, to; slack/teams: url; webhook: url, secret. Secrets come back as ***.',
  }),
  enabled: Type.Boolean(),
  subscribeAll: Type.Boolean(),
  minSeverity: SeveritySchema,
  rateLimitPerMin: Num,
  createdAt: Ms,
})

export const NotificationPreferenceSchema = Type.Object({
  id: Str,
  tenantId: Str,
  userId: OrNull(Str),
  role: OrNull(Str),
  severities: Type.Array(SeveritySchema),
  channelIds: Type.Array(Str),
  emails: Type.Array(Str),
  quietHours: OrNull(Type.Object({ start: Str, end: Str, timezone: Str })),
  createdAt: Ms,
})

export const DeadLetterSchema = Type.Object({
  id: Str,
  channelId: Str,
  idempotencyKey: Str,
  attempts: Num,
  lastError: OrNull(Str),
  createdAt: Ms,
  subject: Str,
  alertIds: Type.Array(Str),
})

export const DeliveryOutcomeSchema = Type.Union([
  Type.Object({ ok: Type.Literal(true), latencyMs: Num }),
  Type.Object({
    ok: Type.Literal(false),
    code: Type.String({ description: 'NOTIFY_DELIVERY_FAILED, or NOTIFY_UNAVAILABLE when this process delivers no notifications' }),
    reason: Type.String({ description: 'why it failed: never a URL or a password' }),
    permanent: Type.Boolean({ description: 'a retry would fail the same way (a 4xx answer, a missing setting)' }),
    latencyMs: Num,
  }),
])
