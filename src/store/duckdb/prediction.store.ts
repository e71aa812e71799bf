import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api'
import type { Prediction } from '../../pipeline/bus.js'
import { StoreQueryError } from '../errors.js'
import type { PredictionQuery, PredictionStore } from '../registry.ports.js'
import { SqlPredictionStore, storedDetails } from '../sql/prediction.store.js'
import { WriteGate } from './checkpointer.js'
import { DuckDbSqlClient } from './client.js'

/**
 * Predictions in DuckDB: appended through the Appender in one transaction on a connection of
 * their own (parameterised multi-row INSERTs manage about 5,000 rows/s here, see
 * docs/benchmarks.md); reads are the shared SQL ones. Details marked `detailsRepeat` are
 * stored as a marker (the reads fill them in).
 */
export class DuckDbPredictionStore implements PredictionStore {
  private readonly reads: SqlPredictionStore
  private chain: Promise<void> = Promise.resolve()

  constructor(
    private appender: DuckDBAppender,
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

  private write(tenantId: string, predictions: readonly Prediction[]): Promise<void> {
    return this.gate.run(async () => {
      try {
        await this.writeConn.run('BEGIN TRANSACTION')
        try {
          const a = this.appender
          for (const p of predictions) {
            if (!Number.isFinite(p.ts)) throw new RangeError(`prediction of ${p.assetId}: ts must be epoch ms, got ${p.ts}`)
            a.appendVarchar(tenantId)
            a.appendVarchar(p.assetId)
            a.appendBigInt(BigInt(Math.round(p.ts)))
            a.appendVarchar(p.kind)
            a.appendVarchar(p.source)
            if (p.model === undefined) a.appendNull()
            else a.appendVarchar(p.model)
            if (p.version === undefined) a.appendNull()
            else a.appendInteger(p.version)
            if (p.deployment === undefined) a.appendNull()
            else a.appendVarchar(p.deployment)
            a.appendDouble(p.value)
            const details = storedDetails(p)
            if (details === null) a.appendNull()
            else a.appendVarchar(details)
            a.endRow()
          }
          a.flushSync()
          await this.writeConn.run('COMMIT')
        } catch (err) {
          try {
            this.appender.closeSync()
          } catch {
            // dropped either way
          }
          await this.writeConn.run('ROLLBACK').catch(() => undefined)
          this.appender = await this.writeConn.createAppender('predictions')
          throw err
        }
      } catch (err) {
        throw new StoreQueryError('append predictions', { cause: err })
      }
    })
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
    this.appender.closeSync()
  }
}
