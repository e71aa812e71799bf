/**
 * The Numenta Anomaly Benchmark scoring rules, pure: anomaly windows, the probationary period,
 * scaled-sigmoid weighting of detections, cost profiles, one threshold per profile optimised over
 * the whole corpus, and normalisation (detecting nothing scores 0, detecting every window at its
 * first row and nothing else scores 100).
 *
 * It follows NAB v1.1 (`nab/sweeper.py`, `nab/scorer.py`, `nab/runner.py` normalise step): each row
 * after the probationary period gets a weight — inside a window the scaled sigmoid of its relative
 * position, divided by its value at the window's first row, times `tpWeight`; outside, the scaled
 * sigmoid of the distance past the previous window's end (−1 before any window) times `fpWeight`.
 * At a threshold, a row detects when its anomaly score is ≥ the threshold; each window counts its
 * best detection once (or −`fnWeight` when it has none), and every detection outside a window adds
 * its (negative) weight.
 *
 * @example
 * const files = [{ path: 'realTweets/x.csv', timestamps, scores, windows: [[t1, t2]] }]
 * const result = scoreCorpus(files, NAB_PROFILES)
 * result.standard.score  // 0–100 (can be negative)
 */
import { NabInputError } from './errors.js'

/** Weights of one NAB application profile (`config/profiles.json` → `CostMatrix`). */
export interface CostMatrix {
  readonly tpWeight: number
  readonly fpWeight: number
  readonly fnWeight: number
  readonly tnWeight?: number
}

/** Profile name → cost matrix. */
export type NabProfiles = Readonly<Record<string, CostMatrix>>

/** NAB's three profiles, as published in `config/profiles.json`. */
export const NAB_PROFILES: NabProfiles = {
  standard: { tpWeight: 1, fnWeight: 1, fpWeight: 0.11, tnWeight: 1 },
  reward_low_FP_rate: { tpWeight: 1, fnWeight: 1, fpWeight: 0.22, tnWeight: 1 },
  reward_low_FN_rate: { tpWeight: 1, fnWeight: 2, fpWeight: 0.11, tnWeight: 1 },
}

/** Share of each file that is free learning time. */
export const NAB_PROBATION_PERCENT = 0.15
/** The probationary period never exceeds this share of 5,000 rows (750 rows). */
const PROBATION_CAP_ROWS = 5000

/** A window `[start, end]` in epoch milliseconds, both ends inclusive. */
export type NabWindow = readonly [number, number]

/** One data file with a detector's scores, ready for scoring. */
export interface NabFile {
  /** Path relative to the data folder, e.g. `realTweets/Twitter_volume_GOOG.csv`; its top folder is its category. */
  readonly path: string
  readonly timestamps: readonly number[]
  /** Anomaly scores, one per row, normally in 0–1. */
  readonly scores: readonly number[]
  readonly windows: readonly NabWindow[]
}

/** Detection counts over the scored rows (the probationary period excluded). */
export interface NabCounts {
  tp: number
  tn: number
  fp: number
  fn: number
}

export interface NabFileScore extends NabCounts {
  readonly path: string
  readonly category: string
  /** Raw NAB score of the file at the profile's threshold. */
  readonly score: number
  readonly windows: number
  /** Windows with at least one detection. */
  readonly detectedWindows: number
  readonly falsePositives: number
}

export interface NabCategoryScore {
  readonly raw: number
  /** Normalised 0–100 score of the category alone, null when it has no window. */
  readonly score: number | null
  readonly windows: number
  readonly detectedWindows: number
  readonly falsePositives: number
  readonly files: number
}

export interface NabProfileResult {
  readonly threshold: number
  readonly raw: number
  /** Raw score of a detector that detects nothing. */
  readonly nullRaw: number
  /** Raw score of a detector that detects every window at its first row and nothing else. */
  readonly perfectRaw: number
  /** Normalised score: 0 for the null detector, 100 for the perfect one (null when there is no window). */
  readonly score: number | null
  readonly counts: NabCounts
  readonly windows: number
  readonly detectedWindows: number
  readonly falsePositives: number
  readonly categories: Readonly<Record<string, NabCategoryScore>>
  readonly files: readonly NabFileScore[]
}

export type NabCorpusResult = Readonly<Record<string, NabProfileResult>>

export interface NabScoreOptions {
  readonly probationPercent?: number
  /** Score at these thresholds (profile → threshold) instead of optimising them. */
  readonly thresholds?: Readonly<Record<string, number>>
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x))

/**
 * NAB's scaled sigmoid: 2·sigmoid(−5x) − 1, and −1 from x ≥ 3 on. A relative position of −1 (a
 * window's first row) gives 0.98661, 0 (its end) gives 0, and positions past the end go negative.
 */
export function scaledSigmoid(relativePosition: number): number {
  if (relativePosition >= 3) return -1
  return 2 * sigmoid(-5 * relativePosition) - 1
}

/** Rows of a file that are learning time: 15 % of it, at most 750 rows. */
export function probationaryLength(rows: number, percent = NAB_PROBATION_PERCENT): number {
  return Math.min(Math.floor(percent * rows), percent * PROBATION_CAP_ROWS)
}

/** The category of a data file: its top-level folder (`realTweets/x.csv` → `realTweets`). */
export function categoryOf(path: string): string {
  const i = path.indexOf('/')
  return i < 0 ? '.' : path.slice(0, i)
}

/** Marks a row outside every window, or inside the probationary period. */
const OUTSIDE = -1
const PROBATION = -2

interface Sweep {
  readonly scores: Float64Array
  /** Weight of the row if it were a detection. */
  readonly weights: Float64Array
  /** Window index within the file, OUTSIDE or PROBATION. */
  readonly window: Int32Array
  /** Windows that have at least one scored row. */
  readonly scorableWindows: number
  readonly windowCount: number
}

/** Row indices `[left, right]` of each window, in order; windows must not overlap. */
function windowIndices(file: NabFile): Array<[number, number]> {
  const sorted = [...file.windows].sort((a, b) => a[0] - b[0])
  const out: Array<[number, number]> = []
  const ts = file.timestamps
  let prevEnd = -Infinity
  for (const [t1, t2] of sorted) {
    if (!(t1 <= t2)) throw new NabInputError(`${file.path}: window ${t1}–${t2} ends before it starts`)
    if (t1 <= prevEnd) throw new NabInputError(`${file.path}: windows overlap`)
    prevEnd = t2
    let left = lowerBound(ts, t1)
    // NAB takes the first row at the end timestamp (files may repeat a timestamp), else the last row before it.
    const atEnd = lowerBound(ts, t2)
    let right = atEnd < ts.length && ts[atEnd] === t2 ? atEnd : atEnd - 1
    if (left >= ts.length || right < left) throw new NabInputError(`${file.path}: window ${new Date(t1).toISOString()}–${new Date(t2).toISOString()} holds no row`)
    left = Math.max(0, left)
    right = Math.min(ts.length - 1, right)
    out.push([left, right])
  }
  return out
}

/** First index whose value is ≥ x (timestamps ascending). */
function lowerBound(a: readonly number[], x: number): number {
  let lo = 0
  let hi = a.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (a[mid]! < x) lo = mid + 1
    else hi = mid
  }
  return lo
}

function sweepFile(file: NabFile, cost: CostMatrix, probationPercent: number): Sweep {
  const n = file.timestamps.length
  if (file.scores.length !== n) throw new NabInputError(`${file.path}: ${file.scores.length} scores for ${n} rows`)
  for (let i = 1; i < n; i++) {
    // Repeated timestamps occur in NAB (daylight-saving artefacts) and are kept, as NAB does.
    if (!(file.timestamps[i]! >= file.timestamps[i - 1]!)) throw new NabInputError(`${file.path}: timestamps must not go back (row ${i + 2})`)
  }
  const wins = windowIndices(file)
  const maxTp = scaledSigmoid(-1)
  const probation = probationaryLength(n, probationPercent)
  const scores = new Float64Array(n)
  const weights = new Float64Array(n)
  const window = new Int32Array(n)
  const scorable = new Set<number>()
  let next = 0
  let cur = -1
  let prevRight = -1
  let prevWidth = 0
  for (let i = 0; i < n; i++) {
    const s = file.scores[i]!
    if (!Number.isFinite(s)) throw new NabInputError(`${file.path}: anomaly score of row ${i + 2} is not a number`)
    scores[i] = s
    if (cur < 0 && next < wins.length && i === wins[next]![0]) cur = next++
    let w: number
    if (cur >= 0) {
      const [left, right] = wins[cur]!
      const width = right - left + 1
      w = (scaledSigmoid(-(right - i + 1) / width) * cost.tpWeight) / maxTp
    } else {
      const pos = prevRight < 0 ? 3 : Math.abs(prevRight - i) / (prevWidth - 1)
      w = scaledSigmoid(pos) * cost.fpWeight
    }
    weights[i] = w
    if (i < probation) window[i] = PROBATION
    else if (cur >= 0) {
      window[i] = cur
      scorable.add(cur)
    } else window[i] = OUTSIDE
    if (cur >= 0 && i === wins[cur]![1]) {
      prevRight = i
      prevWidth = wins[cur]![1] - wins[cur]![0] + 1
      cur = -1
    }
  }
  return { scores, weights, window, scorableWindows: scorable.size, windowCount: wins.length }
}

interface ThresholdRow {
  readonly threshold: number
  readonly score: number
}

/**
 * Raw corpus score at every distinct threshold, from "no detection" down to "every row detects"
 * (NAB's `calcScoreByThreshold` over all files at once).
 */
function scoresByThreshold(sweeps: readonly Sweep[], cost: CostMatrix): ThresholdRow[] {
  let total = 0
  let count = 0
  let windowBase = 0
  const offsets: number[] = []
  for (const s of sweeps) {
    offsets.push(windowBase)
    windowBase += s.windowCount
    for (let i = 0; i < s.window.length; i++) if (s.window[i] !== PROBATION) count++
  }
  const score = new Float64Array(count)
  const weight = new Float64Array(count)
  const win = new Int32Array(count)
  let k = 0
  let maxScore = -Infinity
  sweeps.forEach((s, f) => {
    for (let i = 0; i < s.window.length; i++) {
      const w = s.window[i]!
      if (w === PROBATION) continue
      score[k] = s.scores[i]!
      weight[k] = s.weights[i]!
      win[k] = w === OUTSIDE ? OUTSIDE : w + offsets[f]!
      if (s.scores[i]! > maxScore) maxScore = s.scores[i]!
      k++
    }
  })
  const best = new Float64Array(windowBase).fill(-cost.fnWeight)
  for (const s of sweeps) total -= cost.fnWeight * s.scorableWindows
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => score[b]! - score[a]!)
  const rows: ThresholdRow[] = []
  let cur = Math.max(1.1, maxScore + 1)
  for (const i of order) {
    if (score[i] !== cur) {
      rows.push({ threshold: cur, score: total })
      cur = score[i]!
    }
    const w = win[i]!
    if (w === OUTSIDE) total += weight[i]!
    else if (weight[i]! > best[w]!) {
      total += weight[i]! - best[w]!
      best[w] = weight[i]!
    }
  }
  rows.push({ threshold: cur, score: total })
  return rows
}

/** The threshold with the best raw score over the corpus; ties go to the higher threshold, as in NAB. */
export function optimiseThreshold(files: readonly NabFile[], cost: CostMatrix, probationPercent = NAB_PROBATION_PERCENT): ThresholdRow {
  return bestRow(scoresByThreshold(files.map((f) => sweepFile(f, cost, probationPercent)), cost))
}

function bestRow(rows: readonly ThresholdRow[]): ThresholdRow {
  let best = rows[0]!
  for (const r of rows) if (r.score > best.score) best = r
  return best
}

function scoreFileAt(file: NabFile, sweep: Sweep, cost: CostMatrix, threshold: number): NabFileScore {
  const counts: NabCounts = { tp: 0, tn: 0, fp: 0, fn: 0 }
  const best = new Map<number, number>()
  let fpScore = 0
  let falsePositives = 0
  const { scores, weights, window } = sweep
  for (let i = 0; i < window.length; i++) {
    const w = window[i]!
    if (w === PROBATION) continue
    const detected = scores[i]! >= threshold
    if (w === OUTSIDE) {
      if (detected) {
        counts.fp++
        falsePositives++
        fpScore += weights[i]!
      } else counts.tn++
    } else {
      if (!best.has(w)) best.set(w, -cost.fnWeight)
      if (detected) {
        counts.tp++
        if (weights[i]! > best.get(w)!) best.set(w, weights[i]!)
      } else counts.fn++
    }
  }
  let windowScore = 0
  let detectedWindows = 0
  for (const v of best.values()) {
    windowScore += v
    if (v > -cost.fnWeight) detectedWindows++
  }
  return {
    path: file.path,
    category: categoryOf(file.path),
    score: windowScore + fpScore,
    windows: sweep.scorableWindows,
    detectedWindows,
    falsePositives,
    ...counts,
  }
}

const normalise = (raw: number, nullRaw: number, perfectRaw: number): number | null =>
  perfectRaw === nullRaw ? null : (100 * (raw - nullRaw)) / (perfectRaw - nullRaw)

/** Scores one profile: optimises its threshold over the corpus (unless given), then scores every file at it. */
export function scoreProfile(files: readonly NabFile[], cost: CostMatrix, options: { probationPercent?: number; threshold?: number } = {}): NabProfileResult {
  const probationPercent = options.probationPercent ?? NAB_PROBATION_PERCENT
  const sweeps = files.map((f) => sweepFile(f, cost, probationPercent))
  const threshold = options.threshold ?? bestRow(scoresByThreshold(sweeps, cost)).threshold
  const perFile = files.map((f, i) => scoreFileAt(f, sweeps[i]!, cost, threshold))
  const sum = (rows: readonly NabFileScore[], k: 'score' | 'windows' | 'detectedWindows' | 'falsePositives' | keyof NabCounts): number =>
    rows.reduce((a, r) => a + r[k], 0)
  const categories: Record<string, NabCategoryScore> = {}
  for (const c of [...new Set(perFile.map((r) => r.category))].sort()) {
    const rows = perFile.filter((r) => r.category === c)
    const windows = sum(rows, 'windows')
    const raw = sum(rows, 'score')
    categories[c] = {
      raw,
      score: normalise(raw, -cost.fnWeight * windows, cost.tpWeight * windows),
      windows,
      detectedWindows: sum(rows, 'detectedWindows'),
      falsePositives: sum(rows, 'falsePositives'),
      files: rows.length,
    }
  }
  const windows = sum(perFile, 'windows')
  const raw = sum(perFile, 'score')
  const nullRaw = -cost.fnWeight * windows
  const perfectRaw = cost.tpWeight * windows
  return {
    threshold,
    raw,
    nullRaw,
    perfectRaw,
    score: normalise(raw, nullRaw, perfectRaw),
    counts: { tp: sum(perFile, 'tp'), tn: sum(perFile, 'tn'), fp: sum(perFile, 'fp'), fn: sum(perFile, 'fn') },
    windows,
    detectedWindows: sum(perFile, 'detectedWindows'),
    falsePositives: sum(perFile, 'falsePositives'),
    categories,
    files: perFile,
  }
}

/** Scores a corpus under every profile, each with its own optimised threshold. */
export function scoreCorpus(files: readonly NabFile[], profiles: NabProfiles = NAB_PROFILES, options: NabScoreOptions = {}): NabCorpusResult {
  const out: Record<string, NabProfileResult> = {}
  for (const [name, cost] of Object.entries(profiles)) {
    out[name] = scoreProfile(files, cost, { probationPercent: options.probationPercent, threshold: options.thresholds?.[name] })
  }
  return out
}
