import type { ReadingBatch } from '../domain/readings.js'
import type { Alert, AssetFeatures, Bus, Prediction, Subscription } from './bus.js'
import type { Catalog } from './catalog.js'
import type { IngestEvent } from './ingest.service.js'

/** New readings of one asset from one committed batch, per channel in time order of arrival. */
export interface LiveReadings {
  assetId: string
  series: { channel: string; ts: number[]; value: number[] }[]
}

/** Live event types and what each carries. */
export interface LiveEvents {
  readings: LiveReadings
  /** A feature snapshot of one asset: `{assetId, ts, vector}` with names like `temp.w10.mean`. */
  features: AssetFeatures
  /** A prediction of a scoring stage. */
  prediction: Prediction
  /** An alert transition of an alerting stage. */
  alert: Alert
}
export type LiveEventType = keyof LiveEvents

/** Where a subscriber's events go. */
export interface LiveSubscriber {
  tenantId: string
  /** Assets to follow; null for every asset of the tenant. */
  assets: ReadonlySet<string> | null
  send<E extends LiveEventType>(event: E, data: LiveEvents[E]): void
}

/**
 * Fans committed readings out to live subscribers (Server-Sent Events for the dashboard
 * and API users). Only readings the ingest has already made durable are sent, and only
 * to subscribers of the same tenant. Batches with no interested subscriber cost one map lookup.
 */
export class LiveHub {
  private readonly byTenant = new Map<string, Set<LiveSubscriber>>()
  private bus: Bus | null = null
  private busSubs: Subscription[] = []

  constructor(private readonly catalog: Catalog) {}

  /**
   * Relays the bus's features, predictions and alerts to subscribers. The hub joins those
   * topics (consumer group `live`) only while someone is subscribed, so that without live
   * clients no feature vector is built for it.
   */
  attach(bus: Bus): void {
    this.bus = bus
    if (this.subscribers > 0) this.joinBus()
  }

  private joinBus(): void {
    const bus = this.bus
    if (!bus || this.busSubs.length > 0) return
    this.busSubs = [
      bus.subscribe('features', 'live', (m) => this.fanOut(m.tenantId, 'features', m.assets)),
      bus.subscribe('predictions', 'live', (m) => this.fanOut(m.tenantId, 'prediction', m.predictions)),
      bus.subscribe('alerts', 'live', (m) => this.fanOut(m.tenantId, 'alert', m.alerts)),
    ]
  }

  private leaveBus(): void {
    for (const s of this.busSubs.splice(0)) s.unsubscribe()
  }

  private fanOut<E extends 'features' | 'prediction' | 'alert'>(tenantId: string, event: E, items: readonly LiveEvents[E][]): void {
    const subs = this.byTenant.get(tenantId)
    if (!subs) return
    for (const s of subs) for (const item of items) if (!s.assets || s.assets.has(item.assetId)) s.send(event, item)
  }

  subscribe(sub: LiveSubscriber): () => void {
    let set = this.byTenant.get(sub.tenantId)
    if (!set) this.byTenant.set(sub.tenantId, (set = new Set()))
    set.add(sub)
    this.joinBus()
    return () => {
      set.delete(sub)
      if (set.size === 0) this.byTenant.delete(sub.tenantId)
      if (this.byTenant.size === 0) this.leaveBus()
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
