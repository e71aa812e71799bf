import type { DetectorStateRecord, DetectorStateStore, DetectorStateSummary } from '../ports.js'
import type { Migration, SqlClient, SqlParam } from './client.js'

/**
 * Migration 13 (both stores): one row per (tenant, asset, detector) holding the detector's
 * serialised state (JSON text, as `Model.toJSON` gives it) and a small JSON summary of its
 * latest output, so the API lists a tenant's latest scores without reading whole states.
 */
export const DETECTOR_STATE_MIGRATION: Migration = {
  version: 13,
  name: 'detector state',
  sql: `
CREATE TABLE detector_state (
  tenant_id VARCHAR NOT NULL, asset_id VARCHAR NOT NULL, detector VARCHAR NOT NULL,
  ts BIGINT NOT NULL, state VARCHAR NOT NULL, summary VARCHAR NOT NULL, updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, asset_id, detector))`,
}

/** Rows per INSERT statement: keeps statements short and parameter lists small. */
const ROWS_PER_STATEMENT = 100

interface Row {
  tenant_id: string
  asset_id: string
  detector: string
  ts: number
  state?: string
  summary: string
  updated_at: number
}

const summaryOf = (r: Row): DetectorStateSummary => ({ tenantId: r.tenant_id, assetId: r.asset_id, detector: r.detector, ts: Number(r.ts), summary: r.summary, updatedAt: Number(r.updated_at) })

/**
 * DetectorStateStore over the shared SQL subset: DuckDB and PostgreSQL both run it (each on
 * its own SqlClient, opened by its adapter). A save is one transaction of upserts, so a
 * checkpoint is stored whole or not at all.
 */
export class SqlDetectorStateStore implements DetectorStateStore {
  constructor(private readonly sql: SqlClient) {}

  async save(records: readonly DetectorStateRecord[]): Promise<void> {
    if (records.length === 0) return
    // One row per key (the last wins): a statement may not upsert the same key twice.
    const byKey = new Map<string, DetectorStateRecord>()
    for (const r of records) byKey.set(`${r.tenantId}\u0000${r.assetId}\u0000${r.detector}`, r)
    const rows = [...byKey.values()]
    await this.sql.transaction(async (tx) => {
      for (let off = 0; off < rows.length; off += ROWS_PER_STATEMENT) {
        const chunk = rows.slice(off, off + ROWS_PER_STATEMENT)
        const params: SqlParam[] = []
        const values = chunk.map((r, i) => {
          params.push(r.tenantId, r.assetId, r.detector, r.ts, r.state, r.summary, r.updatedAt)
          const b = i * 7
          return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7})`
        })
        await tx.query(
          `INSERT INTO detector_state (tenant_id, asset_id, detector, ts, state, summary, updated_at) VALUES ${values.join(', ')}
           ON CONFLICT (tenant_id, asset_id, detector) DO UPDATE SET ts = excluded.ts, state = excluded.state, summary = excluded.summary, updated_at = excluded.updated_at`,
          params,
        )
      }
    })
  }

  async load(tenantId: string, assetId: string, detector: string): Promise<DetectorStateRecord | null> {
    const [r] = await this.sql.query<Row>('SELECT * FROM detector_state WHERE tenant_id = $1 AND asset_id = $2 AND detector = $3', [tenantId, assetId, detector])
    return r ? { ...summaryOf(r), state: r.state ?? '' } : null
  }

  async summaries(tenantId: string, detector: string): Promise<DetectorStateSummary[]> {
    const rows = await this.sql.query<Row>('SELECT tenant_id, asset_id, detector, ts, summary, updated_at FROM detector_state WHERE tenant_id = $1 AND detector = $2 ORDER BY asset_id', [tenantId, detector])
    return rows.map(summaryOf)
  }

  async delete(tenantId: string, assetId?: string): Promise<number> {
    const rows =
      assetId === undefined
        ? await this.sql.query<{ n: number }>('DELETE FROM detector_state WHERE tenant_id = $1 RETURNING 1 AS n', [tenantId])
        : await this.sql.query<{ n: number }>('DELETE FROM detector_state WHERE tenant_id = $1 AND asset_id = $2 RETURNING 1 AS n', [tenantId, assetId])
    return rows.length
  }
}
