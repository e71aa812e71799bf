/** The AlertStore conformance suite: every adapter must pass the same cases. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alert, OutboxItem, Rule } from '../../src/alerts/alert.types.js'
import type { Stores } from '../../src/store/ports.js'

const T = 'tenant-a'
const U = 'tenant-b'

const rule = (id: string, tenantId = T): Rule => ({
  id,
  tenantId,
  name: `rule ${id}`,
  kind: 'threshold',
  scope: { kind: 'asset_type', assetType: 'battery_cell' },
  enabled: true,
  target: 'temperature',
  direction: 'above',
  warning: 40,
  critical: 55,
  hysteresis: 2,
  forSec: 30,
  escalateAfterMin: 0,
  escalateChannelIds: [],
  createdAt: 1,
  updatedAt: 1,
})

const alert = (id: string, state: Alert['state'], updatedAt: number, tenantId = T): Alert => ({
  id,
  tenantId,
  ruleId: 'r1',
  ruleName: 'rule r1',
  kind: 'threshold',
  assetId: `asset-${id}`,
  siteId: 'lyon',
  severity: 'warning',
  state,
  message: 'hot',
  value: 45,
  threshold: 40,
  evidence: { values: [{ ts: 1, value: 45 }], thresholds: { warning: 40, hysteresis: 2, direction: 'above' }, channels: ['temperature'], link: '/#/assets/x?from=0&to=1' },
  startedAt: 1,
  openedAt: 1,
  acknowledgedAt: null,
  acknowledgedBy: null,
  resolvedAt: null,
  resolvedBy: null,
  escalatedAt: null,
  flapping: false,
  silenced: false,
  updatedAt,
})

const item = (id: string, createdAt: number, tenantId = T): OutboxItem => ({
  id,
  tenantId,
  channelId: 'ch1',
  idempotencyKey: `key-${id}`,
  payload: { tenantId, siteId: 'lyon', to: [], subject: 's', text: 't', transitions: [], escalation: false },
  status: 'pending',
  attempts: 0,
  nextAttemptAt: createdAt,
  leaseUntil: null,
  lastError: null,
  createdAt,
  deliveredAt: null,
})

export function runAlertStoreSuite(name: string, open: () => Promise<Stores>): void {
  describe(`AlertStore conformance: ${name}`, () => {
    let stores: Stores
    beforeAll(async () => {
      stores = await open()
    })
    afterAll(async () => {
      await stores?.close()
    })

    it('stores, replaces, lists per tenant and deletes rules', async () => {
      const s = stores.alerts
      await s.putRule(rule('r1'))
      await s.putRule(rule('r2'))
      await s.putRule(rule('r1', U))
      await s.putRule({ ...rule('r1'), warning: 42, updatedAt: 2 })
      expect((await s.listRules(T)).map((r) => [r.id, r.warning])).toEqual([
        ['r1', 42],
        ['r2', 40],
      ])
      expect(await s.getRule(U, 'r2')).toBeNull()
      expect(await s.tenantsWithRules()).toEqual(expect.arrayContaining([T, U]))
      expect(await s.deleteRule(T, 'r2')).toBe(true)
      expect(await s.deleteRule(T, 'r2')).toBe(false)
      expect((await s.listRules(T)).map((r) => r.id)).toEqual(['r1'])
    })

    it('commits alerts and their outbox items together, and filters alerts', async () => {
      const s = stores.alerts
      await s.commit([alert('a1', 'open', 10), alert('a2', 'open', 20), alert('a3', 'resolved', 30), alert('a9', 'open', 40, U)], [item('o1', 100)])
      // A later version of a1 in another commit replaces it.
      await s.commit([{ ...alert('a1', 'acknowledged', 50), acknowledgedBy: 'alice' }], [])
      expect((await s.listAlerts(T)).map((a) => a.id)).toEqual(['a1', 'a3', 'a2'])
      expect((await s.listAlerts(T, { state: 'active' })).map((a) => a.id).sort()).toEqual(['a1', 'a2'])
      expect((await s.listAlerts(T, { state: 'resolved' })).map((a) => a.id)).toEqual(['a3'])
      expect((await s.listAlerts(T, { assetId: 'asset-a2' })).map((a) => a.id)).toEqual(['a2'])
      expect((await s.listAlerts(T, { limit: 1, offset: 1 })).map((a) => a.id)).toEqual(['a3'])
      expect((await s.getAlert(T, 'a1'))?.acknowledgedBy).toBe('alice')
      expect(await s.getAlert(T, 'a9')).toBeNull()
      expect((await s.getAlert(T, 'a1'))?.evidence.channels).toEqual(['temperature'])
    })

    it('keeps pending alerts out of lists unless asked, and deletes dropped ones in the commit', async () => {
      const s = stores.alerts
      const P = 'tenant-pending'
      await s.commit([alert('p1', 'pending', 70, P), alert('p2', 'pending', 71, P)], [])
      expect((await s.listAlerts(P)).map((a) => a.id)).not.toContain('p1')
      expect((await s.listAlerts(P, { state: 'pending' })).map((a) => a.id).sort()).toEqual(['p1', 'p2'])
      // p1 cleared before opening; p2 opened: both in one commit.
      await s.commit([alert('p2', 'open', 72, P)], [], ['p1', 'p2'])
      expect(await s.getAlert(P, 'p1')).toBeNull()
      expect((await s.getAlert(P, 'p2'))?.state).toBe('open')
      expect((await s.listAlerts(P, { state: 'pending' })).map((a) => a.id)).toEqual([])
      // Pending and cleared within one group commit: never stored.
      await s.commit([alert('p3', 'pending', 73, P), alert('p4', 'open', 74, P)], [{ ...item('op4', 74, P), nextAttemptAt: 1e15 }], ['p3'])
      expect(await s.getAlert(P, 'p3')).toBeNull()
      expect((await s.getAlert(P, 'p4'))?.state).toBe('open')
      expect((await s.getOutboxItem(P, 'op4'))?.status).toBe('pending')
    })

    it('takes the created hint: new alerts are stored, and a wrong hint still leaves the commit right', async () => {
      const s = stores.alerts
      const H = 'tenant-hint'
      await s.commit([alert('h1', 'open', 80, H)], [{ ...item('oh1', 80, H), nextAttemptAt: 1e15 }], [], new Set(['h1']))
      expect((await s.getAlert(H, 'h1'))?.state).toBe('open')
      // h1 exists but is hinted as new, and the outbox item's id is taken: stored as an upsert would, the item kept once.
      await s.commit([alert('h1', 'acknowledged', 81, H), alert('h2', 'open', 82, H)], [{ ...item('oh1', 90, H), nextAttemptAt: 1e15 }], [], new Set(['h1', 'h2']))
      expect((await s.getAlert(H, 'h1'))?.state).toBe('acknowledged')
      expect((await s.getAlert(H, 'h2'))?.state).toBe('open')
      expect((await s.getOutboxItem(H, 'oh1'))?.createdAt).toBe(80)
      expect((await s.listAlerts(H)).map((a) => a.id).sort()).toEqual(['h1', 'h2'])
    })

    it('rolls back the alert when its outbox item cannot be written (same transaction)', async () => {
      const s = stores.alerts
      // o1 exists with key-o1: a second item with the same idempotency key but a new id violates the unique key.
      await expect(s.commit([alert('a4', 'open', 60)], [{ ...item('o-dup', 101), idempotencyKey: 'key-o1' }])).rejects.toThrow()
      expect(await s.getAlert(T, 'a4')).toBeNull()
    })

    it('claims due items once under a lease, retries, dead-letters and retries dead letters', async () => {
      const s = stores.alerts
      await s.commit([], [item('o2', 200), item('o3', 300), { ...item('o4', 400), nextAttemptAt: 10_000 }])
      const first = await s.claimDue(1000, 5000, 10)
      expect(first.map((i) => i.id)).toEqual(['o1', 'o2', 'o3'])
      expect(first[0]!.payload.siteId).toBe('lyon')
      // Leased: nobody else gets them until the lease ends.
      expect(await s.claimDue(2000, 5000, 10)).toEqual([])
      await s.markDelivered('o1', 2100)
      await s.markFailed('o2', 'HTTP 503', 3000, false)
      await s.markFailed('o3', 'refused', 0, true)
      // o2 is due again at 3000; the lease on nothing else remains; o4 is not due yet.
      const second = await s.claimDue(3000, 5000, 10)
      expect(second.map((i) => [i.id, i.attempts, i.lastError])).toEqual([['o2', 1, 'HTTP 503']])
      // A lease that expired (worker died) is claimed again.
      expect((await s.claimDue(8000, 5000, 10)).map((i) => i.id)).toEqual(['o2'])
      expect((await s.listOutbox(T, 'dead')).map((i) => [i.id, i.attempts])).toEqual([['o3', 1]])
      expect((await s.listOutbox(T, 'delivered')).map((i) => i.id)).toEqual(['o1'])
      expect(await s.retryDead(U, 'o3', 9000)).toBe(false)
      expect(await s.retryDead(T, 'o3', 9000)).toBe(true)
      expect(await s.retryDead(T, 'o3', 9000)).toBe(false)
      // Rate-limit deferrals do not count as attempts.
      await s.markFailed('o2', 'rate limited', 9000, false, false)
      const third = await s.claimDue(20_000, 5000, 10)
      expect(third.map((i) => [i.id, i.attempts])).toEqual([
        ['o2', 1],
        ['o3', 0],
        ['o4', 0],
      ])
    })

    it('prunes delivered items older than the cut-off, of every tenant, and nothing else', async () => {
      const s = stores.alerts
      const P = 'tenant-prune'
      await s.commit([], [item('q1', 1, P), item('q2', 2, P), item('q3', 3, P), item('q4', 4, U), item('q5', 5, P)])
      await s.markDelivered('q1', 1_000)
      await s.markDelivered('q2', 5_000)
      await s.markFailed('q3', 'refused', 0, true)
      await s.markDelivered('q4', 1_500)
      // q1 and q4 were delivered before 2,000; q2 after; q3 is a dead letter; q5 still pending.
      expect(await s.pruneDelivered(2_000)).toBe(2)
      expect(await s.getOutboxItem(P, 'q1')).toBeNull()
      expect(await s.getOutboxItem(U, 'q4')).toBeNull()
      expect((await s.listOutbox(P, 'delivered')).map((i) => i.id)).toEqual(['q2'])
      expect((await s.listOutbox(P, 'dead')).map((i) => i.id)).toEqual(['q3'])
      expect((await s.listOutbox(P, 'pending')).map((i) => i.id)).toEqual(['q5'])
      expect(await s.pruneDelivered(2_000)).toBe(0)
    })

    it('prunes dead letters created before the cut-off, of every tenant, and nothing else', async () => {
      const s = stores.alerts
      const P = 'tenant-prune-dead'
      // The suite shares its stores: dead letters earlier cases left before the cut-off go first.
      await s.pruneDead(1_000)
      // item(id, created): r1 and r2 old, r3 new, r4 old but delivered, r5 old but pending.
      await s.commit([], [item('r1', 100, P), item('r2', 200, U), item('r3', 9_000, P), item('r4', 300, P), item('r5', 400, P)])
      for (const id of ['r1', 'r2', 'r3']) await s.markFailed(id, 'refused', 0, true)
      await s.markDelivered('r4', 500)
      expect(await s.pruneDead(1_000)).toBe(2)
      expect(await s.getOutboxItem(P, 'r1')).toBeNull()
      expect(await s.getOutboxItem(U, 'r2')).toBeNull()
      expect((await s.listOutbox(P, 'dead')).map((i) => i.id)).toEqual(['r3'])
      expect((await s.listOutbox(P, 'delivered')).map((i) => i.id)).toEqual(['r4'])
      expect((await s.listOutbox(P, 'pending')).map((i) => i.id)).toEqual(['r5'])
      expect(await s.pruneDead(1_000)).toBe(0)
    })

    it('keeps silences, channels and preferences per tenant', async () => {
      const s = stores.alerts
      await s.putSilence({ id: 's1', tenantId: T, kind: 'maintenance', assetId: null, siteId: 'lyon', ruleId: null, startsAt: 1, endsAt: 2, reason: 'r', createdBy: 'a', createdAt: 1 })
      await s.putChannel({ id: 'c1', tenantId: T, name: 'ops', type: 'webhook', config: { url: 'http://x', secret: 'k' }, enabled: true, subscribeAll: true, minSeverity: 'warning', rateLimitPerMin: 60, createdAt: 1 })
      await s.putPreference({ id: 'p1', tenantId: T, userId: null, role: 'operator', severities: ['critical'], channelIds: ['c1'], emails: [], quietHours: { start: '22:00', end: '07:00', timezone: 'Europe/Paris' }, createdAt: 1 })
      expect((await s.listSilences(T)).map((x) => x.siteId)).toEqual(['lyon'])
      expect(await s.listSilences(U)).toEqual([])
      expect((await s.getChannel(T, 'c1'))?.config).toEqual({ url: 'http://x', secret: 'k' })
      expect(await s.getChannel(U, 'c1')).toBeNull()
      expect((await s.listPreferences(T))[0]?.quietHours?.timezone).toBe('Europe/Paris')
      expect(await s.deleteSilence(T, 's1')).toBe(true)
      expect(await s.deleteChannel(U, 'c1')).toBe(false)
      expect(await s.deleteChannel(T, 'c1')).toBe(true)
      expect(await s.deletePreference(T, 'p1')).toBe(true)
      expect(await s.listPreferences(T)).toEqual([])
    })
  })
}
