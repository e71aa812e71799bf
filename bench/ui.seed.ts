/**
 * What the alerts and models pages of the screenshot gallery show on the demo fleet: a
 * registered model with two versions (v1 in production, v2 in a canary), scored rows that
 * drift from v1's reference, two training runs, and (given a webhook URL) a notification
 * channel with a preference routing critical alerts to it. Everything goes through the API,
 * except the runs, which are stored as the registry stores them.
 */
import '../src/models/anomaly/zscore.model.js'
import { families } from '../src/models/families.js'
import type { Platform } from '../src/main.js'
import { buildReference } from '../src/registry/drift.js'

const FEATURES = ['temp.w10.mean', 'vib.w10.rms', 'current.w10.mean']

function zscore(offset: number): { artifact: unknown; reference: unknown } {
  const n = 500
  const rows = Array.from({ length: n }, (_, i) => Object.fromEntries(FEATURES.map((f, j) => [f, offset + ((i * 7919 + j * 104729) % n) / n])))
  const m = families.create('zscore', { threshold: 4, features: [...FEATURES] })
  void m.fit(rows.map((values, i) => ({ ts: i, values })))
  const scores = rows.map((values) => (m.predict({ ts: 0, values }) as { score: number }).score)
  return { artifact: m.toJSON(), reference: buildReference(rows, FEATURES, scores) }
}

export async function seedOpsDemo(platform: Platform, password: string, assetIds: readonly string[], opts: { webhookUrl?: string } = {}): Promise<void> {
  const login = await platform.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'admin', password } })
  const headers = { authorization: `Bearer ${(login.json() as { accessToken: string }).accessToken}` }
  const call = async (method: 'POST', url: string, payload: object): Promise<unknown> => {
    const res = await platform.app.inject({ method, url, headers, payload })
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`)
    return res.json()
  }
  if (opts.webhookUrl !== undefined) {
    const hook = (await call('POST', '/v1/notification-channels', { name: 'ops on-call', type: 'webhook', config: { url: opts.webhookUrl, secret: 'demo-signing-secret-0123' }, subscribeAll: false, rateLimitPerMin: 30 })) as { id: string }
    await call('POST', '/v1/notification-preferences', { role: 'operator', severities: ['critical'], channelIds: [hook.id], quietHours: { start: '22:00', end: '07:00', timezone: 'Europe/Paris' } })
  }
  await call('POST', '/v1/models', { name: 'motor-anomaly', kind: 'anomaly', description: 'z-score on motor temperature, vibration and current', gates: [{ metric: 'auc', op: '>=', value: 0.85 }] })
  await call('POST', '/v1/models/motor-anomaly/versions', { flavour: 'builtin', ...zscore(0), metrics: { auc: 0.91, f1: 0.74, latency_ms: 0.4 }, trainingFingerprint: 'sha256:spring' })
  await call('POST', '/v1/models/motor-anomaly/versions', { flavour: 'builtin', ...zscore(0.1), metrics: { auc: 0.94, f1: 0.8, latency_ms: 0.5 }, trainingFingerprint: 'sha256:summer' })
  await call('POST', '/v1/models/motor-anomaly/promote', { version: 1, reason: 'first deployment after the spring trial' })
  await call('POST', '/v1/models/motor-anomaly/canary', { version: 2, percent: 20, reason: 'try the summer retrain on a fifth of the fleet' })
  const now = Date.now()
  const items = Array.from({ length: 600 }, (_, i) => ({
    assetId: assetIds[i % assetIds.length]!,
    ts: now - (600 - i) * 1000,
    features: { 'temp.w10.mean': 0.7 + (i % 10) / 25, 'vib.w10.rms': (i % 100) / 100, 'current.w10.mean': 0.2 + (i % 50) / 80 },
  }))
  await call('POST', '/v1/models/motor-anomaly/predict', { items })
  for (const [i, threshold] of [4, 3.5].entries()) {
    await platform.stores.registry.saveRun('default', {
      id: `run-${i + 1}`,
      model: 'motor-anomaly',
      status: 'succeeded',
      spec: { model: 'motor-anomaly', family: 'zscore' },
      params: { threshold, window: 10 },
      metrics: { auc: 0.91 + i * 0.03, f1: 0.74 + i * 0.06 },
      artifacts: {},
      logs: '',
      version: i + 1,
      createdBy: 'user:admin',
      startedAt: now - 86_400_000 * (2 - i),
      finishedAt: now - 86_400_000 * (2 - i) + 95_000,
    })
  }
}
