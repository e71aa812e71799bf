/**
 * The health index: one number in [0, 1] per asset (1 = healthy), rolled up per site and
 * fleet. Pure.
 *
 * Per asset, three components, each in [0, 1]; the index is the worst of them:
 *
 *     health = min(A, M, R)
 *
 * - **A, anomaly**: from the asset's smoothed anomaly score s (exponentially weighted,
 *   so one spike does not make an asset critical), piecewise linear through
 *   (s = 0 → 1), (s = alarm score 0.7 → 0.7, the warning threshold), (0.9 → 0.4, critical),
 *   (1 → 0.2). A sustained alarm makes an asset "warning", a near-certain one "critical".
 * - **M, margin**: the smallest margin of the asset's channels to their expected range. A
 *   channel's margin d is its distance to the nearer limit over half the range's width; it
 *   scores 1 from d ≥ 0.1 inwards, falls linearly to 0.5 at the limit and, outside,
 *   `0.5·exp(−excess / (0.1·half width))`. Channels without a range do not count.
 * - **R, remaining life** (when a RUL model gives one): piecewise linear in hours through
 *   (0 → 0), (rul_critical 24 h → 0.4), (rul_warning 72 h → 0.7), (168 h → 1), so the RUL
 *   thresholds of the product line up with the health thresholds.
 *
 * A component without input is 1. Status: `critical` below `critical` (default 0.4),
 * `warning` below `warning` (default 0.7), else `ok`.
 *
 * Roll-ups (site, fleet): `health` is the worst asset's (a fleet with one critical asset
 * is critical), with the mean and the weighted mean (weights default 1) beside it, and
 * the count of assets per status.
 */

export interface HealthThresholds {
  warning: number
  critical: number
}

export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = { warning: 0.7, critical: 0.4 }

/** Hours of remaining life at the RUL thresholds, and the horizon beyond which life does not lower health. */
export const RUL_POINTS_HOURS = { critical: 24, warning: 72, horizon: 168 } as const

export type HealthStatus = 'ok' | 'warning' | 'critical'

export interface HealthInputs {
  /** Smoothed anomaly score in [0, 1]. */
  anomalyScore?: number
  /** Channels that drove the anomaly score (channel → share). */
  anomalyContributions?: Readonly<Record<string, number>>
  /** Channel → current value (its level). */
  levels?: Readonly<Record<string, number>>
  /** The expected range of a channel (a Map, or a lookup kept per asset); channels without one do not count. */
  ranges?: { get(channel: string): ChannelRange | undefined }
  /** Remaining useful life in hours, when a RUL model gives one. */
  rulHours?: number
}

/** A channel's expected range; either side may be open (null). */
export interface ChannelRange {
  min: number | null
  max: number | null
}

export interface HealthIndex {
  health: number
  status: HealthStatus
  components: { anomaly: number; margin: number; rul: number }
  /** The component that set the index (null when all are 1). */
  limiting: 'anomaly' | 'margin' | 'rul' | null
  /** Channels behind the limiting component, most important first. */
  channels: string[]
}

/** Linear interpolation through points sorted by x, clamped at the ends. */
function interp(x: number, pts: readonly (readonly [number, number])[]): number {
  const first = pts[0]!
  if (x <= first[0]) return first[1]
  for (let i = 1; i < pts.length; i++) {
    const [x1, y1] = pts[i]!
    const [x0, y0] = pts[i - 1]!
    if (x <= x1) return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0)
  }
  return pts[pts.length - 1]![1]
}

const ANOMALY_POINTS: readonly (readonly [number, number])[] = [
  [0, 1],
  [0.7, 0.7],
  [0.9, 0.4],
  [1, 0.2],
]
const RUL_POINTS: readonly (readonly [number, number])[] = [
  [0, 0],
  [RUL_POINTS_HOURS.critical, 0.4],
  [RUL_POINTS_HOURS.warning, 0.7],
  [RUL_POINTS_HOURS.horizon, 1],
]

/** The anomaly component A of a smoothed score. */
export function anomalyComponent(score: number): number {
  return interp(score, ANOMALY_POINTS)
}

/** The RUL component R of a remaining life in hours. */
export function rulComponent(hours: number): number {
  return interp(hours, RUL_POINTS)
}

/** The margin component of one channel (1 well inside its range, 0.5 at a limit, → 0 far outside); 1 without a range. */
export function channelMargin(value: number, min: number | null, max: number | null): number {
  if (!Number.isFinite(value) || (min === null && max === null)) return 1
  const half = min !== null && max !== null ? Math.max((max - min) / 2, 1e-12) : Math.max(Math.abs(min ?? max ?? 0), 1e-12)
  const below = min !== null ? value - min : Infinity
  const above = max !== null ? max - value : Infinity
  const d = Math.min(below, above) / half
  if (d >= 0.1) return 1
  if (d >= 0) return 0.5 + 5 * d
  return 0.5 * Math.exp(d / 0.1)
}

/** Status of a health value under the thresholds. */
export function healthStatus(health: number, t: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS): HealthStatus {
  return health < t.critical ? 'critical' : health < t.warning ? 'warning' : 'ok'
}

/**
 * The health index of one asset.
 *
 * @example
 * healthIndex({ anomalyScore: 0.8, levels: { temperature: 48 }, ranges: new Map([['temperature', { min: 5, max: 50 }]]) })
 * // → { health: 0.55, status: 'warning', limiting: 'anomaly', … }
 */
export function healthIndex(inputs: HealthInputs, t: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS): HealthIndex {
  const anomaly = inputs.anomalyScore === undefined ? 1 : anomalyComponent(Math.min(1, Math.max(0, inputs.anomalyScore)))
  // Per vector for every asset: the margins are walked without building anything, and listed only when they limit health.
  let margin = 1
  eachMargin(inputs, (_, m) => {
    if (m < margin) margin = m
  })
  const rul = inputs.rulHours === undefined || !Number.isFinite(inputs.rulHours) ? 1 : rulComponent(Math.max(0, inputs.rulHours))
  const health = Math.min(anomaly, margin, rul)
  let limiting: HealthIndex['limiting'] = null
  let channels: string[] = []
  if (health < 1) {
    if (health === anomaly) {
      limiting = 'anomaly'
      channels = Object.entries(inputs.anomalyContributions ?? {})
        .sort((a, b) => b[1] - a[1])
        .map(([k]) => k)
    } else if (health === margin) {
      limiting = 'margin'
      const limited: [string, number][] = []
      eachMargin(inputs, (ch, m) => {
        if (m < 1) limited.push([ch, m])
      })
      channels = limited
        .sort((a, b) => a[1] - b[1])
        .map(([k]) => k)
    } else limiting = 'rul'
  }
  return { health, status: healthStatus(health, t), components: { anomaly, margin, rul }, limiting, channels }
}

/** Calls `f` with each channel that has a range and its margin, in the order of the levels. */
function eachMargin({ levels, ranges }: HealthInputs, f: (channel: string, margin: number) => void): void {
  if (!levels || !ranges) return
  for (const ch in levels) {
    const r = ranges.get(ch)
    if (r) f(ch, channelMargin(levels[ch]!, r.min, r.max))
  }
}

export interface RollupItem {
  health: number
  weight?: number
}

export interface HealthRollup {
  /** The worst member's health (null for no member). */
  health: number | null
  status: HealthStatus | null
  mean: number | null
  weightedMean: number | null
  count: number
  counts: Record<HealthStatus, number>
}

/** Rolls assets (or sites) up: worst-of as the headline, mean and weighted mean beside it. */
export function rollUp(items: readonly RollupItem[], t: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS): HealthRollup {
  const counts: Record<HealthStatus, number> = { ok: 0, warning: 0, critical: 0 }
  if (items.length === 0) return { health: null, status: null, mean: null, weightedMean: null, count: 0, counts }
  let worst = Infinity
  let sum = 0
  let wsum = 0
  let w = 0
  for (const it of items) {
    worst = Math.min(worst, it.health)
    sum += it.health
    const wi = it.weight ?? 1
    wsum += wi * it.health
    w += wi
    counts[healthStatus(it.health, t)]++
  }
  return { health: worst, status: healthStatus(worst, t), mean: sum / items.length, weightedMean: w > 0 ? wsum / w : null, count: items.length, counts }
}
