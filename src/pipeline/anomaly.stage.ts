/**
 * The anomaly scoring stage: runs each asset's detector ensemble on its feature vectors as
 * they are emitted, and turns the result into two predictions per vector:
 * - `anomaly_score`: the ensemble's score (0–1), with `details.contributions` naming the
 *   channels that drove it, `warmingUp` (probation), `alarm` and each detector's score;
 * - `health`: the asset's health index (src/domain/health.ts) with its status and the
 *   component and channels that set it.
 *
 * Detector state is kept in memory per asset and checkpointed to a DetectorStateStore every
 * `checkpointIntervalMs` and on stop, so a restart resumes learning where the last
 * checkpoint left it (an asset's state is loaded the first time the asset is scored).
 */
import { healthIndex, type HealthIndex, type HealthThresholds } from '../domain/health.js'
import type { FeatureVector } from '../features/feature-vector.js'
import { families } from '../models/families.js'
import { paramsForAsset, splitVector, type AssetProfile, type EnsembleOutput } from '../models/anomaly/asset-ensemble.model.js'
import { effectiveRange, type ThresholdParams } from '../models/anomaly/threshold.model.js'
import type { Model, StreamPoint } from '../models/model.js'
import type { DetectorStateStore, DetectorStateSummary } from '../store/ports.js'
import type { AssetFeatures, Prediction } from './bus.js'
import type { ScoringStage } from './stages.js'

/** The stage's name: the `source` of its predictions and the `detector` of its checkpoints. */
export const ANOMALY_STAGE = 'anomaly'
/** Weight of a new score in the smoothed score behind the health index. */
export const HEALTH_SMOOTHING = 0.3

/** What the stage needs to know about an asset (read once, when the asset is first scored). */
export interface AnomalyAssetInfo extends AssetProfile {
  siteId: string | null
}

export interface AnomalyStageOptions {
  probationVectors: number
  alarmScore: number
  /** 0: checkpoint only on stop. */
  checkpointIntervalMs: number
  /** Detectors every asset runs; default per asset type. */
  detectors?: readonly string[]
  health: HealthThresholds
}

/** The latest verdict on an asset, as the API shows it. */
export interface AssetHealth {
  assetId: string
  siteId: string | null
  /** Data time of the feature vector it is about. */
  ts: number
  health: number
  status: HealthIndex['status']
  components: HealthIndex['components']
  limiting: HealthIndex['limiting']
  /** Channels behind the limiting component, most important first. */
  channels: string[]
  anomaly: {
    score: number
    /** Exponentially weighted score the health index uses. */
    smoothed: number
    warmingUp: boolean
    alarm: boolean
    contributions: Record<string, number>
    detectors: Record<string, { score: number; warmingUp: boolean }>
  }
  rulHours: number | null
}

export type AnomalyStageEvent =
  | { type: 'checkpointed'; records: number; ms: number }
  | { type: 'checkpoint_failed'; error: unknown }
  | { type: 'restored'; tenantId: string; assetId: string }
  | { type: 'restore_failed'; tenantId: string; assetId: string; error: unknown }

interface Slot {
  info: AnomalyAssetInfo
  model: Model<StreamPoint, EnsembleOutput>
  ranges: ThresholdParams
  smoothed: number | null
  latest: AssetHealth | null
  rulHours: number | null
  dirty: boolean
}

/**
 * @example
 * const stage = new AnomalyStage(stores.detectorState, assetInfo, { probationVectors: 60, alarmScore: 0.7, checkpointIntervalMs: 60_000, health: { warning: 0.7, critical: 0.4 } })
 * platform.stages.registerScoring(stage)
 * stage.start()
 */
export class AnomalyStage implements ScoringStage {
  readonly name = ANOMALY_STAGE
  private readonly slots = new Map<string, Map<string, Slot | null>>()
  private timer: ReturnType<typeof setInterval> | null = null
  private checkpointing: Promise<void> = Promise.resolve()
  scored = 0

  constructor(
    private readonly store: DetectorStateStore,
    private readonly assetInfo: (tenantId: string, assetId: string) => Promise<AnomalyAssetInfo | null>,
    private readonly opts: AnomalyStageOptions,
    private readonly onEvent: (e: AnomalyStageEvent) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts the periodic checkpoints. */
  start(): void {
    if (this.timer || this.opts.checkpointIntervalMs <= 0) return
    this.timer = setInterval(() => void this.checkpoint(), this.opts.checkpointIntervalMs)
    this.timer.unref()
  }

  /** Stops the timer and writes a last checkpoint. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.checkpoint()
  }

  async score(tenantId: string, assets: readonly AssetFeatures[]): Promise<Prediction[]> {
    const out: Prediction[] = []
    for (const a of assets) {
      const slot = await this.slot(tenantId, a.assetId)
      if (!slot) continue
      out.push(...this.scoreOne(slot, a.assetId, a.ts, a.vector))
    }
    return out
  }

  /** A remaining life (hours) from a RUL model, used by the asset's next health index. */
  noteRul(tenantId: string, assetId: string, hours: number): void {
    const slot = this.slots.get(tenantId)?.get(assetId)
    if (slot && Number.isFinite(hours)) slot.rulHours = hours
  }

  private scoreOne(slot: Slot, assetId: string, ts: number, vector: FeatureVector): Prediction[] {
    const o = slot.model.update!({ ts, values: vector as Record<string, number> })
    this.scored++
    slot.smoothed = slot.smoothed === null ? o.score : (1 - HEALTH_SMOOTHING) * slot.smoothed + HEALTH_SMOOTHING * o.score
    const channels: Record<string, { value: number; min: number | null; max: number | null }> = {}
    for (const [ch, value] of Object.entries(splitVector(vector as Record<string, number>).levels)) {
      const r = effectiveRange(ch, slot.ranges)
      if (r) channels[ch] = { value, min: r.min, max: r.max }
    }
    const h = healthIndex({ anomalyScore: slot.smoothed, anomalyContributions: o.contributions, channels, ...(slot.rulHours !== null ? { rulHours: slot.rulHours } : {}) }, this.opts.health)
    const alarm = !o.warmingUp && o.score >= this.opts.alarmScore
    slot.latest = {
      assetId,
      siteId: slot.info.siteId,
      ts,
      health: h.health,
      status: h.status,
      components: h.components,
      limiting: h.limiting,
      channels: h.channels,
      anomaly: { score: o.score, smoothed: slot.smoothed, warmingUp: o.warmingUp, alarm, contributions: o.contributions, detectors: o.detectors },
      rulHours: slot.rulHours,
    }
    slot.dirty = true
    return [
      {
        assetId,
        ts,
        source: ANOMALY_STAGE,
        kind: 'anomaly_score',
        value: o.score,
        details: { model: slot.model.family, contributions: o.contributions, warmingUp: o.warmingUp, alarm, detectors: o.detectors },
      },
      {
        assetId,
        ts,
        source: ANOMALY_STAGE,
        kind: 'health',
        value: h.health,
        details: { status: h.status, components: h.components, limiting: h.limiting, channels: h.channels, anomalySmoothed: slot.smoothed },
      },
    ]
  }

  /** The asset's slot: in memory, else restored from its checkpoint, else new; null for an unknown asset. */
  private async slot(tenantId: string, assetId: string): Promise<Slot | null> {
    let tenant = this.slots.get(tenantId)
    if (!tenant) this.slots.set(tenantId, (tenant = new Map()))
    const have = tenant.get(assetId)
    if (have !== undefined) return have
    const info = await this.assetInfo(tenantId, assetId)
    if (!info) return null
    const base: Record<string, unknown> = { probation: this.opts.probationVectors }
    if (this.opts.detectors) base.detectors = [...this.opts.detectors]
    const params = paramsForAsset(info, base)
    const ranges: ThresholdParams = { ranges: params.ranges as ThresholdParams['ranges'], batteryDefaults: params.batteryDefaults as boolean, cellsInSeries: params.cellsInSeries as number }
    let model: Model<StreamPoint, EnsembleOutput> | null = null
    let smoothed: number | null = null
    let latest: AssetHealth | null = null
    try {
      const rec = await this.store.load(tenantId, assetId, ANOMALY_STAGE)
      if (rec) {
        model = families.fromJSON(JSON.parse(rec.state)) as Model<StreamPoint, EnsembleOutput>
        latest = JSON.parse(rec.summary) as AssetHealth
        smoothed = latest.anomaly.smoothed
        this.onEvent({ type: 'restored', tenantId, assetId })
      }
    } catch (error) {
      // A checkpoint that cannot be read (another format, a failed store) costs a new probation, not the stage.
      this.onEvent({ type: 'restore_failed', tenantId, assetId, error })
      model = null
    }
    const slot: Slot = {
      info,
      model: model ?? (families.create('asset-ensemble', params) as Model<StreamPoint, EnsembleOutput>),
      ranges,
      smoothed,
      latest,
      rulHours: latest?.rulHours ?? null,
      dirty: false,
    }
    tenant.set(assetId, slot)
    return slot
  }

  /** Writes the state of every asset scored since the last checkpoint; one at a time. */
  checkpoint(): Promise<void> {
    const run = this.checkpointing.then(() => this.writeCheckpoint())
    this.checkpointing = run.catch(() => undefined)
    return run
  }

  private async writeCheckpoint(): Promise<void> {
    const t0 = this.now()
    const records = []
    const written: Slot[] = []
    for (const [tenantId, assets] of this.slots)
      for (const [assetId, slot] of assets) {
        if (!slot?.dirty || !slot.latest) continue
        // Serialised now, synchronously: the snapshot is consistent even if scoring continues while it is written.
        records.push({ tenantId, assetId, detector: ANOMALY_STAGE, ts: slot.latest.ts, state: JSON.stringify(slot.model.toJSON()), summary: JSON.stringify(slot.latest), updatedAt: t0 })
        slot.dirty = false
        written.push(slot)
      }
    if (records.length === 0) return
    try {
      await this.store.save(records)
      this.onEvent({ type: 'checkpointed', records: records.length, ms: this.now() - t0 })
    } catch (error) {
      for (const s of written) s.dirty = true
      this.onEvent({ type: 'checkpoint_failed', error })
    }
  }

  /** The latest verdict on an asset: live, else from its last checkpoint; null when it was never scored. */
  async latest(tenantId: string, assetId: string): Promise<AssetHealth | null> {
    const live = this.slots.get(tenantId)?.get(assetId)?.latest
    if (live) return live
    const rec = await this.store.load(tenantId, assetId, ANOMALY_STAGE)
    return rec ? (JSON.parse(rec.summary) as AssetHealth) : null
  }

  /** The latest verdict on every asset of a tenant that has one (live where scored since start, else checkpointed). */
  async fleet(tenantId: string): Promise<AssetHealth[]> {
    const byAsset = new Map<string, AssetHealth>()
    const stored: DetectorStateSummary[] = await this.store.summaries(tenantId, ANOMALY_STAGE)
    for (const s of stored) byAsset.set(s.assetId, JSON.parse(s.summary) as AssetHealth)
    for (const [assetId, slot] of this.slots.get(tenantId) ?? []) if (slot?.latest) byAsset.set(assetId, slot.latest)
    return [...byAsset.values()].sort((a, b) => a.assetId.localeCompare(b.assetId))
  }

  /** Forgets an asset (deleted): its slot and its checkpoint. */
  async forget(tenantId: string, assetId: string): Promise<void> {
    this.slots.get(tenantId)?.delete(assetId)
    await this.store.delete(tenantId, assetId)
  }

  stats(): { assets: number; scored: number } {
    let n = 0
    for (const t of this.slots.values()) for (const s of t.values()) if (s) n++
    return { assets: n, scored: this.scored }
  }
}
