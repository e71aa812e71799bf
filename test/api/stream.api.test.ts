import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiKey, seedAsset, startTestPlatform, type TestPlatform } from '../helpers/platform.js'
import { collectSse } from '../helpers/sse.js'

let t: TestPlatform
let base: string
let keyA: Record<string, string>
let keyB: Record<string, string>

beforeAll(async () => {
  t = await startTestPlatform()
  base = await t.platform.listen()
  keyA = await apiKey(t, 'operator')
  await seedAsset(t, keyA, 'a-1', ['x', 'y'])
  await seedAsset(t, keyA, 'a-2', ['x'])
  await t.platform.app.inject({ method: 'POST', url: '/v1/tenants', headers: t.admin, payload: { id: 'other', name: 'Other' } })
  keyB = await apiKey(t, 'operator', 'other')
  await seedAsset(t, keyB, 'b-1', ['x'])
})
afterAll(() => t.close())

type Event = { event: string; data: { assetId: string; series: { channel: string; ts: number[]; value: number[] }[] } }

/** Opens the stream and collects reading events until `until` is satisfied (or the deadline passes). */
function collect(headers: Record<string, string>, qs: string, act: () => Promise<void>, until: (events: Event[]) => boolean): Promise<Event[]> {
  // Feature events have their own tests (features.api.test.ts).
  return collectSse<Event['data']>(`${base}/v1/stream${qs}`, headers, { act, until, accept: (e) => e !== 'features' })
}

const ingest = (headers: Record<string, string>, records: unknown[]) => t.platform.app.inject({ method: 'POST', url: '/v1/ingest', headers, payload: { records } })

describe('GET /v1/stream', () => {
  it("streams the tenant's durable readings per asset and channel, and nothing of another tenant", async () => {
    const now = Date.now()
    const events = await collect(
      keyA,
      '',
      async () => {
        await ingest(keyB, [{ asset: 'b-1', ts: now, values: { x: 99 } }])
        await ingest(keyA, [
          { asset: 'a-1', ts: now, values: { x: 1, y: 2 } },
          { asset: 'a-1', ts: now + 1, values: { x: 3 } },
          { asset: 'a-2', ts: now, values: { x: 4 } },
        ])
      },
      (ev) => ev.length >= 2,
    )
    expect(events.map((e) => e.data.assetId).sort()).toEqual(['a-1', 'a-2'])
    const a1 = events.find((e) => e.data.assetId === 'a-1')!.data
    expect(a1.series).toEqual([
      { channel: 'x', ts: [now, now + 1], value: [1, 3] },
      { channel: 'y', ts: [now], value: [2] },
    ])
    expect(JSON.stringify(events)).not.toContain('b-1')
  })

  it('follows only the requested assets', async () => {
    const now = Date.now()
    const events = await collect(
      keyA,
      '?assets=a-2',
      async () => {
        await ingest(keyA, [{ asset: 'a-1', ts: now, values: { x: 5 } }])
        await ingest(keyA, [{ asset: 'a-2', ts: now, values: { x: 6 } }])
      },
      (ev) => ev.length >= 1,
    )
    expect(events.map((e) => e.data.assetId)).toEqual(['a-2'])
  })

  it('answers 404 for an asset of another tenant and 401 without credentials', async () => {
    expect((await fetch(`${base}/v1/stream?assets=b-1`, { headers: keyA })).status).toBe(404)
    expect((await fetch(`${base}/v1/stream`)).status).toBe(401)
  })

  it('lets the platform close while streams are open', async () => {
    const other = await startTestPlatform()
    const url = await other.platform.listen()
    const res = await fetch(`${url}/v1/stream`, { headers: other.admin })
    expect(res.status).toBe(200)
    await other.close()
    // The server ended the stream rather than hanging.
    const reader = res.body!.getReader()
    for (;;) if ((await reader.read()).done) break
  })
})
