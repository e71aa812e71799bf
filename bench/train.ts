/**
 * Training time of the prognostic models on this machine (issue 6, done-when 3: each C-MAPSS
 * sub-set model under 10 minutes on 2 cores). Trains through `trainPrognostic`, the function
 * `prognos train <spec>` and the demo's background training call (src/registry/prognostic.training.ts),
 * so what is timed is what the product trains:
 *
 * - the C-MAPSS RUL model (family `cmapss-rul-tcn`) on each of train_FD001 … train_FD004, with the
 *   family's defaults (the tuned model of docs/benchmarks.md: 5 networks × 30 epochs) unless
 *   `--members` / `--epochs` say otherwise;
 * - with `--others` (default on), the battery and load-forecast models as their spec files
 *   (models/specs/liion-soh.yaml, meter-load-forecast.yaml) train them, held-out scoring included.
 *
 *   npx tsc -p tsconfig.build.json && PROGNOS_SHARED_DATA=../shared/data node dist/bench/train.js
 *     [--subsets FD001,FD002,FD003,FD004] [--members 5] [--epochs 30] [--others true|false] [--data DIR]
 *
 * Wall-clock seconds and the process's CPU seconds (user + system, process.cpuUsage) per model: the
 * CPU figure barely moves with the machine's load, the wall figure does, so both are printed with
 * the load average. Progress goes to stderr; the last line on stdout is the figures as JSON.
 */
import { existsSync } from 'node:fs'
import { loadavg } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import '../src/models/catalogue.js'
import { loadTrainingSpec } from '../src/registry/experiments.service.js'
import { checkPrognosticData, trainPrognostic, type PrognosticData, type PrognosticProgress } from '../src/registry/prognostic.training.js'

const { values: args } = parseArgs({
  options: {
    subsets: { type: 'string', default: 'FD001,FD002,FD003,FD004' },
    members: { type: 'string' },
    epochs: { type: 'string' },
    others: { type: 'string', default: 'true' },
    data: { type: 'string' },
  },
})

/** The repository (the directory holding package.json), from src or dist. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir)
    if (up === dir) throw new Error('package.json not found above bench/train')
    dir = up
  }
  return dir
}

const ROOT = repoRoot()
/** Where the spec files' relative paths point (../shared/data beside the repository). */
const SPEC_DATA = resolve(ROOT, '..', 'shared', 'data')
const DATA = resolve(args.data ?? process.env.PROGNOS_SHARED_DATA ?? SPEC_DATA)
const LIMIT_SECONDS = 600

const say = (s: string): void => void process.stderr.write(`${s}\n`)
const round = (v: number, d = 2): number => Math.round(v * 10 ** d) / 10 ** d
const load1 = (): number => round(loadavg()[0] ?? NaN, 2)

interface Timed {
  seconds: number
  cpu_seconds: number
  load_before: number
  load_after: number
  metrics: Record<string, number>
}

/** Trains one family through trainPrognostic, printing progress at most every 5 s. */
async function timed(label: string, family: string, params: Record<string, unknown>, data: PrognosticData): Promise<Timed> {
  const load_before = load1()
  say(`${label}: training ${family} ${JSON.stringify(params)} (load ${load_before})`)
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  let lastSay = 0
  const progress = (p: PrognosticProgress): void => {
    const now = performance.now()
    if (now - lastSay < 5000 && p.done !== p.total) return
    lastSay = now
    say(`  ${label} ${p.stage} ${p.done}/${p.total}  ${round((now - t0) / 1000)} s`)
  }
  const t = await trainPrognostic(family, params, data, progress)
  const cpu = process.cpuUsage(c0)
  const out = { seconds: round((performance.now() - t0) / 1000), cpu_seconds: round((cpu.user + cpu.system) / 1e6), load_before, load_after: load1(), metrics: t.metrics }
  say(`${label}: ${out.seconds} s wall, ${out.cpu_seconds} s CPU (load ${out.load_after})`)
  return out
}

/** A spec file of models/specs with its shared-data paths moved under DATA. */
function specFromRepo(name: string): { family: string; params: Record<string, unknown>; data: PrognosticData } {
  const spec = loadTrainingSpec(join(ROOT, 'models', 'specs', name))
  const data = { ...(spec.data as unknown as Record<string, unknown>) }
  for (const k of ['csv', 'train', 'test', 'rul']) if (typeof data[k] === 'string') data[k] = join(DATA, relative(SPEC_DATA, data[k]))
  return { family: spec.family, params: spec.params ?? {}, data: checkPrognosticData(spec.family, data) }
}

async function main(): Promise<void> {
  const params: Record<string, unknown> = {}
  if (args.members !== undefined) params.members = Number(args.members)
  if (args.epochs !== undefined) params.epochs = Number(args.epochs)
  const cmapss: Record<string, Timed> = {}
  for (const subset of args.subsets.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const train = join(DATA, 'cmapss', `train_${subset}.txt.gz`)
    cmapss[subset] = await timed(subset, 'cmapss-rul-tcn', params, { format: 'cmapss', train })
  }
  const others: Record<string, Timed> = {}
  if (args.others !== 'false') {
    for (const [label, file] of [['battery', 'liion-soh.yaml'], ['forecast', 'meter-load-forecast.yaml']] as const) {
      const s = specFromRepo(file)
      others[label] = await timed(label, s.family, s.params, s.data)
    }
  }
  const perSubset = Object.values(cmapss)
  process.stdout.write(
    `${JSON.stringify({
      bench: 'train',
      cmapss_params: { members: params.members ?? 'default', epochs: params.epochs ?? 'default' },
      seconds: Object.fromEntries(Object.entries(cmapss).map(([k, v]) => [k, v.seconds])),
      cpu_seconds: Object.fromEntries(Object.entries(cmapss).map(([k, v]) => [k, v.cpu_seconds])),
      load: Object.fromEntries(Object.entries(cmapss).map(([k, v]) => [k, [v.load_before, v.load_after]])),
      ...Object.fromEntries(Object.entries(others).map(([k, v]) => [k, { seconds: v.seconds, cpu_seconds: v.cpu_seconds, load: [v.load_before, v.load_after], metrics: v.metrics }])),
      all_under_10_min: perSubset.length > 0 && perSubset.every((v) => v.seconds < LIMIT_SECONDS),
      cpu_all_under_10_min: perSubset.length > 0 && perSubset.every((v) => v.cpu_seconds < LIMIT_SECONDS),
    })}\n`,
  )
}

main().catch((err: unknown) => {
  say(err instanceof Error ? (err.stack ?? err.message) : String(err))
  process.exit(1)
})
