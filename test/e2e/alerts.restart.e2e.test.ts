/**
 * The process is killed (SIGKILL) in the middle of delivering notifications and started
 * again on the same data: every notification reaches the webhook, and a receiver that
 * honours the idempotency key applies each exactly once. The receiver applies a request
 * as it arrives and answers only after a delay, so the kill lands between "applied" and
 * "marked delivered": the restarted process must send those again (same key).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
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
  let running: { base: string; api: ReturnType<typeof client>; child: Child } | null = null
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
    running = { base, api, child: second }
  }, 150_000)

  it('is managed from the CLI: rules apply FILE.yaml, rules list, alerts list, ack, silence, rules delete', async () => {
    if (!running) throw new Error('the platform of the previous test is not running')
    const { api, base, child } = running
    const key = (await api<{ key: string }>('POST', '/v1/keys', { name: 'cli', role: 'operator' })).json.key
    const env = { ...process.env, PROGNOS_URL: base, PROGNOS_API_KEY: key }
    const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env, encoding: 'utf8', timeout: 60_000 })
    const file = join(dir, 'rules.yaml')
    writeFileSync(file, 'rules:\n  - id: very-hot\n    name: Very hot\n    kind: threshold\n    scope: {siteId: plant}\n    target: temp\n    warning: 70\n    critical: 80\n    for: 10s\n')
    const applied = cli('rules', 'apply', file, '--json')
    expect(applied.stderr).toBe('')
    expect(JSON.parse(applied.stdout)).toEqual({ applied: ['very-hot'] })
    const listed = JSON.parse(cli('rules', 'list', '--json').stdout) as { id: string; forSec: number }[]
    expect(listed.map((r) => r.id).sort()).toEqual(['hot', 'very-hot'])
    expect(listed.find((r) => r.id === 'very-hot')!.forSec).toBe(10)
    writeFileSync(file, 'rules:\n  - {id: broken, kind: threshold, scope: {siteId: plant}, target: pressure, warning: 1}\n')
    const refused = cli('rules', 'apply', file)
    expect(refused.status).toBe(1)
    expect(refused.stderr).toMatch(/VALIDATION_FAILED[\s\S]*target: unknown channel 'pressure'/)
    const alerts = JSON.parse(cli('alerts', 'list', '--json').stdout) as { id: string; state: string }[]
    expect(alerts).toHaveLength(ASSETS)
    const acked = cli('alerts', 'ack', alerts[0]!.id)
    expect(acked.stdout.trim()).toBe(`${alerts[0]!.id} is acknowledged`)
    expect((await api<{ state: string }>('GET', `/v1/alerts/${alerts[0]!.id}`)).json.state).toBe('acknowledged')
    const silenced = cli('alerts', 'silence', '--site', 'plant', '--for', '2h', '--reason', 'overhaul', '--json')
    expect(JSON.parse(silenced.stdout)).toMatchObject({ siteId: 'plant', reason: 'overhaul', kind: 'silence' })
    const one = cli('alerts', 'silence', '--alert', alerts[1]!.id, '--for', '3h', '--json')
    expect(one.stderr).toBe('')
    const oneSilence = JSON.parse(one.stdout) as { assetId: string; ruleId: string; siteId: string | null; startsAt: number; endsAt: number }
    expect(oneSilence).toMatchObject({ ruleId: 'hot', siteId: null, kind: 'silence' })
    expect(oneSilence.assetId).toMatch(/^m-\d+$/)
    expect(oneSilence.endsAt - oneSilence.startsAt).toBe(3 * 3_600_000)
    expect(cli('rules', 'delete', 'very-hot').stdout.trim()).toBe('deleted very-hot')
    expect((await api('GET', '/v1/alert-rules/very-hot')).status).toBe(404)
    child.child.kill('SIGTERM')
    expect(await child.exited).toBe(0)
  }, 120_000)
})
