/**
 * The NAB evaluation: runs a detector causally over every CSV of a NAB data folder (each file on
 * its own, each row scored before the detector learns from it), writes one result file per data
 * file, and scores them with the NAB rules (`nab.scorer.ts`). Reads files, so it lives beside the
 * pure scorer as an `.eval.ts` module.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import '../catalogue.js'
import { families } from '../families.js'
import type { AnomalyOutput, Model, StreamPoint } from '../model.js'
import { NabInputError } from './errors.js'
import { formatNabTimestamp, normalisePath, parseNabCsv, parseProfiles, parseWindows } from './nab.labels.js'
import { NAB_PROFILES, scoreCorpus, type NabCorpusResult, type NabFile, type NabProfiles, type NabWindow } from './nab.scorer.js'

/** The detector the evaluation runs when none is named. */
export const DEFAULT_NAB_DETECTOR = 'context'

export interface NabEvalOptions {
  readonly dataDir: string
  readonly labelsFile: string
  /** A model family of the catalogue (default `context`), created with `params` once per file. */
  readonly detector?: string
  readonly params?: Readonly<Record<string, unknown>>
  /** Score an existing results folder (NAB layout `<category>/<detector>_<file>.csv` or ours) instead of running a detector. */
  readonly resultsDir?: string
  /** Where to write one result file per data file (`timestamp,value,anomaly_score,label`). */
  readonly outDir?: string
  /** `profiles.json`; default `config/profiles.json` in or beside the data folder, else NAB's published profiles. */
  readonly profilesFile?: string
  readonly onProgress?: (done: number, total: number, file: string) => void
}

export interface NabEvalResult {
  readonly detector: string
  readonly params: Readonly<Record<string, unknown>>
  readonly files: number
  readonly rows: number
  readonly profilesSource: string
  readonly elapsedMs: number
  readonly scores: NabCorpusResult
}

/** Relative paths (with '/') of every `.csv` under `dir`, sorted. */
export function listCsvFiles(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.isFile() && e.name.endsWith('.csv')) out.push(normalisePath(relative(dir, p).split(sep).join('/')))
    }
  }
  walk(dir)
  return out.sort()
}

function loadProfiles(opts: NabEvalOptions): { profiles: NabProfiles; source: string } {
  const candidates = opts.profilesFile !== undefined ? [opts.profilesFile] : [join(opts.dataDir, 'config', 'profiles.json'), join(opts.dataDir, '..', 'config', 'profiles.json')]
  for (const c of candidates) {
    if (existsSync(c)) return { profiles: parseProfiles(JSON.parse(readFileSync(c, 'utf8'))), source: c }
  }
  if (opts.profilesFile !== undefined) throw new NabInputError(`profiles file not found: ${opts.profilesFile}`)
  return { profiles: NAB_PROFILES, source: 'built-in (NAB v1.1 config/profiles.json)' }
}

/** Runs `model` over one file's values, causally: each row is scored, then learnt. */
export function runDetector(model: Model, values: readonly number[], timestamps: readonly number[]): number[] {
  if (model.update === undefined) throw new NabInputError(`detector '${model.family}' does not learn online (no update)`)
  const scores = new Array<number>(values.length)
  for (let i = 0; i < values.length; i++) {
    const point: StreamPoint = { ts: timestamps[i]!, values: { value: values[i]! } }
    const out = model.update(point) as AnomalyOutput
    scores[i] = out.score
  }
  return scores
}

function findResultsFile(resultsDir: string, path: string): string {
  const direct = join(resultsDir, path)
  if (existsSync(direct)) return direct
  const dir = join(resultsDir, dirname(path))
  const name = path.slice(path.lastIndexOf('/') + 1)
  const match = existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith(`_${name}`)) : undefined
  if (match === undefined) throw new NabInputError(`no results file for ${path} under ${resultsDir}`)
  return join(dir, match)
}

const inWindow = (t: number, windows: readonly NabWindow[]): boolean => windows.some(([a, b]) => t >= a && t <= b)

/**
 * Evaluates a detector on a NAB corpus and scores it under every profile.
 *
 * @example
 * const r = runNabEval({ dataDir: '../shared/data/nab/data', labelsFile: '../shared/data/nab/labels/combined_windows.json' })
 * r.scores.standard.score   // normalised NAB score
 */
export function runNabEval(opts: NabEvalOptions): NabEvalResult {
  const started = Date.now()
  if (!existsSync(opts.dataDir)) throw new NabInputError(`data folder not found: ${opts.dataDir}`)
  if (!existsSync(opts.labelsFile)) throw new NabInputError(`labels file not found: ${opts.labelsFile}`)
  const labels = parseWindows(JSON.parse(readFileSync(opts.labelsFile, 'utf8')))
  const { profiles, source } = loadProfiles(opts)
  const paths = listCsvFiles(opts.dataDir).filter((p) => labels[p] !== undefined)
  if (paths.length === 0) throw new NabInputError(`no CSV under ${opts.dataDir} is named in ${opts.labelsFile}`)
  const detector = opts.resultsDir !== undefined ? `results:${opts.resultsDir}` : (opts.detector ?? DEFAULT_NAB_DETECTOR)
  const params = opts.params ?? {}
  if (opts.resultsDir === undefined) families.create(detector, params) // fail fast on a bad name or parameter
  const files: NabFile[] = []
  let rows = 0
  paths.forEach((path, i) => {
    const data = parseNabCsv(readFileSync(join(opts.dataDir, path), 'utf8'), path)
    const values = data.columns.value
    if (values === undefined) throw new NabInputError(`${path}: no 'value' column`)
    const windows = labels[path]!
    let scores: number[]
    if (opts.resultsDir !== undefined) {
      const res = parseNabCsv(readFileSync(findResultsFile(opts.resultsDir, path), 'utf8'), path)
      scores = res.columns.anomaly_score ?? []
      if (scores.length !== values.length) throw new NabInputError(`${path}: ${scores.length} anomaly scores for ${values.length} rows`)
    } else {
      scores = runDetector(families.create(detector, params), values, data.timestamps)
    }
    rows += values.length
    files.push({ path, timestamps: data.timestamps, scores, windows })
    if (opts.outDir !== undefined) {
      const out = join(opts.outDir, path)
      mkdirSync(dirname(out), { recursive: true })
      const lines = ['timestamp,value,anomaly_score,label']
      for (let r = 0; r < values.length; r++) lines.push(`${formatNabTimestamp(data.timestamps[r]!)},${values[r]},${scores[r]},${inWindow(data.timestamps[r]!, windows) ? 1 : 0}`)
      writeFileSync(out, `${lines.join('\n')}\n`)
    }
    opts.onProgress?.(i + 1, paths.length, path)
  })
  return { detector, params, files: files.length, rows, profilesSource: source, elapsedMs: Date.now() - started, scores: scoreCorpus(files, profiles) }
}
