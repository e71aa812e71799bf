import { describe, expect, it } from 'vitest'
import { families } from '../families.js'
import type { AnomalyOutput, SerializedModel, StreamPoint } from '../model.js'
import './catalogue.js'
import { packBytes, packF32, unpackBytes, unpackF32 } from './common.js'
import { profileSlots } from './seasonal.model.js'
import { gaussian, legacyChannels, resumeOutputs, run, seasonalV4 } from './testing.fixtures.js'

const HOUR = 3_600_000
// 1970-01-04 was a Sunday: start the series there so day 6 and 13 are Saturdays.
const SUNDAY = 3 * 24 * HOUR

/** Hourly values: a daily sine (trough at 03:00), and on weekends 8 lower. */
function hourly(days: number, inject?: (i: number, v: number) => number, weekendDrop = 8): StreamPoint[] {
  const g = gaussian(5)
  const out: StreamPoint[] = []
  for (let i = 0; i < days * 24; i++) {
    const ts = SUNDAY + i * HOUR
    const { hourOfDay, hourOfWeek } = profileSlots(ts, { utcOffsetMinutes: 0, timeScale: 1, origin: 0 })
    const weekend = hourOfWeek < 24 || hourOfWeek >= 144
    let v = 20 + 10 * Math.sin((2 * Math.PI * (hourOfDay - 9)) / 24) - (weekend ? weekendDrop : 0) + 0.3 * g()
    if (inject) v = inject(i, v)
    out.push({ ts, values: { load: v } })
  }
  return out
}

describe('seasonal detector', () => {
  it.each([
    { hourOfDay: 0, hourOfWeek: 0, ts: SUNDAY },
    { hourOfDay: 13, hourOfWeek: 6 * 24 + 13, ts: SUNDAY + 6 * 24 * HOUR + 13 * HOUR },
  ])('places $ts at hour $hourOfDay of the day and $hourOfWeek of the week', ({ ts, hourOfDay, hourOfWeek }) => {
    expect(profileSlots(ts, { utcOffsetMinutes: 0, timeScale: 1, origin: 0 })).toMatchObject({ hourOfDay, hourOfWeek })
  })

  it('maps a fast-forwarded simulator: 60× time puts one wall minute in one simulated hour', () => {
    const p = { utcOffsetMinutes: 120, timeScale: 60, origin: SUNDAY }
    expect(profileSlots(SUNDAY + 60_000, p).hourOfDay).toBe(3)
  })

  it('flags a value that is normal for the day but not for its hour (a peak load at 03:00), which a flat baseline would accept', () => {
    // Day 9 (a Tuesday) at 03:00: the 15:00 level instead of the trough.
    const at = 9 * 24 + 3
    const pts = hourly(12, (i, v) => (i === at ? 30 : v), 0)
    const seasonal = run(families.create('seasonal', { period: 'daily' }), pts) as AnomalyOutput[]
    const flat = run(families.create('mad', { windowSize: 200 }), pts) as AnomalyOutput[]
    expect(seasonal[at]!.score).toBeGreaterThanOrEqual(0.7)
    expect(seasonal[at]!.contributions).toEqual({ load: 1 })
    expect(flat[at]!.score).toBeLessThan(0.7)
  })

  it.each([
    { period: 'weekly', flagged: true },
    { period: 'daily', flagged: false },
  ])('a weekday level on a Saturday: period $period flags it = $flagged', ({ period, flagged }) => {
    // Fourth Saturday (day 27) at 12:00, at the weekday level; weekends run 8 lower.
    const at = 27 * 24 + 12
    const pts = hourly(28, (i, v) => (i === at ? v + 8 : v))
    const out = run(families.create('seasonal', { period, alpha: 0.3 }), pts) as AnomalyOutput[]
    expect(out[at]!.score >= 0.7).toBe(flagged)
  })

  it('is warming up until an hour has enough values, and raises few false alarms after', () => {
    const pts = hourly(14)
    const out = run(families.create('seasonal', { minPerBucket: 3 }), pts) as AnomalyOutput[]
    expect(out.slice(0, 72).every((o) => o.warmingUp)).toBe(true)
    expect(out.slice(72).every((o) => !o.warmingUp)).toBe(true)
    expect(out.slice(72).filter((o) => o.score >= 0.7).length).toBeLessThanOrEqual(out.length * 0.02)
  })

  it('resumes exactly after a round trip through JSON', () => {
    const { straight, resumed } = resumeOutputs('seasonal', { period: 'both' }, hourly(9), 100)
    expect(resumed).toEqual(straight)
  })

  it('checkpoints only the buckets visited, once for all channels', () => {
    // Six hours of 10-s values: 6 hour-of-day and 6 hour-of-week buckets of the 192.
    const m = families.create('seasonal', {})
    for (let i = 0; i < 6 * 360; i++) m.update!({ ts: SUNDAY + i * 10_000, values: { load: 20 + Math.sin(i / 100), temp: 5 } })
    const json = m.toJSON()
    expect(json.formatVersion).toBe(5)
    const st = json.state as { buckets: string; visits: string; names: string[]; stats: string; n: string }
    expect(Array.from(unpackBytes(st.buckets)).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 24, 25, 26, 27, 28, 29])
    expect(unpackBytes(st.visits, 2)).toHaveLength(4 * 12)
    // One block for both channels: a row of 12 buckets each.
    expect(st.names).toEqual(['load', 'temp'])
    expect(unpackF32(st.stats)).toHaveLength(2 * 2 * 12)
    expect(Array.from(new Uint16Array(unpackBytes(st.n, 2).buffer))).toEqual(Array(2 * 12).fill(360))
  })

  it('a checkpoint of format 4 (each channel its arrays apart) still loads and resumes exactly', () => {
    const pts = hourly(9)
    const a = families.create('seasonal', { period: 'both' })
    for (const p of pts.slice(0, 100)) a.update!(p)
    const s4: SerializedModel = { ...a.toJSON(), formatVersion: 4, state: seasonalV4(a.toJSON()) }
    const b = families.fromJSON(JSON.parse(JSON.stringify(s4)) as SerializedModel)
    expect(b.toJSON()).toEqual(a.toJSON())
    for (const p of pts.slice(100)) expect(b.update!(p)).toEqual(a.update!(p))
  })

  it('a checkpoint of format 3 (each channel its own buckets) still loads and resumes exactly', () => {
    const pts = hourly(9)
    const a = families.create('seasonal', { period: 'both' })
    for (const p of pts.slice(0, 100)) a.update!(p)
    const channels: Record<string, { buckets: string; stats: string; counts: string }> = {}
    for (const [k, c] of Object.entries(legacyChannels(a.toJSON()))) channels[k] = { buckets: packBytes(c.ids), stats: packF32(c.stats), counts: packBytes(new Uint8Array(c.counts.buffer)) }
    const s3: SerializedModel = { ...a.toJSON(), formatVersion: 3, state: { channels } }
    const b = families.fromJSON(JSON.parse(JSON.stringify(s3)) as SerializedModel)
    for (const p of pts.slice(100)) expect(b.update!(p)).toEqual(a.update!(p))
  })

  it('a checkpoint of format 2 (all 192 buckets packed) still loads and resumes exactly', () => {
    const pts = hourly(9)
    const a = families.create('seasonal', { period: 'both' })
    for (const p of pts.slice(0, 100)) a.update!(p)
    // The same state as format 2 wrote it: every bucket in its place, unvisited ones zero.
    const channels: Record<string, { stats: string; counts: string }> = {}
    for (const [k, { ids, stats: st, counts: cn }] of Object.entries(legacyChannels(a.toJSON()))) {
      const stats = new Float32Array(2 * 192)
      const counts = new Uint16Array(3 * 192)
      ids.forEach((b, s) => {
        stats.set(st.subarray(2 * s, 2 * s + 2), 2 * b)
        counts.set(cn.subarray(3 * s, 3 * s + 3), 3 * b)
      })
      channels[k] = { stats: packF32(stats), counts: packBytes(new Uint8Array(counts.buffer)) }
    }
    const s2: SerializedModel = { ...a.toJSON(), formatVersion: 2, state: { channels } }
    const b = families.fromJSON(JSON.parse(JSON.stringify(s2)) as SerializedModel)
    for (const p of pts.slice(100)) expect(b.update!(p)).toEqual(a.update!(p))
  })
})
