/**
 * `seasonal`: a profile-aware baseline per channel. Each channel keeps an exponentially
 * weighted mean and variance per hour of the week (168 buckets) and per hour of the day
 * (24 buckets), in the asset's local time. A value is scored against its hour-of-week
 * bucket once that bucket has `minPerBucket` values, else against its hour-of-day bucket,
 * so daily patterns are used from the first day and weekly ones (weekends) from the first
 * week on.
 *
 * `utcOffsetMinutes` places the asset's local time; `timeScale` (default 1) lets a
 * simulator whose physics run faster than the wall clock (the demo's meters run 60×)
 * map a timestamp to its simulated local time.
 *
 * Cold start: a channel is in probation while neither of its buckets for the current hour
 * has `minPerBucket` values of the channel, seen on `minVisits` distinct days (weeks); the output is `warmingUp` while no channel could be scored.
 * Distinct days are counted for the detector (all channels of a vector share its hour), so a
 * channel missing on one of those days still needs its own `minPerBucket` values.
 */
import { families } from '../families.js'
import type { AnomalyOutput, Model, ModelDescription, ModelFamily, SerializedModel, StreamPoint } from '../model.js'
import { ModelFormatError } from '../errors.js'
import { Params, sharedParams, checkSerialized, packBytes, packF32, quiet, rowOf, shares, unpackBytes, unpackF32, zToScore } from './common.js'

const FAMILY = 'seasonal'
/**
 * 5: the buckets in use and their visits once for all channels, all channels' statistics and
 * counts in one block (4, each channel's arrays apart; 3, each channel its own buckets; 2, all
 * 192 buckets packed; and 1, lists of bucket objects, are still read).
 */
const FORMAT = 5
/** Buckets per channel: 24 hours of the day, then 168 hours of the week. */
const DAY_BUCKETS = 24
const BUCKETS = DAY_BUCKETS + 168
/** Counters saturate here (16 bits): a bucket's count matters only up to minPerBucket and 1/alpha. */
const COUNT_MAX = 0xffff
const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000

export interface SeasonalParams {
  /** `daily`: hour-of-day buckets only; `weekly`: hour-of-week only; `both` (default): weekly when known, else daily. */
  period: 'daily' | 'weekly' | 'both'
  utcOffsetMinutes: number
  timeScale: number
  /** Reference epoch ms for `timeScale` (simulated time = origin + (ts − origin) · timeScale). */
  origin: number
  /** Weight of a new value in its bucket's mean and variance (default 0.1). */
  alpha: number
  /** Values a bucket needs before it scores (default 3)… */
  minPerBucket: number
  /** …on at least this many distinct days (weeks for hour-of-week buckets; default 2), so a profile is learned across days, not within one hour. */
  minVisits: number
  /** Floor of a bucket's standard deviation relative to |mean| (default 0.01) and absolute (1e-6). */
  minSdRel: number
  minSdAbs: number
  zFree: number
  zScale: number
}

/** A bucket as format 1 stored it. */
interface BucketV1 {
  n: number
  mean: number
  v: number
  /** Distinct days (or weeks) the bucket was visited on, and the last one. */
  visits: number
  lastVisit: number
}

/**
 * Format 1–3 state, read only (loaded into a Profile by `fromLegacy`).
 * A channel's buckets in use, in typed arrays (14 bytes a bucket, where objects took ~40):
 * slot `s` of `stats` holds a bucket's mean and variance, of `counts` its count, distinct
 * visits and last visit (day or week number, modulo 2¹⁶: compared for equality only).
 * `slot[b]` is bucket b's slot + 1 (0: never visited). Slots are taken as buckets are first
 * visited, so a channel that has seen a few hours holds a few buckets, not all 192 (a
 * young fleet's checkpoints were two-thirds empty seasonal buckets). Float32 keeps 7
 * significant digits, far below the 1 % floor on a bucket's standard deviation.
 */
interface Channel {
  slot: Uint8Array
  used: number
  stats: Float32Array
  counts: Uint16Array
}

/**
 * The buckets an asset's channels have visited, shared by them (a vector places all its
 * channels in the same hour), and per bucket the distinct days (weeks) it was visited on
 * and the last one (modulo 2¹⁶: compared for equality only). `slot[b]` is bucket b's slot + 1
 * (0: never visited); slots are taken as buckets are first visited, so an asset that has seen
 * a few hours holds a few buckets, not all 192.
 */
interface Profile {
  slot: Uint8Array
  used: number
  visits: Uint16Array
}

/** How the detector is checkpointed (format 5): the profile's buckets by slot and their visits, the channels' names and their statistics and counts (a row of `buckets` slots a channel); packed (base64). */
interface StateJson {
  buckets: string
  visits: string
  names: string[]
  stats: string
  n: string
}

/** Format 4: as 5, but each channel's statistics and counts apart. */
interface StateJsonV4 {
  buckets: string
  visits: string
  channels: Record<string, { stats: string; n: string }>
}

/** Slots a profile holds room for, at least. */
const MIN_SLOTS = 4

const newChannel = (): Channel => ({ slot: new Uint8Array(BUCKETS), used: 0, stats: new Float32Array(8), counts: new Uint16Array(12) })

/** Bucket b's slot in a channel, or −1 when it was never visited. */
const slotOf = (c: Channel, b: number): number => (c.slot[b] as number) - 1

/** Bucket b's slot, taken (zeroed) if it had none. */
function takeSlot(c: Channel, b: number): number {
  const have = slotOf(c, b)
  if (have >= 0) return have
  const s = c.used++
  if (2 * c.used > c.stats.length) {
    const cap = Math.min(BUCKETS, 2 * (c.stats.length / 2))
    const stats = new Float32Array(2 * cap)
    stats.set(c.stats)
    const counts = new Uint16Array(3 * cap)
    counts.set(c.counts)
    c.stats = stats
    c.counts = counts
  }
  c.slot[b] = s + 1
  return s
}

/** A channel of the buckets `ids` (in slot order) with their stats and counts. */
function channelOf(ids: ArrayLike<number>, stats: ArrayLike<number>, counts: ArrayLike<number>): Channel {
  const c = newChannel()
  for (let i = 0; i < ids.length; i++) {
    const b = ids[i] as number
    if (b >= BUCKETS || slotOf(c, b) >= 0) throw new ModelFormatError(`'seasonal' bucket ${b} is out of range or listed twice`)
    const s = takeSlot(c, b)
    c.stats[2 * s] = stats[2 * i] as number
    c.stats[2 * s + 1] = stats[2 * i + 1] as number
    for (let k = 0; k < 3; k++) c.counts[3 * s + k] = counts[3 * i + k] as number
  }
  return c
}

function channelFromJson(raw: unknown): Channel {
  const o = raw as Partial<{ buckets: string; stats: string; counts: string; day: BucketV1[]; week: BucketV1[] }> | null
  if (typeof o?.stats === 'string' && typeof o.counts === 'string') {
    const stats = unpackF32(o.stats)
    const counts = new Uint16Array(unpackBytes(o.counts, 2).buffer)
    if (typeof o.buckets === 'string') {
      const ids = unpackBytes(o.buckets)
      if (stats.length !== 2 * ids.length || counts.length !== 3 * ids.length) throw new ModelFormatError("'seasonal' channel state must hold stats and counts for each of its buckets")
      return channelOf(ids, stats, counts)
    }
    // Format 2: all buckets, a bucket never visited has count 0.
    if (stats.length !== 2 * BUCKETS || counts.length !== 3 * BUCKETS) throw new ModelFormatError(`'seasonal' channel state must hold ${BUCKETS} buckets`)
    const ids = Array.from({ length: BUCKETS }, (_, b) => b).filter((b) => counts[3 * b] !== 0)
    return channelOf(
      ids,
      ids.flatMap((b) => [stats[2 * b]!, stats[2 * b + 1]!]),
      ids.flatMap((b) => [counts[3 * b]!, counts[3 * b + 1]!, counts[3 * b + 2]!]),
    )
  }
  if (Array.isArray(o?.day) && Array.isArray(o.week) && o.day.length === DAY_BUCKETS && o.week.length === BUCKETS - DAY_BUCKETS) {
    const all = [...o.day, ...o.week]
    const ids = all.map((_, b) => b).filter((b) => all[b]!.n > 0)
    return channelOf(
      ids,
      ids.flatMap((b) => [all[b]!.mean, all[b]!.v]),
      ids.flatMap((b) => [Math.min(COUNT_MAX, all[b]!.n), Math.min(COUNT_MAX, all[b]!.visits), all[b]!.lastVisit & 0xffff]),
    )
  }
  throw new ModelFormatError("'seasonal' channel state must hold packed stats and counts")
}

function readParams(raw?: Readonly<Record<string, unknown>>): SeasonalParams {
  const p = new Params(raw)
  return {
    period: p.oneOf('period', 'both', ['daily', 'weekly', 'both'] as const),
    utcOffsetMinutes: p.num('utcOffsetMinutes', 0, { min: -14 * 60, max: 14 * 60 }),
    timeScale: p.num('timeScale', 1, { min: 1e-6 }),
    origin: p.num('origin', 0),
    alpha: p.num('alpha', 0.1, { min: 1e-6, max: 1 }),
    minPerBucket: p.num('minPerBucket', 3, { min: 1, max: COUNT_MAX, integer: true }),
    minVisits: p.num('minVisits', 2, { min: 1, max: COUNT_MAX, integer: true }),
    minSdRel: p.num('minSdRel', 0.01, { min: 0 }),
    minSdAbs: p.num('minSdAbs', 1e-6, { min: 0 }),
    zFree: p.num('zFree', 3, { min: 0 }),
    zScale: p.num('zScale', 4, { min: 1e-9 }),
  }
}

/** Hour of day (0–23) and hour of week (0–167, 0 = Sunday 00:00) of a timestamp in local simulated time. */
export function profileSlots(ts: number, p: Pick<SeasonalParams, 'utcOffsetMinutes' | 'timeScale' | 'origin'>): { hourOfDay: number; hourOfWeek: number; day: number } {
  const local = p.origin + (ts - p.origin) * p.timeScale + p.utcOffsetMinutes * 60_000
  const day = Math.floor(local / DAY_MS)
  const hourOfDay = Math.floor((local - day * DAY_MS) / HOUR_MS)
  // 1970-01-01 was a Thursday (weekday 4).
  const weekday = (((day + 4) % 7) + 7) % 7
  return { hourOfDay, hourOfWeek: weekday * 24 + hourOfDay, day }
}

/**
 * The `seasonal` detector; see the module documentation. Its channels' statistics are one
 * block, a row per channel (`names`) of `room` slots of the profile: mean and variance
 * (float32) in `stats`, value count in `n` (10 bytes a bucket). Float32 keeps 7 significant
 * digits, far below the 1 % floor on a bucket's standard deviation. Rows widen with the
 * profile's slots as the detector learns.
 */
export class SeasonalDetector implements Model<StreamPoint, AnomalyOutput> {
  readonly family = FAMILY
  readonly kind = 'anomaly' as const
  private profile: Profile = { slot: new Uint8Array(BUCKETS), used: 0, visits: new Uint16Array(2 * MIN_SLOTS) }
  private readonly names: string[] = []
  private room = 0
  private stats = new Float32Array(0)
  private n = new Uint16Array(0)

  constructor(readonly params: SeasonalParams) {}

  describe(): ModelDescription {
    return {
      family: FAMILY,
      kind: 'anomaly',
      summary: 'Seasonal baseline per channel: mean and variance per hour of the day and of the week (local time)',
      params: { ...this.params },
      signature: { inputs: [{ name: 'values', type: 'number' }], outputs: [{ name: 'score', type: 'number' }] },
    }
  }

  fit(data: readonly StreamPoint[]): void {
    for (const d of data) this.learn(d)
  }

  /** Bucket b's slot, or −1 when it was never visited. */
  private slotOf(b: number): number {
    return (this.profile.slot[b] as number) - 1
  }

  /** Bucket b's slot, taken if it had none. */
  private takeSlot(b: number): number {
    const pr = this.profile
    const have = this.slotOf(b)
    if (have >= 0) return have
    const s = pr.used++
    if (2 * pr.used > pr.visits.length) {
      const visits = new Uint16Array(Math.min(2 * BUCKETS, 2 * pr.visits.length))
      visits.set(pr.visits)
      pr.visits = visits
    }
    pr.slot[b] = s + 1
    return s
  }

  /** `rows` rows of `room` slots, the existing rows' statistics and counts kept (zero beyond them). */
  private reshape(rows: number, room: number): void {
    const stats = new Float32Array(2 * rows * room)
    const n = new Uint16Array(rows * room)
    const old = Math.min(this.room, room)
    for (let r = 0; r < Math.min(rows, this.names.length); r++) {
      stats.set(this.stats.subarray(2 * r * this.room, 2 * (r * this.room + old)), 2 * r * room)
      n.set(this.n.subarray(r * this.room, r * this.room + old), r * room)
    }
    this.stats = stats
    this.n = n
    this.room = room
  }

  /** A new channel's row (its slots zero). */
  private addChannel(name: string): number {
    this.reshape(this.names.length + 1, this.room)
    this.names.push(name)
    return this.names.length - 1
  }

  /** The slot of the bucket row r is scored against at this hour, or −1 while it has too few values. */
  private bucketFor(r: number, { hourOfDay, hourOfWeek }: { hourOfDay: number; hourOfWeek: number }): number {
    const ok = (s: number): boolean => s >= 0 && s < this.room && (this.n[r * this.room + s] as number) >= this.params.minPerBucket && (this.profile.visits[2 * s] as number) >= this.params.minVisits
    const w = this.slotOf(DAY_BUCKETS + hourOfWeek)
    const d = this.slotOf(hourOfDay)
    switch (this.params.period) {
      case 'weekly':
        return ok(w) ? w : -1
      case 'daily':
        return ok(d) ? d : -1
      case 'both':
        return ok(w) ? w : ok(d) ? d : -1
    }
  }

  predict(input: StreamPoint): AnomalyOutput {
    const p = this.params
    const scores: Record<string, number> = {}
    let best = 0
    let anyReady = false
    let at: ReturnType<typeof profileSlots> | undefined
    let k = 0
    // for…in, not Object.entries: no array of pairs per channel per vector (a fleet's vectors add up to GC time).
    for (const name in input.values) {
      const x = input.values[name] as number
      const r = rowOf(this.names, name, k++)
      const slot = r >= 0 && Number.isFinite(x) ? this.bucketFor(r, (at ??= profileSlots(input.ts, p))) : -1
      if (slot < 0) continue
      anyReady = true
      const o = 2 * (r * this.room + slot)
      const mean = this.stats[o] as number
      const sd = Math.max(Math.sqrt(this.stats[o + 1] as number), p.minSdRel * Math.abs(mean), p.minSdAbs)
      const s = zToScore(Math.abs(x - mean) / sd, p.zFree, p.zScale)
      scores[name] = s
      if (s > best) best = s
    }
    if (!anyReady) return quiet(true)
    return { score: best, contributions: shares(scores), warmingUp: false }
  }

  update(input: StreamPoint): AnomalyOutput {
    const out = this.predict(input)
    this.learn(input)
    return out
  }

  private learn(input: StreamPoint): void {
    let any = false
    for (const name in input.values) if (Number.isFinite(input.values[name])) any = true
    if (!any) return
    const { hourOfDay, hourOfWeek, day } = profileSlots(input.ts, this.params)
    const s0 = this.visit(hourOfDay, day)
    const s1 = this.visit(DAY_BUCKETS + hourOfWeek, Math.floor((day + 4) / 7))
    const room = Math.max(MIN_SLOTS, this.profile.visits.length / 2)
    if (this.room < room) this.reshape(this.names.length, room)
    let k = 0
    for (const name in input.values) {
      const x = input.values[name] as number
      let r = rowOf(this.names, name, k++)
      if (!Number.isFinite(x)) continue
      if (r < 0) r = this.addChannel(name)
      this.learnSlot(r * this.room + s0, x)
      this.learnSlot(r * this.room + s1, x)
    }
  }

  /** Learns `x` into the bucket at position `i` of the block. */
  private learnSlot(i: number, x: number): void {
    const n = this.n[i] as number
    const st = this.stats
    if (n === 0) {
      st[2 * i] = x
      st[2 * i + 1] = 0
    } else {
      // Exponentially weighted mean and variance (West's update), but the first values of a bucket weigh equally.
      const w = Math.max(this.params.alpha, 1 / (n + 1))
      const mean = st[2 * i] as number
      const d = x - mean
      st[2 * i] = mean + w * d
      st[2 * i + 1] = (1 - w) * ((st[2 * i + 1] as number) + w * d * d)
    }
    this.n[i] = Math.min(COUNT_MAX, n + 1)
  }

  /** Bucket b's slot, counting a visit on day (week) `visit` if it is a new one. */
  private visit(b: number, visit: number): number {
    const s = this.takeSlot(b)
    const v = this.profile.visits
    if ((visit & 0xffff) !== v[2 * s + 1] || v[2 * s] === 0) {
      v[2 * s] = Math.min(COUNT_MAX, (v[2 * s] as number) + 1)
      v[2 * s + 1] = visit & 0xffff
    }
    return s
  }

  toJSON(): SerializedModel {
    const pr = this.profile
    const ids = new Uint8Array(pr.used)
    for (let b = 0; b < BUCKETS; b++) if (pr.slot[b]) ids[(pr.slot[b] as number) - 1] = b
    const rows = this.names.length
    const stats = new Float32Array(2 * rows * pr.used)
    const n = new Uint16Array(rows * pr.used)
    for (let r = 0; r < rows; r++) {
      stats.set(this.stats.subarray(2 * r * this.room, 2 * (r * this.room + pr.used)), 2 * r * pr.used)
      n.set(this.n.subarray(r * this.room, r * this.room + pr.used), r * pr.used)
    }
    const state: StateJson = {
      buckets: packBytes(ids),
      visits: packBytes(new Uint8Array(pr.visits.buffer, pr.visits.byteOffset, 4 * pr.used)),
      names: [...this.names],
      stats: packF32(stats),
      n: packBytes(new Uint8Array(n.buffer)),
    }
    return { family: FAMILY, formatVersion: FORMAT, params: { ...this.params }, state: state as unknown as Record<string, unknown> }
  }

  /** A detector of the profile of format 4–5 state (its buckets and their visits), with room for them and no channels yet. */
  private static withProfile(params: SeasonalParams, st: { buckets?: unknown; visits?: unknown }): SeasonalDetector {
    if (typeof st.buckets !== 'string' || typeof st.visits !== 'string') throw new ModelFormatError("'seasonal' state needs its buckets and visits")
    const d = new SeasonalDetector(params)
    const ids = unpackBytes(st.buckets)
    const visits = new Uint16Array(unpackBytes(st.visits, 2).buffer)
    if (visits.length !== 2 * ids.length) throw new ModelFormatError("'seasonal' state must hold the visits of each of its buckets")
    for (let i = 0; i < ids.length; i++) {
      const b = ids[i] as number
      if (b >= BUCKETS || d.slotOf(b) >= 0) throw new ModelFormatError(`'seasonal' bucket ${b} is out of range or listed twice`)
      const s = d.takeSlot(b)
      d.profile.visits[2 * s] = visits[2 * i] as number
      d.profile.visits[2 * s + 1] = visits[2 * i + 1] as number
    }
    d.reshape(0, Math.max(MIN_SLOTS, d.profile.visits.length / 2))
    return d
  }

  /** Adds channel `name` with its statistics and counts of the profile's slots (in slot order). */
  private restoreChannel(name: string, stats: Float32Array, n: Uint16Array): void {
    const used = this.profile.used
    if (stats.length !== 2 * used || n.length !== used) throw new ModelFormatError("'seasonal' channel state must hold stats and counts for each of its buckets")
    const r = this.addChannel(name)
    this.stats.set(stats, 2 * r * this.room)
    this.n.set(n, r * this.room)
  }

  /** Restores format-5 state. */
  static fromState(params: SeasonalParams, raw: Readonly<Record<string, unknown>>): SeasonalDetector {
    const st = raw as Partial<StateJson>
    const names = st.names
    if (!Array.isArray(names) || !names.every((x) => typeof x === 'string') || new Set(names).size !== names.length || typeof st.stats !== 'string' || typeof st.n !== 'string') throw new ModelFormatError("'seasonal' state needs distinct channel names and their packed stats and counts")
    const d = SeasonalDetector.withProfile(params, st)
    const used = d.profile.used
    const stats = unpackF32(st.stats)
    const n = new Uint16Array(unpackBytes(st.n, 2).buffer)
    if (stats.length !== 2 * used * names.length || n.length !== used * names.length) throw new ModelFormatError("'seasonal' state must hold stats and counts for each bucket of each channel")
    names.forEach((name, r) => d.restoreChannel(name, stats.subarray(2 * r * used, 2 * (r + 1) * used), n.subarray(r * used, (r + 1) * used)))
    return d
  }

  /** Restores format-4 state. */
  static fromV4(params: SeasonalParams, raw: Readonly<Record<string, unknown>>): SeasonalDetector {
    const st = raw as Partial<StateJsonV4>
    if (typeof st.channels !== 'object' || st.channels === null) throw new ModelFormatError("'seasonal' state needs its buckets, visits and channels")
    const d = SeasonalDetector.withProfile(params, st)
    for (const [k, c] of Object.entries(st.channels)) {
      if (typeof c?.stats !== 'string' || typeof c.n !== 'string') throw new ModelFormatError("'seasonal' channel state must hold packed stats and counts")
      d.restoreChannel(k, unpackF32(c.stats), new Uint16Array(unpackBytes(c.n, 2).buffer))
    }
    return d
  }

  /**
   * Restores format 1–3 state (each channel its own buckets): the buckets are merged, a
   * bucket's visits are the most any channel counted.
   */
  static fromLegacy(params: SeasonalParams, raw: Readonly<Record<string, unknown>>): SeasonalDetector {
    const d = new SeasonalDetector(params)
    const legacy = Object.entries(raw).map(([k, v]) => [k, channelFromJson(v)] as const)
    for (const [, lc] of legacy) for (let b = 0; b < BUCKETS; b++) if (slotOf(lc, b) >= 0) d.takeSlot(b)
    d.reshape(0, Math.max(MIN_SLOTS, d.profile.visits.length / 2))
    for (const [k, lc] of legacy) {
      const r = d.addChannel(k)
      for (let b = 0; b < BUCKETS; b++) {
        const ls = slotOf(lc, b)
        if (ls < 0) continue
        const s = d.slotOf(b)
        const i = r * d.room + s
        d.stats[2 * i] = lc.stats[2 * ls] as number
        d.stats[2 * i + 1] = lc.stats[2 * ls + 1] as number
        d.n[i] = lc.counts[3 * ls] as number
        if ((lc.counts[3 * ls + 1] as number) > (d.profile.visits[2 * s] as number)) {
          d.profile.visits[2 * s] = lc.counts[3 * ls + 1] as number
          d.profile.visits[2 * s + 1] = lc.counts[3 * ls + 2] as number
        }
      }
    }
    return d
  }
}

export const seasonalFamily: ModelFamily<StreamPoint, AnomalyOutput> = {
  family: FAMILY,
  kind: 'anomaly',
  create: (params) => new SeasonalDetector(sharedParams(FAMILY, params, readParams)),
  fromJSON: (s) => {
    const legacy = s.formatVersion === 1 || s.formatVersion === 2 || s.formatVersion === 3
    const older = legacy || s.formatVersion === 4
    checkSerialized(older ? { ...s, formatVersion: FORMAT } : s, FAMILY, FORMAT)
    const params = sharedParams(FAMILY, s.params, readParams)
    if (s.formatVersion === FORMAT) return SeasonalDetector.fromState(params, s.state as Readonly<Record<string, unknown>>)
    if (s.formatVersion === 4) return SeasonalDetector.fromV4(params, s.state as Readonly<Record<string, unknown>>)
    const channels = (s.state as { channels?: unknown }).channels
    if (typeof channels !== 'object' || channels === null) throw new ModelFormatError("'seasonal' state needs its channels")
    return SeasonalDetector.fromLegacy(params, channels as Record<string, unknown>)
  },
}
families.register(seasonalFamily)
