/**
 * The tfjs and xgboost flavours end to end: a model built and trained in the test with its
 * own library, saved to the flavour's artifact format, registered through the API, promoted,
 * and served with the same answers as the library's own predict. Bad artifacts are refused
 * with MODEL_ARTIFACT_INVALID and register nothing.
 */
import { createRequire } from 'node:module'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiKey, startTestPlatform, type TestPlatform } from '../helpers/platform.js'

let t: TestPlatform
let operator: Record<string, string>
beforeAll(async () => {
  t = await startTestPlatform()
  operator = await apiKey(t, 'operator')
})
afterAll(async () => {
  await t.close()
})

const register = (model: string, payload: Record<string, unknown>) => t.platform.app.inject({ method: 'POST', url: `/v1/models/${model}/versions`, headers: operator, payload })
const promote = (model: string, version: number) => t.platform.app.inject({ method: 'POST', url: `/v1/models/${model}/promote`, headers: operator, payload: { version, reason: 'test' } })
const predict = async (model: string, rows: Record<string, number>[]) => {
  const res = await t.platform.app.inject({ method: 'POST', url: `/v1/models/${model}/predict`, headers: operator, payload: { items: rows.map((features, i) => ({ assetId: `a${i}`, features })), record: false } })
  expect(res.statusCode, res.body).toBe(200)
  return (res.json() as { predictions: { value: number; outputs: Record<string, number>; version: number }[] }).predictions
}
const exists = async (model: string) => (await t.platform.app.inject({ method: 'GET', url: `/v1/models/${model}`, headers: operator })).statusCode !== 404
const b64 = (s: string) => Buffer.from(s).toString('base64')

/** Rows of three features, deterministic and spread over a few units. */
const ROWS = Array.from({ length: 40 }, (_, i) => ({ temp: Math.sin(i) * 3, vib: ((i * 37) % 11) / 2, load: i / 10 - 1 }))
const NAMES = ['temp', 'vib', 'load'] as const
const matrix = (rows: readonly Record<string, number>[]) => rows.map((r) => NAMES.map((n) => r[n]!))

describe('tfjs flavour', () => {
  /** A small Layers model (3 → 8 relu → 2), trained a few epochs so its weights are not the initial ones; saved as the flavour's JSON. */
  async function buildTfjs(): Promise<{ model: tf.LayersModel; artifact: string }> {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 8, activation: 'relu', inputShape: [3], kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }) }), tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 8 }) })] })
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' })
    const x = tf.tensor2d(matrix(ROWS))
    const y = tf.tensor2d(ROWS.map((r) => [r.temp + 2 * r.vib, r.load * r.load]))
    await model.fit(x, y, { epochs: 5, batchSize: 8, shuffle: false, verbose: 0 })
    x.dispose()
    y.dispose()
    let saved: tf.io.ModelArtifacts | undefined
    await model.save(tf.io.withSaveHandler(async (a) => {
      saved = a
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
    }))
    const weights = Buffer.from(saved!.weightData as ArrayBuffer).toString('base64')
    return { model, artifact: b64(JSON.stringify({ modelTopology: saved!.modelTopology, weightSpecs: saved!.weightSpecs, weightData: weights })) }
  }
  const signature = { inputs: NAMES.map((name) => ({ name })), outputs: [{ name: 'wear' }, { name: 'stress' }] }

  it('refuses a corrupt artifact and a signature of the wrong width, registering nothing', async () => {
    const { artifact } = await buildTfjs()
    const corrupt = await register('tfjs-wear', { flavour: 'tfjs', kind: 'health', artifact: b64('{"modelTopology": {'), signature })
    expect(corrupt.statusCode).toBe(400)
    expect(corrupt.json()).toMatchObject({ code: 'MODEL_ARTIFACT_INVALID', message: expect.stringContaining('not a tfjs artifact') })
    const narrow = await register('tfjs-wear', { flavour: 'tfjs', kind: 'health', artifact, signature: { inputs: [{ name: 'temp' }, { name: 'vib' }], outputs: signature.outputs } })
    expect(narrow.statusCode).toBe(400)
    expect(narrow.json()).toMatchObject({ code: 'MODEL_ARTIFACT_INVALID', message: expect.stringContaining('takes 3 features but the signature names 2') })
    expect(await exists('tfjs-wear')).toBe(false)
  })

  it('serves the same outputs as model.predict, every output named by the signature', async () => {
    const { model, artifact } = await buildTfjs()
    const res = await register('tfjs-wear', { flavour: 'tfjs', kind: 'health', artifact, signature })
    expect(res.statusCode, res.body).toBe(201)
    expect((await promote('tfjs-wear', 1)).statusCode).toBe(200)
    const got = await predict('tfjs-wear', ROWS)
    const want = (model.predict(tf.tensor2d(matrix(ROWS))) as tf.Tensor).arraySync() as number[][]
    expect(got).toHaveLength(ROWS.length)
    // Trained weights, not a constant: the outputs vary across rows.
    expect(new Set(want.map((w) => w[0]!.toFixed(4))).size).toBeGreaterThan(10)
    got.forEach((p, i) => {
      expect(p.version).toBe(1)
      expect(p.value).toBeCloseTo(want[i]![0]!, 5)
      expect(p.outputs.wear).toBeCloseTo(want[i]![0]!, 5)
      expect(p.outputs.stress).toBeCloseTo(want[i]![1]!, 5)
    })
  })
})

describe('xgboost flavour', () => {
  interface Booster {
    train(x: number[][], y: number[]): void
    predict(x: number[][]): ArrayLike<number>
    toJSON(): { name: string; model: number[] }
    free(): void
  }
  type XGBoost = new (opts: Record<string, unknown>) => Booster
  let XGB: XGBoost
  let booster: Booster
  beforeAll(async () => {
    XGB = await (createRequire(import.meta.url)('ml-xgboost') as Promise<XGBoost>)
    booster = new XGB({ booster: 'gbtree', objective: 'reg:linear', max_depth: 3, eta: 0.3, silent: 1, iterations: 20 })
    booster.train(matrix(ROWS), ROWS.map((r) => r.temp * r.vib - r.load))
  })
  afterAll(() => booster.free())
  const signature = { inputs: NAMES.map((name) => ({ name })), outputs: [{ name: 'rul' }] }

  it('refuses corrupt JSON, a damaged model and a signature of the wrong width, registering nothing', async () => {
    const json = booster.toJSON()
    const cases: [unknown, string][] = [
      [b64('{"name": "ml-xgboost", "model": [0, 0'), 'not JSON'],
      [b64(JSON.stringify({ name: 'ml-xgboost', model: json.model.slice(0, 200) })), 'damaged'],
      [b64(JSON.stringify({ nodes: [] })), "{name: 'ml-xgboost', model: [bytes]}"],
    ]
    for (const [artifact, msg] of cases) {
      const res = await register('xgb-rul', { flavour: 'xgboost', kind: 'rul', artifact, signature })
      expect(res.statusCode, msg).toBe(400)
      expect(res.json()).toMatchObject({ code: 'MODEL_ARTIFACT_INVALID', message: expect.stringContaining(msg) })
    }
    const wide = await register('xgb-rul', { flavour: 'xgboost', kind: 'rul', artifact: b64(JSON.stringify(json)), signature: { inputs: [...signature.inputs, { name: 'extra' }], outputs: signature.outputs } })
    expect(wide.json()).toMatchObject({ code: 'MODEL_ARTIFACT_INVALID', message: expect.stringContaining('trained on 3 features but the signature names 4') })
    expect(await exists('xgb-rul')).toBe(false)
  })

  it('serves the same predictions as the booster it was saved from', async () => {
    const res = await register('xgb-rul', { flavour: 'xgboost', kind: 'rul', artifact: b64(JSON.stringify(booster.toJSON())), signature, metrics: { mae: 0.1 } })
    expect(res.statusCode, res.body).toBe(201)
    expect((await promote('xgb-rul', 1)).statusCode).toBe(200)
    const got = await predict('xgb-rul', ROWS)
    const want = Array.from(booster.predict(matrix(ROWS)))
    expect(new Set(want.map((w) => w.toFixed(4))).size).toBeGreaterThan(5)
    expect(got.map((p) => p.version)).toEqual(ROWS.map(() => 1))
    got.forEach((p, i) => {
      expect(p.value).toBeCloseTo(want[i]!, 6)
      expect(p.outputs.rul).toBeCloseTo(want[i]!, 6)
    })
  })
})
