/**
 * The contextual sequence detector: Prognos's lead detector for univariate streams (NAB).
 *
 * Three stages, all causal and online:
 * 1. **Contexts** (after CAD OSE). Each value is quantised to one of `levels` symbols over the range
 *    seen so far, by `offsets` quantisers each shifted by a fraction of a level (so that no single
 *    bin boundary decides). For every quantiser and order k = 1…`maxOrder`, the pair (last k
 *    symbols, current symbol) is a context; the raw score is the share of those contexts never
 *    seen before. A value
 *    outside the range seen so far by more than `spatialTolerance` of it counts as fully novel (as
 *    in Numenta's NAB detector).
 * 2. **Likelihood** (after Numenta's anomaly likelihood). The raw score is averaged over the last
 *    `averageRows` rows and compared with the mean and deviation of those averages over the last
 *    `historyRows` rows (the first learning rows left out, when everything is new): the upper-tail probability of the Gaussian gives a likelihood, reported on
 *    a log scale (0.5 → 0.03, 0.999 → 0.3, 1 − 10⁻¹⁰ → 1). Novelty that is usual for the stream
 *    (noisy series) stays low; novelty in a series that had settled goes high.
 * 3. **Suppression**. Once a score reached `restLevel`, the next `restRows` rows report 0: one alarm
 *    at the onset of an anomaly, not a burst. NAB counts only the first detection of a window and
 *    charges every other one.
 *
 * The first `learningRows` rows are the probation period: the detector learns and reports 0 with
 * `warmingUp: true`.
 *
 * @example
 * const m = families.create('context', { channel: 'value' })
 * for (const p of stream) { const { score } = m.update!(p) }   // score in 0–1
 */
import { ModelFormatError } from '../errors.js'
import { families } from '../families.js'
import type { AnomalyOutput, Model, ModelDescription, ModelFamily, SerializedModel, StreamPoint } from '../model.js'

export interface ContextParams {
  /** Channel to read; when absent, the first value of each point. */
  readonly channel?: string
  /** Quantisation levels of the value range. */
  readonly levels: number
  /** Longest context, in previous symbols. */
  readonly maxOrder: number
  /** Rows of probation: learning only, score 0. */
  readonly learningRows: number
  /** Rows over which the raw novelty is averaged. */
  readonly averageRows: number
  /** Rows of averaged novelty that make the reference distribution. */
  readonly historyRows: number
  /** Rows reported as 0 after a score reached `restLevel`. */
  readonly restRows: number
  readonly restLevel: number
  /** A value beyond the range seen so far by this share of it is fully novel. */
  readonly spatialTolerance: number
  /** Quantisers over the same range, each shifted by 1/offsets of a level; the raw score is their mean novelty. */
  readonly offsets: number
  /** Time-of-day slots whose (slot, symbol) pairs are one more context (0: none). */
  readonly daySlots: number
  /** Skip the likelihood stage: report the raw novelty (for comparison). */
  readonly rawOnly: boolean
}

export const CONTEXT_DEFAULTS: ContextParams = {
  levels: 10,
  maxOrder: 4,
  learningRows: 300,
  averageRows: 10,
  historyRows: 2000,
  restRows: 150,
  restLevel: 0.5,
  spatialTolerance: 0.05,
  offsets: 3,
  daySlots: 0,
  rawOnly: false,
}

const FAMILY = 'context'
const FORMAT_VERSION = 1
const DAY_MS = 86_400_000
/** Floors of the reference distribution, so that a stream that never surprised still needs a real surprise. */
const MIN_MEAN = 0.03
const MIN_STD = Math.sqrt(0.0003)
/** log(1 − L) / log(1 − LOG_SCALE_MAX) maps likelihood L to 0–1 on a log scale. */
const LOG_EPS = 1e-10
/** Learning rows whose averaged novelty seeds the reference distribution before the first score. */
const ESTIMATION_ROWS = 100

interface ContextState {
  n: number
  min: number
  max: number
  /** Last `maxOrder` symbols of each quantiser, oldest first. */
  symbols: number[][]
  /** Seen (order, context, symbol) keys. */
  seen: number[]
  /** Last `averageRows` raw scores. */
  recentRaw: number[]
  /** Last `historyRows` averaged scores, as a ring, with their running sums. */
  history: number[]
  historyHead: number
  sum: number
  sumSq: number
  /** Row (count of rows before it) of the last unsuppressed score ≥ `restLevel`; −1 for none. */
  lastHighRow: number
}

interface Step {
  /** One symbol per quantiser; empty for a missing value. */
  readonly symbol: readonly number[]
  readonly raw: number
  readonly average: number
  readonly unsuppressed: number
  readonly score: number
  readonly warmingUp: boolean
}

function emptyState(): ContextState {
  return { n: 0, min: Infinity, max: -Infinity, symbols: [], seen: [], recentRaw: [], history: [], historyHead: 0, sum: 0, sumSq: 0, lastHighRow: -1 }
}

/** Upper-tail probability of the standard normal (Q function), via a rational erfc approximation (|error| < 1.2e-7). */
function upperTail(z: number): number {
  const x = z / Math.SQRT2
  const t = 1 / (1 + 0.5 * Math.abs(x))
  const erfc =
    t *
    Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
  return 0.5 * (x >= 0 ? erfc : 2 - erfc)
}

/** The contextual detector over one channel. */
export class ContextDetector implements Model<StreamPoint, AnomalyOutput> {
  readonly family = FAMILY
  readonly kind = 'anomaly' as const
  private seen: Set<number>

  constructor(
    readonly params: ContextParams,
    private state: ContextState = emptyState(),
  ) {
    this.seen = new Set(state.seen)
  }

  describe(): ModelDescription {
    return {
      family: FAMILY,
      kind: 'anomaly',
      summary: 'contextual sequence detector: share of never-seen value contexts, turned into a likelihood against its recent distribution, with repeats suppressed',
      params: { ...this.params },
      signature: {
        inputs: [{ name: this.params.channel ?? 'value', type: 'number' }],
        outputs: [{ name: 'score', type: 'number', description: 'anomaly score 0–1' }],
      },
    }
  }

  fit(data: readonly StreamPoint[]): void {
    for (const p of data) this.update(p)
  }

  predict(input: StreamPoint): AnomalyOutput {
    return this.output(this.compute(this.valueOf(input), input.ts))
  }

  update(input: StreamPoint): AnomalyOutput {
    const v = this.valueOf(input)
    const step = this.compute(v, input.ts)
    this.learn(v, input.ts, step)
    return this.output(step)
  }

  toJSON(): SerializedModel {
    return { family: FAMILY, formatVersion: FORMAT_VERSION, params: { ...this.params }, state: { ...this.state, seen: [...this.seen] } }
  }

  private valueOf(p: StreamPoint): number {
    const ch = this.params.channel
    const v = ch === undefined ? Object.values(p.values)[0] : p.values[ch]
    return typeof v === 'number' ? v : Number.NaN
  }

  private output(step: Step): AnomalyOutput {
    const channel = this.params.channel ?? 'value'
    return { score: step.score, contributions: step.score > 0 ? { [channel]: 1 } : {}, warmingUp: step.warmingUp }
  }

  private symbolsOf(v: number, min: number, max: number): number[] {
    const { levels: L, offsets: S } = this.params
    return Array.from({ length: S }, (_, j) => (max > min ? Math.min(L, Math.max(0, Math.floor(((v - min) / (max - min)) * L + j / S))) : 0))
  }

  /** Key of a (time-of-day slot, symbol) context; order maxOrder + 1 keeps it apart from sequence contexts. */
  private daySlotKey(ts: number, symbol: number): number {
    const slot = Math.floor(((((ts % DAY_MS) + DAY_MS) % DAY_MS) / DAY_MS) * this.params.daySlots)
    return -(slot * this.params.levels + symbol) - 1
  }

  /** Key of (quantiser j, order k, its last k symbols, current symbol): exact in a double (checked in parseParams). */
  private key(j: number, order: number, history: readonly number[][], symbol: number): number {
    const B = this.params.levels + 1
    let k = j * (this.params.maxOrder + 1) + order
    for (let i = history.length - order; i < history.length; i++) k = k * B + history[i]![j]!
    return k * B + symbol
  }

  /** Scores `v` from the current state, without changing it. */
  private compute(v: number, ts: number): Step {
    const s = this.state
    const p = this.params
    const warmingUp = s.n < p.learningRows
    if (Number.isNaN(v)) return { symbol: [], raw: 0, average: 0, unsuppressed: 0, score: 0, warmingUp }
    const span = s.max - s.min
    const spatial = s.n > 1 && span > 0 && (v > s.max + span * p.spatialTolerance || v < s.min - span * p.spatialTolerance)
    const min = Math.min(s.min, v)
    const max = Math.max(s.max, v)
    const symbol = this.symbolsOf(v, min, max)
    let novel = 0
    let orders = 0
    for (let j = 0; j < p.offsets; j++) {
      for (let k = 1; k <= p.maxOrder && k <= s.symbols.length; k++) {
        orders++
        if (!this.seen.has(this.key(j, k, s.symbols, symbol[j]!))) novel++
      }
    }
    if (p.daySlots > 0 && orders > 0) {
      orders++
      if (!this.seen.has(this.daySlotKey(ts, symbol[0]!))) novel++
    }
    const raw = spatial ? 1 : orders === 0 ? 0 : novel / orders
    const recent = [...s.recentRaw.slice(-(p.averageRows - 1)), raw]
    const average = recent.reduce((a, b) => a + b, 0) / recent.length
    let unsuppressed = 0
    if (!warmingUp) {
      if (p.rawOnly) unsuppressed = raw
      else {
        const count = s.history.length
        const mean = Math.max(MIN_MEAN, count > 0 ? s.sum / count : 0)
        const variance = count > 1 ? Math.max(0, s.sumSq / count - (s.sum / count) ** 2) : 0
        const std = Math.max(MIN_STD, Math.sqrt(variance))
        const likelihood = average > mean ? 1 - upperTail((average - mean) / std) : 0
        unsuppressed = Math.min(1, Math.max(0, Math.log(1 + LOG_EPS - Math.min(likelihood, 1)) / Math.log(LOG_EPS)))
        if (spatial) unsuppressed = 1
      }
    }
    const resting = s.lastHighRow >= 0 && s.n - s.lastHighRow <= p.restRows
    return { symbol, raw, average, unsuppressed, score: resting ? 0 : unsuppressed, warmingUp }
  }

  private learn(v: number, ts: number, step: Step): void {
    const s = this.state
    const p = this.params
    if (step.symbol.length === 0) return
    for (let j = 0; j < p.offsets; j++) {
      for (let k = 1; k <= p.maxOrder && k <= s.symbols.length; k++) this.seen.add(this.key(j, k, s.symbols, step.symbol[j]!))
    }
    if (p.daySlots > 0) this.seen.add(this.daySlotKey(ts, step.symbol[0]!))
    s.symbols.push([...step.symbol])
    if (s.symbols.length > p.maxOrder) s.symbols.shift()
    s.min = Math.min(s.min, v)
    s.max = Math.max(s.max, v)
    s.recentRaw.push(step.raw)
    if (s.recentRaw.length > p.averageRows) s.recentRaw.shift()
    // As in Numenta's likelihood, the early rows (when everything is new) stay out of the reference
    // distribution, which collects its first samples over the last ESTIMATION_ROWS learning rows.
    if (s.n >= p.learningRows - ESTIMATION_ROWS) {
      if (s.history.length < p.historyRows) s.history.push(step.average)
      else {
        const old = s.history[s.historyHead]!
        s.sum -= old
        s.sumSq -= old * old
        s.history[s.historyHead] = step.average
        s.historyHead = (s.historyHead + 1) % p.historyRows
      }
      s.sum += step.average
      s.sumSq += step.average * step.average
    }
    if (step.unsuppressed >= p.restLevel) s.lastHighRow = s.n
    s.n++
  }
}

function parseParams(raw: Readonly<Record<string, unknown>> = {}): ContextParams {
  const out: Record<string, unknown> = { ...CONTEXT_DEFAULTS }
  for (const [k, v] of Object.entries(raw)) {
    if (!(k in CONTEXT_DEFAULTS) && k !== 'channel') throw new ModelFormatError(`context: unknown parameter '${k}'`)
    if (v === undefined) continue
    if (k === 'channel') {
      if (typeof v !== 'string') throw new ModelFormatError("context: 'channel' must be a string")
    } else if (typeof v !== typeof CONTEXT_DEFAULTS[k as keyof ContextParams]) throw new ModelFormatError(`context: '${k}' must be a ${typeof CONTEXT_DEFAULTS[k as keyof ContextParams]}`)
    out[k] = v
  }
  const p = out as unknown as ContextParams
  const ints: Array<keyof ContextParams> = ['levels', 'maxOrder', 'learningRows', 'averageRows', 'historyRows', 'restRows', 'daySlots', 'offsets']
  for (const k of ints) if (!Number.isInteger(p[k]) || (p[k] as number) < 0) throw new ModelFormatError(`context: '${k}' must be a whole number ≥ 0`)
  if (p.levels < 2 || p.averageRows < 1 || p.historyRows < 1 || p.offsets < 1) throw new ModelFormatError('context: levels ≥ 2, offsets, averageRows and historyRows ≥ 1')
  // Keys (quantiser, order, context, symbol) must stay exact in a double.
  if ((p.maxOrder + 1) * Math.log2(p.levels + 1) + Math.log2(p.offsets * (p.maxOrder + 1)) > 52) throw new ModelFormatError('context: (levels+1)^(maxOrder+1) is too large')
  return p
}

function parseState(state: unknown, p: ContextParams): ContextState {
  const s = state as Partial<ContextState> | null
  const arrays = ['symbols', 'seen', 'recentRaw', 'history'] as const
  if (typeof s !== 'object' || s === null || arrays.some((k) => !Array.isArray(s[k])) || typeof s.n !== 'number' || typeof s.lastHighRow !== 'number') {
    throw new ModelFormatError('context: state must hold n, lastHighRow, symbols, seen, recentRaw and history')
  }
  if ((s.history?.length ?? 0) > p.historyRows) throw new ModelFormatError('context: state does not fit its parameters')
  // JSON turns ±Infinity (min and max before the first value) into null.
  return { ...(s as ContextState), min: typeof s.min === 'number' ? s.min : Infinity, max: typeof s.max === 'number' ? s.max : -Infinity }
}

/** The `context` family: create with parameters, or restore from JSON. */
export const contextFamily: ModelFamily<StreamPoint, AnomalyOutput> = {
  family: FAMILY,
  kind: 'anomaly',
  create: (params) => new ContextDetector(parseParams(params)),
  fromJSON: (m: SerializedModel) => {
    if (m.family !== FAMILY) throw new ModelFormatError(`expected family '${FAMILY}', got '${m.family}'`)
    if (m.formatVersion !== FORMAT_VERSION) throw new ModelFormatError(`context: unsupported format version ${m.formatVersion}`)
    const p = parseParams(m.params)
    return new ContextDetector(p, parseState(m.state, p))
  },
}

families.register(contextFamily)
