import { setFlagsFromString } from 'node:v8'

const FLAG = /^--heap[-_]growing[-_]percent(=|$)/

/**
 * Sets how far V8 lets the JS heap grow over its live data before the next full collection,
 * for the server process (`prognos start`).
 *
 * Under a steady stream most of what the pipeline allocates dies within a batch, but V8
 * picks a growth factor of up to 4 when collection is cheap relative to allocation, so the
 * heap in use swings to several times the live data: in the 10,000-asset soak
 * (bench/ingest) ~125 MB live (heap snapshot) against 370–430 MB in use. A fixed factor of
 * 1.5 held it at 240–270 MB (docs/benchmarks.md).
 *
 * V8 reads this flag at every full collection, so setting it once the process runs takes
 * effect (unlike the heap's size limits, which only a start-up flag can set). A
 * `--heap-growing-percent` given to node itself wins: an operator's explicit choice.
 *
 * @returns the percent applied, or null when left to node's flags or V8's policy (0).
 */
export function applyHeapGrowingPercent(percent: number, execArgv: readonly string[] = process.execArgv, nodeOptions: string = process.env.NODE_OPTIONS ?? ''): number | null {
  if (percent <= 0) return null
  if ([...execArgv, ...nodeOptions.split(/\s+/)].some((a) => FLAG.test(a))) return null
  setFlagsFromString(`--heap-growing-percent=${percent}`)
  return percent
}
