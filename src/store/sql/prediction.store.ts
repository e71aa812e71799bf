import type { Prediction } from '../../pipeline/bus.js'
import type { PredictionQuery, PredictionStore } from '../registry.ports.js'
import type { SqlClient, SqlParam } from './client.js'

type Row = Record<string, unknown>

/** Rows per INSERT statement (11 parameters each). */
const ROWS_PER_STATEMENT = 400
const COLUMNS = 'tenant_id, asset_id, ts, kind, source, model, version, deployment, value, details'

function toPrediction(r: Row): Prediction {
  const p: Prediction = { assetId: String(r.asset_id), ts: Number(r.ts), source: String(r.source), kind: String(r.kind), value: Number(r.value) }
  if (r.details != null) p.details = JSON.parse(String(r.details)) as Record<string, unknown>
  if (r.model != null) p.model = String(r.model)
  if (r.version != null) p.version = Number(r.version)
  if (r.deployment != null) p.deployment = String(r.deployment)
  return p
}

function filters(filter: { kind?: string; model?: string } | undefined, params: SqlParam[]): string {
  let sql = ''
  if (filter?.kind !== undefined) {
    params.push(filter.kind)
    sql += ` AND kind = $${params.length}`
  }
  if (filter?.model !== undefined) {
    params.push(filter.model)
    sql += ` AND model = $${params.length}`
  }
  return sql
}

/**
 * Predictions over the shared SQL surface (DuckDB and PostgreSQL). Appends are multi-row
 * INSERTs in one transaction, so a batch is stored whole or not at all.
 */
export class SqlPredictionStore implements PredictionStore {
  constructor(private readonly sql: SqlClient) {}

  async append(tenantId: string, predictions: readonly Prediction[]): Promise<void> {
    if (predictions.length === 0) return
    await this.sql.transaction(async (tx) => {
      for (let off = 0; off < predictions.length; off += ROWS_PER_STATEMENT) {
        const chunk = predictions.slice(off, off + ROWS_PER_STATEMENT)
        const params: SqlParam[] = []
        const tuples = chunk.map((p) => {
          const base = params.length
          params.push(tenantId, p.assetId, Math.round(p.ts), p.kind, p.source, p.model ?? null, p.version ?? null, p.deployment ?? null, p.value, p.details === undefined ? null : JSON.stringify(p.details))
          return `(${Array.from({ length: 10 }, (_, i) => `$${base + i + 1}`).join(', ')})`
        })
        await tx.query(`INSERT INTO predictions (${COLUMNS}) VALUES ${tuples.join(', ')}`, params)
      }
    })
  }

  async range(tenantId: string, q: PredictionQuery): Promise<Prediction[]> {
    const params: SqlParam[] = [tenantId, q.assetId, q.from, q.to]
    const where = `tenant_id = $1 AND asset_id = $2 AND ts >= $3 AND ts < $4${filters(q, params)}`
    params.push(q.limit)
    const rows = await this.sql.query(`SELECT ${COLUMNS} FROM predictions WHERE ${where} ORDER BY ts DESC, kind, source LIMIT $${params.length}`, params)
    return rows.map(toPrediction).reverse()
  }

  async latest(tenantId: string, assetId: string, filter?: { kind?: string; model?: string }): Promise<Prediction[]> {
    const params: SqlParam[] = [tenantId, assetId]
    const where = `tenant_id = $1 AND asset_id = $2${filters(filter, params)}`
    const rows = await this.sql.query(
      `SELECT ${COLUMNS} FROM (
         SELECT ${COLUMNS}, ROW_NUMBER() OVER (PARTITION BY kind, source, COALESCE(model, '') ORDER BY ts DESC) AS rn FROM predictions WHERE ${where}
       ) ranked WHERE rn = 1 ORDER BY kind, source, model`,
      params,
    )
    return rows.map(toPrediction)
  }

  async at(tenantId: string, assetId: string, ts: number, filter?: { kind?: string; model?: string }): Promise<Prediction | null> {
    const params: SqlParam[] = [tenantId, assetId, ts]
    const where = `tenant_id = $1 AND asset_id = $2 AND ts <= $3${filters(filter, params)}`
    // A shadow prediction never decided anything: the audit names the version that acted.
    const rows = await this.sql.query(`SELECT ${COLUMNS} FROM predictions WHERE ${where} AND (deployment IS NULL OR deployment <> 'shadow') ORDER BY ts DESC LIMIT 1`, params)
    return rows[0] ? toPrediction(rows[0]) : null
  }
}
