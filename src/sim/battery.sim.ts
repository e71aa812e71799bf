/**
 * Stationary lead-acid battery strings (UPS / telecom style) with their 2 V
 * cells as child assets. The string is simulated as one unit because its cells
 * share one current and one charger; cells differ by resistance, voltage offset
 * and temperature, and faults act on one cell.
 */
import { advanceClock, type StepLimits } from './clock.js'
import type { ChannelSpec } from '../domain/model.js'
import { DropoutSchedule, runawayProgress } from './faults.sim.js'
import { Rng } from './prng.js'
import type { FaultEvent, SimAsset, Ticking, WideRecord } from './sim.types.js'

/** Product-default healthy band of a lead-acid cell. */
export const LEAD_ACID_CELL_LIMITS = { voltage: [1.8, 2.5], temperature: [5, 50], soc: [15, 95] } as const

/** Channels of a `battery_cell`. */
export const BATTERY_CELL_CHANNELS: ChannelSpec[] = [
  { name: 'voltage', unit: 'V', min: 1.8, max: 2.5 },
  { name: 'temperature', unit: '°C', min: 5, max: 50 },
  { name: 'internal_resistance', unit: 'mΩ', min: 0.2, max: 1.6 },
]

/** Channels of a `battery_string` of `cells` cells rated `capacityAh`. */
export function batteryStringChannels(cells: number, capacityAh: number): ChannelSpec[] {
  return [
    { name: 'voltage', unit: 'V', min: round(cells * 1.8, 2), max: round(cells * 2.5, 2) },
    { name: 'current', unit: 'A', min: -round(capacityAh, 1), max: round(0.25 * capacityAh, 1) },
    { name: 'temperature', unit: '°C', min: 5, max: 50 },
    { name: 'soc', unit: '%', min: 15, max: 95 },
    { name: 'ac_voltage', unit: 'V', min: 207, max: 253 },
    { name: 'dc_voltage', unit: 'V', min: round(cells * 1.8, 2), max: round(cells * 2.5, 2) },
  ]
}

/** Faults a string understands; `cell` is the 0-based index of the affected cell. */
export interface BatteryFault {
  kind: Extract<FaultEvent['kind'], 'thermal_runaway' | 'cell_imbalance' | 'sensor_dropout'>
  startTs: number
  cell?: number
  /** For `sensor_dropout`: the string channel that goes missing; default `temperature`. */
  channel?: string
}

/** Construction options of {@link BatteryStringSim}. */
export interface BatteryStringSimOptions {
  id: string
  siteId: string
  name?: string
  seed: number
  startTs: number
  /** Default 12. */
  cells?: number
  /** Default random 125–250 Ah. */
  capacityAh?: number
  /**
   * Simulated seconds per wall second; default 20. A real string discharges a
   * few times a year; compressing time gives a discharge and recharge every few
   * wall minutes, so a demo chart moves.
   */
  timeScale?: number
  faults?: BatteryFault[]
}

/** Float voltage per cell the charger regulates to, at 25 °C. */
const FLOAT_V = 2.25
/** Absorption limit per cell during bulk charge. */
const ABSORB_V = 2.35
/** SOC the charger holds in float; the product range tops out at 95 %. */
const FLOAT_SOC = 0.93
const CHARGE_C_RATE = 0.2
const MAX_STEP_S = 30
/** Catch-up after a long pause is capped so one late tick cannot stall the caller. */
const MAX_CATCHUP_S = 6 * 3600
const STEP_LIMITS: StepLimits = { maxStepS: MAX_STEP_S, maxCatchupS: MAX_CATCHUP_S }
const RUNAWAY_MS = 15 * 60_000
const IMBALANCE_V_PER_MIN = 0.02
const IMBALANCE_MAX_V = 0.35

type Mode = 'float' | 'discharge' | 'charge'

interface Cell {
  id: string
  r0: number
  offsetV: number
  tempOffset: number
  temp: number
}

/** Open-circuit voltage of a lead-acid cell: close to linear in SOC, 1.95 V empty to 2.12 V full. */
export function leadAcidOcv(soc: number): number {
  return 1.95 + 0.17 * soc
}

/**
 * A lead-acid string and its cells. Cycle: float (tiny float current) →
 * discharge (load test or transfer, 0.3–0.8 C for 3–10 simulated minutes) →
 * constant-current/absorption recharge at 0.2 C → float. SOC integrates current
 * (positive = charge, 95 % charge efficiency). In float the charger fixes the
 * string voltage, so a cell that sags pushes the others up.
 */
export class BatteryStringSim implements Ticking {
  /** The string first, then its cells. */
  readonly assets: SimAsset[]
  private readonly rng: Rng
  private readonly cells: Cell[]
  private readonly capacityAh: number
  private readonly timeScale: number
  private readonly startTs: number
  private readonly runaway: BatteryFault | undefined
  private readonly imbalance: BatteryFault | undefined
  private readonly dropout: { schedule: DropoutSchedule; channel: string } | undefined
  private readonly id: string
  // Scratch space reused by every report, so a tick allocates only the records it returns.
  private readonly cellV: Float64Array
  private readonly cellT: Float64Array
  private readonly cellR: Float64Array
  private mode: Mode = 'float'
  private soc = FLOAT_SOC
  private current = 0
  private loadA = 0
  private simT = 0
  private modeEndT = 0
  private nextDischargeT: number
  private ambient = 23
  private clock: number
  private lastReport = -Infinity

  constructor(opts: BatteryStringSimOptions) {
    const rng = new Rng(opts.seed)
    this.rng = rng
    const n = opts.cells ?? 12
    if (!(n >= 1)) throw new RangeError('a string needs at least one cell')
    this.capacityAh = opts.capacityAh ?? Math.round(rng.uniform(125, 250))
    this.timeScale = opts.timeScale ?? 20
    this.startTs = opts.startTs
    this.clock = opts.startTs
    this.nextDischargeT = rng.uniform(10, 60) * 60
    this.ambient = rng.uniform(21, 25)
    const pad = Math.max(2, String(n).length)
    // A 2 V cell's resistance scales inversely with its plate area, i.e. its capacity.
    const rNominal = 100 / this.capacityAh
    this.cells = []
    for (let i = 0; i < n; i++) {
      this.cells.push({
        id: `${opts.id}-c${String(i + 1).padStart(pad, '0')}`,
        r0: rNominal * rng.uniform(0.9, 1.1),
        offsetV: rng.normal(0, 0.008),
        tempOffset: rng.normal(0, 0.4),
        temp: this.ambient,
      })
    }
    this.id = opts.id
    this.cellV = new Float64Array(n)
    this.cellT = new Float64Array(n)
    this.cellR = new Float64Array(n)
    const faults = opts.faults ?? []
    this.runaway = faults.find((f) => f.kind === 'thermal_runaway')
    this.imbalance = faults.find((f) => f.kind === 'cell_imbalance')
    const drop = faults.find((f) => f.kind === 'sensor_dropout')
    this.dropout = drop ? { schedule: new DropoutSchedule(rng.fork('dropout'), drop.startTs), channel: drop.channel ?? 'temperature' } : undefined

    const stringMeta: Record<string, unknown> = {
      chemistry: 'lead-acid (VRLA)',
      cells: n,
      nominalCellVoltage: 2,
      nominalVoltage: 2 * n,
      capacityAh: this.capacityAh,
      floatVoltagePerCell: FLOAT_V,
      timeScale: this.timeScale,
    }
    if (drop) stringMeta.injectedFault = { kind: drop.kind, startTs: drop.startTs, channel: this.dropout?.channel }
    const stringAsset: SimAsset = {
      id: opts.id,
      siteId: opts.siteId,
      parentId: null,
      type: 'battery_string',
      name: opts.name ?? `Battery string ${opts.id.toUpperCase()} (${n} × 2 V, ${this.capacityAh} Ah)`,
      metadata: stringMeta,
      channels: batteryStringChannels(n, this.capacityAh),
    }
    this.assets = [stringAsset]
    this.cells.forEach((c, i) => {
      const meta: Record<string, unknown> = { position: i + 1, nominalVoltage: 2, capacityAh: this.capacityAh }
      for (const f of [this.runaway, this.imbalance]) if (f && f.cell === i) meta.injectedFault = { kind: f.kind, startTs: f.startTs }
      this.assets.push({
        id: c.id,
        siteId: opts.siteId,
        parentId: opts.id,
        type: 'battery_cell',
        name: `Cell ${i + 1} of ${opts.id.toUpperCase()}`,
        metadata: meta,
        channels: BATTERY_CELL_CHANNELS,
      })
    })
  }

  /** State of charge in [0, 1]. */
  get stateOfCharge(): number {
    return this.soc
  }

  /** Current operating mode. */
  get operatingMode(): Mode {
    return this.mode
  }

  tick(ts: number, out: WideRecord[]): void {
    this.clock = advanceClock(this.clock, ts, this.timeScale, STEP_LIMITS, (h) => this.step(h))
    if (ts <= this.lastReport || ts < this.startTs) return
    this.lastReport = ts
    this.report(ts, out)
  }

  private step(h: number): void {
    const r = this.rng
    this.simT += h
    if (this.simT >= this.nextDischargeT && this.mode !== 'discharge') {
      this.mode = 'discharge'
      this.loadA = this.capacityAh * r.uniform(0.3, 0.8)
      this.modeEndT = this.simT + r.uniform(3, 10) * 60
      this.nextDischargeT = this.simT + r.uniform(30, 75) * 60
    }
    if (this.mode === 'discharge' && (this.simT >= this.modeEndT || this.soc <= 0.3)) this.mode = 'charge'
    if (this.mode === 'charge' && this.soc >= FLOAT_SOC - 0.002) this.mode = 'float'

    const limit = CHARGE_C_RATE * this.capacityAh
    if (this.mode === 'discharge') this.current = -this.loadA
    // Current tapers over the last 10 % as the cell voltage reaches the absorption limit.
    else if (this.mode === 'charge') this.current = limit * clamp((FLOAT_SOC - this.soc) / 0.1, 0.03, 1)
    else this.current = 0.001 * this.capacityAh
    const eff = this.current > 0 ? 0.95 : 1
    if (this.mode !== 'float') this.soc = clamp(this.soc + (eff * this.current * h) / 3600 / this.capacityAh, 0, 1)

    // Battery rooms are air-conditioned: a gentle daily swing around a set point plus drift.
    this.ambient += (23 + 1.5 * Math.sin((2 * Math.PI * this.simT) / 86400) - this.ambient) * (h / 7200) + r.normal(0, 0.02 * Math.sqrt(h / 30))
    const a = 1 - Math.exp(-h / 1800)
    for (const c of this.cells) {
      const heatW = this.current * this.current * c.r0 * 1e-3
      c.temp += (this.ambient + c.tempOffset + 0.15 * heatW - c.temp) * a
    }
  }

  private report(ts: number, out: WideRecord[]): void {
    const r = this.rng
    const n = this.cells.length
    const pRun = this.runaway ? runawayProgress(ts, this.runaway.startTs, RUNAWAY_MS) : 0
    const imbalanceV = this.imbalance && ts > this.imbalance.startTs ? Math.min(IMBALANCE_MAX_V, ((ts - this.imbalance.startTs) / 60_000) * IMBALANCE_V_PER_MIN) : 0
    // Thermal runaway shows as a rising float current first: the hot cell draws more to hold its voltage.
    const current = this.current + (this.mode === 'float' ? 0.04 * this.capacityAh * pRun : 0)
    const ocv = leadAcidOcv(this.soc)
    let offsetSum = 0
    for (let i = 0; i < n; i++) {
      const c = this.cells[i] as Cell
      const hot = this.runaway?.cell === i
      const faultSag = (hot ? -0.35 * pRun : 0) + (this.imbalance?.cell === i ? -imbalanceV : 0)
      const temp = c.temp + (hot ? 70 * pRun : 0)
      const rCell = c.r0 * (1 + 0.25 * (1 - this.soc)) * (1 + 0.01 * (25 - c.temp)) * (hot ? 1 + 4 * pRun : 1)
      let v: number
      if (this.mode === 'float') v = FLOAT_V
      else if (this.mode === 'charge') v = Math.min(ABSORB_V, ocv + 0.12 + current * rCell * 1e-3)
      else v = ocv + current * rCell * 1e-3 - 0.02 - 0.05 * (1 - this.soc)
      v += c.offsetV + faultSag
      offsetSum += c.offsetV + faultSag
      this.cellV[i] = v
      this.cellT[i] = temp
      this.cellR[i] = rCell
    }
    // In float the charger regulates the string voltage, so per-cell deviations redistribute instead of adding up.
    if (this.mode === 'float') for (let i = 0; i < n; i++) this.cellV[i] = (this.cellV[i] ?? 0) - offsetSum / n

    let stringV = 0
    let tempSum = 0
    for (let i = 0; i < n; i++) {
      stringV += this.cellV[i] ?? 0
      tempSum += this.cellT[i] ?? 0
    }
    const values: Record<string, number> = {
      voltage: round(stringV + r.normal(0, 0.02), 3),
      current: round(current + r.normal(0, 0.05), 2),
      // The string probe sits among the cells and reads their average.
      temperature: round(tempSum / n + r.normal(0, 0.1), 2),
      soc: round(this.soc * 100, 2),
      ac_voltage: round(230 + r.normal(0, 1.2), 1),
      dc_voltage: round(stringV + current * 0.002 + r.normal(0, 0.02), 3),
    }
    if (this.dropout?.schedule.isOut(ts)) delete values[this.dropout.channel]
    out.push({ asset: this.id, ts, values })
    for (let i = 0; i < n; i++) {
      out.push({
        asset: (this.cells[i] as Cell).id,
        ts,
        values: {
          voltage: round((this.cellV[i] ?? 0) + r.normal(0, 0.002), 4),
          temperature: round((this.cellT[i] ?? 0) + r.normal(0, 0.1), 2),
          internal_resistance: round((this.cellR[i] ?? 0) + r.normal(0, 0.004), 4),
        },
      })
    }
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v
}

function round(v: number, decimals: number): number {
  const p = 10 ** decimals
  return Math.round(v * p) / p
}
