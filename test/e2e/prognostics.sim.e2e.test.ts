/**
 * Prognostic models in the pipeline, end to end: versions of the three windowed families are
 * trained through `prognos train` specs on the shared data sets (small settings, to keep the test
 * short), promoted, and served; simulated assets of each type stream through ingest, and their
 * predictions are stored with the model name and version that made them. The turbofan runs to
 * the end of its life, so its remaining life in hours falls below the default RUL rule's levels
 * and the alert opens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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
    params: { members: 1, epochs: 4 },
    data: { format: 'cmapss', train: `${DATA}/cmapss/train_FD001.txt.gz`, test: `${DATA}/cmapss/test_FD001.txt.gz`, rul: `${DATA}/cmapss/RUL_FD001.txt.gz` } as TrainingSpec['data'],
  },
  { model: 'liion-soh', family: 'battery-capacity-fade', data: { format: 'nasa-battery', csv: `${DATA}/battery_nasa/nasa_pcoe_capacity_B0005_B0006_B0007_B0018.csv` } },
  {
    model: 'meter-load-forecast',
    family: 'load-forecast-mlp',
    params: { members: 1, epochs: 2, scaleFrom: 'history' },
    data: { format: 'hourly-load', csv: `${DATA}/household_power/household_power_consumption_hourly.csv`, column: 'Global_active_power', holdoutDays: 7 },
  },
]

describe('prognostic models serving the simulated fleet', () => {
  let t: TestPlatform
  beforeAll(async () => {
    t = await startTestPlatform({ PROGNOS_FEATURES: 'false' })
  })
  afterAll(async () => {
    await t?.close()
  })

  it('stores RUL, health and forecast predictions of every asset type with model and version, and RUL alerts fire', async () => {
    const p = t.platform
    const versions: Record<string, { version: number; metrics: Record<string, number> }> = {}
    for (const spec of SPECS) {
      const stages = new Set<string>()
      const r = await p.experiments.train('default', spec, { actor: 'test', promote: true, onProgress: (g) => stages.add(g.stage) })
      expect(r.promoted).toBe(true)
      expect(stages.has('fit')).toBe(true)
      versions[spec.model] = { version: r.version, metrics: r.run.metrics }
    }
    // Figures measured on held-out data are stored on the version.
    expect(versions['turbofan-rul']!.metrics.test_rmse).toBeGreaterThan(5)
    expect(versions['turbofan-rul']!.metrics.test_rmse).toBeLessThan(60)
    expect(versions['liion-soh']!.metrics.loco_mae_cycles).toBeGreaterThan(0)
    expect(versions['meter-load-forecast']!.metrics.mae_ratio).toBeGreaterThan(0)
    const stored = await p.registry.getVersion('default', 'turbofan-rul', versions['turbofan-rul']!.version)
    expect(stored.metrics.test_rmse).toBe(versions['turbofan-rul']!.metrics.test_rmse)

    // One asset of each type; the pack and meter run 3600× faster than the wall clock, so a
    // charge/discharge cycle takes seconds and 35 days of meter history under 15 minutes of records.
    const ticks = 1000
    const t0 = Date.now() - (ticks + 5) * 1000
    const site = DEMO_SITES[0]!
    const sims: (Ticking & { asset: SimAsset })[] = [
      new TurbofanSim({ id: 'tf-1', siteId: site.id, seed: 11, firstTs: t0, cycleMs: 1000, lifeCycles: 180 }),
      new LiIonPackSim({ id: 'pack-1', siteId: site.id, seed: 12, startTs: t0, timeScale: 3600, startCycle: 10 }),
      new EnergyMeterSim({ id: 'meter-1', siteId: site.id, seed: 13, startTs: t0, timeScale: 3600, utcOffsetMinutes: site.utcOffsetMinutes, climate: site.climate }),
    ]
    const tm = p.stores.meta.tenant('default')
    await tm.createSite({ id: site.id, name: site.name, latitude: site.latitude, longitude: site.longitude, timezone: site.timezone })
    for (const s of sims) {
      await tm.createAsset({ id: s.asset.id, siteId: s.asset.siteId, parentId: null, type: s.asset.type, name: s.asset.name, metadata: s.asset.metadata })
      await tm.ensureChannels(s.asset.id, s.asset.channels)
    }
    p.catalog.invalidate('default')
    for (let i = 0; i < ticks; i++) {
      const out: WideRecord[] = []
      for (const s of sims) s.tick(t0 + i * 1000, out)
      const r = await p.ingest.ingest('default', out)
      expect(r.refused).toEqual([])
      if (i % 50 === 0) await p.bus.drain()
    }
    await p.bus.drain()

    const latest = async (assetId: string) => p.stores.predictions.latest('default', assetId)
    const byKind = (preds: Awaited<ReturnType<typeof latest>>) => new Map(preds.filter((x) => x.source === 'prognostics').map((x) => [x.kind, x]))

    const tf = byKind(await latest('tf-1'))
    for (const kind of ['rul_cycles', 'rul_hours']) {
      expect(tf.get(kind), kind).toBeDefined()
      expect(tf.get(kind)!.model).toBe('turbofan-rul')
      expect(tf.get(kind)!.version).toBe(versions['turbofan-rul']!.version)
      expect(tf.get(kind)!.deployment).toBe('production')
    }
    // The demo engine flies 1.5 h a cycle.
    expect(tf.get('rul_hours')!.value).toBeCloseTo(tf.get('rul_cycles')!.value * 1.5, 6)

    const pack = byKind(await latest('pack-1'))
    expect(pack.get('soh')?.model).toBe('liion-soh')
    expect(pack.get('soh')?.version).toBe(versions['liion-soh']!.version)
    expect(pack.get('soh')!.value).toBeGreaterThan(0.6)
    expect(pack.get('soh')!.value).toBeLessThan(1.1)
    expect(pack.get('rul_cycles')?.model).toBe('liion-soh')

    const meter = byKind(await latest('meter-1'))
    const fc = meter.get('forecast')
    expect(fc?.model).toBe('meter-load-forecast')
    expect(fc?.version).toBe(versions['meter-load-forecast']!.version)
    const d = fc!.details as { mean: number[]; ts: number[]; horizonHours: number; channel: string }
    expect(d.channel).toBe('power_kw')
    expect(d.mean).toHaveLength(24)
    // Forecasts are in the meter's own unit (kW of an 80–400 kW office), not the household's.
    const peakKw = (sims[2]!.asset.metadata.peakKw as number) ?? 0
    expect(Math.max(...d.mean)).toBeGreaterThan(0.1 * peakKw)
    expect(Math.max(...d.mean)).toBeLessThan(2 * peakKw)

    // Over the engine's life its predicted RUL fell; near the end it is below the default 72 h warning.
    const hist = await p.stores.predictions.range('default', { assetId: 'tf-1', kind: 'rul_hours', from: t0, to: Date.now() + 1, limit: 10_000 })
    expect(hist.length).toBeGreaterThan(100)
    expect(Math.min(...hist.map((h) => h.value))).toBeLessThan(72)
    // The API serves the latest ones to the dashboard.
    const res = await p.app.inject({ method: 'GET', url: '/v1/assets/tf-1/predictions/latest?kind=rul_hours', headers: t.admin })
    expect(res.statusCode).toBe(200)
    expect((res.json() as { items: { model: string; version: number }[] }).items[0]).toMatchObject({ model: 'turbofan-rul', version: versions['turbofan-rul']!.version })
    // And the default RUL rule opened an alert on the engine.
    const alerts = await p.stores.alerts.listAlerts('default', { limit: 1000 })
    expect(alerts.some((a) => a.assetId === 'tf-1' && a.ruleId === 'default-rul')).toBe(true)
  }, 600_000)
})
