/**
 * Memory held per asset by the anomaly stage's detector ensemble.
 *
 *   npm run build && node --expose-gc dist/bench/anomaly-memory.js [--assets 500] [--vectors 400] [--channels 10] [--type rotating_machine] [--span-days 8]
 *
 * Builds `--assets` ensembles as the anomaly stage does (`paramsForAsset` for the asset type),
 * feeds each `--vectors` feature vectors shaped like the features stage's (10, 30 and 60-s
 * windows × count, mean, std, min, max, slope, last per channel; Gaussian noise around a level
 * per channel) spread over `--span-days` of data time (so that every hour-of-week bucket of
 * the seasonal profile is in use, as on a long-running fleet), then reports the retained heap per asset (heap after a full GC, minus before,
 * divided by the asset count; typed arrays' backing stores included), the serialised checkpoint size per asset, and the heap held by
 * each member detector measured the same way on its own. Needs `--expose-gc`.
 * Progress goes to stderr; the last line on stdout is the figures as JSON.
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { families } from '../src/models/families.js'
import '../src/models/anomaly/asset-ensemble.model.js'
import { paramsForAsset } from '../src/models/anomaly/asset-ensemble.model.js'
import type { DetectorName } from '../src/models/anomaly/catalogue.js'
import { gaussian, machineVector } from '../src/models/anomaly/testing.fixtures.js'
import type { Model, StreamPoint } from '../src/models/model.js'

const { values: args } = parseArgs({
  options: {
    assets: { type: 'string', default: '500' },
    vectors: { type: 'string', default: '400' },
    channels: { type: 'string', default: '10' },
    type: { type: 'string', default: 'rotating_machine' },
    'span-days': { type: 'string', default: '8' },
  },
})
const ASSETS = Number(args.assets)
const VECTORS = Number(args.vectors)
const CHANNELS = Number(args.channels)
const TYPE = args.type
const STEP_MS = Math.max(10_000, Math.floor((Number(args['span-days']) * 86_400_000) / VECTORS))

const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with node --expose-gc')
const log = (s: string): void => void process.stderr.write(`${s}\n`)

/** Heap plus ArrayBuffer backing stores (typed arrays beyond 64 bytes live outside the V8 heap). */
function heap(): number {
  for (let i = 0; i < 3; i++) gc!()
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}

/** The i-th feature vector of an asset: each channel a noisy level, a reading per second. */
const vectorAt = (g: () => number, i: number): StreamPoint => machineVector(g, i, 1_767_571_200_000 + i * STEP_MS, CHANNELS)

const profile = { type: TYPE, channels: Array.from({ length: CHANNELS }, (_, c) => ({ name: `ch${c}`, min: -1000, max: 1000 })) }
const ensembleParams = paramsForAsset(profile, { probation: 60 })
const detectors = ensembleParams.detectors as DetectorName[]

const g = gaussian(7)
const stream = Array.from({ length: VECTORS }, (_, i) => vectorAt(g, i))

/** Heap retained per model after `VECTORS` updates, for models built by `make`. */
function measure(label: string, make: () => Model<StreamPoint, unknown>): { bytesPerAsset: number; jsonBytesPerAsset: number } {
  const before = heap()
  const models: Model<StreamPoint, unknown>[] = []
  for (let a = 0; a < ASSETS; a++) {
    const m = make()
    for (const v of stream) m.update!(v)
    models.push(m)
    if ((a + 1) % 100 === 0) log(`  ${label}: ${a + 1}/${ASSETS}`)
  }
  const after = heap()
  const json = JSON.stringify(models[0]!.toJSON()).length
  const bytesPerAsset = (after - before) / ASSETS
  log(`${label}: ${(bytesPerAsset / 1024).toFixed(1)} KB heap per asset, ${(json / 1024).toFixed(1)} KB serialised`)
  models.length = 0
  return { bytesPerAsset, jsonBytesPerAsset: json }
}

log(`${ASSETS} assets of type ${TYPE}, ${CHANNELS} channels, ${VECTORS} vectors each; detectors ${detectors.join(', ')}`)
// Warm-up, not measured: module-level caches (parsed feature names) and compiled code.
measure('warm-up', () => families.create('asset-ensemble', ensembleParams) as Model<StreamPoint, unknown>)
const members: Record<string, { kb: number; json_kb: number }> = {}
for (const d of detectors) {
  const r = measure(d, () => families.create('asset-ensemble', { ...ensembleParams, detectors: [d] }) as Model<StreamPoint, unknown>)
  members[d] = { kb: +(r.bytesPerAsset / 1024).toFixed(1), json_kb: +(r.jsonBytesPerAsset / 1024).toFixed(1) }
}
const all = measure('ensemble', () => families.create('asset-ensemble', ensembleParams) as Model<StreamPoint, unknown>)
process.stdout.write(
  `${JSON.stringify({
    assets: ASSETS,
    type: TYPE,
    channels: CHANNELS,
    vectors: VECTORS,
    ensemble_kb_per_asset: +(all.bytesPerAsset / 1024).toFixed(1),
    ensemble_json_kb_per_asset: +(all.jsonBytesPerAsset / 1024).toFixed(1),
    members,
    load_average_1m: +loadavg()[0]!.toFixed(2),
  })}\n`,
)
