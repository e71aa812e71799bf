import { performance } from 'node:perf_hooks'
import type { FeatureStore, RetentionCutoffs, RollupStore } from '../store/ports.js'

const DAY_MS = 86_400_000
const MINUTE_MS = 60_000
/** Span of raw time the first slice of a pass rolls up; later slices adapt to how long one takes. */
export const DEFAULT_SLICE_SPAN_MS = 3_600_000
export const MIN_SLICE_SPAN_MS = MINUTE_MS
export const MAX_SLICE_SPAN_MS = 7 * DAY_MS
/** Slices a pass spends on late data once the watermark reached its target. */
export const MAX_DIRTY_SLICES_PER_PASS = 8
/** A slice aims to hold its transaction this long; spans double below half of it and halve above it. */
export const DEFAULT_SLICE_BUDGET_MS = 100
/** Feature rows are expired at most this often: the delete reads the whole table on engines without a ts index. */
export const FEATURE_EXPIRY_INTERVAL_MS = 3_600_000

export interface MaintenanceOptions {
  /** Time between passes; 0 = no timer (runOnce only). */
  intervalMs: number
  /** A minute is rolled up once it ended this long ago. */
  lagMs: number
  /** Days each level is kept; 0 = forever. */
  retention: { rawDays: number; minuteDays: number; hourDays: number; dayDays: number; featureDays?: number }
  sliceBudgetMs?: number
  /** Stored feature rows, expired after `retention.featureDays` (at most once per FEATURE_EXPIRY_INTERVAL_MS). */
  features?: FeatureStore
}

export interface MaintenanceReport {
  /** The watermark after the pass (null: nothing was rolled up yet). */
  watermark: number | null
  slices: number
  dirtyMinutes: number
  expired: RetentionCutoffs
  /** Feature rows deleted by this pass (0 when none were due or it was not their hour). */
  expiredFeatureRows: number
  ms: number
  /** The pass stopped early (stop() was called); the next one carries on. */
  interrupted: boolean
}

export type MaintenanceEvent = { type: 'pass'; report: MaintenanceReport } | { type: 'error'; error: unknown }

/**
 * The background job that keeps rollups and retention: every `intervalMs` it rolls up
 * every minute that ended `lagMs` ago, in bounded slices (each its own short
 * transaction, yielding to the event loop between them, so ingest goes on), folds in
 * late data, then deletes what each level's retention no longer keeps.
 *
 * @example
 * const job = new MaintenanceService(stores.rollups, { intervalMs: 60_000, lagMs: 60_000, retention: config.retention })
 * job.start()
 * await job.stop()
 */
export class MaintenanceService {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<MaintenanceReport> | null = null
  private stopping = false
  private spanMs = DEFAULT_SLICE_SPAN_MS
  private featuresExpiredAt = Number.NEGATIVE_INFINITY

  constructor(
    private readonly rollups: RollupStore,
    private readonly opts: MaintenanceOptions,
    private readonly now: () => number = Date.now,
    private readonly onEvent: (e: MaintenanceEvent) => void = () => undefined,
  ) {}

  /** The cutoffs retention applies at `now` (null: kept forever). */
  cutoffs(now: number): RetentionCutoffs {
    const at = (days: number): number | null => (days === 0 ? null : Math.floor((now - days * DAY_MS) / MINUTE_MS) * MINUTE_MS)
    const r = this.opts.retention
    return { raw: at(r.rawDays), minute: at(r.minuteDays), hour: at(r.hourDays), day: at(r.dayDays) }
  }

  start(): void {
    if (this.timer || this.opts.intervalMs <= 0) return
    this.stopping = false
    const tick = (): void => {
      this.timer = setTimeout(() => {
        this.runOnce()
          .catch((error: unknown) => this.onEvent({ type: 'error', error }))
          .finally(() => {
            if (!this.stopping) tick()
          })
      }, this.opts.intervalMs)
      this.timer.unref()
    }
    tick()
  }

  /** Stops the timer; a pass in progress ends after its current slice. */
  async stop(): Promise<void> {
    this.stopping = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    await this.running?.catch(() => undefined)
  }

  /** One pass now (or the one in progress): rollups until caught up, then retention. */
  runOnce(): Promise<MaintenanceReport> {
    this.running ??= this.pass().finally(() => {
      this.running = null
    })
    return this.running
  }

  private async pass(): Promise<MaintenanceReport> {
    const started = performance.now()
    const now = this.now()
    const upTo = now - this.opts.lagMs
    const budget = this.opts.sliceBudgetMs ?? DEFAULT_SLICE_BUDGET_MS
    // From here on, an append below upTo records its minutes as late.
    await this.rollups.announce(upTo)
    let slices = 0
    let dirtyMinutes = 0
    let watermark: number
    let interrupted = false
    const target = upTo - (upTo % MINUTE_MS)
    let afterTarget = 0
    for (;;) {
      const t = performance.now()
      const p = await this.rollups.rollUp(upTo, this.spanMs)
      const ms = performance.now() - t
      slices++
      dirtyMinutes += p.dirtyMinutes
      watermark = p.to
      if (ms < budget / 2) this.spanMs = Math.min(MAX_SLICE_SPAN_MS, this.spanMs * 2)
      else if (ms > budget) this.spanMs = Math.max(MIN_SLICE_SPAN_MS, Math.floor(this.spanMs / 2 / MINUTE_MS) * MINUTE_MS)
      if (p.caughtUp) break
      // Late data that keeps arriving must not hold one pass forever: a few dirty slices, the rest next time.
      if (p.to >= target && ++afterTarget > MAX_DIRTY_SLICES_PER_PASS) break
      if (this.stopping) {
        interrupted = true
        break
      }
      // Let the requests and commits that queued during the slice run before the next one.
      await new Promise<void>((r) => setImmediate(r))
    }
    const expired = interrupted ? { raw: null, minute: null, hour: null, day: null } : await this.rollups.expire(this.cutoffs(now))
    let expiredFeatureRows = 0
    const featureDays = this.opts.retention.featureDays ?? 0
    if (!interrupted && this.opts.features && featureDays > 0 && now - this.featuresExpiredAt >= FEATURE_EXPIRY_INTERVAL_MS) {
      expiredFeatureRows = await this.opts.features.expire(now - featureDays * DAY_MS)
      this.featuresExpiredAt = now
    }
    const report: MaintenanceReport = { watermark, slices, dirtyMinutes, expired, expiredFeatureRows, ms: performance.now() - started, interrupted }
    this.onEvent({ type: 'pass', report })
    return report
  }
}
