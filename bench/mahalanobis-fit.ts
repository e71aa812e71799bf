/**
 * CPU of one Mahalanobis refit, from the detector's vector buffer as the ensemble refits it
 * (`VectorBuffer.choose`: rows read from the float32 matrix) against the same fit from the
 * buffer's vectors as objects (`records()`, the way refits read it before session 10), in
 * one run, alternated.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/mahalanobis-fit.js [--buffers 200] [--rows 90] [--channels 10] [--rounds 6]
 *
 * Each buffer holds `--rows` vectors of `--channels` × (mean, std, slope) of the longest
 * window, as the ensemble's features (defaults: 90 rows, the ensemble's buffer of 180
 * vectors taking every second one, and 30 features). Both paths give the same fit (tested in
 * multivariate.models.test.ts). Reported: median CPU µs per fit of each path over the rounds
 * after the first, their ratio, and what the new path saves per scored vector at the
 * ensemble's refit every 120 vectors.
 * Progress goes to stderr; the last line on stdout is the figures as JSON.
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { MAHALANOBIS_REFIT_EVERY } from '../src/models/anomaly/asset-ensemble.model.js'
import { gaussian } from '../src/models/anomaly/testing.fixtures.js'
import { fitRobust } from '../src/models/anomaly/mahalanobis.model.js'
import { chooseRows, VectorBuffer } from '../src/models/anomaly/multivariate.js'

const { values: args } = parseArgs({
  options: {
    buffers: { type: 'string', default: '200' },
    rows: { type: 'string', default: '90' },
    channels: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '6' },
  },
})
const BUFFERS = Number(args.buffers)
const ROWS = Number(args.rows)
const CHANNELS = Number(args.channels)
const ROUNDS = Math.max(2, Number(args.rounds))
const log = (s: string): void => void process.stderr.write(`${s}\n`)

const g = gaussian(7)
const buffers = Array.from({ length: BUFFERS }, () => {
  const b = new VectorBuffer(ROWS)
  for (let i = 0; i < ROWS; i++) {
    const v: Record<string, number> = {}
    for (let c = 0; c < CHANNELS; c++) {
      v[`ch${c}.w60.mean`] = 10 * c + g()
      v[`ch${c}.w60.std`] = Math.log(0.1 + 0.01 * Math.abs(g()))
      v[`ch${c}.w60.slope`] = 0.001 * g()
    }
    b.push(v)
  }
  return b
})
const params = { shrinkage: 0.01, support: 0.75 }
const paths = {
  objects: (b: VectorBuffer) => fitRobust(chooseRows(b.records()), params),
  matrix: (b: VectorBuffer) => fitRobust(b.choose(), params),
}
const times: Record<keyof typeof paths, number[]> = { objects: [], matrix: [] }
for (let r = 0; r < ROUNDS; r++) {
  for (const name of Object.keys(paths) as (keyof typeof paths)[]) {
    const c0 = process.cpuUsage()
    for (const b of buffers) paths[name](b)
    const c = process.cpuUsage(c0)
    const us = (c.user + c.system) / BUFFERS
    // The first round warms the JIT up.
    if (r > 0) times[name].push(us)
    log(`round ${r + 1}/${ROUNDS}: ${name} ${us.toFixed(0)} µs a fit`)
  }
}
const median = (a: number[]): number => [...a].sort((x, y) => x - y)[a.length >> 1]!
const objects = median(times.objects)
const matrix = median(times.matrix)
process.stdout.write(
  `${JSON.stringify({
    rows: ROWS,
    features: 3 * CHANNELS,
    fit_cpu_us_from_objects: Math.round(objects),
    fit_cpu_us_from_matrix: Math.round(matrix),
    ratio_matrix_to_objects: +(matrix / objects).toFixed(3),
    saved_cpu_us_per_vector: +((objects - matrix) / MAHALANOBIS_REFIT_EVERY).toFixed(2),
    load_average_1m: +loadavg()[0]!.toFixed(2),
  })}\n`,
)
