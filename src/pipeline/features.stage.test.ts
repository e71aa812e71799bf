import { afterEach, describe, expect, it } from 'vitest'
import { MemoryBus } from '../bus/memory.bus.js'
import { ReadingBatchBuilder } from '../domain/readings.js'
import { openDuckDbStores } from '../store/duckdb/open.js'
import type { Stores } from '../store/ports.js'
import type { FeatureName } from '../features/feature-vector.js'
import { featureOf, type FeaturesMessage, type ReadingsMessage, type SeriesRef } from './bus.js'
import { FEATURE_APPEND_ROWS, FeaturesStage, PlacedIndex } from './features.stage.js'

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0)
const TEMP: SeriesRef = { key: 1, assetId: 'pump', name: 'temp' }
const VIB: SeriesRef = { key: 2, assetId: 'pump', name: 'vib' }

let stores: Stores | null = null
const failures: unknown[] = []
afterEach(async () => {
  // No stage may have failed on a message.
  expect(failures.splice(0)).toEqual([])
  await stores?.close()
  stores = null
})

/** Readings of `ref` at 1 Hz from `fromSec` (inclusive) to `toSec` (exclusive), value = f(second). */
function message(refs: readonly SeriesRef[], fromSec: number, toSec: number, f: (s: number, key: number) => number, hz = 1): ReadingsMessage {
  const b = new ReadingBatchBuilder()
  for (let i = fromSec * hz; i < toSec * hz; i++) for (const r of refs) b.push(r.key, T0 + Math.round((i * 1000) / hz), f(i / hz, r.key))
  return { tenantId: 'default', batch: b.build(), series: (key) => refs.find((r) => r.key === key) }
}

async function setup(opts: Partial<{ hopSec: number; maxSeries: number; now: () => number }> = {}): Promise<{ bus: MemoryBus; stage: FeaturesStage; out: FeaturesMessage[] }> {
  stores = await openDuckDbStores({ dataDir: ':memory:' })
  const bus = new MemoryBus({ onEvent: (e) => void (e.type === 'failed' && failures.push(e.error)) })
  const stage = new FeaturesStage(bus, stores.features, { windowsSec: [10, 30], hopSec: opts.hopSec ?? 10, maxSeries: opts.maxSeries ?? 1000, fft: true }, undefined, opts.now)
  stage.start()
  const out: FeaturesMessage[] = []
  bus.subscribe('features', 'test', (m) => void out.push(m))
  return { bus, stage, out }
}

describe('FeaturesStage', () => {
  it('stores each window once per its length (tumbling, ending on multiples of it) and publishes every window at each pane boundary', async () => {
    const { bus, out } = await setup()
    const f = (s: number): number => 20 + s * 0.5
    // 0..9 s: inside the first pane → nothing; 10..24 s: boundaries T0+10 s and T0+20 s; 25..30 s: boundary T0+30 s (a multiple of 30 s).
    for (const [a, b] of [[0, 5], [5, 10], [10, 25], [25, 31]] as const) await bus.publish('readings', message([TEMP], a, b, f), b - a)
    await bus.drain()
    // The messages queued together reach the stage as one batch: one features message, vectors in message order, and one append of the rows.
    expect(out).toHaveLength(1)
    const stored = await stores!.features.range({ series: [1], from: T0, to: T0 + 60_000, maxPoints: 100 })
    expect(stored.map((r) => [r.windowSec, r.ts])).toEqual([
      [10, T0 + 9000],
      [10, T0 + 19_000],
      [10, T0 + 29_000],
      [30, T0 + 29_000],
    ])
    // The 30 s window [T0, T0+30 s): brute force over its readings.
    const w30 = stored[3]!
    expect(w30).toMatchObject({ series: 1, count: 30, min: f(0), max: f(29), last: f(29), fftDominantHz: null, fftBands: null })
    expect(w30.mean).toBeCloseTo(f(14.5), 9)
    expect(w30.std).toBeCloseTo(0.5 * Math.sqrt((30 * 30 - 1) / 12), 9)
    expect(w30.slope).toBeCloseTo(0.5, 9)
    // Typed vector per asset and readings message, named by channel: every window at the newest boundary of that message
    // (T0+20 s for the third, T0+30 s for the fourth), stored or not.
    const [v20, v30] = out[0]!.assets
    expect([v20, v30].map((a) => a && { assetId: a.assetId, ts: a.ts, vector: a.vector })).toEqual([
      { assetId: 'pump', ts: T0 + 19_000, vector: expect.objectContaining({ 'temp.w10.count': 10, 'temp.w10.last': f(19), 'temp.w30.count': 20, 'temp.w30.min': f(0) }) },
      { assetId: 'pump', ts: T0 + 29_000, vector: expect.objectContaining({ 'temp.w10.count': 10, 'temp.w10.last': f(29), 'temp.w30.count': 30 }) },
    ])
    expect(v20!.vector['temp.w30.slope']).toBeCloseTo(0.5, 9)
    // Packed: one feature is read without building the object, and the next hop's vector of the same features shares its shape.
    expect(featureOf(v20!, 'temp.w10.last')).toBe(f(19))
    expect(featureOf(v20!, 'temp.w10.nothing' as FeatureName)).toBeUndefined()
    expect(v30!.packed?.shape).toBe(v20!.packed!.shape)
  })

  it('adds FFT features for a high-rate channel only (a 5 Hz tone sampled at 64 Hz); slow channels are not buffered', async () => {
    const { bus, out, stage } = await setup()
    await bus.publish('readings', message([VIB], 0, 21, (s) => Math.sin(2 * Math.PI * 5 * s), 64), 21 * 64)
    await bus.publish('readings', message([TEMP], 0, 21, (s) => s), 21)
    await bus.drain()
    // The first pane finds the channel fast; from the second on its readings feed the FFT.
    const rows = await stores!.features.range({ series: [VIB.key, TEMP.key], from: T0, to: T0 + 60_000, maxPoints: 1000 })
    const row = rows.filter((r) => r.series === VIB.key && r.windowSec === 10).at(-1)!
    expect(row.fftDominantHz).toBeCloseTo(5, 1)
    expect(row.fftBands).toHaveLength(4)
    expect(out[0]!.assets[0]!.vector['vib.w10.fft.dominant_hz']).toBeCloseTo(5, 1)
    const [stored] = await stores!.features.latest([2], [10])
    expect(stored!.fftBands).toEqual(row.fftBands)
    const tempRows = rows.filter((r) => r.series === TEMP.key)
    expect(tempRows.length).toBeGreaterThan(0)
    expect(tempRows.every((r) => r.fftBands === null)).toBe(true)
    expect(stage.stats()).toMatchObject({ series: 2, fastSeries: 1 })
  })

  it("stores a whole fleet's boundary in bounded appends when many messages are handled together", async () => {
    stores = await openDuckDbStores({ dataDir: ':memory:' })
    const appends: number[] = []
    const counting = Object.assign(Object.create(stores.features) as Stores['features'], {
      append: (b: Parameters<Stores['features']['append']>[0]) => (appends.push(b.length), stores!.features.append(b)),
    })
    const bus = new MemoryBus({ onEvent: (e) => void (e.type === 'failed' && failures.push(e.error)) })
    const n = 35_000
    const stage = new FeaturesStage(bus, counting, { windowsSec: [10, 30], hopSec: 10, maxSeries: n + 1000, fft: false })
    stage.start()
    const refs = new Map<number, SeriesRef>(Array.from({ length: n }, (_, i) => [i + 1, { key: i + 1, assetId: `a${Math.floor(i / 10)}`, name: `c${i % 10}` }]))
    const fleet = (fromSec: number, toSec: number): ReadingsMessage => {
      const b = new ReadingBatchBuilder(n * (toSec - fromSec))
      for (let s = fromSec; s < toSec; s++) for (const key of refs.keys()) b.push(key, T0 + s * 1000, s)
      return { tenantId: 'default', batch: b.build(), series: (key) => refs.get(key) }
    }
    // Queued before the stage runs, so it handles them as one batch: the boundaries at 10 and 20 s
    // close the 10-s windows of every series, and 30 s both windows (35,000 × 4 rows in all).
    for (const [a, b] of [[0, 10], [10, 20], [20, 30], [30, 31]] as const) await bus.publish('readings', fleet(a, b), n * (b - a))
    await bus.drain()
    expect(appends.reduce((x, y) => x + y, 0)).toBe(4 * n)
    expect(appends.length).toBeGreaterThan(1)
    // Each append is what passed FEATURE_APPEND_ROWS: at most the limit plus one message's rows.
    for (const a of appends) expect(a).toBeLessThan(FEATURE_APPEND_ROWS + 2 * n)
    const last = await stores.features.latest([1, n], [10, 30])
    expect(last.map((r) => [r.series, r.windowSec, r.ts, r.count])).toEqual([
      [1, 10, T0 + 29_000, 10],
      [1, 30, T0 + 29_000, 30],
      [n, 10, T0 + 29_000, 10],
      [n, 30, T0 + 29_000, 30],
    ])
    stage.stop()
  }, 60_000)

  it('current(): the live vector of tracked series; undefined for unknown ones', async () => {
    const { bus, stage } = await setup()
    await bus.publish('readings', message([TEMP, VIB], 0, 3, (s, k) => s * k), 6)
    await bus.drain()
    const cur = stage.current([TEMP, VIB, { key: 99, assetId: 'pump', name: 'x' }])!
    expect(cur.ts).toBe(T0 + 2000)
    expect(cur.vector).toMatchObject({ 'temp.w10.last': 2, 'vib.w30.last': 4, 'vib.w10.count': 3 })
    expect(Object.keys(cur.vector).some((k) => k.startsWith('x.'))).toBe(false)
    expect(stage.current([{ key: 99, assetId: 'pump', name: 'x' }])).toBeUndefined()
  })

  it('keeps memory bounded: at most maxSeries series, and idle ones are released', async () => {
    let now = T0 + 5000
    const { bus, stage } = await setup({ maxSeries: 1, now: () => now })
    await bus.publish('readings', message([TEMP, VIB], 0, 5, (s) => s), 10)
    await bus.drain()
    expect(stage.stats()).toMatchObject({ series: 1, refused: 5 })
    // Well past the longest window without a reading: the sweep releases the series.
    now = T0 + 120_000
    await bus.publish('readings', message([VIB], 100, 101, (s) => s), 1)
    await bus.drain()
    expect(stage.stats().series).toBe(1)
    expect(stage.current([TEMP])).toBeUndefined()
    expect(stage.current([VIB])).toBeDefined()
  })

  it('waits while scoring is behind: the features topic stays within its capacity and readings queue instead', async () => {
    stores = await openDuckDbStores({ dataDir: ':memory:' })
    // Each message below holds one window's 7 vector values (its stored row goes to the store, not the bus): the bus weighs it so.
    const perMessage = 7
    const bus = new MemoryBus({ capacity: { features: 2 * perMessage } })
    const stage = new FeaturesStage(bus, stores.features, { windowsSec: [10], hopSec: 10, maxSeries: 10, fft: false })
    stage.start()
    let release: () => void = () => undefined
    const gate = new Promise<void>((r) => (release = r))
    let maxPending = 0
    // A scorer that holds every message until released.
    bus.subscribe('features', 'slow-scoring', async () => {
      maxPending = Math.max(maxPending, bus.stats('features').pending)
      await gate
    })
    // One readings message at a time (each gets to the stage before the next is published), as a stream does.
    for (let p = 0; p < 6; p++) {
      await bus.publish('readings', message([TEMP], p * 10, p * 10 + 10, (s) => s), 10)
      await new Promise((r) => setTimeout(r, 10))
    }
    // The stage is parked in waitForRoom: features are within capacity (plus the one message that found room), readings wait behind.
    expect(bus.stats('features').pending).toBeLessThanOrEqual(3 * perMessage)
    expect(bus.stats('readings').pending).toBeGreaterThan(0)
    release()
    await bus.drain()
    // Every boundary's row got through (the first message crosses none); the readings that queued behind came as one batch.
    const published = bus.stats('features').published
    expect(published).toBeGreaterThanOrEqual(3)
    expect(published).toBeLessThan(5)
    expect(await stores.features.range({ series: [TEMP.key], from: T0, to: T0 + 70_000, maxPoints: 100 })).toHaveLength(5)
    expect(maxPending).toBeLessThanOrEqual(3 * perMessage)
  })

  it('publishes no feature vectors when nobody listens, but still stores the rows', async () => {
    stores = await openDuckDbStores({ dataDir: ':memory:' })
    const bus = new MemoryBus()
    const stage = new FeaturesStage(bus, stores.features, { windowsSec: [10], hopSec: 10, maxSeries: 10, fft: false })
    stage.start()
    await bus.publish('readings', message([TEMP], 0, 11, (s) => s), 11)
    await bus.drain()
    expect(bus.stats('features').published).toBe(0)
    expect(await stores.features.latest([1])).toHaveLength(1)
  })
})

describe('PlacedIndex', () => {
  it('answers what was set since the last next(), keeps entries when it grows, and forgets all at next()', () => {
    const p = new PlacedIndex()
    expect(p.get(5)).toBe(-1)
    p.set(5, 0)
    p.set(3, 7)
    p.set(50_000, 14)
    expect([p.get(5), p.get(3), p.get(50_000), p.get(4), p.get(60_000)]).toEqual([0, 7, 14, -1, -1])
    p.next()
    expect([p.get(5), p.get(3), p.get(50_000)]).toEqual([-1, -1, -1])
    p.set(3, 21)
    expect([p.get(3), p.get(5)]).toEqual([21, -1])
  })
})
