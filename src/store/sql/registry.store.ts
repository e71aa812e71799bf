import type { ModelKind } from '../../models/model.js'
import { MetaConflictError, StoreQueryError } from '../errors.js'
import type { DeploymentRecord, DriftEventRecord, Gate, ModelRecord, RegistryStore, RunRecord, VersionRecord } from '../registry.ports.js'
import type { SqlClient } from './client.js'

type Row = Record<string, unknown>

/** True when the driver error is a uniqueness violation (both engines word it this way). */
function isUniqueViolation(err: unknown): boolean {
  const cause = (err as StoreQueryError).cause
  const text = String(cause instanceof Error ? cause.message : err)
  return /duplicate key|unique constraint|violates primary key|PRIMARY KEY or UNIQUE constraint|Duplicate key/i.test(text)
}

/** Concurrent writers may take the same next number; the loser retries a few times. */
const NUMBERING_ATTEMPTS = 5

const json = (v: unknown): string => JSON.stringify(v)
const parse = <T>(v: unknown): T => JSON.parse(String(v)) as T

const toModel = (r: Row): ModelRecord => ({
  name: String(r.name),
  kind: String(r.kind) as ModelKind,
  description: String(r.description),
  gates: parse<Gate[]>(r.gates),
  createdBy: String(r.created_by),
  createdAt: Number(r.created_at),
})

const toVersion = (r: Row): VersionRecord => ({
  model: String(r.model),
  version: Number(r.version),
  flavour: String(r.flavour) as VersionRecord['flavour'],
  artifactKey: String(r.artifact_key),
  artifactSha256: String(r.artifact_sha256),
  artifactBytes: Number(r.artifact_bytes),
  signature: parse(r.signature),
  params: parse(r.params),
  metrics: parse(r.metrics),
  trainingFingerprint: r.training_fingerprint == null ? null : String(r.training_fingerprint),
  reference: r.reference == null ? null : parse(r.reference),
  runId: r.run_id == null ? null : String(r.run_id),
  createdBy: String(r.created_by),
  createdAt: Number(r.created_at),
})

const toDeployment = (r: Row): DeploymentRecord => ({
  model: String(r.model),
  id: Number(r.id),
  spec: parse(r.spec),
  action: String(r.action) as DeploymentRecord['action'],
  actor: String(r.actor),
  reason: String(r.reason),
  restoredFrom: r.restored_from == null ? null : Number(r.restored_from),
  createdAt: Number(r.created_at),
})

const toRun = (r: Row): RunRecord => ({
  id: String(r.id),
  model: String(r.model),
  status: String(r.status) as RunRecord['status'],
  spec: parse(r.spec),
  params: parse(r.params),
  metrics: parse(r.metrics),
  artifacts: parse(r.artifacts),
  logs: String(r.logs),
  version: r.version == null ? null : Number(r.version),
  createdBy: String(r.created_by),
  startedAt: Number(r.started_at),
  finishedAt: r.finished_at == null ? null : Number(r.finished_at),
})

/**
 * The registry over the shared SQL surface. Every statement binds the tenant. Version and
 * deployment numbers are max + 1 inside a transaction; the primary key makes a concurrent
 * writer that took the same number fail, and it retries.
 */
export class SqlRegistryStore implements RegistryStore {
  constructor(private readonly sql: SqlClient) {}

  async createModel(tenantId: string, m: ModelRecord): Promise<ModelRecord> {
    try {
      await this.sql.query('INSERT INTO models (tenant_id, name, kind, description, gates, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [tenantId, m.name, m.kind, m.description, json(m.gates), m.createdBy, m.createdAt])
    } catch (err) {
      if (err instanceof StoreQueryError && isUniqueViolation(err)) throw new MetaConflictError(`model '${m.name}' already exists`, { cause: err })
      throw err
    }
    return m
  }

  async getModel(tenantId: string, name: string): Promise<ModelRecord | null> {
    const [r] = await this.sql.query('SELECT * FROM models WHERE tenant_id = $1 AND name = $2', [tenantId, name])
    return r ? toModel(r) : null
  }

  async listModels(tenantId: string): Promise<ModelRecord[]> {
    return (await this.sql.query('SELECT * FROM models WHERE tenant_id = $1 ORDER BY name', [tenantId])).map(toModel)
  }

  async updateModel(tenantId: string, name: string, patch: { description?: string; gates?: Gate[] }): Promise<ModelRecord | null> {
    const cur = await this.getModel(tenantId, name)
    if (!cur) return null
    const next = { ...cur, ...(patch.description !== undefined ? { description: patch.description } : {}), ...(patch.gates !== undefined ? { gates: patch.gates } : {}) }
    await this.sql.query('UPDATE models SET description = $3, gates = $4 WHERE tenant_id = $1 AND name = $2', [tenantId, name, next.description, json(next.gates)])
    return next
  }

  private async numbered<T>(what: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn()
      } catch (err) {
        if (!(err instanceof StoreQueryError && isUniqueViolation(err))) throw err
        if (attempt >= NUMBERING_ATTEMPTS) throw new MetaConflictError(`${what}: too many concurrent writers, try again`, { cause: err })
      }
    }
  }

  addVersion(tenantId: string, v: Omit<VersionRecord, 'version'>): Promise<VersionRecord> {
    return this.numbered(`version of model '${v.model}'`, () =>
      this.sql.transaction(async (tx) => {
        const [row] = await tx.query<{ n: number | null }>('SELECT MAX(version) AS n FROM model_versions WHERE tenant_id = $1 AND model = $2', [tenantId, v.model])
        const version = Number(row?.n ?? 0) + 1
        await tx.query(
          `INSERT INTO model_versions (tenant_id, model, version, flavour, artifact_key, artifact_sha256, artifact_bytes, signature, params, metrics, training_fingerprint, reference, run_id, created_by, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
          [tenantId, v.model, version, v.flavour, v.artifactKey, v.artifactSha256, v.artifactBytes, json(v.signature), json(v.params), json(v.metrics), v.trainingFingerprint, v.reference === null ? null : json(v.reference), v.runId, v.createdBy, v.createdAt],
        )
        return { ...v, version }
      }),
    )
  }

  async getVersion(tenantId: string, model: string, version: number): Promise<VersionRecord | null> {
    const [r] = await this.sql.query('SELECT * FROM model_versions WHERE tenant_id = $1 AND model = $2 AND version = $3', [tenantId, model, version])
    return r ? toVersion(r) : null
  }

  async listVersions(tenantId: string, model: string): Promise<VersionRecord[]> {
    return (await this.sql.query('SELECT * FROM model_versions WHERE tenant_id = $1 AND model = $2 ORDER BY version', [tenantId, model])).map(toVersion)
  }

  appendDeployment(tenantId: string, d: Omit<DeploymentRecord, 'id'>, expectedId?: number): Promise<DeploymentRecord> {
    return this.numbered(`deployment of model '${d.model}'`, () =>
      this.sql.transaction(async (tx) => {
        const [row] = await tx.query<{ n: number | null }>('SELECT MAX(id) AS n FROM model_deployments WHERE tenant_id = $1 AND model = $2', [tenantId, d.model])
        const head = Number(row?.n ?? 0)
        if (expectedId !== undefined && head !== expectedId) throw new MetaConflictError(`the deployment of model '${d.model}' changed meanwhile (now #${head}, expected #${expectedId}); reload and retry`)
        const id = head + 1
        await tx.query('INSERT INTO model_deployments (tenant_id, model, id, spec, action, actor, reason, restored_from, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
          tenantId,
          d.model,
          id,
          json(d.spec),
          d.action,
          d.actor,
          d.reason,
          d.restoredFrom,
          d.createdAt,
        ])
        return { ...d, id }
      }),
    )
  }

  async currentDeployment(tenantId: string, model: string): Promise<DeploymentRecord | null> {
    const [r] = await this.sql.query('SELECT * FROM model_deployments WHERE tenant_id = $1 AND model = $2 ORDER BY id DESC LIMIT 1', [tenantId, model])
    return r ? toDeployment(r) : null
  }

  async getDeployment(tenantId: string, model: string, id: number): Promise<DeploymentRecord | null> {
    const [r] = await this.sql.query('SELECT * FROM model_deployments WHERE tenant_id = $1 AND model = $2 AND id = $3', [tenantId, model, id])
    return r ? toDeployment(r) : null
  }

  async listDeployments(tenantId: string, model: string): Promise<DeploymentRecord[]> {
    return (await this.sql.query('SELECT * FROM model_deployments WHERE tenant_id = $1 AND model = $2 ORDER BY id', [tenantId, model])).map(toDeployment)
  }

  async deploymentHeads(): Promise<{ tenantId: string; model: string; id: number }[]> {
    const rows = await this.sql.query<{ tenant_id: string; model: string; id: number }>('SELECT tenant_id, model, MAX(id) AS id FROM model_deployments GROUP BY tenant_id, model ORDER BY tenant_id, model')
    return rows.map((r) => ({ tenantId: String(r.tenant_id), model: String(r.model), id: Number(r.id) }))
  }

  async saveRun(tenantId: string, run: RunRecord): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query('DELETE FROM training_runs WHERE tenant_id = $1 AND id = $2', [tenantId, run.id])
      await tx.query(
        'INSERT INTO training_runs (tenant_id, id, model, status, spec, params, metrics, artifacts, logs, version, created_by, started_at, finished_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)',
        [tenantId, run.id, run.model, run.status, json(run.spec), json(run.params), json(run.metrics), json(run.artifacts), run.logs, run.version, run.createdBy, run.startedAt, run.finishedAt],
      )
    })
  }

  async getRun(tenantId: string, id: string): Promise<RunRecord | null> {
    const [r] = await this.sql.query('SELECT * FROM training_runs WHERE tenant_id = $1 AND id = $2', [tenantId, id])
    return r ? toRun(r) : null
  }

  async listRuns(tenantId: string, filter?: { model?: string }): Promise<RunRecord[]> {
    const rows = filter?.model
      ? await this.sql.query('SELECT * FROM training_runs WHERE tenant_id = $1 AND model = $2 ORDER BY started_at DESC, id', [tenantId, filter.model])
      : await this.sql.query('SELECT * FROM training_runs WHERE tenant_id = $1 ORDER BY started_at DESC, id', [tenantId])
    return rows.map(toRun)
  }

  async addDriftEvent(tenantId: string, e: DriftEventRecord): Promise<void> {
    await this.sql.query('INSERT INTO model_drift_events (tenant_id, model, version, ts, report) VALUES ($1, $2, $3, $4, $5)', [tenantId, e.model, e.version, e.ts, json(e.report)])
  }

  async listDriftEvents(tenantId: string, model: string, limit: number): Promise<DriftEventRecord[]> {
    const rows = await this.sql.query('SELECT * FROM model_drift_events WHERE tenant_id = $1 AND model = $2 ORDER BY ts DESC LIMIT $3', [tenantId, model, limit])
    return rows.map((r) => ({ model: String(r.model), version: Number(r.version), ts: Number(r.ts), report: parse(r.report) }))
  }
}
