/**
 * Response schemas of the model registry routes (models.routes.ts): the records of
 * src/store/registry.ports.ts and the drift report of src/registry/drift.ts as the API shows them.
 * They document /openapi.json (and so the dashboard's generated types) and serialize the answers:
 * a field missing here is dropped from the answer, so each follows its type field for field.
 */
import { Type, type TSchema } from '@sinclair/typebox'
import { MODEL_KINDS } from '../registry/registry.service.js'
import { FLAVOURS } from '../store/registry.ports.js'

const literals = <T extends string>(xs: readonly T[]) => Type.Union(xs.map((x) => Type.Literal(x)))
const OrNull = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()])
const Str = Type.String()
const Num = Type.Number()
const Int = Type.Integer()
const Ms = Type.Number({ description: 'epoch ms' })
const Numbers = Type.Record(Type.String(), Type.Number())
const Anything = Type.Record(Type.String(), Type.Unknown())

export const GateSchema = Type.Object(
  { metric: Type.String({ minLength: 1 }), op: literals(['>=', '>', '<=', '<'] as const), value: Num },
  { additionalProperties: false },
)
export const HistogramSchema = Type.Object({ edges: Type.Array(Num), shares: Type.Array(Num), count: Type.Integer({ minimum: 0 }) }, { additionalProperties: false })
export const ReferenceSchema = Type.Object({ features: Type.Record(Type.String(), HistogramSchema), prediction: OrNull(HistogramSchema) }, { additionalProperties: false })

export const ModelRecordSchema = Type.Object({ name: Str, kind: literals(MODEL_KINDS), description: Str, gates: Type.Array(GateSchema), createdBy: Str, createdAt: Ms })

export const DeploymentSpecSchema = Type.Object({
  production: OrNull(Int),
  staging: OrNull(Int),
  archived: Type.Array(Int),
  canary: OrNull(Type.Object({ version: Int, percent: Num })),
  ab: OrNull(Type.Object({ variants: Type.Array(Type.Object({ name: Str, version: Int, weight: Num })) })),
  shadow: Type.Array(Int),
})

export const DeploymentRecordSchema = Type.Object({
  model: Str,
  id: Type.Integer({ description: '1, 2, 3 … per model; the highest is in force' }),
  spec: DeploymentSpecSchema,
  action: literals(['promote', 'stage', 'archive', 'canary', 'ab', 'shadow', 'rollback', 'clear'] as const),
  actor: Str,
  reason: Str,
  restoredFrom: OrNull(Int),
  createdAt: Ms,
})

const FieldSpec = Type.Object({ name: Str, type: literals(['number', 'string', 'number[]'] as const), description: Type.Optional(Str) })

const versionFields = {
  model: Str,
  version: Int,
  flavour: literals(FLAVOURS),
  artifactKey: Str,
  artifactSha256: Str,
  artifactBytes: Int,
  signature: Type.Object({ inputs: Type.Array(FieldSpec), outputs: Type.Array(FieldSpec) }),
  params: Anything,
  metrics: Numbers,
  trainingFingerprint: OrNull(Str),
  runId: OrNull(Str),
  createdBy: Str,
  createdAt: Ms,
}
/** A version in lists: whether it has reference statistics, not the statistics. */
export const VersionSchema = Type.Object({ ...versionFields, hasReference: Type.Boolean() })
/** A version read alone: with its reference statistics. */
export const VersionWithReferenceSchema = Type.Object({ ...versionFields, reference: OrNull(ReferenceSchema) })

export const ModelSummarySchema = Type.Object({ ...ModelRecordSchema.properties, deployment: OrNull(DeploymentSpecSchema), versions: Type.Integer({ description: 'how many versions' }) })
export const ModelDetailSchema = Type.Object({ ...ModelRecordSchema.properties, versions: Type.Array(VersionSchema), deployment: OrNull(DeploymentRecordSchema) })

export const FeatureDriftSchema = Type.Object({ psi: Num, ks: Num, ksCritical: Num, drifting: Type.Boolean() })
const driftFields = {
  observed: Type.Integer({ description: 'readings observed since the monitor started' }),
  windows: Type.Integer({ description: 'windows evaluated so far' }),
  windowSize: Int,
  features: Type.Record(Type.String(), FeatureDriftSchema),
  prediction: OrNull(FeatureDriftSchema),
  drifting: Type.Boolean(),
  consecutive: Type.Integer({ description: 'consecutive drifting windows up to this one' }),
  drifted: Type.Array(Str, { description: 'names of what drifts' }),
}
export const DriftReportSchema = Type.Object(driftFields)
export const ModelDriftSchema = Type.Object({
  model: Str,
  versions: Type.Array(
    Type.Object({
      version: Int,
      report: OrNull(Type.Object({ ...driftFields, pendingInWindow: Type.Integer({ description: 'readings in the window not yet closed' }) })),
      observed: Int,
      hasReference: Type.Boolean(),
    }),
  ),
  events: Type.Array(Type.Object({ model: Str, version: Int, ts: Ms, report: Type.Partial(DriftReportSchema, { additionalProperties: true, description: 'the drift report of the window that started drifting' }) })),
})

export const RunSchema = Type.Object({
  id: Str,
  model: Str,
  status: literals(['running', 'succeeded', 'failed'] as const),
  spec: Anything,
  params: Anything,
  metrics: Numbers,
  artifacts: Type.Record(Type.String(), Type.String(), { description: 'artifact keys by name (model, log …)' }),
  logs: Str,
  version: OrNull(Int),
  createdBy: Str,
  startedAt: Ms,
  finishedAt: OrNull(Ms),
})

export const RunComparisonSchema = Type.Object({
  runs: Type.Array(Type.Object({ id: Str, model: Str, status: Str, version: OrNull(Int), startedAt: Ms, durationMs: OrNull(Num) })),
  params: Type.Array(Type.Object({ name: Str, values: Type.Array(Type.Unknown()) })),
  metrics: Type.Array(Type.Object({ name: Str, values: Type.Array(OrNull(Num)) })),
})

export const TrainingResultSchema = Type.Object({ run: RunSchema, version: Int, promoted: Type.Boolean(), promotionRefused: Type.Optional(Type.String({ description: 'why it was not promoted, when promotion was asked' })) })

export const RouteSchema = Type.Object({ assetId: Str, version: Int, deployment: Type.String({ description: 'production, canary, ab:<variant>' }) })

export const AuditSchema = Type.Object({
  assetId: Str,
  at: Ms,
  model: Str,
  version: Int,
  deployment: Str,
  predictionTs: Ms,
  value: Num,
  kind: Str,
  deploymentRecord: OrNull(DeploymentRecordSchema),
})

/** A stored prediction, with the registry model, version and deployment that made it (pipeline stages leave them out). */
export const PredictionSchema = Type.Object({
  assetId: Str,
  ts: Ms,
  source: Type.String({ description: 'the stage (model) that produced it' }),
  kind: Str,
  value: Num,
  details: Type.Optional(Anything),
  model: Type.Optional(Str),
  version: Type.Optional(Int),
  deployment: Type.Optional(Str),
})
