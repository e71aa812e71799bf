/**
 * Building electricity meters with an office-like load: weekday working hours,
 * quiet nights and weekends, and heating/cooling load driven by a smooth outdoor
 * temperature. Seasonality is computed in the site's local time from a fixed UTC
 * offset (no DST tables, to stay pure).
 */
import type { ChannelSpec } from '../domain/model.js'
import { SpikeSchedule } from './faults.sim.js'
import { Rng } from './prng.js'
import type { FaultEvent, SimAsset, Ticking, WideRecord } from './sim.types.js'

/** Outdoor climate of a site, in °C. */
export interface Climate {
  /** Annual mean. */
  meanC: number
  /** Half the difference between the warmest and coldest month. */
  seasonalAmpC: number
  /** Half the typical day–night difference. */
  dailyAmpC: number
  /** Day of year (1–365) of the warmest weather; around 200 north of the equator, 20 south. */
  warmestDay: number
}

/** Construction options of {@link EnergyMeterSim}. */
export interface EnergyMeterSimOptions {
  id: string
  siteId: string
  name?: string
  seed: number
  startTs: number
  /** Site's standard-time offset from UTC in minutes (Pune: 330). */
  utcOffsetMinutes: number
  climate: Climate
  /** Nominal phase voltage; default 230. */
  nominalVoltage?: number
  /**
   * Simulated seconds per wall second for the load pattern; default 60, so a
   * day passes in 24 wall minutes and a week in under 3 hours. Records are
   * still stamped with wall time.
   */
  timeScale?: number
  fault?: { kind: Extract<FaultEvent['kind'], 'stuck_meter' | 'spikes'>; startTs: number }
}

/** Balance point of heating and cooling degree days. */
export const BALANCE_POINT_C = 18
const MAX_STEP_S = 900
const MAX_CATCHUP_S = 7 * 86400
const WEATHER_SD_C = 2.5
const WEATHER_TAU_S = 2 * 86400
const DAY_MS = 86_400_000

/**
 * Occupancy in [0, 1] of an office at a local hour (fractional) and weekday
 * (0 = Sunday): ramps up 6–8 h, a lunch dip, ramps down 18–20 h; a few people on
 * Saturday morning; nobody on Sunday.
 */
export function officeOccupancy(hour: number, weekday: number): number {
  if (weekday === 0) return 0
  if (weekday === 6) return hour >= 9 && hour < 13 ? 0.15 : 0
  if (hour < 6 || hour >= 20) return 0
  if (hour < 8) return (hour - 6) / 2
  if (hour >= 18) return (20 - hour) / 2
  return hour >= 12 && hour < 13 ? 0.85 : 1
}

/**
 * One meter. `power_kw` = base load + occupancy-driven load + HVAC load
 * proportional to heating/cooling degrees from {@link BALANCE_POINT_C};
 * `energy_kwh` integrates it over simulated time.
 */
export class EnergyMeterSim implements Ticking {
  /** The meter asset. */
  readonly asset: SimAsset
  private readonly rng: Rng
  private readonly startTs: number
  private readonly timeScale: number
  private readonly offsetMs: number
  private readonly climate: Climate
  private readonly nominalV: number
  private readonly peakKw: number
  private readonly baseFraction: number
  private readonly heatKwPerK: number
  private readonly coolKwPerK: number
  private readonly stuckFrom: number
  private readonly spikes: SpikeSchedule | undefined
  private weatherAnomaly = 0
  private energyKwh: number
  private powerKw = 0
  private outdoorC = 0
  private clock: number
  private lastReport = -Infinity
  private frozen: { power: number; energy: number } | undefined
  private lastGoodPower = 0
  private lastGoodEnergy = 0

  constructor(opts: EnergyMeterSimOptions) {
    const r = new Rng(opts.seed)
    this.rng = r
    this.startTs = opts.startTs
    this.clock = opts.startTs
    this.timeScale = opts.timeScale ?? 60
    this.offsetMs = opts.utcOffsetMinutes * 60_000
    this.climate = opts.climate
    this.nominalV = opts.nominalVoltage ?? 230
    this.peakKw = Math.round(r.uniform(80, 400))
    this.baseFraction = r.uniform(0.25, 0.4)
    this.heatKwPerK = this.peakKw * r.uniform(0.01, 0.02)
    this.coolKwPerK = this.peakKw * r.uniform(0.015, 0.03)
    this.energyKwh = Math.round(r.uniform(1e5, 9e5))
    this.weatherAnomaly = r.normal(0, WEATHER_SD_C)
    this.stuckFrom = opts.fault?.kind === 'stuck_meter' ? opts.fault.startTs : Infinity
    this.spikes = opts.fault?.kind === 'spikes' ? new SpikeSchedule(r.fork('spikes'), opts.fault.startTs) : undefined
    this.sample(opts.startTs)
    this.lastGoodPower = round(this.powerKw, 2)
    this.lastGoodEnergy = round(this.energyKwh, 2)

    const c = this.climate
    const tempSwing = c.seasonalAmpC + c.dailyAmpC + 3 * WEATHER_SD_C
    const channels: ChannelSpec[] = [
      { name: 'power_kw', unit: 'kW', min: 0, max: Math.round(1.6 * this.peakKw) },
      { name: 'energy_kwh', unit: 'kWh', min: 0, max: null },
      { name: 'outdoor_temp', unit: '°C', min: Math.floor(c.meanC - tempSwing), max: Math.ceil(c.meanC + tempSwing) },
      { name: 'voltage', unit: 'V', min: round(this.nominalV * 0.9, 1), max: round(this.nominalV * 1.1, 1) },
    ]
    const metadata: Record<string, unknown> = {
      profile: 'office',
      peakKw: this.peakKw,
      utcOffsetMinutes: opts.utcOffsetMinutes,
      nominalVoltage: this.nominalV,
      timeScale: this.timeScale,
      // Where simulated time meets wall time: what a consumer needs to read the meter's hours (prognostics.adapters.ts).
      simStartTs: this.startTs,
    }
    if (opts.fault) metadata.injectedFault = { kind: opts.fault.kind, startTs: opts.fault.startTs }
    this.asset = {
      id: opts.id,
      siteId: opts.siteId,
      parentId: null,
      type: 'energy_meter',
      name: opts.name ?? `Energy meter ${opts.id.toUpperCase()}`,
      metadata,
      channels,
    }
  }

  /** Simulated epoch ms the load pattern is at when the wall clock reads `ts`. */
  simTime(ts: number): number {
    return this.startTs + (ts - this.startTs) * this.timeScale
  }

  /** Local hour (fractional) and weekday (0 = Sunday) at simulated epoch ms `simTs`. */
  localTime(simTs: number): { hour: number; weekday: number } {
    return { hour: localHour(simTs + this.offsetMs), weekday: localWeekday(simTs + this.offsetMs) }
  }

  tick(ts: number, out: WideRecord[]): void {
    if (ts > this.clock) {
      // Energy integrates over simulated time in steps short enough to follow the daily shape.
      let dt = Math.min(((ts - this.clock) / 1000) * this.timeScale, MAX_CATCHUP_S)
      let simNow = this.simTime(ts) - dt * 1000
      this.clock = ts
      while (dt > 0) {
        const h = Math.min(dt, MAX_STEP_S)
        simNow += h * 1000
        this.advanceWeather(h)
        this.energyKwh += (this.powerKw * h) / 3600
        this.sample(simNow)
        dt -= h
      }
    }
    if (ts <= this.lastReport || ts < this.startTs) return
    this.lastReport = ts
    const r = this.rng
    let power = round(this.powerKw, 2)
    let energy = round(this.energyKwh, 2)
    if (ts >= this.stuckFrom) {
      // A stuck register repeats its last good reading bit for bit.
      this.frozen ??= { power: this.lastGoodPower, energy: this.lastGoodEnergy }
      power = this.frozen.power
      energy = this.frozen.energy
    } else if (this.spikes?.fire(ts)) power = round(power * this.spikes.magnitude(), 2)
    else {
      this.lastGoodPower = power
      this.lastGoodEnergy = energy
    }
    const loadFraction = this.powerKw / this.peakKw
    out.push({
      asset: this.asset.id,
      ts,
      values: {
        power_kw: power,
        energy_kwh: energy,
        outdoor_temp: round(this.outdoorC + r.normal(0, 0.1), 2),
        voltage: round(this.nominalV * (1 - 0.02 * loadFraction + r.normal(0, 0.004)), 1),
      },
    })
  }

  private advanceWeather(h: number): void {
    const a = Math.exp(-h / WEATHER_TAU_S)
    this.weatherAnomaly = a * this.weatherAnomaly + Math.sqrt(1 - a * a) * this.rng.normal(0, WEATHER_SD_C)
  }

  /** Recomputes outdoor temperature and power at simulated time `simTs`. */
  private sample(simTs: number): void {
    const c = this.climate
    const hour = localHour(simTs + this.offsetMs)
    const weekday = localWeekday(simTs + this.offsetMs)
    const dayOfYear = ((simTs + this.offsetMs) / DAY_MS) % 365.2425
    // The coldest hour is around dawn and the warmest mid-afternoon, hence the 15 h peak.
    this.outdoorC =
      c.meanC +
      c.seasonalAmpC * Math.cos((2 * Math.PI * (dayOfYear - c.warmestDay)) / 365.2425) +
      c.dailyAmpC * Math.cos((2 * Math.PI * (hour - 15)) / 24) +
      this.weatherAnomaly
    const occ = officeOccupancy(hour, weekday)
    const heat = Math.max(0, BALANCE_POINT_C - this.outdoorC) * this.heatKwPerK
    const cool = Math.max(0, this.outdoorC - BALANCE_POINT_C) * this.coolKwPerK
    // HVAC runs in setback outside working hours, so weather matters less at night.
    const hvac = (heat + cool) * (0.4 + 0.6 * occ)
    const p = this.peakKw * (this.baseFraction + (1 - this.baseFraction) * occ) * 0.75 + hvac + this.rng.normal(0, 0.015 * this.peakKw)
    this.powerKw = Math.max(0.05 * this.peakKw, p)
  }
}

function localHour(localMs: number): number {
  return (localMs - Math.floor(localMs / DAY_MS) * DAY_MS) / 3_600_000
}

function localWeekday(localMs: number): number {
  // 1970-01-01 was a Thursday.
  return (((Math.floor(localMs / DAY_MS) + 4) % 7) + 7) % 7
}

function round(v: number, decimals: number): number {
  const p = 10 ** decimals
  return Math.round(v * p) / p
}
