/**
 * End-to-end HTTP ingest into DuckDB versus the store's raw append rate, in one run.
 *
 *   npm run build && node dist/bench/ingest-http.js [--seconds 20] [--clients 8] [--assets 1000] [--features on|off|both]
 *
 * The server runs as its own process (as in production); the clients send pre-serialised
 * batches of 1,000 records × 10 channels over keep-alive connections. Every request moves
 * the fleet's clock on by one second (the timestamps are patched into the pre-serialised
 * body), so the features stage sees a 1 Hz fleet replayed fast and does its full work:
 * windows slide, snapshots are stored every 10 s of data time. A 503 (features queue
 * saturated) is counted and the same body is sent again 20 ms later.
 * With `--features both` (the default) the HTTP phase runs twice, features off then on,
 * each on a fresh server. The raw rate appends the same readings straight through the
 * DuckDB adapter before and after the HTTP phases (their mean is the baseline of the ratio).
 * Progress goes to stderr; the last line on stdout is the figures as JSON.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { ReadingBatchBuilder } from '../src/domain/readings.js'
import { openDuckDbStores } from '../src/store/duckdb/open.js'

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    clients: { type: 'string', default: '8' },
    assets: { type: 'string', default: '1000' },
    port: { type: 'string', default: '18931' },
    features: { type: 'string', default: 'both' },
  },
})
const FEATURE_MODES: ('off' | 'on')[] = args.features === 'both' ? ['off', 'on'] : args.features === 'off' ? ['off'] : ['on']
const RETRY_MS = 20
const SECONDS = Number(args.seconds)
const CLIENTS = Number(args.clients)
const ASSETS = Number(args.assets)
const CHANNELS = 10
const RECORDS_PER_REQUEST = 1000
const PORT = Number(args.port)
const PASSWORD = 'bench-password-123'
const log = (s: string): void => void process.stderr.write(`${s}\n`)

interface Res {
  status: number
  body: string
}
const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS + 2 })
function http(method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: PORT, method, path, agent, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

async function waitReady(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await http('GET', '/ready', {})).status === 200) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('server did not become ready')
}

const channelNames = Array.from({ length: CHANNELS }, (_, i) => `ch${i}`)
const assetIds = Array.from({ length: ASSETS }, (_, i) => `a${String(i).padStart(5, '0')}`)
const T0 = Date.now() - 86_400_000

/** One request body: one record per asset (up to 1,000) at one timestamp. */
function body(n: number): string {
  const ts = T0 + n * 1000
  const records = []
  for (let r = 0; r < RECORDS_PER_REQUEST; r++) {
    const values: Record<string, number> = {}
    for (let c = 0; c < CHANNELS; c++) values[channelNames[c]!] = Math.round(Math.sin(n + r + c) * 1e4) / 100
    records.push({ asset: assetIds[r % ASSETS]!, ts, values })
  }
  return JSON.stringify({ records })
}

/** A serialised body and where its timestamps are, so that each request can carry a new one cheaply. */
interface Template {
  bytes: Buffer
  tsOffsets: number[]
}

function template(n: number): Template {
  const text = body(n)
  const needle = `"ts":${T0 + n * 1000}`
  const tsOffsets: number[] = []
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) tsOffsets.push(at + 5)
  return { bytes: Buffer.from(text), tsOffsets }
}

/** The template's body with every record at `ts` (13 digits, like the template's). */
function stamped(t: Template, ts: number): Buffer {
  const out = Buffer.from(t.bytes)
  const digits = String(ts)
  for (const off of t.tsOffsets) out.write(digits, off, 'latin1')
  return out
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

interface HttpResult {
  features: 'on' | 'off'
  readingsPerSec: number
  requests: number
  busy: number
  p50Ms: number
  p99Ms: number
  serverCores: number
  clientCores: number
  serverRssMb: number
}

/** Resident memory of a process, from /proc. */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) / 1024 : 0
}

async function httpRun(features: 'on' | 'off'): Promise<HttpResult> {
  const dir = mkdtempSync(join(tmpdir(), 'prognos-bench-'))
  const cli = fileURLToPath(new URL('../src/cli/main.js', import.meta.url))
  // BENCH_SERVER_NODE_ARGS, e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof', profiles the server side.
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []
  const server: ChildProcess = spawn(process.execPath, [...nodeArgs, cli, 'start', '--no-demo'], {
    env: { ...process.env, PROGNOS_DATA_DIR: dir, PROGNOS_PORT: String(PORT), PROGNOS_ADMIN_PASSWORD: PASSWORD, PROGNOS_LOG_LEVEL: 'warn', PROGNOS_FEATURES: features, PROGNOS_MQTT: 'off' },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  try {
    await waitReady()
    const login = JSON.parse((await http('POST', '/v1/auth/login', {}, JSON.stringify({ username: 'admin', password: PASSWORD }))).body) as { accessToken: string }
    const admin = { authorization: `Bearer ${login.accessToken}` }
    const key = JSON.parse((await http('POST', '/v1/keys', admin, JSON.stringify({ name: 'bench', role: 'ingest' }))).body) as { key: string }
    log(`provisioning ${ASSETS} assets × ${CHANNELS} channels`)
    for (const id of assetIds) {
      const r = await http('POST', '/v1/assets', admin, JSON.stringify({ id, type: 'rotating_machine', channels: channelNames.map((name) => ({ name })) }))
      if (r.status !== 201) throw new Error(`asset creation failed: ${r.status} ${r.body}`)
    }
    const templates = Array.from({ length: 64 }, (_, i) => template(i))
    const headers = { 'x-api-key': key.key }
    // The fleet's clock: one second of data per request, in the order requests are sent.
    let tick = 0
    const next = (): Buffer => {
      const n = tick++
      return stamped(templates[n % templates.length]!, T0 + n * 1000)
    }
    // Warm-up: JIT, caches, first appender chunks.
    for (let i = 0; i < 10; i++) await http('POST', '/v1/ingest', headers, next())

    log(`features ${features}: sending for ${SECONDS} s with ${CLIENTS} concurrent clients`)
    const latencies: number[] = []
    let requests = 0
    let readings = 0
    let busy = 0
    let peakRss = 0
    const t0 = performance.now()
    const serverCpu0 = cpuSeconds(server.pid!)
    const clientCpu0 = process.cpuUsage()
    const deadline = t0 + SECONDS * 1000
    let lastReport = t0
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (performance.now() < deadline) {
          const payload = next()
          const t = performance.now()
          let r = await http('POST', '/v1/ingest', headers, payload)
          while (r.status === 503 && performance.now() < deadline) {
            busy++
            await new Promise((res) => setTimeout(res, RETRY_MS))
            r = await http('POST', '/v1/ingest', headers, payload)
          }
          if (r.status === 503) break
          if (r.status !== 200) throw new Error(`ingest answered ${r.status}: ${r.body.slice(0, 200)}`)
          latencies.push(performance.now() - t)
          readings += (JSON.parse(r.body) as { readings: number }).readings
          requests++
          if (performance.now() - lastReport > 2000) {
            lastReport = performance.now()
            peakRss = Math.max(peakRss, rssMb(server.pid!))
            log(`  ${((lastReport - t0) / 1000).toFixed(0)} s: ${requests} requests, ${(readings / ((lastReport - t0) / 1000) / 1e3).toFixed(0)} k readings/s, ${busy} busy answers, server RSS ${peakRss.toFixed(0)} MB`)
          }
        }
      }),
    )
    const elapsed = (performance.now() - t0) / 1000
    const serverCores = (cpuSeconds(server.pid!) - serverCpu0) / elapsed
    const clientCpu = process.cpuUsage(clientCpu0)
    const clientCores = (clientCpu.user + clientCpu.system) / 1e6 / elapsed
    latencies.sort((a, b) => a - b)
    return {
      features,
      busy,
      serverRssMb: Math.max(peakRss, rssMb(server.pid!)),
      serverCores,
      clientCores,
      readingsPerSec: readings / elapsed,
      requests,
      p50Ms: latencies[Math.floor(latencies.length * 0.5)]!,
      p99Ms: latencies[Math.floor(latencies.length * 0.99)]!,
    }
  } finally {
    server.kill('SIGTERM')
    await new Promise((r) => server.once('exit', r))
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The same adapter, no HTTP: batches of 10 × 1,000 records × 10 channels appended back to back. */
async function rawRun(seconds: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'prognos-bench-raw-'))
  const stores = await openDuckDbStores({ dataDir: dir })
  try {
    const perBatch = 10 * RECORDS_PER_REQUEST * CHANNELS
    const batches = Array.from({ length: 8 }, (_, b) => {
      const builder = new ReadingBatchBuilder(perBatch)
      for (let r = 0; r < 10 * RECORDS_PER_REQUEST; r++) for (let c = 0; c < CHANNELS; c++) builder.push((r % ASSETS) * CHANNELS + c + 1, T0 + (b * 10 + Math.floor(r / RECORDS_PER_REQUEST)) * 1000, r + c)
      return builder.build()
    })
    for (let i = 0; i < 3; i++) await stores.series.append(batches[i]!)
    log(`raw append for ${seconds} s`)
    const t0 = performance.now()
    let readings = 0
    let i = 0
    while (performance.now() - t0 < seconds * 1000) {
      await stores.series.append(batches[i++ % batches.length]!)
      readings += perBatch
    }
    return readings / ((performance.now() - t0) / 1000)
  } finally {
    await stores.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

// Raw append is measured before and after the HTTP phase and averaged, so that drift in a
// shared machine's speed moves both sides of the ratio alike.
const RAW_SECONDS = Math.max(3, Math.min(10, SECONDS / 2))
const rawBefore = await rawRun(RAW_SECONDS)
log(`raw append: ${(rawBefore / 1e6).toFixed(2)} M readings/s`)
const runs: HttpResult[] = []
for (const mode of FEATURE_MODES) runs.push(await httpRun(mode))
const rawAfter = await rawRun(RAW_SECONDS)
log(`raw append: ${(rawAfter / 1e6).toFixed(2)} M readings/s`)
const raw = (rawBefore + rawAfter) / 2
for (const h of runs) log(`HTTP ingest, features ${h.features}: ${(h.readingsPerSec / 1e6).toFixed(2)} M readings/s (${(h.readingsPerSec / raw).toFixed(3)} of raw), p50 ${h.p50Ms.toFixed(1)} ms, p99 ${h.p99Ms.toFixed(1)} ms per 10,000-reading request, ${h.busy} busy answers`)
agent.destroy()
const h = runs[runs.length - 1]!
const off = runs.find((r) => r.features === 'off')
process.stdout.write(
  `${JSON.stringify({
    features: h.features,
    readings_per_s: Math.round(h.readingsPerSec),
    raw_append_readings_per_s: Math.round(raw),
    raw_before_readings_per_s: Math.round(rawBefore),
    raw_after_readings_per_s: Math.round(rawAfter),
    ratio_to_raw: +(h.readingsPerSec / raw).toFixed(3),
    ...(off && off !== h ? { features_off_readings_per_s: Math.round(off.readingsPerSec), features_off_ratio_to_raw: +(off.readingsPerSec / raw).toFixed(3), features_on_vs_off: +(h.readingsPerSec / off.readingsPerSec).toFixed(3) } : {}),
    requests: h.requests,
    busy_answers: h.busy,
    request_p50_ms: +h.p50Ms.toFixed(2),
    request_p99_ms: +h.p99Ms.toFixed(2),
    server_cpu_cores: +h.serverCores.toFixed(2),
    server_rss_mb: Math.round(h.serverRssMb),
    client_cpu_cores: +h.clientCores.toFixed(2),
    clients: CLIENTS,
    records_per_request: RECORDS_PER_REQUEST,
    channels_per_record: CHANNELS,
  })}\n`,
)
