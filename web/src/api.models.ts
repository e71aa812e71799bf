/**
 * Typed client for the model registry (/v1/models, /v1/runs): see README "Model registry" and
 * src/api/models.routes.ts. Session handling is api.ts's.
 *
 * Request bodies come from the server's OpenAPI document (api.types.ts). The answers are written
 * out here: the model routes declare no response schemas yet, so the document says nothing about them.
 */
import { queryString, request } from './api'
import type { RequestBody } from './api.types'
import type { Prediction } from './ops'

export type { Prediction } from './ops'

export interface Gate {
  metric: string
  op: '>=' | '>' | '<=' | '<'
  value: number
}

export interface DeploymentSpec {
  production: number | null
  staging: number | null
  archived: number[]
  canary: { version: number; percent: number } | null
  ab: { variants: { name: string; version: number; weight: number }[] } | null
  shadow: number[]
}

export interface DeploymentRecord {
  model: string
  id: number
  spec: DeploymentSpec
  action: string
  actor: string
  reason: string
  restoredFrom: number | null
  createdAt: number
}

export interface ModelSummary {
  name: string
  kind: string
  description: string
  gates: Gate[]
  createdBy: string
  createdAt: number
  deployment: DeploymentSpec | null
  versions: number
}

export interface VersionView {
  model: string
  version: number
  flavour: string
  artifactBytes: number
  signature: { inputs: { name: string }[]; outputs: { name: string }[] }
  params: Record<string, unknown>
  metrics: Record<string, number>
  trainingFingerprint: string | null
  hasReference: boolean
  runId: string | null
  createdBy: string
  createdAt: number
}

export interface ModelDetail extends Omit<ModelSummary, 'deployment' | 'versions'> {
  versions: VersionView[]
  deployment: DeploymentRecord | null
}

export interface FeatureDrift {
  psi: number
  ks: number
  ksCritical: number
  drifting: boolean
}

export interface DriftReport {
  observed: number
  windows: number
  windowSize: number
  features: Record<string, FeatureDrift>
  prediction: FeatureDrift | null
  drifting: boolean
  consecutive: number
  drifted: string[]
}

export interface ModelDrift {
  model: string
  versions: { version: number; report: DriftReport | null; observed: number; hasReference: boolean }[]
  events: { model: string; version: number; ts: number; report: Partial<DriftReport> }[]
}

export interface Run {
  id: string
  model: string
  status: 'running' | 'succeeded' | 'failed'
  params: Record<string, unknown>
  metrics: Record<string, number>
  version: number | null
  createdBy: string
  startedAt: number
  finishedAt: number | null
}

export interface RunComparison {
  runs: { id: string; model: string; status: string; version: number | null; startedAt: number; durationMs: number | null }[]
  params: { name: string; values: unknown[] }[]
  metrics: { name: string; values: (number | null)[] }[]
}


const m = (name: string): string => `/v1/models/${encodeURIComponent(name)}`

export const listModels = (): Promise<{ items: ModelSummary[] }> => request('GET', '/v1/models')
export const getModel = (name: string): Promise<ModelDetail> => request('GET', m(name))
export const getHistory = (name: string): Promise<{ items: DeploymentRecord[] }> => request('GET', `${m(name)}/history`)
export const getDrift = (name: string): Promise<ModelDrift> => request('GET', `${m(name)}/drift`)
export const listRuns = (model?: string): Promise<{ items: Run[] }> => request('GET', `/v1/runs${queryString({ model })}`)
export const compareRuns = (ids: readonly string[]): Promise<RunComparison> => request('GET', `/v1/runs/compare${queryString({ ids: ids.join(',') })}`)

export const promote = (name: string, body: RequestBody<'/v1/models/{name}/promote', 'post'>): Promise<DeploymentRecord> =>
  request('POST', `${m(name)}/promote`, body)
export const rollback = (name: string, body: RequestBody<'/v1/models/{name}/rollback', 'post'>): Promise<DeploymentRecord> => request('POST', `${m(name)}/rollback`, body)
export const setCanary = (name: string, body: RequestBody<'/v1/models/{name}/canary', 'post'>): Promise<DeploymentRecord> =>
  request('POST', `${m(name)}/canary`, body)
export const setAb = (name: string, body: RequestBody<'/v1/models/{name}/ab', 'post'>): Promise<DeploymentRecord> =>
  request('POST', `${m(name)}/ab`, body)
export const setShadow = (name: string, body: RequestBody<'/v1/models/{name}/shadow', 'post'>): Promise<DeploymentRecord> => request('POST', `${m(name)}/shadow`, body)

/** Stored predictions of an asset (each names the model, version and deployment that made it). */
export const assetPredictions = (assetId: string, q: { from: number; to: number; kind?: string; limit?: number }): Promise<{ items: Prediction[] }> =>
  request('GET', `/v1/assets/${encodeURIComponent(assetId)}/predictions${queryString(q)}`)
