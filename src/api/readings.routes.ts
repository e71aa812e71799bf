import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { InvalidRequestError } from '../pipeline/errors.js'
import { parseTimeParam } from '../ingest/records.parse.js'
import { MAX_MAX_POINTS } from '../pipeline/query.service.js'
import { principal } from './auth.hook.js'
import type { ApiDeps } from './deps.js'
import { IdParams, LatestValue, errors } from './schemas.js'

/** `from`/`to` as whole epoch ms or ISO 8601, within the range of dates. */
function time(field: string, v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined
  const n = parseTimeParam(v)
  if (n === null) throw new InvalidRequestError([{ field, reason: 'must be whole epoch milliseconds, an ISO 8601 date-time with a zone, or a date (YYYY-MM-DD)' }])
  return n
}

const Num = Type.Array(Type.Number())
const SeriesResult = Type.Object({
  channel: Type.String(),
  unit: Type.Union([Type.String(), Type.Null()]),
  mode: Type.Union([Type.Literal('raw'), Type.Literal('bucketed')]),
  bucketMs: Type.Optional(Type.Number()),
  ts: Num,
  value: Type.Optional(Num),
  min: Type.Optional(Num),
  avg: Type.Optional(Num),
  max: Type.Optional(Num),
  count: Type.Optional(Num),
})

export function readingsRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()

  r.get(
    '/v1/assets/:id/readings',
    {
      schema: {
        tags: ['readings'],
        summary: 'Readings of an asset: raw for short ranges, min/avg/max buckets for long ones',
        params: IdParams,
        querystring: Type.Object({
          channels: Type.Optional(Type.String({ description: 'comma-separated channel names; default all' })),
          from: Type.Optional(Type.String({ description: 'epoch ms or ISO 8601; default to − 1 h' })),
          to: Type.Optional(Type.String({ description: 'epoch ms or ISO 8601; default now' })),
          maxPoints: Type.Optional(Type.Integer({ minimum: 2, maximum: MAX_MAX_POINTS, default: 1000 })),
        }),
        response: { 200: Type.Object({ assetId: Type.String(), from: Type.Number(), to: Type.Number(), series: Type.Array(SeriesResult) }), ...errors(400, 404) },
      },
    },
    async (req) => {
      const q = req.query
      const channels = q.channels ? q.channels.split(',').map((s) => s.trim()).filter(Boolean) : undefined
      return deps.query.readings(principal(req).tenantId, req.params.id, { channels, from: time('from', q.from), to: time('to', q.to), maxPoints: q.maxPoints })
    },
  )

  r.get(
    '/v1/assets/:id/latest',
    { schema: { tags: ['readings'], summary: 'Latest value of each channel', params: IdParams, response: { 200: Type.Object({ assetId: Type.String(), values: Type.Record(Type.String(), LatestValue) }), ...errors(404) } } },
    async (req) => deps.query.latest(principal(req).tenantId, req.params.id),
  )

  r.get(
    '/v1/fleet/latest',
    {
      schema: {
        tags: ['readings'],
        summary: 'Latest values of every asset of the tenant',
        querystring: Type.Object({ siteId: Type.Optional(Type.String()), type: Type.Optional(Type.String()) }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                assetId: Type.String(),
                name: Type.String(),
                type: Type.String(),
                siteId: Type.Union([Type.String(), Type.Null()]),
                parentId: Type.Union([Type.String(), Type.Null()]),
                values: Type.Record(
                  Type.String(),
                  Type.Object({ ts: Type.Number(), value: Type.Number(), unit: Type.Union([Type.String(), Type.Null()]), min: Type.Union([Type.Number(), Type.Null()]), max: Type.Union([Type.Number(), Type.Null()]) }),
                ),
              }),
            ),
          }),
        },
      },
    },
    // Written from the kept answer's prepared JSON fragments (the schema above documents it; a string is not serialised again).
    async (req, reply) => {
      const json = await deps.query.fleetLatestJson(principal(req).tenantId, req.query)
      // The typed reply only takes the object form; the untyped one sends the text as it is.
      return (reply as FastifyReply).type('application/json; charset=utf-8').send(json)
    },
  )
}
