/**
 * The demo fleet: turbofans, lead-acid strings with their cells, li-ion packs
 * and building meters spread over sites on four continents, with a known set of
 * faults that start a few minutes in so a demo shows healthy data first.
 */
import { BatteryStringSim, type BatteryFault } from './battery.sim.js'
import { EnergyMeterSim } from './energy.sim.js'
import { LIION_CYCLES_PER_HOUR, LiIonPackSim } from './liion.sim.js'
import { deriveSeed, Rng } from './prng.js'
import { DEMO_SITES, type SiteDef } from './sites.data.js'
import type { FaultEvent, SimAsset, SimSite, Ticking, WideRecord } from './sim.types.js'
import { TurbofanSim, TURBOFAN_LIFE_RANGE } from './turbofan.sim.js'

export type { FaultEvent, FaultKind, SimAsset, SimSite, WideRecord } from './sim.types.js'

/** Options of {@link createDemoFleet}; every count may be 0. */
export interface DemoFleetOptions {
  /** Default 42. */
  seed?: number
  /** Default 6. */
  turbofans?: number
  /** Default 3. */
  batteryStrings?: number
  /** Default 12 (a 24 V nominal string of 2 V cells). */
  cellsPerString?: number
  /** Default 3. */
  liIonPacks?: number
  /** Default 6. */
  meters?: number
  /** Inject the demo faults; default true. */
  faults?: boolean
  /** Wall time (epoch ms) the demo starts at; faults begin 1–5 min later. */
  startTs: number
  /**
   * Give the assets prognostic models read a past before `startTs` (see {@link DEMO_HISTORY}):
   * engines run from cycle 1, packs and meters start earlier, so a feeder that backfills from
   * {@link SimFleet.historyFromTs} hands the models whole histories at once. Default false.
   */
  history?: boolean
}

/**
 * How far back the demo's prognostic assets start when `history` is on: engines from their first
 * cycle (up to 0.6 of a 350-cycle life at 10 s a cycle: 35 min), packs 24 cycles earlier (the
 * state-of-health model answers from 20), meters 36 simulated days earlier (the forecaster reads 35).
 */
export const DEMO_HISTORY = {
  packMs: Math.ceil((24 / LIION_CYCLES_PER_HOUR) * 3600_000 / 60),
  meterMs: (36 * 86_400_000) / 60,
} as const

/** A running demo fleet. */
export interface SimFleet {
  sites: SimSite[]
  /** Parents before children. */
  assets: SimAsset[]
  /** The faults that will be injected (known up front, for tests and the tour). */
  faults: FaultEvent[]
  /** Wall time of the earliest report of any asset (`startTs` unless `history` is on). */
  historyFromTs: number
  /** Advance every asset to time ts (must not go backwards) and return one record per asset that reports at ts. */
  tick(ts: number): WideRecord[]
}

/** Wall time per turbofan cycle in the demo. */
export const DEMO_CYCLE_MS = 10_000

/**
 * Builds the demo fleet. Deterministic for a given seed and sequence of tick
 * times; each asset has its own random stream derived from the seed and its id.
 *
 * Faults (when enabled), each starting at `startTs` + 60–300 s:
 * - `degradation` on one turbofan: it fails about 8 minutes after onset;
 * - `thermal_runaway` and `cell_imbalance` on one cell each (the event's
 *   `assetId` is the cell; its string is the parent), on different strings when
 *   there are two or more;
 * - `sensor_dropout` of `temperature` on one li-ion pack (on a string if there
 *   are no packs);
 * - `stuck_meter` and `spikes` on two different meters.
 * Kinds whose asset type is absent are skipped.
 *
 * Timing: turbofans report once per cycle (10 s); strings, cells, packs and
 * meters on every tick. Batteries, packs and meters fast-forward their physics
 * by `metadata.timeScale` (20, 60, 60) so cycles and daily load patterns show
 * within minutes; records are always stamped with the wall time passed to tick.
 */
export function createDemoFleet(opts: DemoFleetOptions): SimFleet {
  const seed = opts.seed ?? 42
  const nTf = count(opts.turbofans, 6, 'turbofans')
  const nBs = count(opts.batteryStrings, 3, 'batteryStrings')
  const nCells = count(opts.cellsPerString, 12, 'cellsPerString')
  const nLi = count(opts.liIonPacks, 3, 'liIonPacks')
  const nEm = count(opts.meters, 6, 'meters')
  if (nBs > 0 && nCells < 1) throw new RangeError('cellsPerString must be at least 1')
  const startTs = opts.startTs
  if (!Number.isFinite(startTs)) throw new RangeError('startTs must be a finite epoch ms')

  const rng = new Rng(deriveSeed(seed, 'fleet'))
  const faults: FaultEvent[] = []
  const onset = (): number => startTs + rng.int(60, 300) * 1000
  const pick = (n: number): number => rng.int(0, n - 1)

  const tfFaults = new Map<number, number>()
  const bsFaults = new Map<number, BatteryFault[]>()
  const liFaults = new Map<number, number>()
  const emFaults = new Map<number, { kind: 'stuck_meter' | 'spikes'; startTs: number }>()
  if (opts.faults ?? true) {
    if (nTf > 0) tfFaults.set(pick(nTf), onset())
    const addBs = (i: number, f: BatteryFault): void => {
      bsFaults.set(i, [...(bsFaults.get(i) ?? []), f])
    }
    if (nBs > 0) {
      const hot = pick(nBs)
      const hotCell = pick(nCells)
      addBs(hot, { kind: 'thermal_runaway', startTs: onset(), cell: hotCell })
      if (nBs > 1) addBs((hot + 1 + pick(nBs - 1)) % nBs, { kind: 'cell_imbalance', startTs: onset(), cell: pick(nCells) })
      else if (nCells > 1) addBs(hot, { kind: 'cell_imbalance', startTs: onset(), cell: (hotCell + 1 + pick(nCells - 1)) % nCells })
    }
    if (nLi > 0) liFaults.set(pick(nLi), onset())
    else if (nBs > 0) addBs(pick(nBs), { kind: 'sensor_dropout', startTs: onset(), channel: 'temperature' })
    if (nEm > 0) {
      const stuck = pick(nEm)
      emFaults.set(stuck, { kind: 'stuck_meter', startTs: onset() })
      if (nEm > 1) emFaults.set((stuck + 1 + pick(nEm - 1)) % nEm, { kind: 'spikes', startTs: onset() })
    }
  }

  // Each type is dealt round-robin from its own first site so small fleets still cover several countries.
  const siteFor = (type: number, i: number): SiteDef => DEMO_SITES[(type * 2 + i) % DEMO_SITES.length] as SiteDef
  const sims: Ticking[] = []
  const assets: SimAsset[] = []
  let historyFromTs = startTs

  for (let i = 0; i < nTf; i++) {
    const id = slug('tf', i)
    const s = deriveSeed(seed, id)
    const r = new Rng(s)
    const life = r.int(TURBOFAN_LIFE_RANGE[0], TURBOFAN_LIFE_RANGE[1])
    const faultTs = tfFaults.get(i)
    // Spread healthy engines over their lives so the fleet shows every stage; the faulty one starts young so its failure is the fault's doing.
    const startCycle = faultTs === undefined ? r.int(1, Math.floor(0.6 * life)) : r.int(1, Math.floor(0.3 * life))
    const firstTs = startTs + r.int(0, DEMO_CYCLE_MS - 1)
    // With a history the engine flew its earlier cycles before startTs, so a model sees its whole life.
    const sim = new TurbofanSim({
      id,
      siteId: siteFor(0, i).id,
      seed: deriveSeed(s, 'engine'),
      firstTs: opts.history ? firstTs - (startCycle - 1) * DEMO_CYCLE_MS : firstTs,
      cycleMs: DEMO_CYCLE_MS,
      lifeCycles: life,
      startCycle: opts.history ? 1 : startCycle,
      ...(faultTs === undefined ? {} : { fault: { kind: 'degradation' as const, startTs: faultTs } }),
    })
    if (faultTs !== undefined) faults.push({ assetId: id, kind: 'degradation', startTs: faultTs })
    if (opts.history) historyFromTs = Math.min(historyFromTs, firstTs - (startCycle - 1) * DEMO_CYCLE_MS)
    sims.push(sim)
    assets.push(sim.asset)
  }

  for (let i = 0; i < nBs; i++) {
    const id = slug('bs', i)
    const bf = bsFaults.get(i) ?? []
    const sim = new BatteryStringSim({ id, siteId: siteFor(1, i).id, seed: deriveSeed(seed, id), startTs, cells: nCells, faults: bf })
    for (const f of bf) {
      const cell = f.cell === undefined ? undefined : sim.assets[f.cell + 1]
      faults.push({ assetId: f.kind === 'sensor_dropout' || !cell ? id : cell.id, kind: f.kind, startTs: f.startTs })
    }
    sims.push(sim)
    assets.push(...sim.assets)
  }

  for (let i = 0; i < nLi; i++) {
    const id = slug('li', i)
    const faultTs = liFaults.get(i)
    const sim = new LiIonPackSim({
      id,
      siteId: siteFor(2, i).id,
      seed: deriveSeed(seed, id),
      startTs: opts.history ? startTs - DEMO_HISTORY.packMs : startTs,
      ...(faultTs === undefined ? {} : { fault: { kind: 'sensor_dropout' as const, startTs: faultTs, channel: 'temperature' } }),
    })
    if (faultTs !== undefined) faults.push({ assetId: id, kind: 'sensor_dropout', startTs: faultTs })
    sims.push(sim)
    assets.push(sim.asset)
  }

  for (let i = 0; i < nEm; i++) {
    const id = slug('em', i)
    const site = siteFor(3, i)
    const fault = emFaults.get(i)
    const sim = new EnergyMeterSim({
      id,
      siteId: site.id,
      name: `Energy meter ${id.toUpperCase()} (${site.name} office)`,
      seed: deriveSeed(seed, id),
      startTs: opts.history ? startTs - DEMO_HISTORY.meterMs : startTs,
      utcOffsetMinutes: site.utcOffsetMinutes,
      climate: site.climate,
      nominalVoltage: site.mainsVoltage,
      ...(fault ? { fault } : {}),
    })
    if (fault) faults.push({ assetId: id, kind: fault.kind, startTs: fault.startTs })
    sims.push(sim)
    assets.push(sim.asset)
  }

  faults.sort((a, b) => a.startTs - b.startTs || a.assetId.localeCompare(b.assetId))
  const sites: SimSite[] = DEMO_SITES.map(({ id, name, latitude, longitude, timezone, country }) => ({ id, name, latitude, longitude, timezone, country }))

  if (opts.history) {
    if (nLi > 0) historyFromTs = Math.min(historyFromTs, startTs - DEMO_HISTORY.packMs)
    if (nEm > 0) historyFromTs = Math.min(historyFromTs, startTs - DEMO_HISTORY.meterMs)
  }
  let last = -Infinity
  return {
    sites,
    assets,
    faults,
    historyFromTs,
    tick(ts: number): WideRecord[] {
      if (!Number.isFinite(ts)) throw new RangeError(`tick: ts must be finite, got ${ts}`)
      if (ts < last) throw new RangeError(`tick: time went backwards (${ts} < ${last})`)
      last = ts
      const out: WideRecord[] = []
      for (const sim of sims) sim.tick(ts, out)
      return out
    },
  }
}

function slug(prefix: string, i: number): string {
  return `${prefix}-${String(i + 1).padStart(3, '0')}`
}

function count(v: number | undefined, dflt: number, name: string): number {
  const n = v ?? dflt
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${name} must be a non-negative integer, got ${n}`)
  return n
}
