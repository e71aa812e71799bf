import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { rangeProblem, type ChannelSpec } from '../domain/model.js'
import { isTimeZone } from '../domain/time.js'
import { InvalidRequestError, NotFoundError } from '../pipeline/errors.js'
import { principal } from './auth.hook.js'
import type { ApiDeps } from './deps.js'
import { noContent } from './reply.js'
import { Asset, AssetInput, AssetPatch, AssetWithChannels, Channel, ChannelInput, ChannelPatch, IdParams, Items, Site, SiteInput, SitePatch, errors } from './schemas.js'

const write = { permission: 'write' as const }

/** CRUD for sites, assets and channels. Every call goes through the caller's tenant-scoped store view. */
/** Largest bulk asset creation. */
const BULK_MAX_ASSETS = 10_000

export function domainRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const tm = (req: Parameters<typeof principal>[0]) => deps.stores.meta.tenant(principal(req).tenantId)
  const must = <T>(v: T | null, what: string, id: string): T => {
    if (v === null) throw new NotFoundError(what, id)
    return v
  }

  const checkZone = (timezone: string | undefined): void => {
    if (timezone !== undefined && !isTimeZone(timezone)) throw new InvalidRequestError([{ field: 'timezone', reason: `'${timezone}' is not an IANA time zone, e.g. Europe/Paris or UTC` }])
  }

  const checkRanges = (specs: readonly Partial<ChannelSpec>[], field: (i: number) => string): void => {
    const problems = specs.flatMap((c, i) => {
      const why = rangeProblem(c.min, c.max)
      return why ? [{ field: field(i), reason: why }] : []
    })
    if (problems.length > 0) throw new InvalidRequestError(problems)
  }

  // Sites
  r.get('/v1/sites', { schema: { tags: ['sites'], summary: 'List sites', response: { 200: Items(Site) } } }, async (req) => ({ items: await tm(req).listSites() }))
  r.post('/v1/sites', { config: write, schema: { tags: ['sites'], summary: 'Create a site', body: SiteInput, response: { 201: Site, ...errors(400, 409) } } }, async (req, reply) => {
    checkZone(req.body.timezone)
    return reply.status(201).send(await tm(req).createSite(req.body))
  })
  r.get('/v1/sites/:id', { schema: { tags: ['sites'], params: IdParams, response: { 200: Site, ...errors(404) } } }, async (req) =>
    must(await tm(req).getSite(req.params.id), 'site', req.params.id),
  )
  r.patch('/v1/sites/:id', { config: write, schema: { tags: ['sites'], params: IdParams, body: SitePatch, response: { 200: Site, ...errors(400, 404) } } }, async (req) => {
    checkZone(req.body.timezone)
    return must(await tm(req).updateSite(req.params.id, req.body), 'site', req.params.id)
  })
  r.delete('/v1/sites/:id', { config: write, schema: { tags: ['sites'], params: IdParams, response: errors(404, 409) } }, async (req, reply) => {
    must((await tm(req).deleteSite(req.params.id)) || null, 'site', req.params.id)
    return noContent(reply)
  })

  // Assets
  r.get(
    '/v1/assets',
    {
      schema: {
        tags: ['assets'],
        summary: 'List assets',
        querystring: Type.Object({
          siteId: Type.Optional(Type.String()),
          type: Type.Optional(Type.String()),
          parentId: Type.Optional(Type.String()),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
          offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
        }),
        response: { 200: Items(Asset) },
      },
    },
    async (req) => ({ items: await tm(req).listAssets(req.query) }),
  )
  r.post(
    '/v1/assets',
    { config: write, schema: { tags: ['assets'], summary: 'Create an asset, optionally with its channels', body: AssetInput, response: { 201: AssetWithChannels, ...errors(400, 409) } } },
    async (req, reply) => {
      const { channels: specs, ...input } = req.body
      checkRanges(specs ?? [], (i) => `channels.${i}`)
      const t = tm(req)
      const asset = await t.createAsset(input)
      const channels = specs?.length ? await t.ensureChannels(asset.id, specs) : []
      deps.catalog.invalidate(asset.tenantId, asset.id)
      return reply.status(201).send({ ...asset, channels })
    },
  )
  r.post(
    '/v1/assets/bulk',
    {
      config: write,
      schema: {
        tags: ['assets'],
        summary: 'Create many assets with their channels, all or none',
        description: 'Onboards a fleet in one call: up to 10,000 assets, each with up to 1,000 channels, in one transaction. Parents may be other items of the batch. An existing or repeated id is 409 and a missing site or parent 400 (naming `assets.<i>.<field>`), and then nothing is created.',
        body: Type.Object({ assets: Type.Array(AssetInput, { minItems: 1, maxItems: BULK_MAX_ASSETS }) }, { additionalProperties: false }),
        response: { 201: Type.Object({ created: Type.Integer(), items: Type.Array(AssetWithChannels) }), ...errors(400, 409) },
      },
    },
    async (req, reply) => {
      const { assets } = req.body
      const specs = assets.flatMap((a, i) => (a.channels ?? []).map((c, j) => ({ ...c, field: `assets.${i}.channels.${j}` })))
      checkRanges(specs, (k) => specs[k]!.field)
      const t = tm(req)
      const items = await t.createAssets(assets)
      for (const a of items) deps.catalog.invalidate(a.tenantId, a.id)
      return reply.status(201).send({ created: items.length, items })
    },
  )
  r.get('/v1/assets/:id', { schema: { tags: ['assets'], summary: 'An asset with its channels', params: IdParams, response: { 200: AssetWithChannels, ...errors(404) } } }, async (req) => {
    const t = tm(req)
    const asset = must(await t.getAsset(req.params.id), 'asset', req.params.id)
    return { ...asset, channels: await t.listChannels(asset.id) }
  })
  r.patch('/v1/assets/:id', { config: write, schema: { tags: ['assets'], params: IdParams, body: AssetPatch, response: { 200: Asset, ...errors(400, 404) } } }, async (req) => {
    const asset = must(await tm(req).updateAsset(req.params.id, req.body), 'asset', req.params.id)
    deps.catalog.invalidate(asset.tenantId, asset.id)
    return asset
  })
  r.delete('/v1/assets/:id', { config: write, schema: { tags: ['assets'], params: IdParams, response: errors(404, 409) } }, async (req, reply) => {
    must((await tm(req).deleteAsset(req.params.id)) || null, 'asset', req.params.id)
    deps.catalog.invalidate(principal(req).tenantId, req.params.id)
    return noContent(reply)
  })

  // Channels
  const ChannelParams = Type.Object({ id: IdParams.properties.id, name: Type.String() })
  r.get('/v1/assets/:id/channels', { schema: { tags: ['channels'], params: IdParams, response: { 200: Items(Channel), ...errors(404) } } }, async (req) => {
    const t = tm(req)
    must(await t.getAsset(req.params.id), 'asset', req.params.id)
    return { items: await t.listChannels(req.params.id) }
  })
  r.post(
    '/v1/assets/:id/channels',
    { config: write, schema: { tags: ['channels'], summary: 'Declare a channel (idempotent by name)', params: IdParams, body: ChannelInput, response: { 201: Channel, ...errors(400, 404) } } },
    async (req, reply) => {
      checkRanges([req.body], () => 'max')
      const t = tm(req)
      must(await t.getAsset(req.params.id), 'asset', req.params.id)
      const [ch] = await t.ensureChannels(req.params.id, [req.body])
      deps.catalog.invalidate(principal(req).tenantId, req.params.id)
      return reply.status(201).send(ch!)
    },
  )
  r.patch('/v1/assets/:id/channels/:name', { config: write, schema: { tags: ['channels'], params: ChannelParams, body: ChannelPatch, response: { 200: Channel, ...errors(400, 404) } } }, async (req) => {
    const current = (await tm(req).listChannels(req.params.id)).find((c) => c.name === req.params.name)
    if (current) checkRanges([{ min: current.min, max: current.max, ...req.body }], () => 'max')
    const ch = must(await tm(req).updateChannel(req.params.id, req.params.name, req.body), 'channel', `${req.params.id}/${req.params.name}`)
    deps.catalog.invalidate(principal(req).tenantId, req.params.id)
    return ch
  })
  r.delete('/v1/assets/:id/channels/:name', { config: write, schema: { tags: ['channels'], params: ChannelParams, response: errors(404) } }, async (req, reply) => {
    must((await tm(req).deleteChannel(req.params.id, req.params.name)) || null, 'channel', `${req.params.id}/${req.params.name}`)
    deps.catalog.invalidate(principal(req).tenantId, req.params.id)
    return noContent(reply)
  })
}
