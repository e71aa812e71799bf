import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { rollUp, type HealthRollup } from '../domain/health.js'
import type { AssetHealth } from '../pipeline/anomaly.stage.js'
import { NotFoundError } from '../pipeline/errors.js'
import { principal } from './auth.hook.js'
import type { ApiDeps } from './deps.js'
import { Id, IdParams, errors } from './schemas.js'

const Num = Type.Number()
const OrNull = <T extends ReturnType<typeof Type.Number | typeof Type.String>>(t: T) => Type.Union([t, Type.Null()])
const Status = Type.Union([Type.Literal('ok'), Type.Literal('warning'), Type.Literal('critical'), Type.Literal('unknown')])
const Thresholds = Type.Object({ warning: Num, critical: Num }, { description: 'health below `warning` is a warning, below `critical` critical (PROGNOS_HEALTH_WARNING, PROGNOS_HEALTH_CRITICAL)' })

const AssetHealthSchema = Type.Object({
  assetId: Type.String(),
  siteId: OrNull(Type.String()),
  ts: OrNull(Num),
  health: OrNull(Type.Number({ description: '0–1, 1 healthy: min(anomaly, margin, rul) components' })),
  status: Status,
  components: Type.Union([Type.Object({ anomaly: Num, margin: Num, rul: Num }), Type.Null()]),
  limiting: OrNull(Type.String({ description: 'anomaly, margin or rul: the component that set the index' })),
  channels: Type.Array(Type.String(), { description: 'channels behind the limiting component, most important first' }),
  anomaly: Type.Union([
    Type.Object({
      score: Num,
      smoothed: Num,
      warmingUp: Type.Boolean({ description: 'the learned detectors are still in probation: no alarm from them' }),
      alarm: Type.Boolean(),
      contributions: Type.Record(Type.String(), Num, { description: 'channel → share of the score' }),
      detectors: Type.Record(Type.String(), Type.Object({ score: Num, warmingUp: Type.Boolean() })),
    }),
    Type.Null(),
  ]),
  rulHours: OrNull(Num),
})

const Rollup = Type.Object({
  health: OrNull(Type.Number({ description: 'worst member' })),
  status: Status,
  mean: OrNull(Num),
  weightedMean: OrNull(Num),
  count: Type.Integer(),
  counts: Type.Object({ ok: Type.Integer(), warning: Type.Integer(), critical: Type.Integer() }),
})

const unknown = (assetId: string, siteId: string | null) => ({ assetId, siteId, ts: null, health: null, status: 'unknown' as const, components: null, limiting: null, channels: [], anomaly: null, rulHours: null })
const rollupBody = (r: HealthRollup) => ({ ...r, status: r.status ?? ('unknown' as const) })

/** Latest anomaly scores and health per asset, with site and fleet roll-ups. */
export function anomalyRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const thresholds = (): { warning: number; critical: number } => ({ warning: deps.config.health.warning, critical: deps.config.health.critical })

  r.get(
    '/v1/assets/:id/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Latest health index and anomaly score of an asset, with the channels that drove them',
        description:
          'From the anomaly stage: live when the asset was scored since start, else from its last checkpoint. `status` is `unknown` while the asset has never been scored (or anomaly detection is off). ' +
          'health = min(anomaly, margin, rul) components; see the README section "Anomaly detection and health".',
        params: IdParams,
        response: { 200: Type.Object({ ...AssetHealthSchema.properties, thresholds: Thresholds }), ...errors(404) },
      },
    },
    async (req) => {
      const tenantId = principal(req).tenantId
      const asset = await deps.stores.meta.tenant(tenantId).getAsset(req.params.id)
      if (!asset) throw new NotFoundError('asset', req.params.id)
      const h = deps.anomaly ? await deps.anomaly.latest(tenantId, asset.id) : null
      return { ...(h ?? unknown(asset.id, asset.siteId)), siteId: asset.siteId, thresholds: thresholds() }
    },
  )

  r.get(
    '/v1/fleet/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Health of every asset, rolled up per site and for the fleet',
        description:
          'Roll-ups take the worst member as `health` (a site with one critical asset is critical), with the mean, the weighted mean (weight 1 per asset) and the count per status beside it. Assets never scored are listed with status `unknown` and left out of the roll-ups.',
        querystring: Type.Object({ siteId: Type.Optional(Id) }),
        response: {
          200: Type.Object({
            thresholds: Thresholds,
            fleet: Rollup,
            sites: Type.Array(Type.Object({ siteId: OrNull(Type.String()), name: OrNull(Type.String()), ...Rollup.properties })),
            assets: Type.Array(AssetHealthSchema),
          }),
          ...errors(400),
        },
      },
    },
    async (req) => {
      const tenantId = principal(req).tenantId
      const tm = deps.stores.meta.tenant(tenantId)
      const [assets, sites, healths] = await Promise.all([tm.listAssets({ limit: 100_000, ...(req.query.siteId ? { siteId: req.query.siteId } : {}) }), tm.listSites(), deps.anomaly ? deps.anomaly.fleet(tenantId) : Promise.resolve([] as AssetHealth[])])
      const byId = new Map(healths.map((h) => [h.assetId, h]))
      const rows = assets.map((a) => ({ ...(byId.get(a.id) ?? unknown(a.id, a.siteId)), siteId: a.siteId }))
      const t = thresholds()
      const scored = rows.filter((x): x is typeof x & { health: number } => x.health !== null)
      const siteNames = new Map(sites.map((s) => [s.id, s.name]))
      const bySite = new Map<string | null, { health: number }[]>()
      for (const x of scored) {
        const list = bySite.get(x.siteId) ?? []
        list.push({ health: x.health })
        bySite.set(x.siteId, list)
      }
      return {
        thresholds: t,
        fleet: rollupBody(rollUp(scored, t)),
        sites: [...bySite].map(([siteId, list]) => ({ siteId, name: siteId === null ? null : (siteNames.get(siteId) ?? null), ...rollupBody(rollUp(list, t)) })),
        assets: rows,
      }
    },
  )
}
