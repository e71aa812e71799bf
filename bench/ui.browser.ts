/**
 * Chromium for the dashboard benchmark and screenshots: Debian's /usr/bin/chromium driven by
 * playwright-core (no browser download), signed in by putting a session where the dashboard
 * keeps it (sessionStorage `prognos.session`, see web/src/api.ts).
 */
import { chromium, type Browser, type BrowserContext } from 'playwright-core'

export const CHROMIUM = process.env.PROGNOS_CHROMIUM ?? '/usr/bin/chromium'
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

export const launch = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })

interface TokenResponse {
  accessToken: string
  refreshToken: string
  expiresInSec: number
  user: unknown
}

/** Logs in over HTTP and returns a browser context whose pages start signed in. */
export async function signedInContext(browser: Browser, base: string, username: string, password: string, viewport = { width: 1366, height: 850 }): Promise<BrowserContext> {
  const res = await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`)
  const t = (await res.json()) as TokenResponse
  const session = { accessToken: t.accessToken, refreshToken: t.refreshToken, refreshAt: Date.now() + t.expiresInSec * 1000 - 30_000, user: t.user }
  // The benchmark reads the page with string expressions, which the dashboard's CSP (no eval) would refuse.
  const context = await browser.newContext({ viewport, bypassCSP: true })
  // A string, not a function: this file is compiled without the DOM's types.
  await context.addInitScript(`if (sessionStorage.getItem('prognos.session') === null) sessionStorage.setItem('prognos.session', ${JSON.stringify(JSON.stringify(session))})`)
  return context
}
