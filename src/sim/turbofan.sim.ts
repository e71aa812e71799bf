/**
 * Run-to-failure turbofan engines, shaped after NASA C-MAPSS FD001 (sea level,
 * one fault mode: HPC degradation). Baselines, noise and end-of-life shifts were
 * measured on train_FD001 so models trained on C-MAPSS see familiar numbers.
 */
import type { ChannelSpec } from '../domain/model.js'
import { Rng } from './prng.js'
import type { FaultEvent, SimAsset, Ticking, WideRecord } from './sim.types.js'

interface SensorModel {
  name: string
  unit: string
  /** Healthy band: roughly the 0.5–99.5 % range of FD001 over the first half of each life. */
  min: number
  max: number
  /** FD001 mean over the first 30 cycles, less the little wear those cycles already carry. */
  base: number
  /** Spread of a new engine's mean (manufacturing variation). */
  unitSd: number
  /** Cycle-to-cycle measurement noise. */
  noise: number
  /** Mean shift between early life and failure in FD001; its sign is the C-MAPSS drift direction. */
  shift: number
  /** FD001 prints each sensor with this many decimals (htBleed is an integer). */
  decimals: number
}

const SENSORS: readonly SensorModel[] = [
  { name: 't24', unit: '°R', min: 641.3, max: 643.4, base: 642.32, unitSd: 0.19, noise: 0.3, shift: 1.29, decimals: 2 },
  { name: 't30', unit: '°R', min: 1575, max: 1600, base: 1586.1, unitSd: 1.9, noise: 4.0, shift: 15.4, decimals: 2 },
  { name: 't50', unit: '°R', min: 1389, max: 1419, base: 1401.5, unitSd: 3.6, noise: 3.9, shift: 26.1, decimals: 2 },
  { name: 'p30', unit: 'psia', min: 552.3, max: 555.4, base: 554.07, unitSd: 0.38, noise: 0.41, shift: -2.45, decimals: 2 },
  { name: 'nf', unit: 'rpm', min: 2387.93, max: 2388.2, base: 2388.05, unitSd: 0.036, noise: 0.03, shift: 0.173, decimals: 2 },
  { name: 'nc', unit: 'rpm', min: 9036, max: 9078, base: 9054, unitSd: 5.8, noise: 4.2, shift: 41.9, decimals: 2 },
  { name: 'ps30', unit: 'psia', min: 46.98, max: 47.8, base: 47.32, unitSd: 0.12, noise: 0.1, shift: 0.786, decimals: 2 },
  { name: 'phi', unit: 'pps/psia', min: 520.6, max: 523.1, base: 522.01, unitSd: 0.33, noise: 0.3, shift: -2.1, decimals: 2 },
  { name: 'nrf', unit: 'rpm', min: 2387.93, max: 2388.2, base: 2388.05, unitSd: 0.037, noise: 0.029, shift: 0.177, decimals: 2 },
  { name: 'nrc', unit: 'rpm', min: 8118, max: 8157, base: 8135.9, unitSd: 5.9, noise: 3.1, shift: 29.5, decimals: 2 },
  { name: 'bpr', unit: '', min: 8.357, max: 8.49, base: 8.4133, unitSd: 0.014, noise: 0.02, shift: 0.102, decimals: 4 },
  { name: 'htbleed', unit: '', min: 390, max: 395, base: 392.07, unitSd: 0.55, noise: 0.92, shift: 3.97, decimals: 0 },
  { name: 'w31', unit: 'lbm/s', min: 38.57, max: 39.24, base: 38.957, unitSd: 0.068, noise: 0.1, shift: -0.486, decimals: 2 },
  { name: 'w32', unit: 'lbm/s', min: 23.15, max: 23.55, base: 23.374, unitSd: 0.041, noise: 0.061, shift: -0.289, decimals: 4 },
]

/** Channels of a simulated turbofan: `cycle` plus the 14 informative C-MAPSS sensors under readable names. */
export const TURBOFAN_CHANNELS: ChannelSpec[] = [
  { name: 'cycle', unit: 'cycle', min: 1, max: null },
  ...SENSORS.map((s) => ({ name: s.name, unit: s.unit === '' ? null : s.unit, min: s.min, max: s.max })),
]

/** Life of a new engine, in cycles (FD001 lives range 128–362). */
export const TURBOFAN_LIFE_RANGE: readonly [number, number] = [150, 350]

/** Construction options of {@link TurbofanSim}. */
export interface TurbofanSimOptions {
  id: string
  siteId: string
  name?: string
  seed: number
  /** Wall time of the first report; spreading it over one cycle keeps a big fleet from reporting in bursts. */
  firstTs: number
  /** Wall time per cycle; default 10 000 ms. */
  cycleMs?: number
  /** Flight hours one cycle stands for, for display; default 1.5. */
  hoursPerCycle?: number
  /** Life of the installed engine; default random in {@link TURBOFAN_LIFE_RANGE}. */
  lifeCycles?: number
  /** Cycle of the first report; default 1. */
  startCycle?: number
  /**
   * `degradation`: from the first cycle at or after `startTs` an HPC fault
   * grows on top of normal wear and the engine fails `failAfterMs` (default
   * 8 min) of wall time later. Recorded in metadata as `injectedFault`.
   */
  fault?: { kind: Extract<FaultEvent['kind'], 'degradation'>; startTs: number; failAfterMs?: number }
}

/**
 * One engine degrading exponentially to failure, then replaced by a fresh one
 * (cycle back to 1, new life and manufacturing variation) so a demo never ends.
 * One record per cycle; a tick that skips cycles advances the wear of all of them
 * but reports only the latest, since each asset reports at most once per tick.
 */
export class TurbofanSim implements Ticking {
  /** The asset; `metadata.lifeCycles` is the natural life of the engine installed at start. */
  readonly asset: SimAsset
  private readonly rng: Rng
  private readonly cycleMs: number
  private readonly offsets = new Float64Array(SENSORS.length)
  /** Cycle at which the installed engine fails; shorter than `naturalLife` once a fault has set in. */
  private life = 0
  private naturalLife = 0
  private readonly fault: TurbofanSimOptions['fault']
  private faultApplied = false
  /** Cycle of fault onset on the installed engine, 0 if none. */
  private faultOnset = 0
  private faultBaseWear = 0
  private nextCycle: number
  private nextDue: number
  /** Wear already present when the engine enters service (C-MAPSS: "different degrees of initial wear"). */
  private initialWear = 0
  /** Curvature of the exponential wear law; larger keeps the engine healthy longer, then fails faster. */
  private steepness = 0
  /** How hard this engine's fault hits the sensors relative to the FD001 average. */
  private severity = 1
  private replacements = 0

  constructor(opts: TurbofanSimOptions) {
    this.rng = new Rng(opts.seed)
    this.cycleMs = opts.cycleMs ?? 10_000
    if (!(this.cycleMs > 0)) throw new RangeError('cycleMs must be positive')
    this.newEngine(opts.lifeCycles)
    this.nextCycle = Math.max(1, Math.min(opts.startCycle ?? 1, this.life))
    this.nextDue = opts.firstTs
    this.fault = opts.fault
    const metadata: Record<string, unknown> = {
      model: 'CFM-like two-spool turbofan (C-MAPSS FD001 style)',
      lifeCycles: this.life,
      cycleMs: this.cycleMs,
      hoursPerCycle: opts.hoursPerCycle ?? 1.5,
    }
    if (opts.fault) metadata.injectedFault = { kind: opts.fault.kind, startTs: opts.fault.startTs }
    this.asset = {
      id: opts.id,
      siteId: opts.siteId,
      parentId: null,
      type: 'turbofan',
      name: opts.name ?? `Engine ${opts.id.toUpperCase()}`,
      metadata,
      channels: TURBOFAN_CHANNELS,
    }
  }

  /** Life of the engine currently installed, in cycles. */
  get lifeCycles(): number {
    return this.life
  }

  /** Cycles left after the last reported one (0 = the last report was the failure cycle). */
  get rul(): number {
    return this.life - this.nextCycle + 1
  }

  /** How many engines have failed and been replaced so far. */
  get replaced(): number {
    return this.replacements
  }

  /** Wear in [0, 1] at a cycle of the installed engine; 1 is failure. */
  wearAt(cycle: number): number {
    if (this.faultOnset > 0 && cycle >= this.faultOnset) {
      // The fault takes the engine from its wear at onset to failure; a gentler curve than normal wear so it shows early.
      const x = (cycle - this.faultOnset) / (this.life - this.faultOnset)
      return this.faultBaseWear + (1 - this.faultBaseWear) * ((Math.exp(3 * x) - 1) / (Math.exp(3) - 1))
    }
    const k = this.steepness
    const shape = (Math.exp((k * cycle) / this.naturalLife) - 1) / (Math.exp(k) - 1)
    return this.initialWear + (1 - this.initialWear) * shape
  }

  tick(ts: number, out: WideRecord[]): void {
    if (ts < this.nextDue) return
    const due = Math.floor((ts - this.nextDue) / this.cycleMs) + 1
    this.nextDue += due * this.cycleMs
    this.skip(due - 1)
    if (this.fault && !this.faultApplied && ts >= this.fault.startTs) {
      this.faultApplied = true
      this.faultOnset = this.nextCycle
      this.faultBaseWear = this.wearAt(this.nextCycle)
      const remaining = Math.max(10, Math.round((this.fault.failAfterMs ?? 8 * 60_000) / this.cycleMs))
      this.life = this.faultOnset + remaining
    }
    const cycle = this.nextCycle
    const wear = this.wearAt(cycle)
    const values: Record<string, number> = { cycle }
    for (let i = 0; i < SENSORS.length; i++) {
      const s = SENSORS[i] as SensorModel
      const v = s.base + (this.offsets[i] ?? 0) + this.severity * s.shift * wear + this.rng.normal(0, s.noise)
      values[s.name] = round(v, s.decimals)
    }
    out.push({ asset: this.asset.id, ts, values })
    this.skip(1)
  }

  private skip(cycles: number): void {
    this.nextCycle += cycles
    while (this.nextCycle > this.life) {
      this.nextCycle -= this.life
      this.newEngine()
      this.replacements++
    }
  }

  private newEngine(life?: number): void {
    const r = this.rng
    this.life = Math.max(2, Math.round(life ?? r.int(TURBOFAN_LIFE_RANGE[0], TURBOFAN_LIFE_RANGE[1])))
    this.naturalLife = this.life
    this.faultOnset = 0
    this.initialWear = r.uniform(0, 0.08)
    this.steepness = r.uniform(4, 6)
    this.severity = r.uniform(0.8, 1.2)
    for (let i = 0; i < SENSORS.length; i++) this.offsets[i] = r.normal(0, (SENSORS[i] as SensorModel).unitSd)
  }
}

const POW10 = [1, 10, 100, 1000, 10000, 100000]

function round(v: number, decimals: number): number {
  const p = POW10[decimals] ?? 10 ** decimals
  return Math.round(v * p) / p
}
