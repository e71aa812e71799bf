/**
 * Throughput of the streaming features: rolling windows for a fleet of 1 Hz channels
 * plus high-rate vibration channels, and FFT features over their windows.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/features.js [--assets 1000] [--channels 10]
 *     [--minutes 10] [--fast 100] [--fast-hz 256] [--fft-every-sec 1] [--vector-every-sec 10]
 *
 * Each simulated second becomes one batch (assets × channels readings at 1 Hz, then fast ×
 * fast-hz readings), built before the clock starts so that only `push` is timed. Every
 * `fft-every-sec` seconds each fast channel gets FFT features over every window (timed
 * apart); every `vector-every-sec` seconds every slow series gets its feature vector.
 * Progress goes to stderr; the last line on stdout is the figures as JSON.
 */
import { parseArgs } from 'node:util'
import { performance } from 'node:perf_hooks'
import { ReadingBatchBuilder } from '../src/domain/readings.js'
import { PaneEmissions, PaneFeatures } from '../src/features/pane.features.js'
import { RollingFeatures } from '../src/features/rolling.features.js'
import { Rng } from '../src/sim/prng.js'

const { values: args } = parseArgs({
  options: {
    assets: { type: 'string', default: '1000' },
    channels: { type: 'string', default: '10' },
    minutes: { type: 'string', default: '10' },
    fast: { type: 'string', default: '100' },
    'fast-hz': { type: 'string', default: '256' },
    'fft-every-sec': { type: 'string', default: '1' },
    'vector-every-sec': { type: 'string', default: '10' },
  },
})
const ASSETS = Number(args.assets)
const CHANNELS = Number(args.channels)
const SECONDS = Number(args.minutes) * 60
const FAST = Number(args.fast)
const FAST_HZ = Number(args['fast-hz'])
const FFT_EVERY_SEC = Number(args['fft-every-sec'])
const VECTOR_EVERY_SEC = Number(args['vector-every-sec'])
const T0 = Date.UTC(2026, 0, 1)
const FAST_BASE = ASSETS * CHANNELS
const log = (s: string): void => void process.stderr.write(`${s}\n`)
const perSec = (count: number, ms: number): number => (ms > 0 ? Math.round(count / (ms / 1000)) : 0)

/** Deterministic uniform [0, 1) numbers from the simulators' seeded generator. */
const rng = (seed: number): (() => number) => {
  const r = new Rng(seed)
  return () => r.next()
}

const rand = rng(1)
const rf = new RollingFeatures()
// The features stage's path: panes of 10 s for every series (rolling windows above are what it keeps for fast series only).
const pf = new PaneFeatures({ windowsSec: rf.windowsSec, hopSec: 10, maxSeries: 1_000_000, fastRateHz: 8 })
const paneOut = new PaneEmissions()
let paneMs = 0
let paneEmitted = 0
const builder = new ReadingBatchBuilder(ASSETS * CHANNELS + FAST * FAST_HZ)

function buildSecond(sec: number): void {
  builder.truncate(0)
  for (let a = 0; a < ASSETS; a++) {
    // Assets report at different phases within the second, as real fleets do.
    const ts = T0 + sec * 1000 + (a % 997)
    for (let c = 0; c < CHANNELS; c++) builder.push(a * CHANNELS + c, ts, 20 + c + Math.sin(sec / 60 + a) + 0.1 * rand())
  }
  for (let f = 0; f < FAST; f++) {
    const toneHz = 5 + (f % 100)
    for (let i = 0; i < FAST_HZ; i++) {
      const tSec = sec + i / FAST_HZ
      builder.push(FAST_BASE + f, T0 + tSec * 1000, Math.sin(2 * Math.PI * toneHz * tSec) + 0.3 * (rand() - 0.5))
    }
  }
}

let readings = 0
let pushMs = 0
let fftWindows = 0
let fftMs = 0
let vectors = 0
let vectorMs = 0
let features = 0
log(`features bench: ${ASSETS * CHANNELS} series at 1 Hz + ${FAST} at ${FAST_HZ} Hz, ${SECONDS} simulated s, windows ${rf.windowsSec.join('/')} s`)
const wallStart = performance.now()
for (let sec = 0; sec < SECONDS; sec++) {
  buildSecond(sec)
  const batch = builder.build()
  let t = performance.now()
  rf.push(batch)
  pushMs += performance.now() - t
  readings += batch.length
  t = performance.now()
  paneOut.clear()
  pf.push(batch, paneOut, true)
  paneMs += performance.now() - t
  paneEmitted += paneOut.length

  if ((sec + 1) % FFT_EVERY_SEC === 0) {
    t = performance.now()
    for (let f = 0; f < FAST; f++) {
      for (const w of rf.windowsSec) if (rf.fft(FAST_BASE + f, w) !== undefined) fftWindows++
    }
    fftMs += performance.now() - t
  }
  if ((sec + 1) % VECTOR_EVERY_SEC === 0) {
    t = performance.now()
    for (let s = 0; s < ASSETS * CHANNELS; s++) features += Object.keys(rf.vector(s, `ch${s % CHANNELS}`)).length
    vectors += ASSETS * CHANNELS
    vectorMs += performance.now() - t
    rf.releaseIdle(T0 + sec * 1000)
  }
  if ((sec + 1) % 60 === 0) {
    const st = rf.stats()
    log(
      `  ${(sec + 1) / 60} min: ${readings.toLocaleString('en')} readings, push ${perSec(readings, pushMs).toLocaleString('en')}/s, ` +
        `${fftWindows} FFT windows (${perSec(fftWindows, fftMs).toLocaleString('en')}/s), ${st.series} series, ${st.samples.toLocaleString('en')} buffered, ` +
        `panes ${perSec(readings, paneMs).toLocaleString('en')}/s, heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB`,
    )
  }
}
const st = rf.stats()
const result = {
  readings_per_s: perSec(readings, pushMs),
  pane_readings_per_s: perSec(readings, paneMs),
  pane_vs_rolling: pushMs > 0 ? +(pushMs / paneMs).toFixed(2) : 0,
  pane_ns_per_reading: +((paneMs * 1e6) / readings).toFixed(1),
  pane_window_emissions: paneEmitted,
  fft_windows_per_s: perSec(fftWindows, fftMs),
  vectors_per_s: perSec(vectors, vectorMs),
  readings,
  fft_windows: fftWindows,
  vectors,
  features,
  series: st.series,
  buffered_samples: st.samples,
  late: st.late,
  duplicates: st.duplicates,
  heap_mb: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
  rss_mb: Math.round(process.memoryUsage().rss / 2 ** 20),
  wall_s: Math.round((performance.now() - wallStart) / 100) / 10,
}
process.stdout.write(`${JSON.stringify(result)}\n`)
