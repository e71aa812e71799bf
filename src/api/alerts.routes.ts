import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { SEVERITIES, type NotificationChannel, type OutboxItem } from '../alerts/alert.types.js'
import { parseRulesYaml, ruleToInput, type RuleInput } from '../alerts/rule.validate.js'
import { redactChannel } from '../alerts/notify/channel.js'
import { SILENCE_MAX_HOURS, type ChannelInput, type PreferenceInput, type SilenceInput } from '../alerts/objects.validate.js'
import type { AlertingService } from '../pipeline/alerting.stage.js'
import { principal } from './auth.hook.js'
import type { ApiDeps } from './deps.js'
import { noContent } from './reply.js'
import { AlertSchema, DeadLetterSchema, DeliveryOutcomeSchema, NotificationChannelSchema, NotificationPreferenceSchema, RuleInputSchema, RuleSchema, SilenceSchema } from './alerts.schemas.js'
import { IdParams, Items, errors } from './schemas.js'

const write = { permission: 'write' as const }
const manage = { permission: 'manage' as const }
const Any = Type.Object({}, { additionalProperties: true })

/** A dead letter as the API shows it: what failed, why, how often, and the alerts it carried. */
function deadLetter(o: OutboxItem): Static<typeof DeadLetterSchema> {
  return {
    id: o.id,
    channelId: o.channelId,
    idempotencyKey: o.idempotencyKey,
    attempts: o.attempts,
    lastError: o.lastError,
    createdAt: o.createdAt,
    subject: o.payload.subject,
    alertIds: [...new Set(o.payload.transitions.map((t) => t.alert.id))],
  }
}

/**
 * Alerts (list, get with evidence, acknowledge, resolve), silences and maintenance windows,
 * rules (CRUD, and a YAML or JSON list applied whole), notification channels (secrets
 * redacted), preferences, and dead letters (list, retry). Everything is tenant-scoped:
 * another tenant's object is a 404.
 */
export function alertsRoutes(app: FastifyInstance, deps: ApiDeps): void {
  if (!deps.alerts) return
  const svc: AlertingService = deps.alerts
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const tenant = (req: Parameters<typeof principal>[0]): string => principal(req).tenantId
  const who = (req: Parameters<typeof principal>[0]): string => principal(req).name

  // Alerts
  r.get(
    '/v1/alerts',
    {
      schema: {
        tags: ['alerts'],
        summary: 'List alerts, newest first',
        querystring: Type.Object({
          state: Type.Optional(Type.Union(['active', 'pending', 'open', 'acknowledged', 'resolved'].map((s) => Type.Literal(s)))),
          severity: Type.Optional(Type.Union(SEVERITIES.map((s) => Type.Literal(s)))),
          assetId: Type.Optional(Type.String()),
          siteId: Type.Optional(Type.String()),
          ruleId: Type.Optional(Type.String()),
          since: Type.Optional(Type.Integer({ description: 'epoch ms: alerts updated since' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
          offset: Type.Optional(Type.Integer({ minimum: 0 })),
        }),
        response: { 200: Items(AlertSchema) },
      },
    },
    async (req) => ({ items: await svc.listAlerts(tenant(req), req.query as Parameters<AlertingService['listAlerts']>[1]) }),
  )
  r.get('/v1/alerts/:id', { schema: { tags: ['alerts'], summary: 'One alert with its evidence', params: IdParams, response: { 200: AlertSchema, ...errors(404) } } }, async (req) => svc.getAlert(tenant(req), req.params.id))
  r.post('/v1/alerts/:id/ack', { config: write, schema: { tags: ['alerts'], summary: 'Acknowledge an open alert', params: IdParams, response: { 200: AlertSchema, ...errors(404, 409) } } }, async (req) =>
    svc.acknowledge(tenant(req), req.params.id, who(req)),
  )
  r.post('/v1/alerts/:id/resolve', { config: write, schema: { tags: ['alerts'], summary: 'Resolve an alert by hand', params: IdParams, response: { 200: AlertSchema, ...errors(404, 409) } } }, async (req) =>
    svc.resolve(tenant(req), req.params.id, who(req)),
  )

  r.post(
    '/v1/alerts/:id/silence',
    {
      config: write,
      schema: {
        tags: ['alerts'],
        summary: "Silence this alert's rule on its asset for some hours (creates a silence)",
        params: IdParams,
        body: Type.Object({ hours: Type.Number({ exclusiveMinimum: 0, maximum: SILENCE_MAX_HOURS }), reason: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }),
        response: { 201: SilenceSchema, ...errors(400, 404) },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.silenceAlert(tenant(req), req.params.id, req.body, who(req))),
  )

  // Silences and maintenance windows
  r.get('/v1/silences', { schema: { tags: ['alerts'], summary: 'List silences and maintenance windows', response: { 200: Items(SilenceSchema) } } }, async (req) => ({ items: await svc.listSilences(tenant(req)) }))
  r.post(
    '/v1/silences',
    {
      config: write,
      schema: {
        tags: ['alerts'],
        summary: 'Silence notifications (kind silence) or stop alerts opening (kind maintenance) for an asset or a site',
        body: Type.Object(
          {
            kind: Type.Optional(Type.Union([Type.Literal('silence'), Type.Literal('maintenance')])),
            assetId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
            siteId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
            ruleId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
            startsAt: Type.Optional(Type.Integer()),
            endsAt: Type.Integer({ description: 'epoch ms' }),
            reason: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: SilenceSchema, ...errors(400) },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.createSilence(tenant(req), req.body as SilenceInput, who(req))),
  )
  r.delete('/v1/silences/:id', { config: write, schema: { tags: ['alerts'], params: IdParams, response: errors(404) } }, async (req, reply) => {
    await svc.deleteSilence(tenant(req), req.params.id)
    return noContent(reply)
  })

  // Rules
  const RuleBody = Type.Object({}, { additionalProperties: true, description: 'A rule: name, kind, scope, target, direction, warning, critical, hysteresis, for, window, stale, withinHours, escalateAfter, escalateChannelIds, source, template' })
  r.get('/v1/alert-rules', { schema: { tags: ['alerts'], summary: 'List alert rules', response: { 200: Items(RuleSchema) } } }, async (req) => ({ items: await svc.listRules(tenant(req)) }))
  r.get('/v1/alert-rules/:id', { schema: { tags: ['alerts'], params: IdParams, response: { 200: RuleSchema, ...errors(404) } } }, async (req) => svc.getRule(tenant(req), req.params.id))
  r.post('/v1/alert-rules', { config: write, schema: { tags: ['alerts'], summary: 'Create a rule', body: RuleBody, response: { 201: RuleSchema, ...errors(400) } } }, async (req, reply) =>
    reply.status(201).send(await svc.putRule(tenant(req), req.body as RuleInput)),
  )
  r.put('/v1/alert-rules/:id', { config: write, schema: { tags: ['alerts'], summary: 'Create or replace a rule', params: IdParams, body: RuleBody, response: { 200: RuleSchema, ...errors(400) } } }, async (req) =>
    svc.putRule(tenant(req), { ...(req.body as RuleInput), id: req.params.id }),
  )
  r.delete('/v1/alert-rules/:id', { config: write, schema: { tags: ['alerts'], params: IdParams, response: errors(404) } }, async (req, reply) => {
    await svc.deleteRule(tenant(req), req.params.id)
    return noContent(reply)
  })
  r.post(
    '/v1/alert-rules/apply',
    {
      config: write,
      schema: {
        tags: ['alerts'],
        summary: 'Apply a list of rules (JSON {rules: [...]}, or {yaml: "..."}): all are validated before any is stored',
        body: Type.Object({ rules: Type.Optional(Type.Array(Any)), yaml: Type.Optional(Type.String()) }, { additionalProperties: false }),
        response: { 200: Items(RuleSchema), ...errors(400) },
      },
    },
    async (req) => {
      const b = req.body as { rules?: RuleInput[]; yaml?: string }
      const inputs = b.yaml !== undefined ? parseRulesYaml(b.yaml) : (b.rules ?? [])
      return { items: await svc.applyRules(tenant(req), inputs) }
    },
  )
  r.get('/v1/alert-rules/export', { schema: { tags: ['alerts'], summary: 'Rules as inputs (what apply takes back)', response: { 200: Items(RuleInputSchema) } } }, async (req) => ({
    items: (await svc.listRules(tenant(req))).map(ruleToInput),
  }))

  // Notification channels: admins only (they hold secrets); secrets are never returned.
  const ChannelBody = Type.Object(
    {
      name: Type.String({ minLength: 1, maxLength: 200 }),
      type: Type.Union(['email', 'slack', 'teams', 'webhook'].map((t) => Type.Literal(t))),
      config: Type.Object({}, { additionalProperties: true }),
      enabled: Type.Optional(Type.Boolean()),
      subscribeAll: Type.Optional(Type.Boolean()),
      minSeverity: Type.Optional(Type.Union(SEVERITIES.map((s) => Type.Literal(s)))),
      rateLimitPerMin: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    },
    { additionalProperties: false },
  )
  const shown = (c: NotificationChannel): NotificationChannel => redactChannel(c)
  r.get('/v1/notification-channels', { config: manage, schema: { tags: ['alerts'], summary: 'List notification channels (secrets redacted)', response: { 200: Items(NotificationChannelSchema) } } }, async (req) => ({
    items: (await svc.listChannels(tenant(req))).map(shown),
  }))
  r.get('/v1/notification-channels/:id', { config: manage, schema: { tags: ['alerts'], params: IdParams, response: { 200: NotificationChannelSchema, ...errors(404) } } }, async (req) => shown(await svc.getChannel(tenant(req), req.params.id)))
  r.post('/v1/notification-channels', { config: manage, schema: { tags: ['alerts'], summary: 'Create a notification channel', body: ChannelBody, response: { 201: NotificationChannelSchema, ...errors(400) } } }, async (req, reply) =>
    reply.status(201).send(shown(await svc.putChannel(tenant(req), req.body as ChannelInput))),
  )
  r.put(
    '/v1/notification-channels/:id',
    { config: manage, schema: { tags: ['alerts'], summary: 'Replace a channel (a secret given as *** keeps its value)', params: IdParams, body: ChannelBody, response: { 200: NotificationChannelSchema, ...errors(400, 404) } } },
    async (req) => shown(await svc.putChannel(tenant(req), req.body as ChannelInput, req.params.id)),
  )
  r.post(
    '/v1/notification-channels/:id/test',
    {
      config: manage,
      schema: {
        tags: ['alerts'],
        summary: 'Send a test notification on the channel now, and answer how it went',
        description:
          'Sent through the channel’s real sender (even while the channel is disabled), once, outside the outbox: nothing is stored or retried. A delivery that fails is still a 200, with `ok: false`, a stable `code` and the `reason` (e.g. `HTTP 500`, `POST failed: ECONNREFUSED`, `no recipients`).',
        params: IdParams,
        response: { 200: DeliveryOutcomeSchema, ...errors(404) },
      },
    },
    async (req) => svc.testChannel(tenant(req), req.params.id, who(req)),
  )
  r.delete('/v1/notification-channels/:id', { config: manage, schema: { tags: ['alerts'], params: IdParams, response: errors(404) } }, async (req, reply) => {
    await svc.deleteChannel(tenant(req), req.params.id)
    return noContent(reply)
  })

  // Preferences
  const PrefBody = Type.Object(
    {
      userId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
      role: Type.Optional(Type.Union([Type.String(), Type.Null()])),
      severities: Type.Optional(Type.Array(Type.Union(SEVERITIES.map((s) => Type.Literal(s))))),
      channelIds: Type.Array(Type.String()),
      emails: Type.Optional(Type.Array(Type.String())),
      quietHours: Type.Optional(Type.Union([Type.Object({ start: Type.String(), end: Type.String(), timezone: Type.String() }, { additionalProperties: false }), Type.Null()])),
    },
    { additionalProperties: false },
  )
  r.get('/v1/notification-preferences', { schema: { tags: ['alerts'], summary: 'List notification preferences', response: { 200: Items(NotificationPreferenceSchema) } } }, async (req) => ({ items: await svc.listPreferences(tenant(req)) }))
  r.post('/v1/notification-preferences', { config: manage, schema: { tags: ['alerts'], summary: 'Create a preference for a user or a role', body: PrefBody, response: { 201: NotificationPreferenceSchema, ...errors(400) } } }, async (req, reply) =>
    reply.status(201).send(await svc.putPreference(tenant(req), req.body as PreferenceInput)),
  )
  r.put('/v1/notification-preferences/:id', { config: manage, schema: { tags: ['alerts'], params: IdParams, body: PrefBody, response: { 200: NotificationPreferenceSchema, ...errors(400, 404) } } }, async (req) =>
    svc.putPreference(tenant(req), req.body as PreferenceInput, req.params.id),
  )
  r.delete('/v1/notification-preferences/:id', { config: manage, schema: { tags: ['alerts'], params: IdParams, response: errors(404) } }, async (req, reply) => {
    await svc.deletePreference(tenant(req), req.params.id)
    return noContent(reply)
  })

  // Dead letters
  r.get(
    '/v1/dead-letters',
    { schema: { tags: ['alerts'], summary: 'Notifications that failed every attempt', querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })) }), response: { 200: Items(DeadLetterSchema) } } },
    async (req) => ({ items: (await svc.listDeadLetters(tenant(req), req.query.limit)).map(deadLetter) }),
  )
  r.post('/v1/dead-letters/:id/retry', { config: write, schema: { tags: ['alerts'], summary: 'Queue a dead letter again', params: IdParams, response: { 202: Type.Object({ queued: Type.Boolean() }), ...errors(404) } } }, async (req, reply) => {
    await svc.retryDeadLetter(tenant(req), req.params.id)
    return reply.status(202).send({ queued: true })
  })
}
