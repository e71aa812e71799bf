/**
 * Reads back, from stored readings, the history a serving adapter keeps for an asset
 * (prognostics.adapters.ts `history`), so that after a restart the prognostics stage answers at an
 * asset's next step instead of after a whole window of new readings. Bounded: at most the plan's
 * number of reports (or buckets) is returned, and at most about twice that many readings of each
 * channel are read to find them.
 */
import type { SeriesStore } from '../store/ports.js'
import type { AssetRecord, HistoryPlan } from './prognostics.adapters.js'

/** How far back a `reports` plan looks at most for its readings. */
export const HISTORY_MAX_LOOKBACK_MS = 400 * 86_400_000
/** The first window a `reports` plan counts readings in; doubled until it holds enough. */
const FIRST_SPAN_MS = 60_000

/**
 * The stored history of a plan, oldest first, from readings strictly before `before` (the first
 * reading the stage is about to push, which is stored already). `keys` maps the asset's channel
 * names to their series keys; channels it lacks are left out.
 */
export async function readHistory(series: SeriesStore, keys: ReadonlyMap<string, number>, plan: HistoryPlan, before: number): Promise<AssetRecord[]> {
  if (plan.kind === 'means') {
    const key = keys.get(plan.channel)
    if (key === undefined) return []
    const buckets = await series.buckets([key], before - plan.spanMs, before, plan.bucketMs)
    // Stamped at the bucket's middle (never at or after `before`), so each lands in the hour holding most of it.
    return buckets.filter((b) => b.count > 0).map((b) => ({ ts: Math.min(b.ts + Math.floor(plan.bucketMs / 2), before - 1), values: { [plan.channel]: b.avg } }))
  }
  const pace = keys.get(plan.channels[0] ?? '')
  if (pace === undefined || plan.maxReports < 1) return []
  const count = async (span: number): Promise<number> => (await series.count([pace], before - span, before)).get(pace) ?? 0
  // A window holding maxReports readings of the pacing channel: the whole look-back when that holds
  // no more (a new asset, one query), else doubled from a minute until it does…
  let lo = 0
  let span = HISTORY_MAX_LOOKBACK_MS
  let n = await count(span)
  if (n === 0) return []
  if (n > plan.maxReports) {
    span = FIRST_SPAN_MS
    n = await count(span)
  }
  while (n < plan.maxReports && span < HISTORY_MAX_LOOKBACK_MS) {
    lo = span
    span = Math.min(span * 2, HISTORY_MAX_LOOKBACK_MS)
    n = await count(span)
  }
  // …then narrowed while it holds more than twice that (a burst): a series has at most one reading a millisecond.
  while (n > 2 * plan.maxReports && span - lo > 1) {
    const mid = Math.floor((lo + span) / 2)
    const m = await count(mid)
    if (m >= plan.maxReports) {
      span = mid
      n = m
    } else lo = mid
  }
  const from = before - span
  const paced = await series.range(pace, from, before)
  const start = Math.max(0, paced.ts.length - plan.maxReports)
  const first = paced.ts[start]
  if (first === undefined) return []
  const byTs = new Map<number, Record<string, number>>()
  for (let i = start; i < paced.ts.length; i++) byTs.set(paced.ts[i]!, { [plan.channels[0]!]: paced.value[i]! })
  for (const name of plan.channels.slice(1)) {
    const key = keys.get(name)
    if (key === undefined) continue
    const pts = await series.range(key, first, before)
    for (let i = 0; i < pts.ts.length; i++) {
      const rec = byTs.get(pts.ts[i]!)
      if (rec) rec[name] = pts.value[i]!
    }
  }
  return [...byTs.entries()].sort((a, b) => a[0] - b[0]).map(([ts, values]) => ({ ts, values }))
}
