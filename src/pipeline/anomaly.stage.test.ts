import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { openDuckDbStores } from '../store/duckdb/open.js'
import type { DetectorStateStore, Stores } from '../store/ports.js'
import { AnomalyStage, CHECKPOINT_SLICES, DETAILS_HEARTBEAT, type AnomalyAssetInfo, type AnomalyStageEvent } from './anomaly.stage.js'
import { assetInfo, INFO, OPTS, plain, run, vectors } from './anomaly.testing.js'
import type { Prediction } from './bus.js'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'prognos-anomaly-stage-'))
  dirs.push(d)
  return d
}

describe('anomaly stage', () => {
  it('publishes an anomaly score naming the channel that drove it, and the health index, per vector', async () => {
    const stores = await openDuckDbStores({ dataDir: ':memory:' })
    try {
      const stage = new AnomalyStage(stores.detectorState, assetInfo, OPTS)
      const preds = await run(stage, vectors(300, 1, { from: 250, add: 15 }))
      expect(preds).toHaveLength(600)
      const scores = preds.filter((p) => p.kind === 'anomaly_score')
      const health = preds.filter((p) => p.kind === 'health')
      expect(scores).toHaveLength(300)
      expect(health).toHaveLength(300)
      // Probation first, declared.
      expect(scores.slice(0, 30).every((p) => p.details?.warmingUp === true)).toBe(true)
      expect(scores.slice(200, 250).filter((p) => p.details?.alarm === true)).toHaveLength(0)
      const hit = scores.slice(250).find((p) => p.details?.alarm === true)
      expect(hit).toBeDefined()
      expect(Object.keys(hit!.details!.contributions as Record<string, number>)[0]).toBe('temp')
      // Every prediction carries its details on the bus; the store is told which repeat the last full ones.
      expect(preds.every((p) => p.details !== undefined)).toBe(true)
      expect(hit!.detailsRepeat).toBeUndefined()
      expect(scores[0]!.detailsRepeat).toBeUndefined()
      const full = scores.map((p, i) => (p.detailsRepeat === true ? -1 : i)).filter((i) => i >= 0)
      expect(full.length).toBeLessThan(scores.length / 3)
      for (let k = 1; k < full.length; k++) expect(full[k]! - full[k - 1]!).toBeLessThanOrEqual(DETAILS_HEARTBEAT)
      expect(scores.length - 1 - full[full.length - 1]!).toBeLessThan(DETAILS_HEARTBEAT)
      expect(health.map((p) => p.detailsRepeat)).toEqual(scores.map((p) => p.detailsRepeat))
      expect(health[299]!.value).toBeLessThan(0.7)
      expect(health[299]!.details?.limiting).toBe('anomaly')
      expect(health[200]!.details?.status).toBe('ok')
      // A repeat carries the very details last told in full.
      for (let i = 1; i < scores.length; i++) {
        const told = full.filter((k) => k <= i).pop()!
        expect(scores[i]!.details).toBe(scores[told]!.details)
        expect(health[i]!.details).toBe(health[told]!.details)
      }
      const latest = await stage.latest('t1', 'pump')
      expect(latest?.ts).toBe(scores[299]!.ts)
      expect(Object.keys(latest!.anomaly.contributions)[0]).toBe('temp')
    } finally {
      await stores.close()
    }
  })

  it('spreads the details heartbeat over the hops, so a fleet that started together does not tell every asset at once', async () => {
    const stores = await openDuckDbStores({ dataDir: ':memory:' })
    try {
      const fleet = 60
      const info = async (t: string, id: string): Promise<AnomalyAssetInfo | null> => (id.startsWith('pump-') ? assetInfo(t, 'pump') : null)
      const stage = new AnomalyStage(stores.detectorState, info, OPTS)
      const series = Array.from({ length: fleet }, (_, a) => vectors(4 * DETAILS_HEARTBEAT, a + 1, undefined, `pump-${a}`))
      const told: number[] = []
      for (let i = 0; i < 4 * DETAILS_HEARTBEAT; i++) {
        const preds = await stage.score('t1', series.map((s) => s[i]!))
        told.push(preds.filter((p) => p.kind === 'anomaly_score' && p.detailsRepeat !== true).length)
      }
      // Every asset tells at its first vector and when leaving probation (the same vector for all); the heartbeats in between and after are spread.
      expect(told[0]).toBe(fleet)
      const crowded = told.map((n, i) => [n, i] as const).filter(([n]) => n > (2 * fleet) / DETAILS_HEARTBEAT)
      expect(crowded.length, `hops where many assets told in full: ${JSON.stringify(crowded)}`).toBeLessThanOrEqual(3)
      // Still at least one full telling per asset per heartbeat: 4 cycles, 60 assets.
      expect(told.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(4 * fleet)
    } finally {
      await stores.close()
    }
  })

  it('limits health by the margin of the channels with a range: own limits and the battery defaults, not channels without one', async () => {
    const stores = await openDuckDbStores({ dataDir: ':memory:' })
    try {
      const stage = new AnomalyStage(stores.detectorState, assetInfo, OPTS)
      // A cell at 2.49 V (default 1.8–2.5 V: 0.01 V from the top, a margin of 0.5 + 5·0.01/0.35) and 30 °C (5–50 °C: well inside).
      const v: Record<string, number> = {}
      for (const [ch, x] of [
        ['voltage', 2.49],
        ['temperature', 30],
        ['current', 1e6],
      ] as const) {
        v[`${ch}.w60.mean`] = x
        v[`${ch}.w60.count`] = 60
      }
      const [score, health] = await stage.score('t1', [{ assetId: 'cell', ts: 1_767_571_200_000, vector: v }])
      expect(score!.value).toBe(0)
      expect(health!.value).toBeCloseTo(0.5 + (5 * 0.01) / 0.35, 9)
      expect(health!.details).toMatchObject({ limiting: 'margin', channels: ['voltage'], status: 'warning' })
      // The pump's own range (5–80 °C) counts; its vib has none.
      const [, pumpHealth] = await stage.score('t1', [{ ...vectors(1, 3)[0]!, vector: { ...vectors(1, 3)[0]!.vector, 'temp.w10.mean': 85, 'vib.w10.mean': 1e6 } }])
      expect(pumpHealth!.details).toMatchObject({ limiting: 'margin', channels: ['temp'], status: 'critical' })
    } finally {
      await stores.close()
    }
  })

  it('lets the event loop go during a long message, and scores it in order all the same', async () => {
    const stores = await openDuckDbStores({ dataDir: ':memory:' })
    try {
      const stage = new AnomalyStage(stores.detectorState, assetInfo, OPTS)
      const vs = vectors(3000, 11)
      // The first vector loads the asset (store reads, which let the loop go anyway); the rest find it in memory.
      const out = await stage.score('t1', vs.slice(0, 1))
      // Scoring 2,999 vectors takes well over SCORE_SLICE_MS: a callback queued before must run before the call ends.
      let finished = false
      let turnWhileScoring = false
      setImmediate(() => (turnWhileScoring = !finished))
      out.push(...(await stage.score('t1', vs.slice(1))))
      finished = true
      expect(turnWhileScoring).toBe(true)
      expect(out).toHaveLength(6000)
      expect(out.filter((p) => p.kind === 'anomaly_score').map((p) => p.ts)).toEqual(vs.map((v) => v.ts))
      // The same as one vector at a time.
      const one = new AnomalyStage(stores.detectorState, assetInfo, OPTS)
      const each: Prediction[] = []
      for (const v of vs) each.push(...(await one.score('t2', [v])))
      expect(plain(out)).toEqual(plain(each))
    } finally {
      await stores.close()
    }
  })

  it('ignores vectors of assets it cannot find (deleted meanwhile)', async () => {
    const stores = await openDuckDbStores({ dataDir: ':memory:' })
    try {
      const stage = new AnomalyStage(stores.detectorState, assetInfo, OPTS)
      expect(await stage.score('t1', [{ assetId: 'gone', ts: 1, vector: { 'x.w10.mean': 1 } }])).toEqual([])
    } finally {
      await stores.close()
    }
  })

  it('resumes learning after a restart: the same predictions as a process that never stopped', async () => {
    const vs = vectors(200, 7, { from: 170, add: 8 })
    const straightStores = await openDuckDbStores({ dataDir: ':memory:' })
    const straight = await run(new AnomalyStage(straightStores.detectorState, assetInfo, OPTS), vs)
    await straightStores.close()

    const dir = tempDir()
    let stores: Stores = await openDuckDbStores({ dataDir: dir })
    const events: AnomalyStageEvent[] = []
    let stage = new AnomalyStage(stores.detectorState, assetInfo, OPTS, (e) => events.push(e))
    const first = await run(stage, vs.slice(0, 120))
    await stage.stop()
    await stores.close()
    expect(events.some((e) => e.type === 'checkpointed' && e.records === 1)).toBe(true)

    stores = await openDuckDbStores({ dataDir: dir })
    stage = new AnomalyStage(stores.detectorState, assetInfo, OPTS, (e) => events.push(e))
    // Before any new vector, the API still answers from the checkpoint.
    expect((await stage.latest('t1', 'pump'))?.ts).toBe(vs[119]!.ts)
    expect((await stage.fleet('t1')).map((h) => h.assetId)).toEqual(['pump'])
    const second = await run(stage, vs.slice(120))
    await stores.close()
    expect(events.some((e) => e.type === 'restored')).toBe(true)
    // Not a new probation: the first vector after the restart is scored, and everything matches the uninterrupted run.
    expect(second[0]!.details?.warmingUp).toBe(false)
    expect(plain([...first, ...second])).toEqual(plain(straight))
  })

  it('checkpoints periodically on its timer and only what changed', async () => {
    const stores = await openDuckDbStores({ dataDir: ':memory:' })
    try {
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
      const events: AnomalyStageEvent[] = []
      const checkpoints = (): number => events.filter((e) => e.type === 'checkpointed').length
      const settle = (): Promise<void> => new Promise((r) => setImmediate(r))
      const stage = new AnomalyStage(stores.detectorState, assetInfo, { ...OPTS, checkpointIntervalMs: 60_000 }, (e) => events.push(e))
      stage.start()
      await run(stage, vectors(5, 3))
      vi.advanceTimersByTime(59_999)
      await settle()
      expect(checkpoints()).toBe(0)
      vi.advanceTimersByTime(1)
      await vi.waitFor(() => expect(checkpoints()).toBe(1))
      // Nothing scored since: the next tick writes nothing.
      vi.advanceTimersByTime(60_000)
      await settle()
      await settle()
      expect(checkpoints()).toBe(1)
      await run(stage, vectors(1, 4))
      await stage.stop()
      vi.useRealTimers()
      expect(checkpoints()).toBe(2)
      expect(await stores.detectorState.load('t1', 'pump', 'anomaly')).not.toBeNull()
    } finally {
      await stores.close()
    }
  })

  it('spreads the periodic checkpoint over its interval: each tick writes one slice of the assets, each asset once per interval', async () => {
    const stores = await openDuckDbStores({ dataDir: ':memory:' })
    try {
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
      const events: AnomalyStageEvent[] = []
      const written = (): number[] => events.flatMap((e) => (e.type === 'checkpointed' ? [e.records] : []))
      const fleet = Array.from({ length: 2 * CHECKPOINT_SLICES }, (_, i) => `m${i}`)
      const stage = new AnomalyStage(stores.detectorState, async () => INFO.pump!, { ...OPTS, checkpointIntervalMs: 60_000 }, (e) => events.push(e))
      stage.start()
      for (const id of fleet) await run(stage, vectors(3, 5, undefined, id))
      const tick = 60_000 / CHECKPOINT_SLICES
      for (let t = 1; t <= CHECKPOINT_SLICES; t++) {
        vi.advanceTimersByTime(tick)
        await vi.waitFor(() => expect(written()).toHaveLength(t))
        // Two assets a tick, never the whole fleet at once.
        expect(written()[t - 1]).toBe(2)
      }
      const rows = await Promise.all(fleet.map((id) => stores.detectorState.load('t1', id, 'anomaly')))
      expect(rows.every((r) => r !== null)).toBe(true)
      await stage.stop()
      vi.useRealTimers()
      // Nothing scored since each was written: the last checkpoint has nothing left to write.
      expect(written()).toHaveLength(CHECKPOINT_SLICES)
    } finally {
      vi.useRealTimers()
      await stores.close()
    }
  })

  it('reads no checkpoint for a new asset: one summaries read per tenant tells which assets have one', async () => {
    const stores = await openDuckDbStores({ dataDir: ':memory:' })
    try {
      const real = stores.detectorState
      const calls = { load: 0, summaries: 0 }
      const counted = { ...real, save: real.save.bind(real), delete: real.delete.bind(real), load: (...a: Parameters<typeof real.load>) => (calls.load++, real.load(...a)), summaries: (...a: Parameters<typeof real.summaries>) => (calls.summaries++, real.summaries(...a)) }
      const first = new AnomalyStage(counted, assetInfo, OPTS)
      await run(first, vectors(5, 21))
      await run(first, vectors(5, 22, undefined, 'pump2'))
      expect(calls).toEqual({ load: 0, summaries: 1 })
      // Written by a checkpoint: a later stage (a restart) reads it back.
      await first.stop()
      const restored: string[] = []
      const second = new AnomalyStage(counted, assetInfo, OPTS, (e) => void (e.type === 'restored' && restored.push(e.assetId)))
      await run(second, vectors(1, 23))
      await run(second, vectors(1, 24, undefined, 'cell'))
      expect(restored).toEqual(['pump'])
      expect(calls).toEqual({ load: 1, summaries: 2 })
    } finally {
      await stores.close()
    }
  })

  it('holds at most maxAssets ensembles: evicted ones are reloaded and score exactly as if never evicted', async () => {
    // Two assets interleaved, room for one: every vector evicts the other asset.
    const a = vectors(150, 11, { from: 120, add: 12 }, 'pump')
    const b = vectors(150, 12, undefined, 'pump2')
    const both = a.flatMap((v, i) => [v, b[i]!])
    const refStores = await openDuckDbStores({ dataDir: ':memory:' })
    const reference = await run(new AnomalyStage(refStores.detectorState, assetInfo, OPTS), both)
    await refStores.close()

    const stores = await openDuckDbStores({ dataDir: ':memory:' })
    try {
      const events: AnomalyStageEvent[] = []
      // Every write names each asset once (an evicted asset scored again is both pending and live).
      const saved: string[][] = []
      const store: DetectorStateStore = { ...stores.detectorState, save: (rs) => (saved.push(rs.map((r) => r.assetId)), stores.detectorState.save(rs)) }
      const stage = new AnomalyStage(store, assetInfo, { ...OPTS, maxAssets: 1 }, (e) => events.push(e))
      const capped: Prediction[] = []
      for (const v of both) {
        capped.push(...(await stage.score('t1', [v])))
        expect(stage.stats().assets).toBeLessThanOrEqual(1)
      }
      expect(plain(capped)).toEqual(plain(reference))
      expect(stage.stats().evicted).toBeGreaterThan(200)
      expect(events.some((e) => e.type === 'evicted' && e.reason === 'cap')).toBe(true)
      // The evicted asset's latest verdict is still served, and written by the next checkpoint.
      expect((await stage.latest('t1', 'pump'))?.ts).toBe(a[149]!.ts)
      await stage.stop()
      expect(stage.stats().pending).toBe(0)
      expect(saved.length).toBeGreaterThan(0)
      for (const ids of saved) expect(new Set(ids).size).toBe(ids.length)
      expect(await stores.detectorState.load('t1', 'pump', 'anomaly')).not.toBeNull()
      expect(await stores.detectorState.load('t1', 'pump2', 'anomaly')).not.toBeNull()
    } finally {
      await stores.close()
    }
  })

  it('evicts assets idle for idleEvictMs at a checkpoint and resumes them from the store on their next vector', async () => {
    const vs = vectors(160, 13, { from: 140, add: 10 })
    const refStores = await openDuckDbStores({ dataDir: ':memory:' })
    const reference = await run(new AnomalyStage(refStores.detectorState, assetInfo, OPTS), vs)
    await refStores.close()

    const stores = await openDuckDbStores({ dataDir: ':memory:' })
    try {
      let now = 1_000_000
      const events: AnomalyStageEvent[] = []
      const stage = new AnomalyStage(stores.detectorState, assetInfo, { ...OPTS, idleEvictMs: 60_000 }, (e) => events.push(e), () => now)
      const first = await run(stage, vs.slice(0, 100))
      now += 59_999
      await stage.checkpoint()
      expect(stage.stats().assets).toBe(1)
      now += 1
      await stage.checkpoint()
      expect(stage.stats()).toMatchObject({ assets: 0, pending: 0 })
      expect(events.some((e) => e.type === 'evicted' && e.reason === 'idle' && e.assets === 1)).toBe(true)
      const second = await run(stage, vs.slice(100))
      expect(events.some((e) => e.type === 'restored')).toBe(true)
      expect(plain([...first, ...second])).toEqual(plain(reference))
    } finally {
      await stores.close()
    }
  })

  it('writes a checkpoint in batches bounded by the characters of their states, each asset once', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `p${i}`)
    const info = async (_t: string, id: string): Promise<AnomalyAssetInfo | null> => (ids.includes(id) ? INFO.pump! : null)
    const stores = await openDuckDbStores({ dataDir: ':memory:' })
    try {
      const batches: { ids: string[]; chars: number[] }[] = []
      const store: DetectorStateStore = {
        ...stores.detectorState,
        save: (rs) => (batches.push({ ids: rs.map((r) => r.assetId), chars: rs.map((r) => r.state.length + r.summary.length) }), stores.detectorState.save(rs)),
      }
      // Found first with an unbounded write: the size of one asset's record.
      const probe = new AnomalyStage(store, info, OPTS)
      await run(probe, vectors(5, 21, undefined, 'p0'))
      await probe.checkpoint()
      const one = batches[0]!.chars[0]!
      batches.length = 0
      const limit = Math.round(2.5 * one)
      const stage = new AnomalyStage(store, info, { ...OPTS, checkpointBatchChars: limit })
      for (const [k, id] of ids.entries()) await run(stage, vectors(5, 30 + k, undefined, id))
      await stage.checkpoint()
      expect(batches.flatMap((b) => b.ids).sort()).toEqual([...ids].sort())
      expect(batches.length).toBeGreaterThanOrEqual(4)
      for (const b of batches) {
        // A batch ends at the first record that takes it past the limit.
        const before = b.chars.slice(0, -1).reduce((x, y) => x + y, 0)
        expect(before).toBeLessThan(limit)
        expect(b.ids.length).toBeLessThanOrEqual(3)
      }
      for (const id of ids) expect(await stores.detectorState.load('t1', id, 'anomaly')).not.toBeNull()
    } finally {
      await stores.close()
    }
  })
})
