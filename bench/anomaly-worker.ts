/**
 * What scoring costs on the event loop (AnomalyStage) against on a worker thread
 * (AnomalyWorkerStage): messages of packed feature vectors (10 channels × 3 windows, one
 * vector per asset) scored back to back, as the pipeline's scoring consumer does.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/anomaly-worker.js [--assets 1000] [--messages 30] [--warm 5] [--pairs 3]
 *
 * Each pair runs both stages on fresh stores, alternated. Reported per stage: vectors/s, and
 * process CPU µs a vector (every thread: the worker, its copies and clones both ways, GC).
 * Progress goes to stderr; the last line on stdout is the figures as JSON.
 */
import { parseArgs } from 'node:util'
import { PackedVector, VectorPacker, type FeatureName } from '../src/features/feature-vector.js'
import { AnomalyStage, type AnomalyService } from '../src/pipeline/anomaly.stage.js'
import { AnomalyWorkerStage } from '../src/pipeline/anomaly.worker-stage.js'
import { PackedAssetFeatures, type AssetFeatures } from '../src/pipeline/bus.js'
import { openDuckDbStores } from '../src/store/duckdb/open.js'

const { values: args } = parseArgs({
  options: {
    assets: { type: 'string', default: '1000' },
    messages: { type: 'string', default: '30' },
    warm: { type: 'string', default: '5' },
    pairs: { type: 'string', default: '3' },
  },
})
const ASSETS = Number(args.assets)
const MESSAGES = Number(args.messages)
const WARM = Number(args.warm)
const PAIRS = Number(args.pairs)
const log = (s: string): void => void process.stderr.write(`${s}\n`)

const channels = Array.from({ length: 10 }, (_, i) => ({ name: `ch${i}`, min: -1000, max: 1000 }))
const names: FeatureName[] = []
for (const c of channels) for (const w of [10, 30, 60]) for (const f of ['count', 'mean', 'std', 'min', 'max', 'slope', 'last']) names.push(`${c.name}.w${w}.${f}` as FeatureName)
const packer = new VectorPacker()

/** Message k: one vector per asset, 10 s of data after message k − 1. */
function message(k: number): AssetFeatures[] {
  return Array.from({ length: ASSETS }, (_, a) => {
    const values = names.map((n, i) => (n.endsWith('.count') ? 10 : 50 + Math.sin(k * 0.1 + a + i)))
    const v: PackedVector = packer.pack(`a${a}`, names, values, names.length)
    return new PackedAssetFeatures(`a${a}`, 1_767_225_600_000 + k * 10_000, v)
  })
}

async function run(kind: 'event loop' | 'worker'): Promise<{ vectorsPerSec: number; cpuUsPerVector: number }> {
  const stores = await openDuckDbStores({ dataDir: ':memory:' })
  const info = async (): Promise<{ type: string; siteId: string; channels: typeof channels; metadata: Record<string, unknown> }> => ({ type: 'rotating_machine', siteId: 's', channels, metadata: {} })
  const opts = { probationVectors: 60, alarmScore: 0.7, checkpointIntervalMs: 0, health: { warning: 0.7, critical: 0.4 } }
  const stage: AnomalyService = kind === 'worker' ? new AnomalyWorkerStage(stores.detectorState, info, opts) : new AnomalyStage(stores.detectorState, info, opts)
  try {
    for (let k = 0; k < WARM; k++) await stage.score('t', message(k))
    const msgs = Array.from({ length: MESSAGES }, (_, k) => message(WARM + k))
    const t0 = performance.now()
    const c0 = process.cpuUsage()
    for (const m of msgs) await stage.score('t', m)
    const c = process.cpuUsage(c0)
    const sec = (performance.now() - t0) / 1000
    const vectors = MESSAGES * ASSETS
    return { vectorsPerSec: vectors / sec, cpuUsPerVector: (c.user + c.system) / vectors }
  } finally {
    await stage.stop()
    await stores.close()
  }
}

const res: Record<'event loop' | 'worker', { vectorsPerSec: number; cpuUsPerVector: number }[]> = { 'event loop': [], worker: [] }
for (let p = 0; p < PAIRS; p++) {
  for (const kind of ['event loop', 'worker'] as const) {
    const r = await run(kind)
    res[kind].push(r)
    log(`pair ${p + 1}, ${kind}: ${Math.round(r.vectorsPerSec)} vectors/s, ${r.cpuUsPerVector.toFixed(1)} CPU µs a vector`)
  }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const loop = median(res['event loop'].map((r) => r.cpuUsPerVector))
const worker = median(res.worker.map((r) => r.cpuUsPerVector))
process.stdout.write(
  `${JSON.stringify({
    event_loop_vectors_per_s: Math.round(median(res['event loop'].map((r) => r.vectorsPerSec))),
    worker_vectors_per_s: Math.round(median(res.worker.map((r) => r.vectorsPerSec))),
    event_loop_cpu_us_per_vector: +loop.toFixed(1),
    worker_cpu_us_per_vector: +worker.toFixed(1),
    worker_cpu_ratio: +(worker / loop).toFixed(2),
  })}\n`,
)
