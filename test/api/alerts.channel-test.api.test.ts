/**
 * "Send test" on a notification channel, through the API on a real platform: the test goes out
 * through the channel's real sender to real local endpoints (an HTTP webhook receiver and an
 * SMTP server), and a failed delivery answers 200 with its code and reason, never a 500 and
 * never a secret.
 */
import type { AddressInfo } from 'node:net'
import { createServer } from 'node:net'
import type { InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiKey, startTestPlatform, type TestPlatform } from '../helpers/platform.js'
import { startReceiver, type Receiver } from '../helpers/receiver.js'
import { startMailbox, type Mailbox, type ReceivedMail } from '../helpers/smtp.js'

const SECRET = 'a-webhook-signing-secret'
const SMTP_PASSWORD = 'smtp-pass-of-the-channel'

type Outcome = { ok: true; latencyMs: number } | { ok: false; code: string; reason: string; permanent: boolean; latencyMs: number }

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const port = (s.address() as AddressInfo).port
  await new Promise<void>((r) => s.close(() => r()))
  return port
}

describe('sending a test notification on a channel', () => {
  let t: TestPlatform
  let hook: Receiver
  let mailbox: Mailbox | undefined
  let smtpPort = 0
  let mails: ReceivedMail[] = []
  const inject = (o: InjectOptions) => t.platform.app.inject(o)

  const channel = async (payload: Record<string, unknown>): Promise<string> => {
    const res = await inject({ method: 'POST', url: '/v1/notification-channels', headers: t.admin, payload })
    expect(res.statusCode, res.body).toBe(201)
    return (res.json() as { id: string }).id
  }
  const test = async (id: string, headers = t.admin) => {
    const res = await inject({ method: 'POST', url: `/v1/notification-channels/${id}/test`, headers })
    return { status: res.statusCode, body: res.body, outcome: res.json() as Outcome }
  }

  beforeAll(async () => {
    hook = await startReceiver({ secret: SECRET })
    mailbox = await startMailbox({ user: 'alerts', password: SMTP_PASSWORD })
    smtpPort = mailbox.port
    mails = mailbox.mails
    t = await startTestPlatform({ PROGNOS_ALERTS_DEFAULT_RULES: 'false', PROGNOS_ALERTS_SEND_TIMEOUT_MS: '3000' })
  })
  afterAll(async () => {
    await t?.close()
    await hook?.close()
    await mailbox?.close()
  })

  it('delivers a signed test to a webhook, marked as a test, and stores nothing', async () => {
    const id = await channel({ name: 'ops hook', type: 'webhook', config: { url: `${hook.url}/hook`, secret: SECRET }, enabled: false })
    const before = hook.requests.length
    const { status, outcome } = await test(id)
    expect(status).toBe(200)
    expect(outcome.ok).toBe(true)
    expect(hook.requests.length).toBe(before + 1)
    const got = hook.requests.at(-1)!
    expect(got.signatureOk).toBe(true)
    expect(got.body).toMatchObject({ test: true, transitions: [] })
    expect(String(got.body.subject)).toContain("'ops hook'")
    expect(String(got.body.text)).toMatch(/^admin sent this test/)
    // Outside the outbox: nothing pending, nothing dead-lettered.
    expect((await inject({ method: 'GET', url: '/v1/dead-letters', headers: t.admin })).json()).toEqual({ items: [] })
  })

  it('answers a refused delivery with its code and reason, as a 200', async () => {
    const id = await channel({ name: 'flaky hook', type: 'webhook', config: { url: `${hook.url}/hook` } })
    hook.failNext.push(503)
    const refused = await test(id)
    expect(refused.status).toBe(200)
    expect(refused.outcome).toMatchObject({ ok: false, code: 'NOTIFY_DELIVERY_FAILED', reason: 'HTTP 503: nope', permanent: false })
    hook.failNext.push(404)
    expect((await test(id)).outcome).toMatchObject({ ok: false, reason: 'HTTP 404: nope', permanent: true })
    // The next one goes through: nothing was left queued by the failures.
    const before = hook.requests.length
    expect((await test(id)).outcome.ok).toBe(true)
    expect(hook.requests.length).toBe(before + 1)
  })

  it('names an unreachable endpoint without quoting its URL or the credentials in it', async () => {
    const port = await closedPort()
    const closed = await channel({ name: 'gone', type: 'slack', config: { url: `http://127.0.0.1:${port}/slack/T000/B000/abcdef` } })
    const gone = await test(closed)
    expect(gone.status).toBe(200)
    expect(gone.outcome).toMatchObject({ ok: false, code: 'NOTIFY_DELIVERY_FAILED', reason: 'POST failed: ECONNREFUSED' })
  })

  it('refuses a channel URL with credentials in it, which fetch would never send, without quoting them', async () => {
    const res = await inject({ method: 'POST', url: '/v1/notification-channels', headers: t.admin, payload: { name: 'creds', type: 'teams', config: { url: 'http://teams-user:hunter2-in-the-url@127.0.0.1:9/teams' } } })
    expect(res.statusCode).toBe(400)
    expect((res.json() as { details: { field: string; reason: string }[] }).details[0]).toMatchObject({ field: 'config.url', reason: expect.stringContaining('user name or password') })
    expect(res.body).not.toContain('hunter2-in-the-url')
  })

  it('e-mails the test to the channel and preference recipients over SMTP, and reports a refused login', async () => {
    const config = { host: '127.0.0.1', port: smtpPort, user: 'alerts', password: SMTP_PASSWORD, from: 'prognos@example.test', to: ['oncall@example.test'], ignoreTls: true }
    const id = await channel({ name: 'mail', type: 'email', config })
    expect((await inject({ method: 'POST', url: '/v1/notification-preferences', headers: t.admin, payload: { role: 'operator', channelIds: [id], emails: ['olga@example.test'] } })).statusCode).toBe(201)
    expect((await test(id)).outcome.ok).toBe(true)
    expect(mails).toHaveLength(1)
    expect(mails[0]!.to.sort()).toEqual(['olga@example.test', 'oncall@example.test'])
    expect(mails[0]!.raw).toContain("Test notification on channel 'mail'")

    const wrong = await channel({ name: 'mail, wrong password', type: 'email', config: { ...config, password: 'not-the-password' } })
    const refused = await test(wrong)
    expect(refused.status).toBe(200)
    expect(refused.outcome).toMatchObject({ ok: false, code: 'NOTIFY_DELIVERY_FAILED' })
    expect(refused.outcome.ok === false && refused.outcome.reason).toMatch(/Invalid username or password/)
    expect(refused.body).not.toContain('not-the-password')

    const nobody = await channel({ name: 'mail, nobody', type: 'email', config: { host: '127.0.0.1', port: smtpPort, from: 'prognos@example.test' } })
    expect((await test(nobody)).outcome).toMatchObject({ ok: false, reason: 'no recipients', permanent: true })
    expect(mails).toHaveLength(1)
  })

  it('is for administrators, and an unknown channel is a 404', async () => {
    const operator = await apiKey(t, 'operator')
    const id = await channel({ name: 'admin only', type: 'webhook', config: { url: `${hook.url}/hook` } })
    const before = hook.requests.length
    expect((await test(id, operator)).status).toBe(403)
    expect(hook.requests.length).toBe(before)
    const missing = await inject({ method: 'POST', url: '/v1/notification-channels/nope/test', headers: t.admin })
    expect(missing.statusCode).toBe(404)
    expect((missing.json() as { code: string }).code).toBe('NOT_FOUND')
  })
})
