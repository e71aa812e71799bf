/**
 * Features through the API: computed on ingest by the features stage, stored, queryable
 * (history and current vector), streamed as SSE `features` events; back-pressure on HTTP
 * ingest when the stages after the store fall behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiKey, seedAsset, startTestPlatform, type TestPlatform } from '../helpers/platform.js'
import { collectSse } from '../helpers/sse.js'

let t: TestPlatform
let base: string
let operator: Record<string, string>
let viewer: Record<string, string>
let ingestOnly: Record<string, string>
let other: Record<string, string>
const T0 = Math.floor(Date.now() / 60_000) * 60_000 - 180_000

beforeAll(async () => {
  t = await startTestPlatform({ PROGNOS_FEATURES_WINDOWS_SEC: '10,30', PROGNOS_FEATURES_HOP_SEC: '10' })
  base = await t.platform.listen()
  operator = await apiKey(t, 'operator')
  viewer = await apiKey(t, 'viewer')
  ingestOnly = await apiKey(t, 'ingest')
  await seedAsset(t, operator, 'pump-1', ['temp', 'vib'])
  await seedAsset(t, operator, 'pump-2', ['temp'])
  await t.platform.app.inject({ method: 'POST', url: '/v1/tenants', headers: t.admin, payload: { id: 'other', name: 'Other' } })
  other = await apiKey(t, 'operator', 'other')
  await seedAsset(t, other, 'pump-x', ['temp'])
  // 61 s of pump-1 at 1 Hz (temp rises 0.5 per second), in two requests; the reading at 60 s closes the windows ending at T0 + 60 s.
  for (const [a, b] of [[0, 31], [31, 61]] as const) {
    const records = []
    for (let s = a; s < b; s++) records.push({ asset: 'pump-1', ts: T0 + s * 1000, values: { temp: 20 + s * 0.5, vib: s % 2 } })
    const res = await ingest(operator, records)
    expect(res.statusCode).toBe(200)
  }
  await t.platform.bus.drain()
})
afterAll(() => t.close())

const ingest = (headers: Record<string, string>, records: unknown[]) => t.platform.app.inject({ method: 'POST', url: '/v1/ingest', headers, payload: { records } })
const get = (headers: Record<string, string>, url: string) => t.platform.app.inject({ method: 'GET', url, headers })

interface FeatureSeries {
  channel: string
  windowSec: number
  ts: number[]
  count: number[]
  mean: number[]
  slope: number[]
  last: number[]
  min: number[]
  max: number[]
}

describe('GET /v1/assets/:id/features', () => {
  it('returns the stored snapshots per channel and window: tumbling windows, one per window length of data time', async () => {
    const res = await get(viewer, `/v1/assets/pump-1/features?channels=temp&from=${T0}&to=${T0 + 120_000}`)
    expect(res.statusCode).toBe(200)
    const body = res.json() as { assetId: string; series: FeatureSeries[] }
    expect(body.series.map((s) => [s.channel, s.windowSec])).toEqual([
      ['temp', 10],
      ['temp', 30],
    ])
    const w10 = body.series[0]!
    // Windows end on multiples of their length (T0 is on a minute); a row's ts is its newest reading.
    const ends = [10, 20, 30, 40, 50, 60]
    expect(w10.ts).toEqual(ends.map((e) => T0 + (e - 1) * 1000))
    expect(w10.count).toEqual(ends.map(() => 10))
    expect(w10.last).toEqual(ends.map((e) => 20 + (e - 1) * 0.5))
    expect(w10.min).toEqual(ends.map((e) => 20 + (e - 10) * 0.5))
    w10.slope.forEach((s) => expect(s).toBeCloseTo(0.5, 9))
    expect(body.series[1]!.ts).toEqual([T0 + 29_000, T0 + 59_000])
    expect(body.series[1]!.count).toEqual([30, 30])
  })

  it('filters windows, and bounds the answer with maxPoints', async () => {
    const res = await get(operator, `/v1/assets/pump-1/features?windows=30&from=${T0}&to=${T0 + 120_000}&maxPoints=2`)
    expect(res.statusCode).toBe(200)
    const body = res.json() as { series: FeatureSeries[] }
    expect(body.series.map((s) => [s.channel, s.windowSec])).toEqual([
      ['temp', 30],
      ['vib', 30],
    ])
    for (const s of body.series) expect(s.ts.length).toBeLessThanOrEqual(2)
  })

  it('refuses bad parameters with VALIDATION_FAILED naming the field', async () => {
    const cases: [string, string][] = [
      ['windows=15', 'windows'],
      ['windows=ten', 'windows'],
      ['channels=nope', 'channels'],
      [`from=${T0 + 10}&to=${T0}`, 'from'],
      ['from=yesterday', 'from'],
    ]
    for (const [qs, field] of cases) {
      const res = await get(viewer, `/v1/assets/pump-1/features?${qs}`)
      expect(res.statusCode, qs).toBe(400)
      const body = res.json() as { code: string; details: { field: string }[] }
      expect(body.code, qs).toBe('VALIDATION_FAILED')
      expect(JSON.stringify(body), qs).toContain(field)
    }
    expect((await get(viewer, '/v1/assets/pump-1/features?maxPoints=1')).statusCode).toBe(400)
  })

  it('isolates tenants (404) and checks roles like readings (ingest keys may not read)', async () => {
    expect((await get(other, `/v1/assets/pump-1/features`)).statusCode).toBe(404)
    expect((await get(other, `/v1/assets/pump-1/features/latest`)).statusCode).toBe(404)
    expect((await get(ingestOnly, `/v1/assets/pump-1/features`)).statusCode).toBe(403)
    expect((await get(ingestOnly, `/v1/assets/pump-1/features/latest`)).statusCode).toBe(403)
    expect((await get({}, `/v1/assets/pump-1/features`)).statusCode).toBe(401)
  })

  it('is documented in the OpenAPI document', async () => {
    const doc = (await get({}, '/openapi.json')).json() as { paths: Record<string, unknown> }
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/assets/{id}/features', '/v1/assets/{id}/features/latest']))
  })
})

describe('GET /v1/assets/:id/features/latest', () => {
  it('returns the current typed feature vector: the windows ending at the newest pane boundary', async () => {
    const res = await get(viewer, '/v1/assets/pump-1/features/latest')
    expect(res.statusCode).toBe(200)
    const body = res.json() as { assetId: string; ts: number; source: string; vector: Record<string, number> }
    expect(body).toMatchObject({ assetId: 'pump-1', ts: T0 + 59_000, source: 'live' })
    expect(body.vector['temp.w10.last']).toBe(20 + 59 * 0.5)
    expect(body.vector['temp.w30.count']).toBe(30)
    expect(body.vector['vib.w10.mean']).toBeCloseTo(0.5, 9)
    expect(body.vector['temp.w10.slope']).toBeCloseTo(0.5, 9)
  })

  it('answers an asset without readings with an empty vector', async () => {
    const res = await get(viewer, '/v1/assets/pump-2/features/latest')
    expect(res.json()).toEqual({ assetId: 'pump-2', ts: null, source: 'none', vector: {} })
  })
})

type SseEvent = { event: string; data: { assetId: string; ts?: number; vector?: Record<string, number> } }

function collect(headers: Record<string, string>, qs: string, act: () => Promise<void>, until: (events: SseEvent[]) => boolean): Promise<SseEvent[]> {
  return collectSse<SseEvent['data']>(`${base}/v1/stream${qs}`, headers, { act, until, timeoutMs: 10_000 })
}

describe('SSE features events', () => {
  it('streams feature snapshots of the chosen assets of the caller’s tenant only', async () => {
    const ts = T0 + 100_000
    const events = await collect(
      viewer,
      '?assets=pump-2',
      async () => {
        await ingest(other, [{ asset: 'pump-x', ts, values: { temp: 1 } }])
        await ingest(operator, [{ asset: 'pump-1', ts, values: { temp: 50 } }])
        // The second reading crosses the pane boundary: the windows ending there hold the first.
        await ingest(operator, [{ asset: 'pump-2', ts, values: { temp: 7 } }, { asset: 'pump-2', ts: ts + 10_000, values: { temp: 8 } }])
      },
      (ev) => ev.some((e) => e.event === 'features'),
    )
    const features = events.filter((e) => e.event === "features")
    expect(features).toHaveLength(1)
    expect(features[0]!.data).toEqual({ assetId: 'pump-2', ts, vector: expect.objectContaining({ 'temp.w10.last': 7, 'temp.w10.count': 1, 'temp.w30.mean': 7 }) })
    expect(JSON.stringify(events)).not.toContain('pump-x')
    expect(JSON.stringify(events)).not.toContain('pump-1')
  })
})

describe('back-pressure', () => {
  it('answers 503 INGEST_BUSY with Retry-After while the features queue is full, and takes ingest again once it drains', async () => {
    const bp = await startTestPlatform({ PROGNOS_PIPELINE_QUEUE_READINGS: '1000' })
    try {
      const key = await apiKey(bp, 'operator')
      await seedAsset(bp, key, 'm-1', ['a', 'b'])
      // A stage that holds its messages until released: the queue fills up.
      let release!: () => void
      const held = new Promise<void>((r) => (release = r))
      bp.platform.bus.subscribe('readings', 'held', () => held)
      const B0 = Date.now() - 3_600_000
      const records = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ asset: 'm-1', ts: B0 + (from + i) * 1000, values: { a: i, b: -i } }))
      const ing = (r: unknown[]) => bp.platform.app.inject({ method: 'POST', url: '/v1/ingest', headers: key, payload: { records: r } })
      expect((await ing(records(0, 600))).statusCode).toBe(200) // 1,200 readings ≥ capacity 1,000
      expect(bp.platform.ingest.saturated).toBe(true)
      const busy = await ing(records(600, 1))
      expect(busy.statusCode).toBe(503)
      expect(busy.headers['retry-after']).toBe('1')
      expect(busy.json()).toMatchObject({ code: 'INGEST_BUSY' })
      // Nothing of the refused request was stored.
      const stored = (await bp.platform.query.readings('default', 'm-1', { from: B0, to: B0 + 3_600_000, maxPoints: 5000 })).series.map((s) => (s.mode === 'raw' ? s.ts.length : -1))
      expect(stored).toEqual([600, 600])
      release()
      await bp.platform.bus.drain()
      expect(bp.platform.ingest.saturated).toBe(false)
      expect((await ing(records(600, 1))).statusCode).toBe(200)
      await bp.platform.bus.drain()
      // The features stage saw everything that was acknowledged.
      expect(bp.platform.features!.stats().accepted).toBe(1202)
    } finally {
      await bp.close()
    }
  })
})

describe('pipeline metrics', () => {
  it('/metrics counts the feature rows emitted and shows the pipeline queue, drained', async () => {
    const res = await t.platform.app.inject({ method: 'GET', url: '/metrics' })
    expect(res.statusCode).toBe(200)
    const value = (name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(res.body)?.[1] ?? NaN)
    // 61 s of two channels with 10 and 30 s windows emitted rows: at least one per channel and window.
    expect(value('prognos_features_rows_total')).toBeGreaterThanOrEqual(4)
    expect(value('prognos_pipeline_queue_readings')).toBe(0)
    expect(value('prognos_pipeline_queue_capacity_readings')).toBeGreaterThan(0)
    expect(value('prognos_pipeline_stage_failures')).toBe(0)
  })
})
