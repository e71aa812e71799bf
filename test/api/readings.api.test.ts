import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedAsset, startTestPlatform, type TestPlatform } from '../helpers/platform.js'

let t: TestPlatform
const end = Math.floor(Date.now() / 60_000) * 60_000
const start = end - 3 * 3600_000 // three hours at 1 Hz

beforeAll(async () => {
  t = await startTestPlatform()
  await seedAsset(t, t.admin, 'm-1', ['a', 'b'])
  for (let from = start; from < end; from += 1000 * 2000) {
    const records = []
    for (let ts = from; ts < Math.min(end, from + 2000 * 1000); ts += 1000) records.push({ asset: 'm-1', ts, values: { a: (ts - start) / 1000, b: Math.sin(ts / 60_000) } })
    const res = await t.platform.app.inject({ method: 'POST', url: '/v1/ingest', headers: t.admin, payload: { records } })
    expect(res.statusCode).toBe(200)
  }
})
afterAll(() => t.close())

type Series = { channel: string; mode: string; bucketMs?: number; ts: number[]; value?: number[]; min?: number[]; avg?: number[]; max?: number[]; count?: number[] }
const get = async (qs: string) => {
  const res = await t.platform.app.inject({ method: 'GET', url: `/v1/assets/m-1/readings?${qs}`, headers: t.admin })
  return { status: res.statusCode, body: res.json() as { series: Series[]; from: number; to: number; code?: string; details?: unknown[] } }
}

describe('GET /v1/assets/:id/readings', () => {
  it('returns raw points for a short range', async () => {
    const { status, body } = await get(`channels=a&from=${end - 60_000}&to=${end}&maxPoints=100`)
    expect(status).toBe(200)
    const [a] = body.series
    expect(a).toMatchObject({ channel: 'a', mode: 'raw' })
    expect(a!.ts).toHaveLength(60)
    expect(a!.ts[0]).toBe(end - 60_000)
    expect(a!.value![59]).toBe((end - 1000 - start) / 1000)
  })

  it.each([50, 200, 1000])('reduces a long range to at most maxPoints=%i min/avg/max buckets that agree with the data', async (maxPoints) => {
    const { body } = await get(`channels=a,b&from=${start}&to=${end}&maxPoints=${maxPoints}`)
    for (const s of body.series) {
      expect(s.mode).toBe('bucketed')
      expect(s.ts.length).toBeLessThanOrEqual(maxPoints)
      expect(s.ts.length).toBeGreaterThan(maxPoints / 2)
      expect(s.count!.reduce((x, y) => x + y, 0)).toBe(3 * 3600)
    }
    // Channel a is the second count since start: each bucket's min, max and mean follow from its bounds.
    const a = body.series.find((s) => s.channel === 'a')!
    for (let i = 1; i < a.ts.length - 1; i++) {
      const lo = Math.ceil((Math.max(a.ts[i]!, start) - start) / 1000)
      expect(a.min![i]).toBe(lo)
      expect(a.max![i]).toBe(lo + a.count![i]! - 1)
      expect(a.avg![i]).toBeCloseTo(lo + (a.count![i]! - 1) / 2, 9)
    }
  })

  it('accepts ISO 8601 bounds', async () => {
    const { status, body } = await get(`channels=a&from=${new Date(end - 10_000).toISOString()}&to=${new Date(end).toISOString()}`)
    expect(status).toBe(200)
    expect(body.series[0]!.ts).toHaveLength(10)
  })

  it.each([
    [`channels=nope`, 'channels'],
    [`from=${end}&to=${start}`, 'from'],
    [`maxPoints=1`, 'querystring.maxPoints'],
    [`from=not-a-date`, 'from'],
  ])('refuses %s naming the field', async (qs, field) => {
    const { status, body } = await get(qs)
    expect(status).toBe(400)
    expect(body.code).toBe('VALIDATION_FAILED')
    expect(body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]))
  })
})

describe('latest values', () => {
  it('per asset and fleet-wide', async () => {
    const one = await t.platform.app.inject({ method: 'GET', url: '/v1/assets/m-1/latest', headers: t.admin })
    expect(one.json()).toMatchObject({ assetId: 'm-1', values: { a: { ts: end - 1000, value: (end - 1000 - start) / 1000 } } })
    const fleet = await t.platform.app.inject({ method: 'GET', url: '/v1/fleet/latest', headers: t.admin })
    const item = (fleet.json() as { items: { assetId: string; values: Record<string, { ts: number; unit: string }> }[] }).items.find((i) => i.assetId === 'm-1')
    expect(item?.values.b).toMatchObject({ ts: end - 1000, unit: 'x' })
  })
})

describe('fleet view after changes', () => {
  it('shows renamed, new and deleted assets and new channels at once', async () => {
    const fleet = async () => ((await t.platform.app.inject({ method: 'GET', url: '/v1/fleet/latest', headers: t.admin })).json() as { items: { assetId: string; name: string; values: Record<string, unknown> }[] }).items
    await fleet()
    await t.platform.app.inject({ method: 'PATCH', url: '/v1/assets/m-1', headers: t.admin, payload: { name: 'Renamed' } })
    await t.platform.app.inject({ method: 'POST', url: '/v1/assets', headers: t.admin, payload: { id: 'm-new', type: 'x' } })
    await t.platform.app.inject({ method: 'POST', url: '/v1/ingest', headers: t.admin, payload: { records: [{ asset: 'm-new', ts: Date.now(), values: { fresh: 1 } }] } })
    const items = await fleet()
    expect(items.find((i) => i.assetId === 'm-1')?.name).toBe('Renamed')
    expect(items.find((i) => i.assetId === 'm-new')?.values).toHaveProperty('fresh')
    await t.platform.app.inject({ method: 'DELETE', url: '/v1/assets/m-new', headers: t.admin })
    expect((await fleet()).map((i) => i.assetId)).not.toContain('m-new')
  })

  it('answers from kept items whose values follow later appends, newer ones only', async () => {
    const fleet = async () => ((await t.platform.app.inject({ method: 'GET', url: '/v1/fleet/latest', headers: t.admin })).json() as { items: { assetId: string; values: Record<string, { ts: number; value: number; unit: string | null }> }[] }).items
    const before = (await fleet()).find((i) => i.assetId === 'm-1')!.values.a!
    const ingest = (ts: number, value: number) => t.platform.app.inject({ method: 'POST', url: '/v1/ingest', headers: t.admin, payload: { records: [{ asset: 'm-1', ts, values: { a: value } }] } })
    expect((await ingest(before.ts + 5000, 123.5)).statusCode).toBe(200)
    expect((await fleet()).find((i) => i.assetId === 'm-1')!.values.a).toEqual({ ...before, ts: before.ts + 5000, value: 123.5 })
    // An older reading is stored but is not the latest.
    expect((await ingest(before.ts - 5000, -1)).statusCode).toBe(200)
    expect((await fleet()).find((i) => i.assetId === 'm-1')!.values.a).toMatchObject({ ts: before.ts + 5000, value: 123.5 })
  })
})
