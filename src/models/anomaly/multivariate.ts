/**
 * What the multivariate detectors (isolation forest, robust Mahalanobis) share: a
 * probation buffer of feature vectors, the choice of the features they are fitted on (those
 * present in at least 90 % of the buffer), and the median imputation of a missing feature.
 */
import { median } from './common.js'

/** Share of buffered vectors a feature must be present in to be used. */
export const MIN_PRESENCE = 0.9

/** The features a buffer supports, sorted, and each one's median (used to fill a gap). */
export function chooseFeatures(buffer: readonly Readonly<Record<string, number>>[]): { names: string[]; fill: number[] } {
  const counts = new Map<string, number>()
  for (const v of buffer) for (const [k, x] of Object.entries(v)) if (Number.isFinite(x)) counts.set(k, (counts.get(k) ?? 0) + 1)
  const names = [...counts].filter(([, c]) => c >= MIN_PRESENCE * buffer.length).map(([k]) => k).sort()
  const fill = names.map((n) => median(buffer.map((v) => v[n]).filter((x): x is number => x !== undefined && Number.isFinite(x))))
  return { names, fill }
}

/** A vector as an array in `names` order, gaps filled from `fill`. */
export function toRow(v: Readonly<Record<string, number>>, names: readonly string[], fill: readonly number[]): number[] {
  return names.map((n, i) => {
    const x = v[n]
    return x !== undefined && Number.isFinite(x) ? x : (fill[i] as number)
  })
}
