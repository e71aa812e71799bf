import type { SimAsset, SimSite, WideRecord } from '../sim/sim.types.js'

/** What simulators and replays produce (src/sim): sites, assets with their channels, wide records. */
export type FeedSite = Pick<SimSite, 'id' | 'name' | 'latitude' | 'longitude' | 'timezone'>
export type FeedAsset = SimAsset
export type FeedRecord = WideRecord

export interface FeedSource {
  sites: readonly FeedSite[]
  assets: readonly FeedAsset[]
  tick(ts: number): FeedRecord[]
}

/** Where a feed goes: the in-process services (demo) or a remote platform over HTTP (`prognos simulate`). */
export interface FeedSink {
  /** Creates sites, assets and channels that do not exist yet. */
  provision(sites: readonly FeedSite[], assets: readonly FeedAsset[]): Promise<void>
  send(records: FeedRecord[]): Promise<{ accepted: number; refused: number }>
}

export type FeederEvent =
  | { type: 'tick'; ts: number; records: number; accepted: number; refused: number }
  | { type: 'error'; error: unknown }

/** Step of the coarse history backfill: one turbofan cycle of the demo, so no cycle is skipped. */
export const DEFAULT_HISTORY_STEP_MS = 10_000

export interface FeederOptions {
  intervalMs: number
  /** Fill this much history before going live, so charts have something to show at once. */
  backfillMs?: number
  /**
   * Before that, fill from this wall time at `historyStepMs` (default 10 s): a long, coarser past,
   * e.g. the days of load a forecaster reads (the demo's prognostic history).
   */
  historyFromTs?: number
  historyStepMs?: number
  /** Largest number of records per send. */
  maxBatchRecords?: number
  now?: () => number
  onEvent?: (e: FeederEvent) => void
}

/** Drives a source into a sink on a timer. */
export class FleetFeeder {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> = Promise.resolve()
  private lastTs = 0
  ticks = 0
  recordsSent = 0

  constructor(
    private readonly source: FeedSource,
    private readonly sink: FeedSink,
    private readonly opts: FeederOptions,
  ) {}

  private now(): number {
    return (this.opts.now ?? Date.now)()
  }

  private async sendAll(records: FeedRecord[], ts: number): Promise<void> {
    const max = this.opts.maxBatchRecords ?? 10_000
    let accepted = 0
    let refused = 0
    for (let i = 0; i < records.length; i += max) {
      const r = await this.sink.send(records.slice(i, i + max))
      accepted += r.accepted
      refused += r.refused
    }
    this.recordsSent += accepted
    this.opts.onEvent?.({ type: 'tick', ts, records: records.length, accepted, refused })
  }

  /** Provisions the fleet, backfills, then ticks every intervalMs until stop(). */
  async start(): Promise<void> {
    await this.sink.provision(this.source.sites, this.source.assets)
    const now = this.now()
    const fineFrom = now - Math.max(0, this.opts.backfillMs ?? 0)
    let pending: FeedRecord[] = []
    const fill = async (from: number, to: number, step: number): Promise<void> => {
      for (let ts = from; ts < to; ts += step) {
        pending.push(...this.source.tick(ts))
        this.lastTs = ts
        if (pending.length >= 5000) {
          await this.sendAll(pending, ts)
          pending = []
        }
      }
    }
    if (this.opts.historyFromTs !== undefined && this.opts.historyFromTs < fineFrom) await fill(this.opts.historyFromTs, fineFrom, this.opts.historyStepMs ?? DEFAULT_HISTORY_STEP_MS)
    if (fineFrom < now) await fill(Math.max(fineFrom, this.lastTs + 1), now, this.opts.intervalMs)
    if (pending.length) await this.sendAll(pending, this.lastTs)
    this.timer = setInterval(() => {
      // Ticks never overlap: a slow sink delays the next one instead of piling up.
      this.running = this.running.then(() => this.tickOnce()).catch((error: unknown) => this.opts.onEvent?.({ type: 'error', error }))
    }, this.opts.intervalMs)
    this.timer.unref()
  }

  async tickOnce(): Promise<void> {
    const ts = Math.max(this.now(), this.lastTs + 1)
    this.lastTs = ts
    this.ticks++
    const records = this.source.tick(ts)
    if (records.length) await this.sendAll(records, ts)
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running
  }
}
