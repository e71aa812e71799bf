/**
 * Storage ports of the model registry (issue 5): stored predictions, registered models with
 * their immutable versions and deployment history, training runs, and model artifacts.
 * SQL adapters (src/store/sql) serve DuckDB and PostgreSQL alike; the filesystem artifact
 * adapter lives in src/store/fs. Only main.ts chooses.
 */
import type { ModelKind, ModelSignature } from '../models/model.js'
import type { Prediction } from '../pipeline/bus.js'

/** A read of an asset's stored predictions. */
export interface PredictionQuery {
  assetId: string
  kind?: string
  model?: string
  /** [from, to) in epoch ms. */
  from: number
  to: number
  /** At most this many, the newest ones (returned in ascending time). */
  limit: number
}

/**
 * Every prediction the pipeline or the predict API made, with the model, version and
 * deployment behind it. Tenant-scoped: every call binds the tenant.
 */
export interface PredictionStore {
  /** Appends predictions of one tenant; resolves once committed. A failed append stores none. */
  append(tenantId: string, predictions: readonly Prediction[]): Promise<void>
  /** Predictions of an asset in [from, to), ascending by ts (the newest `limit` of them). */
  range(tenantId: string, q: PredictionQuery): Promise<Prediction[]>
  /** The newest prediction of an asset per (kind, source, model), optionally filtered. */
  latest(tenantId: string, assetId: string, filter?: { kind?: string; model?: string }): Promise<Prediction[]>
  /** The newest prediction of an asset at or before `ts` (audit: what scored the asset then). */
  at(tenantId: string, assetId: string, ts: number, filter?: { kind?: string; model?: string }): Promise<Prediction | null>
}

/** Built-in JSON (the model catalogue), or an external runtime. */
export type Flavour = 'builtin' | 'onnx' | 'tfjs' | 'xgboost'
export const FLAVOURS: readonly Flavour[] = ['builtin', 'onnx', 'tfjs', 'xgboost']

/** A metric threshold a version must pass to be promoted to production. */
export interface Gate {
  metric: string
  op: '>=' | '>' | '<=' | '<'
  value: number
}

export interface ModelRecord {
  name: string
  kind: ModelKind
  description: string
  gates: Gate[]
  createdBy: string
  createdAt: number
}

/** Binned reference distribution of one feature (or of the predictions). */
export interface ReferenceHistogram {
  /** Inner bin edges, ascending and distinct: bin i holds edges[i-1] < x ≤ edges[i] (first: x ≤ edges[0], last: x > edges[last]). */
  edges: number[]
  /** Share of the reference sample in each bin (edges.length + 1 bins, summing to 1). */
  shares: number[]
  /** Reference sample size (for the two-sample KS critical value). */
  count: number
}

/** What drift is measured against: per-feature histograms and the prediction distribution. */
export interface ReferenceStats {
  features: Record<string, ReferenceHistogram>
  prediction: ReferenceHistogram | null
}

/** One immutable version of a model. */
export interface VersionRecord {
  model: string
  version: number
  flavour: Flavour
  /** ArtifactStore key. */
  artifactKey: string
  artifactSha256: string
  artifactBytes: number
  signature: ModelSignature
  params: Record<string, unknown>
  metrics: Record<string, number>
  /** Fingerprint (SHA-256) of the training data, or null when unknown (imported models). */
  trainingFingerprint: string | null
  reference: ReferenceStats | null
  runId: string | null
  createdBy: string
  createdAt: number
}

/** Which version serves which assets. */
export interface DeploymentSpec {
  production: number | null
  staging: number | null
  archived: number[]
  /** `percent` of assets (by a stable hash of the asset id) go to `version` instead of production. */
  canary: { version: number; percent: number } | null
  /** Every asset is assigned to one variant by a stable hash, in proportion to the weights. Replaces production routing while set. */
  ab: { variants: { name: string; version: number; weight: number }[] } | null
  /** Scored and recorded, never acted on. */
  shadow: number[]
}

export type DeploymentAction = 'promote' | 'stage' | 'archive' | 'canary' | 'ab' | 'shadow' | 'rollback' | 'clear'

/** One entry of a model's deployment history: the whole state after a change, and who made it, when and why. */
export interface DeploymentRecord {
  model: string
  /** 1, 2, 3 … per model; the highest is in force. */
  id: number
  spec: DeploymentSpec
  action: DeploymentAction
  actor: string
  reason: string
  /** For a rollback: the deployment it restored. */
  restoredFrom: number | null
  createdAt: number
}

export interface RunRecord {
  id: string
  model: string
  status: 'running' | 'succeeded' | 'failed'
  spec: Record<string, unknown>
  params: Record<string, unknown>
  metrics: Record<string, number>
  /** Artifact keys by name (model, log …). */
  artifacts: Record<string, string>
  logs: string
  version: number | null
  createdBy: string
  startedAt: number
  finishedAt: number | null
}

export interface DriftEventRecord {
  model: string
  version: number
  ts: number
  report: Record<string, unknown>
}

/** Registered models, versions, deployments, runs and drift events; tenant-scoped. */
export interface RegistryStore {
  createModel(tenantId: string, m: ModelRecord): Promise<ModelRecord>
  getModel(tenantId: string, name: string): Promise<ModelRecord | null>
  listModels(tenantId: string): Promise<ModelRecord[]>
  updateModel(tenantId: string, name: string, patch: { description?: string; gates?: Gate[] }): Promise<ModelRecord | null>
  /** Adds the next version of an existing model (numbered max + 1, atomically). */
  addVersion(tenantId: string, v: Omit<VersionRecord, 'version'>): Promise<VersionRecord>
  getVersion(tenantId: string, model: string, version: number): Promise<VersionRecord | null>
  listVersions(tenantId: string, model: string): Promise<VersionRecord[]>
  /**
   * Appends a deployment record numbered max + 1. With `expectedId`, refuses (MetaConflictError)
   * unless the current head is that id: concurrent changes cannot overwrite each other.
   */
  appendDeployment(tenantId: string, d: Omit<DeploymentRecord, 'id'>, expectedId?: number): Promise<DeploymentRecord>
  currentDeployment(tenantId: string, model: string): Promise<DeploymentRecord | null>
  getDeployment(tenantId: string, model: string, id: number): Promise<DeploymentRecord | null>
  /** Oldest first. */
  listDeployments(tenantId: string, model: string): Promise<DeploymentRecord[]>
  /** The head deployment id of every model of every tenant: what a serving instance polls. */
  deploymentHeads(): Promise<{ tenantId: string; model: string; id: number }[]>
  saveRun(tenantId: string, run: RunRecord): Promise<void>
  getRun(tenantId: string, id: string): Promise<RunRecord | null>
  listRuns(tenantId: string, filter?: { model?: string }): Promise<RunRecord[]>
  addDriftEvent(tenantId: string, e: DriftEventRecord): Promise<void>
  listDriftEvents(tenantId: string, model: string, limit: number): Promise<DriftEventRecord[]>
}

/**
 * Where artifacts' bytes live: a directory (the data directory, or a shared volume for the
 * scale-out setup) or an object store. Keys are relative paths such as
 * `default/pump-anomaly/3f2a….onnx`.
 */
export interface ArtifactStore {
  /** Writes atomically: a reader sees the whole artifact or nothing. */
  put(key: string, bytes: Uint8Array): Promise<void>
  /**
   * Reads an artifact and checks it against the SHA-256 recorded at registration: bytes that
   * differ throw ArtifactCorruptError (ARTIFACT_CORRUPT), a missing key ArtifactNotFoundError,
   * an unreachable store ArtifactStoreUnavailableError.
   */
  get(key: string, sha256: string): Promise<Uint8Array>
  /** Removes an artifact; removing a missing one is not an error. */
  delete(key: string): Promise<void>
  /** Whether a key holds an artifact; throws ArtifactStoreUnavailableError when the store cannot tell. */
  exists(key: string): Promise<boolean>
  /** Where a key lives, for people (a path or a URL, never with credentials). */
  describe(key: string): string
  /** Releases connections (object storage); a directory holds none. */
  close?(): void
}
