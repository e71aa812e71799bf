/**
 * PredictionStore and RegistryStore conformance: the same cases for every adapter
 * (migrations 7–9). Each case opens a fresh store.
 */
import { describe, expect, it } from 'vitest'
import type { Prediction } from '../../src/pipeline/bus.js'
import { MetaConflictError } from '../../src/store/errors.js'
import type { Stores } from '../../src/store/ports.js'
import type { DeploymentSpec, VersionRecord } from '../../src/store/registry.ports.js'
import { freshStores } from './fresh.js'

const T0 = Date.UTC(2026, 10, 22, 12, 0, 0)
const EMPTY: DeploymentSpec = { production: null, staging: null, archived: [], canary: null, ab: null, shadow: [] }

const version = (model: string, over: Partial<VersionRecord> = {}): Omit<VersionRecord, 'version'> => ({
  model,
  flavour: 'builtin',
  artifactKey: `t/${model}/abc.json`,
  artifactSha256: 'abc',
  artifactBytes: 10,
  signature: { inputs: [{ name: 'x', type: 'number' }], outputs: [{ name: 'score', type: 'number' }] },
  params: { threshold: 4 },
  metrics: { auc: 0.9 },
  trainingFingerprint: 'f00d',
  reference: { features: { x: { edges: [0, 1], shares: [0.25, 0.5, 0.25], count: 100 } }, prediction: null },
  runId: null,
  createdBy: 'alice',
  createdAt: T0,
  ...over,
})

export function runRegistrySuite(name: string, open: () => Promise<Stores>): void {
  describe(`${name} prediction and registry stores`, () => {
    const fresh = freshStores(open)

    it('migrations 7, 8 and 9 are applied', async () => {
      const { meta } = await fresh()
      const status = await meta.migrationStatus()
      expect(status.pending).toEqual([])
      expect(status.latest).toBeGreaterThanOrEqual(9)
    })

    it('stores predictions with model, version and deployment, per tenant, and reads ranges, latest and as-of', async () => {
      const { predictions } = await fresh()
      const p = (ts: number, kind: string, value: number, more: Partial<Prediction> = {}): Prediction => ({ assetId: 'a1', ts, source: 'registry', kind, value, ...more })
      await predictions.append('t1', [
        p(T0, 'anomaly_score', 0.1, { model: 'm', version: 1, deployment: 'production', details: { deploymentId: 1 } }),
        p(T0 + 1000, 'anomaly_score', 0.2, { model: 'm', version: 2, deployment: 'canary' }),
        p(T0 + 2000, 'rul', 120, { model: 'r', version: 1, deployment: 'production' }),
        p(T0 + 3000, 'anomaly_score', 0.3, { model: 'm', version: 3, deployment: 'shadow' }),
        { assetId: 'a2', ts: T0, source: 'zscore', kind: 'anomaly_score', value: 0.9 },
      ])
      await predictions.append('t2', [p(T0, 'anomaly_score', 7, { model: 'm', version: 9 })])
      const all = await predictions.range('t1', { assetId: 'a1', from: T0, to: T0 + 10_000, limit: 100 })
      expect(all.map((x) => x.value)).toEqual([0.1, 0.2, 120, 0.3])
      expect(all[0]).toEqual(p(T0, 'anomaly_score', 0.1, { model: 'm', version: 1, deployment: 'production', details: { deploymentId: 1 } }))
      // Filters: kind, model, half-open range, newest `limit`.
      expect((await predictions.range('t1', { assetId: 'a1', kind: 'rul', from: T0, to: T0 + 10_000, limit: 100 })).map((x) => x.value)).toEqual([120])
      expect((await predictions.range('t1', { assetId: 'a1', model: 'm', from: T0, to: T0 + 3000, limit: 100 })).map((x) => x.value)).toEqual([0.1, 0.2])
      expect((await predictions.range('t1', { assetId: 'a1', from: T0, to: T0 + 10_000, limit: 2 })).map((x) => x.value)).toEqual([120, 0.3])
      // Tenant isolation.
      expect((await predictions.range('t2', { assetId: 'a1', from: T0, to: T0 + 10_000, limit: 100 })).map((x) => x.value)).toEqual([7])
      expect(await predictions.range('t2', { assetId: 'a2', from: T0, to: T0 + 10_000, limit: 100 })).toEqual([])
      // Latest per (kind, source, model).
      const latest = await predictions.latest('t1', 'a1')
      expect(latest.map((x) => [x.kind, x.model, x.value])).toEqual([
        ['anomaly_score', 'm', 0.3],
        ['rul', 'r', 120],
      ])
      expect((await predictions.latest('t1', 'a1', { kind: 'rul' })).map((x) => x.value)).toEqual([120])
      // As of a time: the newest at or before it, shadows excluded.
      expect((await predictions.at('t1', 'a1', T0 + 1500, { model: 'm' }))?.version).toBe(2)
      expect((await predictions.at('t1', 'a1', T0 + 5000, { model: 'm' }))?.version).toBe(2)
      expect((await predictions.at('t1', 'a1', T0, { model: 'm' }))?.version).toBe(1)
      expect(await predictions.at('t1', 'a1', T0 - 1, { model: 'm' })).toBeNull()
      expect(await predictions.at('t2', 'a1', T0 - 1)).toBeNull()
    })

    it('fills in details marked as repeats from the last stored ones of the same kind and source, in every read', async () => {
      const { predictions } = await fresh()
      const p = (ts: number, kind: string, value: number, details: Record<string, unknown>, repeat = false): Prediction => ({ assetId: 'a1', ts, source: 'anomaly', kind, value, details, ...(repeat ? { detailsRepeat: true } : {}) })
      await predictions.append('t1', [p(T0, 'anomaly_score', 0.1, { top: 'temp' }), p(T0, 'health', 0.9, { status: 'ok' })])
      await predictions.append('t1', [p(T0 + 10_000, 'anomaly_score', 0.12, { top: 'ignored' }, true), p(T0 + 10_000, 'health', 0.89, { status: 'ignored' }, true)])
      await predictions.append('t1', [p(T0 + 20_000, 'anomaly_score', 0.8, { top: 'vib' }), p(T0 + 30_000, 'anomaly_score', 0.81, { top: 'ignored' }, true)])
      // Another source's predictions without details stay without.
      await predictions.append('t1', [{ assetId: 'a1', ts: T0 + 10_000, source: 'other', kind: 'anomaly_score', value: 0.5 }])
      const all = await predictions.range('t1', { assetId: 'a1', kind: 'anomaly_score', from: T0, to: T0 + 60_000, limit: 100 })
      expect(all.map((x) => [x.source, x.value, x.details?.top])).toEqual([
        ['anomaly', 0.1, 'temp'],
        ['other', 0.5, undefined],
        ['anomaly', 0.12, 'temp'],
        ['anomaly', 0.8, 'vib'],
        ['anomaly', 0.81, 'vib'],
      ])
      expect(all.some((x) => 'detailsRepeat' in x)).toBe(false)
      // A range starting after the last full details reads them from before it.
      const tail = await predictions.range('t1', { assetId: 'a1', from: T0 + 10_000, to: T0 + 15_000, limit: 100 })
      expect(tail.filter((x) => x.source === 'anomaly').map((x) => [x.kind, x.details])).toEqual([
        ['health', { status: 'ok' }],
        ['anomaly_score', { top: 'temp' }],
      ])
      const latest = await predictions.latest('t1', 'a1', { kind: 'anomaly_score' })
      expect(latest.map((x) => [x.source, x.ts, x.value, x.details?.top])).toEqual([
        ['anomaly', T0 + 30_000, 0.81, 'vib'],
        ['other', T0 + 10_000, 0.5, undefined],
      ])
      expect((await predictions.latest('t1', 'a1', { kind: 'health' }))[0]?.details).toEqual({ status: 'ok' })
      expect((await predictions.at('t1', 'a1', T0 + 15_000, { kind: 'health' }))?.details).toEqual({ status: 'ok' })
    })

    it('stores nothing of a batch that fails, and keeps accepting appends', async () => {
      const { predictions } = await fresh()
      const ok = { assetId: 'a', ts: T0, source: 's', kind: 'k', value: 1 }
      await expect(predictions.append('t', [ok, { ...ok, ts: Number.NaN }])).rejects.toThrow()
      expect(await predictions.range('t', { assetId: 'a', from: T0 - 1, to: T0 + 1, limit: 10 })).toEqual([])
      await predictions.append('t', [ok])
      expect(await predictions.range('t', { assetId: 'a', from: T0 - 1, to: T0 + 1, limit: 10 })).toEqual([ok])
    })

    it('appends a large batch whole', async () => {
      const { predictions } = await fresh()
      const batch: Prediction[] = Array.from({ length: 1500 }, (_, i) => ({ assetId: `a${i % 10}`, ts: T0 + i, source: 's', kind: 'k', value: i }))
      await predictions.append('t', batch)
      const got = await predictions.range('t', { assetId: 'a3', from: T0, to: T0 + 10_000, limit: 1000 })
      expect(got).toHaveLength(150)
      expect(got.every((p) => p.value % 10 === 3)).toBe(true)
    })

    it('keeps details of every length and script, and none, across chunk boundaries', async () => {
      const { predictions } = await fresh()
      // JSON of 2, 7, 12 and 13 characters (12 bytes is DuckDB's inline limit), multi-byte characters, and none.
      const shapes: (Record<string, unknown> | undefined)[] = [{}, { a: 1 }, { x: 'abcd' }, { x: 'abcde' }, { é: 'ü' }, { ü: 'ééé' }, undefined, { channels: ['temp', 'vibration'], text: 'x'.repeat(300) }, { s: '温度' }]
      const batch: Prediction[] = Array.from({ length: 2 * 2048 + 5 }, (_, i) => {
        const p: Prediction = { assetId: `a${i % 3}`, ts: T0 + i, source: 's', kind: i % 2 === 0 ? 'anomaly_score' : 'health', value: i / 7 }
        const d = shapes[i % shapes.length]
        if (d !== undefined) p.details = d
        return p
      })
      await predictions.append('t', batch)
      for (const asset of ['a0', 'a1', 'a2']) {
        const got = await predictions.range('t', { assetId: asset, from: T0, to: T0 + 10_000, limit: 10_000 })
        expect(got).toEqual(batch.filter((p) => p.assetId === asset))
      }
    })

    it('keeps models per tenant, refuses a duplicate name, and updates gates', async () => {
      const { registry } = await fresh()
      const m = { name: 'pump', kind: 'anomaly' as const, description: 'd', gates: [], createdBy: 'alice', createdAt: T0 }
      await registry.createModel('t1', m)
      await registry.createModel('t2', { ...m, description: 'other' })
      await expect(registry.createModel('t1', m)).rejects.toBeInstanceOf(MetaConflictError)
      expect((await registry.getModel('t1', 'pump'))?.description).toBe('d')
      expect(await registry.getModel('t3', 'pump')).toBeNull()
      const updated = await registry.updateModel('t1', 'pump', { gates: [{ metric: 'auc', op: '>=', value: 0.8 }] })
      expect(updated?.gates).toEqual([{ metric: 'auc', op: '>=', value: 0.8 }])
      expect((await registry.getModel('t1', 'pump'))?.gates).toEqual([{ metric: 'auc', op: '>=', value: 0.8 }])
      expect((await registry.listModels('t1')).map((x) => x.name)).toEqual(['pump'])
      expect(await registry.updateModel('t1', 'nope', { description: 'x' })).toBeNull()
    })

    it('numbers versions 1, 2, 3 per model, also under concurrent writers, and round-trips every field', async () => {
      const { registry } = await fresh()
      const v1 = await registry.addVersion('t1', version('pump'))
      expect(v1.version).toBe(1)
      const parallel = await Promise.all([1, 2, 3, 4].map(() => registry.addVersion('t1', version('pump'))))
      expect(parallel.map((v) => v.version).sort()).toEqual([2, 3, 4, 5])
      expect((await registry.addVersion('t2', version('pump'))).version).toBe(1)
      expect(await registry.getVersion('t1', 'pump', 1)).toEqual({ ...version('pump'), version: 1 })
      expect(await registry.getVersion('t1', 'pump', 9)).toBeNull()
      expect((await registry.listVersions('t1', 'pump')).map((v) => v.version)).toEqual([1, 2, 3, 4, 5])
    })

    it('appends deployments in order, guards against concurrent changes, lists history and heads', async () => {
      const { registry } = await fresh()
      const d = (spec: DeploymentSpec, createdAt: number) => ({ model: 'pump', spec, action: 'promote' as const, actor: 'alice', reason: 'why', restoredFrom: null, createdAt })
      const a = await registry.appendDeployment('t1', d({ ...EMPTY, production: 1 }, T0))
      expect(a.id).toBe(1)
      const b = await registry.appendDeployment('t1', d({ ...EMPTY, production: 2, canary: { version: 3, percent: 10 } }, T0 + 1000), 1)
      expect(b.id).toBe(2)
      await expect(registry.appendDeployment('t1', d(EMPTY, T0 + 2000), 1)).rejects.toBeInstanceOf(MetaConflictError)
      await registry.appendDeployment('t2', d(EMPTY, T0))
      expect(await registry.currentDeployment('t1', 'pump')).toEqual(b)
      expect(await registry.getDeployment('t1', 'pump', 1)).toEqual(a)
      expect((await registry.listDeployments('t1', 'pump')).map((x) => x.id)).toEqual([1, 2])
      expect(await registry.currentDeployment('t1', 'other')).toBeNull()
      expect(await registry.deploymentHeads()).toEqual([
        { tenantId: 't1', model: 'pump', id: 2 },
        { tenantId: 't2', model: 'pump', id: 1 },
      ])
    })

    it('saves, replaces and lists runs, and keeps drift events', async () => {
      const { registry } = await fresh()
      const run = { id: 'r1', model: 'pump', status: 'running' as const, spec: { family: 'zscore' }, params: { a: 1 }, metrics: {}, artifacts: {}, logs: '', version: null, createdBy: 'alice', startedAt: T0, finishedAt: null }
      await registry.saveRun('t1', run)
      await registry.saveRun('t1', { ...run, status: 'succeeded', metrics: { auc: 0.91 }, version: 1, finishedAt: T0 + 5, logs: 'done' })
      await registry.saveRun('t1', { ...run, id: 'r2', model: 'other', startedAt: T0 + 10 })
      expect(await registry.getRun('t1', 'r1')).toEqual({ ...run, status: 'succeeded', metrics: { auc: 0.91 }, version: 1, finishedAt: T0 + 5, logs: 'done' })
      expect(await registry.getRun('t2', 'r1')).toBeNull()
      expect((await registry.listRuns('t1')).map((r) => r.id)).toEqual(['r2', 'r1'])
      expect((await registry.listRuns('t1', { model: 'pump' })).map((r) => r.id)).toEqual(['r1'])
      await registry.addDriftEvent('t1', { model: 'pump', version: 1, ts: T0, report: { psi: 0.5 } })
      await registry.addDriftEvent('t1', { model: 'pump', version: 1, ts: T0 + 1, report: { psi: 0.7 } })
      expect((await registry.listDriftEvents('t1', 'pump', 10)).map((e) => e.report.psi)).toEqual([0.7, 0.5])
      expect(await registry.listDriftEvents('t2', 'pump', 10)).toEqual([])
    })
  })
}
