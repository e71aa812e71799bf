/**
 * Pane-based window statistics per series: the cheap path of the features stage.
 *
 * Data time is cut into panes of `hopSec` (pane p holds `p·hop ≤ ts < (p+1)·hop`, in
 * epoch ms, so panes line up across series and replays). Every window length is a
 * multiple of the hop; the window W ending at boundary b holds the panes
 * `b − W/hop … b − 1`, i.e. the readings with `(b·hop − W) ≤ ts < b·hop`.
 *
 * A reading only adds into its pane's accumulator (count, shifted sums for mean/std,
 * min, max, last value and time, shifted sums of t, t², t·v for the slope): a few
 * additions, no allocation, no raw sample kept. When a series' data time enters a new
 * pane (its newest reading crosses a boundary), the statistics of the windows ending at
 * that boundary are combined from the panes with Chan's parallel formulas (centred
 * moments and co-moments, so epoch-ms times never cancel) and handed out as emissions:
 * - a `live` emission of every window at the newest crossed boundary (the feature vector
 *   for scoring and `/features/latest`: refreshed once per hop);
 * - a `stored` emission of window W at each crossed boundary that is a multiple of its
 *   store cadence (by default W itself: tumbling windows, so every reading is stored once
 *   per window length; `storeEverySec` sets one cadence for all windows instead).
 *
 * Late and repeated readings, per series in batch order:
 * - a reading whose pane is still inside the longest window (`p > current − longest/hop`)
 *   adds into its own pane: it counts in the windows emitted from then on (and in `window()`),
 *   not in windows already emitted;
 * - older ones are ignored and counted as `tooLate`;
 * - a reading whose timestamp equals the newest one of its pane is a duplicate and is
 *   ignored (a resent batch or a repeated newest reading). Panes keep no raw readings,
 *   so a late resend of an older reading of a pane counts again; the ingest path only
 *   hands committed batches to the stage, so this is rare.
 *
 * Per-series state is flat: one Float64Array holds every series' ring of panes, so a
 * reading touches one contiguous block (see rolling.features.ts for why pointer chasing
 * costs a cache miss per reading with ten thousand series).
 */
import { type ReadingBatch } from '../domain/readings.js'
import { grown } from '../domain/typed-arrays.js'
import { FeatureConfigError } from './errors.js'
import type { RollingSnapshot } from './rolling.features.js'

/** Pane fields, F per pane. */
const P_IDX = 0 // pane index (floor(ts / hopMs)); NaN when the slot never held one
const P_N = 1
const P_KV = 2 // value shift: the pane's first value
const P_SV = 3 // Σ(v − kv)
const P_SVV = 4
const P_ST = 5 // Σt' with t' = (ts − pane start) in seconds
const P_STT = 6
const P_STV = 7 // Σt'(v − kv)
const P_MIN = 8
const P_MAX = 9
const P_LAST = 10
const P_LAST_TS = 11
const F = 12

/** Keys below this are looked up in a flat index rather than a Map. */
const DENSE_KEY_LIMIT = 1 << 22
const INITIAL_SLOTS = 256

export interface PaneOptions {
  /** Window lengths in seconds, each a multiple of `hopSec`. */
  windowsSec: readonly number[]
  /** Pane length in seconds (the live refresh cadence). */
  hopSec: number
  /** Series tracked at once; readings of more are refused. */
  maxSeries: number
  /** Store every window every this many seconds (a multiple of `hopSec`); default each window's own length. */
  storeEverySec?: number
  /** A series whose closed pane held at least this many readings per second is marked fast (for FFT). 0: never. */
  fastRateHz?: number
}

/** Statistics of one series over one window: the rolling snapshot's, but for the window's own bounds. */
export type PaneWindowStats = Omit<RollingSnapshot, 'windowSec' | 'firstTs'>

/**
 * Emitted window statistics, columnar: entry i is series `key[i]`, window `windowSec[i]`,
 * ending at `endTs[i]` (the pane boundary, exclusive), with flags `STORED` and/or `LIVE`.
 */
export class PaneEmissions {
  static readonly STORED = 1
  static readonly LIVE = 2
  length = 0
  key = new Float64Array(256)
  windowIdx = new Int32Array(256)
  flags = new Uint8Array(256)
  endTs = new Float64Array(256)
  lastTs = new Float64Array(256)
  count = new Float64Array(256)
  mean = new Float64Array(256)
  std = new Float64Array(256)
  min = new Float64Array(256)
  max = new Float64Array(256)
  slope = new Float64Array(256)
  last = new Float64Array(256)
  /** Whether the series was fast (FFT-worthy) when emitted. */
  fast = new Uint8Array(256)

  clear(): void {
    this.length = 0
  }

  /** Room for one more entry; returns its index. */
  next(): number {
    if (this.length === this.key.length) this.grow()
    return this.length++
  }

  private grow(): void {
    const cap = this.key.length * 2
    const g = <T extends Float64Array | Int32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap)
      b.set(a)
      return b
    }
    this.key = g(this.key)
    this.windowIdx = g(this.windowIdx)
    this.flags = g(this.flags)
    this.endTs = g(this.endTs)
    this.lastTs = g(this.lastTs)
    this.count = g(this.count)
    this.mean = g(this.mean)
    this.std = g(this.std)
    this.min = g(this.min)
    this.max = g(this.max)
    this.slope = g(this.slope)
    this.last = g(this.last)
    this.fast = g(this.fast)
  }
}

export interface PaneStats {
  series: number
  accepted: number
  late: number
  tooLate: number
  duplicates: number
  invalid: number
  refused: number
}

/**
 * @example
 * const pf = new PaneFeatures({ windowsSec: [10, 30, 60], hopSec: 10, maxSeries: 1000 })
 * const out = new PaneEmissions()
 * pf.push(batch, out)          // emissions of the boundaries this batch crossed
 * pf.window(key, 0)            // live statistics of window 0 including the open pane
 */
export class PaneFeatures {
  readonly windowsSec: readonly number[]
  readonly hopSec: number
  private readonly hopMs: number
  /** Panes per window. */
  private readonly k: Int32Array
  /** Store cadence per window, in panes. */
  private readonly storeK: Int32Array
  /** Panes kept per series (the longest window plus the open pane). */
  private readonly P: number
  private readonly kMax: number
  private readonly maxSeries: number
  private readonly fastPerPane: number

  private capacity = 0
  private panes = new Float64Array(0)
  private curPane = new Float64Array(0)
  private slotKey = new Float64Array(0)
  private fastFlag = new Uint8Array(0)
  private seenAt = new Float64Array(0)
  private used = 0
  private readonly freeSlots: number[] = []
  private dense = new Int32Array(0) // key → slot + 1 for small non-negative keys
  private readonly sparse = new Map<number, number>()
  private live = 0
  private readonly counters = { accepted: 0, late: 0, tooLate: 0, duplicates: 0, invalid: 0, refused: 0 }
  /** Indices (in the last pushed batch) of readings of fast series; valid up to `fastReadings`. */
  fastIndex = new Int32Array(0)
  fastReadings = 0

  constructor(opts: PaneOptions) {
    const windows = [...opts.windowsSec].sort((a, b) => a - b)
    if (windows.length === 0) throw new FeatureConfigError('at least one rolling window is required')
    const hop = opts.hopSec
    if (!(hop > 0 && Number.isInteger(hop))) throw new FeatureConfigError(`hopSec must be a positive whole number of seconds, got ${hop}`)
    for (const [i, w] of windows.entries()) {
      if (!(w > 0 && Number.isFinite(w))) throw new FeatureConfigError(`window length must be a positive number of seconds, got ${w}`)
      if (i > 0 && windows[i - 1] === w) throw new FeatureConfigError(`window length ${w} s is listed twice`)
      if (w % hop !== 0) throw new FeatureConfigError(`window length ${w} s is not a multiple of hopSec ${hop} s`)
    }
    const store = opts.storeEverySec
    if (store !== undefined && !(store > 0 && store % hop === 0)) throw new FeatureConfigError(`storeEverySec must be a positive multiple of hopSec ${hop} s, got ${store}`)
    if (!(opts.maxSeries >= 1)) throw new FeatureConfigError(`maxSeries must be ≥ 1, got ${opts.maxSeries}`)
    this.windowsSec = windows
    this.hopSec = hop
    this.hopMs = hop * 1000
    this.k = Int32Array.from(windows, (w) => w / hop)
    this.storeK = Int32Array.from(windows, (w) => (store ?? w) / hop)
    this.kMax = this.k[this.k.length - 1] as number
    this.P = this.kMax + 1
    this.maxSeries = opts.maxSeries
    this.fastPerPane = opts.fastRateHz ? opts.fastRateHz * hop : Number.POSITIVE_INFINITY
    this.growSlots(Math.min(INITIAL_SLOTS, this.maxSeries))
  }

  get size(): number {
    return this.live
  }

  stats(): PaneStats {
    return { series: this.live, ...this.counters }
  }

  /** Slot of `key`, or -1. */
  private slotOf(key: number): number {
    if (key >= 0 && key < DENSE_KEY_LIMIT) return key < this.dense.length ? (this.dense[key] as number) - 1 : -1
    return this.sparse.get(key) ?? -1
  }

  has(key: number): boolean {
    return this.slotOf(key) >= 0
  }

  /** Newest pane's newest reading time: the series' data time (epoch ms); undefined when untracked. */
  newestTs(key: number): number | undefined {
    const s = this.slotOf(key)
    if (s < 0) return undefined
    const o = (s * this.P + ((this.curPane[s] as number) % this.P)) * F
    return this.panes[o + P_LAST_TS]
  }

  isFast(key: number): boolean {
    const s = this.slotOf(key)
    return s >= 0 && this.fastFlag[s] === 1
  }

  private growSlots(cap: number): void {
    this.panes = grown(this.panes, cap * this.P * F)
    this.curPane = grown(this.curPane, cap)
    this.slotKey = grown(this.slotKey, cap)
    this.fastFlag = grown(this.fastFlag, cap)
    this.seenAt = grown(this.seenAt, cap)
    this.capacity = cap
  }

  private allocate(key: number, pane: number): number {
    let s = this.freeSlots.pop()
    if (s === undefined) {
      if (this.used === this.capacity) this.growSlots(Math.min(this.maxSeries, this.capacity * 2))
      s = this.used++
    }
    const base = s * this.P * F
    for (let j = 0; j < this.P; j++) this.panes[base + j * F + P_IDX] = Number.NaN
    this.curPane[s] = pane
    this.slotKey[s] = key
    this.fastFlag[s] = 0
    if (key >= 0 && key < DENSE_KEY_LIMIT) {
      if (key >= this.dense.length) {
        let n = Math.max(1024, this.dense.length)
        while (n <= key) n *= 2
        const d = new Int32Array(Math.min(n, DENSE_KEY_LIMIT))
        d.set(this.dense)
        this.dense = d
      }
      this.dense[key] = s + 1
    } else {
      this.sparse.set(key, s)
    }
    this.live++
    return s
  }

  /** Forgets the series last seen (the `now` of `push`) before `cutoff`; returns their keys. */
  releaseIdle(cutoff: number): number[] {
    const released: number[] = []
    for (let s = 0; s < this.used; s++) {
      if ((this.seenAt[s] as number) >= cutoff) continue
      const key = this.slotKey[s] as number
      if (this.slotOf(key) !== s) continue // free slot
      this.evict(key)
      released.push(key)
    }
    return released
  }

  /** Forgets a series. */
  evict(key: number): void {
    const s = this.slotOf(key)
    if (s < 0) return
    if (key >= 0 && key < DENSE_KEY_LIMIT) this.dense[key] = 0
    else this.sparse.delete(key)
    this.freeSlots.push(s)
    this.live--
  }

  /**
   * Adds a batch; the windows of every boundary a series crosses are appended to `out`
   * (stored ones always, live ones only when `wantLive`). Readings of fast series are
   * listed in `fastIndex[0 … fastReadings)`. `now` (the caller's clock, any unit) is
   * recorded per series for `releaseIdle`.
   */
  push(batch: ReadingBatch, out: PaneEmissions, wantLive = true, now = 0): void {
    const { series: keys, ts: tsCol, value: valueCol, length } = batch
    const c = this.counters
    const d0 = this.hopMs
    const P = this.P
    const kMax = this.kMax
    if (this.fastIndex.length < length) this.fastIndex = new Int32Array(Math.max(length, 2 * this.fastIndex.length))
    let nFast = 0
    let lastKey = Number.NaN
    let s = -1
    let base = 0
    for (let i = 0; i < length; i++) {
      const key = keys[i] as number
      const ts = tsCol[i] as number
      const v = valueCol[i] as number
      if (!Number.isFinite(ts) || !Number.isFinite(v)) {
        c.invalid++
        continue
      }
      const p = Math.floor(ts / d0)
      if (key !== lastKey || s < 0) {
        lastKey = key
        s = this.slotOf(key)
        if (s < 0) {
          if (this.live >= this.maxSeries) {
            c.refused++
            continue
          }
          s = this.allocate(key, p)
        }
        base = s * P * F
        this.seenAt[s] = now
      }
      const panes = this.panes
      const cur = this.curPane[s] as number
      let late = false
      if (p > cur) {
        this.crossed(s, cur, p, out, wantLive)
        this.curPane[s] = p
      } else if (p <= cur - kMax) {
        c.tooLate++
        continue
      } else if (p < cur) {
        late = true
      }
      const o = base + (p % P) * F
      const tp = (ts - p * d0) / 1000
      if (panes[o + P_IDX] !== p) {
        panes[o + P_IDX] = p
        panes[o + P_N] = 1
        panes[o + P_KV] = v
        panes[o + P_SV] = 0
        panes[o + P_SVV] = 0
        panes[o + P_ST] = tp
        panes[o + P_STT] = tp * tp
        panes[o + P_STV] = 0
        panes[o + P_MIN] = v
        panes[o + P_MAX] = v
        panes[o + P_LAST] = v
        panes[o + P_LAST_TS] = ts
      } else {
        const lastTs = panes[o + P_LAST_TS] as number
        if (ts === lastTs) {
          c.duplicates++
          continue
        }
        const dv = v - (panes[o + P_KV] as number)
        panes[o + P_N] = (panes[o + P_N] as number) + 1
        panes[o + P_SV] = (panes[o + P_SV] as number) + dv
        panes[o + P_SVV] = (panes[o + P_SVV] as number) + dv * dv
        panes[o + P_ST] = (panes[o + P_ST] as number) + tp
        panes[o + P_STT] = (panes[o + P_STT] as number) + tp * tp
        panes[o + P_STV] = (panes[o + P_STV] as number) + tp * dv
        if (v < (panes[o + P_MIN] as number)) panes[o + P_MIN] = v
        if (v > (panes[o + P_MAX] as number)) panes[o + P_MAX] = v
        if (ts > lastTs) {
          panes[o + P_LAST] = v
          panes[o + P_LAST_TS] = ts
        }
      }
      if (late) c.late++
      else c.accepted++
      if (this.fastFlag[s] === 1) this.fastIndex[nFast++] = i
    }
    this.fastReadings = nFast
  }

  /** Series slot `s` moves from pane `cur` to `p`: emit the windows ending at boundaries cur+1 … p. */
  private crossed(s: number, cur: number, p: number, out: PaneEmissions, wantLive: boolean): void {
    // The pane being closed decides whether the series is fast.
    const o = (s * this.P + (cur % this.P)) * F
    if (this.panes[o + P_IDX] === cur && (this.panes[o + P_N] as number) >= this.fastPerPane) this.fastFlag[s] = 1
    // Boundaries more than the longest window after the newest data hold nothing.
    const first = cur + 1
    const last = Math.min(p, cur + this.kMax)
    const W = this.k.length
    for (let b = first; b <= last; b++) {
      for (let w = 0; w < W; w++) {
        let flags = b % (this.storeK[w] as number) === 0 ? PaneEmissions.STORED : 0
        if (b === p && wantLive) flags |= PaneEmissions.LIVE
        if (flags === 0) continue
        this.emit(s, w, b, flags, out)
      }
    }
    // A gap longer than the longest window: the live windows at p are empty, nothing to say.
  }

  private emit(s: number, w: number, b: number, flags: number, out: PaneEmissions): void {
    const i = out.length
    if (!this.combine(s, b - (this.k[w] as number), b, out, i)) return
    out.next()
    out.key[i] = this.slotKey[s] as number
    out.windowIdx[i] = w
    out.flags[i] = flags
    out.endTs[i] = b * this.hopMs
    out.fast[i] = this.fastFlag[s] as number
  }

  /**
   * Combines panes [from, to) of slot s into entry i of `out` (not counted in its length);
   * false when they hold no reading.
   */
  private combine(s: number, from: number, to: number, out: PaneEmissions, i: number): boolean {
    if (i >= out.key.length) {
      out.next()
      out.length--
    }
    const panes = this.panes
    const P = this.P
    const base = s * P * F
    const hop = this.hopSec
    let n = 0
    let mv = 0
    let m2v = 0
    let mt = 0 // mean time, seconds from `from`'s start
    let m2t = 0
    let cov = 0
    let min = Number.POSITIVE_INFINITY
    let max = Number.NEGATIVE_INFINITY
    let last = 0
    let lastTs = Number.NEGATIVE_INFINITY
    for (let p = from; p < to; p++) {
      const o = base + (((p % P) + P) % P) * F
      if (panes[o + P_IDX] !== p) continue
      const nb = panes[o + P_N] as number
      const sv = panes[o + P_SV] as number
      const st = panes[o + P_ST] as number
      const mvb = (panes[o + P_KV] as number) + sv / nb
      const m2vb = Math.max(0, (panes[o + P_SVV] as number) - (sv * sv) / nb)
      const mtb = (p - from) * hop + st / nb
      const m2tb = Math.max(0, (panes[o + P_STT] as number) - (st * st) / nb)
      const covb = (panes[o + P_STV] as number) - (st * sv) / nb
      if (n === 0) {
        n = nb
        mv = mvb
        m2v = m2vb
        mt = mtb
        m2t = m2tb
        cov = covb
      } else {
        const nn = n + nb
        const dv = mvb - mv
        const dt = mtb - mt
        const f = (n * nb) / nn
        m2v += m2vb + dv * dv * f
        m2t += m2tb + dt * dt * f
        cov += covb + dt * dv * f
        mv += (dv * nb) / nn
        mt += (dt * nb) / nn
        n = nn
      }
      const mn = panes[o + P_MIN] as number
      const mx = panes[o + P_MAX] as number
      if (mn < min) min = mn
      if (mx > max) max = mx
      const lt = panes[o + P_LAST_TS] as number
      if (lt > lastTs) {
        lastTs = lt
        last = panes[o + P_LAST] as number
      }
    }
    if (n === 0) return false
    out.count[i] = n
    out.mean[i] = mv
    out.std[i] = Math.sqrt(m2v / n)
    out.min[i] = min
    out.max[i] = max
    out.slope[i] = n >= 2 && m2t > 0 ? cov / m2t : 0
    out.last[i] = last
    out.lastTs[i] = lastTs
    return true
  }

  /**
   * Statistics of window `w` (index into `windowsSec`) as of now: the window ending at the
   * series' newest boundary (the start of its open pane), i.e. what was last emitted as
   * live, recomputed so that late readings since count. A series that has not crossed a
   * boundary yet (or whose window there is empty after a gap) gets the window ending with
   * its open pane instead, so that it is never without features. Undefined when untracked.
   */
  window(key: number, w: number): PaneWindowStats | undefined {
    const s = this.slotOf(key)
    if (s < 0) return undefined
    const cur = this.curPane[s] as number
    const k = this.k[w] as number
    const tmp = this.scratch
    if (!this.combine(s, cur - k, cur, tmp, 0) && !this.combine(s, cur + 1 - k, cur + 1, tmp, 0)) return undefined
    return { count: tmp.count[0]!, mean: tmp.mean[0]!, std: tmp.std[0]!, min: tmp.min[0]!, max: tmp.max[0]!, slopePerSec: tmp.slope[0]!, last: tmp.last[0]!, lastTs: tmp.lastTs[0]! }
  }

  private readonly scratch = new PaneEmissions()
}
