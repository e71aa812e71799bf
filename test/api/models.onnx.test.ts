/**
 * An externally trained ONNX model, imported from a file, serves predictions through the
 * registry; a file that does not match its signature is refused and nothing is registered.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { linearOnnx } from '../../src/models/runtime/onnx.linear.js'
import { apiKey, startTestPlatform, type TestPlatform } from '../helpers/platform.js'

const W = [[0.5], [-2], [3.25]]
const B = [1.5]
let t: TestPlatform
let operator: Record<string, string>
const dir = mkdtempSync(join(tmpdir(), 'prognos-onnx-'))
const file = join(dir, 'linear.onnx')

beforeAll(async () => {
  writeFileSync(file, linearOnnx(W, B))
  t = await startTestPlatform()
  operator = await apiKey(t, 'operator')
})
afterAll(async () => {
  await t.close()
  rmSync(dir, { recursive: true, force: true })
})

const signature = { inputs: [{ name: 'temp' }, { name: 'vib' }, { name: 'load' }], outputs: [{ name: 'health' }] }
const importFile = (sig: unknown) => t.platform.app.inject({ method: 'POST', url: '/v1/models/onnx-health/versions', headers: operator, payload: { flavour: 'onnx', kind: 'health', artifact: readFileSync(file).toString('base64'), signature: sig, metrics: { rmse: 0.1 } } })

describe('ONNX import', () => {
  it('refuses a file whose input width does not match the signature, registering nothing', async () => {
    const res = await importFile({ inputs: [{ name: 'temp' }, { name: 'vib' }], outputs: [{ name: 'health' }] })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'MODEL_ARTIFACT_INVALID', message: expect.stringContaining('takes 3 features but the signature names 2') })
    expect((await t.platform.app.inject({ method: 'GET', url: '/v1/models/onnx-health', headers: operator })).statusCode).toBe(404)
  })

  it('imports the file with its signature and serves its predictions, single and batch', async () => {
    const res = await importFile(signature)
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({ model: 'onnx-health', version: 1, flavour: 'onnx', artifactBytes: readFileSync(file).length, signature: { inputs: [{ name: 'temp' }, { name: 'vib' }, { name: 'load' }] } })
    expect((await t.platform.app.inject({ method: 'POST', url: '/v1/models/onnx-health/promote', headers: operator, payload: { version: 1, reason: 'imported' } })).statusCode).toBe(200)

    const one = await t.platform.app.inject({ method: 'POST', url: '/v1/models/onnx-health/predict', headers: operator, payload: { features: { temp: 2, vib: 1, load: 4 } } })
    expect(one.statusCode, one.body).toBe(200)
    // 0.5·2 − 2·1 + 3.25·4 + 1.5 = 13.5
    expect(one.json()).toMatchObject({ version: 1, deployment: 'production', value: 13.5, outputs: { health: 13.5 } })

    const rows = Array.from({ length: 257 }, (_, i) => ({ temp: Math.sin(i), vib: i / 100, load: (i % 7) - 3 }))
    const batch = await t.platform.app.inject({ method: 'POST', url: '/v1/models/onnx-health/predict', headers: operator, payload: { items: rows.map((features, i) => ({ assetId: `e${i}`, features })) } })
    expect(batch.statusCode).toBe(200)
    const got = (batch.json() as { predictions: { value: number }[] }).predictions.map((p) => p.value)
    const want = rows.map((r) => r.temp * W[0]![0]! + r.vib * W[1]![0]! + r.load * W[2]![0]! + B[0]!)
    expect(got).toHaveLength(257)
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 4))
    // Stored predictions of kind `health` name the version.
    await t.platform.recorder.flush()
    const stored = await t.platform.stores.predictions.latest('default', 'e10', { model: 'onnx-health' })
    expect(stored).toMatchObject([{ kind: 'health', model: 'onnx-health', version: 1, deployment: 'production' }])
  })
})
