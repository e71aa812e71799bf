/**
 * `prognos eval …`: evaluations of models on public benchmarks. Each benchmark is one subcommand
 * registered by its own function (`nab` here; others join the same `eval` parent).
 */
import { SingleBar, Presets } from 'cli-progress'
import type { Command } from 'commander'
import { DEFAULT_NAB_DETECTOR, runNabEval, type NabEvalResult } from '../models/nab/nab.eval.js'

const out = (s: string): void => {
  process.stdout.write(`${s}\n`)
}

/** Adds the `eval` command and its subcommands. */
export function registerEvalCommands(program: Command): Command {
  const evalCmd = program.command('eval').description('evaluate models on public benchmarks')
  registerNabEval(evalCmd)
  return evalCmd
}

interface NabCliOptions {
  data: string
  labels: string
  detector: string
  params?: string
  results?: string
  out?: string
  profiles?: string
  json?: boolean
}

function registerNabEval(evalCmd: Command): void {
  evalCmd
    .command('nab')
    .description('run an anomaly detector causally over every CSV of a NAB data folder and score it with the NAB rules')
    .requiredOption('--data <dir>', 'NAB data folder (CSV files timestamp,value in category folders)')
    .requiredOption('--labels <file>', 'NAB labels (combined_windows.json)')
    .option('--detector <name>', 'anomaly model family', DEFAULT_NAB_DETECTOR)
    .option('--params <json>', 'detector parameters as JSON, e.g. {"restRows":0}')
    .option('--results <dir>', 'score an existing results folder (e.g. NAB reference results) instead of running a detector')
    .option('--out <dir>', 'write one result file per data file (timestamp,value,anomaly_score,label)')
    .option('--profiles <file>', 'cost profiles (default: config/profiles.json in or beside the data folder)')
    .option('--json', 'print one JSON line')
    .action((o: NabCliOptions) => {
      let params: Record<string, unknown> = {}
      if (o.params !== undefined) {
        try {
          params = JSON.parse(o.params) as Record<string, unknown>
        } catch {
          throw new Error(`--params is not JSON: ${o.params}`)
        }
      }
      // A bar on a terminal; one line per file otherwise (logs, CI).
      const bar = process.stderr.isTTY ? new SingleBar({ format: 'nab [{bar}] {value}/{total} files  {file}', stream: process.stderr, hideCursor: true }, Presets.shades_classic) : null
      bar?.start(1, 0, { file: '' })
      let result: NabEvalResult
      try {
        result = runNabEval({
          dataDir: o.data,
          labelsFile: o.labels,
          detector: o.detector,
          params,
          resultsDir: o.results,
          outDir: o.out,
          profilesFile: o.profiles,
          onProgress: (done, total, file) => {
            if (bar === null) process.stderr.write(`nab: ${done}/${total} files  ${file}\n`)
            else {
              bar.setTotal(total)
              bar.update(done, { file })
            }
          },
        })
      } finally {
        bar?.stop()
      }
      if (o.json === true) out(JSON.stringify(nabJson(result)))
      else printNab(result)
    })
}

const round = (x: number | null, d = 2): number | null => (x === null ? null : Number(x.toFixed(d)))

/** The `--json` line: one key per profile with its score, threshold and per-category scores. */
export function nabJson(r: NabEvalResult): Record<string, unknown> {
  const profiles: Record<string, unknown> = {}
  for (const [name, p] of Object.entries(r.scores)) {
    profiles[name] = {
      score: round(p.score, 4),
      raw: round(p.raw, 4),
      threshold: p.threshold,
      windows: p.windows,
      detectedWindows: p.detectedWindows,
      falsePositives: p.falsePositives,
      categories: Object.fromEntries(
        Object.entries(p.categories).map(([c, v]) => [c, { score: round(v.score, 4), raw: round(v.raw, 4), windows: v.windows, detectedWindows: v.detectedWindows, falsePositives: v.falsePositives, files: v.files }]),
      ),
    }
  }
  return { ...profiles, detector: r.detector, params: r.params, files: r.files, rows: r.rows, elapsedMs: r.elapsedMs }
}

function printNab(r: NabEvalResult): void {
  out(`NAB: detector ${r.detector}${Object.keys(r.params).length > 0 ? ` ${JSON.stringify(r.params)}` : ''}, ${r.files} files, ${r.rows} rows, ${(r.elapsedMs / 1000).toFixed(1)} s (profiles: ${r.profilesSource})`)
  const fmt = (x: number | null): string => (x === null ? '—' : x.toFixed(1))
  for (const [name, p] of Object.entries(r.scores)) {
    out(`\n${name}: ${fmt(p.score)}  (threshold ${p.threshold.toFixed(4)}, ${p.detectedWindows}/${p.windows} windows detected, ${p.falsePositives} false positives)`)
    for (const [c, v] of Object.entries(p.categories)) {
      out(`  ${c.padEnd(24)} ${fmt(v.score).padStart(6)}  raw ${v.raw.toFixed(2).padStart(7)}  ${v.detectedWindows}/${v.windows} windows, ${v.falsePositives} FP, ${v.files} files`)
    }
  }
}
