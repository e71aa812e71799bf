/**
 * Li-ion packs cycled to end of life, after the NASA Ames battery data set:
 * 18650 cells of about 2 Ah charged at 1.5 A CC to 4.2 V then CV, discharged at
 * 2 A, capacity fading towards 1.4 Ah (the data set's end-of-life criterion)
 * with small regeneration jumps after long rests.
 */
import { advanceClock, type StepLimits } from './clock.js'
import type { ChannelSpec } from '../domain/model.js'
import { DropoutSchedule } from './faults.sim.js'
import { Rng } from './prng.js'
import type { FaultEvent, SimAsset, Ticking, WideRecord } from './sim.types.js'

/** Cells in series; 14s gives a ≈ 52 V nominal pack. */
export const LIION_SERIES = 14
/** Capacity at which a pack is retired and replaced. */
export const LIION_EOL_AH = 1.4
/**
 * Charge/discharge cycles per simulated hour of a pack (about 3.7 h a cycle: CC-CV charge, rest,
 * 2 A discharge, rest; measured over 6 packs × 1,000 cycles). In metadata as `cyclesPerHour`, so
 * remaining cycles convert to hours (prognostics.adapters.ts).
 */
export const LIION_CYCLES_PER_HOUR = 0.27

/** Channels of a `li_ion_pack`. */
export const LIION_PACK_CHANNELS: ChannelSpec[] = [
  // 0.2 V of headroom over 14 × 4.2 V: a pack held at its CV limit reads a little above it through measurement noise.
  { name: 'voltage', unit: 'V', min: round(LIION_SERIES * 2.7, 2), max: round(LIION_SERIES * 4.2 + 0.2, 2) },
  { name: 'current', unit: 'A', min: -2.5, max: 2 },
  { name: 'temperature', unit: '°C', min: 5, max: 45 },
  { name: 'soc', unit: '%', min: 0, max: 100 },
  { name: 'internal_resistance', unit: 'mΩ', min: 700, max: 1600 },
  { name: 'capacity_ah', unit: 'Ah', min: LIION_EOL_AH, max: 2.1 },
  { name: 'cycle', unit: 'cycle', min: 0, max: null },
]

/** Construction options of {@link LiIonPackSim}. */
export interface LiIonPackSimOptions {
  id: string
  siteId: string
  name?: string
  seed: number
  startTs: number
  /** Simulated seconds per wall second; default 60, so one charge/discharge cycle takes about 3–4 wall minutes. */
  timeScale?: number
  /** Equivalent full cycles already done at start; default random over the first half of life. */
  startCycle?: number
  /** Only `sensor_dropout` applies to packs; `channel` defaults to `temperature`. */
  fault?: { kind: Extract<FaultEvent['kind'], 'sensor_dropout'>; startTs: number; channel?: string }
}

/** Open-circuit voltage of one cell: steep near empty, 3.8 V at half charge, 4.2 V full. */
export function liIonOcv(soc: number): number {
  return 3.4 + 0.8 * soc - 0.4 * Math.exp(-20 * soc)
}

const CHARGE_A = 1.5
const DISCHARGE_A = 2
const V_MAX = 4.2
const V_CUTOFF = 2.7
const CV_END_A = 0.02
const MAX_STEP_S = 30
const MAX_CATCHUP_S = 24 * 3600
const STEP_LIMITS: StepLimits = { maxStepS: MAX_STEP_S, maxCatchupS: MAX_CATCHUP_S }
/** °C per W of pack heat at equilibrium; gives the +10 °C rise of the NASA cells at 2 A. */
const THERMAL_RES = 2.5
const THERMAL_TAU_S = 900

type Mode = 'charge' | 'rest_charged' | 'discharge' | 'rest_empty'

/**
 * One pack. Capacity follows `cap0 − (cap0 − 1.4)·(0.6x + 0.4x²)` with x the
 * fraction of its life used, plus a regeneration term that jumps after a rest of
 * hours and decays over the next cycles. `capacity_ah` reports the Ah actually
 * delivered by the last discharge, as a cycler would. At end of life the pack
 * is replaced: cycle back to 0, new capacity.
 */
export class LiIonPackSim implements Ticking {
  /** The pack asset. */
  readonly asset: SimAsset
  private readonly rng: Rng
  private readonly timeScale: number
  private readonly startTs: number
  private readonly dropout: { schedule: DropoutSchedule; channel: string } | undefined
  private cap0 = 2
  private life = 150
  private r0 = 0.07
  private regen = 0
  private cycleCount = 0
  private chargeAh = 0
  private measuredAh = 0
  private dischargedAh = 0
  private current = 0
  private temp = 24
  private mode: Mode = 'charge'
  private modeStartT = 0
  private modeEndT = 0
  private simT = 0
  private clock: number
  private lastReport = -Infinity
  private replacements = 0

  constructor(opts: LiIonPackSimOptions) {
    this.rng = new Rng(opts.seed)
    this.timeScale = opts.timeScale ?? 60
    this.startTs = opts.startTs
    this.clock = opts.startTs
    this.newPack()
    this.cycleCount = Math.round(opts.startCycle ?? this.rng.uniform(0, 0.5) * this.life)
    this.chargeAh = this.capacity() * this.rng.uniform(0.1, 0.9)
    this.measuredAh = this.capacity() + this.rng.normal(0, 0.004)
    this.dropout = opts.fault ? { schedule: new DropoutSchedule(this.rng.fork('dropout'), opts.fault.startTs), channel: opts.fault.channel ?? 'temperature' } : undefined
    const metadata: Record<string, unknown> = {
      chemistry: 'li-ion (18650, NASA Ames style)',
      configuration: `${LIION_SERIES}s1p`,
      nominalVoltage: LIION_SERIES * 3.7,
      ratedCapacityAh: 2,
      endOfLifeAh: LIION_EOL_AH,
      cyclesPerHour: LIION_CYCLES_PER_HOUR,
      timeScale: this.timeScale,
    }
    if (opts.fault) metadata.injectedFault = { kind: opts.fault.kind, startTs: opts.fault.startTs, channel: this.dropout?.channel }
    this.asset = {
      id: opts.id,
      siteId: opts.siteId,
      parentId: null,
      type: 'li_ion_pack',
      name: opts.name ?? `Li-ion pack ${opts.id.toUpperCase()} (${LIION_SERIES}s)`,
      metadata,
      channels: LIION_PACK_CHANNELS,
    }
  }

  /** True capacity now, in Ah. */
  capacity(): number {
    const x = this.cycleCount / this.life
    return this.cap0 - (this.cap0 - LIION_EOL_AH) * (0.6 * x + 0.4 * x * x) + this.regen
  }

  /** Completed discharges of the installed pack. */
  get cycles(): number {
    return this.cycleCount
  }

  /** How many packs reached end of life and were replaced. */
  get replaced(): number {
    return this.replacements
  }

  tick(ts: number, out: WideRecord[]): void {
    this.clock = advanceClock(this.clock, ts, this.timeScale, STEP_LIMITS, (h) => this.step(h))
    if (ts <= this.lastReport || ts < this.startTs) return
    this.lastReport = ts
    const r = this.rng
    const cap = this.capacity()
    const soc = this.chargeAh / cap
    const rCell = this.cellResistance()
    const cellV = this.current === 0 ? liIonOcv(soc) : Math.min(V_MAX, liIonOcv(soc) + this.current * rCell)
    const values: Record<string, number> = {
      voltage: round(LIION_SERIES * cellV + r.normal(0, 0.01), 3),
      current: round(this.current + r.normal(0, 0.003), 4),
      temperature: round(this.temp + r.normal(0, 0.05), 2),
      soc: round(clamp(soc, 0, 1) * 100, 2),
      internal_resistance: round(LIION_SERIES * rCell * 1000 + r.normal(0, 3), 1),
      capacity_ah: round(this.measuredAh, 4),
      cycle: this.cycleCount,
    }
    if (this.dropout?.schedule.isOut(ts)) delete values[this.dropout.channel]
    out.push({ asset: this.asset.id, ts, values })
  }

  private cellResistance(): number {
    const x = Math.min(1, this.cycleCount / this.life)
    // Resistance grows with fade (SEI growth) and falls as the cell warms.
    return this.r0 * (1 + 0.6 * x) * (1 + 0.01 * (25 - this.temp))
  }

  private step(h: number): void {
    const r = this.rng
    this.simT += h
    const cap = this.capacity()
    const rCell = this.cellResistance()
    switch (this.mode) {
      case 'charge': {
        const ocv = liIonOcv(this.chargeAh / cap)
        // CC until the terminal voltage meets 4.2 V, then CV: the current the 4.2 V limit lets through.
        this.current = Math.min(CHARGE_A, Math.max(0, (V_MAX - ocv) / rCell))
        if (this.current < CV_END_A) this.enter('rest_charged', r.chance(0.07) ? r.uniform(3, 10) * 3600 : r.uniform(5, 30) * 60)
        break
      }
      case 'discharge': {
        this.current = -DISCHARGE_A
        const v = liIonOcv(this.chargeAh / cap) + this.current * rCell
        if (v <= V_CUTOFF || this.chargeAh <= 0) this.endDischarge()
        break
      }
      case 'rest_charged':
      case 'rest_empty':
        this.current = 0
        if (this.simT >= this.modeEndT) {
          if (this.mode === 'rest_charged') {
            // Capacity regeneration after a long rest (visible as upward jumps in the NASA capacity curves).
            if (this.modeEndT - this.modeStartT > 2 * 3600) this.regen = Math.min(0.08, this.regen + r.uniform(0.015, 0.045))
            this.dischargedAh = 0
            this.enter('discharge', 0)
          } else this.enter('charge', 0)
        }
        break
    }
    const dAh = (this.current * h) / 3600
    this.chargeAh = clamp(this.chargeAh + dAh, 0, this.capacity())
    if (dAh < 0) this.dischargedAh -= dAh
    const heatW = LIION_SERIES * this.current * this.current * rCell
    this.temp += (24 + THERMAL_RES * heatW - this.temp) * (1 - Math.exp(-h / THERMAL_TAU_S))
  }

  private enter(mode: Mode, duration: number): void {
    this.mode = mode
    this.modeStartT = this.simT
    this.modeEndT = this.simT + duration
    if (mode !== 'charge' && mode !== 'discharge') this.current = 0
  }

  private endDischarge(): void {
    this.measuredAh = this.dischargedAh + this.rng.normal(0, 0.004)
    this.cycleCount++
    this.regen *= 0.6
    if (this.capacity() <= LIION_EOL_AH) {
      this.newPack()
      this.replacements++
      // A new pack arrives with its commissioning capacity test done.
      this.measuredAh = this.capacity() + this.rng.normal(0, 0.004)
    }
    this.chargeAh = Math.min(this.chargeAh, this.capacity())
    this.enter('rest_empty', this.rng.uniform(5, 20) * 60)
  }

  private newPack(): void {
    const r = this.rng
    this.cap0 = r.uniform(1.95, 2.05)
    this.life = r.int(120, 220)
    this.r0 = r.uniform(0.065, 0.08)
    this.regen = 0
    this.cycleCount = 0
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v
}

function round(v: number, decimals: number): number {
  const p = 10 ** decimals
  return Math.round(v * p) / p
}
