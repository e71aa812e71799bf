import { describe, expect, it } from 'vitest'
import { ALL_SERIES, MAX_DIRTY_PAIRS_PER_COMMIT, lateMinutes } from './rollups.js'

const batch = (rows: [number, number][]) => ({ series: Int32Array.from(rows.map((r) => r[0])), ts: Float64Array.from(rows.map((r) => r[1])), length: rows.length })

describe('lateMinutes', () => {
  it('marks nothing before the first announce, nor at or past the bound, nor before 1970', () => {
    expect(lateMinutes(batch([[1, 5]]), null)).toEqual([])
    expect(lateMinutes(batch([[1, 120_000], [1, 130_000], [2, -5]]), 120_000)).toEqual([])
  })

  it('lists each late (series, minute) once', () => {
    const got = lateMinutes(batch([[1, 60_001], [1, 119_999], [2, 60_000], [1, 0], [1, 200_000]]), 180_000)
    expect(got.sort((a, b) => a[0] - b[0] || a[1] - b[1])).toEqual([
      [1, 0],
      [1, 60_000],
      [2, 60_000],
    ])
  })

  it('records a backfill as whole minutes of every series', () => {
    const rows: [number, number][] = Array.from({ length: MAX_DIRTY_PAIRS_PER_COMMIT + 1 }, (_, i) => [i, 60_000 + (i % 2) * 60_000])
    rows.push([5, 10 * 60_000]) // within the bound; later ones are not
    rows.push([5, 99 * 60_000])
    expect(lateMinutes(batch(rows), 50 * 60_000).sort((a, b) => a[1] - b[1])).toEqual([
      [ALL_SERIES, 60_000],
      [ALL_SERIES, 120_000],
      [ALL_SERIES, 600_000],
    ])
    expect(lateMinutes(batch(rows.slice(0, MAX_DIRTY_PAIRS_PER_COMMIT)), 50 * 60_000)).toHaveLength(MAX_DIRTY_PAIRS_PER_COMMIT)
  })
})
