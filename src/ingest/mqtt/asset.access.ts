import type { MetaStore } from '../../store/ports.js'

/** How long a looked-up asset's site is trusted; a moved or deleted asset takes effect within it. */
export const DEFAULT_ACL_CACHE_MS = 10_000
/** How long "no such asset" is remembered, so a misconfigured device cannot hammer the store. */
export const DEFAULT_ACL_NEGATIVE_CACHE_MS = 1_000
export const DEFAULT_ACL_CACHE_ENTRIES = 100_000

export type AccessDecision = { ok: true } | { ok: false; reason: string }

interface Entry {
  /** The asset's site; undefined when the asset does not exist in the tenant. */
  siteId: string | null | undefined
  until: number
}

const OK: AccessDecision = { ok: true }

/**
 * The publish ACL: a topic's asset must exist in the publisher's tenant and sit at the
 * topic's site. Lookups are cached (bounded, with expiry) and concurrent lookups of one
 * asset share a single store query, so the check costs a map lookup per message.
 *
 * A tenant's first lookup (and the first after its answers expired) reads all of the
 * tenant's assets in one query: a fleet of 10,000 devices connecting together would
 * otherwise wait for 10,000 queries run one after another. Only an asset missing from
 * that read is then looked up on its own (it may have been created since).
 */
export class AssetAccess {
  private readonly cache = new Map<string, Entry>()
  private readonly pending = new Map<string, Promise<Entry>>()
  /** Per tenant: the whole-tenant read in progress or done, and when it started. */
  private readonly bulk = new Map<string, { at: number; done: Promise<void> }>()

  constructor(
    private readonly meta: MetaStore,
    private readonly opts: { cacheMs: number; negativeCacheMs: number; maxEntries: number } = {
      cacheMs: DEFAULT_ACL_CACHE_MS,
      negativeCacheMs: DEFAULT_ACL_NEGATIVE_CACHE_MS,
      maxEntries: DEFAULT_ACL_CACHE_ENTRIES,
    },
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * May the tenant's devices publish telemetry of `assetId` at `siteId`?
   *
   * An expired answer that the asset exists is still used while it is looked up again in
   * the background: otherwise, every `cacheMs`, each asset's next message would wait for
   * a store query, and a fleet's thousands of assets expiring together stalled ingest for
   * seconds on a loaded machine. A moved or deleted asset takes effect within `cacheMs`
   * plus one lookup. "No such asset" is never used once expired: a newly created asset
   * must not be refused.
   */
  check(tenantId: string, siteId: string | null, assetId: string): AccessDecision | Promise<AccessDecision> {
    const key = `${tenantId}\u0000${assetId}`
    const hit = this.cache.get(key)
    if (hit && hit.until > this.now()) return decide(hit, siteId, assetId)
    const p = this.refresh(tenantId, assetId, key)
    if (hit && hit.siteId !== undefined) {
      // A failed background lookup keeps the stale answer; the next check tries again.
      p.catch(() => undefined)
      return decide(hit, siteId, assetId)
    }
    return p.then((e) => decide(e, siteId, assetId))
  }

  /** One store query per asset at a time, however many messages ask. */
  private refresh(tenantId: string, assetId: string, key: string): Promise<Entry> {
    let p = this.pending.get(key)
    if (!p) {
      p = this.lookup(tenantId, assetId, key).finally(() => this.pending.delete(key))
      this.pending.set(key, p)
    }
    return p
  }

  private async lookup(tenantId: string, assetId: string, key: string): Promise<Entry> {
    const started = this.now()
    await this.loadTenant(tenantId)
    // Fresh from the tenant read (which started after this lookup was asked for): done.
    const hit = this.cache.get(key)
    if (hit && hit.siteId !== undefined && hit.until - this.opts.cacheMs >= started) return hit
    const asset = await this.meta.tenant(tenantId).getAsset(assetId)
    const entry: Entry = asset ? { siteId: asset.siteId, until: this.now() + this.opts.cacheMs } : { siteId: undefined, until: this.now() + this.opts.negativeCacheMs }
    this.put(key, entry)
    return entry
  }

  /**
   * Reads all of the tenant's assets at most once per `cacheMs` (concurrent callers share
   * the read). A failed read is not remembered: the per-asset lookup that follows reports it.
   */
  private loadTenant(tenantId: string): Promise<void> {
    const now = this.now()
    const b = this.bulk.get(tenantId)
    if (b && b.at + this.opts.cacheMs > now) return b.done
    const done = this.meta
      .tenant(tenantId)
      .listAssets({ limit: this.opts.maxEntries })
      .then(
        (assets) => {
          const until = this.now() + this.opts.cacheMs
          for (const a of assets) this.put(`${tenantId}\u0000${a.id}`, { siteId: a.siteId, until })
        },
        () => {
          this.bulk.delete(tenantId)
        },
      )
    this.bulk.set(tenantId, { at: now, done })
    return done
  }

  private put(key: string, entry: Entry): void {
    this.cache.delete(key)
    // Maps iterate in insertion order: the first key is the oldest entry.
    if (this.cache.size >= this.opts.maxEntries) this.cache.delete(this.cache.keys().next().value!)
    this.cache.set(key, entry)
  }

  /** Forgets what is known about the tenant's assets (e.g. after an asset was moved or deleted). */
  invalidate(tenantId?: string): void {
    if (tenantId === undefined) {
      this.cache.clear()
      this.bulk.clear()
    } else {
      this.bulk.delete(tenantId)
      for (const key of this.cache.keys()) if (key.startsWith(`${tenantId}\u0000`)) this.cache.delete(key)
    }
  }
}

function decide(e: Entry, siteId: string | null, assetId: string): AccessDecision {
  if (e.siteId === undefined) return { ok: false, reason: `asset '${assetId}' does not exist in the tenant of this device (create it first with POST /v1/assets)` }
  if (e.siteId !== siteId) return { ok: false, reason: `asset '${assetId}' is at ${e.siteId === null ? "no site (use '-' as the site segment)" : `site '${e.siteId}'`}, not at '${siteId ?? '-'}'` }
  return OK
}
