import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { SingleBar, Presets } from 'cli-progress'
import { AuthService } from '../auth/auth.service.js'
import { generatePassword } from '../auth/password.js'
import { ConfigError, loadConfig, type Config } from '../config.js'
import { ROLES, type Role } from '../domain/model.js'
import { createLogger } from '../logger.js'
import { createPlatform, openStores, StartupError } from '../main.js'
import { FleetFeeder, type FeedSink, type FeedSource } from '../pipeline/fleet.feeder.js'
import { createCmapssReplay, parseCmapss } from '../sim/cmapss.replay.js'
import { createDemoFleet } from '../sim/fleet.sim.js'
import { StoreUnavailableError } from '../store/errors.js'
import type { Stores } from '../store/ports.js'
import { followHeapBudget } from './heap.js'
import { HttpSink } from './http.sink.js'

let configFile: string | undefined
export function setConfigFile(file: string | undefined): void {
  configFile = file
}

const out = (s: string): void => {
  process.stdout.write(`${s}\n`)
}

/** Loads the configuration or exits with every problem listed. */
function config(overrides: Record<string, unknown> = {}): Config {
  try {
    return loadConfig({ env: process.env, file: configFile, overrides })
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`prognos: ${err.message}\nSee the configuration reference in README.md.\n`)
      process.exit(2)
    }
    throw err
  }
}

/** Turns known start-up failures into one sentence and an exit code. */
function fail(err: unknown): never {
  if (err instanceof StartupError || err instanceof StoreUnavailableError) {
    process.stderr.write(`prognos: ${err.message}\n`)
    process.exit(1)
  }
  throw err
}

export async function withStores<T>(fn: (stores: Stores, cfg: Config) => Promise<T>, overrides: Record<string, unknown> = {}): Promise<T> {
  const cfg = config(overrides)
  const stores = await openStores(cfg).catch(fail)
  try {
    return await fn(stores, cfg)
  } finally {
    await stores.close()
  }
}

function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open'
  const child = spawn(cmd, [url], { stdio: 'ignore', detached: true })
  child.on('error', () => undefined)
  child.unref()
}

export async function runStart(opts: { demo?: boolean; port?: string; host?: string; dataDir?: string; open?: boolean }): Promise<void> {
  const cfg = config({
    'http.port': opts.port,
    'http.host': opts.host,
    dataDir: opts.dataDir,
    'demo.mode': opts.demo === true ? 'on' : opts.demo === false ? 'off' : undefined,
  })
  const log = createLogger(cfg.log.level)
  // Before the platform allocates: the server's heap then stays near its live data. The
  // scoring worker's heap counts against the same target once the platform has one.
  let workerHeap = (): number => 0
  followHeapBudget(cfg.heapGrowingPercent, cfg.heapTargetMb, { otherHeapsBytes: () => workerHeap() })
  const platform = await createPlatform(cfg, log).catch(fail)
  workerHeap = () => platform.anomaly?.stats().heapUsedBytes ?? 0
  let url: string
  try {
    url = await platform.listen()
  } catch (err) {
    await platform.close()
    fail(err)
  }
  const demo = await platform.startDemo()
  const shown = url.replace('://127.0.0.1', '://localhost')
  // One write, so whoever reads the output sees the whole block at once.
  const lines = [
    '',
    `Prognos ${platform.stores.kind === 'duckdb' ? `on DuckDB (${cfg.dataDir})` : 'on PostgreSQL'} is running at ${shown}`,
    `  dashboard ${shown}/   API docs ${shown}/docs`,
  ]
  if (platform.bootstrap.generatedPassword) {
    lines.push(`  first start: created user '${platform.bootstrap.username}' with password ${platform.bootstrap.generatedPassword}`)
    lines.push(`  (shown once; set PROGNOS_ADMIN_PASSWORD to choose it, or change it with 'prognos users passwd --username ${platform.bootstrap.username}')`)
  }
  const mq = platform.mqttStatus
  switch (mq.kind) {
    case 'embedded':
      lines.push(`  MQTT broker ${mq.url}: devices publish to prognos/<site>/<asset>/telemetry with an API key's id as username and the key as password`)
      break
    case 'external':
      lines.push(`  MQTT: ingesting prognos/+/+/telemetry from ${mq.url} into tenant '${cfg.mqtt.tenant}'`)
      break
    case 'unavailable':
      lines.push(`  MQTT: ${mq.reason}`)
      break
    case 'off':
      break
  }
  if (demo) lines.push(`  a simulated fleet is streaming into tenant 'default' (stop it with --no-demo)`)
  out(`${lines.join('\n')}\n`)
  if (opts.open) openBrowser(`${shown}/`)

  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'shutting down')
    platform.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}

function readMaybeGz(file: string): string {
  const buf = readFileSync(file)
  return (file.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8')
}

export async function runSimulate(opts: Record<string, string | boolean | undefined>): Promise<void> {
  const key = (opts.key as string | undefined) ?? process.env.PROGNOS_API_KEY
  if (!key) {
    process.stderr.write("prognos: simulate needs an API key: --key or PROGNOS_API_KEY (create one with 'prognos keys create --name sim --role ingest')\n")
    process.exit(2)
  }
  const int = (name: string): number => {
    const v = Number(opts[name])
    if (!Number.isFinite(v) || v < 0) {
      process.stderr.write(`prognos: --${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} must be a non-negative number\n`)
      process.exit(2)
    }
    return v
  }
  let source: FeedSource & { done?: boolean }
  let intervalMs = int('intervalMs')
  let total: number | null = null
  if (opts.cmapss) {
    const rows = parseCmapss(readMaybeGz(String(opts.cmapss)))
    const units = typeof opts.units === 'string' ? opts.units.split(',').map(Number) : undefined
    intervalMs = Math.max(20, Math.round(1000 / int('speed')))
    const replay = createCmapssReplay(rows, { siteId: 'cmapss-lab', startTs: Date.now(), cycleMs: intervalMs, units })
    total = units ? rows.filter((r) => units.includes(r.unit)).length : rows.length
    source = {
      sites: [{ id: 'cmapss-lab', name: 'C-MAPSS test cell', latitude: 37.41, longitude: -122.06, timezone: 'America/Los_Angeles' }],
      assets: replay.assets,
      tick: (ts) => replay.tick(ts),
      get done() {
        return replay.done
      },
    }
  } else {
    source = createDemoFleet({
      seed: int('seed'),
      turbofans: int('turbofans'),
      batteryStrings: int('batteryStrings'),
      cellsPerString: int('cells'),
      liIonPacks: int('packs'),
      meters: int('meters'),
      faults: opts.faults !== false,
      startTs: Date.now(),
    })
  }
  const sink: FeedSink = new HttpSink(String(opts.url), key)
  const json = opts.json === true
  const bar = total !== null && !json && process.stderr.isTTY ? new SingleBar({ format: 'replay [{bar}] {percentage}% | {value}/{total} cycles | {eta}s left' }, Presets.shades_classic) : null
  let sent = 0
  let refused = 0
  let failures = 0
  const feeder = new FleetFeeder(source, sink, {
    intervalMs,
    onEvent: (e) => {
      if (e.type === 'error') {
        failures++
        process.stderr.write(`prognos: send failed: ${(e.error as Error).message}\n`)
      } else {
        sent += e.accepted
        refused += e.refused
        bar?.update(sent)
        if (json) out(JSON.stringify({ ts: e.ts, records: e.records, accepted: e.accepted, refused: e.refused, totalAccepted: sent }))
      }
    },
  })
  await feeder.start()
  bar?.start(total ?? 0, 0)
  if (!json && !bar) out(`simulating ${source.assets.length} assets into ${String(opts.url)} every ${intervalMs} ms (Ctrl-C to stop)`)
  const status = !json && !bar ? setInterval(() => out(`  ${sent} records accepted, ${refused} refused`), 10_000) : null
  const deadline = opts.duration ? Date.now() + int('duration') * 1000 : Infinity
  await new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (source.done || Date.now() >= deadline) {
        clearInterval(check)
        resolve()
      }
    }, 200)
    const stop = (): void => {
      clearInterval(check)
      resolve()
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  await feeder.stop()
  if (status) clearInterval(status)
  bar?.stop()
  const summary = { accepted: sent, refused, failedSends: failures }
  out(json ? JSON.stringify(summary) : `done: ${sent} records accepted, ${refused} refused${failures ? `, ${failures} sends failed` : ''}`)
  // Records that could not be sent are lost to this run: say so in the exit code.
  if (failures > 0) process.exitCode = 1
}

export async function runMigrate(opts: { status?: boolean; json?: boolean }): Promise<void> {
  // Opened with autoMigrate off, PostgreSQL shows the real pending list; migrate applies it.
  await withStores(async (stores) => {
    if (opts.status) {
      const s = await stores.meta.migrationStatus()
      out(opts.json ? JSON.stringify(s) : `schema version ${s.current} of ${s.latest}; ${s.pending.length ? `pending: ${s.pending.map((p) => `${p.version} ${p.name}`).join(', ')}` : 'nothing pending'}`)
      return
    }
    const r = await stores.meta.migrate()
    out(opts.json ? JSON.stringify(r) : r.applied.length ? `applied ${r.applied.map((a) => `${a.version} (${a.name})`).join(', ')}; schema version ${r.current}` : `nothing to apply; schema version ${r.current}`)
  }, { 'database.autoMigrate': false })
}

function role(v: unknown): Role {
  if (!ROLES.includes(v as Role)) {
    process.stderr.write(`prognos: --role must be one of ${ROLES.join(', ')}\n`)
    process.exit(2)
  }
  return v as Role
}

export async function runUsers(action: 'list' | 'create' | 'passwd', opts: Record<string, string | boolean | undefined>): Promise<void> {
  await withStores(async (stores, cfg) => {
    // No init(): creating users or keys needs no signing key, and must not create an admin nobody sees.
    const auth = new AuthService(stores.meta, cfg.auth)
    const json = opts.json === true
    switch (action) {
      case 'list': {
        const users = (await stores.meta.listUsers()).map(({ passwordHash: _h, ...u }) => u)
        if (json) out(JSON.stringify(users))
        else for (const u of users) out(`${u.username.padEnd(20)} ${u.role.padEnd(9)} tenant=${u.tenantId}${u.platformAdmin ? ' platform-admin' : ''}`)
        return
      }
      case 'create': {
        const given = (opts.password as string | undefined) ?? process.env.PROGNOS_NEW_PASSWORD
        const password = given ?? generatePassword()
        const tenantId = String(opts.tenant)
        if (!(await stores.meta.getTenant(tenantId))) await stores.meta.createTenant({ id: tenantId, name: tenantId })
        const u = await auth.createUser({ tenantId, username: String(opts.username), password, role: role(opts.role) })
        const shown = given ? undefined : password
        out(json ? JSON.stringify({ id: u.id, username: u.username, role: u.role, tenantId: u.tenantId, password: shown }) : `created ${u.username} (${u.role}, tenant ${u.tenantId})${shown ? ` with password ${shown}` : ''}`)
        return
      }
      case 'passwd': {
        const given = (opts.password as string | undefined) ?? process.env.PROGNOS_NEW_PASSWORD
        const password = given ?? generatePassword()
        const u = await stores.meta.getUserByName(String(opts.username))
        if (!u) {
          process.stderr.write(`prognos: no user '${String(opts.username)}'\n`)
          process.exit(1)
        }
        await auth.setPassword(u.id, password)
        const shown = given ? undefined : password
        out(json ? JSON.stringify({ username: u.username, password: shown }) : `password of ${u.username} changed${shown ? ` to ${shown}` : ''}`)
        return
      }
    }
  })
}

export async function runKeys(action: 'list' | 'create' | 'revoke', opts: Record<string, string | boolean | undefined>): Promise<void> {
  await withStores(async (stores, cfg) => {
    const auth = new AuthService(stores.meta, cfg.auth)
    const json = opts.json === true
    switch (action) {
      case 'list': {
        const keys = (await stores.meta.listApiKeys(opts.tenant as string | undefined)).map(({ secretHash: _h, ...k }) => k)
        if (json) out(JSON.stringify(keys))
        else for (const k of keys) out(`${k.id}  ${k.role.padEnd(9)} tenant=${k.tenantId}  ${k.name}${k.revokedAt ? '  (revoked)' : ''}`)
        return
      }
      case 'create': {
        const tenantId = String(opts.tenant)
        if (!(await stores.meta.getTenant(tenantId))) await stores.meta.createTenant({ id: tenantId, name: tenantId })
        const { key, record } = await auth.createApiKey(tenantId, String(opts.name), role(opts.role))
        out(json ? JSON.stringify({ id: record.id, tenantId, role: record.role, name: record.name, key }) : `created key ${record.id} (${record.role}, tenant ${tenantId})\n${key}\nThe key is shown once; store it now.`)
        return
      }
      case 'revoke': {
        const ok = await auth.revokeApiKey(String(opts.id))
        out(json ? JSON.stringify({ id: opts.id, revoked: ok }) : ok ? `revoked ${String(opts.id)}` : `no active key ${String(opts.id)}`)
        if (!ok) process.exitCode = 1
        return
      }
    }
  })
}
