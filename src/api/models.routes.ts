import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type, type Static, type TSchema } from '@sinclair/typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { parseTimeParam } from '../ingest/records.parse.js'
import { InvalidRequestError, NotFoundError } from '../pipeline/errors.js'
import { RegistrationInvalidError } from '../registry/errors.js'
import { MODEL_KINDS } from '../registry/registry.service.js'
import { checkSpec } from '../registry/experiments.service.js'
import { FLAVOURS, type VersionRecord } from '../store/registry.ports.js'
import type { ModelKind } from '../models/model.js'
import { principal } from './auth.hook.js'
import type { ApiDeps } from './deps.js'
import {
  AuditSchema,
  DeploymentRecordSchema,
  GateSchema,
  ModelDetailSchema,
  ModelDriftSchema,
  ModelRecordSchema,
  ModelSummarySchema,
  PredictionSchema,
  ReferenceSchema,
  RouteSchema,
  RunComparisonSchema,
  RunSchema,
  TrainingResultSchema,
  VersionSchema,
  VersionWithReferenceSchema,
} from './models.schemas.js'
import { IdParams, Items, errors } from './schemas.js'

const NameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 128 }) })
const VersionParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 128 }), version: Type.Integer({ minimum: 1 }) })
const Reason = Type.String({ minLength: 1, maxLength: 2000, description: 'why: kept in the deployment history' })
const Field = Type.Object({ name: Type.String({ minLength: 1 }), type: Type.Optional(Type.Union([Type.Literal('number'), Type.Literal('string'), Type.Literal('number[]')])), description: Type.Optional(Type.String()) }, { additionalProperties: false })
const Signature = Type.Object({ inputs: Type.Array(Field, { minItems: 1 }), outputs: Type.Array(Field) }, { additionalProperties: false })
const Features = Type.Record(Type.String(), Type.Number(), { description: 'input name → value (the version signature’s inputs)' })
const Item = Type.Object({ assetId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })), ts: Type.Optional(Type.Integer()), features: Features }, { additionalProperties: false })
const MAX_BATCH = 10_000
/** A success answer of `schema` with the documented error answers. */
const ok = <T extends TSchema>(schema: T, ...statuses: number[]) => ({ 200: schema, ...errors(...statuses) })
const created = <T extends TSchema>(schema: T, ...statuses: number[]) => ({ 201: schema, ...errors(...statuses) })

function time(field: string, v: string | undefined, dflt: number): number {
  if (v === undefined || v === '') return dflt
  const n = parseTimeParam(v)
  if (n === null) throw new InvalidRequestError([{ field, reason: 'must be whole epoch milliseconds, an ISO 8601 date-time with a zone, or a date (YYYY-MM-DD)' }])
  return n
}

const actor = (req: FastifyRequest): string => {
  const p = principal(req)
  return `${p.kind === 'user' ? 'user' : 'key'}:${p.name}`
}

/** A version as lists show it: whether it has reference statistics, not the statistics (the single-version read shows them). */
function versionView(v: VersionRecord): Static<typeof VersionSchema> {
  const { reference, signature, ...rest } = v
  return { ...rest, signature: { inputs: [...signature.inputs], outputs: [...signature.outputs] }, hasReference: reference !== null }
}

function versionWithReference(v: VersionRecord): Static<typeof VersionWithReferenceSchema> {
  const { hasReference: _, ...view } = versionView(v)
  return { ...view, reference: v.reference }
}

function decodeArtifact(flavour: string, artifact: unknown): Uint8Array {
  if (typeof artifact === 'string') {
    if (!/^[A-Za-z0-9+/=\s]*$/.test(artifact)) throw new RegistrationInvalidError('artifact', 'a string artifact must be base64')
    return new Uint8Array(Buffer.from(artifact, 'base64'))
  }
  if (flavour === 'onnx') throw new RegistrationInvalidError('artifact', 'an onnx artifact must be the model file as base64')
  return new TextEncoder().encode(JSON.stringify(artifact))
}

/** The model registry: models, versions, deployments, serving, drift, runs, audit, stored predictions. */
export function modelsRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const reg = deps.registry
  const tags = ['models']

  r.get('/v1/models', { schema: { tags, summary: 'Registered models with their current deployment', response: { 200: Items(ModelSummarySchema) } } }, async (req) => {
    const t = principal(req).tenantId
    const models = await reg.listModels(t)
    const items = []
    for (const m of models) items.push({ ...m, deployment: (await reg.deployment(t, m.name))?.spec ?? null, versions: (await reg.listVersions(t, m.name)).length })
    return { items }
  })

  r.post(
    '/v1/models',
    {
      config: { permission: 'write' },
      schema: {
        tags,
        summary: 'Create a model (versions are then registered under it)',
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 128 }), kind: Type.Union(MODEL_KINDS.map((k) => Type.Literal(k))), description: Type.Optional(Type.String({ maxLength: 2000 })), gates: Type.Optional(Type.Array(GateSchema)) }, { additionalProperties: false }),
        response: created(ModelRecordSchema, 400, 409),
      },
    },
    async (req, reply) => {
      const m = await reg.createModel(principal(req).tenantId, { name: req.body.name, kind: req.body.kind as ModelKind, description: req.body.description, gates: req.body.gates }, actor(req))
      return reply.status(201).send(m)
    },
  )

  r.get('/v1/models/:name', { schema: { tags, summary: 'A model, its versions and its current deployment', params: NameParams, response: ok(ModelDetailSchema, 404) } }, async (req) => {
    const t = principal(req).tenantId
    const model = await reg.getModel(t, req.params.name)
    return { ...model, versions: (await reg.listVersions(t, model.name)).map((v) => versionView(v)), deployment: await reg.deployment(t, model.name) }
  })

  r.put(
    '/v1/models/:name/gates',
    { config: { permission: 'write' }, schema: { tags, summary: 'Set the promotion gates (metric thresholds a version needs for production)', params: NameParams, body: Type.Object({ gates: Type.Array(GateSchema) }, { additionalProperties: false }), response: ok(ModelRecordSchema, 400, 404) } },
    async (req) => reg.setGates(principal(req).tenantId, req.params.name, req.body.gates),
  )

  r.post(
    '/v1/models/:name/versions',
    {
      config: { permission: 'write' },
      schema: {
        tags,
        summary: 'Register a new immutable version (or import an external model: flavour onnx with the file as base64)',
        description:
          'The artifact is loaded by its flavour’s runtime and run once on its signature before anything is stored; a corrupt or mismatched artifact is refused (400 `MODEL_ARTIFACT_INVALID`) and nothing is registered. ' +
          'Built-in artifacts are the model’s JSON (`families.fromJSON`) and describe their own signature; onnx, tfjs and xgboost need `signature` (inputs in column order).',
        params: NameParams,
        body: Type.Object(
          {
            flavour: Type.Union(FLAVOURS.map((f) => Type.Literal(f))),
            artifact: Type.Union([Type.String({ minLength: 1 }), Type.Object({}, { additionalProperties: true })], { description: 'built-in: the serialized model (object); others: the file as base64' }),
            kind: Type.Optional(Type.Union(MODEL_KINDS.map((k) => Type.Literal(k)))),
            description: Type.Optional(Type.String({ maxLength: 2000 })),
            signature: Type.Optional(Signature),
            params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
            metrics: Type.Optional(Type.Record(Type.String(), Type.Number())),
            trainingFingerprint: Type.Optional(Type.String({ maxLength: 200 })),
            reference: Type.Optional(ReferenceSchema),
          },
          { additionalProperties: false },
        ),
        response: created(VersionSchema, 400, 404, 409),
      },
    },
    async (req, reply) => {
      const b = req.body
      const v = await reg.register(
        principal(req).tenantId,
        {
          model: req.params.name,
          flavour: b.flavour,
          artifact: decodeArtifact(b.flavour, b.artifact),
          ...(b.kind ? { kind: b.kind as ModelKind } : {}),
          ...(b.description ? { description: b.description } : {}),
          ...(b.signature ? { signature: { inputs: b.signature.inputs.map((f) => ({ type: 'number' as const, ...f })), outputs: b.signature.outputs.map((f) => ({ type: 'number' as const, ...f })) } } : {}),
          params: b.params ?? {},
          metrics: b.metrics ?? {},
          trainingFingerprint: b.trainingFingerprint ?? null,
          reference: b.reference ?? null,
        },
        actor(req),
      )
      return reply.status(201).send(versionView(v))
    },
  )

  r.get('/v1/models/:name/versions/:version', { schema: { tags, summary: 'One version, with its reference statistics', params: VersionParams, response: ok(VersionWithReferenceSchema, 404) } }, async (req) =>
    versionWithReference(await reg.getVersion(principal(req).tenantId, req.params.name, req.params.version)),
  )

  r.get('/v1/models/:name/deployment', { schema: { tags, summary: 'The deployment in force', params: NameParams, response: ok(DeploymentRecordSchema, 404) } }, async (req) => {
    const d = await reg.deployment(principal(req).tenantId, req.params.name)
    if (!d) throw new NotFoundError('deployment of model', req.params.name)
    return d
  })

  r.get('/v1/models/:name/history', { schema: { tags, summary: 'Every deployment change: what, who, when, why', params: NameParams, response: ok(Items(DeploymentRecordSchema), 404) } }, async (req) => ({
    items: await reg.history(principal(req).tenantId, req.params.name),
  }))

  r.post(
    '/v1/models/:name/promote',
    {
      config: { permission: 'write' },
      schema: {
        tags,
        summary: 'Move a version to production (through the gates), staging or archived',
        params: NameParams,
        body: Type.Object({ version: Type.Integer({ minimum: 1 }), alias: Type.Optional(Type.Union([Type.Literal('production'), Type.Literal('staging'), Type.Literal('archived')])), reason: Reason, force: Type.Optional(Type.Boolean({ description: 'bypass the gates (recorded)' })) }, { additionalProperties: false }),
        response: ok(DeploymentRecordSchema, 400, 404, 409),
      },
    },
    async (req) => reg.promote(principal(req).tenantId, req.params.name, req.body.version, req.body.alias ?? 'production', { actor: actor(req), reason: req.body.reason, force: req.body.force ?? false }),
  )

  r.post(
    '/v1/models/:name/rollback',
    {
      config: { permission: 'write' },
      schema: { tags, summary: 'Restore an earlier deployment whole (default: the previous one)', params: NameParams, body: Type.Object({ to: Type.Optional(Type.Integer({ minimum: 1 })), reason: Reason }, { additionalProperties: false }), response: ok(DeploymentRecordSchema, 400, 404, 409) },
    },
    async (req) => reg.rollback(principal(req).tenantId, req.params.name, req.body.to, { actor: actor(req), reason: req.body.reason }),
  )

  r.post(
    '/v1/models/:name/canary',
    {
      config: { permission: 'write' },
      schema: {
        tags,
        summary: 'Send a share of assets (stable hash of the asset id) to a version; version null ends the canary',
        params: NameParams,
        body: Type.Object({ version: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]), percent: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })), reason: Reason }, { additionalProperties: false }),
        response: ok(DeploymentRecordSchema, 400, 404, 409),
      },
    },
    async (req) => {
      const b = req.body
      if (b.version !== null && b.percent === undefined) throw new InvalidRequestError([{ field: 'percent', reason: 'required with a version' }])
      return reg.canary(principal(req).tenantId, req.params.name, b.version === null ? null : { version: b.version, percent: b.percent! }, { actor: actor(req), reason: b.reason })
    },
  )

  r.post(
    '/v1/models/:name/ab',
    {
      config: { permission: 'write' },
      schema: {
        tags,
        summary: 'Split all assets between named variants by weight (deterministic per asset); variants null ends the test',
        params: NameParams,
        body: Type.Object(
          { variants: Type.Union([Type.Array(Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }), version: Type.Integer({ minimum: 1 }), weight: Type.Number({ exclusiveMinimum: 0 }) }, { additionalProperties: false }), { minItems: 2 }), Type.Null()]), reason: Reason },
          { additionalProperties: false },
        ),
        response: ok(DeploymentRecordSchema, 400, 404, 409),
      },
    },
    async (req) => reg.ab(principal(req).tenantId, req.params.name, req.body.variants, { actor: actor(req), reason: req.body.reason }),
  )

  r.post(
    '/v1/models/:name/shadow',
    {
      config: { permission: 'write' },
      schema: { tags, summary: 'Versions scored and recorded beside the serving ones, never acted on ([] ends shadowing)', params: NameParams, body: Type.Object({ versions: Type.Array(Type.Integer({ minimum: 1 })), reason: Reason }, { additionalProperties: false }), response: ok(DeploymentRecordSchema, 400, 404, 409) },
    },
    async (req) => reg.shadow(principal(req).tenantId, req.params.name, req.body.versions, { actor: actor(req), reason: req.body.reason }),
  )

  r.post(
    '/v1/models/:name/predict',
    {
      config: { permission: 'write' },
      schema: {
        tags,
        summary: 'Score one row or a batch on the version each asset routes to',
        description: 'One row (`features`, optional `assetId`, `ts`) or a batch (`items`). Each answer names the version and deployment that made it. With `record` (default true), answers for an asset are stored as predictions.',
        params: NameParams,
        body: Type.Object(
          {
            assetId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
            ts: Type.Optional(Type.Integer()),
            features: Type.Optional(Features),
            items: Type.Optional(Type.Array(Item, { minItems: 1, maxItems: MAX_BATCH })),
            record: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        // One answer or {predictions: [...]}: left undeclared, so a batch of 10,000 answers is not
        // validated against a union before it is written (the shape is PredictResult, model.router.ts).
        response: { 200: Type.Unknown(), ...errors(400, 404, 409) },
      },
    },
    async (req) => {
      const b = req.body
      const t = principal(req).tenantId
      if ((b.items === undefined) === (b.features === undefined)) throw new InvalidRequestError([{ field: 'features', reason: 'give either features (one row) or items (a batch)' }])
      const items = b.items ?? [{ ...(b.assetId !== undefined ? { assetId: b.assetId } : {}), ...(b.ts !== undefined ? { ts: b.ts } : {}), features: b.features! }]
      const results = await deps.router.predict(t, req.params.name, items, { record: b.record ?? true, source: 'api' })
      return b.items ? { predictions: results } : results[0]
    },
  )

  r.get('/v1/models/:name/route', { schema: { tags, summary: 'Which version and deployment an asset routes to now', params: NameParams, querystring: Type.Object({ assetId: Type.String({ minLength: 1 }) }), response: ok(RouteSchema, 404) } }, async (req) => {
    const route = await reg.explainRoute(principal(req).tenantId, req.params.name, req.query.assetId)
    if (!route) throw new NotFoundError('deployment of model', req.params.name)
    return { assetId: req.query.assetId, ...route }
  })

  r.get('/v1/models/:name/drift', { schema: { tags, summary: 'Live drift (PSI and KS per feature and on the predictions) of each served version, and past drift events', params: NameParams, response: ok(ModelDriftSchema, 404) } }, async (req) => {
    const t = principal(req).tenantId
    await reg.getModel(t, req.params.name)
    return { model: req.params.name, versions: deps.router.drift(t, req.params.name), events: await deps.stores.registry.listDriftEvents(t, req.params.name, 50) }
  })

  r.get(
    '/v1/audit',
    {
      schema: {
        tags,
        summary: 'Which model version scored an asset at a time, under which deployment',
        querystring: Type.Object({ assetId: Type.String({ minLength: 1 }), at: Type.String({ minLength: 1, description: 'epoch ms or ISO 8601' }), model: Type.Optional(Type.String()), kind: Type.Optional(Type.String()) }),
        response: ok(AuditSchema, 400, 404),
      },
    },
    async (req) => {
      const t = principal(req).tenantId
      const q = req.query
      if (!(await deps.stores.meta.tenant(t).getAsset(q.assetId))) throw new NotFoundError('asset', q.assetId)
      const at = time('at', q.at, Date.now())
      const answer = await reg.audit(t, q.assetId, at, { ...(q.model ? { model: q.model } : {}), ...(q.kind ? { kind: q.kind } : {}) })
      if (!answer) throw new NotFoundError('prediction of a registered model for asset', q.assetId)
      return answer
    },
  )

  r.get('/v1/runs', { schema: { tags, summary: 'Training runs, newest first', querystring: Type.Object({ model: Type.Optional(Type.String()) }), response: { 200: Items(RunSchema) } } }, async (req) => ({
    items: await deps.stores.registry.listRuns(principal(req).tenantId, req.query.model ? { model: req.query.model } : {}),
  }))

  r.post(
    '/v1/runs',
    {
      config: { permission: 'manage' },
      schema: {
        tags,
        summary: 'Train a spec on this server: record the run, register the version, promote through the gates when asked',
        description: 'The spec is what `prognos train` reads (model, family, params, data.csv …); data paths are read on the server, so this needs an administrator.',
        body: Type.Object({ spec: Type.Record(Type.String(), Type.Unknown()), promote: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: created(TrainingResultSchema, 400, 404, 409),
      },
    },
    async (req, reply) => {
      const r = await deps.experiments.train(principal(req).tenantId, checkSpec(req.body.spec), { actor: actor(req), promote: req.body.promote ?? false })
      return reply.status(201).send(r)
    },
  )

  r.get('/v1/runs/compare', { schema: { tags, summary: 'Runs side by side: params and metrics as rows, runs as columns', querystring: Type.Object({ ids: Type.String({ minLength: 1, description: 'comma-separated run ids' }) }), response: ok(RunComparisonSchema, 400, 404) } }, async (req) => {
    const t = principal(req).tenantId
    const ids = req.query.ids.split(',').map((s) => s.trim()).filter(Boolean)
    const runs = []
    for (const id of ids) {
      const run = await deps.stores.registry.getRun(t, id)
      if (!run) throw new NotFoundError('run', id)
      runs.push(run)
    }
    return compareRuns(runs)
  })

  r.get('/v1/runs/:id', { schema: { tags, summary: 'One training run: params, metrics, artifacts, logs', params: IdParams, response: ok(RunSchema, 404) } }, async (req) => {
    const run = await deps.stores.registry.getRun(principal(req).tenantId, req.params.id)
    if (!run) throw new NotFoundError('run', req.params.id)
    return run
  })

  const PredictionQuery = Type.Object({
    kind: Type.Optional(Type.String()),
    model: Type.Optional(Type.String()),
    from: Type.Optional(Type.String({ description: 'epoch ms or ISO 8601; default to − 1 h' })),
    to: Type.Optional(Type.String({ description: 'epoch ms or ISO 8601; default now' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 })),
  })

  r.get(
    '/v1/assets/:id/predictions',
    { schema: { tags: ['predictions'], summary: 'Stored predictions of an asset (each with model, version and deployment), by kind, model and time range', params: IdParams, querystring: PredictionQuery, response: ok(Type.Object({ assetId: Type.String(), from: Type.Number(), to: Type.Number(), items: Type.Array(PredictionSchema) }), 400, 404) } },
    async (req) => {
      const t = principal(req).tenantId
      if (!(await deps.stores.meta.tenant(t).getAsset(req.params.id))) throw new NotFoundError('asset', req.params.id)
      const to = time('to', req.query.to, Date.now() + 1)
      const from = time('from', req.query.from, to - 3_600_000)
      if (from >= to) throw new InvalidRequestError([{ field: 'from', reason: 'must be before to' }])
      const items = await deps.stores.predictions.range(t, { assetId: req.params.id, from, to, limit: req.query.limit ?? 1000, ...(req.query.kind ? { kind: req.query.kind } : {}), ...(req.query.model ? { model: req.query.model } : {}) })
      return { assetId: req.params.id, from, to, items }
    },
  )

  r.get(
    '/v1/assets/:id/predictions/latest',
    { schema: { tags: ['predictions'], summary: 'The newest prediction of an asset per kind, source and model', params: IdParams, querystring: Type.Object({ kind: Type.Optional(Type.String()), model: Type.Optional(Type.String()) }), response: ok(Type.Object({ assetId: Type.String(), items: Type.Array(PredictionSchema) }), 404) } },
    async (req) => {
      const t = principal(req).tenantId
      if (!(await deps.stores.meta.tenant(t).getAsset(req.params.id))) throw new NotFoundError('asset', req.params.id)
      return { assetId: req.params.id, items: await deps.stores.predictions.latest(t, req.params.id, { ...(req.query.kind ? { kind: req.query.kind } : {}), ...(req.query.model ? { model: req.query.model } : {}) }) }
    },
  )
}

/** Runs side by side: every param and metric name as a row, one column per run. */
export function compareRuns(runs: readonly { id: string; model: string; status: string; version: number | null; params: Record<string, unknown>; metrics: Record<string, number>; startedAt: number; finishedAt: number | null }[]) {
  const paramNames = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort()
  const metricNames = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort()
  return {
    runs: runs.map((r) => ({ id: r.id, model: r.model, status: r.status, version: r.version, startedAt: r.startedAt, durationMs: r.finishedAt === null ? null : r.finishedAt - r.startedAt })),
    params: paramNames.map((name) => ({ name, values: runs.map((r) => r.params[name] ?? null) })),
    metrics: metricNames.map((name) => ({ name, values: runs.map((r) => r.metrics[name] ?? null) })),
  }
}
