import { describe, expect, it } from 'vitest'
import { bucketWidth } from './query.service.js'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const T = Date.UTC(2026, 10, 30, 12, 34, 56, 789)

describe('bucketWidth', () => {
  it.each([
    // range, maxPoints → width: rounded up to the coarsest level that widens by ≤ 10 %
    ['30 days, 1,000 points: 43.2 min → 44 min', 30 * DAY, 1000, 44 * MIN],
    ['7 days, 500 points: 20.2 min → 21 min', 7 * DAY, 500, 21 * MIN],
    ['2 years, 1,000 points: 17.5 h → 18 h', 730 * DAY, 1000, 18 * HOUR],
    ['10 days, 10 points: 26.7 h → 27 h (2 days would halve the points)', 10 * DAY, 10, 27 * HOUR],
    ['400 days, 100 points: 4.04 days → 5 days is too wide, 97 h', 400 * DAY, 100, 97 * HOUR],
    ['1 hour, 1,000 points: 3.6 s, no level', HOUR, 1000, Math.ceil(HOUR / 999)],
    ['9 min, 100 points: 5.5 s, a minute would be 11× wider', 9 * MIN, 100, Math.ceil((9 * MIN) / 99)],
  ])('%s', (_, span, maxPoints, want) => {
    const w = bucketWidth(T, T + span, maxPoints)
    expect(w).toBe(want)
    // Never more than maxPoints aligned buckets, never narrower than asked.
    expect(Math.floor((T + span - 1) / w) - Math.floor(T / w) + 1).toBeLessThanOrEqual(maxPoints)
    expect(w).toBeGreaterThanOrEqual(Math.ceil(span / (maxPoints - 1)))
  })
})
