import type { Asset, Channel, ChannelSpec } from '../domain/model.js'
import type { MetaStore } from '../store/ports.js'
import { InvalidRequestError, NotFoundError } from './errors.js'

/** A cached asset: its record and its channels by name. */
export interface CatalogEntry {
  asset: Asset
  channels: Map<string, Channel>
}

/** Distinct channel names shared by the catalog at most. */
const NAME_CAP = 10_000

/**
 * Cache of which assets exist and their channels, so that ingest resolves names to
 * series keys without a store round trip per request. Writes to assets and channels
 * go through the same services, which call `invalidate`.
 */
export class Catalog {
  private readonly tenants = new Map<string, Map<string, CatalogEntry>>()
  /** Series key → channel, for everything the cache holds (keys are never reused). */
  private readonly byKey = new Map<number, Channel>()
  /** Every asset and channel of a tenant, for fleet-wide views; dropped on any change in the tenant. */
  private readonly fleets = new Map<string, Promise<{ assets: Asset[]; channels: Channel[] }>>()
  /** Tenants whose assets were all read into the cache (in progress or done). */
  private readonly warmed = new Map<string, Promise<void>>()
  /**
   * Assets changed while their tenant's whole read runs (null: the whole tenant): the read
   * may predate the change, so those assets take the per-asset path instead.
   */
  private readonly changedDuringWarm = new Map<string, Set<string> | null>()
  /**
   * One copy of each channel name (a fleet's assets mostly share a handful): every row read
   * from the store is a new string, and a 10,000-asset fleet holds 100,000 channels.
   */
  private readonly names = new Map<string, string>()

  constructor(private readonly meta: MetaStore) {}

  /** Channels of an asset if it is cached: lets the hot path skip an await per asset. */
  cached(tenantId: string, assetId: string): Map<string, Channel> | undefined {
    return this.tenants.get(tenantId)?.get(assetId)?.channels
  }

  /** Channels of an asset, or null if the asset does not exist in the tenant. */
  async asset(tenantId: string, assetId: string): Promise<Map<string, Channel> | null> {
    return (await this.entry(tenantId, assetId))?.channels ?? null
  }

  /** An asset's record and channels, or null if the asset does not exist in the tenant. */
  async entry(tenantId: string, assetId: string): Promise<CatalogEntry | null> {
    let assets = this.tenants.get(tenantId)
    const hit = assets?.get(assetId)
    if (hit) return hit
    // A tenant's first miss reads all its assets and channels in two queries, rather than
    // two per asset: a 10,000-asset fleet starting up would otherwise wait on them in turn.
    await this.warm(tenantId)
    assets = this.tenants.get(tenantId)
    const warm = assets?.get(assetId)
    if (warm) return warm
    const tm = this.meta.tenant(tenantId)
    const asset = await tm.getAsset(assetId)
    // Missing assets are not cached: one may be created at any moment.
    if (!asset) return null
    this.shareAsset(asset, tenantId)
    const channels = new Map((await tm.listChannels(assetId)).map((c) => [c.name, this.share(c, asset)]))
    for (const c of channels.values()) this.byKey.set(c.key, c)
    if (!assets) this.tenants.set(tenantId, (assets = new Map()))
    const entry = { asset, channels }
    assets.set(assetId, entry)
    return entry
  }

  /** Reads all of a tenant's assets into the cache, once; assets already cached are kept. */
  private warm(tenantId: string): Promise<void> {
    let w = this.warmed.get(tenantId)
    if (!w) {
      this.changedDuringWarm.set(tenantId, new Set())
      const tm = this.meta.tenant(tenantId)
      w = Promise.all([tm.listAssets({ limit: 100_000 }), tm.listAllChannels()]).then(
        ([list, channels]) => {
          const changed = this.changedDuringWarm.get(tenantId)
          this.changedDuringWarm.delete(tenantId)
          // A change during the read may not be in it: the per-asset path answers instead.
          if (changed === null) return
          const byAsset = new Map<string, CatalogEntry>(list.map((a) => [a.id, { asset: this.shareAsset(a, tenantId), channels: new Map() }]))
          for (const c of channels) {
            const entry = byAsset.get(c.assetId)
            if (entry) entry.channels.set(c.name, this.share(c, entry.asset))
          }
          let assets = this.tenants.get(tenantId)
          if (!assets) this.tenants.set(tenantId, (assets = new Map()))
          for (const [id, entry] of byAsset) {
            if (assets.has(id) || changed?.has(id)) continue
            for (const c of entry.channels.values()) this.byKey.set(c.key, c)
            assets.set(id, entry)
          }
        },
        // Not remembered: the per-asset path runs (and reports a store failure) instead.
        () => {
          this.changedDuringWarm.delete(tenantId)
          this.warmed.delete(tenantId)
        },
      )
      this.warmed.set(tenantId, w)
    }
    return w
  }

  private changed(tenantId: string, assetId?: string): void {
    const changed = this.changedDuringWarm.get(tenantId)
    if (changed === undefined) return
    if (assetId === undefined) this.changedDuringWarm.set(tenantId, null)
    else changed?.add(assetId)
  }

  /** Creates missing channels of an asset and records them in the cache. */
  async ensureChannels(tenantId: string, assetId: string, specs: readonly ChannelSpec[]): Promise<Channel[]> {
    const created = await this.meta.tenant(tenantId).ensureChannels(assetId, specs)
    this.changed(tenantId, assetId)
    this.fleets.delete(tenantId)
    const entry = this.tenants.get(tenantId)?.get(assetId)
    if (entry) for (const c of created) entry.channels.set(c.name, this.share(c, entry.asset))
    for (const c of created) this.byKey.set(c.key, c)
    return created
  }

  /** The channel behind a series key, if its asset is cached (every key ingest just wrote is). */
  channel(key: number): Channel | undefined {
    return this.byKey.get(key)
  }

  /**
   * All assets and channels of a tenant, read from the store once until something in the
   * tenant changes. Records the per-asset cache holds are given as those same objects (the
   * cache is never staler than a read: a change drops both), so a fleet-wide view does not
   * keep a second copy of a large fleet.
   */
  fleet(tenantId: string): Promise<{ assets: Asset[]; channels: Channel[] }> {
    let hit = this.fleets.get(tenantId)
    if (!hit) {
      const tm = this.meta.tenant(tenantId)
      hit = Promise.all([tm.listAssets({ limit: 100_000 }), tm.listAllChannels()]).then(([read, readChannels]) => {
        const cached = this.tenants.get(tenantId)
        const assets = read.map((a) => cached?.get(a.id)?.asset ?? this.shareAsset(a, tenantId))
        const byId = new Map(assets.map((a) => [a.id, a]))
        const channels = readChannels.map((c) => {
          const held = this.byKey.get(c.key)
          if (held) return held
          const asset = byId.get(c.assetId)
          return asset ? this.share(c, asset) : c
        })
        return { assets, channels }
      })
      // A failed read is not cached.
      hit.catch(() => this.fleets.delete(tenantId))
      this.fleets.set(tenantId, hit)
    }
    return hit
  }

  /** One copy of a name or type (see `names`); past NAME_CAP distinct ones, new ones are kept as read. */
  private intern(s: string): string {
    const held = this.names.get(s)
    if (held !== undefined) return held
    if (this.names.size < NAME_CAP) this.names.set(s, s)
    return s
  }

  /** The asset record with its tenant id and type shared. */
  private shareAsset(a: Asset, tenantId: string): Asset {
    if (a.tenantId === tenantId) a.tenantId = tenantId
    a.type = this.intern(a.type)
    return a
  }

  /** The channel with its strings shared: its asset's ids, and one copy of its name. */
  private share(c: Channel, asset: Asset): Channel {
    c.name = this.intern(c.name)
    if (c.tenantId === asset.tenantId) c.tenantId = asset.tenantId
    if (c.assetId === asset.id) c.assetId = asset.id
    return c
  }

  invalidate(tenantId: string, assetId?: string): void {
    this.changed(tenantId, assetId)
    this.fleets.delete(tenantId)
    const assets = this.tenants.get(tenantId)
    if (!assets) return
    for (const [id, entry] of assets) {
      if (assetId !== undefined && id !== assetId) continue
      for (const c of entry.channels.values()) this.byKey.delete(c.key)
      assets.delete(id)
    }
  }
}

/**
 * The asset's channels for a read, from the catalog cache (the store is read once per
 * asset, not per request): all of them by key, or the ones named, in the order named.
 * Throws NotFoundError for an asset the tenant does not have, and InvalidRequestError
 * naming each channel the asset lacks.
 */
export async function channelsOf(catalog: Catalog, tenantId: string, assetId: string, names?: readonly string[]): Promise<Channel[]> {
  const cached = await catalog.asset(tenantId, assetId)
  if (!cached) throw new NotFoundError('asset', assetId)
  const all = [...cached.values()].sort((a, b) => a.key - b.key)
  if (!names || names.length === 0) return all
  const byName = new Map(all.map((c) => [c.name, c]))
  const unknown = names.filter((n) => !byName.has(n))
  if (unknown.length > 0) throw new InvalidRequestError(unknown.map((n) => ({ field: 'channels', reason: `asset '${assetId}' has no channel '${n}'` })))
  return names.map((n) => byName.get(n)!)
}
