import type { ReadingBatch } from '../domain/readings.js'
import type { AppendResult } from './ports.js'

/**
 * The readings of `b` in [from, to) minus the `dropped` ones (indices into `b`, ascending).
 * Returns a view of `b` itself when nothing in the range was dropped.
 */
export function withoutDropped(b: ReadingBatch, from: number, to: number, dropped: readonly number[]): ReadingBatch {
  let k = lowerBound(dropped, from)
  const end = lowerBound(dropped, to)
  if (k === end) {
    if (from === 0 && to === b.length) return b
    return { series: b.series.subarray(from, to), ts: b.ts.subarray(from, to), value: b.value.subarray(from, to), length: to - from }
  }
  const n = to - from - (end - k)
  const series = new Int32Array(n)
  const ts = new Float64Array(n)
  const value = new Float64Array(n)
  let o = 0
  for (let i = from; i < to; i++) {
    if (k < end && dropped[k] === i) {
      k++
      continue
    }
    series[o] = b.series[i]!
    ts[o] = b.ts[i]!
    value[o] = b.value[i]!
    o++
  }
  return { series, ts, value, length: n }
}

/**
 * Each caller's share of a group commit: `parts` are the callers' batches in the order
 * they were concatenated into the group, `dropped` the duplicates found in the group
 * (indices into the concatenation, ascending).
 */
export function splitResults(parts: readonly ReadingBatch[], dropped: readonly number[]): AppendResult[] {
  const out: AppendResult[] = []
  let off = 0
  for (const p of parts) {
    const first = lowerBound(dropped, off)
    const last = lowerBound(dropped, off + p.length)
    const duplicates = last - first
    const stored = duplicates === 0 ? p : withoutDropped(p, 0, p.length, dropped.slice(first, last).map((i) => i - off))
    out.push({ written: p.length - duplicates, duplicates, stored })
    off += p.length
  }
  return out
}

/** First index in ascending `xs` whose value is >= x. */
function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0
  let hi = xs.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (xs[mid]! < x) lo = mid + 1
    else hi = mid
  }
  return lo
}
