/**
 * The anomaly scoring stage: runs each asset's detector ensemble on its feature vectors as
 * they are emitted, and turns the result into two predictions per vector:
 * - `anomaly_score`: the ensemble's score (0–1), with `details.contributions` naming the
 *   channels that drove it, `warmingUp` (probation), `alarm` and each detector's score;
 * - `health`: the asset's health index (src/domain/health.ts) with its status and the
 *   component and channels that set it.
 * Both carry their details on the bus; while neither changed materially (DETAILS_SCORE_LEVELS,
 * DETAILS_HEALTH_STEP, for at most DETAILS_HEARTBEAT vectors) they are marked
 * `detailsRepeat` and carry the details last told in full (the same objects), so the prediction
 * store keeps the values and not the same details again, the worker sends only the values, and
 * every reader, live or from the store, sees the same details.
 *
 * Detector state is kept in memory per asset and checkpointed to a DetectorStateStore every
 * `checkpointIntervalMs` and on stop, so a restart resumes learning where the last
 * checkpoint left it (an asset's state is loaded the first time the asset is scored).
 * The periodic checkpoint is spread over the interval: the timer ticks CHECKPOINT_SLICES
 * times per interval and each tick writes the assets of one slice (assets are dealt into
 * slices round-robin as they are first scored), so a large fleet's states are serialised
 * and written a twelfth at a time instead of all at once (10,000 assets' states are
 * hundreds of megabytes, and one burst held the pipeline up for seconds).
 *
 * Memory is bounded: at most `maxAssets` ensembles are held (least recently scored ones are
 * evicted first), and an asset not scored for `idleEvictMs` is evicted at the next checkpoint.
 * An evicted asset's state is serialised at once (so nothing learned is lost), written with
 * the next checkpoint batch, and loaded back when its next vector comes. Checkpoints write only
 * assets scored since the last one, `CHECKPOINT_BATCH` at a time, each serialised just before
 * its batch is written, so a large fleet's checkpoint never holds every state as text at once.
 */
import { healthIndex, type HealthIndex, type HealthThresholds } from '../domain/health.js'
import { families } from '../models/families.js'
import { paramsForAsset, type AssetProfile, type EnsembleOutput } from '../models/anomaly/asset-ensemble.model.js'
import { effectiveRange, type Range, type ThresholdParams } from '../models/anomaly/threshold.model.js'
import { sharedBy } from '../models/anomaly/common.js'
import type { PackedVector } from '../features/feature-vector.js'
import type { Model, StreamPoint } from '../models/model.js'
import type { DetectorStateStore, DetectorStateSummary } from '../store/ports.js'
import type { AssetFeatures, Prediction } from './bus.js'
import type { ScoringStage } from './stages.js'

/** The stage's name: the `source` of its predictions and the `detector` of its checkpoints. */
export const ANOMALY_STAGE = 'anomaly'
/** Weight of a new score in the smoothed score behind the health index. */
export const HEALTH_SMOOTHING = 0.3
/** Records per checkpoint write at most: serialised and written a batch at a time. */
export const CHECKPOINT_BATCH = 500
/**
 * Characters of state per checkpoint write at most (a batch ends at the first record past
 * it): with the anomaly worker each batch is copied to the main thread and on into the
 * store, so its size is what those copies add to memory at once. 500 states of ten minutes'
 * data (~16 KB) fit; a week's (~65 KB) go ~120 at a time. Smaller batches cost CPU: each
 * write is a transaction of its own.
 */
export const CHECKPOINT_BATCH_CHARS = 8_000_000
/** Timer ticks per checkpoint interval, each writing one slice of the assets. */
export const CHECKPOINT_SLICES = 12
/**
 * Predictions whose details repeat the last stored ones are marked `detailsRepeat` (stored
 * without them): a score within the same band of DETAILS_SCORE_LEVELS, with the same alarm, probation and
 * leading channel (from DETAILS_TOP_SCORE), and a health index that moved by less than
 * DETAILS_HEALTH_STEP with the same status, limiting component and (unless ok) leading channel.
 */
export const DETAILS_SCORE_LEVELS: readonly number[] = [0.3, 0.5, 0.7]
export const DETAILS_HEALTH_STEP = 0.05
/** Score from which a change of the leading channel is material. */
export const DETAILS_TOP_SCORE = 0.5
/** Details are stored again at least every this many vectors of an asset, even when nothing changed (5 minutes at a 10-s hop). */
export const DETAILS_HEARTBEAT = 30
/** Evicted states waiting for a checkpoint beyond which one is started at once. */
const PENDING_FLUSH = CHECKPOINT_BATCH
/** Scoring on the event loop lets it go after about this long (ms), between vectors. */
export const SCORE_SLICE_MS = 4

/** What the stage needs to know about an asset (read once, when the asset is first scored). */
export interface AnomalyAssetInfo extends AssetProfile {
  siteId: string | null
}

export interface AnomalyStageOptions {
  probationVectors: number
  alarmScore: number
  /** 0: checkpoint only on stop. */
  checkpointIntervalMs: number
  /** Ensembles held in memory at most (least recently scored evicted first); default unbounded. */
  maxAssets?: number
  /** An asset not scored for this long is evicted at the next checkpoint; 0 or absent: never. */
  idleEvictMs?: number
  /** Detectors every asset runs; default per asset type. */
  detectors?: readonly string[]
  health: HealthThresholds
  /** Characters of state per checkpoint write at most; default CHECKPOINT_BATCH_CHARS. */
  checkpointBatchChars?: number
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
  | { type: 'evicted'; assets: number; reason: 'idle' | 'cap' }
  /** The scoring worker thread failed (AnomalyWorkerStage): its vectors in flight are lost, a new one resumes from the last checkpoint. */
  | { type: 'worker_failed'; error: unknown }

/** Ensembles in memory, vectors scored, assets evicted so far and evicted states not yet written. */
export interface AnomalyStats {
  assets: number
  scored: number
  evicted: number
  pending: number
  /** On a worker thread: its JS heap in use and reserved (the main thread's is process.memoryUsage()'s). */
  heapUsedBytes?: number
  heapTotalBytes?: number
  /** …and the memory its typed arrays hold outside that heap (the detectors' windows). */
  externalBytes?: number
}

/**
 * What the platform asks of the anomaly stage, whether it runs on the event loop
 * (AnomalyStage) or on a worker thread (AnomalyWorkerStage, the default).
 */
export interface AnomalyService extends ScoringStage {
  score(tenantId: string, assets: readonly AssetFeatures[]): Promise<Prediction[]>
  start(): void
  stop(): Promise<void>
  checkpoint(): Promise<void>
  noteRul(tenantId: string, assetId: string, hours: number): void
  latest(tenantId: string, assetId: string): Promise<AssetHealth | null>
  fleet(tenantId: string): Promise<AssetHealth[]>
  forget(tenantId: string, assetId: string): Promise<void>
  stats(): AnomalyStats
}

interface Slot {
  tenantId: string
  assetId: string
  info: AnomalyAssetInfo
  model: Model<StreamPoint, EnsembleOutput>
  ranges: EffectiveRanges
  smoothed: number | null
  latest: AssetHealth | null
  rulHours: number | null
  dirty: boolean
  /** this.now() when last scored (for idle eviction). */
  scoredAt: number
  /** The slice of the periodic checkpoint the slot is written in (0 … CHECKPOINT_SLICES − 1). */
  slice: number
  /** What the details last published in full said (null: none since the slot was made). */
  told: Told | null
  /**
   * The asset's place in its DETAILS_HEARTBEAT cycle: details are told in full when it comes
   * round to 0. It starts at the slot's creation order, so a fleet whose assets started
   * together (or all left probation at the same vector) does not tell every asset's details
   * at the same hop: in the 10,000-asset soak that was 10,000 details a hop every 5 minutes.
   */
  beat: number
}

/** The material part of an asset's last full details. */
interface Told {
  score: number
  alarm: boolean
  warmingUp: boolean
  top: string | undefined
  health: number
  status: string
  limiting: string | null
  healthTop: string | undefined
  /** The details told, which repeats carry. */
  scoreDetails: Record<string, unknown>
  healthDetails: Record<string, unknown>
}

/** How many of DETAILS_SCORE_LEVELS a score reached. */
function levelOf(score: number): number {
  let n = 0
  for (const l of DETAILS_SCORE_LEVELS) if (score >= l) n++
  return n
}

/** The channel with the largest share. */
function topOf(shares: Readonly<Record<string, number>>): string | undefined {
  let top: string | undefined
  let best = -1
  for (const k in shares) {
    const v = shares[k] as number
    if (v > best) {
      best = v
      top = k
    }
  }
  return top
}

/** A packed vector as a model reads it: by position; its name → value object is built only if something asks for `values`. */
class PackedPoint implements StreamPoint {
  constructor(
    readonly ts: number,
    readonly packed: PackedVector,
    private readonly features: AssetFeatures,
  ) {}

  get values(): Readonly<Record<string, number>> {
    return this.features.vector as Record<string, number>
  }
}

/**
 * The ranges health compares an asset's levels with: effectiveRange worked out once per
 * channel. One per distinct set of limits (`shared`), kept with the slots of every asset
 * that has those limits: a fleet's assets of a type mostly do.
 */
class EffectiveRanges {
  private static readonly byParams = new Map<string, EffectiveRanges>()
  private readonly known = new Map<string, Range | undefined>()

  private constructor(private readonly params: ThresholdParams) {}

  static shared(params: ThresholdParams): EffectiveRanges {
    return sharedBy(EffectiveRanges.byParams, JSON.stringify(params), () => new EffectiveRanges(params))
  }

  get(channel: string): Range | undefined {
    let r = this.known.get(channel)
    if (r === undefined && !this.known.has(channel)) this.known.set(channel, (r = effectiveRange(channel, this.params)))
    return r
  }
}

type StateRecord = Parameters<DetectorStateStore['save']>[0][number]

const slotKey = (tenantId: string, assetId: string): string => `${tenantId}\u0000${assetId}`

/**
 * @example
 * const stage = new AnomalyStage(stores.detectorState, assetInfo, { probationVectors: 60, alarmScore: 0.7, checkpointIntervalMs: 60_000, health: { warning: 0.7, critical: 0.4 } })
 * platform.stages.registerScoring(stage)
 * stage.start()
 */
export class AnomalyStage implements AnomalyService {
  readonly name = ANOMALY_STAGE
  /** tenant \0 asset → slot (null: not an asset), in least-recently-scored order. */
  private readonly slots = new Map<string, Slot | null>()
  /** States of evicted assets not written yet, by key: read back from here before the store. */
  private readonly pending = new Map<string, StateRecord>()
  private flushing = false
  evicted = 0
  private timer: ReturnType<typeof setInterval> | null = null
  private checkpointing: Promise<void> = Promise.resolve()
  /**
   * Per tenant, the assets with a checkpoint in the store: read once (one query of the
   * summaries), then kept up to date as checkpoints are written, so the first vector of an
   * asset that has none costs no store read (a new 10,000-asset fleet made 10,000 reads in
   * its first ten seconds, while ingest waited on the same database).
   */
  private readonly withCheckpoint = new Map<string, Promise<Set<string> | null>>()
  /** Slots created so far (dealt into slices round-robin) and timer ticks so far. */
  private created = 0
  private ticks = 0
  scored = 0

  constructor(
    private readonly store: DetectorStateStore,
    private readonly assetInfo: (tenantId: string, assetId: string) => Promise<AnomalyAssetInfo | null>,
    private readonly opts: AnomalyStageOptions,
    private readonly onEvent: (e: AnomalyStageEvent) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts the periodic checkpoints: a tick every interval / CHECKPOINT_SLICES writes one slice. */
  start(): void {
    if (this.timer || this.opts.checkpointIntervalMs <= 0) return
    this.timer = setInterval(
      () => {
        const slice = ++this.ticks % CHECKPOINT_SLICES
        const run = this.checkpointing.then(() => this.writeCheckpoint(false, slice))
        this.checkpointing = run.catch(() => undefined)
      },
      Math.max(1, Math.round(this.opts.checkpointIntervalMs / CHECKPOINT_SLICES)),
    )
    this.timer.unref()
  }

  /** Stops the timer and writes a last checkpoint. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.checkpoint()
  }

  /**
   * Scores the vectors in order. An asset held in memory costs no await; the event loop is
   * let go every SCORE_SLICE_MS of scoring, so ingest commits are answered between the slices
   * of a large features message (1,000 vectors took ~30 ms in one stretch).
   */
  async score(tenantId: string, assets: readonly AssetFeatures[]): Promise<Prediction[]> {
    const out: Prediction[] = []
    let sliceStart = performance.now()
    for (let i = 0; i < assets.length; i++) {
      const a = assets[i]!
      const held = this.held(slotKey(tenantId, a.assetId))
      const slot = held !== undefined ? held : await this.slot(tenantId, a.assetId)
      if (!slot) continue
      const [score, health] = this.scoreOne(slot, a)
      out.push(score, health)
      if ((i & 31) === 31 && performance.now() - sliceStart > SCORE_SLICE_MS) {
        await new Promise((r) => setImmediate(r))
        sliceStart = performance.now()
      }
    }
    return out
  }

  /** The slot held in memory for `key` (null: not an asset), moved to the end of the eviction order; undefined when none is held. */
  private held(key: string): Slot | null | undefined {
    const have = this.slots.get(key)
    if (have !== undefined) {
      // Most recently scored last: the map's order is the eviction order.
      this.slots.delete(key)
      this.slots.set(key, have)
    }
    return have
  }

  /** A remaining life (hours) from a RUL model, used by the asset's next health index. */
  noteRul(tenantId: string, assetId: string, hours: number): void {
    const slot = this.slots.get(slotKey(tenantId, assetId))
    if (slot && Number.isFinite(hours)) slot.rulHours = hours
  }

  private scoreOne(slot: Slot, a: AssetFeatures): [Prediction, Prediction] {
    const { assetId, ts } = a
    const point: StreamPoint = a.packed ? new PackedPoint(ts, a.packed, a) : { ts, values: a.vector as Record<string, number> }
    const o = slot.model.update!(point)
    this.scored++
    slot.smoothed = slot.smoothed === null ? o.score : (1 - HEALTH_SMOOTHING) * slot.smoothed + HEALTH_SMOOTHING * o.score
    const h = healthIndex({ anomalyScore: slot.smoothed, anomalyContributions: o.contributions, levels: o.levels, ranges: slot.ranges, rulHours: slot.rulHours ?? undefined }, this.opts.health)
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
    slot.scoredAt = this.now()
    // Which channel leads a low score is noise (it flips between equally quiet channels): it counts from DETAILS_TOP_SCORE, or once health is not ok.
    const top = o.score >= DETAILS_TOP_SCORE ? topOf(o.contributions) : undefined
    const healthTop = h.status === 'ok' ? undefined : h.channels[0]
    const t = slot.told
    slot.beat = (slot.beat + 1) % DETAILS_HEARTBEAT
    const fresh = t === null || slot.beat === 0
    const scoreRepeat = !fresh && t.alarm === alarm && t.warmingUp === o.warmingUp && t.top === top && levelOf(t.score) === levelOf(o.score)
    const healthRepeat = !fresh && t.status === h.status && t.limiting === h.limiting && t.healthTop === healthTop && Math.abs(t.health - h.health) < DETAILS_HEALTH_STEP
    const score: Prediction = { assetId, ts, source: ANOMALY_STAGE, kind: 'anomaly_score', value: o.score }
    const health: Prediction = { assetId, ts, source: ANOMALY_STAGE, kind: 'health', value: h.health }
    if (scoreRepeat && healthRepeat) {
      // Nothing material changed: both carry the details last told (the same objects), as the store will read them back.
      score.details = t.scoreDetails
      health.details = t.healthDetails
      score.detailsRepeat = health.detailsRepeat = true
    } else {
      // Both told in full when either changed, so the two kinds' details are refreshed together.
      score.details = { model: slot.model.family, contributions: o.contributions, warmingUp: o.warmingUp, alarm, detectors: o.detectors }
      health.details = { status: h.status, components: h.components, limiting: h.limiting, channels: h.channels, anomalySmoothed: slot.smoothed }
      slot.told = { score: o.score, alarm, warmingUp: o.warmingUp, top, health: h.health, status: h.status, limiting: h.limiting, healthTop, scoreDetails: score.details, healthDetails: health.details }
    }
    return [score, health]
  }

  /** The asset's slot: in memory, else restored from its checkpoint, else new; null for an unknown asset. */
  private async slot(tenantId: string, assetId: string): Promise<Slot | null> {
    const key = slotKey(tenantId, assetId)
    const have = this.held(key)
    if (have !== undefined) return have
    const info = await this.assetInfo(tenantId, assetId)
    if (!info) {
      this.remember(key, null)
      return null
    }
    const base: Record<string, unknown> = { probation: this.opts.probationVectors }
    if (this.opts.detectors) base.detectors = [...this.opts.detectors]
    const params = paramsForAsset(info, base)
    const ranges = EffectiveRanges.shared({ ranges: params.ranges as ThresholdParams['ranges'], batteryDefaults: params.batteryDefaults as boolean, cellsInSeries: params.cellsInSeries as number })
    let model: Model<StreamPoint, EnsembleOutput> | null = null
    let smoothed: number | null = null
    let latest: AssetHealth | null = null
    try {
      const rec = this.pending.get(key) ?? ((await this.mayHaveCheckpoint(tenantId, assetId)) ? await this.store.load(tenantId, assetId, ANOMALY_STAGE) : null)
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
    // Scored meanwhile (another batch of the same asset while this one awaited the store): keep that one.
    const raced = this.slots.get(key)
    if (raced !== undefined) return raced
    /** The slot's creation order: its checkpoint slice and its place in the details heartbeat. */
    const order = this.created++
    const slot: Slot = {
      tenantId,
      assetId,
      info,
      model: model ?? (families.create('asset-ensemble', params) as Model<StreamPoint, EnsembleOutput>),
      ranges,
      smoothed,
      latest,
      rulHours: latest?.rulHours ?? null,
      dirty: false,
      scoredAt: this.now(),
      slice: order % CHECKPOINT_SLICES,
      told: null,
      beat: order % DETAILS_HEARTBEAT,
    }
    this.remember(key, slot)
    return slot
  }

  /** False when the asset certainly has no checkpoint in the store (true when that is not known: a failed summaries read). */
  private async mayHaveCheckpoint(tenantId: string, assetId: string): Promise<boolean> {
    let known = this.withCheckpoint.get(tenantId)
    if (!known) {
      known = this.store.summaries(tenantId, ANOMALY_STAGE).then(
        (list) => new Set(list.map((x) => x.assetId)),
        () => null,
      )
      this.withCheckpoint.set(tenantId, known)
    }
    const set = await known
    return set === null || set.has(assetId)
  }

  /** Adds a slot, evicting the least recently scored ones beyond `maxAssets`. */
  private remember(key: string, slot: Slot | null): void {
    this.slots.set(key, slot)
    const cap = this.opts.maxAssets
    if (cap === undefined || this.slots.size <= cap) return
    let n = 0
    for (const [k, s] of this.slots) {
      if (this.slots.size <= cap) break
      if (k === key) continue
      this.evict(k, s)
      n++
    }
    if (n > 0) this.onEvent({ type: 'evicted', assets: n, reason: 'cap' })
    if (this.pending.size >= PENDING_FLUSH && !this.flushing) {
      this.flushing = true
      const done = (): void => void (this.flushing = false)
      const run = this.checkpointing.then(() => this.writeCheckpoint(true))
      this.checkpointing = run.then(done, done)
    }
  }

  /** Drops a slot from memory; what it learned since its last checkpoint waits in `pending` for the next write. */
  private evict(key: string, slot: Slot | null): void {
    this.slots.delete(key)
    this.evicted++
    if (slot?.dirty && slot.latest) this.pending.set(key, this.record(slot, this.now()))
  }

  /** The checkpoint record of a slot, serialised now (consistent even if scoring continues while it is written). */
  private record(slot: Slot, updatedAt: number): StateRecord {
    slot.dirty = false
    return { tenantId: slot.tenantId, assetId: slot.assetId, detector: ANOMALY_STAGE, ts: slot.latest!.ts, state: JSON.stringify(slot.model.toJSON()), summary: JSON.stringify(slot.latest), updatedAt }
  }

  /** Writes the state of every asset scored since the last checkpoint, and of evicted ones; one checkpoint at a time. */
  checkpoint(): Promise<void> {
    const run = this.checkpointing.then(() => this.writeCheckpoint())
    this.checkpointing = run.catch(() => undefined)
    return run
  }

  /**
   * `evictedOnly`: write the states of evicted assets only (they are held as text until
   * written); `slice`: of the live assets, only those of this slice (a timer tick).
   */
  private async writeCheckpoint(evictedOnly = false, slice?: number): Promise<void> {
    const t0 = this.now()
    const idleMs = this.opts.idleEvictMs ?? 0
    if (idleMs > 0 && !evictedOnly) {
      let n = 0
      for (const [k, s] of [...this.slots]) {
        if (s && t0 - s.scoredAt < idleMs) continue
        this.evict(k, s)
        n++
      }
      if (n > 0) this.onEvent({ type: 'evicted', assets: n, reason: 'idle' })
    }
    // Keys now, states batch by batch: a slot is serialised just before its batch is written.
    const dirty: string[] = []
    if (!evictedOnly) for (const [k, s] of this.slots) if (s?.dirty && s.latest && (slice === undefined || s.slice === slice)) dirty.push(k)
    // Each key once: an evicted asset scored again since is both pending and live.
    const keys = [...new Set([...this.pending.keys(), ...dirty])]
    const maxChars = this.opts.checkpointBatchChars ?? CHECKPOINT_BATCH_CHARS
    let written = 0
    for (let i = 0; i < keys.length; ) {
      const batch: StateRecord[] = []
      const fromSlots: Slot[] = []
      for (let chars = 0; i < keys.length && batch.length < CHECKPOINT_BATCH && chars < maxChars; i++) {
        const k = keys[i]!
        const p = this.pending.get(k)
        const s = this.slots.get(k)
        let r: StateRecord | undefined = p
        if (s?.dirty && s.latest) {
          // Live again (reloaded after its eviction): the live state is the newer one.
          r = this.record(s, t0)
          fromSlots.push(s)
        }
        if (!r) continue
        batch.push(r)
        chars += r.state.length + r.summary.length
      }
      if (batch.length === 0) continue
      try {
        await this.store.save(batch)
        for (const r of batch) void this.withCheckpoint.get(r.tenantId)?.then((set) => set?.add(r.assetId))
        for (const r of batch) {
          const k = slotKey(r.tenantId, r.assetId)
          if (this.pending.get(k) === r || this.slots.has(k)) this.pending.delete(k)
        }
        written += batch.length
      } catch (error) {
        for (const s of fromSlots) s.dirty = true
        this.onEvent({ type: 'checkpoint_failed', error })
        return
      }
    }
    if (written > 0) this.onEvent({ type: 'checkpointed', records: written, ms: this.now() - t0 })
  }

  /** The latest verdict on an asset: live, else from its last checkpoint; null when it was never scored. */
  async latest(tenantId: string, assetId: string): Promise<AssetHealth | null> {
    const key = slotKey(tenantId, assetId)
    const live = this.slots.get(key)?.latest
    if (live) return live
    const rec = this.pending.get(key) ?? (await this.store.load(tenantId, assetId, ANOMALY_STAGE))
    return rec ? (JSON.parse(rec.summary) as AssetHealth) : null
  }

  /** The latest verdict on every asset of a tenant that has one (live where scored since start, else checkpointed). */
  async fleet(tenantId: string): Promise<AssetHealth[]> {
    const byAsset = new Map<string, AssetHealth>()
    const stored: DetectorStateSummary[] = await this.store.summaries(tenantId, ANOMALY_STAGE)
    for (const s of stored) byAsset.set(s.assetId, JSON.parse(s.summary) as AssetHealth)
    for (const r of this.pending.values()) if (r.tenantId === tenantId) byAsset.set(r.assetId, JSON.parse(r.summary) as AssetHealth)
    for (const slot of this.slots.values()) if (slot?.latest && slot.tenantId === tenantId) byAsset.set(slot.assetId, slot.latest)
    return [...byAsset.values()].sort((a, b) => a.assetId.localeCompare(b.assetId))
  }

  /** Forgets an asset (deleted): its slot and its checkpoint. */
  async forget(tenantId: string, assetId: string): Promise<void> {
    this.slots.delete(slotKey(tenantId, assetId))
    this.pending.delete(slotKey(tenantId, assetId))
    await this.store.delete(tenantId, assetId)
    void this.withCheckpoint.get(tenantId)?.then((set) => set?.delete(assetId))
  }

  stats(): AnomalyStats {
    let n = 0
    for (const s of this.slots.values()) if (s) n++
    return { assets: n, scored: this.scored, evicted: this.evicted, pending: this.pending.size }
  }
}
