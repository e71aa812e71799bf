/**
 * Typed client for the Prognos REST API. The only module of the dashboard that talks to the server:
 * it holds the session (tokens in sessionStorage), refreshes the access token shortly before it
 * expires or after a 401, and retries the request once.
 */

import type { Answer, Item, QueryOf, RequestBody } from './api.types'

// The shapes below come from the server's OpenAPI document (api.schema.ts, `npm run api-types`).
export type User = Answer<'/v1/auth/login', 'post'>['user']
export type Site = Item<'/v1/sites'>
export type Asset = Item<'/v1/assets'>
export type AssetDetail = Answer<'/v1/assets/{id}'>
export type Channel = AssetDetail['channels'][number]
export type AssetLatest = Answer<'/v1/assets/{id}/latest'>
export type LatestValue = AssetLatest['values'][string]
export type FleetItem = Item<'/v1/fleet/latest'>
export type FleetValue = FleetItem['values'][string]
export type AssetQuery = QueryOf<'/v1/assets'>

/** What the readings route declares: one series type with optional fields, `mode` saying which are set. */
type SeriesAnswer = Answer<'/v1/assets/{id}/readings'>['series'][number]
type SeriesCommon = Pick<SeriesAnswer, 'channel' | 'unit' | 'ts'>
/** The same series narrowed by `mode` (the route sets `value` for raw points, the bucket fields otherwise). */
export type RawSeries = SeriesCommon & { mode: 'raw'; value: number[] }
export type BucketedSeries = SeriesCommon & Required<Pick<SeriesAnswer, 'bucketMs' | 'min' | 'avg' | 'max' | 'count'>> & { mode: 'bucketed' }
export type Series = RawSeries | BucketedSeries
export type Readings = Omit<Answer<'/v1/assets/{id}/readings'>, 'series'> & { series: Series[] }

export interface ReadingsQuery {
  channels: string[]
  from: number
  to: number
  maxPoints: number
}

/** An error answered by the server (`{code, message, details}`), or `NETWORK_ERROR` when it could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

type TokenResponse = Answer<'/v1/auth/login', 'post'>

interface Session {
  accessToken: string
  refreshToken: string
  /** When to refresh the access token: shortly before it expires. */
  refreshAt: number
  user: User
}

const SESSION_KEY = 'prognos.session'
/** Refresh this long before the access token expires (at most a quarter of its lifetime), so polling never sends an expired token. */
const REFRESH_MARGIN_MS = 30_000

let session: Session | null = readSession()
let refreshing: Promise<Session> | null = null
const sessionEndListeners = new Set<() => void>()

function readSession(): Session | null {
  const raw = sessionStorage.getItem(SESSION_KEY)
  return raw === null ? null : (JSON.parse(raw) as Session)
}

function startSession(tokens: TokenResponse): Session {
  const lifetimeMs = tokens.expiresInSec * 1000
  session = {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    refreshAt: Date.now() + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 4),
    user: tokens.user,
  }
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session))
  return session
}

function endSession(): void {
  session = null
  sessionStorage.removeItem(SESSION_KEY)
  for (const listener of sessionEndListeners) listener()
}

async function send(method: string, path: string, body?: unknown, accessToken?: string): Promise<Response> {
  const headers: Record<string, string> = {}
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (accessToken !== undefined) headers.Authorization = `Bearer ${accessToken}`
  try {
    return await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  } catch (cause) {
    throw new ApiError(0, 'NETWORK_ERROR', 'Cannot reach the Prognos server', cause)
  }
}

async function parse<T>(res: Response): Promise<T> {
  if (res.ok) return (res.status === 204 ? undefined : await res.json()) as T
  const body = (await res.json().catch(() => null)) as { code?: string; message?: string; details?: unknown } | null
  throw new ApiError(res.status, body?.code ?? `HTTP_${res.status}`, body?.message ?? res.statusText, body?.details)
}

function refresh(): Promise<Session> {
  refreshing ??= (async () => {
    const current = session
    if (current === null) throw new ApiError(401, 'AUTH_REQUIRED', 'Not signed in')
    const res = await send('POST', '/v1/auth/refresh', { refreshToken: current.refreshToken })
    try {
      return startSession(await parse<TokenResponse>(res))
    } catch (err) {
      // The server refused the refresh token: sign in again. A 5xx (e.g. a restart) keeps the session for the next try.
      if (err instanceof ApiError && err.status < 500) endSession()
      throw err
    }
  })().finally(() => {
    refreshing = null
  })
  return refreshing
}

async function authed<T>(method: string, path: string, body?: unknown): Promise<T> {
  let current = session
  if (current === null) throw new ApiError(401, 'AUTH_REQUIRED', 'Not signed in')
  if (Date.now() >= current.refreshAt) current = await refresh()
  let res = await send(method, path, body, current.accessToken)
  if (res.status === 401) {
    current = await refresh()
    res = await send(method, path, body, current.accessToken)
  }
  return parse<T>(res)
}

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value))
  const text = search.toString()
  return text === '' ? '' : `?${text}`
}

/** The signed-in user, or null. */
export function currentUser(): User | null {
  return session?.user ?? null
}

/** Calls `listener` whenever the session ends (logout, or a refresh the server refused). Returns an unsubscribe function. */
export function onSessionEnd(listener: () => void): () => void {
  sessionEndListeners.add(listener)
  return () => {
    sessionEndListeners.delete(listener)
  }
}

/** Signs in and stores the tokens. Throws ApiError `AUTH_INVALID_CREDENTIALS` on a bad username or password. */
export async function login(username: string, password: string): Promise<User> {
  const res = await send('POST', '/v1/auth/login', { username, password })
  return startSession(await parse<TokenResponse>(res)).user
}

/** Revokes the refresh token (best effort) and ends the session. */
export async function logout(): Promise<void> {
  const current = session
  if (current !== null) {
    await send('POST', '/v1/auth/logout', { refreshToken: current.refreshToken }, current.accessToken).catch(() => undefined)
  }
  endSession()
}

export const listSites = (): Promise<Answer<'/v1/sites'>> => authed('GET', '/v1/sites')

export const listAssets = (q: AssetQuery): Promise<{ items: Asset[] }> =>
  authed('GET', `/v1/assets${query(q)}`)

export const getAsset = (id: string): Promise<AssetDetail> => authed('GET', `/v1/assets/${encodeURIComponent(id)}`)

export const getAssetLatest = (id: string): Promise<AssetLatest> =>
  authed('GET', `/v1/assets/${encodeURIComponent(id)}/latest`)

export const getFleetLatest = (): Promise<Answer<'/v1/fleet/latest'>> => authed('GET', '/v1/fleet/latest')

/** Readings of some channels of an asset (every channel for an empty list); the server returns raw points or min/avg/max buckets to stay near `maxPoints`. */
export const getReadings = (id: string, q: ReadingsQuery): Promise<Readings> =>
  authed(
    'GET',
    `/v1/assets/${encodeURIComponent(id)}/readings${query({ channels: q.channels.length === 0 ? undefined : q.channels.join(','), from: q.from, to: q.to, maxPoints: q.maxPoints })}`,
  )

// --- Users and API keys (admin role) ---------------------------------------------------------

export type UserRecord = Item<'/v1/users'>
export type ApiKeyRecord = Item<'/v1/keys'>
export type Role = UserRecord['role']
export const ROLES: readonly Role[] = ['admin', 'operator', 'viewer', 'ingest']

export const listUsers = (): Promise<{ items: UserRecord[] }> => authed('GET', '/v1/users')
export const createUser = (body: RequestBody<'/v1/users', 'post'>): Promise<Answer<'/v1/users', 'post'>> =>
  authed('POST', '/v1/users', body)
export const updateUser = (id: string, body: RequestBody<'/v1/users/{id}', 'patch'>): Promise<Answer<'/v1/users/{id}', 'patch'>> =>
  authed('PATCH', `/v1/users/${encodeURIComponent(id)}`, body)
export const deleteUser = (id: string): Promise<void> => authed('DELETE', `/v1/users/${encodeURIComponent(id)}`)

export const listKeys = (): Promise<{ items: ApiKeyRecord[] }> => authed('GET', '/v1/keys')
/** Creates an API key; `key` is in this answer only and never shown again. */
export const createKey = (body: RequestBody<'/v1/keys', 'post'>): Promise<Answer<'/v1/keys', 'post'>> =>
  authed('POST', '/v1/keys', body)
export const revokeKey = (id: string): Promise<void> => authed('DELETE', `/v1/keys/${encodeURIComponent(id)}`)

// --- Endpoints that arrive with later features -------------------------------------------------

/**
 * The answer of an endpoint that may not exist yet on this server (predictions, alerts, models):
 * `unavailable` when it answers 404 for the route, so a page can say so instead of failing.
 */
export type Optional<T> = { available: true; data: T } | { available: false }

/** GETs `path`; a 404 becomes `{available: false}`, every other error is thrown. */
export async function getOptional<T>(path: string): Promise<Optional<T>> {
  try {
    return { available: true, data: await authed<T>('GET', path) }
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return { available: false }
    throw err
  }
}

/** The query string for `params`, e.g. `?kind=rul&assetId=a1` (undefined values left out). */
export const queryString = query

// --- Live updates (Server-Sent Events over fetch, so the access token goes in a header) ----------

export interface LiveReadings {
  assetId: string
  series: { channel: string; ts: number[]; value: number[] }[]
}

export interface LiveHandlers {
  readings?: (event: LiveReadings) => void
  /** Any other named event (`features`, `prediction`, `alert`, `dropped`) with its parsed data. */
  other?: (event: string, data: unknown) => void
  /** Called with true once connected, false when the connection dropped (it reconnects by itself). */
  status?: (connected: boolean) => void
}

const RECONNECT_MS = 3000

/**
 * Follows `GET /v1/stream` (every asset of the tenant, or only `assets`) until the returned
 * function is called. Reconnects after a drop, refreshing the token when needed.
 */
export function subscribe(handlers: LiveHandlers, assets?: readonly string[]): () => void {
  const controller = new AbortController()
  const path = `/v1/stream${query({ assets: assets?.join(',') })}`
  const dispatch = (event: string, data: string): void => {
    let parsed: unknown
    try {
      parsed = JSON.parse(data)
    } catch {
      return
    }
    if (event === 'readings') handlers.readings?.(parsed as LiveReadings)
    else handlers.other?.(event, parsed)
  }
  const run = async (): Promise<void> => {
    while (!controller.signal.aborted) {
      try {
        let current = session
        if (current === null) return
        if (Date.now() >= current.refreshAt) current = await refresh()
        const res = await fetch(path, { headers: { Authorization: `Bearer ${current.accessToken}`, Accept: 'text/event-stream' }, signal: controller.signal })
        if (res.status === 401) {
          await refresh()
          continue
        }
        // Refused for good (e.g. an asset that does not exist): retrying would not change the answer.
        if (res.status >= 400 && res.status < 500) {
          handlers.status?.(false)
          return
        }
        if (!res.ok || res.body === null) throw new ApiError(res.status, `HTTP_${res.status}`, res.statusText)
        handlers.status?.(true)
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
        let buffer = ''
        for (;;) {
          const { value, done } = await reader.read()
          if (done) break
          buffer += value
          let end: number
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end)
            buffer = buffer.slice(end + 2)
            let event = 'message'
            const data: string[] = []
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) event = line.slice(6).trim()
              else if (line.startsWith('data:')) data.push(line.slice(5).trimStart())
            }
            if (data.length > 0) dispatch(event, data.join('\n'))
          }
        }
      } catch {
        if (controller.signal.aborted) return
      }
      handlers.status?.(false)
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS))
    }
  }
  void run()
  return () => controller.abort()
}

/**
 * Where the pages look for what later features will serve. Each answers 404 until its feature
 * is merged, and the pages say "not available" meanwhile. Shapes the pages read: `{items: [...]}`
 * with the fields named in docs/dashboard.md.
 */
export const LATER = {
  /** `{thresholds, fleet, sites, assets: [{assetId, ts, health, status, …}]}`: the latest health index (0–1) of each asset, rolled up. */
  fleetHealth: '/v1/fleet/health',
  /** `{items: [{id, assetId, ts, severity, state, message}]}` */
  alerts: '/v1/alerts',
  /** `{items: [{assetId, ts, kind, value, lower?, upper?, modelVersion?}]}` */
  predictions: '/v1/predictions',
  assetPredictions: (id: string) => `/v1/assets/${encodeURIComponent(id)}/predictions`,
  /** `{items: [{model, version, kind, firstTs, lastTs}]}` */
  assetModels: (id: string) => `/v1/assets/${encodeURIComponent(id)}/models`,
} as const

export interface LaterItem {
  assetId?: string
  ts?: number
  kind?: string
  severity?: string
  state?: string
  value?: number
  lower?: number
  upper?: number
  message?: string
  model?: string
  version?: string | number
  modelVersion?: string | number
  [field: string]: unknown
}

/** The authenticated request, for the typed client modules beside this one (api.alerts.ts, api.models.ts). */
export const request = authed
