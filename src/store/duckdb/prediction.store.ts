import { BIGINT, DOUBLE, DuckDBDataChunk, INTEGER, VARCHAR, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api'
import type { Prediction } from '../../pipeline/bus.js'
import { StoreQueryError } from '../errors.js'
import type { PredictionQuery, PredictionStore } from '../registry.ports.js'
import { SqlPredictionStore, storedDetails } from '../sql/prediction.store.js'
import { WriteGate } from './checkpointer.js'
import { DuckDbSqlClient } from './client.js'
import { CHUNK_ROWS, copyColumn, copyEpochMs, copyVarchar } from './vectors.js'

const VALUE_TYPES = [INTEGER, BIGINT, DOUBLE, VARCHAR]

/** What names a prediction series: tenant, asset, kind, source, model, version, deployment. */
function seriesKey(tenantId: string, p: Prediction): string {
  return `${tenantId}\u0000${p.assetId}\u0000${p.kind}\u0000${p.source}\u0000${p.model ?? '\u0001'}\u0000${p.version ?? ''}\u0000${p.deployment ?? '\u0001'}`
}

/**
 * Predictions in DuckDB, stored like readings: `prediction_series` names each series
 * (tenant, asset, kind, source, model, version, deployment) once, and `prediction_values`
 * holds (series, ts, value, details) rows, appended in columnar chunks (the numbers as
 * memory copies, short details such as the repeat marker inline). The `predictions` view
 * joins them back, so reads are the shared SQL ones. New series are appended in the same
 * transaction as their first values; the ids of series known to be stored are cached.
 * Details marked `detailsRepeat` are stored as a marker (the reads fill them in).
 */
export class DuckDbPredictionStore implements PredictionStore {
  private readonly reads: SqlPredictionStore
  private chain: Promise<void> = Promise.resolve()
  private readonly ids = new Map<string, number>()
  private nextId = 1
  private loaded = false
  private readonly seriesCol = new Int32Array(CHUNK_ROWS)
  private readonly tsCol = new Float64Array(CHUNK_ROWS)
  private readonly valueCol = new Float64Array(CHUNK_ROWS)
  private readonly detailsCol: (string | null)[] = new Array<string | null>(CHUNK_ROWS).fill(null)
  private readonly words = new Uint32Array(CHUNK_ROWS * 2)
  private readonly strings = new Uint8Array(CHUNK_ROWS * 16)
  private readonly validity = new BigUint64Array(CHUNK_ROWS / 64)

  constructor(
    private values: DuckDBAppender,
    private series: DuckDBAppender,
    private readonly writeConn: DuckDBConnection,
    readConn: DuckDBConnection,
    private readonly gate = new WriteGate(),
  ) {
    this.reads = new SqlPredictionStore(new DuckDbSqlClient(readConn))
  }

  append(tenantId: string, predictions: readonly Prediction[]): Promise<void> {
    if (predictions.length === 0) return Promise.resolve()
    const run = this.chain.then(() => this.write(tenantId, predictions))
    this.chain = run.catch(() => undefined)
    return run
  }

  /** The stored series' ids, read once before the first write. */
  private async load(): Promise<void> {
    if (this.loaded) return
    const reader = await this.writeConn.runAndReadAll('SELECT id, tenant_id, asset_id, kind, source, model, version, deployment FROM prediction_series')
    for (const r of reader.getRowObjectsJS()) {
      const p = { assetId: String(r.asset_id), kind: String(r.kind), source: String(r.source), ts: 0, value: 0 } as Prediction
      if (r.model !== null) p.model = String(r.model)
      if (r.version !== null) p.version = Number(r.version)
      if (r.deployment !== null) p.deployment = String(r.deployment)
      const id = Number(r.id)
      this.ids.set(seriesKey(String(r.tenant_id), p), id)
      if (id >= this.nextId) this.nextId = id + 1
    }
    this.loaded = true
  }

  private write(tenantId: string, predictions: readonly Prediction[]): Promise<void> {
    return this.gate.run(async () => {
      const added: string[] = []
      try {
        await this.load()
        await this.writeConn.run('BEGIN TRANSACTION')
        try {
          for (let off = 0; off < predictions.length; off += CHUNK_ROWS) {
            const n = Math.min(CHUNK_ROWS, predictions.length - off)
            for (let i = 0; i < n; i++) {
              const p = predictions[off + i]!
              if (!Number.isFinite(p.ts)) throw new RangeError(`prediction of ${p.assetId}: ts must be epoch ms, got ${p.ts}`)
              const key = seriesKey(tenantId, p)
              let id = this.ids.get(key)
              if (id === undefined) {
                id = this.nextId++
                this.ids.set(key, id)
                added.push(key)
                this.addSeries(id, tenantId, p)
              }
              this.seriesCol[i] = id
              this.tsCol[i] = Math.round(p.ts)
              this.valueCol[i] = p.value
              this.detailsCol[i] = storedDetails(p)
            }
            const chunk = DuckDBDataChunk.create(VALUE_TYPES, n)
            copyColumn(chunk, 0, this.seriesCol, 0, n)
            copyEpochMs(chunk, 1, this.tsCol, 0, n, this.words)
            copyColumn(chunk, 2, this.valueCol, 0, n)
            copyVarchar(chunk, 3, this.detailsCol, 0, n, this.strings, this.validity)
            this.values.appendDataChunk(chunk)
          }
          this.detailsCol.fill(null)
          // New series first: a read that sees the values sees their series.
          if (added.length > 0) this.series.flushSync()
          this.values.flushSync()
          await this.writeConn.run('COMMIT')
        } catch (err) {
          this.detailsCol.fill(null)
          for (const a of [this.values, this.series]) {
            try {
              a.closeSync()
            } catch {
              // dropped either way
            }
          }
          await this.writeConn.run('ROLLBACK').catch(() => undefined)
          this.values = await this.writeConn.createAppender('prediction_values')
          this.series = await this.writeConn.createAppender('prediction_series')
          throw err
        }
      } catch (err) {
        // The series this write added were rolled back with it.
        for (const key of added) this.ids.delete(key)
        throw new StoreQueryError('append predictions', { cause: err })
      }
    })
  }

  private addSeries(id: number, tenantId: string, p: Prediction): void {
    const a = this.series
    a.appendInteger(id)
    a.appendVarchar(tenantId)
    a.appendVarchar(p.assetId)
    a.appendVarchar(p.kind)
    a.appendVarchar(p.source)
    if (p.model === undefined) a.appendNull()
    else a.appendVarchar(p.model)
    if (p.version === undefined) a.appendNull()
    else a.appendInteger(p.version)
    if (p.deployment === undefined) a.appendNull()
    else a.appendVarchar(p.deployment)
    a.endRow()
  }

  range(tenantId: string, q: PredictionQuery): Promise<Prediction[]> {
    return this.reads.range(tenantId, q)
  }

  latest(tenantId: string, assetId: string, filter?: { kind?: string; model?: string }): Promise<Prediction[]> {
    return this.reads.latest(tenantId, assetId, filter)
  }

  at(tenantId: string, assetId: string, ts: number, filter?: { kind?: string; model?: string }): Promise<Prediction | null> {
    return this.reads.at(tenantId, assetId, ts, filter)
  }

  async close(): Promise<void> {
    await this.chain
    this.values.closeSync()
    this.series.closeSync()
  }
}
