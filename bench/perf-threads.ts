/**
 * A server's CPU by thread from a `perf record -g -p PID` of it, in CPU seconds per million
 * readings: where scoring's cost lands (main thread, anomaly worker, the rest).
 *
 *   perf record -F 499 -g -p PID -o FILE -- sleep 9      # during an HTTP phase of bench/ingest
 *   node dist/bench/perf-threads.js --data FILE --readings N [--hz 499]
 *
 * N is the readings the server took while perf recorded (the phase's rate × the seconds). Server
 * PIDs: with `BENCH_SERVER_NODE_ARGS=--perf-basic-prof-only-functions`, JavaScript frames have
 * names; `pgrep -n -f "dist/src/cli/main.js start"` once bench/ingest logs "HTTP: 8 clients".
 * A thread is the main thread when its id is the process's, the anomaly worker when a fifth or
 * more of its samples run `models/anomaly` code, DuckDB's when most run libduckdb, and other
 * (V8's GC and compiler threads, libuv's pool) otherwise.
 * Progress goes to stderr; the last line on stdout is the figures as JSON.
 */
import { execFileSync } from 'node:child_process'
import { parseArgs } from 'node:util'

const { values: args } = parseArgs({
  options: {
    data: { type: 'string' },
    readings: { type: 'string' },
    hz: { type: 'string', default: '499' },
  },
})
if (!args.data || !args.readings) throw new Error('usage: perf-threads --data FILE --readings N [--hz 499]')
const readings = Number(args.readings)
const hz = Number(args.hz)
if (!(readings > 0) || !(hz > 0)) throw new Error('--readings and --hz must be positive numbers')

const script = execFileSync('perf', ['script', '-i', args.data, '-F', 'pid,tid,ip,sym,dso'], { maxBuffer: 1 << 30, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })

interface Thread {
  /** The process's main thread (its id is the process's). */
  main: boolean
  samples: number
  anomaly: number
  duckdb: number
}
const threads = new Map<number, Thread>()
let current: Thread | null = null
let stack = ''
const close = (): void => {
  if (!current) return
  if (stack.includes('/models/anomaly/') || stack.includes('anomaly.worker')) current.anomaly++
  else if (stack.includes('duckdb')) current.duckdb++
}
for (const line of script.split('\n')) {
  // A sample starts with a `pid/tid` line; its stack's frames follow, one a line.
  const head = /^\s*(\d+)\/(\d+)\s*$/.exec(line)
  if (head) {
    close()
    const tid = Number(head[2])
    current = threads.get(tid) ?? { main: head[1] === head[2], samples: 0, anomaly: 0, duckdb: 0 }
    threads.set(tid, current)
    current.samples++
    stack = ''
  } else stack += line
}
close()
if (threads.size === 0) throw new Error(`no samples in ${args.data}`)

const seconds = { main: 0, worker: 0, duckdb: 0, other: 0 }
for (const t of threads.values()) {
  const s = t.samples / hz
  if (t.main) seconds.main += s
  else if (t.anomaly >= 0.2 * t.samples) seconds.worker += s
  else if (t.duckdb > 0.5 * t.samples) seconds.duckdb += s
  else seconds.other += s
}
const perM = (s: number): number => +(s / (readings / 1e6)).toFixed(3)
process.stderr.write(`${threads.size} threads, ${[...threads.values()].reduce((a, t) => a + t.samples, 0)} samples\n`)
process.stdout.write(
  `${JSON.stringify({
    main_s_per_m_readings: perM(seconds.main),
    worker_s_per_m_readings: perM(seconds.worker),
    duckdb_s_per_m_readings: perM(seconds.duckdb),
    other_s_per_m_readings: perM(seconds.other),
    total_s_per_m_readings: perM(seconds.main + seconds.worker + seconds.duckdb + seconds.other),
  })}\n`,
)
