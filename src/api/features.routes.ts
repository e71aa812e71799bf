import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { parseTimeParam } from '../ingest/records.parse.js'
import { InvalidRequestError } from '../pipeline/errors.js'
import { MAX_MAX_POINTS } from '../pipeline/query.service.js'
import { principal } from './auth.hook.js'
import type { ApiDeps } from './deps.js'
import { IdParams, errors } from './schemas.js'

function time(field: string, v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined
  const n = parseTimeParam(v)
  if (n === null) throw new InvalidRequestError([{ field, reason: 'must be whole epoch milliseconds, an ISO 8601 date-time with a zone, or a date (YYYY-MM-DD)' }])
  return n
}

function windows(v: string | undefined): number[] | undefined {
  if (v === undefined || v.trim() === '') return undefined
  const parts = v.split(',').map((s) => s.trim())
  const bad = parts.filter((p) => !/^\d+$/.test(p))
  if (bad.length > 0) throw new InvalidRequestError(bad.map((b) => ({ field: 'windows', reason: `'${b}' is not a whole number of seconds` })))
  return parts.map(Number)
}

const Num = Type.Array(Type.Number())
const FeatureSeries = Type.Object({
  channel: Type.String(),
  windowSec: Type.Integer(),
  ts: Num,
  count: Num,
  mean: Num,
  std: Num,
  min: Num,
  max: Num,
  slope: Type.Array(Type.Number(), { description: 'least-squares slope, value units per second' }),
  last: Num,
  fftDominantHz: Type.Optional(Type.Array(Type.Union([Type.Number(), Type.Null()]))),
  fftBands: Type.Optional(Type.Array(Type.Union([Num, Type.Null()]))),
})
const FeatureVectorSchema = Type.Record(Type.String(), Type.Number(), {
  description: 'feature name → value; names are `<channel>.w<windowSec>.<count|mean|std|min|max|slope|last>` and `<channel>.w<windowSec>.fft.<dominant_hz|band<i>>`',
})

/** Stored feature history and the current feature vector of an asset. */
export function featuresRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()

  r.get(
    '/v1/assets/:id/features',
    {
      schema: {
        tags: ['features'],
        summary: 'Stored feature snapshots of an asset, per channel and window',
        description:
          'Rows are stored by the features stage per channel and window W once per W seconds of data time (tumbling windows ending on multiples of W; `PROGNOS_FEATURES_STORE_EVERY_SEC` sets one cadence for all); a row\'s `ts` is its newest reading. ' +
          'At most `maxPoints` rows per channel and window: a longer range is cut into `maxPoints` equal buckets and the newest row of each is returned.',
        params: IdParams,
        querystring: Type.Object({
          channels: Type.Optional(Type.String({ description: 'comma-separated channel names; default all' })),
          windows: Type.Optional(Type.String({ description: 'comma-separated window lengths in seconds, among the configured ones; default all' })),
          from: Type.Optional(Type.String({ description: 'epoch ms or ISO 8601; default to − 1 h' })),
          to: Type.Optional(Type.String({ description: 'epoch ms or ISO 8601; default now' })),
          maxPoints: Type.Optional(Type.Integer({ minimum: 2, maximum: MAX_MAX_POINTS, default: 1000 })),
        }),
        response: {
          200: Type.Object({ assetId: Type.String(), from: Type.Number(), to: Type.Number(), series: Type.Array(FeatureSeries) }),
          ...errors(400, 404),
        },
      },
    },
    async (req) => {
      const q = req.query
      const channels = q.channels ? q.channels.split(',').map((s) => s.trim()).filter(Boolean) : undefined
      return deps.features.history(principal(req).tenantId, req.params.id, { channels, windowsSec: windows(q.windows), from: time('from', q.from), to: time('to', q.to), maxPoints: q.maxPoints })
    },
  )

  r.get(
    '/v1/assets/:id/features/latest',
    {
      schema: {
        tags: ['features'],
        summary: 'The current feature vector of an asset',
        description: 'From the live rolling windows when the features stage tracks the asset (`source: live`), else the newest stored rows (`stored`), else empty (`none`).',
        params: IdParams,
        response: {
          200: Type.Object({
            assetId: Type.String(),
            ts: Type.Union([Type.Number(), Type.Null()]),
            source: Type.Union([Type.Literal('live'), Type.Literal('stored'), Type.Literal('none')]),
            vector: FeatureVectorSchema,
          }),
          ...errors(404),
        },
      },
    },
    async (req) => {
      const latest = await deps.features.latest(principal(req).tenantId, req.params.id)
      return { ...latest, vector: latest.vector as Record<string, number> }
    },
  )
}
