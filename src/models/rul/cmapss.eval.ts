/**
 * Evaluation of the C-MAPSS RUL model: train on a train file and predict the last cycle of every
 * test unit (scored against the RUL file when given), or K-fold cross-validation by unit on the
 * train file. Used by `prognos eval cmapss`.
 */
import { CmapssRulModel, type CmapssRulParams, type RulFitEvent, type RulOutput } from './cmapss-rul.model.js'
import { cappedRul, groupUnits, nasaScore, rmse, type TurbofanCycle } from './cmapss.features.js'
import type { NetworkTrainer } from './network.js'

/** One test unit's prediction at its last cycle. */
export interface UnitPrediction extends RulOutput {
  readonly unit: number
  readonly lastCycle: number
  /** True RUL from the RUL file, when given. */
  readonly trueRul?: number
}

export interface CmapssTestResult {
  readonly units: UnitPrediction[]
  /** Against the RUL file as given (uncapped); absent without one. */
  readonly rmse?: number
  readonly score?: number
  /** Against the RUL file capped at the label cap, as many papers report. */
  readonly rmseCapped?: number
  /** Share of units whose true RUL lies inside the 80 % / 95 % interval. */
  readonly coverage80?: number
  readonly coverage95?: number
  readonly trainSeconds: number
}

/** Progress of a long evaluation: a fold starts, or a member epoch ends. */
export type EvalEvent = { readonly type: 'fold'; readonly fold: number; readonly folds: number } | RulFitEvent

/** Parses a RUL_FD00x file: one true RUL per line, in test-unit order. */
export function parseRulFile(text: string): number[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l, i) => {
      const v = Number(l)
      if (!Number.isFinite(v)) throw new Error(`RUL file line ${i + 1}: not a number: ${JSON.stringify(l)}`)
      return v
    })
}

/** Trains on `train` and predicts the last cycle of each unit of `test`. */
export async function evaluateCmapssTest(opts: {
  train: readonly TurbofanCycle[]
  test: readonly TurbofanCycle[]
  rul?: readonly number[]
  params?: Partial<CmapssRulParams>
  trainer: NetworkTrainer
  onEvent?: (e: EvalEvent) => void
  now?: () => number
  /** A fitted model (a registered version) evaluated as it is: `train` and `trainer` are then unused. */
  model?: CmapssRulModel
}): Promise<CmapssTestResult> {
  const now = opts.now ?? Date.now
  const model = opts.model ?? new CmapssRulModel(opts.params).withTrainer(opts.trainer, opts.onEvent)
  const t0 = now()
  if (!opts.model) await model.fit([...groupUnits(opts.train).values()])
  const trainSeconds = (now() - t0) / 1000
  const testUnits = [...groupUnits(opts.test).entries()].sort((a, b) => a[0] - b[0])
  if (opts.rul !== undefined && opts.rul.length !== testUnits.length) throw new Error(`the RUL file has ${opts.rul.length} values for ${testUnits.length} test units`)
  const units: UnitPrediction[] = testUnits.map(([unit, cycles], i) => ({
    unit,
    lastCycle: cycles[cycles.length - 1]?.cycle ?? 0,
    ...model.predict(cycles),
    ...(opts.rul !== undefined ? { trueRul: opts.rul[i] ?? NaN } : {}),
  }))
  if (opts.rul === undefined) return { units, trainSeconds }
  return { units, trainSeconds, ...score(units, model.params.capCycles) }
}

function score(units: readonly UnitPrediction[], capCycles: number): { rmse: number; score: number; rmseCapped: number; coverage80: number; coverage95: number } {
  const truth = units.map((u) => u.trueRul ?? NaN)
  const pred = units.map((u) => u.rulCycles)
  return {
    rmse: rmse(truth, pred),
    score: nasaScore(truth, pred),
    rmseCapped: rmse(
      truth.map((t) => Math.min(t, capCycles)),
      pred,
    ),
    coverage80: units.filter((u) => (u.trueRul ?? NaN) >= u.lower80Cycles && (u.trueRul ?? NaN) <= u.upper80Cycles).length / Math.max(1, units.length),
    coverage95: units.filter((u) => (u.trueRul ?? NaN) >= u.lower95Cycles && (u.trueRul ?? NaN) <= u.upper95Cycles).length / Math.max(1, units.length),
  }
}

export interface CmapssCvResult {
  readonly folds: number
  /** Evaluation points: each held-out unit cut at `cutsPerUnit` seeded random cycles. */
  readonly points: number
  /** Against the capped true RUL at each cut (the training label). */
  readonly rmse: number
  readonly score: number
  readonly coverage80: number
  readonly coverage95: number
  readonly perFold: { fold: number; rmse: number; score: number }[]
  readonly trainSeconds: number
}

/**
 * K-fold cross-validation by unit: units are dealt to folds in order of their number (unit i →
 * fold i mod K); each held-out unit is cut at seeded random cycles (as the test files are) and
 * scored against its capped true RUL there.
 */
export async function crossValidateCmapss(opts: {
  train: readonly TurbofanCycle[]
  folds: number
  cutsPerUnit?: number
  params?: Partial<CmapssRulParams>
  trainer: NetworkTrainer
  onEvent?: (e: EvalEvent) => void
  now?: () => number
}): Promise<CmapssCvResult> {
  const now = opts.now ?? Date.now
  const k = Math.floor(opts.folds)
  const all = [...groupUnits(opts.train).entries()].sort((a, b) => a[0] - b[0])
  if (k < 2 || k > all.length) throw new Error(`--cv needs 2 to ${all.length} folds, got ${opts.folds}`)
  const cuts = opts.cutsPerUnit ?? 5
  const truth: number[] = []
  const pred: number[] = []
  let in80 = 0
  let in95 = 0
  const perFold: { fold: number; rmse: number; score: number }[] = []
  let trainSeconds = 0
  let seed = 12345
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed / 2147483648
  }
  for (let f = 0; f < k; f++) {
    opts.onEvent?.({ type: 'fold', fold: f + 1, folds: k })
    const trainUnits = all.filter((_, i) => i % k !== f).map(([, c]) => c)
    const held = all.filter((_, i) => i % k === f).map(([, c]) => c)
    const model = new CmapssRulModel(opts.params).withTrainer(opts.trainer, opts.onEvent)
    const t0 = now()
    await model.fit(trainUnits)
    trainSeconds += (now() - t0) / 1000
    const ft: number[] = []
    const fp: number[] = []
    for (const cycles of held) {
      const last = cycles[cycles.length - 1]?.cycle ?? 0
      for (let c = 0; c < cuts; c++) {
        // Cut anywhere from the 10 % point of life to the end, like the test files' truncation.
        const lo = Math.max(1, Math.floor(cycles.length * 0.1))
        const end = lo + Math.floor(rand() * (cycles.length - lo + 1)) - 1
        const hist = cycles.slice(0, end + 1)
        const out = model.predict(hist)
        const t = cappedRul(hist[hist.length - 1]?.cycle ?? 0, last, model.params.capCycles)
        ft.push(t)
        fp.push(out.rulCycles)
        if (t >= out.lower80Cycles && t <= out.upper80Cycles) in80++
        if (t >= out.lower95Cycles && t <= out.upper95Cycles) in95++
      }
    }
    perFold.push({ fold: f + 1, rmse: rmse(ft, fp), score: nasaScore(ft, fp) })
    truth.push(...ft)
    pred.push(...fp)
  }
  return {
    folds: k,
    points: truth.length,
    rmse: rmse(truth, pred),
    score: nasaScore(truth, pred),
    coverage80: in80 / Math.max(1, truth.length),
    coverage95: in95 / Math.max(1, truth.length),
    perFold,
    trainSeconds,
  }
}
