/**
 * AlertStore over the shared SQL surface: the same statements run on DuckDB and
 * PostgreSQL. Objects are stored whole as JSON text beside the columns queries filter on.
 */
import type { AlertFilter, AlertStore } from '../../alerts/alert.store.js'
import type { Alert, NotificationChannel, NotificationPreference, OutboxItem, OutboxStatus, Rule, Silence } from '../../alerts/alert.types.js'
import type { Migration, SqlClient, SqlParam } from './client.js'

/** Migrations 10 and 11 (12 is reserved for alerting too). */
export const ALERT_MIGRATIONS: readonly Migration[] = [
  {
    version: 10,
    name: 'alert rules, alerts, silences, notification channels and preferences',
    sql: `
CREATE TABLE alert_rules (tenant_id VARCHAR NOT NULL, id VARCHAR NOT NULL, body VARCHAR NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, id));
CREATE TABLE alerts (
  id VARCHAR PRIMARY KEY, tenant_id VARCHAR NOT NULL, rule_id VARCHAR NOT NULL, asset_id VARCHAR NOT NULL, site_id VARCHAR,
  severity VARCHAR NOT NULL, state VARCHAR NOT NULL, body VARCHAR NOT NULL, started_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
CREATE INDEX alerts_tenant_state ON alerts (tenant_id, state);
CREATE TABLE alert_silences (tenant_id VARCHAR NOT NULL, id VARCHAR NOT NULL, body VARCHAR NOT NULL, ends_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, id));
CREATE TABLE notification_channels (tenant_id VARCHAR NOT NULL, id VARCHAR NOT NULL, body VARCHAR NOT NULL, PRIMARY KEY (tenant_id, id));
CREATE TABLE notification_preferences (tenant_id VARCHAR NOT NULL, id VARCHAR NOT NULL, body VARCHAR NOT NULL, PRIMARY KEY (tenant_id, id))`,
  },
  {
    version: 11,
    name: 'notification outbox and dead letters',
    sql: `
CREATE TABLE notification_outbox (
  id VARCHAR PRIMARY KEY, tenant_id VARCHAR NOT NULL, channel_id VARCHAR NOT NULL, idempotency_key VARCHAR NOT NULL UNIQUE,
  payload VARCHAR NOT NULL, status VARCHAR NOT NULL, attempts INTEGER NOT NULL, next_attempt_at BIGINT NOT NULL,
  lease_until BIGINT, last_error VARCHAR, created_at BIGINT NOT NULL, delivered_at BIGINT);
CREATE INDEX notification_outbox_due ON notification_outbox (status, next_attempt_at)`,
  },
]

interface OutboxRow {
  id: string
  tenant_id: string
  channel_id: string
  idempotency_key: string
  payload: string
  status: OutboxStatus
  attempts: number
  next_attempt_at: number
  lease_until: number | null
  last_error: string | null
  created_at: number
  delivered_at: number | null
}

const OUTBOX_COLS = 'id, tenant_id, channel_id, idempotency_key, payload, status, attempts, next_attempt_at, lease_until, last_error, created_at, delivered_at'

function outboxOf(r: OutboxRow): OutboxItem {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    channelId: r.channel_id,
    idempotencyKey: r.idempotency_key,
    payload: JSON.parse(r.payload) as OutboxItem['payload'],
    status: r.status,
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.next_attempt_at),
    leaseUntil: r.lease_until === null ? null : Number(r.lease_until),
    lastError: r.last_error,
    createdAt: Number(r.created_at),
    deliveredAt: r.delivered_at === null ? null : Number(r.delivered_at),
  }
}

/** `n` rows of `width` placeholders each, numbered from `$at + 1`. */
const placeholders = (n: number, width: number, at: number): string =>
  Array.from({ length: n }, (_, r) => `(${Array.from({ length: width }, (_, c) => `$${at + r * width + c + 1}`).join(', ')})`).join(', ')

interface Statement {
  sql: string
  params: SqlParam[]
}

const parse = <T>(rows: { body: string }[]): T[] => rows.map((r) => JSON.parse(r.body) as T)

/** A small JSON-body table keyed by (tenant_id, id). */
class BodyTable<T extends { id: string; tenantId: string }> {
  constructor(
    private readonly db: SqlClient,
    private readonly table: string,
    private readonly extra: { cols: string[]; values: (v: T) => SqlParam[] } = { cols: [], values: () => [] },
  ) {}

  async list(tenantId: string): Promise<T[]> {
    return parse<T>(await this.db.query<{ body: string }>(`SELECT body FROM ${this.table} WHERE tenant_id = $1 ORDER BY id`, [tenantId]))
  }

  async get(tenantId: string, id: string): Promise<T | null> {
    return parse<T>(await this.db.query<{ body: string }>(`SELECT body FROM ${this.table} WHERE tenant_id = $1 AND id = $2`, [tenantId, id]))[0] ?? null
  }

  async put(v: T): Promise<void> {
    const cols = ['tenant_id', 'id', 'body', ...this.extra.cols]
    const params: SqlParam[] = [v.tenantId, v.id, JSON.stringify(v), ...this.extra.values(v)]
    const set = cols.slice(2).map((c) => `${c} = excluded.${c}`).join(', ')
    await this.db.query(`INSERT INTO ${this.table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT (tenant_id, id) DO UPDATE SET ${set}`, params)
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const found = await this.get(tenantId, id)
    if (!found) return false
    await this.db.query(`DELETE FROM ${this.table} WHERE tenant_id = $1 AND id = $2`, [tenantId, id])
    return true
  }
}

/**
 * @example
 * const store = new SqlAlertStore(new PgSqlClient(pool))
 * await store.commit([alert], [outboxItem])
 */
export class SqlAlertStore implements AlertStore {
  private readonly rules: BodyTable<Rule>
  private readonly silences: BodyTable<Silence>
  private readonly channels: BodyTable<NotificationChannel>
  private readonly prefs: BodyTable<NotificationPreference>

  private readonly outbox: SqlClient

  /**
   * @param outboxDb where the delivery worker's claims and outcomes run: on DuckDB a
   * connection of their own, so that committing a transition never queues behind them.
   */
  constructor(
    private readonly db: SqlClient,
    outboxDb?: SqlClient,
  ) {
    this.outbox = outboxDb ?? db
    this.rules = new BodyTable(db, 'alert_rules', { cols: ['updated_at'], values: (r) => [r.updatedAt] })
    this.silences = new BodyTable(db, 'alert_silences', { cols: ['ends_at'], values: (s) => [s.endsAt] })
    this.channels = new BodyTable(db, 'notification_channels')
    this.prefs = new BodyTable(db, 'notification_preferences')
  }

  listRules(tenantId: string): Promise<Rule[]> {
    return this.rules.list(tenantId)
  }
  getRule(tenantId: string, id: string): Promise<Rule | null> {
    return this.rules.get(tenantId, id)
  }
  putRule(rule: Rule): Promise<void> {
    return this.rules.put(rule)
  }
  deleteRule(tenantId: string, id: string): Promise<boolean> {
    return this.rules.delete(tenantId, id)
  }
  async tenantsWithRules(): Promise<string[]> {
    return (await this.db.query<{ tenant_id: string }>('SELECT DISTINCT tenant_id FROM alert_rules ORDER BY tenant_id')).map((r) => r.tenant_id)
  }

  async listAlerts(tenantId: string, f: AlertFilter = {}): Promise<Alert[]> {
    const where = ['tenant_id = $1']
    const params: SqlParam[] = [tenantId]
    const add = (sql: string, v: SqlParam): void => {
      params.push(v)
      where.push(sql.replace('?', `$${params.length}`))
    }
    if (f.state === 'active') where.push(`state IN ('open', 'acknowledged')`)
    else if (f.state) add('state = ?', f.state)
    else where.push(`state <> 'pending'`)
    if (f.severity) add('severity = ?', f.severity)
    if (f.assetId) add('asset_id = ?', f.assetId)
    if (f.siteId) add('site_id = ?', f.siteId)
    if (f.ruleId) add('rule_id = ?', f.ruleId)
    if (f.since !== undefined) add('updated_at >= ?', f.since)
    params.push(f.limit ?? 100, f.offset ?? 0)
    const rows = await this.db.query<{ body: string }>(`SELECT body FROM alerts WHERE ${where.join(' AND ')} ORDER BY updated_at DESC, id LIMIT $${params.length - 1} OFFSET $${params.length}`, params)
    return parse<Alert>(rows)
  }

  async getAlert(tenantId: string, id: string): Promise<Alert | null> {
    return parse<Alert>(await this.db.query<{ body: string }>('SELECT body FROM alerts WHERE tenant_id = $1 AND id = $2', [tenantId, id]))[0] ?? null
  }

  async commit(alerts: readonly Alert[], outbox: readonly OutboxItem[], dropped: readonly string[] = [], created?: ReadonlySet<string>): Promise<void> {
    if (alerts.length === 0 && outbox.length === 0 && dropped.length === 0) return
    // The last version of each alert in the batch wins.
    const latest = new Map(alerts.map((a) => [a.id, a]))
    const alertList = [...latest.values()]
    // One statement per table and up to CHUNK rows (not one per row): a group commit costs the round trips of a single
    // alert; the chunks keep a large burst (staleness across a fleet) under PostgreSQL's 65,535 parameters.
    const CHUNK = 1000
    // `checked`: ON CONFLICT clauses, for rows that may exist. Without them an insert is several times cheaper on DuckDB.
    const upsertAlerts = (part: readonly Alert[], at: number, checked = true): Statement => ({
      sql: `INSERT INTO alerts (id, tenant_id, rule_id, asset_id, site_id, severity, state, body, started_at, updated_at) VALUES ${placeholders(part.length, 10, at)}${
        checked ? ' ON CONFLICT (id) DO UPDATE SET severity = excluded.severity, state = excluded.state, body = excluded.body, updated_at = excluded.updated_at' : ''
      }`,
      params: part.flatMap((a) => [a.id, a.tenantId, a.ruleId, a.assetId, a.siteId, a.severity, a.state, JSON.stringify(a), a.startedAt, a.updatedAt]),
    })
    const insertOutbox = (part: readonly OutboxItem[], at: number, checked = true): Statement => ({
      sql: `INSERT INTO notification_outbox (${OUTBOX_COLS}) VALUES ${placeholders(part.length, 12, at)}${checked ? ' ON CONFLICT (id) DO NOTHING' : ''}`,
      params: part.flatMap((o) => [o.id, o.tenantId, o.channelId, o.idempotencyKey, JSON.stringify(o.payload), o.status, o.attempts, o.nextAttemptAt, o.leaseUntil, o.lastError, o.createdAt, o.deliveredAt]),
    })
    const dropPending = (part: readonly string[], at: number): Statement => ({
      sql: `DELETE FROM alerts WHERE state = 'pending' AND id IN (${part.map((_, j) => `$${at + j + 1}`).join(', ')})`,
      params: [...part],
    })
    if (this.db.dialect === 'postgres' && alertList.length <= CHUNK && outbox.length <= CHUNK && dropped.length <= CHUNK) {
      // One statement is one round trip, and atomic on its own: no BEGIN and COMMIT around it. Its parts see one
      // snapshot, so they must not touch the same row: an alert both changed and dropped is written as the
      // sequence would leave it (still pending: deleted; opened meanwhile: kept, with its new state).
      const drop = dropped.filter((id) => (latest.get(id)?.state ?? 'pending') === 'pending')
      const dropSet = new Set(drop)
      const parts: Statement[] = []
      const keep = alertList.filter((a) => !dropSet.has(a.id))
      let at = 0
      for (const [n, make] of [
        [keep.length, (k: number) => upsertAlerts(keep, k)],
        [outbox.length, (k: number) => insertOutbox(outbox, k)],
        [drop.length, (k: number) => dropPending(drop, k)],
      ] as const) {
        if (n === 0) continue
        const st = make(at)
        parts.push(st)
        at += st.params.length
      }
      if (parts.length === 0) return
      await this.db.query(`WITH ${parts.map((p, i) => `w${i} AS (${p.sql} RETURNING 1)`).join(', ')} SELECT 1`, parts.flatMap((p) => p.params))
      return
    }
    const inChunks = async (tx: SqlClient, fresh: boolean): Promise<void> => {
      const parts: [Alert[], boolean][] = fresh ? [[alertList.filter((a) => created!.has(a.id)), false], [alertList.filter((a) => !created!.has(a.id)), true]] : [[alertList, true]]
      for (const [list, checked] of parts) {
        for (let i = 0; i < list.length; i += CHUNK) {
          const st = upsertAlerts(list.slice(i, i + CHUNK), 0, checked)
          await tx.query(st.sql, st.params)
        }
      }
      for (let i = 0; i < outbox.length; i += CHUNK) {
        const st = insertOutbox(outbox.slice(i, i + CHUNK), 0, !fresh)
        await tx.query(st.sql, st.params)
      }
      for (let i = 0; i < dropped.length; i += CHUNK) {
        const st = dropPending(dropped.slice(i, i + CHUNK), 0)
        await tx.query(st.sql, st.params)
      }
    }
    if (created) {
      // New alerts and outbox items go in without conflict checks. Should a row exist after all (a wrong hint), that
      // transaction fails whole and the commit is made again with them.
      try {
        await this.db.transaction((tx) => inChunks(tx, true))
        return
      } catch {
        // Made again below; a failure that was not a conflict fails there too, and is thrown.
      }
    }
    await this.db.transaction((tx) => inChunks(tx, false))
  }

  listSilences(tenantId: string): Promise<Silence[]> {
    return this.silences.list(tenantId)
  }
  getSilence(tenantId: string, id: string): Promise<Silence | null> {
    return this.silences.get(tenantId, id)
  }
  putSilence(s: Silence): Promise<void> {
    return this.silences.put(s)
  }
  deleteSilence(tenantId: string, id: string): Promise<boolean> {
    return this.silences.delete(tenantId, id)
  }

  listChannels(tenantId: string): Promise<NotificationChannel[]> {
    return this.channels.list(tenantId)
  }
  getChannel(tenantId: string, id: string): Promise<NotificationChannel | null> {
    return this.channels.get(tenantId, id)
  }
  putChannel(c: NotificationChannel): Promise<void> {
    return this.channels.put(c)
  }
  deleteChannel(tenantId: string, id: string): Promise<boolean> {
    return this.channels.delete(tenantId, id)
  }

  listPreferences(tenantId: string): Promise<NotificationPreference[]> {
    return this.prefs.list(tenantId)
  }
  getPreference(tenantId: string, id: string): Promise<NotificationPreference | null> {
    return this.prefs.get(tenantId, id)
  }
  putPreference(p: NotificationPreference): Promise<void> {
    return this.prefs.put(p)
  }
  deletePreference(tenantId: string, id: string): Promise<boolean> {
    return this.prefs.delete(tenantId, id)
  }

  async claimDue(now: number, leaseMs: number, limit: number): Promise<OutboxItem[]> {
    const due = `status = 'pending' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)`
    if (this.outbox.dialect === 'postgres') {
      // Concurrent workers (replicas) skip each other's rows instead of waiting on them.
      const rows = await this.outbox.query<OutboxRow>(
        `UPDATE notification_outbox SET lease_until = $2 WHERE id IN (
           SELECT id FROM notification_outbox WHERE ${due} ORDER BY created_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
         RETURNING ${OUTBOX_COLS}`,
        [now, now + leaseMs, limit],
      )
      return rows.map(outboxOf).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
    }
    return this.outbox.transaction(async (tx) => {
      const rows = await tx.query<OutboxRow>(`SELECT ${OUTBOX_COLS} FROM notification_outbox WHERE ${due} ORDER BY created_at, id LIMIT $2`, [now, limit])
      if (rows.length === 0) return []
      const ids = rows.map((r) => r.id)
      await tx.query(`UPDATE notification_outbox SET lease_until = $1 WHERE id IN (${ids.map((_, i) => `$${i + 2}`).join(', ')})`, [now + leaseMs, ...ids])
      return rows.map((r) => outboxOf({ ...r, lease_until: now + leaseMs }))
    })
  }

  async markDelivered(id: string, now: number): Promise<void> {
    await this.outbox.query(`UPDATE notification_outbox SET status = 'delivered', delivered_at = $2, lease_until = NULL, attempts = attempts + 1 WHERE id = $1`, [id, now])
  }

  async pruneDelivered(before: number): Promise<number> {
    return (await this.outbox.query(`DELETE FROM notification_outbox WHERE status = 'delivered' AND delivered_at < $1 RETURNING 1 AS n`, [before])).length
  }

  async pruneDead(before: number): Promise<number> {
    return (await this.outbox.query(`DELETE FROM notification_outbox WHERE status = 'dead' AND created_at < $1 RETURNING 1 AS n`, [before])).length
  }

  async markFailed(id: string, error: string, nextAttemptAt: number, dead: boolean, countAttempt = true): Promise<void> {
    await this.outbox.query(`UPDATE notification_outbox SET status = $2, last_error = $3, next_attempt_at = $4, lease_until = NULL, attempts = attempts + $5 WHERE id = $1`, [
      id,
      dead ? 'dead' : 'pending',
      error.slice(0, 2000),
      nextAttemptAt,
      countAttempt ? 1 : 0,
    ])
  }

  async listOutbox(tenantId: string, status: OutboxStatus, limit = 100): Promise<OutboxItem[]> {
    return (await this.db.query<OutboxRow>(`SELECT ${OUTBOX_COLS} FROM notification_outbox WHERE tenant_id = $1 AND status = $2 ORDER BY created_at DESC, id LIMIT $3`, [tenantId, status, limit])).map(outboxOf)
  }

  async getOutboxItem(tenantId: string, id: string): Promise<OutboxItem | null> {
    const [row] = await this.db.query<OutboxRow>(`SELECT ${OUTBOX_COLS} FROM notification_outbox WHERE tenant_id = $1 AND id = $2`, [tenantId, id])
    return row ? outboxOf(row) : null
  }

  async retryDead(tenantId: string, id: string, now: number): Promise<boolean> {
    const item = await this.getOutboxItem(tenantId, id)
    if (!item || item.status !== 'dead') return false
    await this.db.query(`UPDATE notification_outbox SET status = 'pending', attempts = 0, next_attempt_at = $3, lease_until = NULL WHERE tenant_id = $1 AND id = $2`, [tenantId, id, now])
    return true
  }
}
