/**
 * Prognostic histories survive a restart: the prognostics stage keeps each asset's window in
 * memory, and a new process reads it back from the stored readings when it first meets the asset
 * (prognostics.history.ts). A turbofan, a li-ion pack and a meter stream until their models
 * answer; the platform closes, a new one opens on the same DuckDB file, and after ONE new report
 * of each asset every model answers again, from a whole history — without the read-back the pack
 * would need 20 more cycles and the meter 35 more days.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { batteryAdapter, TURBOFAN_BASELINE_KEEP_CYCLES, TURBOFAN_RECENT_KEEP_CYCLES, turbofanAdapter, type ServingAdapter } from '../../src/pipeline/prognostics.adapters.js'
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js'
import { FLEET_TICKS, prognosticFleet, streamFleet, trainSmallPrognosticModels } from '../helpers/prognostics.fleet.js'

const ENV = { PROGNOS_FEATURES: 'false' }
const MODELS = 3

/** Waits until the new process serves all three windowed models (the router loads them in the background). */
async function served(t: TestPlatform): Promise<void> {
  const deadline = Date.now() + 30_000
  while (t.platform.router.served('default').length < MODELS) {
    if (Date.now() > deadline) throw new Error(`models not served after restart: ${JSON.stringify(t.platform.router.served('default').map((s) => s.model))}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('prognostic histories across a restart', () => {
  let t: TestPlatform | undefined
  beforeAll(async () => {
    t = await startTestPlatform(ENV)
  })
  afterAll(async () => {
    await t?.close()
  })

  it('answers for every asset type on its first report after a restart, from the stored history', async () => {
    let p = t!.platform
    await trainSmallPrognosticModels(p)
    const fleet = await prognosticFleet(p)
    const { t0, sims, emitted, meter } = fleet
    const ticks = FLEET_TICKS
    await streamFleet(p, fleet, 0, ticks)

    const latest = async (assetId: string, kind: string) => (await t!.platform.stores.predictions.latest('default', assetId)).find((x) => x.source === 'prognostics' && x.kind === kind)
    const before = { rul: await latest('tf-1', 'rul_cycles'), soh: await latest('pack-1', 'soh'), forecast: await latest('meter-1', 'forecast') }
    for (const [k, v] of Object.entries(before)) expect(v, `${k} before the restart`).toBeDefined()

    // A new process on the same DuckDB file.
    await t!.close({ keepData: true })
    const dir = t!.dataDir
    t = undefined
    t = await startTestPlatform(ENV, dir)
    p = t.platform
    await served(t)
    expect(p.prognostics.stats().assets).toBe(0)

    // One new report of each asset.
    await streamFleet(p, fleet, ticks, ticks + 1)
    const lastTs = t0 + ticks * 1000
    const after = { rul: await latest('tf-1', 'rul_cycles'), soh: await latest('pack-1', 'soh'), forecast: await latest('meter-1', 'forecast') }
    for (const [k, v] of Object.entries(after)) {
      expect(v, `${k} after the restart`).toBeDefined()
      expect(v!.ts, `${k} answered for the new report`).toBe(lastTs)
    }

    // From whole histories: the engine's baseline and window, 20+ pack cycles, 35 days of meter hours.
    const stats = p.prognostics.stats()
    expect(stats.assets).toBe(3)
    expect(stats.historyNumbers).toBeGreaterThan((TURBOFAN_BASELINE_KEEP_CYCLES + TURBOFAN_RECENT_KEEP_CYCLES) * 25 + 20 + 35 * 24)
    // The same answers as a process that never stopped: each asset's reports replayed through its
    // adapter, as the stage would have kept them, and the served model run on that history.
    expect((after.rul!.details as { cycle: number }).cycle).toBe((before.rul!.details as { cycle: number }).cycle + 1)
    for (const [adapter, assetId, model, output, got] of [
      [turbofanAdapter, 'tf-1', 'turbofan-rul', 'rulCycles', after.rul!.value],
      [batteryAdapter, 'pack-1', 'liion-soh', 'soh', after.soh!.value],
    ] as const) {
      const asset = { channels: new Set(sims.find((x) => x.sim.asset.id === assetId)!.sim.asset.channels.map((c) => c.name)), metadata: {} }
      const state = (adapter as ServingAdapter).create(asset)
      for (const r of emitted.filter((x) => x.asset === assetId)) (adapter as ServingAdapter).push(state, { ts: r.ts, values: r.values })
      const [ref] = await p.router.predict('default', model, [{ assetId, ts: lastTs, features: {}, input: (adapter as ServingAdapter).input(state) }], { record: false })
      expect(got, `${assetId} after the restart`).toBeCloseTo(ref!.outputs[output]!, 9)
    }
    const fc = after.forecast!.details as { mean: number[] }
    expect(fc.mean).toHaveLength(24)
    const peakKw = meter.asset.metadata.peakKw as number
    expect(Math.max(...fc.mean)).toBeGreaterThan(0.1 * peakKw)
    expect(Math.max(...fc.mean)).toBeLessThan(2 * peakKw)
  }, 300_000)
})
