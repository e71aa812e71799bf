/**
 * CPU the anomaly scoring stage spends per feature vector, checkpoints included, on a fleet.
 *
 *   npm run build && node dist/bench/anomaly-cpu.js [--assets 2000] [--warm 20] [--rounds 30]
 *     [--checkpoint-rounds 6] [--batch 1000] [--type rotating_machine] [--predictions true|false]
 *
 * Runs the pipeline's AnomalyStage, over a DuckDB detector-state store in a temporary
 * directory (as `prognos start` does), on `--assets` assets of 10 channels. A round scores
 * one feature vector per asset (shaped like the features stage's: 10/30/60-s windows × 7
 * statistics per channel, data time 10 s apart, packed as the features stage publishes them),
 * in `score` calls of `--batch` assets, whose predictions are appended to the DuckDB prediction
 * store as the pipeline's `store` consumer does (`--predictions false` skips that); every
 * `--checkpoint-rounds` rounds the stage checkpoints, as its 60-s timer does on a fleet whose
 * assets each send a vector every 10 s (so every asset is dirty at every checkpoint). The
 * first `--warm` rounds (new ensembles, JIT) are not measured. CPU is the process's
 * (`process.cpuUsage`: user + system, DuckDB's threads included), stable where wall time on
 * a shared machine is not; reported per vector, split into scoring, prediction writes and checkpoints.
 * Run it under `node --cpu-prof` to see where the time goes.
 * Progress goes to stderr; the last line on stdout is the figures as JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { VectorPacker, type FeatureName } from '../src/features/feature-vector.js'
import { gaussian, machineVector } from '../src/models/anomaly/testing.fixtures.js'
import { AnomalyStage, type AnomalyAssetInfo } from '../src/pipeline/anomaly.stage.js'
import { PackedAssetFeatures, type AssetFeatures } from '../src/pipeline/bus.js'
import { openDuckDbStores } from '../src/store/duckdb/open.js'

const { values: args } = parseArgs({
  options: {
    assets: { type: 'string', default: '2000' },
    warm: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '30' },
    'checkpoint-rounds': { type: 'string', default: '6' },
    batch: { type: 'string', default: '1000' },
    type: { type: 'string', default: 'rotating_machine' },
    predictions: { type: 'string', default: 'true' },
  },
})
const ASSETS = Number(args.assets)
const WARM = Number(args.warm)
const ROUNDS = Number(args.rounds)
const CHECKPOINT_ROUNDS = Number(args['checkpoint-rounds'])
const BATCH = Number(args.batch)
const PREDICTIONS = args.predictions !== 'false'
const CHANNELS = 10
const STEP_MS = 10_000
const T0 = 1_767_571_200_000
const log = (s: string): void => void process.stderr.write(`${s}\n`)
const cpuMicros = (): number => {
  const u = process.cpuUsage()
  return u.user + u.system
}

const dir = mkdtempSync(join(tmpdir(), 'prognos-anomaly-cpu-'))
const stores = await openDuckDbStores({ dataDir: dir })
const info: AnomalyAssetInfo = { type: args.type, siteId: null, channels: Array.from({ length: CHANNELS }, (_, c) => ({ name: `ch${c}` })) }
const stage = new AnomalyStage(stores.detectorState, () => Promise.resolve(info), { probationVectors: 60, alarmScore: 0.7, checkpointIntervalMs: 0, health: { warning: 0.7, critical: 0.4 } })
const ids = Array.from({ length: ASSETS }, (_, i) => `a${String(i).padStart(5, '0')}`)
const g = gaussian(11)

const packer = new VectorPacker()
/** A vector as the features stage publishes it: packed values under a shape shared by the fleet. */
const packed = (assetId: string, values: Readonly<Record<string, number>>, ts: number): AssetFeatures => {
  const names = Object.keys(values) as FeatureName[]
  return new PackedAssetFeatures(assetId, ts, packer.pack(assetId, names, Object.values(values), names.length))
}

let scoreCpu = 0
let predictionCpu = 0
let predictions = 0
let fullDetails = 0
let checkpointCpu = 0
let vectors = 0
let checkpoints = 0
log(`${ASSETS} assets (${args.type}), ${WARM} warm-up rounds, ${ROUNDS} measured, a checkpoint every ${CHECKPOINT_ROUNDS} rounds`)
try {
  for (let r = 0; r < WARM + ROUNDS; r++) {
    const measured = r >= WARM
    const ts = T0 + r * STEP_MS
    // Vectors are built outside the measured CPU: the features stage makes them, not this one.
    const batches: AssetFeatures[][] = []
    for (let off = 0; off < ASSETS; off += BATCH) batches.push(ids.slice(off, off + BATCH).map((assetId) => packed(assetId, machineVector(g, r, ts, CHANNELS).values, ts)))
    let c0 = cpuMicros()
    let c1 = c0
    for (const b of batches) {
      const out = await stage.score('t1', b)
      const c = cpuMicros()
      if (measured) scoreCpu += c - c0
      if (PREDICTIONS) await stores.predictions.append('t1', out)
      c0 = c1 = cpuMicros()
      if (measured) {
        predictionCpu += c1 - c
        predictions += out.length
        for (const p of out) if (p.detailsRepeat !== true) fullDetails++
      }
    }
    if (measured) vectors += ASSETS
    if ((r + 1) % CHECKPOINT_ROUNDS === 0) {
      await stage.checkpoint()
      if (measured) {
        checkpointCpu += cpuMicros() - c1
        checkpoints++
      }
    }
    if (r % 10 === 9) log(`  round ${r + 1}: ${vectors ? ((scoreCpu + predictionCpu + checkpointCpu) / vectors).toFixed(1) : '-'} µs CPU per vector so far`)
  }
} finally {
  await stores.close()
  rmSync(dir, { recursive: true, force: true })
}
const perVector = (scoreCpu + predictionCpu + checkpointCpu) / vectors
log(`scoring ${(scoreCpu / vectors).toFixed(1)} µs + prediction writes ${(predictionCpu / vectors).toFixed(1)} µs + checkpoints ${(checkpointCpu / vectors).toFixed(1)} µs = ${perVector.toFixed(1)} µs CPU per vector`)
process.stdout.write(
  `${JSON.stringify({
    assets: ASSETS,
    type: args.type,
    warm_rounds: WARM,
    rounds: ROUNDS,
    checkpoints,
    vectors,
    score_cpu_us_per_vector: +(scoreCpu / vectors).toFixed(1),
    predictions_per_vector: +(predictions / vectors).toFixed(2),
    // Predictions whose details are stored (not marked as repeats of the last stored ones).
    full_details_share: +(fullDetails / Math.max(1, predictions)).toFixed(3),
    prediction_write_cpu_us_per_vector: +(predictionCpu / vectors).toFixed(1),
    checkpoint_cpu_us_per_vector: +(checkpointCpu / vectors).toFixed(1),
    cpu_us_per_vector: +perVector.toFixed(1),
    // The share of one core 1,000 vectors a second (10,000 assets, a vector every 10 s) take.
    cores_at_1000_vectors_per_s: +(perVector / 1000).toFixed(3),
    load_average_1m: +loadavg()[0]!.toFixed(2),
  })}\n`,
)
