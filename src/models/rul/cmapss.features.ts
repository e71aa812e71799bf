/**
 * Feature pipeline for C-MAPSS turbofan remaining useful life: operating-condition clustering,
 * per-condition sensor normalisation, the piecewise-linear label cap and fixed-length windows.
 * Pure: plain arrays in, plain arrays out.
 */

/** One cycle of one engine: the 3 operational settings and the 21 sensors (`sensors[0]` is sensor 1). */
export interface TurbofanCycle {
  readonly unit: number
  readonly cycle: number
  readonly settings: readonly number[]
  readonly sensors: readonly number[]
}

/** The 14 sensors that vary in every sub-set (1-based numbers); the other 7 are constant in FD001/FD003. */
export const CMAPSS_SENSORS: readonly number[] = [2, 3, 4, 7, 8, 9, 11, 12, 13, 14, 15, 17, 20, 21]

/** Conventional cap of the training label: early-life degradation is unobservable. */
export const DEFAULT_RUL_CAP_CYCLES = 125

/** Groups the cycles of a file by unit, each unit in cycle order. */
export function groupUnits<T extends TurbofanCycle>(rows: readonly T[]): Map<number, T[]> {
  const units = new Map<number, T[]>()
  for (const r of rows) {
    let u = units.get(r.unit)
    if (u === undefined) units.set(r.unit, (u = []))
    u.push(r)
  }
  for (const u of units.values()) u.sort((a, b) => a.cycle - b.cycle)
  return units
}

/** Piecewise-linear label: cycles left before the unit's last cycle, capped. */
export function cappedRul(cycle: number, lastCycle: number, capCycles = DEFAULT_RUL_CAP_CYCLES): number {
  return Math.min(lastCycle - cycle, capCycles)
}

/** Operating-condition centroids in settings space, with the per-setting scale used for distances. */
export interface ConditionModel {
  readonly centroids: number[][]
  readonly scale: number[]
}

/**
 * Number of operating conditions when not given: FD002/FD004 fly six regimes whose first setting
 * (altitude, in thousands of feet) spans 0–42; FD001/FD003 stay at one regime with noise below 0.01.
 */
export function detectConditionCount(rows: readonly TurbofanCycle[]): number {
  let lo = Infinity
  let hi = -Infinity
  for (const r of rows) {
    const s = r.settings[0] ?? 0
    if (s < lo) lo = s
    if (s > hi) hi = s
  }
  return hi - lo > 1 ? 6 : 1
}

/**
 * K-means over the three settings (each scaled by its range), initialised deterministically by
 * farthest-point seeding so the same data always gives the same clusters.
 */
export function fitConditions(rows: readonly TurbofanCycle[], k: number, iterations = 20): ConditionModel {
  const dims = rows[0]?.settings.length ?? 3
  const lo = new Array<number>(dims).fill(Infinity)
  const hi = new Array<number>(dims).fill(-Infinity)
  for (const r of rows)
    for (let d = 0; d < dims; d++) {
      const v = r.settings[d] ?? 0
      if (v < (lo[d] ?? 0)) lo[d] = v
      if (v > (hi[d] ?? 0)) hi[d] = v
    }
  const scale = lo.map((l, d) => ((hi[d] ?? 0) - l > 1e-9 ? (hi[d] ?? 0) - l : 1))
  const pts = rows.map((r) => r.settings.map((v, d) => v / (scale[d] ?? 1)))
  if (k <= 1 || pts.length === 0) return { centroids: [mean(pts, dims)].map((c) => c.map((v, d) => v * (scale[d] ?? 1))), scale }
  const centroids: number[][] = [pts[0] ?? new Array<number>(dims).fill(0)]
  const minDist = pts.map((p) => dist2(p, centroids[0] ?? p))
  while (centroids.length < k) {
    let best = 0
    for (let i = 1; i < pts.length; i++) if ((minDist[i] ?? 0) > (minDist[best] ?? 0)) best = i
    const c = pts[best] ?? []
    centroids.push([...c])
    for (let i = 0; i < pts.length; i++) minDist[i] = Math.min(minDist[i] ?? 0, dist2(pts[i] ?? [], c))
  }
  const assign = new Array<number>(pts.length).fill(0)
  for (let it = 0; it < iterations; it++) {
    for (let i = 0; i < pts.length; i++) assign[i] = nearest(centroids, pts[i] ?? [])
    const sums = centroids.map(() => new Array<number>(dims).fill(0))
    const counts = new Array<number>(k).fill(0)
    for (let i = 0; i < pts.length; i++) {
      const a = assign[i] ?? 0
      counts[a] = (counts[a] ?? 0) + 1
      const s = sums[a] ?? []
      for (let d = 0; d < dims; d++) s[d] = (s[d] ?? 0) + (pts[i]?.[d] ?? 0)
    }
    for (let c = 0; c < k; c++) if ((counts[c] ?? 0) > 0) centroids[c] = (sums[c] ?? []).map((v) => v / (counts[c] ?? 1))
  }
  return { centroids: centroids.map((c) => c.map((v, d) => v * (scale[d] ?? 1))), scale }
}

/** Index of the operating condition of one settings vector. */
export function conditionOf(model: ConditionModel, settings: readonly number[]): number {
  return nearest(
    model.centroids.map((c) => c.map((v, d) => v / (model.scale[d] ?? 1))),
    settings.map((v, d) => v / (model.scale[d] ?? 1)),
  )
}

/** Per-condition mean and standard deviation of each selected sensor. */
export interface SensorNormaliser {
  readonly conditions: ConditionModel
  readonly sensors: readonly number[]
  /** [condition][sensor index] */
  readonly mean: number[][]
  readonly std: number[][]
}

/** Fits the z-score of every selected sensor within each operating condition. */
export function fitNormaliser(rows: readonly TurbofanCycle[], conditions: ConditionModel, sensors: readonly number[] = CMAPSS_SENSORS): SensorNormaliser {
  const k = conditions.centroids.length
  const n = sensors.length
  const sum = Array.from({ length: k }, () => new Array<number>(n).fill(0))
  const sq = Array.from({ length: k }, () => new Array<number>(n).fill(0))
  const count = new Array<number>(k).fill(0)
  for (const r of rows) {
    const c = conditionOf(conditions, r.settings)
    count[c] = (count[c] ?? 0) + 1
    const s = sum[c] ?? []
    const q = sq[c] ?? []
    sensors.forEach((sensor, j) => {
      const v = r.sensors[sensor - 1] ?? 0
      s[j] = (s[j] ?? 0) + v
      q[j] = (q[j] ?? 0) + v * v
    })
  }
  const mean = sum.map((s, c) => s.map((v) => v / Math.max(1, count[c] ?? 0)))
  const std = sq.map((q, c) =>
    q.map((v, j) => {
      const m = mean[c]?.[j] ?? 0
      const variance = v / Math.max(1, count[c] ?? 0) - m * m
      // A sensor constant within a condition carries nothing: scale 1 keeps it at 0 rather than dividing by 0.
      return variance > 1e-12 ? Math.sqrt(variance) : 1
    }),
  )
  return { conditions, sensors: [...sensors], mean, std }
}

/** The normalised selected sensors of one cycle. */
export function normaliseCycle(norm: SensorNormaliser, row: TurbofanCycle): number[] {
  const c = conditionOf(norm.conditions, row.settings)
  return norm.sensors.map((sensor, j) => ((row.sensors[sensor - 1] ?? 0) - (norm.mean[c]?.[j] ?? 0)) / (norm.std[c]?.[j] ?? 1))
}

/**
 * The window of `length` cycles ending at index `end` (inclusive) of a unit's normalised cycles,
 * flattened time-major (cycle 0 channels, cycle 1 channels, …). A unit shorter than the window is
 * padded at the front with its first cycle, so a new engine reads as "no change yet".
 */
export function windowAt(cycles: readonly (readonly number[])[], end: number, length: number): number[] {
  const out: number[] = []
  for (let t = end - length + 1; t <= end; t++) {
    const row = cycles[Math.max(0, t)] ?? []
    for (const v of row) out.push(v)
  }
  return out
}

/** Root mean square error. */
export function rmse(truth: readonly number[], predicted: readonly number[]): number {
  if (truth.length === 0) return NaN
  let s = 0
  truth.forEach((t, i) => {
    const d = (predicted[i] ?? 0) - t
    s += d * d
  })
  return Math.sqrt(s / truth.length)
}

/**
 * The PHM08 / NASA scoring function: with d = predicted − true, each unit adds
 * exp(−d/13) − 1 when early (d < 0) and exp(d/10) − 1 when late, so late predictions cost more.
 */
export function nasaScore(truth: readonly number[], predicted: readonly number[]): number {
  let s = 0
  truth.forEach((t, i) => {
    const d = (predicted[i] ?? 0) - t
    s += d < 0 ? Math.exp(-d / 13) - 1 : Math.exp(d / 10) - 1
  })
  return s
}

function mean(pts: readonly number[][], dims: number): number[] {
  const m = new Array<number>(dims).fill(0)
  for (const p of pts) for (let d = 0; d < dims; d++) m[d] = (m[d] ?? 0) + (p[d] ?? 0)
  return m.map((v) => v / Math.max(1, pts.length))
}

function dist2(a: readonly number[], b: readonly number[]): number {
  let s = 0
  for (let d = 0; d < a.length; d++) s += ((a[d] ?? 0) - (b[d] ?? 0)) ** 2
  return s
}

function nearest(centroids: readonly (readonly number[])[], p: readonly number[]): number {
  let best = 0
  let bestD = Infinity
  centroids.forEach((c, i) => {
    const d = dist2(c, p)
    if (d < bestD) {
      bestD = d
      best = i
    }
  })
  return best
}

/** Summary features per channel of a window, in this order (then `drift` when a baseline is asked for). */
export const WINDOW_FEATURES = ['recentMean', 'mean', 'slope', 'std'] as const

/**
 * Per channel of the window ending at `end`: the mean of the last `recentCycles` cycles, the window
 * mean, the least-squares slope per cycle (× window length, so it reads as change over the window)
 * and the standard deviation; with `baselineCycles`, also the drift of the recent mean from the
 * mean of the unit's first cycles. Cycles before the first are padded with the first, as in `windowAt`.
 */
export function windowSummary(cycles: readonly (readonly number[])[], end: number, length: number, recentCycles = 5, baselineCycles = 0): number[] {
  const channels = cycles[0]?.length ?? 0
  const out: number[] = []
  const tMean = (length - 1) / 2
  let tVar = 0
  for (let t = 0; t < length; t++) tVar += (t - tMean) ** 2
  for (let c = 0; c < channels; c++) {
    let sum = 0
    let sq = 0
    let cov = 0
    let recent = 0
    for (let t = 0; t < length; t++) {
      const v = cycles[Math.max(0, end - length + 1 + t)]?.[c] ?? 0
      sum += v
      sq += v * v
      cov += (t - tMean) * v
      if (t >= length - recentCycles) recent += v
    }
    const mean = sum / length
    out.push(recent / Math.min(recentCycles, length), mean, tVar > 0 ? (cov / tVar) * length : 0, Math.sqrt(Math.max(0, sq / length - mean * mean)))
    if (baselineCycles > 0) {
      // Drift from this engine's own start (only cycles up to `end`: causal), which removes the unit-to-unit offset.
      const n = Math.min(baselineCycles, end + 1)
      let base = 0
      for (let t = 0; t < n; t++) base += cycles[t]?.[c] ?? 0
      out.push(recent / Math.min(recentCycles, length) - base / n)
    }
  }
  return out
}
