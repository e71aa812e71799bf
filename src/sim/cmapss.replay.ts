/**
 * Replays NASA C-MAPSS turbofan run-to-failure files (train_FD00x.txt and
 * friends) as live telemetry: each unit becomes a `turbofan` asset and its
 * cycles are emitted one per `cycleMs` of wall time.
 */
import type { ChannelSpec } from '../domain/model.js'
import type { SimAsset, WideRecord } from './sim.types.js'

/** One line of a C-MAPSS file. */
export interface CmapssRow {
  unit: number
  cycle: number
  settings: [number, number, number]
  /** sensor1..sensor21. */
  sensors: number[]
}

const SENSOR_UNITS: readonly (string | null)[] = [
  '°R', // T2 fan inlet temperature
  '°R', // T24 LPC outlet
  '°R', // T30 HPC outlet
  '°R', // T50 LPT outlet
  'psia', // P2 fan inlet
  'psia', // P15 bypass duct
  'psia', // P30 HPC outlet
  'rpm', // Nf physical fan speed
  'rpm', // Nc physical core speed
  null, // epr engine pressure ratio
  'psia', // Ps30 HPC outlet static pressure
  'pps/psia', // phi fuel flow / Ps30
  'rpm', // NRf corrected fan speed
  'rpm', // NRc corrected core speed
  null, // BPR bypass ratio
  null, // farB burner fuel-air ratio
  null, // htBleed bleed enthalpy
  'rpm', // Nf_dmd demanded fan speed
  '%', // PCNfR_dmd demanded corrected fan speed
  'lbm/s', // W31 HPT coolant bleed
  'lbm/s', // W32 LPT coolant bleed
]

/**
 * Channels of a replayed unit: `setting1`..`setting3`, `s1`..`s21` and `cycle`.
 * No ranges: they depend on the operating conditions, one in FD001/FD003 and
 * six in FD002/FD004, so one band would be wrong for half the files.
 */
export const CMAPSS_CHANNELS: ChannelSpec[] = [
  { name: 'setting1', unit: null, min: null, max: null },
  { name: 'setting2', unit: null, min: null, max: null },
  { name: 'setting3', unit: null, min: null, max: null },
  ...SENSOR_UNITS.map((unit, i) => ({ name: `s${i + 1}`, unit, min: null, max: null })),
  { name: 'cycle', unit: 'cycle', min: 1, max: null },
]

const COLUMNS = 26
const SENSOR_KEYS = SENSOR_UNITS.map((_, i) => `s${i + 1}`)

/**
 * Parses C-MAPSS text: whitespace-separated, no header, 26 numeric columns
 * (unit, cycle, setting1-3, sensor1-21). Blank lines and trailing spaces are
 * ignored; any other malformed line throws an Error naming its 1-based line number.
 */
export function parseCmapss(text: string): CmapssRow[] {
  const rows: CmapssRow[] = []
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim()
    if (line === '') continue
    const parts = line.split(/\s+/)
    if (parts.length !== COLUMNS) throw new Error(`C-MAPSS line ${i + 1}: expected ${COLUMNS} columns, got ${parts.length}`)
    const nums = new Array<number>(COLUMNS)
    for (let j = 0; j < COLUMNS; j++) {
      const p = parts[j] ?? ''
      const v = Number(p)
      // Number('') is 0 and Number('0x1') parses hex; neither belongs in these files.
      if (!Number.isFinite(v) || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(p)) throw new Error(`C-MAPSS line ${i + 1}, column ${j + 1}: not a number: ${JSON.stringify(p)}`)
      nums[j] = v
    }
    const unit = nums[0] ?? NaN
    const cycle = nums[1] ?? NaN
    if (!Number.isInteger(unit) || unit < 1 || !Number.isInteger(cycle) || cycle < 1) {
      throw new Error(`C-MAPSS line ${i + 1}: unit and cycle must be positive integers`)
    }
    rows.push({ unit, cycle, settings: [nums[2] ?? 0, nums[3] ?? 0, nums[4] ?? 0], sensors: nums.slice(5) })
  }
  return rows
}

/** A running replay. */
export interface CmapssReplay {
  assets: SimAsset[]
  /** Records due at ts (one per unit whose next cycle is due). */
  tick(ts: number): WideRecord[]
  /** True once every unit has emitted its last cycle. */
  done: boolean
}

/** Options of {@link createCmapssReplay}. */
export interface CmapssReplayOptions {
  siteId: string
  /** Wall time of every unit's first cycle. */
  startTs: number
  /** Wall time between two cycles of a unit: the replay speed. */
  cycleMs: number
  /** Units to replay; default all, in unit order. */
  units?: number[]
  /** Asset id prefix; default `cmapss`. */
  idPrefix?: string
}

interface UnitState {
  id: string
  rows: CmapssRow[]
  next: number
}

/**
 * Replays parsed rows. Cycle k (0-based) of every unit is due at
 * `startTs + k·cycleMs`; each tick emits at most the next due cycle per unit,
 * stamped with the tick's `ts`, so a slow caller falls behind instead of
 * skipping data, and records of one asset never share a timestamp.
 */
export function createCmapssReplay(rows: CmapssRow[], opts: CmapssReplayOptions): CmapssReplay {
  if (!(opts.cycleMs > 0)) throw new RangeError('cycleMs must be positive')
  const prefix = opts.idPrefix ?? 'cmapss'
  const byUnit = new Map<number, CmapssRow[]>()
  for (const r of rows) {
    const list = byUnit.get(r.unit)
    if (list) list.push(r)
    else byUnit.set(r.unit, [r])
  }
  const unitIds = opts.units ?? [...byUnit.keys()].sort((a, b) => a - b)
  const units: UnitState[] = []
  const assets: SimAsset[] = []
  for (const u of unitIds) {
    const list = byUnit.get(u)
    if (!list) throw new Error(`C-MAPSS replay: unit ${u} not in the data`)
    list.sort((a, b) => a.cycle - b.cycle)
    const id = `${prefix}-${String(u).padStart(3, '0')}`
    units.push({ id, rows: list, next: 0 })
    assets.push({
      id,
      siteId: opts.siteId,
      parentId: null,
      type: 'turbofan',
      name: `C-MAPSS unit ${u}`,
      metadata: { source: 'NASA C-MAPSS', unit: u, cycles: list.length, lastCycle: list[list.length - 1]?.cycle ?? 0, cycleMs: opts.cycleMs },
      channels: CMAPSS_CHANNELS,
    })
  }

  let remaining = units.filter((u) => u.rows.length > 0).length
  let last = -Infinity
  return {
    assets,
    get done(): boolean {
      return remaining === 0
    },
    tick(ts: number): WideRecord[] {
      if (ts < last) throw new RangeError(`tick: time went backwards (${ts} < ${last})`)
      const out: WideRecord[] = []
      if (ts === last) return out
      last = ts
      const due = Math.floor((ts - opts.startTs) / opts.cycleMs)
      if (due < 0) return out
      for (const u of units) {
        if (u.next > due || u.next >= u.rows.length) continue
        const r = u.rows[u.next] as CmapssRow
        u.next++
        if (u.next === u.rows.length) remaining--
        const values: Record<string, number> = { setting1: r.settings[0], setting2: r.settings[1], setting3: r.settings[2], cycle: r.cycle }
        for (let i = 0; i < SENSOR_KEYS.length; i++) {
          const v = r.sensors[i]
          if (v !== undefined) values[SENSOR_KEYS[i] as string] = v
        }
        out.push({ asset: u.id, ts, values })
      }
      return out
    },
  }
}
