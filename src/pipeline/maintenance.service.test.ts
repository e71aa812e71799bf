import { describe, expect, it } from 'vitest'
import { tempDuckDb } from '../../test/helpers/duckdb.js'
import { ReadingBatchBuilder } from '../domain/readings.js'
import { FeatureBatch } from '../domain/features.js'
import type { Bucket, Stores } from '../store/ports.js'
import { MaintenanceService, type MaintenanceEvent } from './maintenance.service.js'

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS
const DAY_MS = 24 * HOUR_MS
/** The fake clock starts here: a Monday noon, UTC. */
const NOW = Date.UTC(2026, 10, 30, 12, 0, 0)

const db = tempDuckDb('maint')
const open = (): Promise<Stores> => db.open()

type Row = [number, number, number]
/** One reading every `stepMs` for each of the series over [from, to), with values that vary. */
function rowsOf(series: readonly number[], from: number, to: number, stepMs: number): Row[] {
  const rows: Row[] = []
  for (let t = from; t < to; t += stepMs) for (const s of series) rows.push([s, t, Math.round(Math.sin(t / 7e5 + s) * 1e4) / 100])
  return rows
}
async function append(s: Stores, rows: readonly Row[]): Promise<void> {
  const b = new ReadingBatchBuilder(rows.length + 1)
  for (const [k, t, v] of rows) b.push(k, t, v)
  await s.series.append(b.build())
}
function raw(rows: readonly Row[], key: number, from: number, to: number, bucketMs: number): [number, number, number, number][] {
  const acc = new Map<number, [number, number, number, number]>()
  for (const [k, t, v] of rows) {
    if (k !== key || t < from || t >= to) continue
    const b = t - (t % bucketMs)
    const cur = acc.get(b) ?? [b, Infinity, -Infinity, 0]
    acc.set(b, [b, Math.min(cur[1], v), Math.max(cur[2], v), cur[3] + 1])
  }
  return [...acc.values()].sort((x, y) => x[0] - y[0])
}
const shape = (bs: Bucket[]): [number, number, number, number][] => bs.map((b) => [b.ts, b.min, b.max, b.count])

const retention = { rawDays: 0, minuteDays: 0, hourDays: 0, dayDays: 0 }

// Each case runs dozens of rollup slices on a real DuckDB: on a busy 2-core machine that takes more than the default 30 s.
describe('MaintenanceService (fake clock)', { timeout: 90_000 }, () => {
  it('rolls up every minute that ended lagMs before the clock, in slices that grow while they are fast', async () => {
    const s = await open()
    const rows = rowsOf([1, 2], NOW - 2 * DAY_MS, NOW, 30_000)
    await append(s, rows)
    let clock = NOW
    const job = new MaintenanceService(s.rollups, { intervalMs: 0, lagMs: 90_000, retention }, () => clock)
    const report = await job.runOnce()
    const watermark = NOW - 2 * MINUTE_MS // NOW - 90 s, floored to the minute
    expect(report).toMatchObject({ watermark, dirtyMinutes: 0, interrupted: false, expired: { raw: null, minute: null, hour: null, day: null } })
    // Bounded slices: 2 days starting from 1 h, doubling at most each time, cannot fit in fewer than 6.
    expect(report.slices).toBeGreaterThanOrEqual(6)
    expect((await s.rollups.status()).watermark).toBe(watermark)
    // Readings past the watermark stay raw; the answer is the same as the raw aggregation throughout.
    for (const bucketMs of [5 * MINUTE_MS, HOUR_MS, DAY_MS]) {
      expect(shape(await s.series.buckets([1], NOW - 2 * DAY_MS, NOW, bucketMs))).toEqual(raw(rows, 1, NOW - 2 * DAY_MS, NOW, bucketMs))
    }
    // Nothing new: the next pass does one empty slice.
    clock += 20_000
    expect(await job.runOnce()).toMatchObject({ watermark, slices: 1 })
    clock += 60_000
    expect((await job.runOnce()).watermark).toBe(watermark + MINUTE_MS)
  })

  it('folds late readings into the next pass', async () => {
    const s = await open()
    const rows = rowsOf([7], NOW - DAY_MS, NOW, 60_000)
    await append(s, rows)
    let clock = NOW
    const job = new MaintenanceService(s.rollups, { intervalMs: 0, lagMs: 0, retention }, () => clock)
    await job.runOnce()
    const late: Row[] = [[7, NOW - 10 * HOUR_MS + 1234, 999], [7, NOW - 10 * HOUR_MS + 2345, -999]]
    await append(s, late)
    expect((await s.rollups.status()).dirtyMinutes).toBe(1)
    clock += MINUTE_MS
    expect((await job.runOnce()).dirtyMinutes).toBe(1)
    expect((await s.rollups.status()).dirtyMinutes).toBe(0)
    const all = [...rows, ...late]
    expect(shape(await s.series.buckets([7], NOW - DAY_MS, NOW, HOUR_MS))).toEqual(raw(all, 7, NOW - DAY_MS, NOW, HOUR_MS))
  })

  it('applies each level’s retention as the clock moves on, and day buckets outlive the raw readings', async () => {
    const s = await open()
    const start = NOW - 6 * DAY_MS - 12 * HOUR_MS // a midnight
    const rows = rowsOf([3], start, NOW, 5 * MINUTE_MS)
    await append(s, rows)
    let clock = NOW
    const job = new MaintenanceService(s.rollups, { intervalMs: 0, lagMs: 0, retention: { rawDays: 1, minuteDays: 2, hourDays: 3, dayDays: 0 } }, () => clock)
    const first = await job.runOnce()
    expect(first.expired).toEqual({ raw: NOW - DAY_MS, minute: NOW - 2 * DAY_MS, hour: NOW - 3 * DAY_MS, day: null })
    expect((await s.series.count([3], 0, NOW - DAY_MS)).size).toBe(0)
    expect((await s.series.count([3], NOW - DAY_MS, NOW)).get(3)).toBe(rows.filter((r) => r[1] >= NOW - DAY_MS).length)
    // Two days later (no new data): raw would go up to NOW + DAY, but never past the watermark.
    clock = NOW + 2 * DAY_MS
    const later = await job.runOnce()
    expect(later.watermark).toBe(NOW + 2 * DAY_MS)
    expect(later.expired).toEqual({ raw: NOW + DAY_MS, minute: NOW, hour: NOW - DAY_MS, day: null })
    expect((await s.series.count([3], 0, NOW + 3 * DAY_MS)).size).toBe(0)
    // Whole days still come from the day rollup, equal to what the raw readings gave.
    const lastMidnight = NOW - 12 * HOUR_MS
    expect(shape(await s.series.buckets([3], start, lastMidnight, DAY_MS))).toEqual(raw(rows, 3, start, lastMidnight, DAY_MS))
    // Hour buckets are gone where the hour level expired, kept after.
    expect(await s.series.buckets([3], start, NOW - DAY_MS, HOUR_MS)).toEqual([])
    expect(shape(await s.series.buckets([3], NOW - DAY_MS, NOW, HOUR_MS))).toEqual(raw(rows, 3, NOW - DAY_MS, NOW, HOUR_MS))
  })

  it('expires stored feature rows after featureDays, at most once an hour', async () => {
    const s = await open()
    const row = (ts: number) => ({ series: 1, windowSec: 10, ts, count: 10, mean: 1, std: 0, min: 1, max: 1, slope: 0, last: 1, fftDominantHz: null, fftBands: null })
    await s.features.append(FeatureBatch.of([row(NOW - 3 * DAY_MS), row(NOW - 2 * DAY_MS + 1000), row(NOW - DAY_MS)]))
    let clock = NOW
    const job = new MaintenanceService(s.rollups, { intervalMs: 0, lagMs: 0, retention: { ...retention, featureDays: 2 }, features: s.features }, () => clock)
    expect((await job.runOnce()).expiredFeatureRows).toBe(1)
    // Half an hour on, the next row is due but waits for the hour.
    clock += 30 * MINUTE_MS
    expect((await job.runOnce()).expiredFeatureRows).toBe(0)
    clock += 30 * MINUTE_MS
    expect((await job.runOnce()).expiredFeatureRows).toBe(1)
    expect((await s.features.range({ series: [1], from: 0, to: NOW, maxPoints: 10 })).map((r) => r.ts)).toEqual([NOW - DAY_MS])
    // featureDays 0 keeps them forever.
    clock += 10 * DAY_MS
    const forever = new MaintenanceService(s.rollups, { intervalMs: 0, lagMs: 0, retention, features: s.features }, () => clock)
    expect((await forever.runOnce()).expiredFeatureRows).toBe(0)
  })

  it('runs on its interval until stopped, reporting each pass', async () => {
    const s = await open()
    await append(s, rowsOf([5], NOW - HOUR_MS, NOW, 1000))
    const events: MaintenanceEvent[] = []
    const job = new MaintenanceService(s.rollups, { intervalMs: 5, lagMs: 0, retention }, () => NOW, (e) => events.push(e))
    job.start()
    await expect.poll(() => events.length, { timeout: 5000 }).toBeGreaterThanOrEqual(3)
    await job.stop()
    const n = events.length
    await new Promise((r) => setTimeout(r, 50))
    expect(events.length).toBe(n)
    expect(events.every((e) => e.type === 'pass')).toBe(true)
    expect(events.map((e) => (e.type === 'pass' ? e.report.watermark : null))).toContain(NOW)
  })
})
