import type { Prediction } from '../../pipeline/bus.js'
import type { PredictionQuery, PredictionStore } from '../registry.ports.js'
import type { SqlClient, SqlParam } from './client.js'

type Row = Record<string, unknown>

/** Rows per INSERT statement (11 parameters each). */
const ROWS_PER_STATEMENT = 400
const COLUMNS = 'tenant_id, asset_id, ts, kind, source, model, version, deployment, value, details'

/**
 * What a `details` column holds for a prediction marked `detailsRepeat`: its details are
 * those of the newest earlier row of the same asset, kind, source and model with details of
 * its own, and reads fill them in. Not JSON, so no stored details can be mistaken for it.
 */
export const DETAILS_REPEAT = '='

/** The `details` column of a prediction as stored: JSON, the repeat marker, or null. */
export function storedDetails(p: Prediction): string | null {
  if (p.details === undefined) return null
  return p.detailsRepeat === true ? DETAILS_REPEAT : JSON.stringify(p.details)
}

/** A stored row as a prediction; `repeat` when its details are to be filled in from an earlier row. */
function toPrediction(r: Row): Prediction & { repeat?: true } {
  const p: Prediction & { repeat?: true } = { assetId: String(r.asset_id), ts: Number(r.ts), source: String(r.source), kind: String(r.kind), value: Number(r.value) }
  if (r.details === DETAILS_REPEAT) p.repeat = true
  else if (r.details != null) p.details = JSON.parse(String(r.details)) as Record<string, unknown>
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
 * INSERTs in one transaction, so a batch is stored whole or not at all. Details marked
 * `detailsRepeat` are stored as DETAILS_REPEAT and every read fills them in.
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
          params.push(tenantId, p.assetId, Math.round(p.ts), p.kind, p.source, p.model ?? null, p.version ?? null, p.deployment ?? null, p.value, storedDetails(p))
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
    return this.filled(tenantId, rows.map(toPrediction).reverse())
  }

  /**
   * Fills in repeated details (`ps` oldest first): from the previous prediction of the same
   * kind, source and model in `ps`, else from the newest stored one before it with details.
   */
  private async filled(tenantId: string, ps: (Prediction & { repeat?: true })[]): Promise<Prediction[]> {
    const last = new Map<string, Record<string, unknown> | undefined>()
    for (const p of ps) {
      const key = `${p.assetId}\u0000${p.kind}\u0000${p.source}\u0000${p.model ?? ''}`
      if (p.repeat) {
        delete p.repeat
        const d = last.has(key) ? last.get(key) : await this.detailsBefore(tenantId, p)
        if (d !== undefined) p.details = d
      }
      last.set(key, p.details)
    }
    return ps
  }

  /** The details of the newest prediction like `p` (asset, kind, source, model) at or before its time that has details of its own. */
  private async detailsBefore(tenantId: string, p: Prediction): Promise<Record<string, unknown> | undefined> {
    const params: SqlParam[] = [tenantId, p.assetId, p.kind, p.source, p.model ?? '', p.ts, DETAILS_REPEAT]
    const rows = await this.sql.query(
      `SELECT details FROM predictions WHERE tenant_id = $1 AND asset_id = $2 AND kind = $3 AND source = $4 AND COALESCE(model, '') = $5 AND ts <= $6 AND details IS NOT NULL AND details <> $7 ORDER BY ts DESC LIMIT 1`,
      params,
    )
    return rows[0] ? (JSON.parse(String(rows[0].details)) as Record<string, unknown>) : undefined
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
    return this.filled(tenantId, rows.map(toPrediction))
  }

  async at(tenantId: string, assetId: string, ts: number, filter?: { kind?: string; model?: string }): Promise<Prediction | null> {
    const params: SqlParam[] = [tenantId, assetId, ts]
    const where = `tenant_id = $1 AND asset_id = $2 AND ts <= $3${filters(filter, params)}`
    // A shadow prediction never decided anything: the audit names the version that acted.
    const rows = await this.sql.query(`SELECT ${COLUMNS} FROM predictions WHERE ${where} AND (deployment IS NULL OR deployment <> 'shadow') ORDER BY ts DESC LIMIT 1`, params)
    return rows[0] ? ((await this.filled(tenantId, [toPrediction(rows[0])]))[0] ?? null) : null
  }
}
