/**
 * Time-driven fault schedules shared by several simulators. They run on wall
 * time (the `ts` passed to tick), not on an asset's fast-forwarded clock, so a
 * demo user sees a fault at the same moment whatever an asset's time scale is.
 */
import type { Rng } from './prng.js'

/**
 * Alternating outage windows for `sensor_dropout`: out from `startTs` for
 * 60–180 s, back for 60–240 s, out again, and so on. Windows are drawn lazily so
 * the schedule costs nothing before the fault starts.
 */
export class DropoutSchedule {
  private outStart: number
  private outEnd: number

  constructor(
    private readonly rng: Rng,
    startTs: number,
  ) {
    this.outStart = startTs
    this.outEnd = startTs + this.rng.int(60, 180) * 1000
  }

  /** Whether the channel is missing at `ts`; calls must come in non-decreasing `ts`. */
  isOut(ts: number): boolean {
    while (ts >= this.outEnd) {
      this.outStart = this.outEnd + this.rng.int(60, 240) * 1000
      this.outEnd = this.outStart + this.rng.int(60, 180) * 1000
    }
    return ts >= this.outStart
  }
}

/** Occasional single-record spikes for `spikes`: one every 20–90 s of wall time from `startTs`. */
export class SpikeSchedule {
  private nextTs: number

  constructor(
    private readonly rng: Rng,
    startTs: number,
  ) {
    this.nextTs = startTs
  }

  /** True for the first call at or after each scheduled spike; calls must come in non-decreasing `ts`. */
  fire(ts: number): boolean {
    if (ts < this.nextTs) return false
    this.nextTs = ts + this.rng.int(20, 90) * 1000
    return true
  }

  /** Multiplier of the reading for a spike, 8–30×; drawn from the schedule's own stream so spikes don't perturb the healthy signal. */
  magnitude(): number {
    return this.rng.uniform(8, 30)
  }
}

/**
 * Accelerating 0→1 progress of a fault that runs away: slow at first, steep at
 * the end, 1 after `durationMs`. `(e^{x/τ}-1)/(e^{1/τ}-1)` with τ=0.25 keeps the
 * first quarter almost invisible, which is what an onset looks like in practice.
 */
export function runawayProgress(ts: number, startTs: number, durationMs: number): number {
  if (ts <= startTs) return 0
  const x = Math.min(1, (ts - startTs) / durationMs)
  return (Math.exp(x / 0.25) - 1) / (Math.exp(4) - 1)
}
