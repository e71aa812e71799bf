/**
 * The process is killed (SIGKILL) in the middle of delivering notifications and started
 * again on the same data: every notification reaches the webhook, and a receiver that
 * honours the idempotency key applies each exactly once. The receiver applies a request
 * as it arrives and answers only after a delay, so the kill lands between "applied" and
 * "marked delivered": the restarted process must send those again (same key).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { client, freePort, startPlatformProcess, type Child } from '../helpers/process.js'
import { startReceiver, waitFor, type Receiver } from '../helpers/receiver.js'

const PASSWORD = 'restart-test-password'
const ASSETS = 24

describe('alert delivery across a kill -9', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prognos-alerts-restart-'))
  let hook: Receiver | undefined
  const children: Child[] = []
  afterAll(async () => {
    for (const c of children) c.child.kill('SIGKILL')
    await hook?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('delivers every notification exactly once to an idempotent webhook', async () => {
    hook = await startReceiver({ secret: 'restart-signing-secret' })
    hook.delayMs = 1500
    const port = await freePort()
    const env = {
      PROGNOS_DATA_DIR: dir,
      PROGNOS_PORT: String(port),
      PROGNOS_ADMIN_PASSWORD: PASSWORD,
      PROGNOS_DEMO: 'off',
      PROGNOS_MQTT: 'off',
      PROGNOS_ALERTS_DEFAULT_RULES: 'false',
      PROGNOS_ALERTS_LEASE_SEC: '3',
      PROGNOS_ALERTS_POLL_MS: '100',
      PROGNOS_ALERTS_SEND_TIMEOUT_MS: '5000',
    }
    const first = await startPlatformProcess(env)
    children.push(first)
    const base = `http://127.0.0.1:${port}`
    const login = await client(base)<{ accessToken: string }>('POST', '/v1/auth/login', { username: 'admin', password: PASSWORD })
    let api = client(base, { authorization: `Bearer ${login.json.accessToken}` })
    await api('POST', '/v1/sites', { id: 'plant', name: 'Plant', latitude: 1, longitude: 2, timezone: 'UTC' })
    for (let i = 0; i < ASSETS; i++) expect((await api('POST', '/v1/assets', { id: `m-${i}`, siteId: 'plant', type: 'rotating_machine', channels: [{ name: 'temp' }] })).status).toBe(201)
    expect((await api('POST', '/v1/notification-channels', { name: 'hook', type: 'webhook', config: { url: `${hook.url}/hook`, secret: 'restart-signing-secret' }, rateLimitPerMin: 0 })).status).toBe(201)
    expect((await api('POST', '/v1/alert-rules', { id: 'hot', kind: 'threshold', scope: { siteId: 'plant' }, target: 'temp', warning: 50 })).status).toBe(201)

    // One request per asset: each alert's transition is its own notification.
    const ts = Date.now()
    for (let i = 0; i < ASSETS; i++) expect((await api('POST', '/v1/ingest', { records: [{ asset: `m-${i}`, ts, values: { temp: 60 + i } }] })).status).toBe(200)
    const opened = async (): Promise<string[]> => (await api<{ items: { id: string }[] }>('GET', '/v1/alerts?state=open&limit=1000')).json.items.map((a) => a.id)
    expect(await waitFor(async () => (await opened()).length === ASSETS, 20_000, 100)).toBe(true)
    const alertIds = new Set(await opened())
    // Mid-delivery: some applied, none answered yet.
    expect(await waitFor(() => hook!.applied.size >= 3, 20_000)).toBe(true)
    first.child.kill('SIGKILL')
    await first.exited
    const answeredAtKill = hook.requests.length
    expect(answeredAtKill).toBeGreaterThanOrEqual(3)

    hook.delayMs = 0
    const second = await startPlatformProcess(env)
    children.push(second)
    const login2 = await client(base)<{ accessToken: string }>('POST', '/v1/auth/login', { username: 'admin', password: PASSWORD })
    api = client(base, { authorization: `Bearer ${login2.json.accessToken}` })
    expect(await waitFor(() => hook!.applied.size >= ASSETS, 30_000, 100)).toBe(true)
    // Give leases and polls time to send anything twice if they would.
    await new Promise((r) => setTimeout(r, 4000))

    const delivered = [...hook.applied.values()].map((r) => (r.body.transitions as { kind: string; alert: { id: string } }[]).map((t) => `${t.kind}:${t.alert.id}`)).flat()
    expect(delivered.sort()).toEqual([...alertIds].map((id) => `opened:${id}`).sort())
    expect(hook.applied.size).toBe(ASSETS)
    expect([...hook.applied.values()].every((r) => r.signatureOk === true)).toBe(true)
    // The restart did resend what the killed process never saw answered, and the key made it harmless.
    expect(hook.duplicates).toBeGreaterThan(0)
    expect((await api<{ items: unknown[] }>('GET', '/v1/dead-letters')).json.items).toEqual([])
    second.child.kill('SIGTERM')
    expect(await second.exited).toBe(0)
  }, 150_000)
})
