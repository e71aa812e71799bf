/**
 * The asset page draws what the prognostic models serve, in Chromium: the remaining-life panel of a
 * turbofan, the state-of-health panel of a li-ion pack and the day-ahead load forecast of a meter,
 * each with its data points, and only where the asset has such predictions. The predictions are
 * real: small versions trained on the shared data sets serve a simulated fleet through the pipeline
 * (test/helpers/prognostics.fleet.ts).
 */
import { mkdirSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launch, signedInContext } from '../../bench/ui.browser.js'
import { linePixels } from '../helpers/browser.js'
import { ADMIN_PASSWORD, startTestPlatform, type TestPlatform } from '../helpers/platform.js'
import { FLEET_TICKS, prognosticFleet, streamFleet, trainSmallPrognosticModels } from '../helpers/prognostics.fleet.js'

/** Screenshots land here (git-ignored) for a person to look at. */
const SHOTS = '.test-artifacts/screenshots'

let t: TestPlatform
let browser: Browser
let page: Page
let base: string

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  t = await startTestPlatform({ PROGNOS_FEATURES: 'false' })
  await trainSmallPrognosticModels(t.platform)
  const fleet = await prognosticFleet(t.platform)
  await streamFleet(t.platform, fleet, 0, FLEET_TICKS)
  base = await t.platform.listen()
  browser = await launch()
  page = await (await signedInContext(browser, base, 'admin', ADMIN_PASSWORD)).newPage()
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await t?.close()
})


/** Opens an asset page and waits for a panel to be drawn with data; returns its number of points. */
async function drawn(assetId: string, slot: string): Promise<number> {
  await page.goto(`${base}/#/assets/${assetId}`)
  const frame = `[data-testid="slot-${slot}"][data-state="ok"] .chart-frame`
  await page.waitForSelector(`${frame} canvas`, { timeout: 15_000 })
  await expect.poll(() => linePixels(page, `[data-testid="slot-${slot}"]`), { timeout: 10_000 }).toBeGreaterThan(50)
  return Number(await page.getAttribute(frame, 'data-points'))
}

const text = async (selector: string): Promise<string> => (await page.textContent(selector)) ?? ''
/** The kinds of prediction the page found for the asset, once it has looked. */
const kinds = async (): Promise<string[]> => {
  await page.waitForSelector('[data-testid="prediction-slots"][data-kinds]')
  return ((await page.getAttribute('[data-testid="prediction-slots"]', 'data-kinds')) ?? '').split(' ')
}
const present = async (slot: string): Promise<boolean> => (await page.$(`[data-testid="slot-${slot}"]`)) !== null

describe('prognostic panels of the asset page in Chromium', () => {
  it('draws a turbofan\'s remaining life in hours, with no battery or forecast panel', async () => {
    const stored = await t.platform.stores.predictions.range('default', { assetId: 'tf-1', kind: 'rul_hours', from: 0, to: Date.now() + 1, limit: 10_000 })
    const points = await drawn('tf-1', 'rul')
    // One point per cycle the engine flew in the page's hour.
    expect(points).toBe(stored.length)
    expect(points).toBeGreaterThan(100)
    // The page looked up the asset's kinds: a turbofan has neither state of health nor forecasts.
    expect(await kinds()).toEqual(expect.arrayContaining(['rul_cycles', 'rul_hours']))
    expect(await kinds()).not.toContain('soh')
    expect(await present('soh')).toBe(false)
    expect(await present('forecast')).toBe(false)
    await page.screenshot({ path: `${SHOTS}/asset-turbofan-rul.png`, fullPage: true })
  })

  it('draws a li-ion pack\'s state of health', async () => {
    const stored = await t.platform.stores.predictions.range('default', { assetId: 'pack-1', kind: 'soh', from: 0, to: Date.now() + 1, limit: 10_000 })
    expect(stored.length).toBeGreaterThan(20)
    const points = await drawn('pack-1', 'soh')
    expect(points).toBe(stored.length)
    expect(await kinds()).toContain('soh')
    expect(await present('forecast')).toBe(false)
    await page.screenshot({ path: `${SHOTS}/asset-pack-soh.png`, fullPage: true })
  })

  it('draws a meter\'s newest day-ahead forecast, hour by hour, naming its model and version', async () => {
    const [newest] = (await t.platform.stores.predictions.latest('default', 'meter-1')).filter((p) => p.kind === 'forecast')
    expect(newest).toBeDefined()
    const hours = (newest!.details as { mean: number[] }).mean.length
    expect(hours).toBe(24)
    expect(await drawn('meter-1', 'forecast')).toBe(hours)
    expect(await text('[data-testid="slot-forecast"]')).toContain(`meter-load-forecast version ${newest!.version}`)
    expect(await kinds()).toEqual(['forecast'])
    expect(await present('soh')).toBe(false)
    await page.screenshot({ path: `${SHOTS}/asset-meter-forecast.png`, fullPage: true })
  })
})
