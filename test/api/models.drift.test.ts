/**
 * Drift and registry events end to end: live PSI/KS from served predictions, a drift report
 * through the API, a drift prediction on the bus for alerting, a stored drift event, and
 * signed webhooks for version created, promoted, rolled back and drift detected.
 */
import { createHmac } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registerZScore } from '../helpers/models.js'
import { apiKey, startTestPlatform, type TestPlatform } from '../helpers/platform.js'

const SECRET = 'a-webhook-secret-of-some-length'
const WINDOW = 200
let t: TestPlatform
let operator: Record<string, string>
let server: Server
const received: { event: string; signature: string; body: string }[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString('utf8')))
    req.on('end', () => {
      received.push({ event: String(req.headers['x-prognos-event']), signature: String(req.headers['x-prognos-signature']), body })
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
  t = await startTestPlatform({ PROGNOS_REGISTRY_DRIFT_WINDOW: String(WINDOW), PROGNOS_REGISTRY_WEBHOOKS: url, PROGNOS_REGISTRY_WEBHOOK_SECRET: SECRET })
  operator = await apiKey(t, 'operator')
})
afterAll(async () => {
  await t.close()
  await new Promise((r) => server.close(r))
})

const predict = (xs: number[]) =>
  t.platform.app.inject({ method: 'POST', url: '/v1/models/drifty/predict', headers: operator, payload: { items: xs.map((x, i) => ({ assetId: `a${i % 50}`, features: { x } })), record: false } })

describe('drift', () => {
  it('stays quiet on data like the training data, then reports a shifted feature and raises one drift event', async () => {
    await registerZScore(t, operator, 'drifty', ['x'])
    await t.platform.app.inject({ method: 'POST', url: '/v1/models/drifty/promote', headers: operator, payload: { version: 1, reason: 'go' } })
    // Training data is uniform on [0, 1): serve the same, in 5 windows.
    let u = 0.1234
    const next = () => (u = (u * 9301 + 0.49297) % 1)
    for (let k = 0; k < 5; k++) expect((await predict(Array.from({ length: WINDOW }, next))).statusCode).toBe(200)
    let report = (await t.platform.app.inject({ method: 'GET', url: '/v1/models/drifty/drift', headers: operator })).json() as {
      versions: { version: number; observed: number; report: { drifting: boolean; windows: number; features: Record<string, { psi: number; ks: number }> } }[]
      events: unknown[]
    }
    expect(report.versions[0]).toMatchObject({ version: 1, observed: 5 * WINDOW, report: { drifting: false, windows: 5 } })
    expect(report.versions[0]!.report.features.x!.psi).toBeLessThan(0.2)
    expect(report.events).toEqual([])

    // The sensor shifts by half its range: detected by the end of the next full window.
    for (let k = 0; k < 3; k++) await predict(Array.from({ length: WINDOW }, () => next() + 0.5))
    report = (await t.platform.app.inject({ method: 'GET', url: '/v1/models/drifty/drift', headers: operator })).json() as typeof report
    expect(report.versions[0]!.report.drifting).toBe(true)
    expect(report.versions[0]!.report.features.x!.psi).toBeGreaterThan(0.2)
    await t.platform.bus.drain()
    report = (await t.platform.app.inject({ method: 'GET', url: '/v1/models/drifty/drift', headers: operator })).json() as typeof report
    // One event for the onset, not one per drifting window.
    expect(report.events).toHaveLength(1)
    // The feature drifted, and with it the model's scores.
    expect(report.events[0]).toMatchObject({ model: 'drifty', version: 1, report: { drifted: ['x', 'prediction'] } })
    // Alerting's input: a `drift` prediction on the bus, stored like every prediction.
    const drift = await t.platform.stores.predictions.range('default', { assetId: 'model:drifty', from: 0, to: Date.now() + 1, limit: 10 })
    expect(drift).toHaveLength(1)
    expect(drift[0]).toMatchObject({ kind: 'drift', model: 'drifty', version: 1, details: { drifted: ['x', 'prediction'] } })
  })
})

describe('webhooks', () => {
  it('receive version created, promoted, rolled back and drift detected, signed with the secret', async () => {
    await registerZScore(t, operator, 'drifty', ['x'])
    await t.platform.app.inject({ method: 'POST', url: '/v1/models/drifty/promote', headers: operator, payload: { version: 2, reason: 'v2' } })
    await t.platform.app.inject({ method: 'POST', url: '/v1/models/drifty/rollback', headers: operator, payload: { reason: 'undo' } })
    await t.platform.webhooks.settle()
    const events = received.map((r) => r.event)
    expect(events.filter((e) => e === 'version.created')).toHaveLength(2)
    expect(events.filter((e) => e === 'version.promoted')).toHaveLength(2)
    expect(events).toContain('deployment.rolled_back')
    expect(events).toContain('drift.detected')
    for (const r of received) expect(r.signature).toBe(`sha256=${createHmac('sha256', SECRET).update(r.body).digest('hex')}`)
    const rolled = JSON.parse(received.find((r) => r.event === 'deployment.rolled_back')!.body) as { tenantId: string; model: string; deployment: { restoredFrom: number; reason: string } }
    expect(rolled).toMatchObject({ tenantId: 'default', model: 'drifty', deployment: { restoredFrom: 1, reason: 'undo' } })
  })
})
