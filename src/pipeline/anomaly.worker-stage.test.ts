import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Worker } from 'node:worker_threads'
import { afterAll, describe, expect, it } from 'vitest'
import { VectorPacker, type FeatureName } from '../features/feature-vector.js'
import { openDuckDbStores } from '../store/duckdb/open.js'
import { AnomalyStage, type AnomalyAssetInfo, type AnomalyStageEvent } from './anomaly.stage.js'
import { assetInfo, OPTS, plain, run, vectors } from './anomaly.testing.js'
import { AnomalyWorkerStage, BufferPool } from './anomaly.worker-stage.js'
import { PackedAssetFeatures, type AssetFeatures, type Prediction } from './bus.js'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** The same vectors packed, as the features stage publishes them (shapes shared by name set). */
function packed(vs: readonly AssetFeatures[]): AssetFeatures[] {
  const packer = new VectorPacker()
  return vs.map((v) => {
    const names = Object.keys(v.vector) as FeatureName[]
    return new PackedAssetFeatures(v.assetId, v.ts, packer.pack(v.assetId, names, names.map((n) => v.vector[n]!), names.length))
  })
}

/** Two pumps' vectors, interleaved in messages of both. */
function fleetMessages(n: number): AssetFeatures[][] {
  const a = vectors(n, 3, { from: n - 40, add: 12 }, 'pump')
  const b = vectors(n, 4, undefined, 'pump2')
  return a.map((v, i) => [v, b[i]!])
}

describe('anomaly stage on a worker thread', () => {
  it('scores exactly as the stage on the event loop, from packed vectors and from name → value objects', async () => {
    const msgs = fleetMessages(160)
    const local = await openDuckDbStores({ dataDir: ':memory:' })
    const remote = await openDuckDbStores({ dataDir: ':memory:' })
    const inProcess = new AnomalyStage(local.detectorState, assetInfo, OPTS)
    const onWorker = new AnomalyWorkerStage(remote.detectorState, assetInfo, OPTS)
    try {
      const expected: Prediction[] = []
      const got: Prediction[] = []
      for (const [i, m] of msgs.entries()) {
        expected.push(...(await inProcess.score('t1', m)))
        // Alternate the two forms a message may take.
        got.push(...(await onWorker.score('t1', i % 2 === 0 ? packed(m) : m)))
      }
      expect(got).toHaveLength(160 * 2 * 2)
      expect(got).toEqual(expected)
      // Only told details cross; a repeat carries the very object its asset last told.
      const pumpScores = got.filter((p) => p.assetId === 'pump' && p.kind === 'anomaly_score')
      expect(pumpScores.filter((p) => p.detailsRepeat === true).length).toBeGreaterThan(pumpScores.length / 2)
      pumpScores.forEach((p, i) => {
        if (p.detailsRepeat === true) expect(p.details).toBe(pumpScores.slice(0, i).findLast((q) => q.detailsRepeat !== true)!.details)
      })
      // The fault on pump is found and named, through the worker.
      expect(got.some((p) => p.assetId === 'pump' && p.kind === 'anomaly_score' && p.details?.alarm === true && Object.keys(p.details.contributions as object)[0] === 'temp')).toBe(true)
      expect(onWorker.stats()).toMatchObject({ assets: 2, scored: 320, evicted: 0, pending: 0 })
      // The request's buffers came back with each answer and were reused: one each of times, shape ids and values.
      expect(onWorker['buffers'].size).toBe(3)
      // The worker reports its own heap (the detectors' state lives there).
      expect(onWorker.stats().heapUsedBytes).toBeGreaterThan(1e6)
      expect(await onWorker.latest('t1', 'pump')).toEqual(await inProcess.latest('t1', 'pump'))
      expect((await onWorker.fleet('t1')).map((h) => h.assetId)).toEqual(['pump', 'pump2'])
      expect(await onWorker.score('t1', [{ assetId: 'gone', ts: 1, vector: { 'x.w10.mean': 1 } }])).toEqual([])
      // An unknown asset between known ones: each prediction keeps its own vector's asset and time.
      const [next] = fleetMessages(161).slice(160)
      const mixed = await onWorker.score('t1', [{ assetId: 'gone', ts: 1, vector: { 'x.w10.mean': 1 } }, next![0]!, { assetId: 'gone2', ts: 2, vector: { 'x.w10.mean': 1 } }, next![1]!])
      expect(mixed.map((p) => [p.assetId, p.ts, p.kind])).toEqual([
        ['pump', next![0]!.ts, 'anomaly_score'],
        ['pump', next![0]!.ts, 'health'],
        ['pump2', next![1]!.ts, 'anomaly_score'],
        ['pump2', next![1]!.ts, 'health'],
      ])
    } finally {
      await onWorker.stop()
      await Promise.all([local.close(), remote.close()])
    }
  })

  it('checkpoints through the host’s store: a new worker resumes where the last one stopped', async () => {
    const vs = vectors(200, 7, { from: 170, add: 8 })
    const straightStores = await openDuckDbStores({ dataDir: ':memory:' })
    const straight = await run(new AnomalyStage(straightStores.detectorState, assetInfo, OPTS), vs)
    await straightStores.close()

    const dir = mkdtempSync(join(tmpdir(), 'prognos-anomaly-worker-'))
    dirs.push(dir)
    let stores = await openDuckDbStores({ dataDir: dir })
    const events: AnomalyStageEvent[] = []
    let stage = new AnomalyWorkerStage(stores.detectorState, assetInfo, OPTS, (e) => events.push(e))
    const first = await run(stage, vs.slice(0, 120))
    await stage.stop()
    await expect(stage.score('t1', vs.slice(120, 121))).rejects.toThrow(/stopped/)
    await stores.close()
    expect(events.some((e) => e.type === 'checkpointed' && e.records === 1)).toBe(true)

    stores = await openDuckDbStores({ dataDir: dir })
    stage = new AnomalyWorkerStage(stores.detectorState, assetInfo, OPTS, (e) => events.push(e))
    try {
      expect((await stage.latest('t1', 'pump'))?.ts).toBe(vs[119]!.ts)
      const second = await run(stage, vs.slice(120))
      expect(events.some((e) => e.type === 'restored')).toBe(true)
      expect(second[0]!.details?.warmingUp).toBe(false)
      expect(plain([...first, ...second])).toEqual(plain(straight))
    } finally {
      await stage.stop()
      await stores.close()
    }
  })

  it('replaces a worker that dies: what was in flight fails, the next vectors are scored from the last checkpoint', async () => {
    const vs = vectors(120, 9)
    const stores = await openDuckDbStores({ dataDir: ':memory:' })
    const events: AnomalyStageEvent[] = []
    let release: () => void = () => undefined
    const gate = new Promise<void>((r) => (release = r))
    // pump2's look-up waits for the gate: a request naming it is certainly in flight when the worker dies.
    const gated = async (t: string, id: string): Promise<AnomalyAssetInfo | null> => {
      if (id === 'pump2') await gate
      return assetInfo(t, id)
    }
    const stage = new AnomalyWorkerStage(stores.detectorState, gated, OPTS, (e) => events.push(e))
    try {
      await run(stage, vs.slice(0, 60))
      await stage.checkpoint()
      const inFlight = stage.score('t1', [vs[60]!, ...vectors(1, 2, undefined, 'pump2')])
      await (stage as unknown as { worker: Worker }).worker.terminate()
      await expect(inFlight).rejects.toThrow(/exited/)
      release()
      expect(events.filter((e) => e.type === 'worker_failed')).toHaveLength(1)
      const after = await run(stage, vs.slice(61))
      expect(after).toHaveLength(2 * 59)
      // Restored from the checkpoint at vector 60, not a new probation (30 vectors).
      expect(events.some((e) => e.type === 'restored' && e.assetId === 'pump')).toBe(true)
      expect(after[0]!.details?.warmingUp).toBe(false)
      expect(stage.stats().scored).toBe(60 + 59)
    } finally {
      await stage.stop()
      await stores.close()
    }
  })

  it('passes the failures of the host’s look-ups back to the caller, and keeps scoring', async () => {
    const stores = await openDuckDbStores({ dataDir: ':memory:' })
    let broken = true
    const stage = new AnomalyWorkerStage(stores.detectorState, async (t, id) => {
      if (broken) throw new Error('metadata store unreachable')
      return assetInfo(t, id)
    }, OPTS)
    try {
      await expect(stage.score('t1', vectors(1, 1))).rejects.toThrow('metadata store unreachable')
      broken = false
      expect(await stage.score('t1', vectors(1, 1))).toHaveLength(2)
    } finally {
      await stage.stop()
      await stores.close()
    }
  })
})

describe('BufferPool', () => {
  it('hands back a buffer given to it, the smallest that fits, and keeps at most its bound', () => {
    const pool = new BufferPool(2, 2 ** 20)
    const a = pool.take(5000)
    expect(a.byteLength).toBe(8192)
    expect(pool.take(1).byteLength).toBe(4096)
    const big = pool.take(1 << 20)
    pool.give(a)
    pool.give(big)
    expect(pool.take(6000)).toBe(a)
    expect(pool.take(6000)).toBe(big)
    expect(pool.take(6000)).not.toBe(a)
    pool.give(a)
    pool.give(big)
    pool.give(new ArrayBuffer(4096))
    // Past the bound the smallest goes: the two larger stay.
    expect(pool.size).toBe(2)
    expect(pool.take(1)).toBe(a)
    expect(pool.take(1)).toBe(big)
    expect(pool.size).toBe(0)
    // A buffer past the largest it holds is let go at once.
    pool.give(new ArrayBuffer(2 ** 21))
    expect(pool.size).toBe(0)
  })
})
