/**
 * The dashboard under a large fleet, measured in Chromium: time to interactive of the overview
 * and of an asset page, and frame times while scrolling the asset list and zooming a chart.
 *
 *   npm run build && node dist/bench/ui.js [--assets 1000] [--days 30] [--step-sec 600]
 *     [--runs 5] [--data DIR]
 *   npm run build && node dist/bench/ui.js --screenshots docs/screenshots
 *
 * Data: `--assets` assets on 20 sites around the world, each site with battery strings of 12
 * cells (string → cells) and rotating machines; 4 channels each. Every channel has `--days`
 * of history every `--step-sec` seconds, then its last hour every 10 s, loaded straight
 * through the series store in big batches; the platform's maintenance job then builds the
 * rollups, and the platform restarts on the data (as after a deploy). `--data DIR` keeps the
 * data in DIR, and a later run with the same DIR reuses it (the history then ends when it was
 * made: the "last hour" is older, and the latest values are stale).
 *
 * Time to interactive (TTI): from navigation start to when the page shows its data (overview:
 * the fleet count and every site on the map; asset page: every chart drawn with readings) and
 * no long task (> 50 ms, PerformanceObserver) runs any more. Each page is loaded `--runs` times
 * in a fresh tab; p50 and max are reported. Target: < 2 s.
 * Smoothness: requestAnimationFrame intervals during a scripted scroll of the whole asset list
 * (200 px a frame) and during a drag-to-zoom on a chart and the redraw that follows, beside
 * the baseline of the same page doing nothing for 2 s (`idle_frames`).
 *
 * `--screenshots DIR` instead starts the demo fleet and saves a screenshot of every page
 * (laptop 1366×850, tablet 820×1180 and phone 390×844; the login page and the turbofan at laptop width only).
 * Progress goes to stderr; the last line on stdout is the figures as JSON.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { loadConfig, type Config } from '../src/config.js'
import { ReadingBatchBuilder } from '../src/domain/readings.js'
import { createLogger } from '../src/logger.js'
import { createPlatform, type Platform } from '../src/main.js'
import { launch, signedInContext } from './ui.browser.js'
import { seedOpsDemo } from './ui.seed.js'

const { values: args } = parseArgs({
  options: {
    assets: { type: 'string', default: '1000' },
    days: { type: 'string', default: '30' },
    'step-sec': { type: 'string', default: '600' },
    runs: { type: 'string', default: '5' },
    data: { type: 'string' },
    screenshots: { type: 'string' },
  },
})
const PASSWORD = 'bench-password-123'
const TARGET_TTI_MS = 2000
const log = (s: string): void => void process.stderr.write(`${s}\n`)
const r1 = (x: number): number => Math.round(x * 10) / 10

/** Installed before any page script: collects long tasks, so TTI can wait for the main thread to settle. */
const LONG_TASKS = `
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.startTime + e.duration]) })
    .observe({ type: 'longtask', buffered: true });
`
const QUIET_MS = 500
const ALL_BUCKETED = `[...document.querySelectorAll('.chart-mode')].every((e) => e.textContent.startsWith('avg'))`

/**
 * Navigates a fresh tab to `url`, waits until `ready` (a page function) is true, then until no
 * long task has run for QUIET_MS. Returns [ms to content, ms to interactive] from navigation start.
 */
async function timeToInteractive(context: BrowserContext, url: string, ready: string): Promise<{ contentMs: number; ttiMs: number; page: Page }> {
  const page = await context.newPage()
  await page.addInitScript(LONG_TASKS)
  await page.goto(url)
  const contentMs = (await (await page.waitForFunction(`(${ready})() ? performance.now() : false`, undefined, { polling: 'raf', timeout: 60_000 })).jsonValue()) as number
  // Interactive: content shown, and the main thread free for QUIET_MS (no long task started meanwhile).
  const ttiMs = (await page.evaluate(`new Promise((resolve) => {
    const check = () => {
      const lastEnd = Math.max(${contentMs}, ...window.__longTasks.map((t) => t[1]))
      if (performance.now() - lastEnd >= ${QUIET_MS}) resolve(lastEnd)
      else setTimeout(check, 50)
    }
    check()
  })`)) as number
  return { contentMs, ttiMs, page }
}

/** Frame intervals (ms) while `action` runs in the page. */
async function frameTimes(page: Page, action: () => Promise<void>): Promise<{ p50: number; p95: number; max: number; frames: number; over50ms: number }> {
  // Strings, not functions: this file is compiled without the DOM's types.
  await page.evaluate(`(() => {
    window.__frames = []
    window.__framing = true
    let last = performance.now()
    const tick = (t) => {
      window.__frames.push(t - last)
      last = t
      if (window.__framing) requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  })()`)
  await action()
  const frames = (await page.evaluate(`(() => { window.__framing = false; return window.__frames.slice(1) })()`)) as number[]
  const s = [...frames].sort((a, b) => a - b)
  const at = (p: number): number => s[Math.max(0, Math.ceil(p * s.length) - 1)] ?? 0
  return { p50: r1(at(0.5)), p95: r1(at(0.95)), max: r1(s[s.length - 1] ?? 0), frames: s.length, over50ms: s.filter((f) => f > 50).length }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!

// --- The fleet ------------------------------------------------------------------------------------

const SITES = [
  ['lyon', 'Lyon', 45.76, 4.84, 'Europe/Paris'], ['oslo', 'Oslo', 59.91, 10.75, 'Europe/Oslo'], ['madrid', 'Madrid', 40.42, -3.7, 'Europe/Madrid'],
  ['berlin', 'Berlin', 52.52, 13.4, 'Europe/Berlin'], ['warsaw', 'Warsaw', 52.23, 21.01, 'Europe/Warsaw'], ['lisbon', 'Lisbon', 38.72, -9.14, 'Europe/Lisbon'],
  ['cairo', 'Cairo', 30.04, 31.24, 'Africa/Cairo'], ['nairobi', 'Nairobi', -1.29, 36.82, 'Africa/Nairobi'], ['lagos', 'Lagos', 6.52, 3.38, 'Africa/Lagos'],
  ['mumbai', 'Mumbai', 19.08, 72.88, 'Asia/Kolkata'], ['singapore', 'Singapore', 1.35, 103.82, 'Asia/Singapore'], ['tokyo', 'Tokyo', 35.68, 139.69, 'Asia/Tokyo'],
  ['sydney', 'Sydney', -33.87, 151.21, 'Australia/Sydney'], ['auckland', 'Auckland', -36.85, 174.76, 'Pacific/Auckland'], ['santiago', 'Santiago', -33.45, -70.67, 'America/Santiago'],
  ['sao-paulo', 'São Paulo', -23.55, -46.63, 'America/Sao_Paulo'], ['mexico', 'Mexico City', 19.43, -99.13, 'America/Mexico_City'], ['houston', 'Houston', 29.76, -95.37, 'America/Chicago'],
  ['toronto', 'Toronto', 43.65, -79.38, 'America/Toronto'], ['seattle', 'Seattle', 47.61, -122.33, 'America/Los_Angeles'],
] as const
const CHANNELS = [
  { name: 'temperature', unit: '°C', min: 5, max: 50 },
  { name: 'voltage', unit: 'V', min: 1.8, max: 2.5 },
  { name: 'current', unit: 'A', min: -50, max: 50 },
  { name: 'vibration', unit: 'mm/s', min: 0, max: 8 },
]
const CELLS = 12
const LONG_STEP_MS = Number(args['step-sec']) * 1000
const DENSE_STEP_MS = 10_000
const DENSE_MS = 3_600_000

interface Fleet {
  assets: number
  readings: number
  end: number
  loadMs: number
  rollupMs: number
  sampleAsset: string
}
const BENCH_SETTING = 'bench.ui'

/** A smooth daily cycle with noise, and a few assets drifting out of range at the end. */
function value(channel: number, series: number, ts: number, end: number, drifting: boolean): number {
  const c = CHANNELS[channel]!
  const mid = (c.min + c.max) / 2
  const amp = (c.max - c.min) / 5
  const day = Math.sin((2 * Math.PI * ts) / 86_400_000 + series)
  const noise = Math.sin(ts / 7_919 + series * 13) * 0.3 + Math.sin(ts / 1_201 + series) * 0.2
  const drift = drifting ? Math.max(0, 1 - (end - ts) / (3 * 86_400_000)) * (c.max - c.min) * 0.8 : 0
  return mid + amp * (day + noise) + drift
}

async function provision(platform: Platform, nAssets: number, days: number): Promise<Fleet> {
  const tm = platform.stores.meta.tenant('default')
  const perSite = Math.ceil(nAssets / SITES.length)
  const stringsPerSite = Math.max(1, Math.floor(perSite / (2 * (CELLS + 1))))
  log(`provisioning ${nAssets} assets on ${SITES.length} sites (${stringsPerSite} strings of ${CELLS} cells a site, the rest machines) × ${CHANNELS.length} channels`)
  const keys: { key: number; channel: number; drifting: boolean }[] = []
  let made = 0
  let sampleAsset = ''
  for (const [id, name, latitude, longitude, timezone] of SITES) {
    await tm.createSite({ id, name, latitude, longitude, timezone })
    const add = async (assetId: string, assetName: string, type: string, parentId?: string): Promise<void> => {
      if (made >= nAssets) return
      await tm.createAsset({ id: assetId, name: assetName, siteId: id, type, ...(parentId ? { parentId } : {}) })
      const drifting = made % 97 === 5
      for (const [i, ch] of (await tm.ensureChannels(assetId, CHANNELS)).entries()) keys.push({ key: ch.key, channel: i, drifting })
      made++
    }
    for (let s = 0; s < stringsPerSite; s++) {
      const sid = `${id}-bs${s + 1}`
      await add(sid, `${name} string ${s + 1}`, 'battery_string')
      for (let c = 0; c < CELLS; c++) await add(`${sid}-c${String(c + 1).padStart(2, '0')}`, `${name} string ${s + 1} cell ${c + 1}`, 'battery_cell', sid)
    }
    for (let m = 0; made < Math.min(nAssets, perSite * (SITES.indexOf(SITES.find((x) => x[0] === id)!) + 1)); m++) {
      const mid = `${id}-m${String(m + 1).padStart(3, '0')}`
      if (sampleAsset === '') sampleAsset = mid
      await add(mid, `${name} machine ${m + 1}`, 'rotating_machine')
    }
  }
  const end = Math.floor(Date.now() / 1000) * 1000
  const from = end - days * 86_400_000
  const denseFrom = end - DENSE_MS
  const total = keys.length * (Math.ceil((denseFrom - from) / LONG_STEP_MS) + DENSE_MS / DENSE_STEP_MS + 1)
  log(`loading ~${(total / 1e6).toFixed(1)} M readings: ${days} d every ${LONG_STEP_MS / 1000} s, then the last hour every ${DENSE_STEP_MS / 1000} s`)
  const BATCH = 500_000
  const builder = new ReadingBatchBuilder(BATCH + keys.length)
  let loaded = 0
  let loadMs = 0
  let reported = 0
  const flush = async (): Promise<void> => {
    if (builder.length === 0) return
    const t = performance.now()
    loaded += builder.length
    await platform.stores.series.append(builder.build())
    loadMs += performance.now() - t
    builder.truncate(0)
    if (loaded - reported >= 2_000_000) {
      reported = loaded
      log(`  ${(loaded / 1e6).toFixed(1)} M readings, ${(loaded / (loadMs / 1000) / 1e6).toFixed(2)} M/s`)
    }
  }
  // In time order, every series at each step, as a streaming fleet would bring them.
  const step = async (ts: number): Promise<void> => {
    for (const k of keys) builder.push(k.key, ts, value(k.channel, k.key, ts, end, k.drifting))
    if (builder.length >= BATCH) await flush()
  }
  for (let ts = from; ts < denseFrom; ts += LONG_STEP_MS) await step(ts)
  for (let ts = denseFrom; ts <= end; ts += DENSE_STEP_MS) await step(ts)
  await flush()
  log(`loaded ${loaded} readings in ${(loadMs / 1000).toFixed(1)} s of append`)
  const t = performance.now()
  await platform.maintenance.runOnce()
  const rollupMs = performance.now() - t
  log(`rollups built in ${(rollupMs / 1000).toFixed(1)} s`)
  return { assets: made, readings: loaded, end, loadMs, rollupMs, sampleAsset }
}

// --- Screenshots of the demo fleet -------------------------------------------------------------

/** Laptop, tablet (portrait) and phone: every page at each, file names suffixed with the screen. */
const SCREENS = [
  [{ width: 1366, height: 850 }, ''],
  [{ width: 820, height: 1180 }, '-tablet'],
  [{ width: 390, height: 844 }, '-phone'],
] as const

async function screenshots(outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true })
  const dir = mkdtempSync(join(tmpdir(), 'prognos-shots-'))
  const config = loadConfig({ env: { PROGNOS_DATA_DIR: dir, PROGNOS_ADMIN_PASSWORD: PASSWORD, PROGNOS_DEMO: 'on', PROGNOS_MQTT: 'off', PROGNOS_PORT: '0', PROGNOS_REGISTRY_DRIFT_WINDOW: '200' } })
  const platform = await createPlatform(config, createLogger('warn'))
  // A local webhook endpoint that takes everything, for the settings page's channel and its "Send test".
  const hook = createServer((req, res) => req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}')))
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r))
  let browser: Browser | undefined
  const shots: string[] = []
  try {
    await platform.startDemo()
    await seedOpsDemo(platform, PASSWORD, (await platform.stores.meta.tenant('default').listAssets()).map((a) => a.id), { webhookUrl: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook` })
    const base = await platform.listen()
    browser = await launch()
    // Let the demo stream for a while, so the charts show it live.
    log('demo fleet streaming; waiting 20 s')
    await new Promise((r) => setTimeout(r, 20_000))
    const shoot = async (page: Page, name: string): Promise<void> => {
      // From the top: a page scrolled by a click would draw the sticky top bar in the middle of a full-page shot.
      await page.evaluate('window.scrollTo(0, 0)')
      await page.screenshot({ path: join(outDir, `${name}.png`), fullPage: true })
      shots.push(`${name}.png`)
      log(`  ${name}.png`)
    }
    const loginPage = await (await browser.newContext({ viewport: { width: 1366, height: 850 } })).newPage()
    await loginPage.goto(`${base}/`)
    await loginPage.waitForSelector('input[name="password"]')
    await shoot(loginPage, 'login')
    for (const [viewport, suffix] of SCREENS) {
      const context = await signedInContext(browser, base, 'admin', PASSWORD, viewport)
      const page = await context.newPage()
      await page.goto(`${base}/#/`)
      await page.waitForSelector('[data-testid="site-dot"]')
      await page.waitForSelector('.site-map .land')
      await shoot(page, `overview${suffix}`)
      await page.goto(`${base}/#/assets`)
      await page.waitForSelector('[data-testid="asset-row"]')
      await shoot(page, `assets${suffix}`)
      await page.goto(`${base}/#/assets/bs-001`)
      await page.waitForSelector('[data-testid="chart-voltage"][data-points]:not([data-points="0"])')
      await page.waitForSelector('[data-testid="slot-models"][data-state="ok"]')
      // The demo has streamed for minutes, not hours: the 15 min range fills the charts.
      await page.click('button:has-text("15 min")')
      await page.waitForFunction(`document.querySelector('[data-testid="charts"]')?.getAttribute('data-loading') === 'false'`)
      await page.waitForTimeout(1500)
      await shoot(page, `asset-battery-string${suffix}`)
      if (suffix === '') {
        await page.goto(`${base}/#/assets/tf-001`)
        await page.waitForSelector('[data-testid="chart-t50"][data-points]:not([data-points="0"])')
        await page.waitForTimeout(1500)
        await shoot(page, 'asset-turbofan')
      }
      await page.goto(`${base}/#/alerts`)
      await page.waitForSelector('[data-testid="alert-count"], [data-testid="alerts-empty"]')
      if (await page.$('[data-testid="alert-row"] button[aria-expanded="false"]')) await page.click('[data-testid="alert-row"] button[aria-expanded="false"]')
      await shoot(page, `alerts${suffix}`)
      await page.goto(`${base}/#/models`)
      await page.waitForSelector('[data-testid="drift-psi-1"] canvas')
      await page.check('text=run-1')
      await page.check('text=run-2')
      await page.waitForSelector('[data-testid="runs-compared"]')
      await shoot(page, `models${suffix}`)
      await page.goto(`${base}/#/settings`)
      await page.waitForSelector('[data-testid="user-row"]')
      await page.fill('input[aria-label="New key\'s name"]', 'pump-7 gateway')
      await page.click('[data-testid="keys"] button[type="submit"]')
      await page.waitForSelector('[data-testid="new-key"]')
      await page.click('[data-testid="channel-row"] [data-testid="channel-test"]')
      await page.waitForSelector('[data-testid="channels-feedback"]:has-text("Test delivered")')
      await shoot(page, `settings${suffix}`)
      await context.close()
    }
  } finally {
    await browser?.close()
    await platform.close()
    await new Promise((r) => hook.close(r))
    rmSync(dir, { recursive: true, force: true })
  }
  process.stdout.write(`${JSON.stringify({ bench: 'ui-screenshots', dir: outDir, shots })}\n`)
}

// --- The benchmark -------------------------------------------------------------------------------

async function bench(): Promise<void> {
  const dir = args.data ?? mkdtempSync(join(tmpdir(), 'prognos-bench-ui-'))
  const env = { PROGNOS_DATA_DIR: dir, PROGNOS_ADMIN_PASSWORD: PASSWORD, PROGNOS_DEMO: 'off', PROGNOS_MQTT: 'off', PROGNOS_PORT: '0', PROGNOS_ROLLUP_INTERVAL_SEC: '0' }
  const config: Config = loadConfig({ env })
  let platform = await createPlatform(config, createLogger('warn'))
  let browser: Browser | undefined
  try {
    const saved = await platform.stores.meta.getSetting(BENCH_SETTING)
    let fleet: Fleet
    if (saved !== null) {
      fleet = JSON.parse(saved) as Fleet
      log(`reusing the fleet in ${dir}: ${fleet.assets} assets, ${fleet.readings} readings`)
    } else {
      fleet = await provision(platform, Number(args.assets), Number(args.days))
      await platform.stores.meta.setSettingIfAbsent(BENCH_SETTING, JSON.stringify(fleet))
    }
    // Restart on the data: latest values come from the start-up preload, as after a deploy.
    await platform.close()
    platform = await createPlatform(config, createLogger('warn'))
    const base = await platform.listen()
    browser = await launch()
    const context = await signedInContext(browser, base, 'admin', PASSWORD)
    const runs = Number(args.runs)

    const overviewReady = `() => { const k = document.querySelector('[data-testid="kpi-assets"] .kpi-figure'); return k !== null && k.textContent === '${fleet.assets}' && document.querySelectorAll('[data-testid="site-dot"]').length === ${SITES.length} }`
    const assetReady = `() => { const c = [...document.querySelectorAll('[data-testid^="chart-"]')]; return c.length === ${CHANNELS.length} && c.every((e) => Number(e.getAttribute('data-points')) > 0) }`
    const overview: number[] = []
    const overviewContent: number[] = []
    const asset: number[] = []
    const assetContent: number[] = []
    // One untimed load of each first: the server's first answers warm its caches.
    for (let i = 0; i <= runs; i++) {
      log(`run ${i}${i === 0 ? ' (warm-up)' : ''}`)
      const o = await timeToInteractive(context, `${base}/#/`, overviewReady)
      await o.page.close()
      const a = await timeToInteractive(context, `${base}/#/assets/${fleet.sampleAsset}`, assetReady)
      await a.page.close()
      if (i === 0) continue
      overview.push(o.ttiMs)
      overviewContent.push(o.contentMs)
      asset.push(a.ttiMs)
      assetContent.push(a.contentMs)
    }

    // The 30-day range of the same asset: from the click to every chart redrawn with buckets.
    const page = (await timeToInteractive(context, `${base}/#/assets/${fleet.sampleAsset}`, assetReady)).page
    const longRange: number[] = []
    for (let i = 0; i < runs; i++) {
      await page.click('button:has-text("1 h")')
      await page.waitForFunction(`document.querySelector('.chart-mode')?.textContent === 'raw'`)
      const t = performance.now()
      await page.click('button:has-text("30 d")')
      await page.waitForFunction(ALL_BUCKETED, undefined, { polling: 'raf' })
      longRange.push(performance.now() - t)
    }

    // Zoom: drag across the middle third of the first chart, until the zoomed readings are drawn.
    const box = (await page.locator('[data-testid^="chart-"] .u-over').first().boundingBox())!
    const zoomMs: number[] = []
    const zoomFrames = await frameTimes(page, async () => {
      for (let i = 0; i < runs; i++) {
        await page.click('button:has-text("30 d")')
        await page.waitForFunction(ALL_BUCKETED)
        const y = box.y + box.height / 2
        await page.mouse.move(box.x + box.width / 3, y)
        await page.mouse.down()
        for (let s = 1; s <= 20; s++) await page.mouse.move(box.x + box.width / 3 + (s * box.width) / 60, y)
        const t = performance.now()
        await page.mouse.up()
        await page.waitForSelector('[data-testid="reset-zoom"]')
        await page.waitForFunction(`document.querySelector('[data-testid="charts"]')?.getAttribute('data-loading') === 'false'`, undefined, { polling: 'raf' })
        zoomMs.push(performance.now() - t)
      }
    })
    await page.close()

    // Scroll the whole asset list, 200 px a frame.
    const list = await context.newPage()
    await list.goto(`${base}/#/assets`)
    await list.waitForSelector('[data-testid="asset-row"]')
    const scrollHeight = await list.$eval('[data-testid="asset-scroll"]', (e) => e.scrollHeight)
    const rendered = await list.$$eval('[data-testid="asset-row"]', (rows) => rows.length)
    // Baseline: the same page doing nothing, for what this machine gives at best.
    const idleFrames = await frameTimes(list, () => list.waitForTimeout(2000))
    const scrollFrames = await frameTimes(list, async () => {
      await list.evaluate(`new Promise((resolve) => {
        const el = document.querySelector('[data-testid="asset-scroll"]')
        const tick = () => {
          el.scrollTop += 200
          if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) resolve()
          else requestAnimationFrame(tick)
        }
        requestAnimationFrame(tick)
      })`)
    })
    const lastRow = await list.$$eval('[data-testid="asset-row"]', (rows) => rows.at(-1)?.getAttribute('data-asset-id') ?? null)
    await list.close()

    const result = {
      bench: 'ui',
      assets: fleet.assets,
      sites: SITES.length,
      channels_per_asset: CHANNELS.length,
      readings: fleet.readings,
      history_days: Number(args.days),
      load_s: r1(fleet.loadMs / 1000),
      rollup_s: r1(fleet.rollupMs / 1000),
      runs,
      overview_content_ms_p50: r1(median(overviewContent)),
      overview_tti_ms_p50: r1(median(overview)),
      overview_tti_ms_max: r1(Math.max(...overview)),
      asset_content_ms_p50: r1(median(assetContent)),
      asset_tti_ms_p50: r1(median(asset)),
      asset_tti_ms_max: r1(Math.max(...asset)),
      asset_30d_redraw_ms_p50: r1(median(longRange)),
      zoom_redraw_ms_p50: r1(median(zoomMs)),
      // The smoothness figures in one place: frame time p95 while scrolling and zooming, and the idle page's as this machine's floor.
      scroll_frame_ms_p95: scrollFrames.p95,
      zoom_frame_ms_p95: zoomFrames.p95,
      idle_frame_ms_p95: idleFrames.p95,
      zoom_frames: zoomFrames,
      list_rows_in_dom: rendered,
      list_scroll_px: scrollHeight,
      list_last_row: lastRow,
      scroll_frames: scrollFrames,
      idle_frames: idleFrames,
      target_tti_ms: TARGET_TTI_MS,
      tti_target_met: Math.max(...overview, ...asset) < TARGET_TTI_MS,
    }
    log(`overview TTI p50 ${result.overview_tti_ms_p50} ms (max ${result.overview_tti_ms_max}); asset TTI p50 ${result.asset_tti_ms_p50} ms (max ${result.asset_tti_ms_max})`)
    log(`scroll frames p50 ${scrollFrames.p50} ms, p95 ${scrollFrames.p95} ms; zoom redraw p50 ${result.zoom_redraw_ms_p50} ms, frames p95 ${zoomFrames.p95} ms`)
    process.stdout.write(`${JSON.stringify(result)}\n`)
  } finally {
    await browser?.close()
    await platform.close()
    if (args.data === undefined) rmSync(dir, { recursive: true, force: true })
  }
}

if (args.screenshots !== undefined) await screenshots(args.screenshots)
else await bench()
