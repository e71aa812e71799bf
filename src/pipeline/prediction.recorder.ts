import type { PredictionStore } from '../store/registry.ports.js'
import type { Bus, Prediction, Subscription } from './bus.js'

/** Typed events for logs and metrics. */
export type RecorderEvent = { type: 'stored'; count: number } | { type: 'dropped'; count: number; reason: string } | { type: 'failed'; count: number; error: unknown }

/** Predictions waiting for their write, at most; more are dropped and counted (derived data never blocks serving). */
export const DEFAULT_RECORDER_MAX_PENDING = 200_000

/**
 * Stores predictions off the request path: callers hand them over and go on; one write at a
 * time takes everything queued per tenant. `flush()` resolves once what was queued before it
 * is stored (tests, shutdown).
 */
export class PredictionRecorder {
  private readonly queued = new Map<string, Prediction[]>()
  private pending = 0
  private running: Promise<void> | null = null

  constructor(
    private readonly store: PredictionStore,
    private readonly onEvent: (e: RecorderEvent) => void = () => undefined,
    private readonly maxPending = DEFAULT_RECORDER_MAX_PENDING,
  ) {}

  record(tenantId: string, predictions: readonly Prediction[]): void {
    if (predictions.length === 0) return
    if (this.pending + predictions.length > this.maxPending) {
      this.onEvent({ type: 'dropped', count: predictions.length, reason: 'recorder queue full' })
      return
    }
    let q = this.queued.get(tenantId)
    if (!q) this.queued.set(tenantId, (q = []))
    q.push(...predictions)
    this.pending += predictions.length
    this.running ??= this.drain()
  }

  private async drain(): Promise<void> {
    // Let the callers of this tick add to the batch first.
    await new Promise((r) => setImmediate(r))
    while (this.queued.size > 0) {
      const [tenantId, batch] = this.queued.entries().next().value as [string, Prediction[]]
      this.queued.delete(tenantId)
      try {
        await this.store.append(tenantId, batch)
        this.onEvent({ type: 'stored', count: batch.length })
      } catch (error) {
        this.onEvent({ type: 'failed', count: batch.length, error })
      }
      this.pending -= batch.length
    }
    this.running = null
  }

  async flush(): Promise<void> {
    while (this.running) await this.running
  }
}

/**
 * Stores every prediction published on the bus `predictions` topic (consumer group `store`),
 * with its model, version and deployment. Messages are acknowledged once stored. The messages
 * waiting when the store is free go in one transaction per tenant: one message per commit
 * paced the whole pipeline by commit latency (scoring waits while predictions back up).
 */
export function storePublishedPredictions(bus: Bus, store: PredictionStore, onError: (error: unknown) => void): Subscription {
  return bus.subscribeBatch('predictions', 'store', async (msgs) => {
    const byTenant = new Map<string, Prediction[]>()
    for (const m of msgs) {
      const list = byTenant.get(m.tenantId)
      if (list) for (const p of m.predictions) list.push(p)
      else byTenant.set(m.tenantId, [...m.predictions])
    }
    for (const [tenantId, predictions] of byTenant) {
      try {
        await store.append(tenantId, predictions)
      } catch (err) {
        onError(err)
      }
    }
  })
}
