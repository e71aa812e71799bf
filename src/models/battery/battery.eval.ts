/**
 * Battery evaluations behind `prognos eval battery`: leave-one-cell-out on NASA PCoE capacity
 * histories, and cross-validated cycle life from early-cycle features on the Severson cells.
 */
import { CapacityFadeModel, trueEolCycle, type CapacityFadeParams, type CellHistory } from './capacity-fade.model.js'
import { CycleLifeModel, type CycleLifeSample } from './cycle-life.model.js'
import { BatteryDataError } from './errors.js'

/** Parses `battery_id,cycle,capacity_Ah,…` rows into one capacity history per cell (cycle order). */
export function parseNasaCapacityCsv(text: string): CellHistory[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '')
  const header = (lines[0] ?? '').split(',').map((h) => h.trim())
  const iCell = header.indexOf('battery_id')
  const iCycle = header.indexOf('cycle')
  const iCap = header.indexOf('capacity_Ah')
  if (iCell < 0 || iCycle < 0 || iCap < 0) throw new BatteryDataError('header', 'needs battery_id, cycle and capacity_Ah columns')
  const cells = new Map<string, { cycle: number; cap: number }[]>()
  lines.slice(1).forEach((line, i) => {
    const p = line.split(',')
    const cycle = Number(p[iCycle])
    const cap = Number(p[iCap])
    if (!Number.isFinite(cycle) || !Number.isFinite(cap)) throw new BatteryDataError('row', `line ${i + 2}: cycle and capacity_Ah must be numbers`)
    const id = (p[iCell] ?? '').trim()
    const list = cells.get(id) ?? []
    list.push({ cycle, cap })
    cells.set(id, list)
  })
  return [...cells.entries()].map(([cell, rows]) => ({ cell, capacityAh: rows.sort((a, b) => a.cycle - b.cycle).map((r) => r.cap) }))
}

export interface NasaCellResult {
  readonly cell: string
  readonly startCycle: number
  /** True cycles left to end of life from the start, or null when the cell never reaches it (censored). */
  readonly trueRemaining: number | null
  readonly predicted: number
  readonly lower80: number
  readonly upper80: number
  readonly curveOnly: number
  readonly soh: number
  readonly measuredSoh: number
  /** predicted − true, when known. */
  readonly error: number | null
}

export interface NasaEvalResult {
  readonly eolAh: number
  readonly results: NasaCellResult[]
  /** Over cells that reach end of life. */
  readonly maeCycles: number
  readonly rmseCycles: number
  readonly curveOnlyMaeCycles: number
  readonly coverage80: number
  readonly sohMae: number
}

/** Leave-one-cell-out: train the correction on the other cells, predict the held-out one from each start cycle. */
export function evaluateNasa(cells: readonly CellHistory[], opts: { startCycles?: readonly number[]; params?: Partial<CapacityFadeParams>; model?: CapacityFadeModel } = {}): NasaEvalResult {
  if (cells.length < 2 && !opts.model) throw new BatteryDataError('cells', 'leave-one-cell-out needs at least two cells')
  const starts = opts.startCycles ?? [80, 100]
  const results: NasaCellResult[] = []
  for (const held of cells) {
    // A given (registered) model predicts every cell as it is; otherwise each cell is held out of its own fit.
    const model = opts.model ?? new CapacityFadeModel(opts.params)
    if (!opts.model) model.fit(cells.filter((c) => c !== held))
    const eol = trueEolCycle(held.capacityAh, model.params.eolAh)
    for (const s of starts) {
      if (s > held.capacityAh.length) continue
      if (eol !== undefined && s >= eol) continue
      const out = model.predict({ capacityAh: held.capacityAh.slice(0, s) })
      const trueRemaining = eol !== undefined ? eol - s : null
      results.push({
        cell: held.cell ?? '?',
        startCycle: s,
        trueRemaining,
        predicted: out.remainingCycles,
        lower80: out.lower80Cycles,
        upper80: out.upper80Cycles,
        curveOnly: out.curveRemainingCycles,
        soh: out.soh,
        measuredSoh: (held.capacityAh[s - 1] ?? NaN) / model.params.ratedAh,
        error: trueRemaining !== null ? out.remainingCycles - trueRemaining : null,
      })
    }
  }
  const known = results.filter((r) => r.error !== null)
  const n = Math.max(1, known.length)
  return {
    eolAh: (opts.model ?? new CapacityFadeModel(opts.params)).params.eolAh,
    results,
    maeCycles: known.reduce((a, r) => a + Math.abs(r.error ?? 0), 0) / n,
    rmseCycles: Math.sqrt(known.reduce((a, r) => a + (r.error ?? 0) ** 2, 0) / n),
    curveOnlyMaeCycles: known.reduce((a, r) => a + Math.abs(r.curveOnly - (r.trueRemaining ?? 0)), 0) / n,
    coverage80: known.filter((r) => (r.trueRemaining ?? 0) >= r.lower80 && (r.trueRemaining ?? 0) <= r.upper80).length / n,
    sohMae: results.reduce((a, r) => a + Math.abs(r.soh - r.measuredSoh), 0) / Math.max(1, results.length),
  }
}

/** Severson cells with their early-cycle features and cycle life. */
export interface SeversonData {
  readonly featureNames: string[]
  readonly cells: { cell: string; sample: CycleLifeSample }[]
}

/**
 * Parses the beep feature table: cells with a `y_cycle_life`, and the feature columns that every
 * such cell has (a column with any gap is dropped).
 */
export function parseSeversonCsv(text: string): SeversonData {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '')
  const header = (lines[0] ?? '').split(',').map((h) => h.trim())
  const iLife = header.indexOf('y_cycle_life')
  const iCell = header.indexOf('cell')
  if (iLife < 0 || iCell < 0) throw new BatteryDataError('header', 'needs cell and y_cycle_life columns')
  const featureCols = header.map((h, i) => ({ h, i })).filter(({ h }) => h !== 'cell' && h !== 'batch_date' && h !== 'task' && !h.startsWith('y_'))
  const rows = lines.slice(1).map((l) => l.split(','))
  const labelled = rows.filter((r) => (r[iLife] ?? '').trim() !== '' && Number.isFinite(Number(r[iLife])))
  const usable = featureCols.filter(({ i }) => labelled.every((r) => (r[i] ?? '').trim() !== '' && Number.isFinite(Number(r[i]))))
  return {
    featureNames: usable.map(({ h }) => h),
    cells: labelled.map((r) => ({ cell: r[iCell] ?? '?', sample: { features: usable.map(({ i }) => Number(r[i])), cycleLife: Number(r[iLife]) } })),
  }
}

/**
 * The feature sets of Severson et al.'s three models, by beep column name: "variance" (log variance
 * of ΔQ(V) between cycles 100 and 10), "discharge" (ΔQ(V) statistics, capacity at cycle 2 and the
 * largest capacity difference) and "full" (every usable column).
 */
export const SEVERSON_FEATURE_SETS: Readonly<Record<'variance' | 'discharge', readonly string[]>> = {
  variance: ['abs_variance_discharge_capacity_difference_cycles_2:100'],
  discharge: [
    'abs_min_discharge_capacity_difference_cycles_2:100',
    'abs_variance_discharge_capacity_difference_cycles_2:100',
    'abs_skew_discharge_capacity_difference_cycles_2:100',
    'abs_kurtosis_discharge_capacity_difference_cycles_2:100',
    'discharge_capacity_cycle_2',
    'max_discharge_capacity_difference',
  ],
}

export interface SeversonModelResult {
  readonly features: number
  /** Mean absolute percentage error of cycle life, out of fold. */
  readonly meanPercentError: number
  readonly rmseCycles: number
}

export interface SeversonEvalResult {
  readonly cells: number
  readonly folds: number
  readonly variance: SeversonModelResult | null
  readonly discharge: SeversonModelResult | null
  readonly full: SeversonModelResult
}

/** K-fold cross-validation (cell i → fold i mod K; K = cells gives leave-one-out) of the three models. */
export function evaluateSeverson(data: SeversonData, folds: number): SeversonEvalResult {
  const n = data.cells.length
  const k = Math.min(Math.max(2, Math.floor(folds)), n)
  const run = (cols: readonly number[]): SeversonModelResult => {
    let pct = 0
    let se = 0
    const pick = (s: CycleLifeSample): CycleLifeSample => ({ features: cols.map((j) => s.features[j] ?? 0), ...(s.cycleLife !== undefined ? { cycleLife: s.cycleLife } : {}) })
    for (let f = 0; f < k; f++) {
      const model = new CycleLifeModel({ featureNames: cols.map((j) => data.featureNames[j] ?? '') })
      model.fit(data.cells.filter((_, i) => i % k !== f).map((c) => pick(c.sample)))
      data.cells.forEach((c, i) => {
        if (i % k !== f) return
        const pred = model.predict(pick(c.sample))
        const t = c.sample.cycleLife ?? NaN
        pct += Math.abs(pred - t) / t
        se += (pred - t) ** 2
      })
    }
    return { features: cols.length, meanPercentError: (pct / n) * 100, rmseCycles: Math.sqrt(se / n) }
  }
  const setOf = (names: readonly string[]): number[] | null => {
    const idx = names.map((c) => data.featureNames.indexOf(c))
    return idx.every((i) => i >= 0) ? idx : null
  }
  const variance = setOf(SEVERSON_FEATURE_SETS.variance)
  const discharge = setOf(SEVERSON_FEATURE_SETS.discharge)
  return {
    cells: n,
    folds: k,
    variance: variance !== null ? run(variance) : null,
    discharge: discharge !== null ? run(discharge) : null,
    full: run(data.featureNames.map((_, j) => j)),
  }
}
