/**
 * Serving latency of registered models: one row and 1,000-row batches through the router
 * (routing, signature check, metrics, drift sketches included), through the HTTP layer
 * (`app.inject`: auth, validation, serialisation, no socket), and the bare model as the
 * baseline, for the built-in z-score family and an ONNX model (onnxruntime-node).
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/predict.js [--calls 5000] [--batches 200]
 *
 * Progress goes to stderr; the last line on stdout is the figures as JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import * as ort from 'onnxruntime-node'
import { loadConfig } from '../src/config.js'
import { createLogger } from '../src/logger.js'
import { createPlatform } from '../src/main.js'
import '../src/models/anomaly/zscore.model.js'
import { families } from '../src/models/families.js'
import { linearOnnx } from '../src/models/runtime/onnx.linear.js'
import { buildReference } from '../src/registry/drift.js'

const { values: args } = parseArgs({ options: { calls: { type: 'string', default: '5000' }, batches: { type: 'string', default: '200' } } })
const CALLS = Number(args.calls)
const BATCHES = Number(args.batches)
const FEATURES = Array.from({ length: 8 }, (_, i) => `f${i}`)
const say = (s: string): void => void process.stderr.write(`${s}\n`)

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!
}
const us = (ms: number): number => Math.round(ms * 1000 * 10) / 10

async function time(n: number, fn: (i: number) => Promise<unknown> | unknown): Promise<number[]> {
  for (let i = 0; i < Math.min(200, n); i++) await fn(i)
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const t0 = performance.now()
    await fn(i)
    out.push(performance.now() - t0)
  }
  return out
}

const row = (i: number): Record<string, number> => Object.fromEntries(FEATURES.map((f, j) => [f, Math.sin(i * 0.37 + j)]))

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'prognos-bench-predict-'))
  const config = loadConfig({ env: { PROGNOS_DATA_DIR: dir, PROGNOS_ADMIN_PASSWORD: 'bench-password-1', PROGNOS_DEMO: 'off', PROGNOS_MQTT: 'off', PROGNOS_FEATURES: 'off' } })
  const platform = await createPlatform(config, createLogger('silent'))
  try {
    const t = 'default'
    const actor = 'bench'
    const train = Array.from({ length: 2000 }, (_, i) => row(i))
    const z = families.create('zscore', { features: FEATURES })
    await z.fit(train.map((values, i) => ({ ts: i, values })))
    await platform.registry.register(t, { model: 'z', flavour: 'builtin', artifact: new TextEncoder().encode(JSON.stringify(z.toJSON())), reference: buildReference(train, FEATURES, null) }, actor)
    await platform.registry.promote(t, 'z', 1, 'production', { actor, reason: 'bench' })
    const weights = FEATURES.map((_, j) => [j / 10])
    const onnxBytes = linearOnnx(weights, [0.5])
    await platform.registry.register(t, { model: 'o', kind: 'health', flavour: 'onnx', artifact: onnxBytes, signature: { inputs: FEATURES.map((name) => ({ name, type: 'number' })), outputs: [{ name: 'y', type: 'number' }] } }, actor)
    await platform.registry.promote(t, 'o', 1, 'production', { actor, reason: 'bench' })
    const login = await platform.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'admin', password: 'bench-password-1' } })
    const headers = { authorization: `Bearer ${(login.json() as { accessToken: string }).accessToken}` }

    const figures: Record<string, number> = {}
    const report = (name: string, xs: number[]): void => {
      figures[`${name}_p50_us`] = us(quantile(xs, 0.5))
      figures[`${name}_p99_us`] = us(quantile(xs, 0.99))
      say(`${name}: p50 ${figures[`${name}_p50_us`]} µs, p99 ${figures[`${name}_p99_us`]} µs`)
    }

    say(`one row, ${CALLS} calls each`)
    report('zscore_bare', await time(CALLS, (i) => z.predict({ ts: i, values: row(i) })))
    report('zscore_router', await time(CALLS, (i) => platform.router.predict(t, 'z', [{ assetId: `a${i % 1000}`, features: row(i) }])))
    const session = await ort.InferenceSession.create(onnxBytes)
    report('onnx_bare', await time(CALLS, (i) => session.run({ x: new ort.Tensor('float32', Float32Array.from(FEATURES.map((f) => row(i)[f]!)), [1, FEATURES.length]) })))
    report('onnx_router', await time(CALLS, (i) => platform.router.predict(t, 'o', [{ assetId: `a${i % 1000}`, features: row(i) }])))
    report('zscore_http', await time(CALLS, (i) => platform.app.inject({ method: 'POST', url: '/v1/models/z/predict', headers, payload: { assetId: `a${i % 1000}`, features: row(i), record: false } })))

    say(`1,000-row batches, ${BATCHES} each`)
    const batch = Array.from({ length: 1000 }, (_, i) => ({ assetId: `a${i}`, features: row(i) }))
    const zb = await time(BATCHES, () => platform.router.predict(t, 'z', batch))
    const ob = await time(BATCHES, () => platform.router.predict(t, 'o', batch))
    figures.zscore_router_batch1k_p50_ms = Math.round(quantile(zb, 0.5) * 100) / 100
    figures.onnx_router_batch1k_p50_ms = Math.round(quantile(ob, 0.5) * 100) / 100
    figures.zscore_router_rows_per_s = Math.round(1000 / (quantile(zb, 0.5) / 1000))
    figures.onnx_router_rows_per_s = Math.round(1000 / (quantile(ob, 0.5) / 1000))
    say(`batches: zscore ${figures.zscore_router_batch1k_p50_ms} ms, onnx ${figures.onnx_router_batch1k_p50_ms} ms per 1,000 rows`)
    say('storing predictions: 5 appends of 10,000 rows')
    const preds = Array.from({ length: 10_000 }, (_, i) => ({ assetId: `a${i % 1000}`, ts: 1_700_000_000_000 + i, source: 'registry', kind: 'anomaly_score', value: i / 10_000, model: 'z', version: 1, deployment: 'production', details: { deploymentId: 1 } }))
    const appends = await time(5, () => platform.stores.predictions.append(t, preds))
    figures.store_append_10k_p50_ms = Math.round(quantile(appends, 0.5))
    figures.store_append_rows_per_s = Math.round(10_000 / (quantile(appends, 0.5) / 1000))
    say(`store: ${figures.store_append_10k_p50_ms} ms per 10,000 predictions`)
    process.stdout.write(`${JSON.stringify({ bench: 'predict', store: platform.stores.kind, calls: CALLS, batches: BATCHES, features: FEATURES.length, ...figures })}\n`)
    await session.release()
  } finally {
    await platform.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
