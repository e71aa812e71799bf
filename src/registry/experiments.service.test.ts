import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RUNTIMES } from '../models/runtime/index.js'
import { openDuckDbStores } from '../store/duckdb/open.js'
import { FsArtifactStore } from '../store/fs/artifact.store.js'
import type { Stores } from '../store/ports.js'
import { TrainingSpecError } from './errors.js'
import { ExperimentService, loadTrainingSpec } from './experiments.service.js'
import { RegistryService } from './registry.service.js'

const NAB = join(import.meta.dirname, '../../../shared/data/nab')
let dir: string
let stores: Stores
let exp: ExperimentService
let registry: RegistryService

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'prognos-train-'))
  stores = await openDuckDbStores({ dataDir: dir })
  registry = new RegistryService(stores.registry, new FsArtifactStore(join(dir, 'artifacts')), RUNTIMES, stores.predictions)
  exp = new ExperimentService(registry)
})
afterAll(async () => {
  await stores.close()
  rmSync(dir, { recursive: true, force: true })
})

const writeSpec = (name: string, body: string): string => {
  const p = join(dir, name)
  writeFileSync(p, body)
  return p
}

describe('training runs', () => {
  it('trains a z-score model on a NAB series, records the run, registers and promotes it through its gates', async () => {
    const spec = loadTrainingSpec(
      writeSpec(
        'cpu.yaml',
        `model: cpu-anomaly
family: zscore
params: { threshold: 5 }
gates: [{ metric: val_flag_rate, op: '<=', value: 0.2 }]
data:
  csv: ${NAB}/data/realAWSCloudwatch/ec2_cpu_utilization_5f5533.csv
  features: [value]
  labels: { file: ${NAB}/labels/combined_windows.json, key: realAWSCloudwatch/ec2_cpu_utilization_5f5533.csv }
`,
      ),
    )
    const stages = new Set<string>()
    const r = await exp.train('t1', spec, { actor: 'cli', promote: true, onProgress: (p) => stages.add(p.stage) })
    expect([...stages]).toEqual(['load', 'fit', 'score', 'register'])
    expect(r.run.status).toBe('succeeded')
    expect(r.version).toBe(1)
    expect(r.promoted).toBe(true)
    expect(r.run.metrics.train_rows! + r.run.metrics.val_rows!).toBe(4032)
    expect(r.run.metrics.labelled_windows).toBe(2)
    expect(r.run.metrics.window_recall).toBeGreaterThanOrEqual(0)
    const stored = await stores.registry.getRun('t1', r.run.id)
    expect(stored).toMatchObject({ status: 'succeeded', version: 1, params: { family: 'zscore', threshold: 5 }, artifacts: { model: expect.stringContaining('cpu-anomaly') } })
    expect(stored!.logs).toMatch(/registered cpu-anomaly version 1/)
    const v = await registry.getVersion('t1', 'cpu-anomaly', 1)
    expect(v).toMatchObject({ runId: r.run.id, trainingFingerprint: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), metrics: r.run.metrics })
    expect(v.reference?.features.value?.count).toBe(r.run.metrics.train_rows)
    expect((await registry.deployment('t1', 'cpu-anomaly'))?.spec.production).toBe(1)
  })

  it('keeps the run and version but does not promote when the gates fail', async () => {
    const spec = loadTrainingSpec(writeSpec('strict.yaml', `model: cpu-strict\nfamily: zscore\ngates: [{ metric: val_flag_rate, op: '<', value: -1 }]\ndata: { csv: ${NAB}/data/realAWSCloudwatch/ec2_cpu_utilization_5f5533.csv }\n`))
    const r = await exp.train('t1', spec, { actor: 'cli', promote: true })
    expect(r.promoted).toBe(false)
    expect(r.promotionRefused).toMatch(/val_flag_rate/)
    expect(await registry.deployment('t1', 'cpu-strict')).toBeNull()
    // Retraining the recorded run registers the next version.
    const again = await exp.rerun('t1', r.run.id, 'drift')
    expect(again.version).toBe(2)
  })

  it('refuses a bad spec with the field that is wrong, and records a failed run for bad data', async () => {
    expect(() => loadTrainingSpec(writeSpec('bad1.yaml', 'model: x\nfamily: nope\ndata: { csv: a.csv }\n'))).toThrow(TrainingSpecError)
    expect(() => loadTrainingSpec(writeSpec('bad2.yaml', 'family: zscore\n'))).toThrow(/model/)
    const spec = loadTrainingSpec(writeSpec('bad3.yaml', `model: y\nfamily: zscore\ndata: { csv: ${NAB}/data/realAWSCloudwatch/ec2_cpu_utilization_5f5533.csv, features: [nope] }\n`))
    await expect(exp.train('t1', spec, { actor: 'cli' })).rejects.toThrow(/column 'nope'/)
    const runs = await stores.registry.listRuns('t1', { model: 'y' })
    expect(runs).toMatchObject([{ status: 'failed' }])
  })
})
