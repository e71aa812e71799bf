import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks'
import { getHeapStatistics, setFlagsFromString } from 'node:v8'

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

/** V8's own policy never lets the heap grow more than 4× its live data between full collections. */
const MAX_PERCENT = 300

/**
 * The growing percent for a heap with `liveBytes` live after a full collection: room up to
 * `targetBytes` while the live heap is small, never less than `floorPercent` (nor more than
 * V8's own most, 4×). `targetBytes` 0 gives `floorPercent` whatever the size.
 */
export function growingPercentFor(liveBytes: number, floorPercent: number, targetBytes: number): number {
  if (targetBytes <= 0 || liveBytes <= 0) return floorPercent
  const room = Math.floor((targetBytes / liveBytes - 1) * 100)
  return Math.min(Math.max(floorPercent, MAX_PERCENT), Math.max(floorPercent, room))
}

/**
 * Sets the heap's growth after every full collection from the live data it left
 * (`growingPercentFor`): a small heap (the throughput bench's 1,000 assets) may grow to
 * `targetMb` and collects rarely; a large one (the 10,000-asset soak) grows by
 * `floorPercent` only. With a fixed 50 % the small heap paid 10–25 % more CPU per MQTT
 * message for full collections it did not need.
 *
 * The flag is the process's, so the scoring worker's heap grows by the same percent:
 * `otherHeapsBytes` (the worker's heap in use, as it last reported) is counted with the main
 * heap against the target, so that the room a small main heap is given does not let a large
 * worker heap run to 4× its live data as well.
 *
 * @returns a function that stops following the collections, or null when the settings or
 *   node's own flags leave the heap alone (see applyHeapGrowingPercent).
 */
export function followHeapBudget(floorPercent: number, targetMb: number, opts: { execArgv?: readonly string[]; nodeOptions?: string; otherHeapsBytes?: () => number } = {}): (() => void) | null {
  if (applyHeapGrowingPercent(floorPercent, opts.execArgv, opts.nodeOptions) === null) return null
  if (targetMb <= 0) return () => undefined
  const target = targetMb * 2 ** 20
  const others = opts.otherHeapsBytes ?? ((): number => 0)
  let current = floorPercent
  const adjust = (): void => {
    const next = growingPercentFor(getHeapStatistics().used_heap_size + others(), floorPercent, target)
    // Small changes are not worth a flag write (V8 parses the flag string each time).
    if (Math.abs(next - current) < 10) return
    current = next
    setFlagsFromString(`--heap-growing-percent=${next}`)
  }
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if ((e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) return adjust()
  })
  obs.observe({ entryTypes: ['gc'] })
  adjust()
  return () => obs.disconnect()
}
