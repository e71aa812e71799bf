import { mkdirSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launch } from '../../bench/ui.browser.js'
import { UI_WAIT, linePixels } from '../helpers/browser.js'
import { ADMIN_PASSWORD, startTestPlatform, type TestPlatform } from '../helpers/platform.js'

/** Screenshots land here (git-ignored) for a person to look at. */
const SHOTS = '.test-artifacts/screenshots'

let t: TestPlatform
let browser: Browser
let page: Page
let base: string

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  t = await startTestPlatform({ PROGNOS_DEMO: 'on', PROGNOS_DEMO_INTERVAL_MS: '500' })
  expect(await t.platform.startDemo()).toBe(true)
  base = await t.platform.listen()
  browser = await launch()
  page = await browser.newPage({ viewport: { width: 1366, height: 850 } })
  // Confirmation dialogs (delete, revoke) are answered yes.
  page.on('dialog', (d) => void d.accept())
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await t?.close()
})


const text = async (selector: string): Promise<string> => (await page.textContent(selector)) ?? ''
const demoAssets = async (): Promise<number> => (await t.platform.stores.meta.tenant('default').listAssets()).length

describe('dashboard in Chromium', () => {
  it('refuses a wrong password, then logs in to the overview', async () => {
    await page.goto(`${base}/`)
    await page.fill('input[name="username"]', 'admin')
    await page.fill('input[name="password"]', 'wrong-password')
    await page.click('button[type="submit"]')
    await expect.poll(() => text('body'), UI_WAIT).toMatch(/wrong username or password|invalid username or password/i)
    await page.screenshot({ path: `${SHOTS}/login.png` })
    await page.fill('input[name="password"]', ADMIN_PASSWORD)
    await page.click('button[type="submit"]')
    await page.waitForSelector('[data-testid="kpi-assets"]')
  })

  it('shows the fleet at a glance: KPIs, health and open alerts, and every site on the map', async () => {
    const assets = await demoAssets()
    await expect.poll(() => text('[data-testid="kpi-assets"] .kpi-figure'), UI_WAIT).toBe(String(assets))
    const sites = await t.platform.stores.meta.tenant('default').listSites()
    await page.waitForSelector('[data-testid="site-dot"]')
    const dots = await page.$$eval('[data-testid="site-dot"]', (els) => els.map((e) => e.getAttribute('data-site-id')))
    expect(dots.sort()).toEqual(sites.map((s) => s.id).sort())
    // The map is drawn offline from world-atlas: country shapes are in the page.
    await page.waitForSelector('.site-map path.land')
    expect((await page.getAttribute('.site-map path.land', 'd'))!.length).toBeGreaterThan(10_000)
    // Every status count adds up to the fleet.
    const counts = await page.$$eval('[data-testid="kpi-status"] li strong', (els) => els.map((e) => Number(e.textContent)))
    expect(counts.reduce((a, b) => a + b, 0)).toBe(assets)
    // Health (issue 4): the distribution once the anomaly stage scored assets, or a plain sentence before that.
    await expect.poll(() => text('[data-testid="kpi-health"]'), UI_WAIT).toMatch(/healthy|warning|critical|no health scores yet/i)
    expect(await text('[data-testid="kpi-health"]')).not.toMatch(/not available yet/i)
    // Alerting is there (issue 7): open alerts by severity, or none.
    await expect.poll(() => text('[data-testid="kpi-alerts"]'), UI_WAIT).toMatch(/no open alerts|warning|critical|info/i)
    expect(await text('[data-testid="kpi-alerts"]')).not.toMatch(/not available yet/i)
    await page.waitForSelector('.overview .live')
    await page.screenshot({ path: `${SHOTS}/overview.png`, fullPage: true })
    // A site on the map opens the list of its assets.
    const site = sites[0]!
    const atSite = (await t.platform.stores.meta.tenant('default').listAssets()).filter((a) => a.siteId === site.id).length
    await page.click(`[data-testid="site-dot"][data-site-id="${site.id}"]`)
    await page.waitForSelector('[data-testid="asset-row"]')
    expect(await page.inputValue('select[aria-label="Site"]')).toBe(site.id)
    expect(await text('[data-testid="asset-count"]')).toBe(`${atSite} of ${assets} assets`)
  })

  it('lists the fleet by site with strings above their cells, filters it, and updates it live', async () => {
    await page.click('nav >> text=Overview')
    await page.waitForSelector('[data-testid="kpi-assets"]')
    await page.click('nav >> text=Assets')
    await page.waitForSelector('[data-testid="asset-row"]')
    const assets = await demoAssets()
    expect(await text('[data-testid="asset-count"]')).toBe(`${assets} of ${assets} assets`)
    // string → cells: bs-001's cells follow it, one level deeper.
    const order = await page.$$eval('[data-testid="asset-row"]', (rows) => rows.map((r) => r.getAttribute('data-asset-id')))
    const at = order.indexOf('bs-001')
    expect(at).toBeGreaterThanOrEqual(0)
    expect(order[at + 1]).toBe('bs-001-c01')
    // Collapsing the string hides its cells.
    await page.click('[data-asset-id="bs-001"] button.toggle')
    expect(await page.$('[data-asset-id="bs-001-c01"]')).toBeNull()
    await page.click('[data-asset-id="bs-001"] button.toggle')
    await page.waitForSelector('[data-asset-id="bs-001-c01"]')
    // Live: the list changes without a reload.
    const before = await text('[data-testid="asset-table"]')
    await expect.poll(() => text('[data-testid="asset-table"]'), UI_WAIT).not.toBe(before)
    await page.screenshot({ path: `${SHOTS}/assets.png`, fullPage: true })
    await page.fill('input[aria-label="Filter assets"]', 'tf-00')
    await expect.poll(async () => page.$$eval('[data-testid="asset-row"]', (rows) => rows.map((r) => r.getAttribute('data-asset-id')).every((id) => id!.startsWith('tf-00'))), UI_WAIT).toBe(true)
    await page.fill('input[aria-label="Filter assets"]', 'no such asset anywhere')
    await page.waitForSelector('text=No assets match the filter.')
    await page.fill('input[aria-label="Filter assets"]', '')
  })

  it('opens an asset, draws its channels with data, zooms, and fills its prediction, health, alert and model slots', async () => {
    await page.click('[data-testid="asset-row"][data-asset-id="bs-001"] a')
    await page.waitForSelector('[data-testid="chart-voltage"] canvas')
    await expect.poll(() => linePixels(page, '[data-testid="chart-voltage"]'), UI_WAIT).toBeGreaterThan(200)
    expect(await text('[data-testid="chart-voltage"]')).not.toContain('No readings')
    const charts = await page.$$('[data-testid^="chart-"]')
    expect(charts.length).toBeGreaterThanOrEqual(4)
    expect(await page.$$('[data-testid="children"] a')).toHaveLength(12)
    // Live: points arrive through the stream without a reload.
    const points = Number(await page.getAttribute('[data-testid="chart-voltage"]', 'data-points'))
    await expect.poll(async () => Number(await page.getAttribute('[data-testid="chart-voltage"]', 'data-points')), UI_WAIT).toBeGreaterThan(points)
    // Every slot is fed by its endpoint now (predictions, health, alerts, models): data, or a plain sentence saying there is none yet.
    // (A battery string has no load forecast: that panel shows only on assets with forecasts, test/e2e/dashboard.prognostics.e2e.test.ts.)
    for (const slot of ['anomaly', 'health', 'rul', 'models']) {
      await page.waitForSelector(`[data-testid="slot-${slot}"][data-state="ok"]`)
      expect(await text(`[data-testid="slot-${slot}"]`)).not.toMatch(/not available yet|could not load/i)
    }
    // Alerting is there (issue 7): the asset's alerts, or a sentence saying it raised none.
    await page.waitForSelector('[data-testid="slot-alerts"][data-state="ok"]')
    await page.screenshot({ path: `${SHOTS}/asset-battery-string.png`, fullPage: true })

    // Zoom in with the keyboard-reachable button, then back to live.
    await page.click('[data-testid="zoom-in"]')
    await page.waitForSelector('[data-testid="reset-zoom"]')
    await expect.poll(() => page.getAttribute('[data-testid="charts"]', 'data-loading'), UI_WAIT).toBe('false')
    await expect.poll(() => linePixels(page, '[data-testid="chart-voltage"]'), UI_WAIT).toBeGreaterThan(100)
    await page.click('[data-testid="reset-zoom"]')
    await page.waitForSelector('[data-testid="reset-zoom"]', { state: 'detached' })

    await page.goto(`${base}/#/assets/tf-001`)
    await page.waitForSelector('[data-testid="chart-t50"] canvas')
    await expect.poll(() => linePixels(page, '[data-testid="chart-t50"]'), UI_WAIT).toBeGreaterThan(200)
    expect(await text('[data-testid="chart-t50"]')).not.toContain('No readings')
    await page.screenshot({ path: `${SHOTS}/asset-turbofan.png`, fullPage: true })
  })

  it('says plainly that an unknown asset does not exist', async () => {
    await page.goto(`${base}/#/assets/no-such-asset`)
    await page.waitForSelector('[role="alert"]')
    expect(await text('[role="alert"]')).toMatch(/could not load asset no-such-asset/i)
  })

  it('manages users and API keys: a new key is shown once, and revoking it stops it working', async () => {
    await page.click('nav >> text=Settings')
    await page.waitForSelector('[data-testid="user-row"][data-username="admin"]')
    await page.fill('input[aria-label="New user\'s username"]', 'olga')
    await page.fill('input[aria-label="New user\'s password"]', 'olga-password-1')
    await page.selectOption('select[aria-label="New user\'s role"]', 'operator')
    await page.click('[data-testid="users"] button[type="submit"]')
    await page.waitForSelector('[data-testid="user-row"][data-username="olga"]')
    const olga = (await t.platform.stores.meta.listUsers('default')).find((u) => u.username === 'olga')
    expect(olga?.role).toBe('operator')

    await page.fill('input[aria-label="New key\'s name"]', 'gateway 7')
    await page.click('[data-testid="keys"] button[type="submit"]')
    await page.waitForSelector('[data-testid="new-key"]')
    const key = await text('[data-testid="new-key-value"]')
    expect(key).toMatch(/^prg_/)
    const ingest = (k: string) =>
      fetch(`${base}/v1/ingest`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': k }, body: JSON.stringify({ records: [{ asset: 'bs-001', ts: Date.now(), values: { probe: 1 } }] }) })
    expect((await ingest(key)).status).toBe(200)
    await page.screenshot({ path: `${SHOTS}/settings.png`, fullPage: true })
    await page.click('text=I have saved it')
    expect(await page.$('[data-testid="new-key"]')).toBeNull()
    expect(await text('[data-testid="keys"]')).not.toContain(key)

    const id = key.split('_')[1]!
    await page.click(`[data-testid="key-row"][data-key-id="${id}"] button`)
    await page.waitForSelector(`[data-testid="key-row"][data-key-id="${id}"]`, { state: 'detached' })
    await expect.poll(async () => (await ingest(key)).status, UI_WAIT).toBe(401)
    // Alerting is on: the rules panel lists the tenant's default rules (dashboard.settings.e2e.test.ts edits them).
    await page.waitForSelector('[data-testid="rules"] [data-testid="rule-row"]')
  })

  it('works from the keyboard: the skip link, the filter, then Tab to an asset and Enter to open it', async () => {
    await page.goto(`${base}/#/assets`)
    // A fresh load, so focus starts at the top of the document.
    await page.reload()
    await page.waitForSelector('[data-testid="asset-row"]')
    await page.keyboard.press('Tab')
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content')
    await page.focus('input[aria-label="Filter assets"]')
    await page.keyboard.type('bs-001-c03')
    await expect.poll(() => page.$$eval('[data-testid="asset-row"]', (rows) => rows.map((r) => r.getAttribute('data-asset-id'))), UI_WAIT).toEqual(['bs-001', 'bs-001-c03'])
    let focused = ''
    for (let i = 0; i < 20 && focused !== '#/assets/bs-001-c03'; i++) {
      await page.keyboard.press('Tab')
      focused = (await page.evaluate(`document.activeElement.getAttribute('href') ?? ''`)) as string
    }
    expect(focused).toBe('#/assets/bs-001-c03')
    await page.keyboard.press('Enter')
    await page.waitForSelector('h1:has-text("Cell 3 of BS-001")')
  })

  it('is usable at tablet width', async () => {
    await page.setViewportSize({ width: 820, height: 1180 })
    await page.goto(`${base}/#/assets`)
    await page.waitForSelector('[data-testid="asset-row"]')
    // Nothing wider than the screen: no sideways scrolling of the page.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(820)
    await page.screenshot({ path: `${SHOTS}/assets-tablet.png` })
    await page.goto(`${base}/#/`)
    await page.waitForSelector('[data-testid="site-dot"]')
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(820)
    await page.screenshot({ path: `${SHOTS}/overview-tablet.png`, fullPage: true })
    await page.setViewportSize({ width: 1366, height: 850 })
  })

  it('logs out back to the login form', async () => {
    await page.click('[data-testid="logout"]')
    await page.waitForSelector('input[name="password"]')
    await page.goto(`${base}/#/settings`)
    await page.waitForSelector('input[name="password"]')
  })
})
