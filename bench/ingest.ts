/**
 * End-to-end ingest (HTTP, MQTT QoS 0, MQTT QoS 1) against the store's raw append rate,
 * in one run on one machine; optionally a memory soak of a large simulated fleet.
 *
 *   npm run build && node dist/bench/ingest.js [--seconds 15] [--clients 8] [--assets 1000]
 *     [--mqtt-clients 200] [--mqtt-window 10] [--soak-assets 10000 --soak-minutes 10 [--soak-trace FILE]] [--skip-throughput]
 *     [--scoring-ab ROUNDS [--ab-warm-vectors N]] [--qos1-only]
 *
 * The platform runs as its own process (`prognos start --no-demo`, empty data directory,
 * free HTTP and MQTT ports); assets are provisioned through the API's bulk call. Phases:
 *   1. raw append: the DuckDB adapter's SeriesStore.append in this process, on its own data
 *      directory, batches of 100,000 readings (the baseline of the ratios);
 *   2. HTTP: `--clients` keep-alive clients POST /v1/ingest batches of 1,000 records × 10
 *      channels; each answer arrives once its readings are durable;
 *   3. MQTT QoS 0: `--mqtt-clients` device connections publish one record (10 channels) per
 *      message as fast as their sockets take them; the rate is taken over the time until
 *      the server's /metrics count every sent reading as stored;
 *   4. MQTT QoS 1: the same connections, each with at most `--mqtt-window` unacknowledged
 *      messages; PUBACK comes after the commit, so acknowledged = durable;
 *   5. raw append again (the baseline is the mean of 1 and 5, so drift moves both sides).
 * `--scoring-ab ROUNDS` measures HTTP ingest with anomaly scoring off and on (see scoringAb);
 * by default each server gets 10 s of data per asset first, so the measured phase scores a
 * young fleet, mostly in probation. `--ab-warm-vectors N` sends N vectors' worth (10·N s of
 * data per asset) first, so the assets are past probation and every detector scores: the
 * steady state of a fleet that has been running.
 * `--qos1-only` runs phase 4 alone on a fresh server (after the same warm-up), for quick A/B
 * runs of the MQTT path; vary the server with environment variables (it inherits them).
 * With `--ab-warm-vectors N` it first sends N vectors' worth per asset over HTTP, so that the
 * phase runs with every detector scoring, as phase 4 of the full run does.
 * Every (asset, ts) is sent once, so deduplication on ingest cannot change the counts, and at
 * the end the readings in the server's DuckDB file must equal what was sent.
 *
 * The soak (`--soak-assets N --soak-minutes M`, on a fresh server) streams one record of 10
 * channels per asset per second: half the assets over MQTT QoS 1 (100 assets per
 * connection, like gateways), half over HTTP (requests of 1,000 records). The server's RSS
 * is sampled from /proc every second; the JSON reports its maximum and whether it stayed
 * under 1 GB, its peak before streaming began, and (from GET /health/detailed every 5 s) the
 * JS heap's and DuckDB's own largest figures. The RSS is drawn on stderr at the end (highest and lowest
 * second per column); `--soak-trace FILE` also writes it second by second as CSV.
 *
 * The MQTT clients are a minimal MQTT 3.1.1 publisher over raw sockets (pre-encoded
 * packets, PUBACKs counted), so that the load generator leaves the cores to the server.
 * Progress goes to stderr; the last line on stdout is the figures as JSON.
 * BENCH_SERVER_NODE_ARGS (e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof') is passed to the server's node;
 * BENCH_SERVER_LOG=FILE appends the server's log to FILE (PROGNOS_LOG_LEVEL, default warn).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { connect as tcpConnect, createServer, type AddressInfo, type Socket } from 'node:net'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import * as asciichart from 'asciichart'
import { DuckDBInstance } from '@duckdb/node-api'
import { ReadingBatchBuilder } from '../src/domain/readings.js'
import { DUCKDB_FILE_NAME, openDuckDbStores } from '../src/store/duckdb/open.js'

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '15' },
    clients: { type: 'string', default: '8' },
    assets: { type: 'string', default: '1000' },
    'mqtt-clients': { type: 'string', default: '200' },
    'mqtt-window': { type: 'string', default: '10' },
    'soak-assets': { type: 'string', default: '0' },
    'soak-minutes': { type: 'string', default: '10' },
    'skip-throughput': { type: 'boolean', default: false },
    'soak-trace': { type: 'string' },
    'scoring-ab': { type: 'string', default: '0' },
    'ab-warm-vectors': { type: 'string', default: '0' },
    'qos1-only': { type: 'boolean', default: false },
  },
})
const SECONDS = Number(args.seconds)
const CLIENTS = Number(args.clients)
const ASSETS = Number(args.assets)
const MQTT_CLIENTS = Number(args['mqtt-clients'])
const MQTT_WINDOW = Number(args['mqtt-window'])
const SOAK_ASSETS = Number(args['soak-assets'])
const SOAK_MINUTES = Number(args['soak-minutes'])
const AB_WARM_VECTORS = Number(args['ab-warm-vectors'])
const PROVISION_CHUNK = 2000
const CHANNELS = 10
const RECORDS_PER_REQUEST = 1000
const RSS_LIMIT_BYTES = 1024 ** 3
const PASSWORD = 'bench-password-123'
const log = (s: string): void => void process.stderr.write(`${s}\n`)
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

// Disjoint timestamp ranges per phase: no (asset, channel, ts) is ever sent twice.
const DAY_MS = 86_400_000
const T_WARMUP = Date.now() - 5 * DAY_MS
const T_HTTP = Date.now() - 4 * DAY_MS
const T_QOS0 = Date.now() - 3 * DAY_MS
const T_QOS1 = Date.now() - 2 * DAY_MS
const T_RAW = Date.now() - DAY_MS

const channelNames = Array.from({ length: CHANNELS }, (_, i) => `ch${i}`)
const assetId = (i: number): string => `a${String(i).padStart(5, '0')}`
/** A few fixed sets of channel values, as JSON, so that payloads are not all identical. */
const VALUE_SETS = Array.from({ length: 16 }, (_, v) => JSON.stringify(Object.fromEntries(channelNames.map((name, c) => [name, Math.round(Math.sin(v * 7 + c) * 1e4) / 100]))))

// ---------------------------------------------------------------------------- HTTP

interface Res {
  status: number
  body: string
  /** The Retry-After header in seconds (1 when absent). */
  retryAfterSec: number
}

class Api {
  readonly agent = new Agent({ keepAlive: true, maxSockets: 64 })
  headers: Record<string, string> = {}
  constructor(readonly port: number) {}

  call(method: string, path: string, body?: string, headers: Record<string, string> = this.headers): Promise<Res> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: this.port, method, path, agent: this.agent, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
        const chunks: Buffer[] = []
        // A connection reset mid-answer is a failed call, not an uncaught exception.
        res.on('error', reject)
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), retryAfterSec: Number(res.headers['retry-after'] ?? 1) || 1 }))
      })
      req.on('error', reject)
      req.end(body)
    })
  }

  /** One unlabelled figure of the server's /metrics. */
  async metric(name: string): Promise<number> {
    const text = (await this.call('GET', '/metrics', undefined, {})).body
    const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text)
    if (!m) throw new Error(`${name} is missing from /metrics`)
    return Number(m[1])
  }

  /** Readings the server counts as stored. */
  storedReadings(): Promise<number> {
    return this.metric('prognos_ingest_readings_total')
  }
}

/** An ingest body of one record per asset in [first, first + count) at one timestamp; `join(String(ts))` fills the ts. */
function bodyPieces(first: number, count: number): string[] {
  const pieces: string[] = []
  let cur = '{"records":['
  for (let r = 0; r < count; r++) {
    pieces.push(`${cur}${r ? ',' : ''}{"asset":"${assetId(first + r)}","ts":`)
    cur = `,"values":${VALUE_SETS[r % VALUE_SETS.length]!}}`
  }
  pieces.push(`${cur}]}`)
  return pieces
}

// ---------------------------------------------------------------------------- MQTT

function varint(n: number): number[] {
  const out: number[] = []
  do {
    let b = n % 128
    n = Math.floor(n / 128)
    if (n > 0) b |= 128
    out.push(b)
  } while (n > 0)
  return out
}

function mqttString(s: string): Buffer {
  const b = Buffer.from(s, 'utf8')
  const out = Buffer.alloc(2 + b.length)
  out.writeUInt16BE(b.length, 0)
  b.copy(out, 2)
  return out
}

/** One device connection speaking just enough MQTT 3.1.1 to publish and count PUBACKs. */
class Device {
  private rest: Buffer | null = null
  private packetId = 0
  /** Called with the number of PUBACKs in each read. */
  onAcks: (n: number) => void = () => undefined
  onClose: (err: Error) => void = () => undefined
  closing = false

  private constructor(readonly socket: Socket) {}

  static connect(port: number, clientId: string, username: string, password: string): Promise<Device> {
    return new Promise((resolve, reject) => {
      const socket = tcpConnect({ host: '127.0.0.1', port })
      socket.setNoDelay(true)
      const d = new Device(socket)
      const payload = Buffer.concat([mqttString('MQTT'), Buffer.from([4, 0xc2, 0, 0]), mqttString(clientId), mqttString(username), mqttString(password)])
      socket.write(Buffer.concat([Buffer.from([0x10, ...varint(payload.length)]), payload]))
      let connected = false
      socket.on('data', (chunk: Buffer) => {
        const acks = d.read(chunk, (code) => {
          connected = true
          if (code === 0) resolve(d)
          else reject(new Error(`CONNACK refused the device with return code ${code}`))
        })
        if (acks > 0) d.onAcks(acks)
      })
      socket.on('error', (err) => (connected ? d.onClose(err) : reject(err)))
      socket.on('close', () => {
        if (!d.closing) d.onClose(new Error(`the server closed device ${clientId}'s connection`))
      })
    })
  }

  /** Parses packets; returns the number of PUBACKs. */
  private read(chunk: Buffer, onConnack: (code: number) => void): number {
    const b = this.rest ? Buffer.concat([this.rest, chunk]) : chunk
    let i = 0
    let acks = 0
    while (i + 2 <= b.length) {
      let len = 0
      let mul = 1
      let j = i + 1
      for (;;) {
        if (j >= b.length) break
        const byte = b[j++]!
        len += (byte & 127) * mul
        mul *= 128
        if ((byte & 128) === 0) {
          mul = 0
          break
        }
      }
      if (mul !== 0 || j + len > b.length) break
      const type = b[i]! >> 4
      if (type === 4) acks++
      else if (type === 2) onConnack(b[j + 1]!)
      i = j + len
    }
    this.rest = i < b.length ? b.subarray(i) : null
    return acks
  }

  /** A PUBLISH packet (QoS 0 or 1) of `payload` on the pre-encoded topic. */
  publish(topic: Buffer, payload: string, qos: 0 | 1): Buffer {
    const payloadLen = Buffer.byteLength(payload)
    const remaining = topic.length + (qos ? 2 : 0) + payloadLen
    const header = varint(remaining)
    const buf = Buffer.allocUnsafe(1 + header.length + remaining)
    let o = 0
    buf[o++] = qos ? 0x32 : 0x30
    for (const h of header) buf[o++] = h
    o += topic.copy(buf, o)
    if (qos) {
      this.packetId = (this.packetId % 65535) + 1
      buf.writeUInt16BE(this.packetId, o)
      o += 2
    }
    buf.write(payload, o, 'utf8')
    return buf
  }

  close(): void {
    this.closing = true
    this.socket.end(Buffer.from([0xe0, 0]))
  }
}

/** One device connection publishing for its own assets, each message one record of 10 channels. */
class Publisher {
  private readonly topics: Buffer[]
  private cursor = 0
  /** Messages published per asset so far: the asset's next timestamp offset. */
  private readonly seq: number[]

  constructor(
    readonly device: Device,
    assets: readonly string[],
  ) {
    this.topics = assets.map((a) => mqttString(`prognos/-/${a}/telemetry`))
    this.seq = assets.map(() => 0)
  }

  get assets(): number {
    return this.topics.length
  }

  /**
   * The next message, round-robin over the assets: ts = base + its sequence number in
   * seconds, so each asset reports at 1 Hz of data time, like the HTTP phase's records.
   * (Until 30 November 2026 the step was 1 ms: every channel then looked like a 1 kHz
   * signal and took the FFT path, which no HTTP record did, so the phases were not alike.)
   */
  next(base: number, qos: 0 | 1): Buffer {
    const a = this.cursor
    this.cursor = (a + 1) % this.topics.length
    const n = this.seq[a]!++
    return this.device.publish(this.topics[a]!, `{"ts":${base + n * 1000},"values":${VALUE_SETS[n % VALUE_SETS.length]!}}`, qos)
  }

  /** The message of asset `a` at `ts` (soak). */
  at(a: number, ts: number, qos: 0 | 1): Buffer {
    return this.device.publish(this.topics[a]!, `{"ts":${ts},"values":${VALUE_SETS[a % VALUE_SETS.length]!}}`, qos)
  }

  /** QoS 1 until the deadline, at most `window` unacknowledged; resolves with the acknowledged count once all are in. */
  qos1(base: number, deadline: number, window: number): Promise<number> {
    return new Promise((resolve, reject) => {
      let out = 0
      let acked = 0
      const fill = (): void => {
        if (performance.now() >= deadline) {
          if (out === 0) resolve(acked)
          return
        }
        const n = window - out
        if (n <= 0) return
        const packets: Buffer[] = []
        for (let k = 0; k < n; k++) packets.push(this.next(base, 1))
        out += n
        this.device.socket.write(n === 1 ? packets[0]! : Buffer.concat(packets))
      }
      this.device.onAcks = (k) => {
        out -= k
        acked += k
        fill()
      }
      this.device.onClose = reject
      fill()
    })
  }

  /**
   * QoS 0 as fast as the socket drains until the deadline, while `maySend()` (the server
   * keeps up); resolves with the count sent. `onSent` counts messages as they go.
   */
  qos0(base: number, deadline: number, maySend: () => boolean, onSent: (n: number) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      let sent = 0
      const pump = (): void => {
        for (let round = 0; round < 8; round++) {
          if (performance.now() >= deadline) return resolve(sent)
          if (!maySend()) return void setTimeout(pump, 5)
          const packets: Buffer[] = []
          for (let k = 0; k < 32; k++) packets.push(this.next(base, 0))
          sent += 32
          onSent(32)
          if (!this.device.socket.write(Buffer.concat(packets))) {
            this.device.socket.once('drain', pump)
            return
          }
        }
        setImmediate(pump)
      }
      this.device.onClose = reject
      pump()
    })
  }
}

// ---------------------------------------------------------------------------- the server

async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const { port } = s.address() as AddressInfo
  await new Promise<void>((r) => s.close(() => r()))
  return port
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/** Resident set size of a process (VmRSS), or its peak since it started (VmHWM), in bytes. */
function rssBytes(pid: number, field: 'VmRSS' | 'VmHWM' | 'RssAnon' = 'VmRSS'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) * 1024 : 0
}

interface Server {
  api: Api
  pid: number
  mqttPort: number
  dir: string
  key: { id: string; key: string }
  /** Server CPU cores used over a phase. */
  cpu(): () => number
  maxRss(): number
  /** SIGTERM, then the number of readings in its DuckDB file. */
  stop(): Promise<number>
}

async function startServer(assets: number, env: Record<string, string> = {}): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'prognos-bench-'))
  const [port, mqttPort] = [await freePort(), await freePort()]
  const cli = fileURLToPath(new URL('../src/cli/main.js', import.meta.url))
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []
  const proc: ChildProcess = spawn(process.execPath, [...nodeArgs, cli, 'start', '--no-demo'], {
    env: { PROGNOS_LOG_LEVEL: 'warn', ...process.env, ...env, PROGNOS_DATA_DIR: dir, PROGNOS_PORT: String(port), PROGNOS_MQTT_PORT: String(mqttPort), PROGNOS_DEMO: 'off', PROGNOS_ADMIN_PASSWORD: PASSWORD },
    // BENCH_SERVER_LOG=FILE appends the server's log (level PROGNOS_LOG_LEVEL, default warn) to FILE.
    stdio: ['ignore', process.env.BENCH_SERVER_LOG ? openSync(process.env.BENCH_SERVER_LOG, 'a') : 'ignore', 'inherit'],
  })
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)))
  // A bench that fails half-way must not leave its server running.
  const killOnExit = (): void => void proc.kill('SIGKILL')
  process.once('exit', killOnExit)
  void exited.then(() => process.off('exit', killOnExit))
  let dead = false
  void exited.then(() => (dead = true))
  const pid = proc.pid!
  const api = new Api(port)
  for (let i = 0; ; i++) {
    if (dead) throw new Error('the server exited during start-up')
    try {
      if ((await api.call('GET', '/ready')).status === 200) break
    } catch {
      // not listening yet
    }
    if (i > 300) throw new Error('the server did not become ready within 30 s')
    await sleep(100)
  }
  let maxRss = 0
  const sampler = setInterval(() => {
    if (!dead) maxRss = Math.max(maxRss, rssBytes(pid))
  }, 1000)

  const login = JSON.parse((await api.call('POST', '/v1/auth/login', JSON.stringify({ username: 'admin', password: PASSWORD }))).body) as { accessToken: string }
  api.headers = { authorization: `Bearer ${login.accessToken}` }
  // An operator key provisions and ingests: unlike the admin's access token, it does not
  // expire while a large fleet is being created.
  const created = await api.call('POST', '/v1/keys', JSON.stringify({ name: 'bench', role: 'operator' }))
  if (created.status !== 201) throw new Error(`key creation failed: ${created.status} ${created.body}`)
  const keyText = (JSON.parse(created.body) as { key: string }).key
  const key = { id: keyText.split('_')[1]!, key: keyText }
  api.headers = { 'x-api-key': key.key }

  log(`provisioning ${assets} assets × ${CHANNELS} channels`)
  const t0 = performance.now()
  // The bulk call: one transaction per 2,000 assets, as an operator onboarding a fleet would.
  for (let off = 0; off < assets; off += PROVISION_CHUNK) {
    const chunk = Array.from({ length: Math.min(PROVISION_CHUNK, assets - off) }, (_, i) => ({ id: assetId(off + i), type: 'rotating_machine', channels: channelNames.map((name) => ({ name })) }))
    const r = await api.call('POST', '/v1/assets/bulk', JSON.stringify({ assets: chunk }))
    if (r.status !== 201) throw new Error(`asset creation failed: ${r.status} ${r.body.slice(0, 300)}`)
    if (off + chunk.length < assets) log(`  ${off + chunk.length} assets after ${((performance.now() - t0) / 1000).toFixed(0)} s`)
  }
  log(`  ${assets} assets in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

  return {
    api,
    pid,
    mqttPort,
    dir,
    key,
    cpu() {
      const c0 = cpuSeconds(pid)
      const t = performance.now()
      return () => (cpuSeconds(pid) - c0) / ((performance.now() - t) / 1000)
    },
    maxRss: () => maxRss,
    async stop() {
      clearInterval(sampler)
      api.agent.destroy()
      proc.kill('SIGTERM')
      const code = await exited
      if (code !== 0) throw new Error(`the server exited with ${code} on SIGTERM`)
      const db = await DuckDBInstance.create(join(dir, DUCKDB_FILE_NAME))
      const conn = await db.connect()
      const rows = (await conn.runAndReadAll('SELECT count(*)::DOUBLE AS n FROM readings')).getRowObjects()
      conn.closeSync()
      db.closeSync()
      rmSync(dir, { recursive: true, force: true })
      return Number(rows[0]!.n)
    },
  }
}

/** Device connections sharing `assets` assets round-robin. */
async function connectDevices(s: Server, clients: number, assets: number, name: string): Promise<Publisher[]> {
  const owned: string[][] = Array.from({ length: clients }, () => [])
  for (let i = 0; i < assets; i++) owned[i % clients]!.push(assetId(i))
  return Promise.all(owned.map(async (list, c) => new Publisher(await Device.connect(s.mqttPort, `${name}-${c}`, s.key.id, s.key.key), list)))
}

// ---------------------------------------------------------------------------- phases

/** The DuckDB adapter alone, no HTTP: batches of 10 × 1,000 records × 10 channels appended back to back. */
async function rawRun(seconds: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'prognos-bench-raw-'))
  const stores = await openDuckDbStores({ dataDir: dir })
  try {
    const perBatch = 10 * RECORDS_PER_REQUEST * CHANNELS
    const batches = Array.from({ length: 8 }, (_, b) => {
      const builder = new ReadingBatchBuilder(perBatch)
      for (let r = 0; r < 10 * RECORDS_PER_REQUEST; r++) for (let c = 0; c < CHANNELS; c++) builder.push((r % ASSETS) * CHANNELS + c + 1, T_RAW + (b * 10 + Math.floor(r / RECORDS_PER_REQUEST)) * 1000, r + c)
      return builder.build()
    })
    for (let i = 0; i < 3; i++) await stores.series.append(batches[i]!)
    // Round r of the loop sends batch b at times shifted by r × the 8 batches' span, so every
    // append is newer than the last: resent or older timestamps would measure the store's
    // duplicate look-up, not its append. Mutating is safe: a batch's previous append has resolved.
    const round = batches.map(() => 0)
    log(`raw append for ${seconds} s`)
    const t0 = performance.now()
    let readings = 0
    let i = 0
    while (performance.now() - t0 < seconds * 1000) {
      const b = i % batches.length
      const want = 1 + Math.floor(i++ / batches.length)
      const batch = batches[b]!
      const shiftMs = (want - round[b]!) * batches.length * 10_000
      for (let k = 0; k < batch.length; k++) batch.ts[k]! += shiftMs
      round[b] = want
      await stores.series.append(batch)
      readings += perBatch
    }
    return readings / ((performance.now() - t0) / 1000)
  } finally {
    await stores.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

interface HttpFigures {
  readingsPerSec: number
  readings: number
  requests: number
  /** 503 INGEST_BUSY answers (back-pressure), each waited out and sent again. */
  busy: number
  /** Seconds the pipeline took to empty after the last answer. */
  pipelineDrainSec?: number
  /** Seconds the phase sent for. */
  elapsedSec: number
  p50Ms: number
  p99Ms: number
  serverCores: number
  clientCores: number
}

/**
 * POSTs one ingest body until it is taken. 503 INGEST_BUSY is the pipeline's back-pressure
 * (nothing of the batch was taken): the client waits as told and sends the same batch again,
 * as devices and gateways do, until `giveUpAt` (performance.now()). Any other answer than 200
 * throws. Returns the readings taken and the 503s answered.
 */
async function ingestTaken(s: Server, body: string, giveUpAt = Infinity): Promise<{ readings: number; busy: number }> {
  let busy = 0
  let r = await s.api.call('POST', '/v1/ingest', body)
  while (r.status === 503 && performance.now() < giveUpAt) {
    busy++
    await sleep(r.retryAfterSec * 1000)
    r = await s.api.call('POST', '/v1/ingest', body)
  }
  if (r.status !== 200) throw new Error(`ingest answered ${r.status}: ${r.body.slice(0, 200)}`)
  return { readings: (JSON.parse(r.body) as { readings: number }).readings, busy }
}

async function httpPhase(s: Server): Promise<HttpFigures> {
  const pieces = bodyPieces(0, Math.min(RECORDS_PER_REQUEST, ASSETS))
  let n = 0
  log(`HTTP: ${CLIENTS} clients for ${SECONDS} s`)
  const latencies: number[] = []
  let requests = 0
  let readings = 0
  let busy = 0
  const t0 = performance.now()
  const serverCores = s.cpu()
  const clientCpu0 = process.cpuUsage()
  const deadline = t0 + SECONDS * 1000
  let lastReport = t0
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < deadline) {
        const body = pieces.join(String(T_HTTP + n++ * 1000))
        const t = performance.now()
        const taken = await ingestTaken(s, body, deadline + 60_000)
        busy += taken.busy
        latencies.push(performance.now() - t)
        readings += taken.readings
        requests++
        if (performance.now() - lastReport > 2000) {
          lastReport = performance.now()
          log(`  ${((lastReport - t0) / 1000).toFixed(0)} s: ${requests} requests, ${(readings / ((lastReport - t0) / 1000) / 1e3).toFixed(0)} k readings/s`)
        }
      }
    }),
  )
  const elapsed = (performance.now() - t0) / 1000
  const clientCpu = process.cpuUsage(clientCpu0)
  latencies.sort((a, b) => a - b)
  return {
    readingsPerSec: readings / elapsed,
    readings,
    requests,
    busy,
    elapsedSec: elapsed,
    p50Ms: latencies[Math.floor(latencies.length * 0.5)]!,
    p99Ms: latencies[Math.floor(latencies.length * 0.99)]!,
    serverCores: serverCores(),
    clientCores: (clientCpu.user + clientCpu.system) / 1e6 / elapsed,
  }
}

/**
 * Seconds until the server's readings queue (committed, not yet through every stage) is
 * empty, polling /metrics; at most 300 s.
 */
async function pipelineDrained(s: Server): Promise<number> {
  const t0 = performance.now()
  while (performance.now() - t0 < 300_000) {
    if ((await s.api.metric('prognos_pipeline_queue_readings')) === 0) break
    await new Promise((r) => setTimeout(r, 200))
  }
  return (performance.now() - t0) / 1000
}

interface MqttFigures {
  /** Seconds the pipeline took to empty after the phase. */
  pipelineDrainSec?: number
  msgsPerSec: number
  messages: number
  serverCores: number
  clientCores: number
  /** QoS 0: seconds from the end of sending until the last reading was stored. */
  drainSec?: number
}

async function mqttQos1Phase(s: Server, pubs: Publisher[], base: number, seconds: number): Promise<MqttFigures> {
  log(`MQTT QoS 1: ${pubs.length} connections, window ${MQTT_WINDOW}, for ${seconds} s`)
  const serverCores = s.cpu()
  const clientCpu0 = process.cpuUsage()
  const stored0 = await s.api.storedReadings()
  const t0 = performance.now()
  const progress = setInterval(() => {
    void s.api.storedReadings().then((n) => log(`  ${((n - stored0) / CHANNELS / ((performance.now() - t0) / 1000) / 1e3).toFixed(1)} k msgs/s stored so far`), () => undefined)
  }, 3000)
  const acked = await Promise.all(pubs.map((p) => p.qos1(base, t0 + seconds * 1000, MQTT_WINDOW)))
  const elapsed = (performance.now() - t0) / 1000
  clearInterval(progress)
  const clientCpu = process.cpuUsage(clientCpu0)
  const messages = acked.reduce((a, b) => a + b, 0)
  return { msgsPerSec: messages / elapsed, messages, serverCores: serverCores(), clientCores: (clientCpu.user + clientCpu.system) / 1e6 / elapsed }
}

/** Messages a QoS 0 load may have sent beyond what the server stored (the rest waits in socket buffers otherwise). */
const QOS0_MAX_AHEAD_MSGS = 20_000

async function mqttQos0Phase(s: Server, pubs: Publisher[]): Promise<MqttFigures> {
  log(`MQTT QoS 0: ${pubs.length} connections for ${SECONDS} s`)
  const serverCores = s.cpu()
  const clientCpu0 = process.cpuUsage()
  const stored0 = await s.api.storedReadings()
  let storedMsgs = 0
  let sentMsgs = 0
  // No acknowledgements at QoS 0: durable means counted as stored by the server's /metrics.
  const poll = setInterval(() => {
    void s.api.storedReadings().then((n) => (storedMsgs = (n - stored0) / CHANNELS), () => undefined)
  }, 250)
  const t0 = performance.now()
  let sentAt: number
  let doneAt: number
  try {
    const maySend = (): boolean => sentMsgs - storedMsgs < QOS0_MAX_AHEAD_MSGS
    await Promise.all(pubs.map((p) => p.qos0(T_QOS0, t0 + SECONDS * 1000, maySend, (n) => (sentMsgs += n))))
    sentAt = performance.now()
    log(`  sent ${sentMsgs} messages in ${((sentAt - t0) / 1000).toFixed(1)} s; waiting until all are stored`)
    let last = -1
    let lastProgress = sentAt
    for (;;) {
      const stored = (await s.api.storedReadings()) - stored0
      doneAt = performance.now()
      if (stored >= sentMsgs * CHANNELS) break
      if (stored > last) [last, lastProgress] = [stored, doneAt]
      if (doneAt - lastProgress > 15_000) throw new Error(`QoS 0: ${stored} of ${sentMsgs * CHANNELS} readings stored, and no progress for 15 s`)
      // Each /metrics answer costs the server a few ms: 10 polls a second is precise enough.
      await sleep(100)
    }
  } finally {
    clearInterval(poll)
  }
  const clientCpu = process.cpuUsage(clientCpu0)
  const elapsed = (doneAt - t0) / 1000
  return { msgsPerSec: sentMsgs / elapsed, messages: sentMsgs, serverCores: serverCores(), clientCores: (clientCpu.user + clientCpu.system) / 1e6 / elapsed, drainSec: (doneAt - sentAt) / 1000 }
}

/** Whether the server's /metrics show a features stage in the ingest path (it lands from another branch). */
async function featuresInPath(s: Server): Promise<boolean> {
  return /^prognos_features?_/m.test((await s.api.call('GET', '/metrics', undefined, {})).body)
}

interface ThroughputFigures {
  raw: number
  rawBefore: number
  rawAfter: number
  http: HttpFigures
  qos0: MqttFigures
  qos1: MqttFigures
  sentReadings: number
  storedReadings: number
  metricsReadings: number
  maxRss: number
  features: boolean
}

/** Warm-up of a fresh server: HTTP batches, then two seconds of QoS 1 from every device. Returns the readings sent. */
async function warmUp(s: Server, pubs: Publisher[]): Promise<number> {
  const warm = bodyPieces(0, Math.min(RECORDS_PER_REQUEST, ASSETS))
  let sent = 0
  for (let i = 0; i < 10; i++) {
    const r = await s.api.call('POST', '/v1/ingest', warm.join(String(T_WARMUP + i * 1000)))
    if (r.status !== 200) throw new Error(`warm-up ingest answered ${r.status}: ${r.body.slice(0, 200)}`)
    sent += (JSON.parse(r.body) as { readings: number }).readings
  }
  const warmEnd = performance.now() + 2000
  return sent + (await Promise.all(pubs.map((p) => p.qos1(T_WARMUP + DAY_MS / 2, warmEnd, 4)))).reduce((a, b) => a + b, 0) * CHANNELS
}

async function qos1Only(): Promise<MqttFigures> {
  const s = await startServer(ASSETS)
  try {
    const pubs = await connectDevices(s, MQTT_CLIENTS, ASSETS, 'bench')
    await warmUp(s, pubs)
    if (AB_WARM_VECTORS > 0) {
      await warmFleet(s, AB_WARM_VECTORS * 10)
      await pipelineDrained(s)
    }
    const qos1 = await mqttQos1Phase(s, pubs, T_QOS1, SECONDS)
    log(`MQTT QoS 1: ${(qos1.msgsPerSec / 1e3).toFixed(1)} k msgs/s acknowledged`)
    for (const p of pubs) p.device.close()
    return qos1
  } finally {
    await s.stop()
  }
}

async function throughput(): Promise<ThroughputFigures> {
  const rawSeconds = Math.max(3, Math.min(10, SECONDS / 2))
  const rawBefore = await rawRun(rawSeconds)
  log(`raw append: ${(rawBefore / 1e6).toFixed(2)} M readings/s`)

  const s = await startServer(ASSETS)
  let stored: number
  let result: Omit<ThroughputFigures, 'raw' | 'rawBefore' | 'rawAfter' | 'storedReadings'>
  try {
    // Warm-up: JIT, caches, the topic ACL of every asset, first appender chunks.
    const pubs = await connectDevices(s, MQTT_CLIENTS, ASSETS, 'bench')
    let sent = await warmUp(s, pubs)

    const http = await httpPhase(s)
    log(`HTTP: ${(http.readingsPerSec / 1e6).toFixed(2)} M readings/s, p50 ${http.p50Ms.toFixed(1)} ms, p99 ${http.p99Ms.toFixed(1)} ms`)
    // Each phase starts on an empty pipeline: otherwise it pays for the last one's backlog.
    http.pipelineDrainSec = await pipelineDrained(s)
    log(`  pipeline drained ${http.pipelineDrainSec.toFixed(1)} s after the last HTTP answer`)
    const qos0 = await mqttQos0Phase(s, pubs)
    log(`MQTT QoS 0: ${(qos0.msgsPerSec / 1e3).toFixed(1)} k msgs/s durable (${qos0.drainSec!.toFixed(1)} s to drain)`)
    qos0.pipelineDrainSec = await pipelineDrained(s)
    const qos1 = await mqttQos1Phase(s, pubs, T_QOS1, SECONDS)
    log(`MQTT QoS 1: ${(qos1.msgsPerSec / 1e3).toFixed(1)} k msgs/s acknowledged`)
    for (const p of pubs) p.device.close()
    sent += http.readings + (qos0.messages + qos1.messages) * CHANNELS
    const metricsReadings = await s.api.storedReadings()
    const features = await featuresInPath(s)
    result = { http, qos0, qos1, sentReadings: sent, metricsReadings, maxRss: s.maxRss(), features }
  } finally {
    stored = await s.stop()
  }
  log(`stored ${stored} readings; sent ${result.sentReadings}`)
  if (stored !== result.sentReadings) throw new Error(`the store holds ${stored} readings but ${result.sentReadings} were sent and acknowledged`)

  const rawAfter = await rawRun(rawSeconds)
  log(`raw append: ${(rawAfter / 1e6).toFixed(2)} M readings/s`)
  return { ...result, raw: (rawBefore + rawAfter) / 2, rawBefore, rawAfter, storedReadings: stored }
}

interface SoakFigures {
  assets: number
  minutes: number
  maxRss: number
  /** Largest V8 heap in use the server reported (GET /health/detailed every 5 s). */
  maxHeapMb: number
  /** Largest heap in use of the anomaly stage's worker thread (0: scoring off or on the event loop). */
  maxWorkerHeapMb: number
  /** Largest memory held outside the JS heaps by ArrayBuffers and Buffers (main thread plus scoring worker). */
  maxExternalMb: number
  /** Largest V8 heap reserved (used and garbage not yet returned), same samples. */
  maxHeapTotalMb: number
  /** Largest memory DuckDB reported as its own (duckdb_memory(): buffer pool and operators), and its limit. */
  maxStoreMb: number
  storeLimitMb: number
  /** Largest anonymous (heap, not file-backed) part of the RSS, from /proc. */
  maxRssAnon: number
  /** Peak RSS while the fleet was provisioned and sent its first record (kernel high-water mark). */
  rssBeforeStreamingMax: number
  rssFirstMinuteMax: number
  rssLastMinuteMax: number
  underLimit: boolean
  sentReadings: number
  storedReadings: number
  /** Records per second acknowledged while the fleet streamed (it asks for `assets`/s). */
  recordsPerSec: number
  /** Server CPU (user + system) over the streaming, in cores: what memory settings cost in garbage collection. */
  serverCores: number
  maxMqttBacklog: number
  /** Records not acknowledged 2 minutes after sending stopped (the server fell behind). */
  unacknowledged: number
  /** HTTP requests answered 503 (back-pressure) and sent again after their Retry-After. */
  busyAnswers: number
}

/** `assets` assets, one record of 10 channels each per second: half over MQTT QoS 1, half over HTTP. */
/**
 * `--soak-trace FILE`: the soak's memory second by second as CSV (seconds since streaming
 * began, RSS, and the server's heap, scoring worker heap, external memory of the main thread and
 * of the scoring worker, and DuckDB figures where its 5-s sample landed), to see when the peaks come, not only how high.
 */
function writeSoakTrace(file: string, samples: readonly { t: number; rss: number }[], health: readonly { t: number; heap: number; worker: number; external: number; workerExternal: number; store: number }[]): void {
  const lines = ['t_s,rss_mb,heap_mb,worker_heap_mb,external_mb,worker_external_mb,duckdb_mb']
  let h = 0
  for (const x of samples) {
    let cols = ',,,,'
    while (h < health.length && health[h]!.t <= x.t) {
      const y = health[h++]!
      cols = `${y.heap},${y.worker},${y.external},${y.workerExternal},${y.store}`
    }
    lines.push(`${(x.t / 1000).toFixed(1)},${(x.rss / MB).toFixed(0)},${cols}`)
  }
  writeFileSync(file, `${lines.join('\n')}\n`)
  log(`soak: trace written to ${file}`)
}

/**
 * The soak's RSS drawn on stderr: per column, the highest and the lowest second of its
 * stretch of the run (the peaks are short, so a mean would hide them), against the 1 GB line.
 */
function drawSoak(samples: readonly { t: number; rss: number }[]): void {
  if (samples.length < 2) return
  const columns = Math.min(100, samples.length)
  const high: number[] = []
  const low: number[] = []
  for (let c = 0; c < columns; c++) {
    const part = samples.slice(Math.floor((c * samples.length) / columns), Math.floor(((c + 1) * samples.length) / columns))
    high.push(Math.max(...part.map((x) => x.rss / MB)))
    low.push(Math.min(...part.map((x) => x.rss / MB)))
  }
  const limit = high.map(() => RSS_LIMIT_BYTES / MB)
  const minutes = (samples.at(-1)!.t / 60_000).toFixed(1)
  log(`soak: RSS (MB) over ${minutes} min of streaming, highest and lowest second per column; the flat line is 1 GB`)
  log(asciichart.plot([limit, high, low], { height: 14, format: (x) => x.toFixed(0).padStart(6) }))
}

async function soak(assets: number, minutes: number): Promise<SoakFigures> {
  const s = await startServer(assets)
  const mqttAssets = Math.floor(assets / 2)
  const gateways = Math.max(1, Math.ceil(mqttAssets / 100))
  const samples: { t: number; rss: number }[] = []
  /** The server's own figures every 5 s (GET /health/detailed), for --soak-trace. */
  const health: { t: number; heap: number; worker: number; external: number; workerExternal: number; store: number }[] = []
  let sentReadings = 0
  let records = 0
  let maxBacklog = 0
  let maxHeapMb = 0
  let maxWorkerHeapMb = 0
  let maxExternalMb = 0
  let maxHeapTotalMb = 0
  let maxStoreMb = 0
  let storeLimitMb = 0
  let maxRssAnon = 0
  let stored: number
  const end = { unacknowledged: 0, recordsPerSec: 0, peakRss: 0, serverCores: 0, peakRssBeforeStreaming: 0, busyAnswers: 0 }
  const durationMs = minutes * 60_000
  try {
    const pubs = await connectDevices(s, gateways, mqttAssets, 'soak')
    // HTTP carries the assets after the MQTT ones, 1,000 records per request.
    const httpBodies: string[][] = []
    for (let first = mqttAssets; first < assets; first += RECORDS_PER_REQUEST) httpBodies.push(bodyPieces(first, Math.min(RECORDS_PER_REQUEST, assets - first)))
    log(`soak: ${assets} assets for ${minutes} min: ${mqttAssets} over ${gateways} MQTT QoS 1 connections, ${assets - mqttAssets} over HTTP`)

    // Per gateway: messages due (one per asset per tick) and unacknowledged, at most 100 in flight.
    const backlog = pubs.map(() => [] as Buffer[])
    const out = pubs.map(() => 0)
    const fill = (g: number): void => {
      const n = Math.min(100 - out[g]!, backlog[g]!.length)
      if (n <= 0) return
      const packets = backlog[g]!.splice(0, n)
      out[g]! += n
      pubs[g]!.device.socket.write(Buffer.concat(packets))
    }
    let failure: Error | null = null
    pubs.forEach((p, g) => {
      p.device.onAcks = (k) => {
        out[g]! -= k
        sentReadings += k * CHANNELS
        records += k
        fill(g)
      }
      p.device.onClose = (err) => (failure ??= err)
    })
    let httpInFlight = 0
    let busyAnswers = 0
    /** One request until it is taken: a 503 (the pipeline's back-pressure) is sent again after its Retry-After, as gateways do. */
    const post = (body: string): void =>
      void s.api.call('POST', '/v1/ingest', body).then(
        (r) => {
          if (r.status === 503) {
            busyAnswers++
            setTimeout(() => post(body), r.retryAfterSec * 1000)
            return
          }
          httpInFlight--
          if (r.status !== 200) failure ??= new Error(`soak ingest answered ${r.status}: ${r.body.slice(0, 200)}`)
          else {
            const body = JSON.parse(r.body) as { accepted: number; readings: number }
            sentReadings += body.readings
            records += body.accepted
          }
        },
        (err: Error) => (failure ??= err),
      )
    const sendHttp = (ts: number): void => {
      for (const pieces of httpBodies) {
        httpInFlight++
        post(pieces.join(String(ts)))
      }
    }
    const sendMqtt = (ts: number): void =>
      pubs.forEach((p, g) => {
        for (let a = 0; a < p.assets; a++) backlog[g]!.push(p.at(a, ts, 1))
        maxBacklog = Math.max(maxBacklog, backlog[g]!.length)
        fill(g)
      })
    const pending = (): boolean => backlog.some((b) => b.length > 0) || out.some((o) => o > 0) || httpInFlight > 0

    // Warm-up, not timed: the first record of each asset pays for the topic ACL and the
    // channel lookups (one metadata query per asset); the soak measures the steady state.
    const warm0 = performance.now()
    sendHttp(Date.now() - 5000)
    sendMqtt(Date.now() - 5000)
    while (pending()) {
      if (failure) throw failure
      await sleep(100)
    }
    log(`  first record of every asset stored in ${((performance.now() - warm0) / 1000).toFixed(1)} s (caches warm)`)
    // The peak so far (provisioning and the warm-up burst), to tell it from the streaming's.
    end.peakRssBeforeStreaming = rssBytes(s.pid, 'VmHWM')
    const recordsBefore = records
    const serverCores = s.cpu()
    const t0 = performance.now()
    const wall0 = Date.now()
    let tick = 0
    const sampleEvery = 5000
    let nextSample = 0
    let nextLog = 60_000
    while (performance.now() - t0 < durationMs) {
      if (failure) throw failure
      const ts = wall0 + tick * 1000
      sendMqtt(ts)
      // HTTP requests are bounded like the MQTT window: a tick the server has no room for is
      // skipped (and shows as fewer records per second), not queued without end.
      if (httpInFlight < 4 * httpBodies.length) sendHttp(ts)
      tick++
      const elapsed = performance.now() - t0
      // RSS every tick (a /proc read), so short peaks show in the minute they happen.
      samples.push({ t: elapsed, rss: rssBytes(s.pid) })
      if (elapsed >= nextSample) {
        maxRssAnon = Math.max(maxRssAnon, rssBytes(s.pid, 'RssAnon'))
        void s.api.call('GET', '/health/detailed').then(
          (r) => {
            if (r.status !== 200) return
            const m = (JSON.parse(r.body) as { memory: { heapUsedMb: number; heapTotalMb: number; storeUsedMb?: number; storeLimitMb?: number; anomalyWorkerHeapUsedMb?: number; externalMb: number; anomalyWorkerExternalMb?: number } }).memory
            health.push({ t: elapsed, heap: m.heapUsedMb, worker: m.anomalyWorkerHeapUsedMb ?? 0, external: m.externalMb, workerExternal: m.anomalyWorkerExternalMb ?? 0, store: m.storeUsedMb ?? 0 })
            maxHeapMb = Math.max(maxHeapMb, m.heapUsedMb)
            maxWorkerHeapMb = Math.max(maxWorkerHeapMb, m.anomalyWorkerHeapUsedMb ?? 0)
            maxExternalMb = Math.max(maxExternalMb, m.externalMb + (m.anomalyWorkerExternalMb ?? 0))
            maxHeapTotalMb = Math.max(maxHeapTotalMb, m.heapTotalMb)
            maxStoreMb = Math.max(maxStoreMb, m.storeUsedMb ?? 0)
            storeLimitMb = m.storeLimitMb ?? 0
          },
          () => undefined,
        )
        nextSample += sampleEvery
      }
      if (elapsed >= nextLog) {
        const minuteMax = samples.reduce((m, x) => (x.t >= elapsed - 60_000 ? Math.max(m, x.rss) : m), 0)
        log(`  ${(elapsed / 60_000).toFixed(0)} min: RSS max ${(minuteMax / 2 ** 20).toFixed(0)} MB over the minute, heap max ${maxHeapMb} MB (reserved ${maxHeapTotalMb}, scoring worker ${maxWorkerHeapMb}), external ${maxExternalMb} MB, DuckDB max ${maxStoreMb} MB, ${records} records, MQTT backlog ${backlog.reduce((a, b) => a + b.length, 0)}, HTTP in flight ${httpInFlight}`)
        nextLog += 60_000
      }
      // The next tick on the wall clock, so that a slow tick does not slow the fleet down.
      await sleep(Math.max(0, t0 + tick * 1000 - performance.now()))
    }
    log('soak: sending stopped; waiting for the last acknowledgements')
    for (let i = 0; pending() && i < 2400; i++) {
      if (failure) throw failure
      await sleep(50)
    }
    // Still unacknowledged after 2 minutes: the server did not keep up with the fleet. Reported, not hidden.
    end.unacknowledged = backlog.reduce((a, b) => a + b.length, 0) + out.reduce((a, b) => a + b, 0) + httpInFlight * RECORDS_PER_REQUEST
    end.recordsPerSec = (records - recordsBefore) / ((performance.now() - t0) / 1000)
    end.serverCores = serverCores()
    end.busyAnswers = busyAnswers
    samples.push({ t: performance.now() - t0, rss: rssBytes(s.pid) })
    // The kernel's high-water mark also covers peaks between samples (and provisioning).
    end.peakRss = rssBytes(s.pid, 'VmHWM')
    for (const p of pubs) p.device.close()
  } finally {
    stored = await s.stop()
  }
  // Messages in flight when the devices hung up may be stored without their acknowledgement.
  if (end.unacknowledged === 0 ? stored !== sentReadings : stored < sentReadings) throw new Error(`soak: the store holds ${stored} readings but ${sentReadings} were acknowledged`)
  if (args['soak-trace']) writeSoakTrace(args['soak-trace'], samples, health)
  drawSoak(samples)
  const maxOf = (list: { rss: number }[]): number => list.reduce((m, x) => Math.max(m, x.rss), 0)
  const maxRss = Math.max(maxOf(samples), s.maxRss(), end.peakRss)
  return {
    assets,
    minutes,
    maxRss,
    maxHeapMb,
    maxWorkerHeapMb,
    maxExternalMb,
    maxHeapTotalMb,
    maxStoreMb,
    storeLimitMb,
    maxRssAnon,
    rssBeforeStreamingMax: end.peakRssBeforeStreaming,
    rssFirstMinuteMax: maxOf(samples.filter((x) => x.t < 60_000)),
    rssLastMinuteMax: maxOf(samples.filter((x) => x.t >= durationMs - 60_000)),
    underLimit: maxRss < RSS_LIMIT_BYTES,
    sentReadings,
    storedReadings: stored,
    recordsPerSec: end.recordsPerSec,
    serverCores: end.serverCores,
    maxMqttBacklog: maxBacklog,
    unacknowledged: end.unacknowledged,
    busyAnswers: end.busyAnswers,
  }
}

/**
 * Sends `records` seconds of data for every asset (before the measured phases' times), from
 * CLIENTS concurrent clients, answering back-pressure as devices do.
 */
async function warmFleet(s: Server, records: number): Promise<void> {
  const pieces = bodyPieces(0, Math.min(RECORDS_PER_REQUEST, ASSETS))
  let next = 0
  if (records > 10) log(`  warming the fleet: ${records} s of data per asset`)
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let i = next++; i < records; i = next++) await ingestTaken(s, pieces.join(String(T_WARMUP + i * 1000)))
    }),
  )
}

/**
 * What scoring costs end to end: HTTP ingest on a server with anomaly scoring off, then on
 * one with it on (a fresh server each, same data), `rounds` times alternating, so machine
 * noise falls on both sides. Each side's rate is through the pipeline: the readings
 * acknowledged over the time until the last of them went through every stage (the
 * acknowledged rate alone leaves the scoring backlog out). The cost is 1 − (with scoring /
 * without), from the summed rates.
 */
async function scoringAb(rounds: number): Promise<{ off: number[]; on: number[]; ackedOff: number[]; ackedOn: number[]; cost: number; cpuOff: number[]; cpuOn: number[]; costCpu: number }> {
  const rate = { off: [] as number[], on: [] as number[] }
  const acked = { off: [] as number[], on: [] as number[] }
  /** CPU µs per reading, server (all its threads, from the phase's start until drained) plus load generator. */
  const cpu = { off: [] as number[], on: [] as number[] }
  for (let r = 0; r < rounds; r++) {
    for (const scoring of [false, true]) {
      const s = await startServer(ASSETS, { PROGNOS_ANOMALY: scoring ? 'on' : 'off' })
      try {
        await warmFleet(s, Math.max(10, AB_WARM_VECTORS * 10))
        await pipelineDrained(s)
        const serverCores = s.cpu()
        const h = await httpPhase(s)
        const drain = await pipelineDrained(s)
        const through = h.readings / (h.elapsedSec + drain)
        const side = scoring ? 'on' : 'off'
        const us = ((serverCores() * (h.elapsedSec + drain) + h.clientCores * h.elapsedSec) / h.readings) * 1e6
        log(`scoring ${scoring ? 'on ' : 'off'} (round ${r + 1}): ${(through / 1e6).toFixed(3)} M readings/s through the pipeline (${(h.readingsPerSec / 1e6).toFixed(3)} M acknowledged, ${drain.toFixed(1)} s to drain), ${us.toFixed(2)} CPU µs a reading`)
        rate[side].push(through)
        acked[side].push(h.readingsPerSec)
        cpu[side].push(us)
      } finally {
        await s.stop()
      }
    }
  }
  const sum = (a: number[]): number => a.reduce((x, y) => x + y, 0)
  // On two cores shared by the server and the load generator, throughput goes as 1 / CPU per reading:
  // the CPU figure's cost is what the rate's would be without the machine's neighbours moving it.
  return { off: rate.off, on: rate.on, ackedOff: acked.off, ackedOn: acked.on, cost: 1 - sum(rate.on) / sum(rate.off), cpuOff: cpu.off, cpuOn: cpu.on, costCpu: 1 - sum(cpu.off) / sum(cpu.on) }
}

// ---------------------------------------------------------------------------- run

const MB = 2 ** 20
const out: Record<string, unknown> = {}
if (args['qos1-only']) {
  const q = await qos1Only()
  Object.assign(out, {
    mqtt_qos1_msgs_per_s: Math.round(q.msgsPerSec),
    mqtt_qos1_server_cpu_cores: +q.serverCores.toFixed(2),
    mqtt_qos1_server_cpu_us_per_msg: +((q.serverCores / q.msgsPerSec) * 1e6).toFixed(1),
    load_average_1m: +loadavg()[0]!.toFixed(2),
  })
} else if (!args['skip-throughput']) {
  const f = await throughput()
  Object.assign(out, {
    http_readings_per_s: Math.round(f.http.readingsPerSec),
    mqtt_qos0_msgs_per_s: Math.round(f.qos0.msgsPerSec),
    mqtt_qos0_readings_per_s: Math.round(f.qos0.msgsPerSec * CHANNELS),
    mqtt_qos1_msgs_per_s: Math.round(f.qos1.msgsPerSec),
    mqtt_qos1_readings_per_s: Math.round(f.qos1.msgsPerSec * CHANNELS),
    raw_append_readings_per_s: Math.round(f.raw),
    raw_before_readings_per_s: Math.round(f.rawBefore),
    raw_after_readings_per_s: Math.round(f.rawAfter),
    ratio_http_to_raw: +(f.http.readingsPerSec / f.raw).toFixed(3),
    ratio_mqtt_qos0_to_raw: +((f.qos0.msgsPerSec * CHANNELS) / f.raw).toFixed(4),
    ratio_mqtt_qos1_to_raw: +((f.qos1.msgsPerSec * CHANNELS) / f.raw).toFixed(4),
    ratio_mqtt_qos1_to_http: +((f.qos1.msgsPerSec * CHANNELS) / f.http.readingsPerSec).toFixed(4),
    http_busy_answers: f.http.busy,
    http_pipeline_drain_s: +(f.http.pipelineDrainSec ?? 0).toFixed(2),
    http_readings_per_s_through_pipeline: Math.round(f.http.readings / (f.http.elapsedSec + (f.http.pipelineDrainSec ?? 0))),
    mqtt_qos0_pipeline_drain_s: +(f.qos0.pipelineDrainSec ?? 0).toFixed(2),
    http_request_p50_ms: +f.http.p50Ms.toFixed(2),
    http_request_p99_ms: +f.http.p99Ms.toFixed(2),
    http_server_cpu_cores: +f.http.serverCores.toFixed(2),
    http_client_cpu_cores: +f.http.clientCores.toFixed(2),
    mqtt_qos0_drain_s: +f.qos0.drainSec!.toFixed(2),
    mqtt_qos0_server_cpu_cores: +f.qos0.serverCores.toFixed(2),
    mqtt_qos0_client_cpu_cores: +f.qos0.clientCores.toFixed(2),
    mqtt_qos1_server_cpu_cores: +f.qos1.serverCores.toFixed(2),
    mqtt_qos1_client_cpu_cores: +f.qos1.clientCores.toFixed(2),
    // Server CPU per message: what the rate would be with the cores to itself, on a shared machine.
    mqtt_qos0_server_cpu_us_per_msg: +((f.qos0.serverCores / f.qos0.msgsPerSec) * 1e6).toFixed(1),
    mqtt_qos1_server_cpu_us_per_msg: +((f.qos1.serverCores / f.qos1.msgsPerSec) * 1e6).toFixed(1),
    http_server_cpu_us_per_reading: +((f.http.serverCores / f.http.readingsPerSec) * 1e6).toFixed(2),
    load_average_1m: +loadavg()[0]!.toFixed(2),
    sent_readings: f.sentReadings,
    stored_readings: f.storedReadings,
    max_rss_mb: Math.round(f.maxRss / MB),
    features_in_path: f.features,
    seconds_per_phase: SECONDS,
    http_clients: CLIENTS,
    mqtt_clients: MQTT_CLIENTS,
    mqtt_window: MQTT_WINDOW,
    assets: ASSETS,
    channels_per_record: CHANNELS,
    records_per_request: RECORDS_PER_REQUEST,
  })
}
const AB_ROUNDS = Number(args['scoring-ab'])
if (AB_ROUNDS > 0) {
  const ab = await scoringAb(AB_ROUNDS)
  Object.assign(out, {
    http_readings_per_s_through_pipeline_scoring_off: ab.off.map(Math.round),
    http_readings_per_s_through_pipeline_scoring_on: ab.on.map(Math.round),
    http_readings_per_s_scoring_off: ab.ackedOff.map(Math.round),
    http_readings_per_s_scoring_on: ab.ackedOn.map(Math.round),
    scoring_cost_share: +ab.cost.toFixed(3),
    scoring_cost_under_20pct: ab.cost <= 0.2,
    cpu_us_per_reading_scoring_off: ab.cpuOff.map((x) => +x.toFixed(3)),
    cpu_us_per_reading_scoring_on: ab.cpuOn.map((x) => +x.toFixed(3)),
    scoring_cost_share_cpu: +ab.costCpu.toFixed(3),
    scoring_ab_warm_vectors_per_asset: Math.max(1, AB_WARM_VECTORS),
  })
}
if (SOAK_ASSETS > 0) {
  const k = await soak(SOAK_ASSETS, SOAK_MINUTES)
  log(`soak: max RSS ${(k.maxRss / MB).toFixed(0)} MB (${k.underLimit ? 'under' : 'OVER'} 1 GB), ${k.recordsPerSec.toFixed(0)} records/s`)
  Object.assign(out, {
    soak_assets: k.assets,
    soak_minutes: k.minutes,
    soak_max_rss_mb: Math.round(k.maxRss / MB),
    soak_max_heap_mb: k.maxHeapMb,
    soak_max_anomaly_worker_heap_mb: k.maxWorkerHeapMb,
    soak_max_external_mb: k.maxExternalMb,
    soak_max_heap_reserved_mb: k.maxHeapTotalMb,
    soak_max_duckdb_mb: k.maxStoreMb,
    soak_duckdb_limit_mb: k.storeLimitMb,
    soak_max_rss_anon_mb: Math.round(k.maxRssAnon / MB),
    soak_rss_before_streaming_max_mb: Math.round(k.rssBeforeStreamingMax / MB),
    soak_rss_first_minute_max_mb: Math.round(k.rssFirstMinuteMax / MB),
    soak_rss_last_minute_max_mb: Math.round(k.rssLastMinuteMax / MB),
    soak_rss_under_1gb: k.underLimit,
    soak_records_per_s: Math.round(k.recordsPerSec),
    soak_server_cpu_cores: +k.serverCores.toFixed(2),
    soak_sent_readings: k.sentReadings,
    soak_stored_readings: k.storedReadings,
    soak_max_mqtt_backlog: k.maxMqttBacklog,
    soak_unacknowledged_at_end: k.unacknowledged,
    soak_http_busy_answers: k.busyAnswers,
    soak_load_average_1m: +loadavg()[0]!.toFixed(2),
  })
}
process.stdout.write(`${JSON.stringify(out)}\n`)
