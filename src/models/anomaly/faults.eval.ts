/**
 * Detection of the simulators' injected faults, on simulated time (no wall-clock wait).
 *
 * A small fleet (turbofans, lead-acid strings with their cells, Li-ion packs, building
 * meters) runs healthy for `warmupMin` minutes, then one asset per fault kind gets its
 * fault, and the fleet runs `faultMin` more minutes. Readings go through the same pane
 * features as the pipeline (windows 10/30/60 s, hop 10 s) and each asset's feature vectors
 * through its `asset-ensemble`, exactly as the scoring stage does.
 *
 * Measured per fault kind:
 * - detection delay: first alarm (score ≥ `alarmScore`, not warming up) on the faulty asset
 *   or its parent at or after onset, minus onset (an alarm that began before onset and
 *   lasts into it counts from onset: it is also counted as a false alarm);
 * - the channels the first alarm named;
 * and for the fleet: false alarms, i.e. alarm episodes (a rising edge of the alarm) on
 * assets with no fault and on faulty assets before their onset, per asset-hour of
 * post-probation scoring.
 */
import { ReadingBatchBuilder } from '../../domain/readings.js'
import { featureName } from '../../features/feature-vector.js'
import { PaneEmissions, PaneFeatures } from '../../features/pane.features.js'
import { BatteryStringSim } from '../../sim/battery.sim.js'
import { EnergyMeterSim } from '../../sim/energy.sim.js'
import { LiIonPackSim } from '../../sim/liion.sim.js'
import { deriveSeed } from '../../sim/prng.js'
import { DEMO_SITES } from '../../sim/sites.data.js'
import type { FaultEvent, FaultKind, SimAsset, Ticking, WideRecord } from '../../sim/sim.types.js'
import { TurbofanSim } from '../../sim/turbofan.sim.js'
import { families } from '../families.js'
import type { Model, StreamPoint } from '../model.js'
import { paramsForAsset, type EnsembleOutput } from './asset-ensemble.model.js'
import { DEFAULT_ALARM_SCORE } from './common.js'

export interface FaultEvalOptions {
  seed?: number
  /** Healthy minutes before the faults start (default 40). */
  warmupMin?: number
  /** Minutes run after onset (default 20). */
  faultMin?: number
  alarmScore?: number
  /** Ensemble parameters (detectors, probation …) merged under each asset's own. */
  ensemble?: Record<string, unknown>
  /** Called for every false alarm as it starts (diagnostics). */
  onFalseAlarm?: (assetId: string, ts: number, out: EnsembleOutput, vector: Readonly<Record<string, number>>) => void
  /** Called every simulated minute with (minutes done, minutes total). */
  onProgress?: (done: number, total: number) => void
}

export interface FaultResult {
  kind: FaultKind
  assetId: string
  onsetTs: number
  detected: boolean
  /** Seconds from onset to the first alarm (null when not detected). */
  delaySec: number | null
  /** The asset the first alarm came from (the faulty one or its parent). */
  alarmAsset: string | null
  /** Channels named by the first alarm, most important first. */
  channels: string[]
  /** The detector with the highest score at the first alarm. */
  detector: string | null
  /** Highest score of each detector on the faulty asset after onset (diagnostics). */
  maxScores: Record<string, number>
}

export interface FaultEvalReport {
  faults: FaultResult[]
  falseAlarms: number
  /** Asset-hours scored out of probation on healthy assets and before onset on faulty ones. */
  healthyAssetHours: number
  falseAlarmsPerAssetHour: number
  /** False alarm episodes per asset type, and per `type/detector/channel` (the detector scoring highest at their start and its top channel). */
  falseAlarmsByType: Record<string, number>
  falseAlarmsBySource: Record<string, number>
  assets: number
  vectors: number
  simulatedMinutes: number
}

const HOP_SEC = 10
const WINDOWS_SEC = [10, 30, 60]

/** The evaluation fleet: which faults go where. */
function buildFleet(seed: number, startTs: number, onsetTs: number): { sims: Ticking[]; assets: SimAsset[]; faults: FaultEvent[] } {
  const sims: Ticking[] = []
  const assets: SimAsset[] = []
  const faults: FaultEvent[] = []
  const site = (i: number): (typeof DEMO_SITES)[number] => DEMO_SITES[i % DEMO_SITES.length]!
  for (let i = 0; i < 4; i++) {
    const id = `tf-${i}`
    const fault = i === 0 ? { kind: 'degradation' as const, startTs: onsetTs } : undefined
    // A long life, so healthy engines stay in their flat early life for the whole run (one cycle per 10 s): their wear is not a fault.
    const sim = new TurbofanSim({ id, siteId: site(i).id, seed: deriveSeed(seed, id), firstTs: startTs + i * 1000, lifeCycles: 3000, startCycle: 1 + 50 * i, ...(fault ? { fault } : {}) })
    if (fault) faults.push({ assetId: id, kind: 'degradation', startTs: onsetTs })
    sims.push(sim)
    assets.push(sim.asset)
  }
  for (let i = 0; i < 3; i++) {
    const id = `bs-${i}`
    const f =
      i === 0
        ? [{ kind: 'thermal_runaway' as const, startTs: onsetTs, cell: 2 }]
        : i === 1
          ? [{ kind: 'cell_imbalance' as const, startTs: onsetTs, cell: 4 }]
          : []
    const sim = new BatteryStringSim({ id, siteId: site(i + 1).id, seed: deriveSeed(seed, id), startTs, cells: 6, faults: f })
    for (const x of f) faults.push({ assetId: sim.assets[x.cell + 1]!.id, kind: x.kind, startTs: onsetTs })
    sims.push(sim)
    assets.push(...sim.assets)
  }
  for (let i = 0; i < 2; i++) {
    const id = `li-${i}`
    const fault = i === 0 ? { kind: 'sensor_dropout' as const, startTs: onsetTs, channel: 'temperature' } : undefined
    const sim = new LiIonPackSim({ id, siteId: site(i + 2).id, seed: deriveSeed(seed, id), startTs, ...(fault ? { fault } : {}) })
    if (fault) faults.push({ assetId: id, kind: 'sensor_dropout', startTs: onsetTs })
    sims.push(sim)
    assets.push(sim.asset)
  }
  for (let i = 0; i < 4; i++) {
    const id = `em-${i}`
    const s = site(i + 3)
    const fault = i === 0 ? { kind: 'stuck_meter' as const, startTs: onsetTs } : i === 1 ? { kind: 'spikes' as const, startTs: onsetTs } : undefined
    const sim = new EnergyMeterSim({ id, siteId: s.id, seed: deriveSeed(seed, id), startTs, utcOffsetMinutes: s.utcOffsetMinutes, climate: s.climate, nominalVoltage: s.mainsVoltage, ...(fault ? { fault } : {}) })
    if (fault) faults.push({ assetId: id, kind: fault.kind, startTs: onsetTs })
    sims.push(sim)
    assets.push(sim.asset)
  }
  return { sims, assets, faults }
}

/**
 * Runs the evaluation; deterministic for a seed.
 *
 * @example
 * const r = evaluateFaults({ seed: 1 })
 * r.faults.find((f) => f.kind === 'thermal_runaway')?.delaySec
 */
export function evaluateFaults(opts: FaultEvalOptions = {}): FaultEvalReport {
  const seed = opts.seed ?? 1
  const warmupMs = (opts.warmupMin ?? 40) * 60_000
  const faultMs = (opts.faultMin ?? 20) * 60_000
  const alarmScore = opts.alarmScore ?? DEFAULT_ALARM_SCORE
  // A fixed, whole-hour start: runs are reproducible and the seasonal profiles start at midnight.
  const startTs = Date.UTC(2026, 0, 5)
  const onsetTs = startTs + warmupMs
  const endTs = onsetTs + faultMs
  const { sims, assets, faults } = buildFleet(seed, startTs, onsetTs)

  const keys = new Map<string, number>()
  const refs: { assetId: string; channel: string }[] = []
  const keyOf = (asset: string, ch: string): number => {
    const k = `${asset}\u0000${ch}`
    let key = keys.get(k)
    if (key === undefined) {
      key = refs.length
      keys.set(k, key)
      refs.push({ assetId: asset, channel: ch })
    }
    return key
  }
  const pf = new PaneFeatures({ windowsSec: WINDOWS_SEC, hopSec: HOP_SEC, maxSeries: 100_000 })
  const out = new PaneEmissions()
  const batch = new ReadingBatchBuilder()
  const models = new Map<string, Model<StreamPoint, EnsembleOutput>>()
  for (const a of assets) models.set(a.id, families.create('asset-ensemble', paramsForAsset(a, opts.ensemble ?? {})) as Model<StreamPoint, EnsembleOutput>)
  const parentOf = new Map(assets.map((a) => [a.id, a.parentId]))
  const typeOf = new Map(assets.map((a) => [a.id, a.type]))
  const faultOf = new Map(faults.map((f) => [f.assetId, f]))
  // A parent (string) of a faulty cell is affected by the fault too: its alarms after onset are not false.
  const affectedParents = new Map<string, FaultEvent>()
  for (const f of faults) {
    const p = parentOf.get(f.assetId)
    if (p) affectedParents.set(p, f)
  }
  const results = new Map<FaultEvent, FaultResult>(faults.map((f) => [f, { kind: f.kind, assetId: f.assetId, onsetTs: f.startTs, detected: false, delaySec: null, alarmAsset: null, channels: [], detector: null, maxScores: {} }]))
  const inAlarm = new Set<string>()
  let falseAlarms = 0
  const falseAlarmsByType: Record<string, number> = {}
  const falseAlarmsBySource: Record<string, number> = {}
  const topDetector = (o: EnsembleOutput): string =>
    Object.entries(o.detectors)
      .filter(([, d]) => !d.warmingUp)
      .sort((x, y) => y[1].score - x[1].score)[0]?.[0] ?? 'none'
  let healthyVectors = 0
  let vectors = 0
  const totalMin = Math.round((endTs - startTs) / 60_000)

  const records: WideRecord[] = []
  for (let ts = startTs; ts <= endTs; ts += 1000) {
    records.length = 0
    for (const s of sims) s.tick(ts, records)
    batch.truncate(0)
    for (const r of records) for (const [ch, v] of Object.entries(r.values)) batch.push(keyOf(r.asset, ch), r.ts, v)
    out.clear()
    pf.push(batch.build(), out, true, ts)
    if (out.length > 0) {
      const byAsset = new Map<string, { ts: number; vector: Record<string, number> }>()
      for (let i = 0; i < out.length; i++) {
        if (!((out.flags[i] as number) & PaneEmissions.LIVE)) continue
        const ref = refs[out.key[i] as number]!
        const w = WINDOWS_SEC[out.windowIdx[i] as number] as number
        let a = byAsset.get(ref.assetId)
        if (!a) byAsset.set(ref.assetId, (a = { ts: out.lastTs[i] as number, vector: {} }))
        a.ts = Math.max(a.ts, out.lastTs[i] as number)
        a.vector[featureName(ref.channel, w, 'mean')] = out.mean[i] as number
        a.vector[featureName(ref.channel, w, 'std')] = out.std[i] as number
        a.vector[featureName(ref.channel, w, 'slope')] = out.slope[i] as number
        a.vector[featureName(ref.channel, w, 'min')] = out.min[i] as number
        a.vector[featureName(ref.channel, w, 'max')] = out.max[i] as number
        a.vector[featureName(ref.channel, w, 'count')] = out.count[i] as number
        a.vector[featureName(ref.channel, w, 'last')] = out.last[i] as number
      }
      for (const [assetId, a] of byAsset) {
        const o = models.get(assetId)!.update!({ ts: a.ts, values: a.vector })
        vectors++
        const alarm = !o.warmingUp && o.score >= alarmScore
        const rising = alarm && !inAlarm.has(assetId)
        if (alarm) inAlarm.add(assetId)
        else inAlarm.delete(assetId)
        const own = faultOf.get(assetId)
        const viaParent = affectedParents.get(assetId)
        const fault = own ?? viaParent
        const afterOnset = fault !== undefined && a.ts >= fault.startTs
        if (!o.warmingUp && !afterOnset) healthyVectors++
        if (own && afterOnset) {
          const r = results.get(own)!
          for (const [d, x] of Object.entries(o.detectors)) if (!x.warmingUp) r.maxScores[d] = Math.max(r.maxScores[d] ?? 0, x.score)
        }
        if (afterOnset && alarm) {
          const r = results.get(fault)!
          if (!r.detected) {
            r.detected = true
            r.delaySec = (a.ts - fault.startTs) / 1000
            r.alarmAsset = assetId
            r.detector = topDetector(o)
            r.channels = Object.entries(o.contributions)
              .sort((x, y) => y[1] - x[1])
              .map(([k]) => k)
          }
        } else if (rising && !afterOnset) {
          falseAlarms++
          opts.onFalseAlarm?.(assetId, a.ts, o, a.vector)
          const t = typeOf.get(assetId) ?? 'unknown'
          falseAlarmsByType[t] = (falseAlarmsByType[t] ?? 0) + 1
          const d = `${t}/${topDetector(o)}/${Object.entries(o.contributions).sort((x, y) => y[1] - x[1])[0]?.[0]}`
          falseAlarmsBySource[d] = (falseAlarmsBySource[d] ?? 0) + 1
        }
      }
    }
    if ((ts - startTs) % 60_000 === 0) opts.onProgress?.((ts - startTs) / 60_000, totalMin)
  }
  const healthyAssetHours = (healthyVectors * HOP_SEC) / 3600
  return {
    faults: [...results.values()],
    falseAlarms,
    healthyAssetHours,
    falseAlarmsPerAssetHour: healthyAssetHours > 0 ? falseAlarms / healthyAssetHours : 0,
    falseAlarmsByType,
    falseAlarmsBySource,
    assets: assets.length,
    vectors,
    simulatedMinutes: totalMin,
  }
}
