import { mkdirSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, startTestPlatform, type TestPlatform } from '../helpers/platform.js'

/** Screenshots land here (git-ignored) for a person to look at. */
const SHOTS = '.test-artifacts/screenshots'
const CHROMIUM = process.env.PROGNOS_CHROMIUM ?? '/usr/bin/chromium'

let t: TestPlatform
let browser: Browser
let page: Page
let base: string

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  t = await startTestPlatform({ PROGNOS_DEMO: 'on', PROGNOS_DEMO_INTERVAL_MS: '500' })
  expect(await t.platform.startDemo()).toBe(true)
  base = await t.platform.listen()
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
  page = await browser.newPage({ viewport: { width: 1366, height: 850 } })
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await t?.close()
})

/** The series line colour of the dashboard's charts (web/src/components/TimeChart.tsx). */
const LINE_RGB = [0x57, 0x94, 0xf2]

/**
 * Counts canvas pixels close to the series line colour: only a drawn data line makes
 * them (axes, grid and the expected-range lines have other colours).
 */
async function linePixels(page: Page, selector: string): Promise<number> {
  return page.$eval(
    selector,
    (root, rgb) => {
      const canvas = root.querySelector('canvas')
      const ctx = canvas?.getContext('2d')
      if (!canvas || !ctx) return 0
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height)
      let n = 0
      for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i]! - rgb[0]!) < 40 && Math.abs(data[i + 1]! - rgb[1]!) < 40 && Math.abs(data[i + 2]! - rgb[2]!) < 40) n++
      return n
    },
    LINE_RGB,
  )
}

describe('dashboard in Chromium', () => {
  it('refuses a wrong password, then logs in', async () => {
    await page.goto(`${base}/`)
    await page.fill('input[name="username"]', 'admin')
    await page.fill('input[name="password"]', 'wrong-password')
    await page.click('button[type="submit"]')
    await expect.poll(async () => (await page.textContent('body')) ?? '').toMatch(/wrong username or password|invalid username or password/i)
    await page.screenshot({ path: `${SHOTS}/login.png` })
    await page.fill('input[name="password"]', ADMIN_PASSWORD)
    await page.click('button[type="submit"]')
    await page.waitForSelector('[data-testid="fleet-table"]')
  })

  it('shows the fleet with live values that update', async () => {
    await page.waitForSelector('[data-testid="asset-row"]')
    const rows = await page.$$('[data-testid="asset-row"]')
    expect(rows.length).toBe(t.platform.demo ? (await t.platform.stores.meta.tenant('default').listAssets()).length : -1)
    const before = await page.textContent('[data-testid="fleet-table"]')
    await expect.poll(async () => page.textContent('[data-testid="fleet-table"]'), { timeout: 10_000 }).not.toBe(before)
    await page.screenshot({ path: `${SHOTS}/fleet.png`, fullPage: true })
  })

  it('opens an asset and draws its channels with data', async () => {
    await page.click('[data-testid="asset-row"][data-asset-id="bs-001"]')
    await page.waitForSelector('[data-testid="chart-voltage"] canvas')
    await expect.poll(() => linePixels(page, '[data-testid="chart-voltage"]'), { timeout: 10_000 }).toBeGreaterThan(200)
    expect(await page.textContent('[data-testid="chart-voltage"]')).not.toContain('No readings')
    const charts = await page.$$('[data-testid^="chart-"]')
    expect(charts.length).toBeGreaterThanOrEqual(4)
    await page.screenshot({ path: `${SHOTS}/asset-battery-string.png`, fullPage: true })
    await page.goto(`${base}/#/assets/tf-001`)
    await page.waitForSelector('[data-testid="chart-t50"] canvas')
    await expect.poll(() => linePixels(page, '[data-testid="chart-t50"]'), { timeout: 10_000 }).toBeGreaterThan(200)
    expect(await page.textContent('[data-testid="chart-t50"]')).not.toContain('No readings')
    await page.screenshot({ path: `${SHOTS}/asset-turbofan.png`, fullPage: true })
  })

  it('logs out back to the login form', async () => {
    await page.click('[data-testid="logout"]')
    await page.waitForSelector('input[name="password"]')
  })
})
