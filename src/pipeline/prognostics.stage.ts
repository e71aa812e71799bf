/**
 * The prognostics stage: serves registered windowed models (turbofan RUL, li-ion state of health,
 * building load forecasts) in the pipeline. It consumes committed readings (consumer group
 * `prognostics`), keeps per asset the bounded history its serving adapter needs, and when a step
 * completes (a cycle, a local day) asks the model router for the deployed version the asset routes
 * to. The answers are published on `predictions` with model, version and deployment, so they are
 * stored, feed alerting (`rul_hours` against the RUL rule) and the health index, like any other.
 */
import type { ModelRouter, PredictItem } from '../registry/model.router.js'
import type { Bus, Prediction, ReadingsMessage, Subscription } from './bus.js'
import { SERVING_ADAPTERS, type AdapterAsset, type AssetRecord, type HistoryPlan, type ServingAdapter } from './prognostics.adapters.js'

/** Assets tracked at once per process; more are refused (counted) until restart. */
export const DEFAULT_PROGNOSTICS_MAX_ASSETS = 100_000
/** How long an asset found to need no adapter (or not found) is remembered before it is looked up again. */
export const PROGNOSTICS_NEGATIVE_CACHE_MS = 60_000

export type PrognosticsEvent =
  | { type: 'predicted'; tenantId: string; predictions: number }
  | { type: 'failed'; tenantId: string; model: string; assetId: string; error: unknown }
  | { type: 'refused'; tenantId: string; assetId: string; reason: string }
  | { type: 'history_failed'; tenantId: string; assetId: string; error: unknown }

export interface PrognosticsDeps {
  bus: Bus
  router: { served: ModelRouter['served']; predict: ModelRouter['predict'] }
  /** An asset's channel names and metadata, or null when it does not exist. */
  asset(tenantId: string, assetId: string): Promise<AdapterAsset | null>
  /**
   * An asset's stored history under an adapter's plan, from readings before `before`
   * (prognostics.history.ts). Read once, when the stage first meets the asset after a start, so
   * the history kept in memory picks up where the last process left it.
   */
  history?(tenantId: string, assetId: string, plan: HistoryPlan, before: number): Promise<AssetRecord[]>
  onEvent?: (e: PrognosticsEvent) => void
  maxAssets?: number
  now?: () => number
}

interface Slot {
  asset: AdapterAsset
  adapter: ServingAdapter
  state: unknown
  /** Newest report pushed, and the models that answered for this asset so far. */
  lastTs: number
  servedBy: Set<string>
  /** The stored history is still to be read (first batch of this asset since the start). */
  unseeded: boolean
  /** Rebuilt from stored history: the models answer on the next report, step or not. */
  resumed: boolean
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x))

export class PrognosticsStage {
  private readonly slots = new Map<string, Slot>()
  private readonly misses = new Map<string, number>()
  private sub: Subscription | null = null
  private tracking = false
  private readonly maxAssets: number
  private readonly now: () => number
  predicted = 0
  failed = 0

  constructor(private readonly deps: PrognosticsDeps) {
    this.maxAssets = deps.maxAssets ?? DEFAULT_PROGNOSTICS_MAX_ASSETS
    this.now = deps.now ?? Date.now
  }

  start(): void {
    this.sub ??= this.deps.bus.subscribe('readings', 'prognostics', this.handle)
  }

  /**
   * Consumes readings and keeps histories even before any model is deployed (the demo, whose
   * models train in the background while its history is backfilled); once one is, {@link catchUp}
   * answers from what was kept instead of waiting for the next step.
   */
  track(): void {
    this.tracking = true
    this.start()
  }

  stop(): void {
    this.sub?.unsubscribe()
    this.sub = null
  }

  /** True when some tenant has a deployed model an adapter can feed (worth consuming readings for). */
  hasModels(): boolean {
    return this.deps.router.served().some((s) => SERVING_ADAPTERS.some((a) => sameSet(a.inputs, s.inputs)))
  }

  /** Served models of a tenant that an adapter can feed. */
  private models(tenantId: string): { model: string; adapter: ServingAdapter }[] {
    const out: { model: string; adapter: ServingAdapter }[] = []
    for (const s of this.deps.router.served(tenantId)) {
      const adapter = SERVING_ADAPTERS.find((a) => sameSet(a.inputs, s.inputs))
      if (adapter) out.push({ model: s.model, adapter })
    }
    return out
  }

  private async slot(tenantId: string, assetId: string): Promise<Slot | null> {
    const k = `${tenantId}\u0000${assetId}`
    const hit = this.slots.get(k)
    if (hit) return hit
    const missed = this.misses.get(k)
    if (missed !== undefined && this.now() - missed < PROGNOSTICS_NEGATIVE_CACHE_MS) return null
    const asset = await this.deps.asset(tenantId, assetId)
    const adapter = asset ? SERVING_ADAPTERS.find((a) => a.accepts(asset)) : undefined
    if (!asset || !adapter) {
      this.misses.set(k, this.now())
      return null
    }
    if (this.slots.size >= this.maxAssets) {
      this.misses.set(k, this.now())
      this.deps.onEvent?.({ type: 'refused', tenantId, assetId, reason: `more than ${this.maxAssets} assets tracked` })
      return null
    }
    this.misses.delete(k)
    const slot: Slot = { asset, adapter, state: adapter.create(asset), lastTs: 0, servedBy: new Set(), unseeded: this.deps.history !== undefined, resumed: false }
    this.slots.set(k, slot)
    return slot
  }

  /** One committed readings batch: update the histories, run the models whose step completed, publish. */
  readonly handle = async (m: ReadingsMessage): Promise<void> => {
    const models = this.models(m.tenantId)
    if (models.length === 0 && !this.tracking) return
    // Which assets of the batch a deployed model follows: decided per series, before any record is rebuilt,
    // so a fleet whose assets mostly have no windowed model pays a lookup per series, not an object per reading.
    const b = m.batch
    const slots = new Map<string, Slot | null>()
    let lastKey = -1
    for (let i = 0; i < b.length; i++) {
      const key = b.series[i]!
      if (key === lastKey) continue
      lastKey = key
      const ref = m.series(key)
      if (!ref || slots.has(ref.assetId)) continue
      const slot = await this.slot(m.tenantId, ref.assetId)
      slots.set(ref.assetId, slot && (this.tracking || models.some((x) => x.adapter === slot.adapter)) ? slot : null)
    }
    // The batch is columnar; rebuild the followed assets' reports (all channels measured at one ts).
    const byAsset = new Map<string, Map<number, Record<string, number>>>()
    lastKey = -1
    let recs: Map<number, Record<string, number>> | undefined
    let channel = ''
    for (let i = 0; i < b.length; i++) {
      const key = b.series[i]!
      if (key !== lastKey) {
        lastKey = key
        const ref = m.series(key)
        recs = undefined
        if (!ref || !slots.get(ref.assetId)) continue
        channel = ref.name
        recs = byAsset.get(ref.assetId)
        if (!recs) byAsset.set(ref.assetId, (recs = new Map()))
      }
      if (!recs) continue
      const ts = b.ts[i]!
      let rec = recs.get(ts)
      if (!rec) recs.set(ts, (rec = {}))
      rec[channel] = b.value[i]!
    }
    const due = new Map<ServingAdapter, { assetId: string; slot: Slot; item: PredictItem }[]>()
    for (const [assetId, recs] of byAsset) {
      const slot = slots.get(assetId)!
      const times = [...recs.keys()].sort((x, y) => x - y)
      if (slot.unseeded) await this.seed(m.tenantId, assetId, slot, times[0]!)
      for (const ts of times) {
        slot.lastTs = ts
        const step = slot.adapter.push(slot.state, { ts, values: recs.get(ts)! })
        if (!(step || slot.resumed) || models.length === 0) continue
        const input = slot.adapter.input(slot.state)
        if (input === null) continue
        slot.resumed = false
        let list = due.get(slot.adapter)
        if (!list) due.set(slot.adapter, (list = []))
        // A batch holding several steps of one asset (a backfill) runs the model on each.
        list.push({ assetId, slot, item: { assetId, ts, features: {}, input } })
      }
    }
    const out: Prediction[] = []
    for (const { model, adapter } of models) for (const d of due.get(adapter) ?? []) out.push(...(await this.run(m.tenantId, model, adapter, d.assetId, d.slot, d.item)))
    await this.publish(m.tenantId, out)
  }

  /** Pushes an asset's stored history (readings before `before`) into its new slot; a failed read starts it empty. */
  private async seed(tenantId: string, assetId: string, slot: Slot, before: number): Promise<void> {
    slot.unseeded = false
    let records: AssetRecord[]
    try {
      records = (await this.deps.history?.(tenantId, assetId, slot.adapter.history(slot.asset), before)) ?? []
    } catch (error) {
      this.deps.onEvent?.({ type: 'history_failed', tenantId, assetId, error })
      return
    }
    for (const r of records) {
      slot.adapter.push(slot.state, r)
      slot.lastTs = r.ts
    }
    slot.resumed = records.length > 0
  }

  /** One model on one asset's history; a history one version refuses must not cost the others their answer. */
  private async run(tenantId: string, model: string, adapter: ServingAdapter, assetId: string, slot: Slot, item: PredictItem): Promise<Prediction[]> {
    try {
      const [r] = await this.deps.router.predict(tenantId, model, [item], { source: 'prognostics' })
      if (!r) return []
      slot.servedBy.add(model)
      return adapter.predictions(slot.state, slot.asset, assetId, r.ts, { model: r.model, version: r.version, deployment: r.deployment, deploymentId: r.deploymentId, outputs: r.outputs, ...(r.details ? { details: r.details } : {}) })
    } catch (error) {
      this.failed++
      this.deps.onEvent?.({ type: 'failed', tenantId, model, assetId, error })
      return []
    }
  }

  private async publish(tenantId: string, out: Prediction[]): Promise<void> {
    if (out.length === 0) return
    this.predicted += out.length
    this.deps.onEvent?.({ type: 'predicted', tenantId, predictions: out.length })
    if (this.deps.bus.saturated('predictions')) await this.deps.bus.waitForRoom('predictions')
    await this.deps.bus.publish('predictions', { tenantId, predictions: out }, out.length)
  }

  /**
   * Answers, at once, for every tracked asset with a history long enough that a newly served model
   * has not answered for yet (its next step may be a simulated day away). Returns the predictions published.
   */
  async catchUp(): Promise<number> {
    let n = 0
    const byTenant = new Map<string, { assetId: string; slot: Slot }[]>()
    for (const [k, slot] of this.slots) {
      const [tenantId, assetId] = k.split('\u0000') as [string, string]
      let list = byTenant.get(tenantId)
      if (!list) byTenant.set(tenantId, (list = []))
      list.push({ assetId, slot })
    }
    for (const [tenantId, list] of byTenant) {
      const models = this.models(tenantId)
      const out: Prediction[] = []
      for (const { assetId, slot } of list) {
        for (const { model, adapter } of models) {
          if (adapter !== slot.adapter || slot.servedBy.has(model)) continue
          const input = adapter.input(slot.state)
          if (input === null) continue
          slot.resumed = false
          out.push(...(await this.run(tenantId, model, adapter, assetId, slot, { assetId, ts: slot.lastTs, features: {}, input })))
        }
      }
      n += out.length
      await this.publish(tenantId, out)
    }
    return n
  }

  /** Assets tracked, and numbers of history kept over all of them. */
  stats(): { assets: number; historyNumbers: number; predicted: number; failed: number } {
    let n = 0
    for (const s of this.slots.values()) n += s.adapter.size(s.state)
    return { assets: this.slots.size, historyNumbers: n, predicted: this.predicted, failed: this.failed }
  }
}
