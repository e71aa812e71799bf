import type { LatestValue } from '../domain/model.js'
import { ROLLUP_WIDTHS_MS, type SeriesStore } from '../store/ports.js'
import { InvalidRequestError } from './errors.js'
import { channelsOf, type Catalog } from './catalog.js'
import type { LatestCache } from './latest.cache.js'
import { FleetView, type FleetFilter, type FleetLatestItem } from './fleet.view.js'

export type { FleetLatestItem } from './fleet.view.js'

export const DEFAULT_RANGE_MS = 3600_000
export const DEFAULT_MAX_POINTS = 1000
export const MAX_MAX_POINTS = 20_000

/** A bucket width may grow by at most this fraction to land on a rollup level. */
const MAX_WIDEN = 0.1

/**
 * The bucket width for [from, to) in at most maxPoints aligned buckets: the smallest
 * width that fits, rounded up to a multiple of the coarsest rollup level (day, hour,
 * minute) when that widens it by 10 % or less and still fits, so the store can read a
 * rollup instead of raw readings.
 */
export function bucketWidth(from: number, to: number, maxPoints: number): number {
  // Aligned buckets can straddle both ends of the range, hence maxPoints - 1 intervals.
  const exact = Math.ceil((to - from) / (maxPoints - 1))
  const fits = (w: number): boolean => Math.floor((to - 1) / w) - Math.floor(from / w) + 1 <= maxPoints
  for (const level of [...ROLLUP_WIDTHS_MS].sort((a, b) => b - a)) {
    const w = Math.ceil(exact / level) * level
    if (w <= exact * (1 + MAX_WIDEN) && fits(w)) return w
  }
  return exact
}

export interface ReadingsQuery {
  channels?: string[]
  from?: number
  to?: number
  maxPoints?: number
}

export type SeriesResult =
  | { channel: string; unit: string | null; mode: 'raw'; ts: number[]; value: number[] }
  | { channel: string; unit: string | null; mode: 'bucketed'; bucketMs: number; ts: number[]; min: number[]; avg: number[]; max: number[]; count: number[] }

export interface ReadingsResult {
  assetId: string
  from: number
  to: number
  series: SeriesResult[]
}


/**
 * Reads for people and charts: never more than `maxPoints` per channel. Short ranges
 * come back raw; longer ones as aligned min/avg/max buckets.
 */
export class QueryService {
  private readonly fleet: FleetView

  constructor(
    private readonly catalog: Catalog,
    private readonly series: SeriesStore,
    private readonly latestCache: LatestCache,
    private readonly now: () => number = Date.now,
  ) {
    this.fleet = new FleetView(catalog, latestCache)
  }

  async readings(tenantId: string, assetId: string, q: ReadingsQuery): Promise<ReadingsResult> {
    const to = q.to ?? this.now()
    const from = q.from ?? to - DEFAULT_RANGE_MS
    const maxPoints = q.maxPoints ?? DEFAULT_MAX_POINTS
    const problems = []
    if (from >= to) problems.push({ field: 'from', reason: 'must be before to' })
    if (!Number.isInteger(maxPoints) || maxPoints < 2 || maxPoints > MAX_MAX_POINTS) problems.push({ field: 'maxPoints', reason: `must be an integer from 2 to ${MAX_MAX_POINTS}` })
    if (problems.length > 0) throw new InvalidRequestError(problems)

    const channels = await channelsOf(this.catalog, tenantId, assetId, q.channels)
    const keys = channels.map((c) => c.key)
    const bucketMs = bucketWidth(from, to, maxPoints)
    // Buckets first: their counts tell which channels are small enough to send raw, so no
    // separate count query runs (on a long range the buckets are what is sent anyway).
    const buckets = await this.series.buckets(keys, from, to, bucketMs)
    const totals = new Map<number, number>()
    for (const b of buckets) totals.set(b.series, (totals.get(b.series) ?? 0) + b.count)
    const rawKeys = keys.filter((k) => (totals.get(k) ?? 0) <= maxPoints)
    const raws = await Promise.all(rawKeys.map(async (k) => [k, await this.series.range(k, from, to)] as const))
    const rawBy = new Map(raws)
    const series: SeriesResult[] = channels.map((c) => {
      const raw = rawBy.get(c.key)
      if (raw) return { channel: c.name, unit: c.unit, mode: 'raw', ts: raw.ts, value: raw.value }
      const mine = buckets.filter((b) => b.series === c.key)
      return {
        channel: c.name,
        unit: c.unit,
        mode: 'bucketed',
        bucketMs,
        ts: mine.map((b) => b.ts),
        min: mine.map((b) => b.min),
        avg: mine.map((b) => b.avg),
        max: mine.map((b) => b.max),
        count: mine.map((b) => b.count),
      }
    })
    return { assetId, from, to, series }
  }

  async latest(tenantId: string, assetId: string): Promise<{ assetId: string; values: Record<string, LatestValue> }> {
    const channels = await channelsOf(this.catalog, tenantId, assetId)
    const latest = await this.latestCache.get(channels.map((c) => c.key))
    const values: Record<string, LatestValue> = {}
    for (const c of channels) {
      const v = latest.get(c.key)
      if (v) values[c.name] = v
    }
    return { assetId, values }
  }

  /** Latest values of every asset of the tenant (kept answers: see FleetView). */
  fleetLatest(tenantId: string, filter: FleetFilter = {}): Promise<FleetLatestItem[]> {
    return this.fleet.items(tenantId, filter)
  }

  /** The same as `{ items: fleetLatest(…) }`, as JSON text written without a serialiser pass over 10,000 objects. */
  fleetLatestJson(tenantId: string, filter: FleetFilter = {}): Promise<string> {
    return this.fleet.json(tenantId, filter)
  }

  /** Loads the latest value of every channel of the tenants and builds their fleet answers, so first calls are fast too. */
  warm(tenantIds: readonly string[]): Promise<void> {
    return this.fleet.warm(tenantIds)
  }
}
