/**
 * Typed client for the model registry (/v1/models, /v1/runs): see README "Model registry" and
 * src/api/models.routes.ts. Session handling is api.ts's.
 *
 * Request bodies and answers come from the server's OpenAPI document (api.types.ts), generated
 * from the route schemas (src/api/models.schemas.ts).
 */
import { queryString, request } from './api'
import type { Answer, Item, RequestBody } from './api.types'

export type { Prediction } from './ops'

export type ModelSummary = Item<'/v1/models'>
export type Gate = ModelSummary['gates'][number]
export type DeploymentSpec = NonNullable<ModelSummary['deployment']>
export type DeploymentRecord = Item<'/v1/models/{name}/history'>
export type ModelDetail = Answer<'/v1/models/{name}'>
export type VersionView = ModelDetail['versions'][number]
export type ModelDrift = Answer<'/v1/models/{name}/drift'>
export type DriftReport = NonNullable<ModelDrift['versions'][number]['report']>
export type FeatureDrift = DriftReport['features'][string]
export type Run = Item<'/v1/runs'>
export type RunComparison = Answer<'/v1/runs/compare'>

const m = (name: string): string => `/v1/models/${encodeURIComponent(name)}`

export const listModels = (): Promise<Answer<'/v1/models'>> => request('GET', '/v1/models')
export const getModel = (name: string): Promise<ModelDetail> => request('GET', m(name))
export const getHistory = (name: string): Promise<Answer<'/v1/models/{name}/history'>> => request('GET', `${m(name)}/history`)
export const getDrift = (name: string): Promise<ModelDrift> => request('GET', `${m(name)}/drift`)
export const listRuns = (model?: string): Promise<Answer<'/v1/runs'>> => request('GET', `/v1/runs${queryString({ model })}`)
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
export const assetPredictions = (assetId: string, q: { from: number; to: number; kind?: string; limit?: number }): Promise<Answer<'/v1/assets/{id}/predictions'>> =>
  request('GET', `/v1/assets/${encodeURIComponent(assetId)}/predictions${queryString(q)}`)
