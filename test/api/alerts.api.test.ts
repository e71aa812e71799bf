/**
 * Alerting through the API on a real platform: rules validated field by field, a reading
 * over a threshold raising an alert delivered to a signed webhook, acknowledgement and
 * resolution, silences, redacted channel secrets, dead letters and tenant isolation.
 */
import type { InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiKey, seedAsset, startTestPlatform, type TestPlatform } from '../helpers/platform.js'
import { startReceiver, waitFor, type Receiver } from '../helpers/receiver.js'
import { collectSse } from '../helpers/sse.js'

const SECRET = 'a-webhook-signing-secret'

describe('alerting API', () => {
  let t: TestPlatform
  let hook: Receiver
  let operator: Record<string, string>
  const inject = (o: InjectOptions) => t.platform.app.inject(o)

  beforeAll(async () => {
    hook = await startReceiver({ secret: SECRET })
    t = await startTestPlatform({ PROGNOS_ALERTS_DEFAULT_RULES: 'false', PROGNOS_ALERTS_POLL_MS: '50', PROGNOS_ALERTS_RETRY_BASE_MS: '20', PROGNOS_ALERTS_MAX_ATTEMPTS: '3', PROGNOS_ALERTS_TICK_MS: '100' })
    operator = await apiKey(t, 'operator')
    await seedAsset(t, t.admin, 'pump-1', ['temp', 'vib'])
  })
  afterAll(async () => {
    await t?.close()
    await hook?.close()
  })

  it('refuses invalid rules with the field and the reason', async () => {
    const bad = [
      [{ kind: 'threshold', scope: { assetId: 'pump-1' }, target: 'pressure', warning: 5 }, 'target', /unknown channel 'pressure'/],
      [{ kind: 'threshold', scope: { assetId: 'pump-1' }, target: 'temp', warning: 80, critical: 60 }, 'critical', /at or above the warning/],
      [{ kind: 'threshold', scope: { assetId: 'pump-1' }, target: 'temp', warning: 80, for: '5 minutes' }, 'for', /not a duration/],
      [{ kind: 'health', scope: 'tenant', warning: 1.5 }, 'warning', /between 0 and 1/],
      [{ kind: 'staleness', scope: { assetType: 'rotating_machine' }, target: 'temp', stale: '-1m' }, 'stale', /not a duration/],
      [{ kind: 'threshold', scope: { assetId: 'nope' }, target: 'temp', warning: 1 }, 'scope.assetId', /unknown asset/],
      [{ kind: 'teleport', scope: 'tenant' }, 'kind', /must be one of/],
    ] as const
    for (const [payload, field, reason] of bad) {
      const res = await inject({ method: 'POST', url: '/v1/alert-rules', headers: operator, payload })
      expect(res.statusCode, JSON.stringify(payload)).toBe(400)
      const body = res.json() as { code: string; details: { field: string; reason: string }[] }
      expect(body.code).toBe('VALIDATION_FAILED')
      expect(body.details.find((d) => d.field === field)?.reason).toMatch(reason)
    }
    // A YAML file applies whole or not at all, and names the rule's index.
    const yaml = 'rules:\n  - {id: ok-1, kind: threshold, scope: {assetId: pump-1}, target: temp, warning: 80}\n  - {kind: threshold, scope: {assetId: pump-1}, target: temp, warning: 80, critical: 10}\n'
    const res = await inject({ method: 'POST', url: '/v1/alert-rules/apply', headers: operator, payload: { yaml } })
    expect(res.statusCode).toBe(400)
    expect((res.json() as { details: { field: string }[] }).details[0]!.field).toBe('rules.1.critical')
    expect((await inject({ method: 'GET', url: '/v1/alert-rules/ok-1', headers: operator })).statusCode).toBe(404)
    expect((await inject({ method: 'POST', url: '/v1/alert-rules/apply', headers: operator, payload: { yaml: 'rules: [' } })).statusCode).toBe(400)
  })

  it('redacts channel secrets, and keeps them when a channel is replaced with ***', async () => {
    const res = await inject({ method: 'POST', url: '/v1/notification-channels', headers: t.admin, payload: { name: 'ops hook', type: 'webhook', config: { url: `${hook.url}/hook`, secret: SECRET }, minSeverity: 'warning' } })
    expect(res.statusCode).toBe(201)
    const c = res.json() as { id: string; config: Record<string, string> }
    expect(c.config).toEqual({ url: '***', secret: '***' })
    const list = await inject({ method: 'GET', url: '/v1/notification-channels', headers: t.admin })
    expect(list.body).not.toContain(SECRET)
    expect(list.body).not.toContain(hook.url)
    // Operators may not see or change channels.
    expect((await inject({ method: 'GET', url: '/v1/notification-channels', headers: operator })).statusCode).toBe(403)
    const put = await inject({ method: 'PUT', url: `/v1/notification-channels/${c.id}`, headers: t.admin, payload: { name: 'ops hook', type: 'webhook', config: { url: '***', secret: '***' }, minSeverity: 'warning' } })
    expect(put.statusCode).toBe(200)
    const stored = await t.platform.stores.alerts.getChannel('default', c.id)
    expect(stored?.config).toEqual({ url: `${hook.url}/hook`, secret: SECRET })
    const badUrl = await inject({ method: 'POST', url: '/v1/notification-channels', headers: t.admin, payload: { name: 'x', type: 'slack', config: { url: 'ftp://x' } } })
    expect(badUrl.statusCode).toBe(400)
    expect((badUrl.json() as { details: { field: string }[] }).details[0]!.field).toBe('config.url')
  })

  it('raises an alert from a reading, delivers it signed, and takes ack and resolve', async () => {
    const rule = await inject({ method: 'POST', url: '/v1/alert-rules', headers: operator, payload: { name: 'pump hot', kind: 'threshold', scope: { assetId: 'pump-1' }, target: 'temp', warning: 80, critical: 95, hysteresis: 5 } })
    expect(rule.statusCode).toBe(201)
    const ruleId = (rule.json() as { id: string }).id
    const ts = Date.now()
    await inject({ method: 'POST', url: '/v1/ingest', headers: operator, payload: { records: [{ asset: 'pump-1', ts, values: { temp: 85 } }] } })
    expect(await waitFor(() => hook.applied.size >= 1)).toBe(true)
    const [first] = [...hook.applied.values()]
    expect(first!.signatureOk).toBe(true)
    const tr = (first!.body.transitions as { kind: string; alert: { id: string; assetId: string; severity: string; evidence: { link: string } } }[])[0]!
    expect(tr).toMatchObject({ kind: 'opened', alert: { assetId: 'pump-1', severity: 'warning' } })
    expect(tr.alert.evidence.link).toBe(`/#/assets/pump-1?from=${tr.alert.evidence.link.match(/from=(\d+)/)![1]}&to=${tr.alert.evidence.link.match(/to=(\d+)/)![1]}`)

    const list = await inject({ method: 'GET', url: '/v1/alerts?state=open', headers: operator })
    const alerts = (list.json() as { items: { id: string; ruleId: string; evidence: { values: { value: number }[]; thresholds: unknown } }[] }).items
    expect(alerts).toHaveLength(1)
    expect(alerts[0]!.ruleId).toBe(ruleId)
    const id = alerts[0]!.id
    const one = (await inject({ method: 'GET', url: `/v1/alerts/${id}`, headers: operator })).json() as { evidence: { values: { value: number }[]; thresholds: Record<string, unknown>; channels: string[] } }
    expect(one.evidence.values.map((v) => v.value)).toEqual([85])
    expect(one.evidence.thresholds).toMatchObject({ warning: 80, critical: 95, hysteresis: 5 })
    expect(one.evidence.channels).toEqual(['temp'])

    // A viewer may read but not acknowledge.
    const viewer = await apiKey(t, 'viewer')
    expect((await inject({ method: 'POST', url: `/v1/alerts/${id}/ack`, headers: viewer })).statusCode).toBe(403)
    const ack = await inject({ method: 'POST', url: `/v1/alerts/${id}/ack`, headers: operator })
    expect(ack.statusCode).toBe(200)
    expect(ack.json()).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'test-operator' })
    expect((await inject({ method: 'POST', url: `/v1/alerts/${id}/ack`, headers: operator })).statusCode).toBe(409)
    const res = await inject({ method: 'POST', url: `/v1/alerts/${id}/resolve`, headers: operator })
    expect(res.json()).toMatchObject({ state: 'resolved', resolvedBy: 'test-operator' })
    expect(await waitFor(() => [...hook.applied.values()].some((r) => (r.body.transitions as { kind: string }[])[0]!.kind === 'resolved'))).toBe(true)
    // Still hot after a manual resolve: no new alert until it cleared once.
    await inject({ method: 'POST', url: '/v1/ingest', headers: operator, payload: { records: [{ asset: 'pump-1', ts: ts + 1000, values: { temp: 86 } }] } })
    await t.platform.alerts!.settled()
    expect(((await inject({ method: 'GET', url: '/v1/alerts?state=active', headers: operator })).json() as { items: unknown[] }).items).toHaveLength(0)
    await inject({ method: 'DELETE', url: `/v1/alert-rules/${ruleId}`, headers: operator })
  })

  it('silences an asset: the alert is kept, its notification held back', async () => {
    await inject({ method: 'POST', url: '/v1/alert-rules', headers: operator, payload: { id: 'vib-high', kind: 'threshold', scope: { siteId: 'lyon' }, target: 'vib', warning: 10 } })
    const s = await inject({ method: 'POST', url: '/v1/silences', headers: operator, payload: { siteId: 'lyon', endsAt: Date.now() + 3_600_000, reason: 'pump overhaul' } })
    expect(s.statusCode).toBe(201)
    expect((await inject({ method: 'POST', url: '/v1/silences', headers: operator, payload: { assetId: 'pump-1', endsAt: 1 } })).statusCode).toBe(400)
    const before = hook.requests.length
    await inject({ method: 'POST', url: '/v1/ingest', headers: operator, payload: { records: [{ asset: 'pump-1', ts: Date.now(), values: { vib: 12 } }] } })
    expect(await waitFor(async () => ((await inject({ method: 'GET', url: '/v1/alerts?ruleId=vib-high', headers: operator })).json() as { items: unknown[] }).items.length === 1)).toBe(true)
    const [a] = ((await inject({ method: 'GET', url: '/v1/alerts?ruleId=vib-high', headers: operator })).json() as { items: { silenced: boolean }[] }).items
    expect(a!.silenced).toBe(true)
    await new Promise((r) => setTimeout(r, 300))
    expect(hook.requests.length).toBe(before)
    // Lifting the silence notifies the still-open alert.
    expect((await inject({ method: 'DELETE', url: `/v1/silences/${(s.json() as { id: string }).id}`, headers: operator })).statusCode).toBe(204)
    expect(await waitFor(() => hook.requests.slice(before).some((r) => (r.body.transitions as { kind: string }[])[0]!.kind === 'unsilenced'))).toBe(true)
  })

  it('dead-letters a notification a channel refuses, lists it and retries it', async () => {
    const bad = await startReceiver()
    try {
      const ch = await inject({ method: 'POST', url: '/v1/notification-channels', headers: t.admin, payload: { name: 'flaky', type: 'slack', config: { url: `${bad.url}/slack` } } })
      const chId = (ch.json() as { id: string }).id
      bad.failNext.push(500, 503, 502)
      await inject({ method: 'POST', url: '/v1/alert-rules', headers: operator, payload: { id: 'temp-low', kind: 'threshold', scope: { assetId: 'pump-1' }, target: 'temp', direction: 'below', warning: 0 } })
      await inject({ method: 'POST', url: '/v1/ingest', headers: operator, payload: { records: [{ asset: 'pump-1', ts: Date.now(), values: { temp: -3 } }] } })
      let dead: { id: string; channelId: string; attempts: number; lastError: string }[] = []
      expect(
        await waitFor(async () => {
          dead = ((await inject({ method: 'GET', url: '/v1/dead-letters', headers: operator })).json() as { items: typeof dead }).items
          return dead.length > 0
        }),
      ).toBe(true)
      expect(dead[0]).toMatchObject({ channelId: chId, attempts: 3, lastError: 'HTTP 502: nope' })
      // The webhook channel was not held up by the failing one.
      expect([...hook.applied.values()].some((r) => (r.body.transitions as { alert: { ruleId: string } }[])[0]!.alert.ruleId === 'temp-low')).toBe(true)
      expect((await inject({ method: 'POST', url: `/v1/dead-letters/${dead[0]!.id}/retry`, headers: operator })).statusCode).toBe(202)
      expect(await waitFor(() => bad.requests.length === 4)).toBe(true)
      expect(bad.requests[3]!.body.text).toMatch(/temp-low|temp/)
      expect(await waitFor(async () => ((await inject({ method: 'GET', url: '/v1/dead-letters', headers: operator })).json() as { items: unknown[] }).items.length === 0)).toBe(true)
    } finally {
      await bad.close()
    }
  })

  it('reacts to the prediction kinds the models publish, and streams the alert as an SSE event', async () => {
    await inject({ method: 'POST', url: '/v1/alert-rules', headers: operator, payload: { id: 'pump-health', kind: 'health', scope: { assetType: 'rotating_machine' } } })
    const base = await t.platform.listen()
    const events = await collectSse<{ assetId: string; severity: string; state: string; details: { transition: string; ruleId: string; evidence: { modelVersion?: string } } }>(`${base}/v1/stream?assets=pump-1`, operator, {
      act: async () => {
        // As a scoring stage of issue 4 would: a health index of 0.35 from model hi@2.
        await t.platform.bus.publish('predictions', { tenantId: 'default', predictions: [{ assetId: 'pump-1', ts: Date.now(), source: 'health-index', kind: 'health', value: 0.35, details: { modelVersion: 'hi@2' } }] })
      },
      until: (evs) => evs.some((e) => e.event === 'alert'),
      accept: (e) => e === 'alert',
    })
    const alert = events.find((e) => e.event === 'alert')!.data
    expect(alert).toMatchObject({ assetId: 'pump-1', severity: 'critical', state: 'open', details: { transition: 'opened', ruleId: 'pump-health', evidence: { modelVersion: 'hi@2' } } })
  })

  it('silences one alert from the alert itself for some hours: what it would notify next is held back', async () => {
    await inject({ method: 'POST', url: '/v1/alert-rules', headers: operator, payload: { id: 'temp-hot', kind: 'threshold', scope: { assetId: 'pump-1' }, target: 'temp', warning: 1000, critical: 2000 } })
    const ofRule = () => hook.requests.flatMap((r) => r.body.transitions as { kind: string; alert: { ruleId: string; severity: string } }[]).filter((x) => x.alert.ruleId === 'temp-hot')
    await inject({ method: 'POST', url: '/v1/ingest', headers: operator, payload: { records: [{ asset: 'pump-1', ts: Date.now(), values: { temp: 1500 } }] } })
    expect(await waitFor(() => ofRule().some((x) => x.kind === 'opened'))).toBe(true)
    const [a] = ((await inject({ method: 'GET', url: '/v1/alerts?ruleId=temp-hot&state=open', headers: operator })).json() as { items: { id: string; silenced: boolean }[] }).items
    expect(a!.silenced).toBe(false)
    for (const hours of [0, -1, 721]) {
      const bad = await inject({ method: 'POST', url: `/v1/alerts/${a!.id}/silence`, headers: operator, payload: { hours } })
      expect(bad.statusCode).toBe(400)
      expect(bad.body).toMatch(/hours/)
    }
    expect((await inject({ method: 'POST', url: '/v1/alerts/nope/silence', headers: operator, payload: { hours: 2 } })).statusCode).toBe(404)
    const before = Date.now()
    const res = await inject({ method: 'POST', url: `/v1/alerts/${a!.id}/silence`, headers: operator, payload: { hours: 2, reason: 'known, parts ordered' } })
    expect(res.statusCode).toBe(201)
    const silence = res.json() as { assetId: string; ruleId: string; siteId: string | null; endsAt: number; reason: string }
    expect(silence).toMatchObject({ assetId: 'pump-1', ruleId: 'temp-hot', siteId: null, reason: 'known, parts ordered' })
    expect(silence.endsAt).toBeGreaterThanOrEqual(before + 2 * 3_600_000)
    expect(silence.endsAt).toBeLessThan(Date.now() + 2 * 3_600_000 + 1000)
    expect(((await inject({ method: 'GET', url: `/v1/alerts/${a!.id}`, headers: operator })).json() as { silenced: boolean }).silenced).toBe(true)
    // Rising to critical is stored but not notified while the silence lasts.
    await inject({ method: 'POST', url: '/v1/ingest', headers: operator, payload: { records: [{ asset: 'pump-1', ts: Date.now(), values: { temp: 2500 } }] } })
    expect(await waitFor(async () => ((await inject({ method: 'GET', url: `/v1/alerts/${a!.id}`, headers: operator })).json() as { severity: string }).severity === 'critical')).toBe(true)
    await new Promise((r) => setTimeout(r, 300))
    expect(ofRule().map((x) => x.kind)).toEqual(['opened'])
  })

  it('keeps tenants apart: another tenant sees none of it', async () => {
    await inject({ method: 'POST', url: '/v1/tenants', headers: t.admin, payload: { id: 'acme', name: 'Acme' } })
    const other = await apiKey(t, 'admin', 'acme')
    const [mine] = ((await inject({ method: 'GET', url: '/v1/alerts', headers: operator })).json() as { items: { id: string }[] }).items
    expect(mine).toBeDefined()
    expect((await inject({ method: 'GET', url: `/v1/alerts/${mine!.id}`, headers: other })).statusCode).toBe(404)
    expect((await inject({ method: 'POST', url: `/v1/alerts/${mine!.id}/ack`, headers: other })).statusCode).toBe(404)
    expect(((await inject({ method: 'GET', url: '/v1/alerts', headers: other })).json() as { items: unknown[] }).items).toEqual([])
    expect(((await inject({ method: 'GET', url: '/v1/alert-rules', headers: other })).json() as { items: unknown[] }).items).toEqual([])
    expect((await inject({ method: 'GET', url: '/v1/alert-rules/vib-high', headers: other })).statusCode).toBe(404)
    expect((await inject({ method: 'GET', url: '/v1/alerts' })).statusCode).toBe(401)
  })
})
