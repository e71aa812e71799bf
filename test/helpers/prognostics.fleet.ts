/**
 * A small prognostic fleet for tests: the three windowed families trained small on the shared data
 * sets (through the registry, promoted), and a turbofan, a li-ion pack and a building meter that
 * stream through ingest until every model has answered.
 *
 * Timing, at one tick a second: the meter runs 3600× the wall clock (one tick, one hour: its
 * forecaster's 35 days in 840 ticks); the pack (a cycle in about 3.7 ticks) joins at tick 600; the
 * engine (a 250-cycle life, a cycle a tick) at tick 700, so by tick 900 it is well into its life.
 */
import type { Platform } from '../../src/main.js'
import type { TrainingSpec } from '../../src/registry/experiments.service.js'
import { EnergyMeterSim } from '../../src/sim/energy.sim.js'
import { LiIonPackSim } from '../../src/sim/liion.sim.js'
import { DEMO_SITES } from '../../src/sim/sites.data.js'
import type { SimAsset, Ticking, WideRecord } from '../../src/sim/sim.types.js'
import { TurbofanSim } from '../../src/sim/turbofan.sim.js'
import { sharedData } from './data.js'

/** Ticks after which every asset has a prediction. */
export const FLEET_TICKS = 900

export function smallPrognosticSpecs(): TrainingSpec[] {
  const data = sharedData('.').replace(/\/$/, '')
  return [
    { model: 'turbofan-rul', family: 'cmapss-rul-tcn', params: { members: 1, epochs: 3 }, data: { format: 'cmapss', train: `${data}/cmapss/train_FD001.txt.gz` } as TrainingSpec['data'] },
    { model: 'liion-soh', family: 'battery-capacity-fade', data: { format: 'nasa-battery', csv: `${data}/battery_nasa/nasa_pcoe_capacity_B0005_B0006_B0007_B0018.csv` } },
    {
      model: 'meter-load-forecast',
      family: 'load-forecast-mlp',
      params: { members: 1, epochs: 1, scaleFrom: 'history' },
      data: { format: 'hourly-load', csv: `${data}/household_power/household_power_consumption_hourly.csv`, column: 'Global_active_power', holdoutDays: 2 },
    },
  ]
}

/** Trains, registers and promotes the small versions; returns their version numbers by model. */
export async function trainSmallPrognosticModels(p: Platform): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const spec of smallPrognosticSpecs()) {
    const r = await p.experiments.train('default', spec, { actor: 'test', promote: true })
    if (!r.promoted) throw new Error(`${spec.model} was not promoted`)
    out[spec.model] = r.version
  }
  return out
}

export interface PrognosticFleet {
  t0: number
  tf: TurbofanSim
  pack: LiIonPackSim
  meter: EnergyMeterSim
  sims: { sim: Ticking & { asset: SimAsset }; from: number }[]
  /** Every record streamed so far, in order. */
  emitted: WideRecord[]
  /** Streams tick i (wall time t0 + i s) through ingest. */
  tick(p: Platform, i: number): Promise<void>
}

/** Creates the site and the three assets (ids tf-1, pack-1, meter-1); tick 0 is `ticks + 10` s ago. */
export async function prognosticFleet(p: Platform, ticks = FLEET_TICKS): Promise<PrognosticFleet> {
  const t0 = Date.now() - (ticks + 10) * 1000
  const site = DEMO_SITES[0]!
  const tf = new TurbofanSim({ id: 'tf-1', siteId: site.id, seed: 11, firstTs: t0 + 700_000, cycleMs: 1000, lifeCycles: 250 })
  const pack = new LiIonPackSim({ id: 'pack-1', siteId: site.id, seed: 12, startTs: t0 + 600_000, timeScale: 3600, startCycle: 10 })
  const meter = new EnergyMeterSim({ id: 'meter-1', siteId: site.id, seed: 13, startTs: t0, timeScale: 3600, utcOffsetMinutes: site.utcOffsetMinutes, climate: site.climate })
  const sims = [
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
  return {
    t0,
    tf,
    pack,
    meter,
    sims,
    emitted,
    async tick(platform, i) {
      const out: WideRecord[] = []
      for (const { sim, from } of sims) if (i >= from) sim.tick(t0 + i * 1000, out)
      emitted.push(...out)
      const r = await platform.ingest.ingest('default', out)
      if (r.refused.length > 0) throw new Error(`ingest refused: ${JSON.stringify(r.refused.slice(0, 3))}`)
    },
  }
}

/** Streams ticks [from, to) and waits for the pipeline to settle. */
export async function streamFleet(p: Platform, fleet: PrognosticFleet, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) {
    await fleet.tick(p, i)
    if (i % 50 === 0) await p.bus.drain()
  }
  await p.bus.drain()
}
