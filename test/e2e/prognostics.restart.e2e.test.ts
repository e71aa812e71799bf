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
import type { TrainingSpec } from '../../src/registry/experiments.service.js'
import { EnergyMeterSim } from '../../src/sim/energy.sim.js'
import { LiIonPackSim } from '../../src/sim/liion.sim.js'
import { DEMO_SITES } from '../../src/sim/sites.data.js'
import type { SimAsset, Ticking, WideRecord } from '../../src/sim/sim.types.js'
import { TurbofanSim } from '../../src/sim/turbofan.sim.js'
import { sharedData } from '../helpers/data.js'
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js'

const DATA = sharedData('.').replace(/\/$/, '')
const SPECS: TrainingSpec[] = [
  {
    model: 'turbofan-rul',
    family: 'cmapss-rul-tcn',
    params: { members: 1, epochs: 3 },
    data: { format: 'cmapss', train: `${DATA}/cmapss/train_FD001.txt.gz` } as TrainingSpec['data'],
  },
  { model: 'liion-soh', family: 'battery-capacity-fade', data: { format: 'nasa-battery', csv: `${DATA}/battery_nasa/nasa_pcoe_capacity_B0005_B0006_B0007_B0018.csv` } },
  {
    model: 'meter-load-forecast',
    family: 'load-forecast-mlp',
    params: { members: 1, epochs: 1, scaleFrom: 'history' },
    data: { format: 'hourly-load', csv: `${DATA}/household_power/household_power_consumption_hourly.csv`, column: 'Global_active_power', holdoutDays: 2 },
  },
]
const ENV = { PROGNOS_FEATURES: 'false' }

/** Waits until the new process serves all three windowed models (the router loads them in the background). */
async function served(t: TestPlatform): Promise<void> {
  const deadline = Date.now() + 30_000
  while (t.platform.router.served('default').length < SPECS.length) {
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
    for (const spec of SPECS) expect((await p.experiments.train('default', spec, { actor: 'test', promote: true })).promoted).toBe(true)

    // 1 s ticks. The meter runs 3600× the wall clock (one tick, one hour: 35 days in 840 ticks);
    // the engine starts at tick 700 with a 250-cycle life, so it is well into it at the restart;
    // the pack (a cycle in about 3.7 ticks) joins at tick 600.
    const ticks = 900
    const t0 = Date.now() - (ticks + 10) * 1000
    const site = DEMO_SITES[0]!
    const tf = new TurbofanSim({ id: 'tf-1', siteId: site.id, seed: 11, firstTs: t0 + 700_000, cycleMs: 1000, lifeCycles: 250 })
    const pack = new LiIonPackSim({ id: 'pack-1', siteId: site.id, seed: 12, startTs: t0 + 600_000, timeScale: 3600, startCycle: 10 })
    const meter = new EnergyMeterSim({ id: 'meter-1', siteId: site.id, seed: 13, startTs: t0, timeScale: 3600, utcOffsetMinutes: site.utcOffsetMinutes, climate: site.climate })
    const sims: { sim: Ticking & { asset: SimAsset }; from: number }[] = [
      { sim: tf, from: 700 },
      { sim: pack, from: 600 },
      { sim: meter, from: 0 },
    ]
    const tm = p.stores.meta.tenant('default')
    await tm.createSite({ id: site.id, name: site.name, latitude: site.latitude, longitude: site.longitude, timezone: site.timezone })
    for (const { sim } of sims) {
      await tm.createAsset({ id: sim.asset.id, siteId: sim.asset.siteId, parentId: null, type: sim.asset.type, name: sim.asset.name, metadata: sim.asset.metadata })
      await tm.ensureChannels(sim.asset.id, sim.asset.channels)
    }
    p.catalog.invalidate('default')
    const emitted: WideRecord[] = []
    const tick = async (i: number): Promise<void> => {
      const out: WideRecord[] = []
      for (const { sim, from } of sims) if (i >= from) sim.tick(t0 + i * 1000, out)
      emitted.push(...out)
      const r = await t!.platform.ingest.ingest('default', out)
      expect(r.refused).toEqual([])
    }
    for (let i = 0; i < ticks; i++) {
      await tick(i)
      if (i % 50 === 0) await p.bus.drain()
    }
    await p.bus.drain()

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
    await tick(ticks)
    await p.bus.drain()
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
