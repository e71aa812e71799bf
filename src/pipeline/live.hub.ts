import type { ReadingBatch } from '../domain/readings.js'
import type { Catalog } from './catalog.js'
import type { IngestEvent } from './ingest.service.js'

/** New readings of one asset from one committed batch, per channel in time order of arrival. */
export interface LiveReadings {
  assetId: string
  series: { channel: string; ts: number[]; value: number[] }[]
}

/** Where a subscriber's events go; `send` answers false when the subscriber cannot keep up. */
export interface LiveSubscriber {
  tenantId: string
  /** Assets to follow; null for every asset of the tenant. */
  assets: ReadonlySet<string> | null
  send(event: 'readings', data: LiveReadings): void
}

/**
 * Fans committed readings out to live subscribers (Server-Sent Events for the dashboard
 * and API users). Only readings the ingest has already made durable are sent, and only
 * to subscribers of the same tenant. Batches with no interested subscriber cost one map lookup.
 */
export class LiveHub {
  private readonly byTenant = new Map<string, Set<LiveSubscriber>>()

  constructor(private readonly catalog: Catalog) {}

  subscribe(sub: LiveSubscriber): () => void {
    let set = this.byTenant.get(sub.tenantId)
    if (!set) this.byTenant.set(sub.tenantId, (set = new Set()))
    set.add(sub)
    return () => {
      set.delete(sub)
      if (set.size === 0) this.byTenant.delete(sub.tenantId)
    }
  }

  get subscribers(): number {
    let n = 0
    for (const s of this.byTenant.values()) n += s.size
    return n
  }

  /** Feed for IngestService.subscribe. */
  onIngest = (e: IngestEvent): void => {
    if (e.type !== 'appended') return
    const subs = this.byTenant.get(e.tenantId)
    if (!subs) return
    let wanted: Set<string> | null = new Set()
    for (const s of subs) {
      if (s.assets === null) {
        wanted = null
        break
      }
      for (const a of s.assets) wanted.add(a)
    }
    const perAsset = this.group(e.batch, e.tenantId, wanted)
    for (const s of subs) {
      for (const [assetId, series] of perAsset) {
        if (s.assets && !s.assets.has(assetId)) continue
        s.send('readings', { assetId, series: [...series.entries()].map(([channel, pts]) => ({ channel, ts: pts.ts, value: pts.value })) })
      }
    }
  }

  private group(batch: ReadingBatch, tenantId: string, wanted: Set<string> | null): Map<string, Map<string, { ts: number[]; value: number[] }>> {
    const out = new Map<string, Map<string, { ts: number[]; value: number[] }>>()
    for (let i = 0; i < batch.length; i++) {
      const ch = this.catalog.channel(batch.series[i]!)
      // A channel of another tenant can never be in this tenant's batch; checked anyway, cheaply.
      if (!ch || ch.tenantId !== tenantId || (wanted && !wanted.has(ch.assetId))) continue
      let channels = out.get(ch.assetId)
      if (!channels) out.set(ch.assetId, (channels = new Map()))
      let pts = channels.get(ch.name)
      if (!pts) channels.set(ch.name, (pts = { ts: [], value: [] }))
      pts.ts.push(batch.ts[i]!)
      pts.value.push(batch.value[i]!)
    }
    return out
  }
}
