/**
 * Anomaly detection and health through the API: the scoring stage runs on ingest, its
 * predictions reach SSE, the latest per asset and the site/fleet roll-ups are served
 * (authenticated, tenant-scoped), and a restart resumes from the detectors' checkpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gaussian } from '../../src/models/anomaly/testing.fixtures.js'
import { apiKey, seedAsset, startTestPlatform, type TestPlatform } from '../helpers/platform.js'
import { collectSse } from '../helpers/sse.js'

const ENV = { PROGNOS_FEATURES_WINDOWS_SEC: '10,60', PROGNOS_FEATURES_HOP_SEC: '10', PROGNOS_ANOMALY_PROBATION_VECTORS: '20', PROGNOS_HEALTH_WARNING: '0.75' }
let t: TestPlatform
let base: string
let operator: Record<string, string>
let viewer: Record<string, string>
let ingestOnly: Record<string, string>
let other: Record<string, string>
// Ten minutes ago, on a minute: 400 s of normal data, then 60 s of a climbing temperature.
const T0 = Math.floor(Date.now() / 60_000) * 60_000 - 600_000
const g = gaussian(3)

const ingest = (headers: Record<string, string>, records: unknown[]) => t.platform.app.inject({ method: 'POST', url: '/v1/ingest', headers, payload: { records } })
const get = (headers: Record<string, string>, url: string) => t.platform.app.inject({ method: 'GET', url, headers })
/** Sends [from, to) seconds in 10-s requests, like a live device: the features stage publishes one vector per asset and message. */
async function send(headers: Record<string, string>, from: number, to: number, temp: (s: number) => number): Promise<void> {
  for (let s = from; s < to; s += 10) expect((await ingest(headers, records(s, Math.min(to, s + 10), temp))).statusCode).toBe(200)
}
const records = (from: number, to: number, temp: (s: number) => number) => {
  const out = []
  for (let s = from; s < to; s++) out.push({ asset: 'pump-1', ts: T0 + s * 1000, values: { temp: temp(s), vib: 5 + 0.2 * g() } })
  return out
}

beforeAll(async () => {
  t = await startTestPlatform(ENV)
  base = await t.platform.listen()
  operator = await apiKey(t, 'operator')
  viewer = await apiKey(t, 'viewer')
  ingestOnly = await apiKey(t, 'ingest')
  await seedAsset(t, operator, 'pump-1', ['temp', 'vib'])
  await seedAsset(t, operator, 'pump-2', ['temp'])
  await t.platform.app.inject({ method: 'POST', url: '/v1/tenants', headers: t.admin, payload: { id: 'other', name: 'Other' } })
  other = await apiKey(t, 'operator', 'other')
  await seedAsset(t, other, 'pump-x', ['temp'])
  await send(operator, 0, 400, () => 40 + 0.5 * g())
  await ingest(other, [{ asset: 'pump-x', ts: T0, values: { temp: 1 } }])
  await t.platform.bus.drain()
})
afterAll(() => t.close())

interface Health {
  assetId: string
  siteId: string | null
  ts: number | null
  health: number | null
  status: string
  limiting: string | null
  channels: string[]
  anomaly: { score: number; warmingUp: boolean; alarm: boolean; contributions: Record<string, number> } | null
  thresholds: { warning: number; critical: number }
}

describe('anomaly predictions on the stream', () => {
  it('sends anomaly_score predictions naming the channels, and health predictions, as prediction events', async () => {
    const events = await collectSse<{ assetId: string; kind: string; value: number; details: Record<string, unknown> }>(`${base}/v1/stream?assets=pump-1`, viewer, {
      act: async () => {
        // A runaway: the temperature climbs a degree a second, to 99 (its range is 0–100).
        await send(operator, 400, 460, (s) => 40 + (s - 400) + 0.5 * g())
      },
      until: (ev) => ev.some((e) => e.event === 'prediction' && e.data.kind === 'anomaly_score' && e.data.details.alarm === true) && ev.some((e) => e.data.kind === 'health'),
      accept: (e) => e === 'prediction',
      timeoutMs: 10_000,
    })
    const alarm = events.find((e) => e.data.kind === 'anomaly_score' && e.data.details.alarm === true)
    expect(alarm, JSON.stringify(events.slice(-4))).toBeDefined()
    expect(alarm!.data.assetId).toBe('pump-1')
    expect(Object.keys(alarm!.data.details.contributions as Record<string, number>)[0]).toBe('temp')
    expect(events.some((e) => e.data.kind === 'health' && typeof e.data.value === 'number')).toBe(true)
    await t.platform.bus.drain()
  })
})

describe('GET /v1/assets/:id/health', () => {
  it('returns the latest health and anomaly score with the channels that drove them', async () => {
    const res = await get(viewer, '/v1/assets/pump-1/health')
    expect(res.statusCode).toBe(200)
    const h = res.json() as Health
    expect(h.assetId).toBe('pump-1')
    expect(h.siteId).toBe('lyon')
    // The readings of 450–459 s wait for one past 460 s to close their pane: the newest vector ends at 449 s.
    expect(h.ts).toBe(T0 + 449_000)
    expect(h.thresholds).toEqual({ warning: 0.75, critical: 0.4 })
    expect(h.anomaly?.warmingUp).toBe(false)
    expect(h.health).toBeLessThan(0.75)
    expect(['warning', 'critical']).toContain(h.status)
    expect(h.channels[0]).toBe('temp')
  })

  it('says unknown for an asset never scored', async () => {
    const h = (await get(viewer, '/v1/assets/pump-2/health')).json() as Health
    expect(h).toMatchObject({ assetId: 'pump-2', status: 'unknown', health: null, anomaly: null })
  })

  it.each([
    ['another tenant’s asset', () => viewer, '/v1/assets/pump-x/health', 404],
    ['an unknown asset', () => viewer, '/v1/assets/nope/health', 404],
    ['no credentials', () => ({}), '/v1/assets/pump-1/health', 401],
    ['an ingest-only key', () => ingestOnly, '/v1/assets/pump-1/health', 403],
    ['no credentials on the fleet', () => ({}), '/v1/fleet/health', 401],
  ])('refuses %s', async (_what, headers, url, status) => {
    expect((await get(headers(), url)).statusCode).toBe(status)
  })
})

describe('GET /v1/fleet/health', () => {
  it('rolls the tenant’s scored assets up per site and for the fleet (worst-of), listing unscored ones as unknown', async () => {
    const res = await get(viewer, '/v1/fleet/health')
    expect(res.statusCode).toBe(200)
    const body = res.json() as { fleet: { health: number; count: number; status: string }; sites: { siteId: string; name: string; health: number; count: number }[]; assets: Health[] }
    expect(body.assets.map((a) => [a.assetId, a.status === 'unknown'])).toEqual([
      ['pump-1', false],
      ['pump-2', true],
    ])
    const p1 = body.assets[0]!
    expect(body.fleet).toMatchObject({ health: p1.health, count: 1 })
    expect(body.sites).toEqual([expect.objectContaining({ siteId: 'lyon', name: 'Lyon', health: p1.health, count: 1 })])
    expect(JSON.stringify(body)).not.toContain('pump-x')
  })

  it('filters by site, and another tenant sees only its own', async () => {
    const none = (await get(viewer, '/v1/fleet/health?siteId=elsewhere')).json() as { assets: unknown[]; fleet: { count: number } }
    expect(none.assets).toEqual([])
    expect(none.fleet.count).toBe(0)
    const theirs = (await get(other, '/v1/fleet/health')).json() as { assets: Health[] }
    expect(theirs.assets.map((a) => a.assetId)).toEqual(['pump-x'])
  })
})

describe('restart', () => {
  it('resumes from the checkpoint: the health is served at once, and scoring continues without a new probation', async () => {
    const before = (await get(viewer, '/v1/assets/pump-1/health')).json() as Health
    await t.close({ keepData: true })
    t = await startTestPlatform(ENV, t.dataDir)
    const headers = await apiKey(t, 'viewer')
    const after = (await get(headers, '/v1/assets/pump-1/health')).json() as Health
    expect(after.ts).toBe(before.ts)
    expect(after.health).toBe(before.health)
    const op = await apiKey(t, 'operator')
    operator = op
    await send(op, 460, 480, () => 40 + 0.5 * g())
    await t.platform.bus.drain()
    const next = (await get(headers, '/v1/assets/pump-1/health')).json() as Health
    expect(next.ts).toBeGreaterThan(before.ts!)
    expect(next.anomaly?.warmingUp).toBe(false)
  })
})
