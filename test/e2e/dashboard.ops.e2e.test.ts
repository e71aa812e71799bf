import { mkdirSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launch } from '../../bench/ui.browser.js'
import { UI_WAIT } from '../helpers/browser.js'
import { registerZScore } from '../helpers/models.js'
import { ADMIN_PASSWORD, seedAsset, startTestPlatform, type TestPlatform } from '../helpers/platform.js'

/**
 * The alerts and models pages in real Chromium, against a platform whose alert, model
 * versions, deployments, drift and runs were made through the API (and the run store).
 */

/** Screenshots land here (git-ignored), beside those of dashboard.e2e.test.ts. */
const SHOTS = '.test-artifacts/screenshots'
const FEATURES = ['temp.w10.mean', 'vib.w10.rms']

let t: TestPlatform
let browser: Browser
let page: Page
let base: string
/** Uncaught errors in the page: none expected on these pages. */
const pageErrors: string[] = []

async function api<T = unknown>(method: string, url: string, payload?: unknown): Promise<{ status: number; json: T }> {
  const res = await t.platform.app.inject({ method: method as 'GET', url, headers: t.admin, ...(payload !== undefined ? { payload: payload as object } : {}) })
  return { status: res.statusCode, json: (res.body === '' ? null : res.json()) as T }
}

const text = async (selector: string): Promise<string> => (await page.textContent(selector)) ?? ''

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  // A small drift window, so a few hundred scored rows give a drift report to draw.
  t = await startTestPlatform({ PROGNOS_REGISTRY_DRIFT_WINDOW: '200' })
  await seedAsset(t, t.admin, 'pump-1', ['temp', 'vib'])
  await seedAsset(t, t.admin, 'pump-2', ['temp', 'vib'])

  // The registry: a model with two versions, v1 in production; v2 promoted from the page.
  expect((await api('POST', '/v1/models', { name: 'pump-anomaly', kind: 'anomaly', description: 'z-score on pump features' })).status).toBe(201)
  expect(await registerZScore(t, t.admin, 'pump-anomaly', FEATURES, { metrics: { auc: 0.91, f1: 0.74 } })).toBe(1)
  expect(await registerZScore(t, t.admin, 'pump-anomaly', FEATURES, { metrics: { auc: 0.94, f1: 0.8 } })).toBe(2)
  expect((await api('POST', '/v1/models/pump-anomaly/promote', { version: 1, reason: 'first deployment' })).status).toBe(200)
  // Scored rows shifted away from the reference: drift to draw.
  const items = Array.from({ length: 400 }, (_, i) => ({ assetId: i % 2 === 0 ? 'pump-1' : 'pump-2', ts: Date.now() - (400 - i) * 1000, features: { 'temp.w10.mean': 0.8 + (i % 10) / 20, 'vib.w10.rms': (i % 100) / 100 } }))
  expect((await api('POST', '/v1/models/pump-anomaly/predict', { items })).status).toBe(200)
  // Two training runs, stored as the registry's own code stores them, to compare side by side.
  const now = Date.now()
  for (const [i, lr] of [0.1, 0.05].entries()) {
    await t.platform.stores.registry.saveRun('default', {
      id: `run-${i + 1}`,
      model: 'pump-anomaly',
      status: 'succeeded',
      spec: { model: 'pump-anomaly', family: 'zscore' },
      params: { threshold: 4, lr },
      metrics: { auc: 0.9 + i * 0.03 },
      artifacts: {},
      logs: '',
      version: i + 1,
      createdBy: 'user:admin',
      startedAt: now - 60_000 * (2 - i),
      finishedAt: now - 60_000 * (2 - i) + 5000,
    })
  }

  // An alert: a threshold rule on the site, and a reading over it.
  expect((await api('POST', '/v1/alert-rules', { id: 'hot', name: 'Pump too hot', kind: 'threshold', scope: { siteId: 'lyon' }, target: 'temp', warning: 50, critical: 90 })).status).toBe(201)
  expect((await api('POST', '/v1/ingest', { records: [{ asset: 'pump-1', ts: Date.now(), values: { temp: 71, vib: 3 } }] })).status).toBe(200)
  const until = Date.now() + 15_000
  while ((await api<{ items: unknown[] }>('GET', '/v1/alerts?state=open')).json.items.length !== 1) {
    if (Date.now() > until) throw new Error('the alert did not open within 15 s')
    await new Promise((r) => setTimeout(r, 100))
  }

  base = await t.platform.listen()
  browser = await launch()
  page = await browser.newPage({ viewport: { width: 1366, height: 850 } })
  page.on('pageerror', (err) => pageErrors.push(err.message))
}, 90_000)

afterAll(async () => {
  expect(pageErrors).toEqual([])
  await browser?.close()
  await t?.close()
})

describe('alerts and models pages in Chromium', () => {
  it('logs in on the alerts page', async () => {
    // Straight to the alerts page: the overview is another helper's and is tested in dashboard.e2e.test.ts.
    await page.goto(`${base}/#/alerts`)
    await page.fill('input[name="username"]', 'admin')
    await page.fill('input[name="password"]', ADMIN_PASSWORD)
    await page.click('button[type="submit"]')
    await page.waitForSelector('[data-testid="alert-row"]', { timeout: 10_000 })
    expect(await page.getAttribute('nav >> text=Alerts', 'aria-current')).toBe('page')
    expect(await page.title()).toMatch(/^Alerts/)
  })

  it('shows the alert with its evidence and a link to the chart at that time', async () => {
    const [alert] = (await api<{ items: { id: string; startedAt: number; evidence: { link: string } }[] }>('GET', '/v1/alerts?state=open')).json.items
    const row = `[data-testid="alert-row"][data-alert-id="${alert!.id}"]`
    expect(await text(row)).toContain('pump-1')
    expect(await page.getAttribute(row, 'data-state')).toBe('open')
    await page.click(`${row} >> text=Evidence`)
    await page.waitForSelector(`${row} [data-testid="evidence"]`)
    const evidence = await text(`${row} [data-testid="evidence"]`)
    expect(evidence).toContain('71')
    expect(evidence).toMatch(/warning 50/)
    expect(evidence).toMatch(/critical 90/)
    expect(evidence).toContain('temp')
    const href = await page.getAttribute(`${row} [data-testid="chart-link"]`, 'href')
    expect(href).toBe(alert!.evidence.link.slice(alert!.evidence.link.indexOf('#')))
    const from = Number(new URLSearchParams(href!.split('?')[1]).get('from'))
    expect(from).toBeLessThan(alert!.startedAt)
    await page.screenshot({ path: `${SHOTS}/alerts.png`, fullPage: true })
  })

  it('filters by severity and site, and says plainly when nothing matches', async () => {
    await page.selectOption('select[aria-label="Severity"]', 'critical')
    await page.waitForSelector('[data-testid="alerts-empty"]')
    expect(await text('[data-testid="alerts-empty"]')).toMatch(/no alerts match/i)
    await page.selectOption('select[aria-label="Severity"]', 'warning')
    await page.waitForSelector('[data-testid="alert-row"]')
    await page.selectOption('select[aria-label="Site"]', 'lyon')
    await page.waitForSelector('[data-testid="alert-row"]')
    await page.fill('input[aria-label="Asset id"]', 'pump-2')
    await page.waitForSelector('[data-testid="alerts-empty"]')
    await page.fill('input[aria-label="Asset id"]', '')
    await page.selectOption('select[aria-label="Severity"]', '')
    await page.waitForSelector('[data-testid="alert-row"]')
  })

  it('acknowledges the alert, with plain feedback, and the server agrees', async () => {
    const [alert] = (await api<{ items: { id: string }[] }>('GET', '/v1/alerts?state=open')).json.items
    const row = `[data-testid="alert-row"][data-alert-id="${alert!.id}"]`
    await page.click(`${row} [data-testid="ack"]`)
    await expect.poll(() => text('[data-testid="feedback"]'), UI_WAIT).toMatch(/acknowledged/i)
    await expect.poll(() => page.getAttribute(row, 'data-state'), UI_WAIT).toBe('acknowledged')
    const after = (await api<{ state: string; acknowledgedBy: string }>('GET', `/v1/alerts/${alert!.id}`)).json
    expect(after.state).toBe('acknowledged')
    expect(after.acknowledgedBy).toBe('admin')
    // Acknowledged alerts have no Acknowledge button any more.
    expect(await page.$(`${row} [data-testid="ack"]`)).toBeNull()
  })

  it('silences notifications of the alert for a chosen time', async () => {
    const row = '[data-testid="alert-row"]'
    await page.selectOption(`${row} select[aria-label^="Silence"]`, String(4 * 3_600_000))
    const before = Date.now()
    await page.click(`${row} [data-testid="silence"]`)
    await expect.poll(() => text('[data-testid="feedback"]'), UI_WAIT).toMatch(/silenced until/i)
    const silences = (await api<{ items: { assetId: string; ruleId: string; endsAt: number }[] }>('GET', '/v1/silences')).json.items
    expect(silences).toHaveLength(1)
    expect(silences[0]).toMatchObject({ assetId: 'pump-1', ruleId: 'hot' })
    expect(silences[0]!.endsAt).toBeGreaterThanOrEqual(before + 4 * 3_600_000 - 1000)
    expect(silences[0]!.endsAt).toBeLessThanOrEqual(Date.now() + 4 * 3_600_000 + 1000)
  })

  it('shows a new alert live, without a reload', async () => {
    await page.selectOption('select[aria-label="State"]', 'open')
    await page.waitForSelector('[data-testid="alerts-empty"]')
    await page.waitForSelector('[data-testid="live-status"].live')
    expect((await api('POST', '/v1/ingest', { records: [{ asset: 'pump-2', ts: Date.now(), values: { temp: 95, vib: 1 } }] })).status).toBe(200)
    // Sooner than the page's 30 s poll: it came through the stream.
    await page.waitForSelector('[data-testid="alert-row"][data-state="open"]', { timeout: 10_000 })
    expect(await text('[data-testid="alert-row"]')).toContain('pump-2')
    expect(await text('[data-testid="alert-row"]')).toMatch(/critical/i)
  })

  it('resolves an alert', async () => {
    await page.click('[data-testid="alert-row"] [data-testid="resolve"]')
    await expect.poll(() => text('[data-testid="feedback"]'), UI_WAIT).toMatch(/resolved/i)
    await page.waitForSelector('[data-testid="alerts-empty"]')
    expect((await api<{ items: unknown[] }>('GET', '/v1/alerts?state=resolved&assetId=pump-2')).json.items).toHaveLength(1)
  })

  it('the chart link opens the asset page on the alert time', async () => {
    await page.selectOption('select[aria-label="State"]', '')
    const row = '[data-testid="alert-row"][data-alert-id]'
    await page.waitForSelector(row)
    const link = (await api<{ items: { assetId: string; evidence: { link: string } }[] }>('GET', '/v1/alerts?assetId=pump-1')).json.items[0]!.evidence.link
    await page.goto(`${base}/${link.slice(link.indexOf('#'))}`)
    await page.waitForSelector('[data-testid="slot-alerts"][data-state="ok"]')
    expect(await text('[data-testid="slot-alerts"]')).toMatch(/warning/i)
    await page.waitForSelector('[data-testid="slot-models"][data-state="ok"]')
  })

  it('shows the model registry: versions with metrics, the deployment and its history, drift bars, runs compared', async () => {
    await page.click('nav >> text=Models')
    await page.waitForSelector('[data-testid="model-name"]')
    expect(await text('[data-testid="model-name"]')).toContain('pump-anomaly')
    expect(await text('[data-testid="version-row"][data-version="1"] [data-testid="version-roles"]')).toBe('production')
    expect(await text('[data-testid="version-row"][data-version="2"]')).toContain('0.94')
    expect(await text('[data-testid="deployment-now"]')).toBe('production v1')
    expect(await text('[data-testid="history-row"]')).toContain('first deployment')
    // Drift: a bar chart per measure, drawn on a canvas.
    await page.waitForSelector('[data-testid="drift-psi-1"] canvas')
    await page.waitForSelector('[data-testid="drift-ks-1"] canvas')
    const drift = (await api<{ versions: { version: number; report: { features: Record<string, { psi: number }> } | null }[] }>('GET', '/v1/models/pump-anomaly/drift')).json
    expect(Object.keys(drift.versions.find((v) => v.version === 1)!.report!.features).sort()).toEqual([...FEATURES].sort())
    // Runs side by side.
    await page.check('text=run-1')
    await page.check('text=run-2')
    await page.waitForSelector('[data-testid="runs-compared"]')
    const compared = await text('[data-testid="runs-compared"]')
    expect(compared).toContain('0.05')
    expect(compared).toContain('0.93')
    await page.screenshot({ path: `${SHOTS}/models.png`, fullPage: true })
  })

  it('promotes a version after confirming, Escape cancels, and rolls it back after confirming', async () => {
    // Escape closes the dialog and changes nothing.
    await page.click('[data-testid="version-row"][data-version="2"] [data-testid="promote"]')
    await page.waitForSelector('[data-testid="confirm-dialog"][open]')
    expect(await page.evaluate('document.activeElement.getAttribute("name")')).toBe('reason')
    await page.keyboard.press('Escape')
    await page.waitForSelector('[data-testid="confirm-dialog"]', { state: 'detached' })
    expect(await page.evaluate('document.activeElement.getAttribute("data-testid")')).toBe('promote')
    expect((await api<{ spec: { production: number } }>('GET', '/v1/models/pump-anomaly/deployment')).json.spec.production).toBe(1)

    // A reason is required; then the promotion goes through.
    await page.click('[data-testid="version-row"][data-version="2"] [data-testid="promote"]')
    await page.waitForSelector('[data-testid="confirm-dialog"][open]')
    await page.screenshot({ path: `${SHOTS}/models-promote-dialog.png` })
    await page.click('[data-testid="confirm"]')
    expect(await text('[data-testid="confirm-dialog"] [role="alert"]')).toMatch(/give a reason/i)
    await page.fill('[data-testid="confirm-dialog"] input[name="reason"]', 'better auc on the spring data')
    await page.click('[data-testid="confirm"]')
    await page.waitForSelector('[data-testid="confirm-dialog"]', { state: 'detached' })
    await expect.poll(() => text('[data-testid="feedback"]'), UI_WAIT).toMatch(/v2 is now in production/)
    await expect.poll(() => text('[data-testid="deployment-now"]'), UI_WAIT).toBe('production v2')
    const promoted = (await api<{ spec: { production: number }; actor: string; reason: string }>('GET', '/v1/models/pump-anomaly/deployment')).json
    expect(promoted).toMatchObject({ spec: { production: 2 }, actor: 'user:admin', reason: 'better auc on the spring data' })

    // Roll back to the deployment before.
    await page.click('[data-testid="rollback"]')
    await page.waitForSelector('[data-testid="confirm-dialog"][open]')
    expect(await text('[data-testid="confirm-dialog"]')).toMatch(/production v1/)
    await page.fill('[data-testid="confirm-dialog"] input[name="reason"]', 'false alarms on pump-2')
    await page.click('[data-testid="confirm"]')
    await page.waitForSelector('[data-testid="confirm-dialog"]', { state: 'detached' })
    await expect.poll(() => text('[data-testid="deployment-now"]'), UI_WAIT).toBe('production v1')
    const rolled = (await api<{ spec: { production: number }; action: string; reason: string; restoredFrom: number }>('GET', '/v1/models/pump-anomaly/deployment')).json
    expect(rolled).toMatchObject({ spec: { production: 1 }, action: 'rollback', reason: 'false alarms on pump-2' })
    await expect.poll(async () => (await page.$$('[data-testid="history-row"]')).length, UI_WAIT).toBe(3)
    expect(await page.getAttribute('[data-testid="history-row"]', 'data-action')).toBe('rollback')
  })

  it('starts and ends a canary through the dialog', async () => {
    await page.selectOption('select[aria-label="Canary version"]', '2')
    await page.fill('input[aria-label="Canary share of assets in percent"]', '25')
    await page.click('text=Start canary')
    await page.fill('[data-testid="confirm-dialog"] input[name="reason"]', 'try v2 on a quarter')
    await page.click('[data-testid="confirm"]')
    await expect.poll(() => text('[data-testid="deployment-now"]'), UI_WAIT).toBe('production v1 · canary v2 at 25 %')
    await page.click('text=End canary')
    await page.fill('[data-testid="confirm-dialog"] input[name="reason"]', 'enough')
    await page.click('[data-testid="confirm"]')
    await expect.poll(() => text('[data-testid="deployment-now"]'), UI_WAIT).toBe('production v1')
  })

  it('is usable at tablet width', async () => {
    await page.setViewportSize({ width: 820, height: 1180 })
    await page.waitForSelector('[data-testid="drift-psi-1"] canvas')
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(820)
    await page.screenshot({ path: `${SHOTS}/models-tablet.png`, fullPage: true })
    await page.click('nav >> text=Alerts')
    await page.waitForSelector('[data-testid="alert-count"]')
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(820)
    await page.screenshot({ path: `${SHOTS}/alerts-tablet.png`, fullPage: true })
    await page.setViewportSize({ width: 1366, height: 850 })
  })

  it('no page scrolls sideways on a phone (390 px)', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    // Each page with what it draws once loaded: the widest content is there by then.
    const pages = [
      ['overview', '#/', '[data-testid="kpi-assets"]'],
      ['assets', '#/assets', '[data-testid="asset-row"]'],
      ['asset', '#/assets/pump-1', '[data-testid="slot-models"][data-state="ok"]'],
      ['alerts', '#/alerts', '[data-testid="alert-count"]'],
      ['models', '#/models', '[data-testid="drift-psi-1"] canvas'],
      ['settings', '#/settings', '[data-testid="rule-row"]'],
    ] as const
    const wide: string[] = []
    for (const [name, hash, ready] of pages) {
      await page.goto(`${base}/${hash}`)
      await page.waitForSelector(ready, { timeout: 15_000 })
      const { scrollWidth, innerWidth } = (await page.evaluate('({ scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth })')) as { scrollWidth: number; innerWidth: number }
      expect(innerWidth).toBe(390)
      if (scrollWidth > innerWidth) wide.push(`${name}: ${scrollWidth} px`)
      await page.screenshot({ path: `${SHOTS}/${name}-phone.png`, fullPage: true })
    }
    expect(wide).toEqual([])
    await page.setViewportSize({ width: 1366, height: 850 })
  })
})
