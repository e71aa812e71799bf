/**
 * The model registry through the API: registration (and refusal of bad artifacts), gates,
 * canary and A/B routing, shadow, rollback under load, the audit question, tenant isolation,
 * and predictions stored from the pipeline.
 */
import { writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiKey, seedAsset, startTestPlatform, type TestPlatform } from '../helpers/platform.js'
import { registerZScore, trainedZScore } from '../helpers/models.js'

let t: TestPlatform
let operator: Record<string, string>
let viewer: Record<string, string>
let other: Record<string, string>

beforeAll(async () => {
  t = await startTestPlatform({ PROGNOS_FEATURES_WINDOWS_SEC: '10,30', PROGNOS_FEATURES_HOP_SEC: '10' })
  operator = await apiKey(t, 'operator')
  viewer = await apiKey(t, 'viewer')
  await seedAsset(t, operator, 'pump-1', ['temp', 'vib'])
  await seedAsset(t, operator, 'pump-2', ['temp'])
  await t.platform.app.inject({ method: 'POST', url: '/v1/tenants', headers: t.admin, payload: { id: 'other', name: 'Other' } })
  other = await apiKey(t, 'operator', 'other')
})
afterAll(() => t.close())

const post = (headers: Record<string, string>, url: string, payload: unknown) => t.platform.app.inject({ method: 'POST', url, headers, payload: payload as Record<string, unknown> })
const get = (headers: Record<string, string>, url: string) => t.platform.app.inject({ method: 'GET', url, headers })
const predictBatch = async (model: string, assetIds: string[], features: Record<string, number> = { x: 0.5 }) => {
  const res = await post(operator, `/v1/models/${model}/predict`, { items: assetIds.map((assetId) => ({ assetId, features })), record: false })
  expect(res.statusCode, res.body).toBe(200)
  return (res.json() as { predictions: { assetId: string; version: number; deployment: string }[] }).predictions
}

describe('registration', () => {
  it('registers immutable versions 1, 2 … with signature, params, metrics, fingerprint, reference and creator', async () => {
    const v1 = await registerZScore(t, operator, 'reg-a', ['x', 'y'], { metrics: { auc: 0.8 } })
    const v2 = await registerZScore(t, operator, 'reg-a', ['x', 'y'], { metrics: { auc: 0.85 } })
    expect([v1, v2]).toEqual([1, 2])
    const res = await get(viewer, '/v1/models/reg-a/versions/2')
    expect(res.statusCode).toBe(200)
    const v = res.json() as Record<string, unknown>
    expect(v).toMatchObject({ model: 'reg-a', version: 2, flavour: 'builtin', metrics: { auc: 0.85 }, trainingFingerprint: 'sha256:test', createdBy: expect.stringMatching(/^key:/) })
    expect(v.signature).toEqual({ inputs: [{ name: 'x', type: 'number' }, { name: 'y', type: 'number' }], outputs: [{ name: 'score', type: 'number' }] })
    expect((v.reference as { features: Record<string, unknown> }).features).toHaveProperty('x')
    expect(v.params).toMatchObject({ threshold: 4, robust: true })
    const model = (await get(viewer, '/v1/models/reg-a')).json() as { kind: string; versions: unknown[] }
    expect(model.kind).toBe('anomaly')
    expect(model.versions).toHaveLength(2)
  })

  it('refuses a corrupt or mismatched artifact, a bad signature, a viewer and an unknown version, and registers nothing', async () => {
    const { artifact } = trainedZScore(['x'])
    const corrupt = { ...artifact, state: { features: ['x'], center: [0], scale: [-1], n: 3 } }
    let res = await post(operator, '/v1/models/reg-b/versions', { flavour: 'builtin', artifact: corrupt })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'MODEL_ARTIFACT_INVALID' })
    res = await post(operator, '/v1/models/reg-b/versions', { flavour: 'builtin', artifact: { ...artifact, family: 'no-such-family' } })
    expect(res.json()).toMatchObject({ code: 'MODEL_ARTIFACT_INVALID' })
    res = await post(operator, '/v1/models/reg-b/versions', { flavour: 'builtin', artifact, signature: { inputs: [{ name: 'other' }], outputs: [] } })
    expect(res.json()).toMatchObject({ code: 'MODEL_REGISTRATION_INVALID' })
    res = await post(operator, '/v1/models/reg-b/versions', { flavour: 'onnx', artifact: Buffer.from('not a model').toString('base64'), kind: 'anomaly', signature: { inputs: [{ name: 'x' }], outputs: [{ name: 'y' }] } })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'MODEL_ARTIFACT_INVALID' })
    res = await post(viewer, '/v1/models/reg-b/versions', { flavour: 'builtin', artifact })
    expect(res.statusCode).toBe(403)
    // Nothing half-registered: the model was never created.
    expect((await get(viewer, '/v1/models/reg-b')).json()).toMatchObject({ code: 'MODEL_NOT_FOUND' })
    await registerZScore(t, operator, 'reg-b', ['x'])
    res = await post(operator, '/v1/models/reg-b/promote', { version: 7, reason: 'typo' })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toMatchObject({ code: 'MODEL_VERSION_NOT_FOUND' })
    expect((await get(viewer, '/v1/models/reg-b/versions/7')).json()).toMatchObject({ code: 'MODEL_VERSION_NOT_FOUND' })
  })

  it('refuses predict input that does not fit the signature, naming item and feature', async () => {
    await registerZScore(t, operator, 'reg-c', ['x', 'y'])
    await post(operator, '/v1/models/reg-c/promote', { version: 1, reason: 'first' })
    const res = await post(operator, '/v1/models/reg-c/predict', { items: [{ features: { x: 1, y: 2 } }, { features: { x: 1 } }] })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'MODEL_SIGNATURE_MISMATCH', details: [{ index: 1, field: 'items[1].features.y' }] })
    expect((await post(operator, '/v1/models/nope/predict', { features: { x: 1 } })).json()).toMatchObject({ code: 'MODEL_NOT_FOUND' })
    await registerZScore(t, operator, 'reg-d', ['x'])
    expect((await post(operator, '/v1/models/reg-d/predict', { features: { x: 1 } })).json()).toMatchObject({ code: 'MODEL_NOT_DEPLOYED' })
  })
})

describe('gates and promotion', () => {
  it('refuses a promotion that fails its gates, keeps serving the previous version, and records a forced one', async () => {
    await post(operator, '/v1/models', { name: 'gated', kind: 'anomaly', gates: [{ metric: 'auc', op: '>=', value: 0.8 }] })
    await registerZScore(t, operator, 'gated', ['x'], { metrics: { auc: 0.9 } })
    await registerZScore(t, operator, 'gated', ['x'], { metrics: { auc: 0.7 } })
    expect((await post(operator, '/v1/models/gated/promote', { version: 1, reason: 'good' })).statusCode).toBe(200)
    const refused = await post(operator, '/v1/models/gated/promote', { version: 2, reason: 'worse' })
    expect(refused.statusCode).toBe(409)
    expect(refused.json()).toMatchObject({ code: 'MODEL_GATE_FAILED', details: [{ field: 'metrics.auc', reason: 'auc = 0.7 fails >= 0.8' }] })
    expect((await predictBatch('gated', ['a']))[0]!.version).toBe(1)
    const forced = await post(operator, '/v1/models/gated/promote', { version: 2, reason: 'incident 42', force: true })
    expect(forced.json()).toMatchObject({ spec: { production: 2, archived: [1] }, reason: 'incident 42 [gates bypassed with force]' })
  })
})

describe('damaged artifacts', () => {
  it('refuses to deploy a version whose artifact no longer loads, and keeps serving the previous one', async () => {
    await registerZScore(t, operator, 'damaged', ['x'])
    await registerZScore(t, operator, 'damaged', ['x'], { offset: 3 })
    await post(operator, '/v1/models/damaged/promote', { version: 1, reason: 'base' })
    const v2 = await t.platform.registry.getVersion('default', 'damaged', 2)
    // The file is damaged on disk after registration (a bad volume, a bad copy).
    writeFileSync(t.platform.registry.artifactStore().describe(v2.artifactKey), '{"family": "zscore", "formatVersion": 1, "params": {}, "state": {"broken": true}}')
    const res = await post(operator, '/v1/models/damaged/promote', { version: 2, reason: 'should fail' })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'MODEL_ARTIFACT_INVALID', message: expect.stringContaining('version 2') })
    expect(((await get(viewer, '/v1/models/damaged/history')).json() as { items: unknown[] }).items).toHaveLength(1)
    expect((await predictBatch('damaged', ['a']))[0]!.version).toBe(1)
    // A canary of it is refused the same way.
    expect((await post(operator, '/v1/models/damaged/canary', { version: 2, percent: 5, reason: 'no' })).json()).toMatchObject({ code: 'MODEL_ARTIFACT_INVALID' })
  })
})

describe('routing', () => {
  it('a 10 % canary over 10,000 assets routes 10 % ± 2 %, the same assets every time', async () => {
    await registerZScore(t, operator, 'canary-m', ['x'])
    await registerZScore(t, operator, 'canary-m', ['x'])
    await post(operator, '/v1/models/canary-m/promote', { version: 1, reason: 'base' })
    const res = await post(operator, '/v1/models/canary-m/canary', { version: 2, percent: 10, reason: 'try v2' })
    expect(res.statusCode, res.body).toBe(200)
    const assets = Array.from({ length: 10_000 }, (_, i) => `asset-${i}`)
    const first = await predictBatch('canary-m', assets)
    const canary = first.filter((p) => p.deployment === 'canary')
    expect(canary.length).toBeGreaterThanOrEqual(800)
    expect(canary.length).toBeLessThanOrEqual(1200)
    expect(canary.every((p) => p.version === 2)).toBe(true)
    expect(first.filter((p) => p.deployment === 'production').every((p) => p.version === 1)).toBe(true)
    const again = await predictBatch('canary-m', assets)
    expect(again.map((p) => p.version)).toEqual(first.map((p) => p.version))
    // The route endpoint agrees with the predict answer.
    const one = canary[0]!.assetId
    expect((await get(viewer, `/v1/models/canary-m/route?assetId=${one}`)).json()).toMatchObject({ version: 2, deployment: 'canary' })
  })

  it('A/B variants split by weight and each asset keeps its variant across a restart', async () => {
    await registerZScore(t, operator, 'ab-m', ['x'])
    await registerZScore(t, operator, 'ab-m', ['x'])
    const res = await post(operator, '/v1/models/ab-m/ab', {
      variants: [
        { name: 'A', version: 1, weight: 3 },
        { name: 'B', version: 2, weight: 1 },
      ],
      reason: 'compare',
    })
    expect(res.statusCode, res.body).toBe(200)
    const assets = Array.from({ length: 4000 }, (_, i) => `unit-${i}`)
    const before = await predictBatch('ab-m', assets)
    const shareB = before.filter((p) => p.deployment === 'ab:B').length / assets.length
    expect(shareB).toBeGreaterThan(0.23)
    expect(shareB).toBeLessThan(0.27)

    // Restart on the same data directory: a new process, nothing kept in memory.
    await t.close({ keepData: true })
    t = await startTestPlatform({ PROGNOS_FEATURES_WINDOWS_SEC: '10,30', PROGNOS_FEATURES_HOP_SEC: '10' }, t.dataDir)
    operator = await apiKey(t, 'operator')
    viewer = await apiKey(t, 'viewer')
    other = await apiKey(t, 'operator', 'other')
    const after = await predictBatch('ab-m', assets)
    expect(after.map((p) => `${p.assetId}:${p.deployment}:${p.version}`)).toEqual(before.map((p) => `${p.assetId}:${p.deployment}:${p.version}`))
  })

  it('shadow versions are scored and recorded, never answered, and the audit ignores them', async () => {
    await registerZScore(t, operator, 'shadow-m', ['x'])
    await registerZScore(t, operator, 'shadow-m', ['x'], { offset: 10 })
    await post(operator, '/v1/models/shadow-m/promote', { version: 1, reason: 'base' })
    expect((await post(operator, '/v1/models/shadow-m/shadow', { versions: [2], reason: 'watch v2' })).statusCode).toBe(200)
    const ts = Date.now() - 5000
    const res = await post(operator, '/v1/models/shadow-m/predict', { assetId: 'pump-1', ts, features: { x: 0.5 } })
    expect(res.json()).toMatchObject({ version: 1, deployment: 'production' })
    await new Promise((r) => setTimeout(r, 50))
    await t.platform.recorder.flush()
    const stored = (await get(viewer, `/v1/assets/pump-1/predictions?model=shadow-m&from=${ts - 1}&to=${ts + 1}`)).json() as { items: { version: number; deployment: string; value: number }[] }
    expect(stored.items.map((p) => [p.version, p.deployment]).sort()).toEqual([
      [1, 'production'],
      [2, 'shadow'],
    ])
    // v2 is centred 10 away: the same input is far more anomalous to it.
    const byVersion = Object.fromEntries(stored.items.map((p) => [p.version, p.value]))
    expect(byVersion[2]).toBeGreaterThan(byVersion[1]!)
    expect((await get(viewer, `/v1/audit?assetId=pump-1&at=${ts}&model=shadow-m`)).json()).toMatchObject({ version: 1, deployment: 'production' })
  })
})

describe('rollback', () => {
  it('under sustained load, no prediction fails while production moves to v2 and rolls back to v1', async () => {
    await registerZScore(t, operator, 'rb', ['x'])
    await registerZScore(t, operator, 'rb', ['x'])
    await post(operator, '/v1/models/rb/promote', { version: 1, reason: 'base' })
    let stop = false
    const seen: number[] = []
    let failures = 0
    let requests = 0
    const load = async (worker: number) => {
      for (let i = 0; !stop; i++) {
        const res = await post(operator, '/v1/models/rb/predict', { items: Array.from({ length: 20 }, (_, j) => ({ assetId: `w${worker}-${i}-${j}`, features: { x: Math.random() } })), record: false })
        requests++
        if (res.statusCode !== 200) failures++
        else for (const p of (res.json() as { predictions: { version: number }[] }).predictions) seen.push(p.version)
      }
    }
    const workers = [0, 1, 2, 3].map(load)
    await new Promise((r) => setTimeout(r, 150))
    expect((await post(operator, '/v1/models/rb/promote', { version: 2, reason: 'ship v2' })).statusCode).toBe(200)
    await new Promise((r) => setTimeout(r, 150))
    const back = await post(operator, '/v1/models/rb/rollback', { reason: 'v2 alarms too often' })
    expect(back.statusCode, back.body).toBe(200)
    expect(back.json()).toMatchObject({ action: 'rollback', restoredFrom: 1, spec: { production: 1 } })
    await new Promise((r) => setTimeout(r, 150))
    stop = true
    await Promise.all(workers)
    expect(failures).toBe(0)
    expect(requests).toBeGreaterThan(10)
    expect(seen).toContain(2)
    expect(seen[seen.length - 1]).toBe(1)
    const history = (await get(viewer, '/v1/models/rb/history')).json() as { items: { id: number; action: string; actor: string; reason: string; createdAt: number }[] }
    expect(history.items.map((h) => h.action)).toEqual(['promote', 'promote', 'rollback'])
    expect(history.items[2]).toMatchObject({ reason: 'v2 alarms too often', actor: expect.stringMatching(/^key:/) })
    // Rolling back to a deployment that does not exist is a clear error.
    expect((await post(operator, '/v1/models/rb/rollback', { to: 99, reason: 'x' })).json()).toMatchObject({ code: 'DEPLOYMENT_NOT_FOUND' })
  })
})

describe('audit', () => {
  it('answers which version scored an asset at a time, and under which deployment, as deployments change', async () => {
    await registerZScore(t, operator, 'aud', ['x'])
    await registerZScore(t, operator, 'aud', ['x'])
    await registerZScore(t, operator, 'aud', ['x'])
    const T = Date.now() - 3_600_000
    const score = async (assetId: string, ts: number) => {
      const res = await post(operator, '/v1/models/aud/predict', { assetId, ts, features: { x: 0.3 } })
      expect(res.statusCode, res.body).toBe(200)
      return res.json() as { version: number; deployment: string }
    }
    await post(operator, '/v1/models/aud/promote', { version: 1, reason: 'first' })
    await score('pump-1', T)
    await score('pump-2', T)
    await post(operator, '/v1/models/aud/promote', { version: 2, reason: 'second' })
    await score('pump-1', T + 60_000)
    // A 100 % canary of v3 sends every asset to it.
    await post(operator, '/v1/models/aud/canary', { version: 3, percent: 100, reason: 'all to v3' })
    await score('pump-1', T + 120_000)
    await post(operator, '/v1/models/aud/rollback', { to: 1, reason: 'back to the start' })
    await score('pump-1', T + 180_000)
    await t.platform.recorder.flush()

    const audit = async (assetId: string, at: number) => (await get(viewer, `/v1/audit?assetId=${assetId}&at=${at}&model=aud`)).json() as { version: number; deployment: string; predictionTs: number; deploymentRecord: { id: number; reason: string } }
    expect(await audit('pump-1', T + 30_000)).toMatchObject({ version: 1, deployment: 'production', predictionTs: T, deploymentRecord: { id: 1, reason: 'first' } })
    expect(await audit('pump-1', T + 60_000)).toMatchObject({ version: 2, deployment: 'production', deploymentRecord: { id: 2, reason: 'second' } })
    expect(await audit('pump-1', T + 150_000)).toMatchObject({ version: 3, deployment: 'canary', deploymentRecord: { id: 3, reason: 'all to v3' } })
    expect(await audit('pump-1', T + 200_000)).toMatchObject({ version: 1, deployment: 'production', deploymentRecord: { id: 4, reason: 'back to the start' } })
    // pump-2 was only scored at T.
    expect(await audit('pump-2', T + 200_000)).toMatchObject({ version: 1, predictionTs: T })
    // Before any prediction: 404; another tenant's asset: 404; a bad time: 400.
    expect((await get(viewer, `/v1/audit?assetId=pump-1&at=${T - 1}&model=aud`)).statusCode).toBe(404)
    expect((await get(other, `/v1/audit?assetId=pump-1&at=${T + 200_000}`)).statusCode).toBe(404)
    expect((await get(viewer, `/v1/audit?assetId=pump-1&at=yesterday`)).json()).toMatchObject({ code: 'VALIDATION_FAILED' })
  })
})

describe('tenancy', () => {
  it("another tenant's models do not exist for the caller", async () => {
    await registerZScore(t, operator, 'mine', ['x'])
    expect((await get(other, '/v1/models/mine')).statusCode).toBe(404)
    expect((await post(other, '/v1/models/mine/promote', { version: 1, reason: 'x' })).statusCode).toBe(404)
    expect(((await get(other, '/v1/models')).json() as { items: unknown[] }).items).toEqual([])
    expect((await get(other, '/v1/assets/pump-1/predictions')).statusCode).toBe(404)
    expect((await t.platform.app.inject({ method: 'GET', url: '/v1/models' })).statusCode).toBe(401)
    // Per-version live metrics.
    const metrics = (await t.platform.app.inject({ method: 'GET', url: '/metrics' })).body
    expect(metrics).toMatch(/prognos_model_predictions_total\{model="shadow-m",version="2",deployment="shadow"\} \d+/)
    expect(metrics).toMatch(/prognos_model_latency_seconds_count\{model="rb",version="1",deployment="production"\} \d+/)
    expect(metrics).toMatch(/prognos_model_output_bucket\{le="0.5",model="rb",version="1"\} \d+/)
    // Predict stores its answers: readers may not call it.
    expect((await post(viewer, '/v1/models/mine/predict', { features: { x: 1 } })).statusCode).toBe(403)
  })
})

describe('pipeline', () => {
  it('scores feature vectors with the deployed model and stores each prediction with model, version and deployment', async () => {
    const inputs = ['temp.w10.mean', 'temp.w10.std']
    await registerZScore(t, operator, 'pipe', inputs)
    await post(operator, '/v1/models/pipe/promote', { version: 1, reason: 'go' })
    const T0 = Math.floor(Date.now() / 60_000) * 60_000 - 180_000
    // One request per 10 s of data: each crosses a pane boundary, so each yields a feature vector to score.
    for (let k = 0; k < 7; k++) {
      const records = Array.from({ length: 10 }, (_, i) => k * 10 + i).map((s) => ({ asset: 'pump-1', ts: T0 + s * 1000, values: { temp: 20 + s * 0.5, vib: s % 2 } }))
      expect((await post(operator, '/v1/ingest', { records })).statusCode).toBe(200)
    }
    await t.platform.bus.drain()
    const res = await get(viewer, `/v1/assets/pump-1/predictions?model=pipe&from=${T0}&to=${T0 + 120_000}`)
    expect(res.statusCode).toBe(200)
    const items = (res.json() as { items: { kind: string; model: string; version: number; deployment: string; source: string; ts: number }[] }).items
    expect(items.length).toBeGreaterThanOrEqual(5)
    expect(items.every((p) => p.kind === 'anomaly_score' && p.model === 'pipe' && p.version === 1 && p.deployment === 'production' && p.source === 'registry')).toBe(true)
    const latest = (await get(viewer, '/v1/assets/pump-1/predictions/latest?model=pipe')).json() as { items: { ts: number }[] }
    expect(latest.items).toHaveLength(1)
    expect(latest.items[0]!.ts).toBe(Math.max(...items.map((p) => p.ts)))
    // pump-2 has no vib and no readings: nothing scored for it.
    expect(((await get(viewer, `/v1/assets/pump-2/predictions?from=${T0}&to=${T0 + 120_000}`)).json() as { items: unknown[] }).items).toEqual([])
  })
})
