/**
 * Prognostic models for the demo fleet, out of the box: when the demo runs and a family has no
 * production version, small versions are trained in the background on the shared reference data
 * (C-MAPSS FD001, the NASA cells, household power), one at a time in a child process at low
 * priority, so start-up stays fast and the server responsive. Each is recorded as a training run,
 * registered with its held-out figures and promoted, exactly as `prognos train <spec> --promote`
 * would (models/specs/*.yaml train the full-size versions of the same models).
 */
import { fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import { setPriority } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { families } from '../models/catalogue.js'
import type { ExperimentService, TrainingProgress, TrainingResult, TrainingSpec } from './experiments.service.js'
import type { PrognosticTrainer } from './prognostic.training.js'
import type { RegistryService } from './registry.service.js'
import type { WorkerMessage, WorkerRequest } from './prognostic.worker.js'
import { TrainingSpecError } from './errors.js'

/** Niceness of the training child: the server, ingest and the dashboard come first. */
export const DEMO_TRAINING_NICENESS = 15

/**
 * The demo's models, smallest to train first (so the first predictions come soonest). Smaller
 * than models/specs/*.yaml: a 2-member network ensemble instead of 3, fewer epochs.
 */
export function demoModelSpecs(dataDir: string): TrainingSpec[] {
  const d = (rel: string): string => join(dataDir, rel)
  return [
    {
      model: 'liion-soh',
      family: 'battery-capacity-fade',
      description: 'demo: NASA PCoE capacity fade (leave-one-cell-out figures on the version)',
      data: { format: 'nasa-battery', csv: d('battery_nasa/nasa_pcoe_capacity_B0005_B0006_B0007_B0018.csv') },
    },
    {
      model: 'turbofan-rul',
      family: 'cmapss-rul-tcn',
      description: 'demo: C-MAPSS FD001 RUL, small ensemble (test RMSE and NASA score on the version)',
      params: { members: 2, epochs: 8 },
      data: { format: 'cmapss', train: d('cmapss/train_FD001.txt.gz'), test: d('cmapss/test_FD001.txt.gz'), rul: d('cmapss/RUL_FD001.txt.gz'), csv: '' },
    },
    {
      model: 'meter-load-forecast',
      family: 'load-forecast-mlp',
      description: 'demo: household power, scale-free day-ahead forecaster (MAE against seasonal naive on the version)',
      params: { members: 2, epochs: 4, scaleFrom: 'history' },
      data: { format: 'hourly-load', csv: d('household_power/household_power_consumption_hourly.csv'), column: 'Global_active_power', holdoutDays: 28 },
    },
  ]
}

/** Files a spec reads. */
function specFiles(spec: TrainingSpec): string[] {
  return [spec.data.train, spec.data.test, spec.data.rul, spec.data.csv].filter((f): f is string => typeof f === 'string' && f !== '')
}

/** `../shared/data` beside the installation (the directory holding package.json). */
export function defaultReferenceData(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 4 && !existsSync(join(dir, 'package.json')); i++) dir = dirname(dir)
  return join(dir, '..', 'shared', 'data')
}

/**
 * A trainer that runs `trainPrognostic` in a child process at low priority; the model comes back as
 * JSON. Aborting `signal` kills the child (the platform is closing).
 */
export const childProcessTrainer =
  (signal?: AbortSignal): PrognosticTrainer =>
  (family, params, data, progress) =>
  new Promise((resolve, reject) => {
    const url = new URL(`./prognostic.worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url)
    // From sources (tests, development) the child needs the same TypeScript loader.
    const child = fork(fileURLToPath(url), [], { execArgv: url.pathname.endsWith('.ts') ? ['--import', 'tsx'] : [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'], ...(signal ? { signal } : {}) })
    let stderr = ''
    child.stderr?.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-2000)))
    if (child.pid !== undefined) {
      try {
        setPriority(child.pid, DEMO_TRAINING_NICENESS)
      } catch {
        // Not allowed on this system: it trains at normal priority.
      }
    }
    let settled = false
    child.on('message', (m: WorkerMessage) => {
      switch (m.type) {
        case 'progress':
          progress(m.progress)
          break
        case 'done':
          settled = true
          resolve({ model: families.fromJSON(m.model), metrics: m.metrics, fingerprint: m.fingerprint, log: m.log })
          break
        case 'failed':
          settled = true
          reject(m.field !== undefined ? new TrainingSpecError(m.field, m.message.replace(`${m.field}: `, '')) : new Error(m.message))
          break
      }
    })
    child.on('error', (err) => {
      if (!settled) reject(err)
      settled = true
    })
    child.on('exit', (code, signal) => {
      if (!settled) reject(new Error(`training process exited (${signal ?? code}) before answering${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' / ')}` : ''}`))
      settled = true
    })
    child.send({ family, params, data } satisfies WorkerRequest)
  })

export type DemoModelsEvent =
  | { type: 'data_missing'; dataDir: string; missing: string }
  | { type: 'skipped'; model: string; version: number }
  | { type: 'started'; model: string }
  | { type: 'progress'; model: string; progress: TrainingProgress }
  | { type: 'trained'; model: string; result: TrainingResult; seconds: number }
  | { type: 'failed'; model: string; error: unknown }

export interface DemoModelsDeps {
  registry: RegistryService
  experiments: ExperimentService
  tenantId: string
  dataDir: string
  onEvent: (e: DemoModelsEvent) => void
  trainer?: PrognosticTrainer
  /** Aborted when the platform closes: the training under way is killed and no other starts. */
  signal?: AbortSignal
}

/**
 * Trains, registers and promotes each demo model that has no production version, one after the
 * other. Never throws: every outcome is an event. Resolves when all are done.
 */
export async function trainDemoModels(deps: DemoModelsDeps): Promise<TrainingResult[]> {
  const specs = demoModelSpecs(deps.dataDir)
  const out: TrainingResult[] = []
  for (const spec of specs) {
    if (deps.signal?.aborted) break
    try {
      const current = await deps.registry.deployment(deps.tenantId, spec.model).catch(() => null)
      if (current?.spec.production != null) {
        deps.onEvent({ type: 'skipped', model: spec.model, version: current.spec.production })
        continue
      }
      const missing = specFiles(spec).find((f) => !existsSync(f))
      if (missing !== undefined) {
        deps.onEvent({ type: 'data_missing', dataDir: deps.dataDir, missing })
        continue
      }
      deps.onEvent({ type: 'started', model: spec.model })
      const t0 = Date.now()
      const result = await deps.experiments.train(deps.tenantId, spec, {
        actor: 'system:demo',
        promote: true,
        trainer: deps.trainer ?? childProcessTrainer(deps.signal),
        onProgress: (progress) => deps.onEvent({ type: 'progress', model: spec.model, progress }),
      })
      out.push(result)
      deps.onEvent({ type: 'trained', model: spec.model, result, seconds: (Date.now() - t0) / 1000 })
    } catch (error) {
      if (deps.signal?.aborted) break
      deps.onEvent({ type: 'failed', model: spec.model, error })
    }
  }
  return out
}
