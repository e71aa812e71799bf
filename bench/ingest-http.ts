/**
 * End-to-end HTTP ingest into DuckDB versus the store's raw append rate, in one run.
 *
 *   npm run build && node dist/bench/ingest-http.js [--seconds 20] [--clients 4] [--assets 1000]
 *
 * The server runs as its own process (as in production); the clients send pre-serialised
 * batches of 1,000 records × 10 channels over keep-alive connections. The raw rate appends
 * the same readings straight through the DuckDB adapter, in batches of 10,000 records,
 * before and after the HTTP phase (their mean is the baseline of the ratio).
 * Progress goes to stderr; the last line on stdout is the figures as JSON.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { ReadingBatchBuilder, type ReadingBatch } from '../src/domain/readings.js'
import { openDuckDbStores } from '../src/store/duckdb/open.js'

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    clients: { type: 'string', default: '8' },
    assets: { type: 'string', default: '1000' },
    port: { type: 'string', default: '18931' },
  },
})
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
function http(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Res> {
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

const TS_MARK = '"@ts@"'

/**
 * One request body: one record per asset (up to 1,000) at one timestamp, serialised once
 * and split where the timestamp goes. Every request gets a timestamp of its own (`withTs`),
 * because the store drops readings it already holds: resending identical bodies would
 * measure deduplication, not ingest.
 */
function body(n: number): string[] {
  const records = []
  for (let r = 0; r < RECORDS_PER_REQUEST; r++) {
    const values: Record<string, number> = {}
    for (let c = 0; c < CHANNELS; c++) values[channelNames[c]!] = Math.round(Math.sin(n + r + c) * 1e4) / 100
    records.push({ asset: assetIds[r % ASSETS]!, ts: '@ts@', values })
  }
  return JSON.stringify({ records }).split(TS_MARK)
}
const withTs = (parts: readonly string[], seq: number): string => parts.join(String(T0 + seq * 1000))

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

async function httpRun(): Promise<{ readingsPerSec: number; requests: number; p50Ms: number; p99Ms: number; serverCores: number; clientCores: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'prognos-bench-'))
  const cli = fileURLToPath(new URL('../src/cli/main.js', import.meta.url))
  // BENCH_SERVER_NODE_ARGS, e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof', profiles the server side.
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []
  const server: ChildProcess = spawn(process.execPath, [...nodeArgs, cli, 'start', '--no-demo'], {
    env: { ...process.env, PROGNOS_DATA_DIR: dir, PROGNOS_PORT: String(PORT), PROGNOS_ADMIN_PASSWORD: PASSWORD, PROGNOS_LOG_LEVEL: 'warn' },
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
    const bodies = Array.from({ length: 64 }, (_, i) => body(i))
    const headers = { 'x-api-key': key.key }
    // Warm-up: JIT, caches, first appender chunks.
    let seq = 0
    for (let i = 0; i < 10; i++) await http('POST', '/v1/ingest', headers, withTs(bodies[i]!, seq++))

    log(`sending for ${SECONDS} s with ${CLIENTS} concurrent clients`)
    const latencies: number[] = []
    let requests = 0
    let readings = 0
    const t0 = performance.now()
    const serverCpu0 = cpuSeconds(server.pid!)
    const clientCpu0 = process.cpuUsage()
    const deadline = t0 + SECONDS * 1000
    let lastReport = t0
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        let i = c
        while (performance.now() < deadline) {
          const t = performance.now()
          const r = await http('POST', '/v1/ingest', headers, withTs(bodies[i % bodies.length]!, seq++))
          if (r.status !== 200) throw new Error(`ingest answered ${r.status}: ${r.body.slice(0, 200)}`)
          latencies.push(performance.now() - t)
          readings += (JSON.parse(r.body) as { readings: number }).readings
          requests++
          i += CLIENTS
          if (performance.now() - lastReport > 2000) {
            lastReport = performance.now()
            log(`  ${((lastReport - t0) / 1000).toFixed(0)} s: ${requests} requests, ${(readings / ((lastReport - t0) / 1000) / 1e3).toFixed(0)} k readings/s`)
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
    // Fresh timestamps on every reuse of a batch (the store drops readings it already holds):
    // the shift costs 100,000 additions, well under a millisecond.
    let k = 0
    const take = (): ReadingBatch => {
      const b = batches[k % batches.length]!
      if (k++ >= batches.length) for (let j = 0; j < b.length; j++) b.ts[j] = b.ts[j]! + batches.length * 10_000
      return b
    }
    for (let i = 0; i < 3; i++) await stores.series.append(take())
    log(`raw append for ${seconds} s`)
    const t0 = performance.now()
    let readings = 0
    while (performance.now() - t0 < seconds * 1000) {
      await stores.series.append(take())
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
const h = await httpRun()
const rawAfter = await rawRun(RAW_SECONDS)
log(`raw append: ${(rawAfter / 1e6).toFixed(2)} M readings/s`)
const raw = (rawBefore + rawAfter) / 2
log(`HTTP ingest: ${(h.readingsPerSec / 1e6).toFixed(2)} M readings/s, p50 ${h.p50Ms.toFixed(1)} ms, p99 ${h.p99Ms.toFixed(1)} ms per 10,000-reading request`)
agent.destroy()
process.stdout.write(
  `${JSON.stringify({
    readings_per_s: Math.round(h.readingsPerSec),
    raw_append_readings_per_s: Math.round(raw),
    raw_before_readings_per_s: Math.round(rawBefore),
    raw_after_readings_per_s: Math.round(rawAfter),
    ratio_to_raw: +(h.readingsPerSec / raw).toFixed(3),
    requests: h.requests,
    request_p50_ms: +h.p50Ms.toFixed(2),
    request_p99_ms: +h.p99Ms.toFixed(2),
    server_cpu_cores: +h.serverCores.toFixed(2),
    client_cpu_cores: +h.clientCores.toFixed(2),
    clients: CLIENTS,
    records_per_request: RECORDS_PER_REQUEST,
    channels_per_record: CHANNELS,
  })}\n`,
)
