import '../../src/models/anomaly/zscore.model.js'
import { families } from '../../src/models/families.js'
import type { SerializedModel } from '../../src/models/model.js'
import { buildReference } from '../../src/registry/drift.js'
import type { ReferenceStats } from '../../src/store/registry.ports.js'
import type { TestPlatform } from './platform.js'

/** A zscore model fitted on `n` rows of the given features (value i/n · scale + offset per feature), with its reference statistics. */
export function trainedZScore(features: readonly string[], opts: { n?: number; offset?: number; threshold?: number } = {}): { artifact: SerializedModel; reference: ReferenceStats } {
  const n = opts.n ?? 500
  const rows = Array.from({ length: n }, (_, i) => Object.fromEntries(features.map((f, j) => [f, (opts.offset ?? 0) + ((i * 7919 + j * 104729) % n) / n])))
  const m = families.create('zscore', { threshold: opts.threshold ?? 4, features: [...features] })
  void m.fit(rows.map((values, i) => ({ ts: i, values })))
  const scores = rows.map((values) => (m.predict({ ts: 0, values }) as { score: number }).score)
  return { artifact: m.toJSON(), reference: buildReference(rows, features, scores) }
}

/** Registers a zscore version of `model` over `features` through the API; returns its number. */
export async function registerZScore(t: TestPlatform, headers: Record<string, string>, model: string, features: readonly string[], opts: { metrics?: Record<string, number>; offset?: number; threshold?: number } = {}): Promise<number> {
  const { artifact, reference } = trainedZScore(features, opts)
  const res = await t.platform.app.inject({ method: 'POST', url: `/v1/models/${model}/versions`, headers, payload: { flavour: 'builtin', artifact, metrics: opts.metrics ?? { auc: 0.9 }, reference, trainingFingerprint: 'sha256:test' } })
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`)
  return (res.json() as { version: number }).version
}
