/**
 * Training through the API (POST /v1/runs) and retraining when drift persists: the version's
 * recorded run is trained again and registered as a new version, which is not promoted.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiKey, startTestPlatform, type TestPlatform } from '../helpers/platform.js'

const WINDOW = 100
let t: TestPlatform
const dir = mkdtempSync(join(tmpdir(), 'prognos-retrain-'))
const csv = join(dir, 'x.csv')

beforeAll(async () => {
  // x spread evenly over [0, 1) in a scrambled order.
  writeFileSync(csv, ['timestamp,x', ...Array.from({ length: 1000 }, (_, i) => `${1_700_000_000_000 + i * 60_000},${((i * 7919) % 1000) / 1000}`)].join('\n'))
  t = await startTestPlatform({ PROGNOS_REGISTRY_DRIFT_WINDOW: String(WINDOW), PROGNOS_REGISTRY_RETRAIN_AFTER_WINDOWS: '2' })
})
afterAll(async () => {
  await t.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('training and retraining', () => {
  it('trains through the API (administrators only) and refuses a bad spec with its field', async () => {
    const operator = await apiKey(t, 'operator')
    const spec = { model: 're', family: 'zscore', data: { csv, features: ['x'] } }
    expect((await t.platform.app.inject({ method: 'POST', url: '/v1/runs', headers: operator, payload: { spec } })).statusCode).toBe(403)
    const bad = await t.platform.app.inject({ method: 'POST', url: '/v1/runs', headers: t.admin, payload: { spec: { ...spec, family: 'nope' } } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({ code: 'TRAINING_SPEC_INVALID', details: [{ field: 'family' }] })
    const res = await t.platform.app.inject({ method: 'POST', url: '/v1/runs', headers: t.admin, payload: { spec, promote: true } })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({ version: 1, promoted: true, run: { status: 'succeeded', metrics: { train_rows: 700, val_rows: 300 } } })
    const runs = (await t.platform.app.inject({ method: 'GET', url: '/v1/runs?model=re', headers: operator })).json() as { items: { id: string }[] }
    expect(runs.items).toHaveLength(1)
    const run = (await t.platform.app.inject({ method: 'GET', url: `/v1/runs/${runs.items[0]!.id}`, headers: operator })).json() as { logs: string }
    expect(run.logs).toMatch(/fitted zscore on 700 rows/)
  })

  it('retrains when drift persists for the configured number of windows, registering (not promoting) a new version', async () => {
    const operator = await apiKey(t, 'operator')
    const predict = (xs: number[]) => t.platform.app.inject({ method: 'POST', url: '/v1/models/re/predict', headers: operator, payload: { items: xs.map((x) => ({ features: { x } })), record: false } })
    // In distribution for two windows: nothing.
    for (let k = 0; k < 2; k++) await predict(Array.from({ length: WINDOW }, (_, i) => ((i * 37) % 100) / 100))
    expect(await t.platform.registry.listVersions('default', 're')).toHaveLength(1)
    // Shifted for three windows: drift in the first, persists in the second → retrain.
    for (let k = 0; k < 3; k++) await predict(Array.from({ length: WINDOW }, (_, i) => 2 + ((i * 37) % 100) / 100))
    const deadline = Date.now() + 20_000
    while ((await t.platform.registry.listVersions('default', 're')).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    const versions = await t.platform.registry.listVersions('default', 're')
    expect(versions.map((v) => [v.version, v.createdBy])).toEqual([
      [1, expect.stringMatching(/^user:/)],
      [2, 'system:drift-retrain'],
    ])
    expect(versions[1]!.runId).not.toBe(versions[0]!.runId)
    expect((await t.platform.registry.deployment('default', 're'))?.spec.production).toBe(1)
  })
})
