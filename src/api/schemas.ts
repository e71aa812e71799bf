/** Request and response schemas: they validate requests and generate /openapi.json. */
import { Type, type Static } from '@sinclair/typebox'
import { ROLES } from '../domain/model.js'
import { ASSET_ID_PATTERN, CHANNEL_NAME_PATTERN } from '../ingest/records.parse.js'

const ID_PATTERN = ASSET_ID_PATTERN.source
const CHANNEL_PATTERN = CHANNEL_NAME_PATTERN.source
export const Id = Type.String({ pattern: ID_PATTERN, description: '1–128 letters, digits or _ . : -' })
export const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()])

export const ErrorBody = Type.Object(
  {
    code: Type.String({ description: 'Stable error code, e.g. VALIDATION_FAILED' }),
    message: Type.String(),
    details: Type.Optional(Type.Array(Type.Object({ index: Type.Optional(Type.Integer()), field: Type.String(), reason: Type.String() }))),
  },
  { $id: 'Error' },
)

export const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, ErrorBody]))

export const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)))

export const SiteInput = Type.Object(
  {
    id: Type.Optional(Id),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    latitude: Type.Number({ minimum: -90, maximum: 90 }),
    longitude: Type.Number({ minimum: -180, maximum: 180 }),
    timezone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA zone, e.g. Europe/Paris' }),
  },
  { additionalProperties: false },
)
export const SitePatch = Type.Partial(Type.Omit(SiteInput, ['id']), { additionalProperties: false })
export const Site = Type.Object({
  id: Type.String(),
  tenantId: Type.String(),
  name: Type.String(),
  latitude: Type.Number(),
  longitude: Type.Number(),
  timezone: Type.String(),
  createdAt: Type.Integer(),
})

export const AssetInput = Type.Object(
  {
    id: Type.Optional(Id),
    siteId: Type.Optional(Type.Union([Id, Type.Null()])),
    parentId: Type.Optional(Type.Union([Id, Type.Null()])),
    type: Type.String({ minLength: 1, maxLength: 64, description: 'turbofan, battery_string, battery_cell, li_ion_pack, energy_meter, … or your own' }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    channels: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String({ pattern: CHANNEL_PATTERN }),
            unit: Type.Optional(Type.Union([Type.String({ maxLength: 32 }), Type.Null()])),
            min: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
            max: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
          },
          { additionalProperties: false },
        ),
        { maxItems: 1000 },
      ),
    ),
  },
  { additionalProperties: false },
)
export const AssetPatch = Type.Partial(Type.Omit(AssetInput, ['id', 'channels']), { additionalProperties: false })
export const Asset = Type.Object({
  id: Type.String(),
  tenantId: Type.String(),
  siteId: Type.Union([Type.String(), Type.Null()]),
  parentId: Type.Union([Type.String(), Type.Null()]),
  type: Type.String(),
  name: Type.String(),
  metadata: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.Integer(),
})
export const ChannelInput = Type.Object(
  {
    name: Type.String({ pattern: CHANNEL_PATTERN }),
    unit: Type.Optional(Type.Union([Type.String({ maxLength: 32 }), Type.Null()])),
    min: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    max: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  },
  { additionalProperties: false },
)
export const ChannelPatch = Type.Partial(Type.Omit(ChannelInput, ['name']), { additionalProperties: false })
export const Channel = Type.Object({
  key: Type.Integer(),
  tenantId: Type.String(),
  assetId: Type.String(),
  name: Type.String(),
  unit: Type.Union([Type.String(), Type.Null()]),
  min: Type.Union([Type.Number(), Type.Null()]),
  max: Type.Union([Type.Number(), Type.Null()]),
  createdAt: Type.Integer(),
})
export const AssetWithChannels = Type.Intersect([Asset, Type.Object({ channels: Type.Array(Channel) })])

export const IdParams = Type.Object({ id: Id })
export const Items = <T extends ReturnType<typeof Type.Object>>(t: T) => Type.Object({ items: Type.Array(t) })

/** One wide record. Validated per record by ingest (a bad record is refused alone, not the batch). */
export const IngestRecord = Type.Object(
  {
    asset: Id,
    ts: Type.Union([Type.Number({ description: 'epoch milliseconds' }), Type.String({ format: 'date-time', description: 'ISO 8601 with a zone' })]),
    values: Type.Record(Type.String(), Type.Number(), { description: 'channel name → finite number' }),
  },
  { additionalProperties: false },
)
export const IngestBody = Type.Object({ records: Type.Array(IngestRecord) }, { additionalProperties: false })
export type IngestBody = Static<typeof IngestBody>
export const IngestResponse = Type.Object({
  accepted: Type.Integer({ description: 'records stored' }),
  readings: Type.Integer({ description: 'channel values of the accepted records, all durable' }),
  duplicates: Type.Integer({
    description: 'of those, values already stored (same asset, channel and ts) and not stored again: a client that resends a batch after a timeout sees them here',
  }),
  refused: Type.Array(Type.Object({ index: Type.Integer(), field: Type.String(), reason: Type.String() })),
})

export const LatestValue = Type.Object({ ts: Type.Number(), value: Type.Number() })
