/**
 * The crash harness shared by the crash test (test/crash/crash.test.ts, a few rounds) and
 * bench/crash (100 rounds): sustained HTTP and MQTT QoS 1 ingest into the built server,
 * `kill -9` at a random moment, restart on the same data directory, resend, and finally
 * count what DuckDB holds against what the clients were acknowledged.
 *
 * Readings are deterministic: reading `seq` of asset `a` on channel `c` has ts
 * `t0 + seq` and value `valueOf(a, seq, c)`. Every round, each client first resends what
 * it got no answer for (with the original values: they may or may not be stored), and a
 * few readings that were acknowledged, with a different value. First write wins, so an
 * acknowledged reading found with that other value was lost by the crash and then
 * stored by the resend: it is counted as lost, not hidden.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt, { type MqttClient } from 'mqtt'
import { Rng } from '../src/sim/prng.js'
import { openDuckDbStores } from '../src/store/duckdb/open.js'

export interface CrashOptions {
  /** The built CLI: dist/src/cli/main.js. */
  cli: string
  rounds: number
  seed?: number
  /** Assets written over HTTP and over MQTT (disjoint sets); 3 channels each. */
  httpAssets?: number
  mqttAssets?: number
  /** Concurrent HTTP clients, each sending one request at a time. */
  httpClients?: number
  /** MQTT QoS 1 messages in flight per MQTT client (one client per MQTT asset). */
  mqttInFlight?: number
  /** Records per HTTP request and per MQTT message. */
  recordsPerRequest?: number
  recordsPerMessage?: number
  /** The kill comes uniformly in [min, max] ms after the round's first acknowledgement. */
  killAfterMs?: readonly [number, number]
  /** Acknowledged records each client resends in each round (with another value). */
  resendAcked?: number
  /** Progress lines (stderr in the bench). */
  log?: (line: string) => void
}

export interface CrashReport {
  rounds: number
  /** Distinct readings sent (generated); at the end every one of them is acknowledged. */
  sent: number
  /** Distinct readings acknowledged (HTTP 200 or MQTT PUBACK), at least once. */
  acknowledged: number
  /** Of those, acknowledged by a server process that was then killed. */
  acknowledgedBeforeKill: number
  /** Readings sent again after a restart: unanswered ones and acknowledged ones. */
  resent: number
  /** `duplicates` summed over HTTP answers: resent readings the store dropped. */
  duplicatesAnswered: number
  /** Rows in the readings table for the test's series. */
  stored: number
  /** Acknowledged readings absent, or present only with a value sent after the acknowledgement. */
  lost: number
  /** Rows beyond the first of a (series, ts). */
  duplicated: number
  /** Stored rows that were never sent with that value. */
  unexpected: number
  /** Requests or messages cut off by a kill. */
  interrupted: number
}

const CHANNELS = ['c0', 'c1', 'c2']
/** How long after a kill a client may still be waiting on its dead connection. */
const ABANDON_AFTER_KILL_MS = 10_000
const PASSWORD = 'crash-harness-pw'
const SITE = 'crashsite'

/** The value of reading `seq` of asset index `a` on channel `c`: exact in a double. */
export const valueOf = (a: number, seq: number, c: number): number => a * 1e7 + seq * 10 + c
/** The value an acknowledged reading is resent with: never a value of its own. */
const resentValueOf = (a: number, seq: number, c: number): number => valueOf(a, seq, c) + 0.5

interface Rec {
  seq: number
  acked: boolean
}

/** One asset's readings as one client writes them. */
interface AssetLog {
  index: number
  id: string
  recs: Rec[]
  /** How many records of `recs` were ever sent. */
  sentUpTo: number
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

interface Res {
  status: number
  body: string
}

function httpCall(port: number, agent: Agent | undefined, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }))
      res.on('error', reject)
      res.on('close', () => {
        if (!res.complete) reject(new Error('the answer was cut off'))
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** A running server process and the ports it listens on. */
interface Server {
  child: ChildProcess
  exited: Promise<number | null>
  stderr: () => string
}

/** Runs the harness in a fresh temporary data directory, removed at the end. */
export async function runCrashRounds(opts: CrashOptions): Promise<CrashReport> {
  const rng = new Rng(opts.seed ?? 1)
  const log = opts.log ?? (() => undefined)
  const httpAssets = opts.httpAssets ?? 8
  const mqttAssets = opts.mqttAssets ?? 4
  const httpClients = opts.httpClients ?? 2
  const mqttInFlight = opts.mqttInFlight ?? 4
  const perRequest = opts.recordsPerRequest ?? 40
  const perMessage = opts.recordsPerMessage ?? 5
  const [killMin, killMax] = opts.killAfterMs ?? [200, 1200]
  const resendAcked = opts.resendAcked ?? 3
  const dir = mkdtempSync(join(tmpdir(), 'prognos-crash-'))
  const httpPort = await freePort()
  const mqttPort = await freePort()
  // An hour back: timestamps advance 1 ms per record, far from the future limit.
  const t0 = Date.now() - 3_600_000

  const assets: AssetLog[] = Array.from({ length: httpAssets + mqttAssets }, (_, i) => ({ index: i, id: `crash-${String(i).padStart(3, '0')}`, recs: [], sentUpTo: 0 }))
  const httpLogs = assets.slice(0, httpAssets)
  const mqttLogs = assets.slice(httpAssets)
  const report: CrashReport = {
    rounds: opts.rounds,
    sent: 0,
    acknowledged: 0,
    acknowledgedBeforeKill: 0,
    resent: 0,
    duplicatesAnswered: 0,
    stored: 0,
    lost: 0,
    duplicated: 0,
    unexpected: 0,
    interrupted: 0,
  }

  const startServer = async (): Promise<Server> => {
    const child = spawn(process.execPath, [opts.cli, 'start', '--no-demo'], {
      env: {
        ...process.env,
        PROGNOS_DATA_DIR: dir,
        PROGNOS_PORT: String(httpPort),
        PROGNOS_MQTT_PORT: String(mqttPort),
        PROGNOS_ADMIN_PASSWORD: PASSWORD,
        PROGNOS_DEMO: 'off',
        PROGNOS_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let err = ''
    child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)))
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    const until = Date.now() + 60_000
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited at start:\n${err}`)
      const ok = await httpCall(httpPort, undefined, 'GET', '/ready', {}).then((r) => r.status === 200, () => false)
      if (ok) return { child, exited, stderr: () => err }
      if (Date.now() > until) {
        child.kill('SIGKILL')
        throw new Error(`the server was not ready within 60 s:\n${err}`)
      }
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  // Provisioning, once: a site, the assets with their channels, an ingest key.
  let server = await startServer()
  let key: { id: string; key: string }
  try {
    const login = await httpCall(httpPort, undefined, 'POST', '/v1/auth/login', {}, JSON.stringify({ username: 'admin', password: PASSWORD }))
    const admin = { authorization: `Bearer ${(JSON.parse(login.body) as { accessToken: string }).accessToken}` }
    const site = await httpCall(httpPort, undefined, 'POST', '/v1/sites', admin, JSON.stringify({ id: SITE, name: 'Crash', latitude: 0, longitude: 0, timezone: 'UTC' }))
    if (site.status !== 201) throw new Error(`site creation failed: ${site.status} ${site.body}`)
    for (const a of assets) {
      const r = await httpCall(httpPort, undefined, 'POST', '/v1/assets', admin, JSON.stringify({ id: a.id, siteId: SITE, type: 'rotating_machine', channels: CHANNELS.map((name) => ({ name })) }))
      if (r.status !== 201) throw new Error(`asset creation failed: ${r.status} ${r.body}`)
    }
    const k = await httpCall(httpPort, undefined, 'POST', '/v1/keys', admin, JSON.stringify({ name: 'crash', role: 'ingest' }))
    const secret = (JSON.parse(k.body) as { key: string }).key
    key = { id: secret.split('_')[1]!, key: secret }
  } catch (err) {
    server.child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
    throw err
  }

  const recordJson = (a: AssetLog, seq: number, resend: boolean, withAsset: boolean): string => {
    const values = CHANNELS.map((name, c) => `"${name}":${resend ? resentValueOf(a.index, seq, c) : valueOf(a.index, seq, c)}`).join(',')
    return `{${withAsset ? `"asset":"${a.id}",` : ''}"ts":${t0 + seq},"values":{${values}}}`
  }

  /**
   * What one client sends next for its assets: first the backlog (unanswered records as
   * they were, a few acknowledged ones with another value), then new records.
   */
  const planBacklog = (logs: readonly AssetLog[]): { a: AssetLog; seq: number; resend: boolean }[] => {
    const out: { a: AssetLog; seq: number; resend: boolean }[] = []
    for (const a of logs) {
      const acked = a.recs.slice(0, a.sentUpTo).filter((r) => r.acked)
      for (let i = 0; i < resendAcked && acked.length > 0; i++) out.push({ a, seq: acked[rng.int(0, acked.length - 1)]!.seq, resend: true })
      for (const r of a.recs.slice(0, a.sentUpTo)) if (!r.acked) out.push({ a, seq: r.seq, resend: false })
    }
    report.resent += out.length * CHANNELS.length
    return out
  }
  const newRecord = (a: AssetLog): { a: AssetLog; seq: number; resend: boolean } => {
    const seq = a.recs.length
    a.recs.push({ seq, acked: false })
    a.sentUpTo = a.recs.length
    return { a, seq, resend: false }
  }

  /**
   * One round of ingest against the running server until `stop` resolves (the kill), or
   * with `drain`, until every record is acknowledged (no new ones).
   */
  const ingestRound = async (stop: Promise<void> | null): Promise<void> => {
    let alive = true
    void stop?.then(() => (alive = false))
    const agent = new Agent({ keepAlive: true, maxSockets: httpClients })
    const clients: MqttClient[] = []
    const headers = { 'x-api-key': key.key }

    // HTTP: each client owns every httpClients-th asset; one request at a time.
    const httpClient = async (c: number): Promise<void> => {
      const logs = httpLogs.filter((_, i) => i % httpClients === c)
      let queue = planBacklog(logs)
      let next = 0
      while (alive) {
        if (queue.length === 0) {
          if (!stop) return
          queue = Array.from({ length: perRequest }, () => newRecord(logs[next++ % logs.length]!))
        }
        const batch = queue.slice(0, perRequest)
        const body = `{"records":[${batch.map((r) => recordJson(r.a, r.seq, r.resend, true)).join(',')}]}`
        let res: Res
        try {
          res = await httpCall(httpPort, agent, 'POST', '/v1/ingest', headers, body)
        } catch {
          report.interrupted++
          return // the server is gone: what was not answered stays unacknowledged
        }
        if (res.status === 503) {
          await new Promise((r) => setTimeout(r, 100))
          continue
        }
        if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${res.body.slice(0, 300)}`)
        const answer = JSON.parse(res.body) as { accepted: number; duplicates: number }
        if (answer.accepted !== batch.length) throw new Error(`ingest accepted ${answer.accepted} of ${batch.length}: ${res.body.slice(0, 300)}`)
        report.duplicatesAnswered += answer.duplicates
        for (const r of batch) ack(r.a, r.seq)
        queue = queue.slice(batch.length)
      }
    }

    // MQTT: one client per asset (the topic names the asset), QoS 1, a window of messages in flight.
    const mqttClient = async (a: AssetLog): Promise<void> => {
      const connecting = mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
        protocolVersion: 4,
        reconnectPeriod: 0,
        connectTimeout: 5000,
        clientId: `crash-${a.id}-${rng.int(0, 1e9)}`,
        username: key.id,
        password: key.key,
      })
      // A connection cut off by the kill may never settle: the kill ends the wait.
      const client = await Promise.race([connecting, ...(stop ? [stop.then(() => null)] : [])]).catch((err: unknown) => {
        if (alive) throw err
        return null
      })
      if (!client) {
        void connecting.then((c) => c.end(true), () => undefined)
        return
      }
      clients.push(client)
      const topic = `prognos/${SITE}/${a.id}/telemetry`
      let queue = planBacklog([a])
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()))
      const sender = async (): Promise<void> => {
        while (alive && client.connected) {
          if (queue.length === 0) {
            if (!stop) return
            queue = Array.from({ length: perMessage }, () => newRecord(a))
          }
          const batch = queue.slice(0, perMessage)
          queue = queue.slice(batch.length)
          const payload = `{"records":[${batch.map((r) => recordJson(r.a, r.seq, r.resend, false)).join(',')}]}`
          // Resolves on PUBACK; a kill leaves it pending or failed, and the records unacknowledged.
          const acked = await Promise.race([client.publishAsync(topic, payload, { qos: 1 }).then(() => true, () => false), closed.then(() => false)])
          if (!acked) {
            report.interrupted++
            return
          }
          for (const r of batch) ack(r.a, r.seq)
        }
      }
      await Promise.all(Array.from({ length: mqttInFlight }, sender))
    }

    try {
      const all = Promise.all([...Array.from({ length: httpClients }, (_, c) => httpClient(c)), ...mqttLogs.map(mqttClient)])
      // After a kill nothing can be acknowledged any more: a client still waiting on a dead
      // connection after the grace period is abandoned (its records stay unacknowledged).
      const abandoned = stop?.then(() => new Promise<'abandoned'>((r) => setTimeout(() => r('abandoned'), ABANDON_AFTER_KILL_MS).unref()))
      const outcome = await Promise.race([all, ...(abandoned ? [abandoned] : [])])
      if (outcome === 'abandoned') {
        all.catch(() => undefined)
        log(`  clients still waiting ${ABANDON_AFTER_KILL_MS} ms after the kill were abandoned`)
      }
    } finally {
      agent.destroy()
      for (const c of clients) c.end(true)
    }
  }

  const acksThisProcess = new Set<string>()
  let onFirstAck: (() => void) | null = null
  const ack = (a: AssetLog, seq: number): void => {
    onFirstAck?.()
    const r = a.recs[seq]!
    if (!r.acked) {
      r.acked = true
      report.acknowledged += CHANNELS.length
    }
    acksThisProcess.add(`${a.index}/${seq}`)
  }

  try {
    for (let round = 1; round <= opts.rounds; round++) {
      if (round > 1) server = await startServer()
      acksThisProcess.clear()
      const killAfter = rng.int(killMin, killMax)
      let killed!: () => void
      const stop = new Promise<void>((resolve) => (killed = resolve))
      const kill = (): void => {
        server.child.kill('SIGKILL')
        killed()
      }
      // The delay runs from the round's first acknowledgement, so that the kill lands during
      // ingest even when a loaded machine is slow to get going; a minute without one kills anyway.
      let timer: NodeJS.Timeout | undefined
      const fallback = setTimeout(kill, 60_000)
      onFirstAck = () => {
        onFirstAck = null
        timer = setTimeout(kill, killAfter)
      }
      try {
        await ingestRound(stop)
      } finally {
        onFirstAck = null
        clearTimeout(fallback)
        clearTimeout(timer)
        server.child.kill('SIGKILL')
        killed()
        await server.exited
      }
      report.acknowledgedBeforeKill += acksThisProcess.size * CHANNELS.length
      const pending = assets.reduce((n, a) => n + a.recs.filter((r) => !r.acked).length, 0)
      log(`round ${round}/${opts.rounds}: killed after ${killAfter} ms; ${report.acknowledged} readings acknowledged, ${pending * CHANNELS.length} unanswered so far`)
    }

    // The last start: resend what is still unanswered, then stop cleanly and count.
    server = await startServer()
    await ingestRound(null)
    server.child.kill('SIGTERM')
    const code = await server.exited
    if (code !== 0) throw new Error(`the server did not stop cleanly (exit ${code}):\n${server.stderr()}`)
    await verify(dir, assets, t0, report)
    report.sent = assets.reduce((n, a) => n + a.recs.length, 0) * CHANNELS.length
    log(`sent ${report.sent}, acknowledged ${report.acknowledged}, stored ${report.stored}, lost ${report.lost}, duplicated ${report.duplicated}, unexpected ${report.unexpected}`)
    return report
  } finally {
    server.child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Opens the stopped server's DuckDB file and compares every stored row with what was sent and acknowledged. */
async function verify(dir: string, assets: readonly AssetLog[], t0: number, report: CrashReport): Promise<void> {
  const stores = await openDuckDbStores({ dataDir: dir })
  try {
    const tenant = stores.meta.tenant('default')
    for (const a of assets) {
      const channels = await tenant.listChannels(a.id)
      for (let c = 0; c < CHANNELS.length; c++) {
        const ch = channels.find((x) => x.name === CHANNELS[c])
        if (!ch) throw new Error(`channel ${CHANNELS[c]} of ${a.id} is missing`)
        const got = await stores.series.range(ch.key, t0 - 1, t0 + a.recs.length + 1)
        report.stored += got.ts.length
        const seen = new Set<number>()
        got.ts.forEach((ts, i) => {
          const seq = ts - t0
          const v = got.value[i]!
          if (seen.has(seq)) {
            report.duplicated++
            return
          }
          seen.add(seq)
          const rec = a.recs[seq]
          if (!rec || v !== valueOf(a.index, seq, c)) {
            // The value of a resend after an acknowledgement: the acknowledged original was lost.
            if (rec?.acked && v === resentValueOf(a.index, seq, c)) report.lost++
            else report.unexpected++
          }
        })
        for (const r of a.recs) if (r.acked && !seen.has(r.seq)) report.lost++
      }
    }
  } finally {
    await stores.close()
  }
}
