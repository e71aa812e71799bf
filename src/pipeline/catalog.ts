import type { Asset, Channel, ChannelSpec } from '../domain/model.js'
import type { MetaStore } from '../store/ports.js'

interface AssetEntry {
  channels: Map<string, Channel>
}

/**
 * Cache of which assets exist and their channels, so that ingest resolves names to
 * series keys without a store round trip per request. Writes to assets and channels
 * go through the same services, which call `invalidate`.
 */
export class Catalog {
  private readonly tenants = new Map<string, Map<string, AssetEntry>>()
  /** Series key → channel, for everything the cache holds (keys are never reused). */
  private readonly byKey = new Map<number, Channel>()
  /** Every asset and channel of a tenant, for fleet-wide views; dropped on any change in the tenant. */
  private readonly fleets = new Map<string, Promise<{ assets: Asset[]; channels: Channel[] }>>()

  constructor(private readonly meta: MetaStore) {}

  /** Channels of an asset if it is cached: lets the hot path skip an await per asset. */
  cached(tenantId: string, assetId: string): Map<string, Channel> | undefined {
    return this.tenants.get(tenantId)?.get(assetId)?.channels
  }

  /** Channels of an asset, or null if the asset does not exist in the tenant. */
  async asset(tenantId: string, assetId: string): Promise<Map<string, Channel> | null> {
    let assets = this.tenants.get(tenantId)
    const hit = assets?.get(assetId)
    if (hit) return hit.channels
    const tm = this.meta.tenant(tenantId)
    const asset = await tm.getAsset(assetId)
    // Missing assets are not cached: one may be created at any moment.
    if (!asset) return null
    const channels = new Map((await tm.listChannels(assetId)).map((c) => [c.name, c]))
    for (const c of channels.values()) this.byKey.set(c.key, c)
    if (!assets) this.tenants.set(tenantId, (assets = new Map()))
    assets.set(assetId, { channels })
    return channels
  }

  /** Creates missing channels of an asset and records them in the cache. */
  async ensureChannels(tenantId: string, assetId: string, specs: readonly ChannelSpec[]): Promise<Channel[]> {
    const created = await this.meta.tenant(tenantId).ensureChannels(assetId, specs)
    this.fleets.delete(tenantId)
    const entry = this.tenants.get(tenantId)?.get(assetId)
    if (entry) for (const c of created) entry.channels.set(c.name, c)
    for (const c of created) this.byKey.set(c.key, c)
    return created
  }

  /** The channel behind a series key, if its asset is cached (every key ingest just wrote is). */
  channel(key: number): Channel | undefined {
    return this.byKey.get(key)
  }

  /** All assets and channels of a tenant, read from the store once until something in the tenant changes. */
  fleet(tenantId: string): Promise<{ assets: Asset[]; channels: Channel[] }> {
    let hit = this.fleets.get(tenantId)
    if (!hit) {
      const tm = this.meta.tenant(tenantId)
      hit = Promise.all([tm.listAssets({ limit: 100_000 }), tm.listAllChannels()]).then(([assets, channels]) => ({ assets, channels }))
      // A failed read is not cached.
      hit.catch(() => this.fleets.delete(tenantId))
      this.fleets.set(tenantId, hit)
    }
    return hit
  }

  invalidate(tenantId: string, assetId?: string): void {
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
