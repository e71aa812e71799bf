import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { afterAll, describe, expect, it } from 'vitest'

const CLI = ['--import', 'tsx', 'src/cli/main.ts']
const dirs: string[] = []
const children: ChildProcess[] = []
afterAll(() => {
  for (const c of children) c.kill('SIGKILL')
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'prognos-cli-'))
  dirs.push(d)
  return d
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

/** Runs `prognos …` to completion. */
function run(args: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...CLI, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** Starts `prognos start` and resolves once it printed its URL. */
function start(env: Record<string, string>, args: string[] = []): Promise<{ child: ChildProcess; out: () => string }> {
  const child = spawn(process.execPath, [...CLI, 'start', ...args], { env: { ...process.env, PROGNOS_LOG_LEVEL: 'warn', ...env } })
  children.push(child)
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 60 s:\n${out}`)), 60_000)
    child.stdout!.on('data', () => {
      if (/is running at http/.test(out)) {
        clearTimeout(timer)
        resolve({ child, out: () => out })
      }
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`exited with ${code}:\n${out}`))
    })
  })
}

const exited = (child: ChildProcess): Promise<number | null> => new Promise((resolve) => child.once('exit', (code) => resolve(code)))

describe('prognos start', () => {
  it('starts on an empty data directory with the demo fleet, serves the dashboard, stops cleanly on SIGTERM and carries on after a restart', async () => {
    const dataDir = tempDir()
    const port = await freePort()
    const mqttPort = await freePort()
    const env = { PROGNOS_DATA_DIR: dataDir, PROGNOS_PORT: String(port), PROGNOS_ADMIN_PASSWORD: '', PROGNOS_MQTT_PORT: String(mqttPort) }
    const first = await start(env)
    expect(first.out()).toContain(`MQTT broker mqtt://127.0.0.1:${mqttPort}`)
    const password = /password (\S+)/.exec(first.out())?.[1]
    expect(password).toBeTruthy()
    expect(first.out()).toMatch(/simulated fleet is streaming/)
    const base = `http://127.0.0.1:${port}`
    expect((await fetch(`${base}/health`)).status).toBe(200)
    expect(await (await fetch(`${base}/`)).text()).toMatch(/<div id="root">|<html/i)
    const login = (await (await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) })).json()) as { accessToken: string }
    const auth = { authorization: `Bearer ${login.accessToken}` }
    const fleet = async () => ((await (await fetch(`${base}/v1/fleet/latest`, { headers: auth })).json()) as { items: { values: Record<string, { ts: number }> }[] }).items
    const items = await fleet()
    expect(items.length).toBeGreaterThan(40)

    // A device publishes over MQTT to the embedded broker with an API key; the reading is then queryable.
    const key = (await (await fetch(`${base}/v1/keys`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'device', role: 'ingest' }) })).json()) as { id: string; key: string }
    const asset = (await (await fetch(`${base}/v1/assets/bs-001`, { headers: auth })).json()) as { siteId: string }
    const device = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { username: key.id, password: key.key, reconnectPeriod: 0 })
    await device.publishAsync(`prognos/${asset.siteId}/bs-001/telemetry`, JSON.stringify({ ts: Date.now(), values: { mqtt_probe: 42.5 } }), { qos: 1 })
    await device.endAsync()
    const latest = (await (await fetch(`${base}/v1/assets/bs-001/latest`, { headers: auth })).json()) as { values: Record<string, { value: number }> }
    expect(latest.values.mqtt_probe?.value).toBe(42.5)
    const newest = (xs: typeof items) => Math.max(...xs.flatMap((i) => Object.values(i.values).map((v) => v.ts)))
    const t1 = newest(items)
    await expect.poll(async () => newest(await fleet()), { timeout: 10_000 }).toBeGreaterThan(t1)

    first.child.kill('SIGTERM')
    expect(await exited(first.child)).toBe(0)

    // Same directory: no new admin password, the demo carries on, history is still there.
    const second = await start(env)
    expect(second.out()).not.toMatch(/created user/)
    const relogin = (await (await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) })).json()) as { accessToken: string }
    const res = await fetch(`${base}/v1/assets/bs-001/readings?channels=voltage&from=${t1 - 60_000}&to=${t1 + 1}&maxPoints=5000`, { headers: { authorization: `Bearer ${relogin.accessToken}` } })
    const series = ((await res.json()) as { series: { ts: number[] }[] }).series[0]!
    expect(series.ts.length).toBeGreaterThan(30)

    // A second process on the same data directory is refused with one sentence.
    const clash = run(['start'], { ...env, PROGNOS_PORT: String(await freePort()) })
    expect(clash.status).toBe(1)
    expect(clash.stderr).toMatch(/in use by another Prognos process/)

    second.child.kill('SIGTERM')
    expect(await exited(second.child)).toBe(0)
    // Two starts of the server with the demo fleet and its 10-minute backfill: well past the default timeout on a busy machine.
  }, 90_000)

  it('refuses a port already in use with one sentence', async () => {
    const port = await freePort()
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve))
    try {
      const r = run(['start', '--no-demo'], { PROGNOS_DATA_DIR: tempDir(), PROGNOS_PORT: String(port), PROGNOS_ADMIN_PASSWORD: 'long-enough-pw' })
      expect(r.status).toBe(1)
      expect(r.stderr).toMatch(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use.*PROGNOS_PORT`))
    } finally {
      blocker.close()
    }
  })

  it('lists every configuration problem together and exits 2', () => {
    const r = run(['start'], { PROGNOS_PORT: 'http', PROGNOS_INGEST_UNKNOWN_CHANNELS: 'maybe', PROGNOS_DATA_DIR: tempDir() })
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/PROGNOS_PORT/)
    expect(r.stderr).toMatch(/PROGNOS_INGEST_UNKNOWN_CHANNELS/)
  })
})

describe('prognos keys, users, migrate and simulate', () => {
  it('creates a key and streams a simulated fleet into a running platform with it', async () => {
    const dataDir = tempDir()
    const port = await freePort()
    const env = { PROGNOS_DATA_DIR: dataDir, PROGNOS_PORT: String(port), PROGNOS_ADMIN_PASSWORD: 'long-enough-pw', PROGNOS_MQTT: 'off' }
    const migrate = run(['migrate', '--status', '--json'], env)
    expect(migrate.status).toBe(0)
    expect(JSON.parse(migrate.stdout)).toMatchObject({ pending: [] })
    const key = run(['keys', 'create', '--name', 'gateway', '--role', 'ingest', '--json'], env)
    expect(key.status).toBe(0)
    const created = JSON.parse(key.stdout) as { key: string; id: string }
    expect(created.key).toMatch(/^prg_k[0-9a-f]{12}_/)
    // Making a key does not quietly create an admin whose password nobody saw.
    expect(JSON.parse(run(['users', 'list', '--json'], env).stdout)).toEqual([])
    const users = run(['users', 'create', '--username', 'ops', '--role', 'operator', '--json'], env)
    expect(JSON.parse(users.stdout)).toMatchObject({ username: 'ops', role: 'operator', password: expect.any(String) })

    // An ingest key may send readings but not create assets: simulate provisions its fleet, so it needs an operator key.
    const op = JSON.parse(run(['keys', 'create', '--name', 'sim', '--role', 'operator', '--json'], env).stdout) as { key: string }
    const again = await start(env, ['--no-demo'])
    // While the platform runs it owns the DuckDB file: the CLI says to use the API instead.
    const busy = run(['keys', 'list'], env)
    expect(busy.status).toBe(1)
    expect(busy.stderr).toMatch(/in use by another Prognos process.*\/v1\/keys/)
    const sim = run(['simulate', '--url', `http://127.0.0.1:${port}`, '--key', op.key, '--turbofans', '2', '--battery-strings', '1', '--cells', '4', '--packs', '1', '--meters', '1', '--interval-ms', '200', '--duration', '3', '--json'], {})
    expect(sim.status, sim.stderr).toBe(0)
    const summary = JSON.parse(sim.stdout.trim().split('\n').pop()!) as { accepted: number; refused: number }
    expect(summary.accepted).toBeGreaterThan(20)
    expect(summary.refused).toBe(0)
    again.child.kill('SIGTERM')
    expect(await exited(again.child)).toBe(0)
    // About ten CLI processes in turn, each opening the store: well past the default timeout on a busy machine.
  }, 90_000)
})
