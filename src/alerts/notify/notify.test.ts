/**
 * Channel adapters and the delivery worker against real endpoints: an SMTP server built
 * with smtp-server (with authentication), and local HTTP endpoints shaped like Slack and
 * Teams incoming webhooks and a generic signed webhook. The outbox is a real DuckDB store.
 */
import { SMTPServer } from 'smtp-server'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDuckDbStores } from '../../store/duckdb/open.js'
import type { Stores } from '../../store/ports.js'
import { startReceiver, waitFor, type Receiver } from '../../../test/helpers/receiver.js'
import type { Alert, NotificationChannel, OutboxItem, Transition } from '../alert.types.js'
import { planNotifications } from '../notify.plan.js'
import { DeliveryWorker, backoffMs, type DeliveryEvent } from './delivery.worker.js'
import { SlackSender } from './slack.channel.js'
import { SmtpSender } from './smtp.channel.js'
import { TeamsSender } from './teams.channel.js'
import { WebhookSender } from './webhook.channel.js'

interface Mail {
  from: string
  to: string[]
  raw: string
  user: string | undefined
}

async function startSmtp(): Promise<{ port: number; mails: Mail[]; failNext: number; close(): Promise<void> }> {
  const state = { port: 0, mails: [] as Mail[], failNext: 0, close: async () => undefined as void }
  const server = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'alerts' && auth.password === 'smtp-pass') cb(null, { user: auth.username })
      else cb(new Error('Invalid username or password'))
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        if (state.failNext > 0) {
          state.failNext--
          const err = new Error('mailbox busy, try later') as Error & { responseCode: number }
          err.responseCode = 451
          cb(err)
          return
        }
        state.mails.push({ from: String(session.envelope.mailFrom && session.envelope.mailFrom.address), to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8'), user: session.user as string | undefined })
        cb()
      })
    },
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  state.port = (server.server.address() as AddressInfo).port
  state.close = () => new Promise<void>((r) => server.close(() => r()))
  return state
}

const alert = (id: string, siteId: string, severity: Alert['severity'] = 'critical'): Alert => ({
  id,
  tenantId: 't1',
  ruleId: 'r1',
  ruleName: 'Cell temperature',
  kind: 'threshold',
  assetId: `cell-${id}`,
  siteId,
  severity,
  state: 'open',
  message: `Cell temperature: temperature of cell-${id} is 61.5 (≥ 55)`,
  value: 61.5,
  threshold: 55,
  evidence: { values: [{ ts: 1, value: 61.5 }], thresholds: { warning: 40, critical: 55, hysteresis: 2, direction: 'above' }, channels: ['temperature'], link: `https://prognos.test/#/assets/cell-${id}?from=0&to=1` },
  startedAt: 1,
  openedAt: 1,
  acknowledgedAt: null,
  acknowledgedBy: null,
  resolvedAt: null,
  resolvedBy: null,
  escalatedAt: null,
  flapping: false,
  silenced: false,
  updatedAt: 1,
})

const channel = (id: string, type: NotificationChannel['type'], config: Record<string, unknown>, extra: Partial<NotificationChannel> = {}): NotificationChannel => ({
  id,
  tenantId: 't1',
  name: id,
  type,
  config,
  enabled: true,
  subscribeAll: true,
  minSeverity: 'warning',
  rateLimitPerMin: 0,
  createdAt: 0,
  ...extra,
})

let n = 0
const newId = (): string => `id-${++n}-${Math.random().toString(36).slice(2, 8)}`

describe('notification delivery to real endpoints', () => {
  let stores: Stores
  let smtp: Awaited<ReturnType<typeof startSmtp>>
  let http: Receiver
  const events: DeliveryEvent[] = []
  let worker: DeliveryWorker

  beforeAll(async () => {
    stores = await openDuckDbStores({ dataDir: ':memory:' })
    smtp = await startSmtp()
    http = await startReceiver({ secret: 'webhook-secret-0123456789' })
    worker = new DeliveryWorker(
      stores.alerts,
      [new SmtpSender({ timeoutMs: 2000 }), new SlackSender(), new TeamsSender(), new WebhookSender()],
      { maxAttempts: 5, retryBaseMs: 50, retryMaxMs: 400, leaseMs: 5000, pollMs: 50, timeoutMs: 500 },
      (e) => events.push(e),
    )
    worker.start()
  })
  afterAll(async () => {
    await worker?.stop()
    await stores?.close()
    await smtp?.close()
    await http?.close()
  })

  /** Plans and commits the notifications of transitions, as the alerting stage does. */
  async function notify(transitions: Transition[], channels: NotificationChannel[]): Promise<OutboxItem[]> {
    for (const c of channels) await stores.alerts.putChannel(c)
    const items = planNotifications({ transitions, channels, preferences: [], rules: new Map(), now: Date.now(), newId })
    await stores.alerts.commit(
      transitions.map((t) => t.alert),
      items,
    )
    worker.kick()
    return items
  }

  it('sends e-mail over SMTP with authentication, HTML and text, grouped per site', async () => {
    const mail = channel('mail', 'email', { host: '127.0.0.1', port: smtp.port, user: 'alerts', password: 'smtp-pass', from: 'Prognos <alerts@prognos.test>', to: ['ops@plant.test', 'lead@plant.test'], ignoreTls: true })
    const now = Date.now()
    const items = await notify(
      [
        { kind: 'opened', alert: alert('a1', 'lyon'), ts: now },
        { kind: 'opened', alert: alert('a2', 'lyon', 'warning'), ts: now },
        { kind: 'opened', alert: alert('a3', 'oslo'), ts: now },
      ],
      [mail],
    )
    // Grouping: one message for lyon's two alerts, one for oslo.
    expect(items).toHaveLength(2)
    expect(await waitFor(() => smtp.mails.length === 2)).toBe(true)
    const lyon = smtp.mails.find((m) => m.raw.includes('cell-a1'))!
    expect(lyon.user).toBe('alerts')
    expect(lyon.to.sort()).toEqual(['lead@plant.test', 'ops@plant.test'])
    expect(lyon.from).toBe('alerts@prognos.test')
    expect(lyon.raw).toMatch(/Subject: \[Prognos\] 2 alert changes at lyon \(worst critical\)/)
    expect(lyon.raw).toMatch(/Content-Type: text\/plain/)
    expect(lyon.raw).toMatch(/Content-Type: text\/html/)
    expect(lyon.raw).toContain('cell-a2')
    const key = items.find((i) => i.payload.siteId === 'lyon')!.idempotencyKey
    expect(lyon.raw).toContain(`Message-ID: <${key}@prognos>`)
    // Marked delivered once the server accepted them.
    expect(await waitFor(async () => (await stores.alerts.listOutbox('t1', 'delivered')).length === 2)).toBe(true)
  })

  it('posts Slack- and Teams-shaped messages and signed webhooks', async () => {
    const slack = channel('slack', 'slack', { url: `${http.url}/slack/T000/B000/xyz` })
    const teams = channel('teams', 'teams', { url: `${http.url}/teams/webhookb2/abc` })
    const hook = channel('hook', 'webhook', { url: `${http.url}/hook`, secret: 'webhook-secret-0123456789' })
    const before = http.requests.length
    await notify([{ kind: 'opened', alert: alert('b1', 'lyon'), ts: Date.now() }], [slack, teams, hook])
    expect(await waitFor(() => http.requests.length === before + 3)).toBe(true)
    const got = http.requests.slice(before)
    const s = got.find((r) => r.path.startsWith('/slack'))!.body as { text: string; blocks: { type: string; text: { text: string } }[] }
    expect(s.text).toMatch(/OPEN CRITICAL: Cell temperature on cell-b1/)
    expect(s.blocks[0]!.type).toBe('header')
    expect(s.blocks[1]!.text.text).toContain('<https://prognos.test/#/assets/cell-b1?from=0&to=1|chart>')
    const t = got.find((r) => r.path.startsWith('/teams'))!.body as { '@type': string; themeColor: string; sections: { facts: { name: string; value: string }[] }[] }
    expect(t['@type']).toBe('MessageCard')
    expect(t.themeColor).toBe('D32F2F')
    expect(t.sections[0]!.facts).toContainEqual({ name: 'Threshold', value: '55' })
    const w = got.find((r) => r.path === '/hook')!
    expect(w.signatureOk).toBe(true)
    expect(w.headers['idempotency-key']).toBe(w.body.idempotencyKey)
  })

  it('retries a channel that is down, with backoff, and dead-letters one that keeps timing out', async () => {
    const down = await startReceiver()
    const port = Number(new URL(down.url).port)
    await down.close() // connection refused from now on
    const hang = await startReceiver()
    hang.failNext.push('hang', 'hang', 'hang', 'hang', 'hang', 'hang')
    const slackDown = channel('slack-down', 'slack', { url: `http://127.0.0.1:${port}/slack/x` })
    const hanging = channel('hanging', 'teams', { url: `${hang.url}/teams/x` })
    await notify([{ kind: 'opened', alert: alert('c1', 'lyon'), ts: Date.now() }], [slackDown, hanging])
    // The refused channel comes back on the same port: its item is delivered by a retry.
    await waitFor(() => events.some((e) => e.type === 'failed' && e.channelId === 'slack-down' && e.attempt >= 2), 5000)
    const back = await startReceiver({ port })
    try {
      expect(await waitFor(() => back.requests.length === 1, 5000)).toBe(true)
      const fails = events.filter((e): e is Extract<DeliveryEvent, { type: 'failed' }> => e.type === 'failed' && e.channelId === 'slack-down')
      expect(fails.length).toBeGreaterThanOrEqual(2)
      expect(fails.every((f) => !f.dead)).toBe(true)
      expect(fails[0]!.error).toMatch(/ECONNREFUSED/)
    } finally {
      await back.close()
    }
    // The hanging channel timed out and is retried, then dead-lettered after 5 attempts.
    expect(await waitFor(async () => (await stores.alerts.listOutbox('t1', 'dead')).some((d) => d.channelId === 'hanging'), 10_000)).toBe(true)
    const dead = (await stores.alerts.listOutbox('t1', 'dead')).find((d) => d.channelId === 'hanging')!
    expect(dead.attempts).toBe(5)
    expect(dead.lastError).toMatch(/timed out/)
    expect(hang.requests).toHaveLength(5)
    await hang.close()
  })

  it('never records or reports the credentials of a channel URL a failure quotes', async () => {
    // fetch refuses a URL with credentials and quotes it whole in its error.
    const c = channel('creds', 'slack', { url: 'http://hook-user:hunter2-in-the-url@127.0.0.1:9/slack/x' })
    await notify([{ kind: 'opened', alert: alert('r1', 'lyon'), ts: Date.now() }], [c])
    expect(await waitFor(() => events.some((e) => e.type === 'failed' && e.channelId === 'creds'), 5000)).toBe(true)
    const failed = events.filter((e): e is Extract<DeliveryEvent, { type: 'failed' }> => e.type === 'failed' && e.channelId === 'creds')
    expect(failed[0]!.error).toContain('***')
    expect(failed.map((f) => f.error).join('\n')).not.toContain('hunter2')
    const stored = [...(await stores.alerts.listOutbox('t1', 'pending')), ...(await stores.alerts.listOutbox('t1', 'dead'))].filter((o) => o.channelId === 'creds')
    expect(stored.length).toBeGreaterThan(0)
    expect(stored.every((o) => o.lastError !== null && !o.lastError.includes('hunter2'))).toBe(true)
  })

  it('holds back what a rate-limited channel cannot take yet, without counting attempts', async () => {
    const limited = await startReceiver()
    try {
      const c = channel('limited', 'webhook', { url: `${limited.url}/hook` }, { rateLimitPerMin: 2 })
      const now = Date.now()
      // Five sites: five notifications.
      await notify(
        ['s1', 's2', 's3', 's4', 's5'].map((s, i) => ({ kind: 'opened' as const, alert: alert(`d${i}`, s), ts: now })),
        [c],
      )
      await waitFor(() => limited.requests.length === 2, 3000)
      await new Promise((r) => setTimeout(r, 500))
      expect(limited.requests.length).toBe(2)
      const pending = await stores.alerts.listOutbox('t1', 'pending')
      const held = pending.filter((p) => p.channelId === 'limited')
      expect(held).toHaveLength(3)
      expect(held.every((p) => p.attempts === 0 && p.lastError === 'rate limited' && p.nextAttemptAt > now + 10_000)).toBe(true)
    } finally {
      await limited.close()
    }
  })
})

describe('delivery worker: a hanging channel, and outbox pruning on a fake clock', () => {
  let stores: Stores
  let smtp: Awaited<ReturnType<typeof startSmtp>>
  beforeAll(async () => {
    // A store and worker of its own: the worker above would claim these items too.
    stores = await openDuckDbStores({ dataDir: ':memory:' })
    smtp = await startSmtp()
  })
  afterAll(async () => {
    await stores?.close()
    await smtp?.close()
  })

  it('a hanging channel never holds up another: the e-mail is retried and delivered while the hanging request is still open', async () => {
    const events: DeliveryEvent[] = []
    // The send timeout is far beyond the test: the hanging request can only end when the test ends it.
    const worker = new DeliveryWorker(stores.alerts, [new SmtpSender({ timeoutMs: 60_000 }), new TeamsSender()], { maxAttempts: 5, retryBaseMs: 50, retryMaxMs: 400, leaseMs: 120_000, pollMs: 50, timeoutMs: 60_000 }, (e) => events.push(e))
    const hang = await startReceiver()
    hang.failNext.push('hang')
    try {
      const hanging = channel('hanging', 'teams', { url: `${hang.url}/teams/x` })
      const mail = channel('mail', 'email', { host: '127.0.0.1', port: smtp.port, user: 'alerts', password: 'smtp-pass', from: 'alerts@prognos.test', to: ['ops@plant.test'], ignoreTls: true })
      for (const c of [hanging, mail]) await stores.alerts.putChannel(c)
      smtp.failNext = 1 // one temporary SMTP refusal (451): retried
      const items = planNotifications({ transitions: [{ kind: 'opened', alert: alert('h1', 'lyon'), ts: Date.now() }], channels: [hanging, mail], preferences: [], rules: new Map(), now: Date.now(), newId })
      await stores.alerts.commit([alert('h1', 'lyon')], items)
      worker.start()
      expect(await waitFor(() => events.some((e) => e.type === 'delivered' && e.channel.id === 'mail'))).toBe(true)
      expect(await waitFor(() => hang.requests.length === 1)).toBe(true)
      // Order, not speed: the e-mail failed once, was retried and delivered, and the Teams attempt has not ended.
      expect(events.map((e) => (e.type === 'delivered' ? `delivered ${e.channel.id}` : e.type === 'failed' ? `failed ${e.channelId} ${e.attempt}` : e.type))).toEqual(['failed mail 1', 'delivered mail'])
      expect(smtp.mails.filter((m) => m.raw.includes('cell-h1'))).toHaveLength(1)
      expect((await stores.alerts.listOutbox('t1', 'pending')).map((i) => i.channelId)).toEqual(['hanging'])
    } finally {
      await worker.stop(100)
      await hang.close()
    }
  })

  it('deletes delivered notifications and dead letters past their retentions, keeping newer ones and pending items', async () => {
    const DAY = 86_400_000
    let clock = Date.UTC(2026, 0, 10)
    const events: DeliveryEvent[] = []
    const http = await startReceiver()
    // Driven by hand (poll) on a fake clock: no timer of its own runs.
    const worker = new DeliveryWorker(stores.alerts, [new WebhookSender()], { maxAttempts: 1, retryBaseMs: 50, retryMaxMs: 400, leaseMs: 60_000, pollMs: 60_000, timeoutMs: 5000, retentionMs: 7 * DAY, deadLetterRetentionMs: 20 * DAY, pruneEveryMs: 3 * DAY }, (e) => events.push(e), () => clock)
    const T = 'prune-tenant'
    const hook = { ...channel('hook', 'webhook', { url: `${http.url}/hook` }), tenantId: T }
    const gone = { ...channel('gone', 'webhook', { url: `${http.url}/hook` }), tenantId: T }
    await stores.alerts.putChannel(hook)
    const queue = async (id: string, c: NotificationChannel): Promise<OutboxItem> => {
      const [o] = planNotifications({ transitions: [{ kind: 'opened', alert: { ...alert(id, 'lyon'), tenantId: T }, ts: clock }], channels: [c], preferences: [], rules: new Map(), now: clock, newId })
      await stores.alerts.commit([], [o!])
      return o!
    }
    const sent = async (n: number): Promise<void> => {
      await worker.poll()
      expect(await waitFor(() => events.filter((e) => e.type === 'delivered' || e.type === 'failed').length === n)).toBe(true)
    }
    try {
      const old = await queue('p1', hook)
      // A channel that no longer exists: a dead letter at once (one attempt allowed).
      const dead = await queue('p2', gone)
      await sent(2)
      clock += 3 * DAY
      const recent = await queue('p3', hook)
      await sent(3)
      clock += 2 * DAY
      const pending = await queue('p4', hook)
      await stores.alerts.markFailed(pending.id, 'rate limited', clock + 30 * DAY, false, false)
      // Day 15: `old` was delivered 8 days ago, `recent` 5 days ago.
      clock = Date.UTC(2026, 0, 18)
      await worker.poll()
      expect(events.filter((e) => e.type === 'pruned')).toEqual([{ type: 'pruned', status: 'delivered', count: 1, before: clock - 7 * DAY }])
      expect(await stores.alerts.getOutboxItem(T, old.id)).toBeNull()
      expect((await stores.alerts.getOutboxItem(T, recent.id))?.status).toBe('delivered')
      expect((await stores.alerts.getOutboxItem(T, dead.id))?.status).toBe('dead')
      expect((await stores.alerts.getOutboxItem(T, pending.id))?.status).toBe('pending')
      // At most once per pruneEveryMs (3 days): two days later `recent` is past its retention but stays until the third.
      clock += 2 * DAY + 3_600_000
      await worker.poll()
      expect(events.filter((e) => e.type === 'pruned')).toHaveLength(1)
      expect((await stores.alerts.getOutboxItem(T, recent.id))?.status).toBe('delivered')
      clock = Date.UTC(2026, 0, 21)
      await worker.poll()
      expect(events.filter((e) => e.type === 'pruned').map((e) => (e.type === 'pruned' ? e.count : 0))).toEqual([1, 1])
      expect(await stores.alerts.getOutboxItem(T, recent.id)).toBeNull()
      expect((await stores.alerts.listOutbox(T, 'dead')).map((i) => i.id)).toEqual([dead.id])
      // The dead letter was created on day 10: kept for 20 days, deleted at the first prune after day 30.
      clock = Date.UTC(2026, 0, 29)
      await worker.poll()
      expect((await stores.alerts.getOutboxItem(T, dead.id))?.status).toBe('dead')
      clock = Date.UTC(2026, 1, 2)
      await worker.poll()
      expect(events.filter((e) => e.type === 'pruned' && e.status === 'dead')).toEqual([{ type: 'pruned', status: 'dead', count: 1, before: clock - 20 * DAY }])
      expect(await stores.alerts.getOutboxItem(T, dead.id)).toBeNull()
      expect((await stores.alerts.getOutboxItem(T, pending.id))?.status).toBe('pending')
      expect(http.requests).toHaveLength(2)
    } finally {
      await worker.stop(100)
      await http.close()
    }
  })
})

describe('backoffMs', () => {
  it('doubles per attempt up to the cap, with jitter in the upper half', () => {
    expect([1, 2, 3, 4, 10].map((a) => backoffMs(a, 1000, 5000, () => 1))).toEqual([1000, 2000, 4000, 5000, 5000])
    expect([1, 2, 3].map((a) => backoffMs(a, 1000, 5000, () => 0))).toEqual([500, 1000, 2000])
    const draws = Array.from({ length: 200 }, () => backoffMs(3, 1000, 60_000))
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(2000)
    expect(Math.max(...draws)).toBeLessThanOrEqual(4000)
    expect(new Set(draws).size).toBeGreaterThan(50)
  })
})
