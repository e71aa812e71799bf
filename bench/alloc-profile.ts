/**
 * What the event loop allocates, garbage included, over a window of a bench run: a preload
 * for the server that runs V8's sampling heap profiler (with the objects that scavenges and
 * full collections freed, which a heap snapshot never shows) between two marker files, and
 * prints the largest allocating functions when it stops.
 *
 *   BENCH_SERVER_NODE_ARGS='--import=./dist/bench/alloc-profile.js' node dist/bench/ingest.js --qos1-only --ab-warm-vectors 40
 *   touch /tmp/prognos-alloc.start   # once the phase to look at runs
 *   touch /tmp/prognos-alloc.stop    # a few seconds later: the summary goes to the server's stderr
 *
 * ALLOC_PROFILE_DIR changes where the marker files are looked for (default: the temp
 * directory); ALLOC_PROFILE_OUT also writes the raw profile (.heapprofile, for Chrome's tools).
 * Only the main thread is profiled. Figures are sampled (one per 16 KB allocated, on average).
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import type { HeapProfiler } from 'node:inspector'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isMainThread } from 'node:worker_threads'

const dir = process.env.ALLOC_PROFILE_DIR ?? tmpdir()
const startFile = join(dir, 'prognos-alloc.start')
const stopFile = join(dir, 'prognos-alloc.stop')
const TOP = 25

/** Bytes allocated per function (name, file, line), largest first, and the total. */
function summarise(profile: HeapProfiler.SamplingHeapProfile): { total: number; top: [string, number][] } {
  const self = new Map<string, number>()
  let total = 0
  const stack: HeapProfiler.SamplingHeapProfileNode[] = [profile.head]
  while (stack.length > 0) {
    const n = stack.pop()!
    const f = n.callFrame
    const k = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${f.lineNumber + 1}`
    self.set(k, (self.get(k) ?? 0) + n.selfSize)
    total += n.selfSize
    stack.push(...n.children)
  }
  return { total, top: [...self].sort((a, b) => b[1] - a[1]).slice(0, TOP) }
}

if (isMainThread) {
  for (const f of [startFile, stopFile]) rmSync(f, { force: true })
  const session = new Session()
  session.connect()
  let state: 'waiting' | 'sampling' | 'done' = 'waiting'
  let startedAt = 0
  const timer = setInterval(() => {
    if (state === 'waiting' && existsSync(startFile)) {
      state = 'sampling'
      startedAt = performance.now()
      void session.post('HeapProfiler.startSampling', { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true })
    } else if (state === 'sampling' && existsSync(stopFile)) {
      state = 'done'
      clearInterval(timer)
      void session.post('HeapProfiler.stopSampling').then(({ profile }) => {
        const seconds = (performance.now() - startedAt) / 1000
        if (process.env.ALLOC_PROFILE_OUT) writeFileSync(process.env.ALLOC_PROFILE_OUT, JSON.stringify(profile))
        const { total, top } = summarise(profile)
        const lines = top.map(([k, b]) => `${((100 * b) / total).toFixed(1).padStart(5)} %  ${k}`)
        process.stderr.write(`allocations over ${seconds.toFixed(1)} s: ${(total / 2 ** 20).toFixed(0)} MB (${(total / 2 ** 20 / seconds).toFixed(0)} MB/s)\n${lines.join('\n')}\n`)
      })
    }
  }, 100)
  timer.unref()
}
