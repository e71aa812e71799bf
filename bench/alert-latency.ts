/**
 * Alert latency: from an acknowledged reading (the HTTP ingest answer) to the webhook
 * request that notifies its alert, while 10,000 readings/s of background load stream in.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/alert-latency.js [--seconds 30]
 *     [--rate 10000] [--probes-per-sec 5] [--warmup-sec 3] [--store duckdb|postgres]
 *
 * One process: the platform (DuckDB in a temp directory, or PostgreSQL with
 * --store postgres), a local webhook receiver and the load generator, all on real sockets.
 * Background: `--rate` readings/s as HTTP batches every 100 ms (100 assets × 10 channels,
 * values far below any threshold, timestamps moving forward), with features on. Probes: a
 * reading above a threshold rule on one of 50 probe assets, then one below it to resolve
 * (flap suppression is turned off so every probe notifies). For each probe the time from
 * its ingest answer to the arrival of its `opened` webhook is recorded, and split in three:
 * ack → commit start (evaluation, and the wait for a commit already in flight), the commit
 * (alert + outbox, one transaction), and commit end → webhook arrival (delivery). The
 * 1-minute load average at start and end is printed beside the figures: on a shared
 * machine it decides the tail more than anything measured here.
 * Progress goes to stderr; the last stdout line is the figures as JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { loadConfig } from '../src/config.js'
import { createLogger } from '../src/logger.js'
import { createPlatform } from '../src/main.js'

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    rate: { type: 'string', default: '10000' },
    'probes-per-sec': { type: 'string', default: '5' },
    'warmup-sec': { type: 'string', default: '3' },
    store: { type: 'string', default: 'duckdb' },
  },
})
const SECONDS = Number(args.seconds)
const RATE = Number(args.rate)
const PROBES_PER_SEC = Number(args['probes-per-sec'])
const WARMUP_SEC = Number(args['warmup-sec'])
const LOAD_ASSETS = 100
const LOAD_CHANNELS = 10
const PROBE_ASSETS = 50
const TICK_MS = 100
const PASSWORD = 'alert-latency-bench'
const log = (s: string): void => {
  process.stderr.write(`${s}\n`)
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!
}
const round = (x: number): number => Math.round(x * 100) / 100

async function main(): Promise<void> {
  // The receiver: records when each alert's notification arrives.
  const arrived = new Map<string, number>()
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const at = performance.now()
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { transitions: { kind: string; alert: { assetId: string; value: number } }[] }
      for (const t of body.transitions) if (t.kind === 'opened') arrived.set(`${t.alert.assetId}:${t.alert.value}`, at)
      res.writeHead(200).end()
    })
  })
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`

  const dir = mkdtempSync(join(tmpdir(), 'prognos-alert-latency-'))
  const env: Record<string, string> = {
    PROGNOS_DATA_DIR: dir,
    PROGNOS_PORT: '0',
    PROGNOS_ADMIN_PASSWORD: PASSWORD,
    PROGNOS_DEMO: 'off',
    PROGNOS_MQTT: 'off',
    PROGNOS_LOG_LEVEL: 'warn',
    PROGNOS_ALERTS_DEFAULT_RULES: 'false',
    PROGNOS_ALERTS_FLAP_MAX_OPENS: '1000000',
    PROGNOS_ROLLUP_INTERVAL_SEC: '0',
  }
  let dropSchema = async (): Promise<void> => undefined
  if (args.store === 'postgres') {
    // A schema of its own, dropped at the end: nothing left over from an earlier run is delivered in this one.
    const url = process.env.PROGNOS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
    const schema = `bench_alerts_${Date.now().toString(36)}`
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(`CREATE SCHEMA ${schema}`)
    env.PROGNOS_DATABASE_URL = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`
    dropSchema = async () => {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`)
      await admin.end()
    }
  }
  const platform = await createPlatform(loadConfig({ env }), createLogger('warn'))
  // How long the store's commit (transition + outbox, one transaction) takes, and how late the event loop runs.
  const commitMs: number[] = []
  // When the commit holding each probe's `opened` transition started: ack → here is evaluation and queueing.
  const commitStarted = new Map<string, number>()
  // When that commit ended (durable): from here on the time is the delivery's.
  const commitEnded = new Map<string, number>()
  const store = platform.stores.alerts
  const commit = store.commit.bind(store)
  store.commit = async (a, o, d) => {
    const t0 = performance.now()
    const opened = a.filter((x) => x.state === 'open' && !commitStarted.has(`${x.assetId}:${x.value}`)).map((x) => `${x.assetId}:${x.value}`)
    for (const k of opened) commitStarted.set(k, t0)
    await commit(a, o, d)
    const t1 = performance.now()
    for (const k of opened) commitEnded.set(k, t1)
    commitMs.push(t1 - t0)
  }
  const loopDelay = monitorEventLoopDelay({ resolution: 10 })
  loopDelay.enable()
  // When each transition was committed and published (the stage's half of the latency).
  const committed = new Map<string, number>()
  platform.bus.subscribe('alerts', 'bench', (m) => {
    const at = performance.now()
    for (const a of m.alerts) if (a.details?.transition === 'opened') committed.set(`${a.assetId}:${String(a.details.value)}`, at)
  })
  const base = (await platform.listen()).replace('localhost', '127.0.0.1')
  const login = (await (await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) })).json()) as { accessToken: string }
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${login.accessToken}` }
  const post = async (path: string, body: unknown): Promise<Response> => fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })

  const site = `s${Date.now().toString(36)}`
  await post('/v1/sites', { id: site, name: 'Bench', latitude: 0, longitude: 0, timezone: 'UTC' })
  const channels = Array.from({ length: LOAD_CHANNELS }, (_, c) => ({ name: `c${c}` }))
  for (let a = 0; a < LOAD_ASSETS; a++) await post('/v1/assets', { id: `${site}-load-${a}`, siteId: site, type: 'load', channels })
  for (let a = 0; a < PROBE_ASSETS; a++) await post('/v1/assets', { id: `${site}-probe-${a}`, siteId: site, type: 'probe', channels: [{ name: 'temp' }] })
  await post('/v1/notification-channels', { name: 'bench hook', type: 'webhook', config: { url: hookUrl, secret: 'bench-signing-secret-0123' }, rateLimitPerMin: 0 })
  await post('/v1/alert-rules', { id: 'probe-hot', kind: 'threshold', scope: { assetType: 'probe' }, target: 'temp', warning: 100 })
  // Load channels have a rule too, never crossed, so the background readings go through rule evaluation.
  await post('/v1/alert-rules', { id: 'load-high', kind: 'threshold', scope: { assetType: 'load' }, target: 'c0', warning: 1e9 })

  // Background load.
  let loadSent = 0
  let loadTs = Date.now() - 3_600_000
  let running = true
  const perTick = Math.round((RATE * TICK_MS) / 1000 / LOAD_CHANNELS)
  let cursor = 0
  const loadLoop = (async () => {
    let next = performance.now()
    while (running && perTick > 0) {
      const records = []
      for (let i = 0; i < perTick; i++) {
        const a = cursor++ % LOAD_ASSETS
        if (a === 0) loadTs += 100
        const values: Record<string, number> = {}
        for (let c = 0; c < LOAD_CHANNELS; c++) values[`c${c}`] = Math.sin(loadTs / 1000 + c) * 10
        records.push({ asset: `${site}-load-${a}`, ts: loadTs, values })
      }
      const res = await post('/v1/ingest', { records })
      if (res.ok) loadSent += records.length * LOAD_CHANNELS
      await res.arrayBuffer()
      next += TICK_MS
      const wait = next - performance.now()
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    }
  })()

  // Probes.
  const latencies: number[] = []
  const acked = new Map<string, number>()
  let seq = 0
  const loadAtStart = loadavg()[0]!
  const started = performance.now()
  const probeEveryMs = 1000 / PROBES_PER_SEC
  log(`alert-latency: ${RATE} readings/s background, ${PROBES_PER_SEC} probes/s for ${SECONDS} s (+${WARMUP_SEC} s warm-up)`)
  while (performance.now() - started < (SECONDS + WARMUP_SEC) * 1000) {
    const a = seq % PROBE_ASSETS
    const value = 200 + seq
    const ts = Date.now()
    const res = await post('/v1/ingest', { records: [{ asset: `${site}-probe-${a}`, ts, values: { temp: value } }] })
    await res.arrayBuffer()
    const ack = performance.now()
    if (res.ok && ack - started >= WARMUP_SEC * 1000) acked.set(`${site}-probe-${a}:${value}`, ack)
    // Cool down right away so the next probe of this asset opens a new alert.
    await (await post('/v1/ingest', { records: [{ asset: `${site}-probe-${a}`, ts: ts + 1, values: { temp: 0 } }] })).arrayBuffer()
    seq++
    if (seq % (PROBES_PER_SEC * 5) === 0) log(`  ${Math.round((performance.now() - started) / 1000)} s: ${seq} probes, ${arrived.size} notified, background ${Math.round(loadSent / ((performance.now() - started) / 1000))} readings/s`)
    await new Promise((r) => setTimeout(r, probeEveryMs))
  }
  const elapsedSec = (performance.now() - started) / 1000
  running = false
  await loadLoop
  const deadline = performance.now() + 10_000
  while (performance.now() < deadline && [...acked.keys()].some((k) => !arrived.has(k))) await new Promise((r) => setTimeout(r, 50))
  let missing = 0
  const toCommit: number[] = []
  const toCommitStart: number[] = []
  const probeCommit: number[] = []
  const delivery: number[] = []
  for (const [k, ack] of acked) {
    const at = arrived.get(k)
    if (at === undefined) missing++
    else latencies.push(at - ack)
    const s0 = commitStarted.get(k)
    const s1 = commitEnded.get(k)
    if (s0 !== undefined && s1 !== undefined) probeCommit.push(s1 - s0)
    if (s1 !== undefined && at !== undefined) delivery.push(at - s1)
    const c = committed.get(k)
    if (c !== undefined) toCommit.push(c - ack)
    const s = commitStarted.get(k)
    if (s !== undefined) toCommitStart.push(s - ack)
  }
  const loadAtEnd = loadavg()[0]!
  await platform.close()
  await dropSchema()
  await new Promise<void>((r) => receiver.close(() => r()))
  rmSync(dir, { recursive: true, force: true })
  const result = {
    bench: 'alert-latency',
    store: args.store,
    background_readings_per_sec: Math.round(loadSent / elapsedSec),
    probes: acked.size,
    notified: latencies.length,
    missing,
    p50_ms: round(pct(latencies, 50)),
    p90_ms: round(pct(latencies, 90)),
    p99_ms: round(pct(latencies, 99)),
    max_ms: round(Math.max(...latencies)),
    ack_to_commit_start_p50_ms: round(pct(toCommitStart, 50)),
    ack_to_commit_start_p99_ms: round(pct(toCommitStart, 99)),
    probe_commit_p50_ms: round(pct(probeCommit, 50)),
    probe_commit_p99_ms: round(pct(probeCommit, 99)),
    commit_to_webhook_p50_ms: round(pct(delivery, 50)),
    commit_to_webhook_p99_ms: round(pct(delivery, 99)),
    ack_to_commit_p50_ms: round(pct(toCommit, 50)),
    ack_to_commit_p99_ms: round(pct(toCommit, 99)),
    store_commit_p50_ms: round(pct(commitMs, 50)),
    store_commit_p99_ms: round(pct(commitMs, 99)),
    event_loop_delay_p99_ms: round(loopDelay.percentile(99) / 1e6),
    load_avg_1m_start: round(loadAtStart),
    load_avg_1m_end: round(loadAtEnd),
    target_p99_ms: 100,
  }
  log(`p50 ${result.p50_ms} ms, p99 ${result.p99_ms} ms over ${result.notified} notifications at ${result.background_readings_per_sec} readings/s`)
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

main().catch((err: unknown) => {
  process.stderr.write(`alert-latency failed: ${(err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
