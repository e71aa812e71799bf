/**
 * The alerting store port: rules, alerts, silences, notification channels and preferences,
 * and the delivery outbox with its dead letters. Adapters: src/store/sql/alert.store.ts
 * (DuckDB and PostgreSQL); every adapter passes test/conformance/alerts.suite.ts.
 * Every read and write names its tenant, except the outbox worker's claims, which serve
 * all tenants.
 */
import type { Alert, AlertState, NotificationChannel, NotificationPreference, OutboxItem, OutboxStatus, Rule, Severity, Silence } from './alert.types.js'

export interface AlertFilter {
  state?: AlertState | 'active'
  severity?: Severity
  assetId?: string
  siteId?: string
  ruleId?: string
  /** Alerts updated at or after this time. */
  since?: number
  limit?: number
  offset?: number
}

export interface AlertStore {
  listRules(tenantId: string): Promise<Rule[]>
  getRule(tenantId: string, id: string): Promise<Rule | null>
  /** Creates or replaces a rule (by tenant and id). */
  putRule(rule: Rule): Promise<void>
  deleteRule(tenantId: string, id: string): Promise<boolean>
  /** Tenants that have at least one rule. */
  tenantsWithRules(): Promise<string[]>

  /** Newest first (by updatedAt). Pending alerts only when `state: 'pending'` asks for them. */
  listAlerts(tenantId: string, filter?: AlertFilter): Promise<Alert[]>
  getAlert(tenantId: string, id: string): Promise<Alert | null>
  /**
   * Stores alert changes and queues their notifications in one transaction: either both
   * are durable or neither is, so a crash never loses a notification of a stored transition.
   * `dropped`: pending alerts whose condition cleared before they opened, deleted in the
   * same transaction (only while still pending).
   * `created`: a hint, the ids of alerts not stored before: an adapter may insert them without
   * looking for an existing row (and must still store the commit right should one exist).
   * Outbox items are always new (fresh ids).
   */
  commit(alerts: readonly Alert[], outbox: readonly OutboxItem[], dropped?: readonly string[], created?: ReadonlySet<string>): Promise<void>

  listSilences(tenantId: string): Promise<Silence[]>
  getSilence(tenantId: string, id: string): Promise<Silence | null>
  putSilence(s: Silence): Promise<void>
  deleteSilence(tenantId: string, id: string): Promise<boolean>

  listChannels(tenantId: string): Promise<NotificationChannel[]>
  getChannel(tenantId: string, id: string): Promise<NotificationChannel | null>
  putChannel(c: NotificationChannel): Promise<void>
  deleteChannel(tenantId: string, id: string): Promise<boolean>

  listPreferences(tenantId: string): Promise<NotificationPreference[]>
  getPreference(tenantId: string, id: string): Promise<NotificationPreference | null>
  putPreference(p: NotificationPreference): Promise<void>
  deletePreference(tenantId: string, id: string): Promise<boolean>

  /**
   * Takes up to `limit` pending items that are due and not leased by another worker, and
   * leases them until `now + leaseMs`. A worker that dies mid-delivery leaves its lease
   * to expire; the item is then claimed again (same idempotency key).
   */
  claimDue(now: number, leaseMs: number, limit: number): Promise<OutboxItem[]>
  markDelivered(id: string, now: number): Promise<void>
  /** Records a failed attempt: retried at `nextAttemptAt`, or dead-lettered. `countAttempt` false for rate-limit deferrals. */
  markFailed(id: string, error: string, nextAttemptAt: number, dead: boolean, countAttempt?: boolean): Promise<void>
  listOutbox(tenantId: string, status: OutboxStatus, limit?: number): Promise<OutboxItem[]>
  /** Puts a dead letter back in the queue with its attempts reset; false when absent (or not dead). */
  retryDead(tenantId: string, id: string, now: number): Promise<boolean>
  getOutboxItem(tenantId: string, id: string): Promise<OutboxItem | null>
  /**
   * Deletes delivered items delivered before `before` (all tenants): the outbox keeps what
   * is still to send and the dead letters, not every notification ever sent. Returns how many.
   */
  pruneDelivered(before: number): Promise<number>
  /** Deletes dead letters of notifications created before `before` (all tenants). Returns how many. */
  pruneDead(before: number): Promise<number>
}
