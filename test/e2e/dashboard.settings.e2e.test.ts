import { mkdirSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launch } from '../../bench/ui.browser.js'
import { UI_WAIT } from '../helpers/browser.js'
import { ADMIN_PASSWORD, seedAsset, startTestPlatform, type TestPlatform } from '../helpers/platform.js'
import { startReceiver, type Receiver } from '../helpers/receiver.js'

/**
 * The Settings page's alerting parts in real Chromium: a webhook channel and a threshold rule
 * made from the page, each refused once with the API's reason shown beside the field.
 */

const SHOTS = '.test-artifacts/screenshots'
const HOOK_URL = 'https://hooks.example.test/prognos/abc123'
const HOOK_SECRET = 'a-signing-secret-of-32-characters'

let t: TestPlatform
let browser: Browser
let page: Page
let base: string
/** A real local webhook endpoint for the "Send test" button. */
let hook: Receiver
const pageErrors: string[] = []

async function api<T = unknown>(method: string, url: string): Promise<{ status: number; json: T }> {
  const res = await t.platform.app.inject({ method: method as 'GET', url, headers: t.admin })
  return { status: res.statusCode, json: (res.body === '' ? null : res.json()) as T }
}

const text = async (selector: string): Promise<string> => (await page.textContent(selector)) ?? ''

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  hook = await startReceiver({ secret: HOOK_SECRET })
  t = await startTestPlatform()
  await seedAsset(t, t.admin, 'pump-1', ['temp', 'vib'])
  base = await t.platform.listen()
  browser = await launch()
  page = await browser.newPage({ viewport: { width: 1366, height: 850 } })
  page.on('pageerror', (err) => pageErrors.push(err.message))
}, 60_000)

afterAll(async () => {
  expect(pageErrors).toEqual([])
  await browser?.close()
  await t?.close()
  await hook?.close()
})

describe('settings: notification channels and alert rules in Chromium', () => {
  it('logs in on the settings page and lists the default rules', async () => {
    await page.goto(`${base}/#/settings`)
    await page.fill('input[name="username"]', 'admin')
    await page.fill('input[name="password"]', ADMIN_PASSWORD)
    await page.click('button[type="submit"]')
    await page.waitForSelector('[data-testid="channels-empty"]', { timeout: 10_000 })
    const defaults = (await api<{ items: { id: string }[] }>('GET', '/v1/alert-rules')).json.items
    expect(defaults.length).toBeGreaterThan(0)
    expect(await page.$$eval('[data-testid="rule-row"]', (rows) => rows.length)).toBe(defaults.length)
  })

  it('creates a webhook channel (a bad URL refused beside its field, secrets kept masked) and a preference on it', async () => {
    await page.click('[data-testid="channels"] >> text=New channel')
    await page.fill('#ch-name', 'ops hook')
    await page.fill('#ch-url', 'ftp://nowhere')
    await page.click('[data-testid="channel-form"] button[type="submit"]')
    await page.waitForSelector('[data-field="ch-url"] [data-testid="field-error"]')
    expect(await text('[data-field="ch-url"] [data-testid="field-error"]')).toMatch(/http\(s\) URL/)
    expect(await page.getAttribute('#ch-url', 'aria-invalid')).toBe('true')

    await page.fill('#ch-url', HOOK_URL)
    await page.fill('#ch-secret', HOOK_SECRET)
    await page.fill('#ch-rate', '12')
    await page.click('[data-testid="channel-form"] button[type="submit"]')
    const row = '[data-testid="channel-row"][data-channel-name="ops hook"]'
    await page.waitForSelector(row)
    expect(await text(row)).toMatch(/Webhook.*12\/min/)
    expect(await text('[data-testid="channels"]')).not.toContain(HOOK_URL)

    // Edit the rate limit only: the stored URL and secret are kept.
    await page.click(`${row} >> text=Edit`)
    expect(await page.inputValue('#ch-url')).toBe('')
    await page.fill('#ch-rate', '30')
    await page.click('[data-testid="channel-form"] button[type="submit"]')
    await expect.poll(() => text(row), UI_WAIT).toMatch(/30\/min/)
    const [listed] = (await api<{ items: { id: string; config: Record<string, unknown> }[] }>('GET', '/v1/notification-channels')).json.items
    expect(listed!.config).toEqual({ url: '***', secret: '***' })
    const stored = await t.platform.stores.alerts.getChannel('default', listed!.id)
    expect(stored?.config).toEqual({ url: HOOK_URL, secret: HOOK_SECRET })
    expect(stored?.rateLimitPerMin).toBe(30)

    // A preference routes critical alerts to operators on the new channel (offered by name).
    await page.click('[data-testid="preference-form"] label:has-text("ops hook")')
    await page.click('[data-testid="preference-form"] label:has-text("warning") input')
    await page.click('[data-testid="preference-form"] button[type="submit"]')
    await page.waitForSelector('[data-testid="preference-row"]')
    expect(await text('[data-testid="preference-row"]')).toMatch(/role operator\s*critical\s*ops hook/)
    const [pref] = (await api<{ items: { role: string; severities: string[]; channelIds: string[] }[] }>('GET', '/v1/notification-preferences')).json.items
    expect(pref).toMatchObject({ role: 'operator', severities: ['critical'], channelIds: [listed!.id] })
  })

  it('sends a test notification through a channel and shows how it went, delivered or refused', async () => {
    await page.click('[data-testid="channels"] >> text=New channel')
    await page.fill('#ch-name', 'local hook')
    await page.fill('#ch-url', `${hook.url}/hook`)
    await page.fill('#ch-secret', HOOK_SECRET)
    await page.click('[data-testid="channel-form"] button[type="submit"]')
    const row = '[data-testid="channel-row"][data-channel-name="local hook"]'
    await page.waitForSelector(row)

    await page.click(`${row} [data-testid="channel-test"]`)
    await page.waitForSelector('[data-testid="channels-feedback"]:has-text("Test delivered")', { timeout: 15_000 })
    expect(await text('[data-testid="channels-feedback"]')).toMatch(/^Test delivered to “local hook” in \d+ ms\.$/)
    expect(await page.getAttribute('[data-testid="channels-feedback"]', 'class')).not.toContain('error')
    expect(hook.requests).toHaveLength(1)
    expect(hook.requests[0]!.signatureOk).toBe(true)
    expect(hook.requests[0]!.body).toMatchObject({ test: true })

    hook.failNext.push(500)
    await page.click(`${row} [data-testid="channel-test"]`)
    await page.waitForSelector('[data-testid="channels-feedback"]:has-text("failed")', { timeout: 15_000 })
    expect(await text('[data-testid="channels-feedback"]')).toBe('Test to “local hook” failed: HTTP 500: nope (NOTIFY_DELIVERY_FAILED).')
    expect(await page.getAttribute('[data-testid="channels-feedback"]', 'class')).toContain('error')
    expect(hook.requests).toHaveLength(2)
  })

  it('creates a threshold rule, refused first for levels in the wrong order, then deletes it after confirming', async () => {
    await page.click('[data-testid="rules"] >> text=New rule')
    await page.fill('#rule-name', 'Pump too hot')
    await page.selectOption('#rule-scope', 'siteId')
    await page.fill('input[aria-label="Scope: a site"]', 'lyon')
    await page.fill('#rule-target', 'temp')
    await page.fill('#rule-warning', '80')
    await page.fill('#rule-critical', '60')
    await page.click('[data-testid="rule-form"] button[type="submit"]')
    await page.waitForSelector('[data-field="rule-critical"] [data-testid="field-error"]')
    expect(await text('[data-field="rule-critical"] [data-testid="field-error"]')).toMatch(/at or above the warning level/)

    await page.fill('#rule-critical', '95')
    await page.fill('#rule-for', '30s')
    await page.click('[data-testid="rule-form"] button[type="submit"]')
    const row = '[data-testid="rule-row"][data-rule-name="Pump too hot"]'
    await page.waitForSelector(row)
    const rowText = await text(row)
    expect(rowText).toContain('temp')
    expect(rowText).toContain('site lyon')
    expect(rowText).toMatch(/warning ≥ 80 · critical ≥ 95/)
    const id = await page.getAttribute(row, 'data-rule-id')
    const rule = (await api<{ scope: unknown; warning: number; critical: number; forSec: number; enabled: boolean }>('GET', `/v1/alert-rules/${id}`)).json
    expect(rule).toMatchObject({ scope: { kind: 'site', siteId: 'lyon' }, warning: 80, critical: 95, forSec: 30, enabled: true })
    await page.screenshot({ path: `${SHOTS}/settings-alerting.png`, fullPage: true })

    await page.click(`${row} [data-testid="rule-delete"]`)
    await page.waitForSelector('[data-testid="confirm-dialog"]')
    expect(await text('[data-testid="confirm-dialog"]')).toContain('Pump too hot')
    await page.click('[data-testid="confirm-dialog"] [data-testid="confirm"]')
    await page.waitForSelector(row, { state: 'detached' })
    expect(await text('[data-testid="rules-feedback"]')).toMatch(/deleted/i)
    expect((await api('GET', `/v1/alert-rules/${id}`)).status).toBe(404)
  })
})
