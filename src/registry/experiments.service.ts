/**
 * Experiments: a training spec (YAML or JSON) → a run with its parameters, metrics, artifacts
 * and log, whose model is registered as a new version (and promoted through the gates when
 * asked). Built-in families train here; data comes from a CSV file (e.g. a NAB series), with
 * optional NAB-style anomaly windows for metrics.
 */
import { createHash, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import '../models/anomaly/zscore.model.js'
import { families } from '../models/families.js'
import type { AnomalyOutput, Model } from '../models/model.js'
import type { Gate, ReferenceStats, RunRecord } from '../store/registry.ports.js'
import { buildReference } from './drift.js'
import { GateFailedError, TrainingSpecError } from './errors.js'
import { checkPrognosticData, FORMAT_OF_FAMILY, trainPrognostic, type PrognosticTrainer } from './prognostic.training.js'
import type { RegistryService } from './registry.service.js'

/** What `prognos train <spec.yaml>` reads. */
export interface TrainingSpec {
  /** Registry model the result is registered under (created when absent). */
  model: string
  /** A built-in family of the catalogue, e.g. `zscore`. */
  family: string
  params?: Record<string, unknown>
  description?: string
  /** Set on the model before promotion (e.g. [{metric: window_recall, op: '>=', value: 0.5}]). */
  gates?: Gate[]
  /**
   * Anomaly families: a CSV as below. Prognostic families (`cmapss-rul-tcn`,
   * `battery-capacity-fade`, `load-forecast-mlp`) name their `format` and files instead
   * (see prognostic.training.ts).
   */
  data: {
    /** Prognostic families: `cmapss` (train, test, rul), `nasa-battery` (csv) or `hourly-load` (csv, column, holdoutDays). */
    format?: string
    train?: string
    test?: string
    rul?: string
    column?: string
    holdoutDays?: number
    /** CSV with a header row; relative paths are resolved from the spec file. */
    csv: string
    /** Time column (epoch ms, or a date-time read as UTC). Default `timestamp`. */
    timestamp?: string
    /** Feature columns; default every other numeric column. */
    features?: string[]
    /** Optional NAB labels file (`combined_windows.json`) and the key of this series in it. */
    labels?: { file: string; key: string }
  }
  /** Share of rows, at the end, held out for validation. Default 0.3. */
  validationSplit?: number
  /** Score at or above which a point is flagged (metrics only). Default 0.5. */
  flagThreshold?: number
}

export type TrainingProgress = { stage: 'load' | 'fit' | 'score' | 'register'; done: number; total: number }

export interface TrainingResult {
  run: RunRecord
  version: number
  promoted: boolean
  /** Why it was not promoted, when --promote was asked. */
  promotionRefused?: string
}

function parseTime(v: string): number {
  if (/^-?\d+$/.test(v)) return Number(v)
  const iso = v.includes('T') ? v : v.replace(' ', 'T')
  const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`)
  return t
}

/** Reads and checks a spec file (YAML or JSON). Relative data paths resolve from its directory. */
export function loadTrainingSpec(path: string): TrainingSpec {
  let raw: unknown
  try {
    raw = parseYaml(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new TrainingSpecError('spec', `cannot read ${path}: ${(err as Error).message.split('\n')[0]}`, { cause: err })
  }
  const spec = checkSpec(raw)
  const base = dirname(resolve(path))
  if (spec.data.csv !== undefined) spec.data.csv = resolve(base, spec.data.csv)
  for (const k of ['train', 'test', 'rul'] as const) if (spec.data[k] !== undefined) spec.data[k] = resolve(base, spec.data[k])
  if (spec.data.labels) spec.data.labels.file = resolve(base, spec.data.labels.file)
  return spec
}

export function checkSpec(raw: unknown): TrainingSpec {
  const s = raw as Partial<TrainingSpec> | null
  if (typeof s !== 'object' || s === null) throw new TrainingSpecError('spec', 'must be a mapping')
  if (typeof s.model !== 'string' || s.model === '') throw new TrainingSpecError('model', 'is required (the registry model name)')
  if (typeof s.family !== 'string') throw new TrainingSpecError('family', `is required: one of ${families.names().join(', ')}`)
  if (!families.has(s.family)) throw new TrainingSpecError('family', `'${s.family}' is not a built-in family: one of ${families.names().join(', ')}`)
  if (typeof s.data !== 'object' || s.data === null) throw new TrainingSpecError('data', 'is required')
  if (FORMAT_OF_FAMILY[s.family] !== undefined) checkPrognosticData(s.family, s.data as unknown as Record<string, unknown>)
  else if (typeof s.data.csv !== 'string') throw new TrainingSpecError('data.csv', 'is required (a CSV file with a header row)')
  if (s.validationSplit !== undefined && !(typeof s.validationSplit === 'number' && s.validationSplit >= 0 && s.validationSplit < 1)) throw new TrainingSpecError('validationSplit', 'must be in [0, 1)')
  if (s.params !== undefined && (typeof s.params !== 'object' || s.params === null)) throw new TrainingSpecError('params', 'must be a mapping')
  return JSON.parse(JSON.stringify(s)) as TrainingSpec
}

interface Table {
  ts: number[]
  rows: Record<string, number>[]
  features: string[]
  bytes: string
}

function readCsv(spec: TrainingSpec): Table {
  let text: string
  try {
    text = readFileSync(spec.data.csv, 'utf8')
  } catch (err) {
    throw new TrainingSpecError('data.csv', `cannot read ${spec.data.csv}: ${(err as Error).message}`, { cause: err })
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '')
  const header = lines[0]?.split(',').map((h) => h.trim()) ?? []
  const tsCol = spec.data.timestamp ?? 'timestamp'
  const ti = header.indexOf(tsCol)
  if (ti < 0) throw new TrainingSpecError('data.timestamp', `column '${tsCol}' is not in the header (${header.join(', ')})`)
  const features = spec.data.features ?? header.filter((h) => h !== tsCol)
  const idx = features.map((f) => {
    const i = header.indexOf(f)
    if (i < 0) throw new TrainingSpecError('data.features', `column '${f}' is not in the header (${header.join(', ')})`)
    return i
  })
  const ts: number[] = []
  const rows: Record<string, number>[] = []
  for (let n = 1; n < lines.length; n++) {
    const cells = lines[n]!.split(',')
    const t = parseTime(cells[ti]!.trim())
    if (!Number.isFinite(t)) throw new TrainingSpecError('data.csv', `line ${n + 1}: '${cells[ti]}' is not a time`)
    const row: Record<string, number> = {}
    idx.forEach((i, j) => (row[features[j]!] = Number(cells[i])))
    ts.push(t)
    rows.push(row)
  }
  if (rows.length < 10) throw new TrainingSpecError('data.csv', `holds ${rows.length} rows; at least 10 are needed`)
  return { ts, rows, features, bytes: text }
}

function labelWindows(spec: TrainingSpec): [number, number][] | null {
  const l = spec.data.labels
  if (!l) return null
  let all: Record<string, [string, string][]>
  try {
    all = JSON.parse(readFileSync(l.file, 'utf8')) as Record<string, [string, string][]>
  } catch (err) {
    throw new TrainingSpecError('data.labels.file', `cannot read ${l.file}: ${(err as Error).message}`, { cause: err })
  }
  const w = all[l.key]
  if (!w) throw new TrainingSpecError('data.labels.key', `'${l.key}' is not in ${l.file}`)
  return w.map(([a, b]) => [parseTime(a.replace(/\.\d+$/, '')), parseTime(b.replace(/\.\d+$/, ''))])
}

/** The score of a model output (AnomalyOutput, number, or an object with a score/value). */
function scoreOf(out: unknown): number {
  if (typeof out === 'number') return out
  const o = out as Partial<AnomalyOutput> & { value?: number }
  return typeof o.score === 'number' ? o.score : typeof o.value === 'number' ? o.value : Number.NaN
}

export class ExperimentService {
  constructor(
    private readonly registry: RegistryService,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Trains a spec, records the run, registers the model as a new version and, with `promote`,
   * promotes it to production when the gates pass (a refusal is reported, not thrown: the run
   * and the version stay).
   */
  async train(tenantId: string, spec: TrainingSpec, opts: { actor: string; promote?: boolean; onProgress?: (p: TrainingProgress) => void; trainer?: PrognosticTrainer }): Promise<TrainingResult> {
    const store = this.registry.registryStore()
    const log: string[] = []
    const say = (s: string): void => {
      log.push(`${new Date(this.clock()).toISOString()} ${s}`)
    }
    const run: RunRecord = { id: `run_${randomUUID().replace(/-/g, '').slice(0, 12)}`, model: spec.model, status: 'running', spec: spec as unknown as Record<string, unknown>, params: { family: spec.family, ...(spec.params ?? {}) }, metrics: {}, artifacts: {}, logs: '', version: null, createdBy: opts.actor, startedAt: this.clock(), finishedAt: null }
    await store.saveRun(tenantId, run)
    const progress = opts.onProgress ?? (() => undefined)
    try {
      if (FORMAT_OF_FAMILY[spec.family] !== undefined) {
        progress({ stage: 'load', done: 0, total: 1 })
        const t = await (opts.trainer ?? trainPrognostic)(spec.family, spec.params ?? {}, checkPrognosticData(spec.family, spec.data as unknown as Record<string, unknown>), (p) => progress(p))
        t.log.forEach(say)
        run.metrics = t.metrics
        say(`metrics ${JSON.stringify(t.metrics)}`)
        return await this.finish(tenantId, spec, run, t.model, { metrics: t.metrics, fingerprint: t.fingerprint, reference: null }, opts, say, log)
      }
      progress({ stage: 'load', done: 0, total: 1 })
      const table = readCsv(spec)
      const windows = labelWindows(spec)
      progress({ stage: 'load', done: 1, total: 1 })
      say(`read ${table.rows.length} rows of ${table.features.join(', ')} from ${spec.data.csv}`)
      const split = spec.validationSplit ?? 0.3
      const nTrain = Math.max(1, Math.floor(table.rows.length * (1 - split)))
      const train = table.rows.slice(0, nTrain)
      const fingerprint = createHash('sha256').update(JSON.stringify({ features: table.features, rows: train, ts: table.ts.slice(0, nTrain) })).digest('hex')

      const model: Model = families.create(spec.family, { ...(spec.params ?? {}), ...(spec.family === 'zscore' && !spec.params?.features ? { features: table.features } : {}) })
      progress({ stage: 'fit', done: 0, total: 1 })
      await model.fit(train.map((values, i) => ({ ts: table.ts[i]!, values })))
      progress({ stage: 'fit', done: 1, total: 1 })
      say(`fitted ${spec.family} on ${nTrain} rows (${table.rows.length - nTrain} held out)`)

      const scores: number[] = []
      const chunk = Math.max(1, Math.floor(table.rows.length / 100))
      for (let i = 0; i < table.rows.length; i++) {
        scores.push(scoreOf(model.predict({ ts: table.ts[i]!, values: table.rows[i]! })))
        if (i % chunk === 0 || i === table.rows.length - 1) progress({ stage: 'score', done: i + 1, total: table.rows.length })
      }
      const flag = spec.flagThreshold ?? 0.5
      const val = scores.slice(nTrain)
      const metrics: Record<string, number> = {
        train_rows: nTrain,
        val_rows: val.length,
        train_flag_rate: scores.slice(0, nTrain).filter((s) => s >= flag).length / nTrain,
        val_flag_rate: val.length ? val.filter((s) => s >= flag).length / val.length : 0,
        val_mean_score: val.length ? val.reduce((a, b) => a + b, 0) / val.length : 0,
      }
      if (windows) {
        const inWindow = (t: number): boolean => windows.some(([a, b]) => t >= a && t <= b)
        const flagged = scores.map((s, i) => (s >= flag ? i : -1)).filter((i) => i >= 0)
        metrics.labelled_windows = windows.length
        metrics.window_recall = windows.length ? windows.filter(([a, b]) => flagged.some((i) => table.ts[i]! >= a && table.ts[i]! <= b)).length / windows.length : 0
        metrics.flag_precision = flagged.length ? flagged.filter((i) => inWindow(table.ts[i]!)).length / flagged.length : 0
      }
      run.metrics = metrics
      say(`metrics ${JSON.stringify(metrics)}`)

      const reference = buildReference(train, table.features, scores.slice(0, nTrain))
      return await this.finish(tenantId, spec, run, model, { metrics, fingerprint, reference }, opts, say, log)
    } catch (err) {
      say(`failed: ${(err as Error).message}`)
      run.status = 'failed'
      run.finishedAt = this.clock()
      run.logs = log.join('\n')
      await store.saveRun(tenantId, run).catch(() => undefined)
      throw err
    }
  }

  /** Registers a trained model as a new version of the run's model, promotes it when asked, and closes the run. */
  private async finish(
    tenantId: string,
    spec: TrainingSpec,
    run: RunRecord,
    model: Model,
    r: { metrics: Record<string, number>; fingerprint: string; reference: ReferenceStats | null },
    opts: { actor: string; promote?: boolean; onProgress?: (p: TrainingProgress) => void },
    say: (s: string) => void,
    log: string[],
  ): Promise<TrainingResult> {
    const store = this.registry.registryStore()
    const progress = opts.onProgress ?? (() => undefined)
    progress({ stage: 'register', done: 0, total: 1 })
    if (spec.gates) {
      if (!(await store.getModel(tenantId, spec.model))) await this.registry.createModel(tenantId, { name: spec.model, kind: model.kind, description: spec.description ?? '', gates: spec.gates }, opts.actor)
      else await this.registry.setGates(tenantId, spec.model, spec.gates)
    }
    const artifact = new TextEncoder().encode(JSON.stringify(model.toJSON()))
    const version = await this.registry.register(
      tenantId,
      { model: spec.model, kind: model.kind, description: spec.description, flavour: 'builtin', artifact, params: { ...(spec.params ?? {}) }, metrics: r.metrics, trainingFingerprint: `sha256:${r.fingerprint}`, reference: r.reference, runId: run.id },
      opts.actor,
    )
    run.version = version.version
    run.artifacts = { model: version.artifactKey }
    say(`registered ${spec.model} version ${version.version}`)
    progress({ stage: 'register', done: 1, total: 1 })

    let promoted = false
    let promotionRefused: string | undefined
    if (opts.promote) {
      try {
        await this.registry.promote(tenantId, spec.model, version.version, 'production', { actor: opts.actor, reason: `trained by ${run.id}` })
        promoted = true
        say(`promoted version ${version.version} to production`)
      } catch (err) {
        if (!(err instanceof GateFailedError)) throw err
        promotionRefused = err.message
        say(`not promoted: ${err.message}`)
      }
    }
    run.status = 'succeeded'
    run.finishedAt = this.clock()
    run.logs = log.join('\n')
    await store.saveRun(tenantId, run)
    return { run, version: version.version, promoted, ...(promotionRefused ? { promotionRefused } : {}) }
  }

  /** Trains a recorded run's spec again (retraining when drift persists). */
  async rerun(tenantId: string, runId: string, actor: string): Promise<TrainingResult> {
    const run = await this.registry.registryStore().getRun(tenantId, runId)
    if (!run) throw new TrainingSpecError('runId', `run '${runId}' not found`)
    return this.train(tenantId, checkSpec(run.spec), { actor })
  }
}
