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
 * has `minPerBucket` values seen on `minVisits` distinct days (weeks); the output is `warmingUp` while no channel could be scored.
 */
import { families } from '../families.js'
import type { AnomalyOutput, Model, ModelDescription, ModelFamily, SerializedModel, StreamPoint } from '../model.js'
import { Params, checkSerialized, clone, quiet, shares, zToScore } from './common.js'

const FAMILY = 'seasonal'
const FORMAT = 1
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

interface Bucket {
  n: number
  mean: number
  v: number
  /** Distinct days (or weeks) the bucket was visited on, and the last one. */
  visits: number
  lastVisit: number
}
type ChannelState = { day: Bucket[]; week: Bucket[] }

function readParams(raw?: Readonly<Record<string, unknown>>): SeasonalParams {
  const p = new Params(raw)
  return {
    period: p.oneOf('period', 'both', ['daily', 'weekly', 'both'] as const),
    utcOffsetMinutes: p.num('utcOffsetMinutes', 0, { min: -14 * 60, max: 14 * 60 }),
    timeScale: p.num('timeScale', 1, { min: 1e-6 }),
    origin: p.num('origin', 0),
    alpha: p.num('alpha', 0.1, { min: 1e-6, max: 1 }),
    minPerBucket: p.num('minPerBucket', 3, { min: 1, integer: true }),
    minVisits: p.num('minVisits', 2, { min: 1, integer: true }),
    minSdRel: p.num('minSdRel', 0.01, { min: 0 }),
    minSdAbs: p.num('minSdAbs', 1e-6, { min: 0 }),
    zFree: p.num('zFree', 3, { min: 0 }),
    zScale: p.num('zScale', 4, { min: 1e-9 }),
  }
}

const emptyBuckets = (n: number): Bucket[] => Array.from({ length: n }, () => ({ n: 0, mean: 0, v: 0, visits: 0, lastVisit: -1 }))

/** Hour of day (0–23) and hour of week (0–167, 0 = Sunday 00:00) of a timestamp in local simulated time. */
export function profileSlots(ts: number, p: Pick<SeasonalParams, 'utcOffsetMinutes' | 'timeScale' | 'origin'>): { hourOfDay: number; hourOfWeek: number; day: number } {
  const local = p.origin + (ts - p.origin) * p.timeScale + p.utcOffsetMinutes * 60_000
  const day = Math.floor(local / DAY_MS)
  const hourOfDay = Math.floor((local - day * DAY_MS) / HOUR_MS)
  // 1970-01-01 was a Thursday (weekday 4).
  const weekday = (((day + 4) % 7) + 7) % 7
  return { hourOfDay, hourOfWeek: weekday * 24 + hourOfDay, day }
}

/** The `seasonal` detector; see the module documentation. */
export class SeasonalDetector implements Model<StreamPoint, AnomalyOutput> {
  readonly family = FAMILY
  readonly kind = 'anomaly' as const
  private readonly channels = new Map<string, ChannelState>()

  constructor(
    readonly params: SeasonalParams,
    state?: Record<string, ChannelState>,
  ) {
    for (const [k, v] of Object.entries(state ?? {})) this.channels.set(k, v)
  }

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

  /** The bucket a channel is scored against at `ts`, or undefined while it has too few values. */
  private bucketFor(c: ChannelState, ts: number): Bucket | undefined {
    const { hourOfDay, hourOfWeek } = profileSlots(ts, this.params)
    const ok = (b: Bucket): boolean => b.n >= this.params.minPerBucket && b.visits >= this.params.minVisits
    const w = c.week[hourOfWeek] as Bucket
    const d = c.day[hourOfDay] as Bucket
    switch (this.params.period) {
      case 'weekly':
        return ok(w) ? w : undefined
      case 'daily':
        return ok(d) ? d : undefined
      case 'both':
        return ok(w) ? w : ok(d) ? d : undefined
    }
  }

  predict(input: StreamPoint): AnomalyOutput {
    const p = this.params
    const scores: Record<string, number> = {}
    let best = 0
    let anyReady = false
    for (const [name, x] of Object.entries(input.values)) {
      const c = this.channels.get(name)
      const b = c && Number.isFinite(x) ? this.bucketFor(c, input.ts) : undefined
      if (!b) continue
      anyReady = true
      const sd = Math.max(Math.sqrt(b.v), p.minSdRel * Math.abs(b.mean), p.minSdAbs)
      const s = zToScore(Math.abs(x - b.mean) / sd, p.zFree, p.zScale)
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
    const { hourOfDay, hourOfWeek, day } = profileSlots(input.ts, this.params)
    const a = this.params.alpha
    for (const [name, x] of Object.entries(input.values)) {
      if (!Number.isFinite(x)) continue
      let c = this.channels.get(name)
      if (!c) this.channels.set(name, (c = { day: emptyBuckets(24), week: emptyBuckets(168) }))
      for (const [b, visit] of [
        [c.day[hourOfDay] as Bucket, day],
        [c.week[hourOfWeek] as Bucket, Math.floor((day + 4) / 7)],
      ] as const) {
        if (visit !== b.lastVisit) {
          b.visits++
          b.lastVisit = visit
        }
        if (b.n === 0) {
          b.mean = x
          b.v = 0
        } else {
          // Exponentially weighted mean and variance (West's update), but the first values of a bucket weigh equally.
          const w = Math.max(a, 1 / (b.n + 1))
          const d = x - b.mean
          b.mean += w * d
          b.v = (1 - w) * (b.v + w * d * d)
        }
        b.n++
      }
    }
  }

  toJSON(): SerializedModel {
    return { family: FAMILY, formatVersion: FORMAT, params: { ...this.params }, state: { channels: clone(Object.fromEntries(this.channels)) } }
  }
}

export const seasonalFamily: ModelFamily<StreamPoint, AnomalyOutput> = {
  family: FAMILY,
  kind: 'anomaly',
  create: (params) => new SeasonalDetector(readParams(params)),
  fromJSON: (s) => {
    checkSerialized(s, FAMILY, FORMAT)
    return new SeasonalDetector(readParams(s.params), clone((s.state as { channels: Record<string, ChannelState> }).channels))
  },
}
families.register(seasonalFamily)
