/**
 * Read latency over a large store: one channel over 30 days reduced to 1,000 points, and
 * the fleet's latest values, through the HTTP layer (in-process, `app.inject`: routing,
 * auth, validation and serialisation included, no sockets).
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/query.js [--runs 50] [--warmup 5]
 *     [--readings 10000000] [--assets 1000] [--channels 10] [--keep] [--data DIR]
 *
 * Data is loaded straight through the series store, in time order as ingest would bring
 * it: first "the long channel" (asset 0, channel 0) alone over 30 days at 1 Hz, then the
 * last few hundred seconds of every channel at 1 Hz, interleaved by time like a streaming
 * fleet, until the store holds `--readings` readings. The rollups are then built by the
 * platform's own maintenance job (one pass, as the timer would run it; its time is
 * `rollup_build_ms`).
 *
 * Besides the HTTP figures, the parts of the 30-day query are timed directly (query
 * service, the store's count and bucket reads) to show where the time goes; the same
 * buckets aggregated from raw readings (a width no rollup divides) are the baseline.
 *
 * The fleet query runs after a restart of the platform on the same data: the first call
 * after start (`fleet_latest_cold_ms`, which waits for the start-up preload if it is
 * still running), then warm calls, then calls between which every series gets a new
 * latest value (`fleet_latest_changing_*`, the answer must show them).
 * Progress goes to stderr; the last line on stdout is the figures as JSON.
 * `--keep` leaves the data directory in place (its path is printed) for EXPLAIN ANALYZE.
 * `--data DIR` keeps the data in DIR, and a later run with the same DIR reuses it as it
 * was left (same readings, same rollups and watermark: no maintenance pass runs) and
 * only measures the queries: on a busy machine provisioning takes minutes.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { loadConfig } from '../src/config.js'
import { ReadingBatchBuilder } from '../src/domain/readings.js'
import { createLogger } from '../src/logger.js'
import { createPlatform, type Platform } from '../src/main.js'
import { bucketWidth } from '../src/pipeline/query.service.js'
import type { LightMyRequestResponse as Response } from 'fastify'
import { DUCKDB_FILE_NAME } from '../src/store/duckdb/open.js'

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '5' },
    readings: { type: 'string', default: '10000000' },
    assets: { type: 'string', default: '1000' },
    channels: { type: 'string', default: '10' },
    keep: { type: 'boolean', default: false },
    data: { type: 'string' },
  },
})
const RUNS = Number(args.runs)
const WARMUP = Number(args.warmup)
const TOTAL = Number(args.readings)
const ASSETS = Number(args.assets)
const CHANNELS = Number(args.channels)
const SERIES = ASSETS * CHANNELS
const LONG_READINGS = 30 * 86_400 // 30 days at 1 Hz
const BATCH = 200_000
const MAX_POINTS = 1000
const TARGET_P95_MS = 50
const PASSWORD = 'bench-password-123'
const TENANT = 'default'
const log = (s: string): void => void process.stderr.write(`${s}\n`)

if (TOTAL < LONG_READINGS + SERIES - 1) throw new Error(`--readings must be at least ${LONG_READINGS + SERIES - 1} (the long channel plus one reading of every other channel)`)

interface Stats {
  p50: number
  p95: number
  max: number
}
/** Nearest-rank percentiles. */
function stats(ms: number[]): Stats {
  const s = [...ms].sort((a, b) => a - b)
  const at = (p: number): number => s[Math.max(0, Math.ceil(p * s.length) - 1)]!
  return { p50: at(0.5), p95: at(0.95), max: s[s.length - 1]! }
}
const r2 = (x: number): number => +x.toFixed(2)
const fmt = (s: Stats): string => `p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(1)} ms`

/**
 * Runs `call` WARMUP times untimed, then RUNS times timed (ms per call). Every answer is
 * checked, outside the timed span: the client's parsing and the checks are not the server's time.
 */
async function measure<T>(call: () => Promise<T>, check: (r: T) => void = () => undefined): Promise<Stats> {
  for (let i = 0; i < WARMUP; i++) check(await call())
  const ms: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now()
    const r = await call()
    ms.push(performance.now() - t)
    check(r)
  }
  return stats(ms)
}

const dir = args.data ?? mkdtempSync(join(tmpdir(), 'prognos-bench-query-'))
const BENCH_SETTING = 'bench.query'
interface Prepared {
  keys: number[]
  end: number
  loadRate: number
  rollupMs: number
  slices: number
}
// PROGNOS_DUCKDB_MEMORY_LIMIT passes through, to compare buffer-pool limits on the same data.
const memoryLimit = process.env.PROGNOS_DUCKDB_MEMORY_LIMIT ? { PROGNOS_DUCKDB_MEMORY_LIMIT: process.env.PROGNOS_DUCKDB_MEMORY_LIMIT } : {}
const config = loadConfig({ env: { PROGNOS_DATA_DIR: dir, PROGNOS_ADMIN_PASSWORD: PASSWORD, PROGNOS_DEMO: 'off', PROGNOS_MQTT: 'off', PROGNOS_PORT: '0', PROGNOS_ROLLUP_INTERVAL_SEC: '0', ...memoryLimit } })
let platform: Platform = await createPlatform(config, createLogger('warn'))
const loginHeaders = async (): Promise<{ authorization: string }> => {
  const login = await platform.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'admin', password: PASSWORD } })
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.statusCode} ${login.body}`)
  return { authorization: `Bearer ${(login.json() as { accessToken: string }).accessToken}` }
}
try {
  let headers = await loginHeaders()

  // --- Assets and channels -------------------------------------------------------------
  log(`provisioning ${ASSETS} assets × ${CHANNELS} channels`)
  const tm = platform.stores.meta.tenant(TENANT)
  const assetIds = Array.from({ length: ASSETS }, (_, i) => `a${String(i).padStart(5, '0')}`)
  const specs = Array.from({ length: CHANNELS }, (_, i) => ({ name: `ch${i}`, unit: 'x', min: 0, max: 100 }))
  const saved = await platform.stores.meta.getSetting(BENCH_SETTING)
  const prepared: Prepared | null = saved === null ? null : (JSON.parse(saved) as Prepared)
  const keys: number[] = prepared?.keys ?? [] // asset-major: keys[a * CHANNELS + c]
  let t = performance.now()
  if (prepared) log(`reusing the data in ${dir} (as it was left: no new rollup pass)`)
  else for (const a of await tm.createAssets(assetIds.map((id) => ({ id, type: 'rotating_machine', channels: specs })))) keys.push(...a.channels.map((c) => c.key))
  log(`  ${((performance.now() - t) / 1000).toFixed(1)} s`)
  const longAsset = assetIds[0]!
  const longChannel = specs[0]!.name
  const longKey = keys[0]!

  // --- Readings ------------------------------------------------------------------------
  // Every reading lies in [END - 30 d, END), END a whole second: the query range is exactly that.
  const END = prepared?.end ?? Math.floor(Date.now() / 1000) * 1000
  const FROM = END - LONG_READINGS * 1000
  // Fleet phase: the last W seconds of every series (the long channel's included), so
  // TOTAL = LONG_READINGS + (SERIES - 1) · W, less `skip` other series in the first of those seconds.
  const W = Math.ceil((TOTAL - LONG_READINGS) / (SERIES - 1))
  const skip = LONG_READINGS + (SERIES - 1) * W - TOTAL
  if (!prepared) log(`loading ${(TOTAL / 1e6).toFixed(2)} M readings: the long channel over 30 d, then the last ${W} s of all ${SERIES} channels (batches of ${BATCH / 1000}k)`)
  const builder = new ReadingBatchBuilder(BATCH + SERIES)
  let loaded = 0
  let nextReport = 1_000_000
  let loadMs = 0
  const flush = async (): Promise<void> => {
    if (builder.length === 0) return
    const n = builder.length
    const t0 = performance.now()
    await platform.stores.series.append(builder.build())
    loadMs += performance.now() - t0
    loaded += n
    builder.truncate(0)
    if (loaded >= nextReport) {
      log(`  ${(loaded / 1e6).toFixed(1)} M readings, ${(loaded / (loadMs / 1000) / 1e6).toFixed(2)} M/s`)
      while (nextReport <= loaded) nextReport += 1_000_000
    }
  }
  const value = (series: number, ts: number): number => 50 + 20 * Math.sin(ts / 60_000 + series)
  const fleetStart = END - W * 1000
  // Generation is outside the timed append; `loadMs` counts only the store's append.
  for (let ts = FROM; !prepared && ts < fleetStart; ts += 1000) {
    builder.push(longKey, ts, value(longKey, ts))
    if (builder.length >= BATCH) await flush()
  }
  for (let s = 0; !prepared && s < W; s++) {
    const ts = fleetStart + s * 1000
    let skipped = s === 0 ? skip : 0
    for (const key of keys) {
      if (key !== longKey && skipped > 0) {
        skipped--
        continue
      }
      builder.push(key, ts, value(key, ts))
    }
    if (builder.length >= BATCH) await flush()
  }
  await flush()
  if (prepared) loaded = TOTAL
  if (loaded !== TOTAL) throw new Error(`loaded ${loaded} readings, expected ${TOTAL}`)
  const loadRate = prepared?.loadRate ?? loaded / (loadMs / 1000)
  if (!prepared) log(`loaded ${loaded} readings in ${(loadMs / 1000).toFixed(1)} s of append (${(loadRate / 1e6).toFixed(2)} M readings/s)`)

  // --- Rollups, by the maintenance job ---------------------------------------------------
  t = performance.now()
  const pass = prepared ? { slices: prepared.slices, watermark: (await platform.stores.rollups.status()).watermark } : await platform.maintenance.runOnce()
  const rollupMs = prepared?.rollupMs ?? performance.now() - t
  if (!prepared) await platform.stores.meta.setSettingIfAbsent(BENCH_SETTING, JSON.stringify({ keys, end: END, loadRate, rollupMs, slices: pass.slices } satisfies Prepared))
  log(`rollups: ${pass.slices} slices in ${rollupMs.toFixed(0)} ms, watermark ${new Date(pass.watermark ?? 0).toISOString()} (${((END - (pass.watermark ?? 0)) / 1000).toFixed(0)} s before the last reading)`)

  // --- Query 1: one channel over 30 days, 1,000 points -------------------------------------
  const rangeUrl = `/v1/assets/${longAsset}/readings?channels=${longChannel}&from=${FROM}&to=${END}&maxPoints=${MAX_POINTS}`
  const range = (): Promise<Response> => platform.app.inject({ method: 'GET', url: rangeUrl, headers })
  const checkRange = (res: Response): void => {
    if (res.statusCode !== 200) throw new Error(`range query answered ${res.statusCode}: ${res.body.slice(0, 300)}`)
    const body = res.json() as { series: { mode: string; ts: number[]; count?: number[] }[] }
    const s = body.series[0]
    if (body.series.length !== 1 || !s || s.mode !== 'bucketed' || !s.count) throw new Error(`range query: expected one bucketed series, got ${res.body.slice(0, 300)}`)
    if (s.ts.length > MAX_POINTS || s.ts.length < MAX_POINTS / 2) throw new Error(`range query: ${s.ts.length} points`)
    const sum = s.count.reduce((a, b) => a + b, 0)
    if (sum !== LONG_READINGS) throw new Error(`range query: counts sum to ${sum}, expected ${LONG_READINGS}`)
  }
  log(`query 1: ${rangeUrl}`)
  const range30d = await measure(range, checkRange)
  log(`  HTTP: ${fmt(range30d)}`)

  // Its parts, called directly: the query service (no HTTP), and the store's reads.
  const bucketMs = bucketWidth(FROM, END, MAX_POINTS)
  const rawBucketMs = Math.ceil((END - FROM) / (MAX_POINTS - 1))
  const service = await measure(() => platform.query.readings(TENANT, longAsset, { channels: [longChannel], from: FROM, to: END, maxPoints: MAX_POINTS }))
  const count = await measure(() => platform.stores.series.count([longKey], FROM, END))
  const sumCounts = (bs: { count: number }[]): void => {
    const n = bs.reduce((a, b) => a + b.count, 0)
    if (n !== LONG_READINGS) throw new Error(`buckets count ${n} readings, expected ${LONG_READINGS}`)
  }
  const buckets = await measure(() => platform.stores.series.buckets([longKey], FROM, END, bucketMs), sumCounts)
  // Baseline: the same aggregation from raw readings, at the width the query used before rollups.
  const rawBuckets = await measure(() => platform.stores.series.buckets([longKey], FROM, END, rawBucketMs), sumCounts)
  log(`  query service: ${fmt(service)}`)
  log(`  store count:   ${fmt(count)}`)
  log(`  store buckets from the minute rollup (${bucketMs / 60_000} min): ${fmt(buckets)}`)
  log(`  store buckets from raw readings (${(rawBucketMs / 60_000).toFixed(2)} min, baseline): ${fmt(rawBuckets)} → rollups ${(rawBuckets.p50 / buckets.p50).toFixed(1)}× faster`)

  // --- Query 2: fleet latest, after a restart ---------------------------------------------
  log('restarting the platform on the same data')
  await platform.close()
  t = performance.now()
  platform = await createPlatform(config, createLogger('warn'))
  const openMs = performance.now() - t
  // What listen() waits for before it opens the socket: the app ready (routes and serialisers compiled), the latest values and fleet answers preloaded.
  await platform.app.ready()
  await platform.warmed
  const startMs = performance.now() - t
  const fleetCall = (h: { authorization: string }): Promise<Response> => platform.app.inject({ method: 'GET', url: '/v1/fleet/latest', headers: h })
  // The token was signed before the restart (the signing key is stored): no login on the clock.
  t = performance.now()
  const first = await fleetCall(headers)
  const fleetCold = performance.now() - t
  headers = await loginHeaders()
  const fleet = (): Promise<Response> => fleetCall(headers)
  let expectTs = END - 1000
  const checkFleet = (res: Response): void => {
    if (res.statusCode !== 200) throw new Error(`fleet latest answered ${res.statusCode}: ${res.body.slice(0, 300)}`)
    const items = (res.json() as { items: { values: Record<string, { ts: number }> }[] }).items
    if (items.length !== ASSETS) throw new Error(`fleet latest: ${items.length} items, expected ${ASSETS}`)
    for (const it of items) {
      const vals = Object.values(it.values)
      if (vals.length !== CHANNELS) throw new Error(`fleet latest: an item has ${vals.length} values, expected ${CHANNELS}`)
      if (vals.some((v) => v.ts !== expectTs)) throw new Error('fleet latest: a value is not the newest reading')
    }
  }
  log('query 2: /v1/fleet/latest')
  checkFleet(first)
  log(`  start ${startMs.toFixed(0)} ms (store open ${openMs.toFixed(0)} ms, then the preload); first call after start: ${fleetCold.toFixed(1)} ms`)
  const fleetLatest = await measure(fleet, checkFleet)
  log(`  HTTP: ${fmt(fleetLatest)}`)
  // Every series gets a newer latest value before each call (outside the timed span), as under streaming ingest.
  const tick = new ReadingBatchBuilder(SERIES)
  const fleetChanging = await measure(
    () => {
      expectTs += 1000
      tick.truncate(0)
      for (const key of keys) tick.push(key, expectTs, value(key, expectTs))
      platform.latest.update(tick.build())
      return fleet()
    },
    checkFleet,
  )
  log(`  HTTP, every value changed between calls: ${fmt(fleetChanging)}`)
  const fleetService = await measure(() => platform.query.fleetLatestJson(TENANT))
  log(`  query service (the answer's JSON text): ${fmt(fleetService)}`)
  // Baseline: the same answer serialised from its objects, as before the prepared fragments.
  const items = await platform.query.fleetLatest(TENANT)
  const fleetStringify = await measure(async () => JSON.stringify({ items }))
  log(`  JSON.stringify of the same items (baseline): ${fmt(fleetStringify)}`)
  const tm2 = platform.stores.meta.tenant(TENANT)
  const listAssets = await measure(() => tm2.listAssets({ limit: 100_000 }))
  const listChannels = await measure(() => tm2.listAllChannels())
  log(`  meta listAssets:      ${fmt(listAssets)}`)
  log(`  meta listAllChannels: ${fmt(listChannels)}`)

  // The floor of any authenticated request: a tiny answer from memory (this asset's latest values).
  const floor = await measure(
    () => platform.app.inject({ method: 'GET', url: `/v1/assets/${longAsset}/latest`, headers }),
    (res) => {
      if (res.statusCode !== 200) throw new Error(`latest answered ${res.statusCode}: ${res.body.slice(0, 300)}`)
    },
  )
  log(`GET /v1/assets/${longAsset}/latest (HTTP floor): ${fmt(floor)}`)

  await platform.close()
  const dbMb = statSync(join(dir, DUCKDB_FILE_NAME)).size / 2 ** 20
  log(`DuckDB file: ${dbMb.toFixed(0)} MB`)
  for (const [name, s] of [
    ['range_30d', range30d],
    ['fleet_latest', fleetLatest],
    ['fleet_latest_changing', fleetChanging],
  ] as const) {
    log(`${name}: p95 ${s.p95.toFixed(1)} ms ${s.p95 <= TARGET_P95_MS ? 'meets' : 'MISSES'} the ${TARGET_P95_MS} ms target`)
  }
  process.stdout.write(
    `${JSON.stringify({
      readings: loaded,
      reused_data: prepared !== null,
      runs: RUNS,
      range_30d_p50_ms: r2(range30d.p50),
      range_30d_p95_ms: r2(range30d.p95),
      range_30d_max_ms: r2(range30d.max),
      range_30d_service_p50_ms: r2(service.p50),
      range_30d_store_count_p50_ms: r2(count.p50),
      range_30d_bucket_ms: bucketMs,
      range_30d_store_buckets_p50_ms: r2(buckets.p50),
      range_30d_store_buckets_raw_p50_ms: r2(rawBuckets.p50),
      range_30d_rollup_speedup: +(rawBuckets.p50 / buckets.p50).toFixed(1),
      rollup_build_ms: Math.round(rollupMs),
      rollup_slices: pass.slices,
      fleet_latest_p50_ms: r2(fleetLatest.p50),
      fleet_latest_p95_ms: r2(fleetLatest.p95),
      fleet_latest_max_ms: r2(fleetLatest.max),
      fleet_latest_changing_p50_ms: r2(fleetChanging.p50),
      fleet_latest_changing_p95_ms: r2(fleetChanging.p95),
      fleet_latest_service_p50_ms: r2(fleetService.p50),
      fleet_latest_stringify_p50_ms: r2(fleetStringify.p50),
      fleet_latest_meta_assets_p50_ms: r2(listAssets.p50),
      fleet_latest_meta_channels_p50_ms: r2(listChannels.p50),
      fleet_latest_cold_ms: r2(fleetCold),
      start_ms: Math.round(startMs),
      start_preload_ms: Math.round(startMs - openMs),
      http_floor_p50_ms: r2(floor.p50),
      load_readings_per_s: Math.round(loadRate),
      db_mb: +dbMb.toFixed(1),
      duckdb_memory_limit: config.database.duckdbMemoryLimit,
      target_p95_ms: TARGET_P95_MS,
    })}\n`,
  )
} finally {
  await platform.close()
  if (args.keep || args.data) log(`data kept in ${dir}`)
  else rmSync(dir, { recursive: true, force: true })
}
