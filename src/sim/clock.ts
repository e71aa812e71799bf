/** How a simulator integrates its physics between two wall-clock ticks. */
export interface StepLimits {
  /** Largest integration step, in simulated seconds. */
  maxStepS: number
  /** Most simulated time made up after a pause; beyond it the simulator skips ahead. */
  maxCatchupS: number
}

/**
 * Advances simulated physics from wall time `clock` to wall time `ts`, at `timeScale`
 * simulated seconds per wall second, in steps of at most `maxStepS`. Returns the new clock.
 */
export function advanceClock(clock: number, ts: number, timeScale: number, limits: StepLimits, step: (seconds: number) => void): number {
  if (ts <= clock) return clock
  let dt = Math.min(((ts - clock) / 1000) * timeScale, limits.maxCatchupS)
  while (dt > 0) {
    const h = Math.min(dt, limits.maxStepS)
    step(h)
    dt -= h
  }
  return ts
}
