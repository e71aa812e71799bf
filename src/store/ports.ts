/**
 * Storage ports. Adapters (duckdb/, postgres/) implement them; only main.ts chooses one.
 * Every adapter passes the same conformance suite (test/conformance/store.suite.ts).
 */
import type { Asset, Channel, ChannelSpec, LatestValue, Role, Site, Tenant } from '../domain/model.js'
import type { FeatureBatch, FeatureRow } from '../domain/features.js'
import type { ReadingBatch } from '../domain/readings.js'
import type { PredictionStore, RegistryStore } from './registry.ports.js'
import type { AlertStore } from '../alerts/alert.store.js'

/** One time bucket of a channel: min/avg/max of the readings whose ts falls in [ts, ts + bucketMs). */
export interface Bucket {
  series: number
  ts: number
  min: number
  avg: number
  max: number
  count: number
}

/**
 * Widths of the rollup levels (minute, hour, day). SeriesStore.buckets reads a rollup
 * when bucketMs is a multiple of one of them, so callers that can choose a width choose one.
 */
export const ROLLUP_WIDTHS_MS: readonly number[] = [60_000, 3_600_000, 86_400_000]

/** Raw points of one series in time order. */
export interface SeriesPoints {
  ts: number[]
  value: number[]
}

/** What one append did. */
export interface AppendResult {
  /** Readings stored by this append. */
  written: number
  /** Readings dropped because a reading of the same (series, ts) was already stored, or came earlier in the same batch. */
  duplicates: number
  /** The readings actually stored, in batch order: the batch itself when none was dropped. */
  stored: ReadingBatch
}

/**
 * Time-series storage of readings, keyed by internal series key (a channel's `key`).
 * Series keys are handed out only by the tenant-scoped TenantMeta (listChannels,
 * ensureChannels), so a caller can only name series of the tenant it resolved them in.
 */
export interface SeriesStore {
  /**
   * Appends readings; resolves only once they are durable (committed to the write-ahead log).
   * Idempotent per (series, ts): a reading whose (series, ts) is already stored, or appears
   * earlier in the batch or in a concurrent append, is dropped and counted as a duplicate,
   * so the first write wins and a client may safely resend a batch it got no answer for.
   */
  append(batch: ReadingBatch): Promise<AppendResult>
  /** Readings of the given series in [from, to), ascending by ts. */
  range(series: number, from: number, to: number): Promise<SeriesPoints>
  /** Number of readings per series in [from, to). Series with none are absent. */
  count(series: readonly number[], from: number, to: number): Promise<Map<number, number>>
  /** Bucketed min/avg/max per series over [from, to); bucket starts are aligned to multiples of bucketMs. */
  buckets(series: readonly number[], from: number, to: number, bucketMs: number): Promise<Bucket[]>
  /** The newest reading of each series. Series with none are absent. */
  latest(series: readonly number[]): Promise<Map<number, LatestValue>>
  close(): Promise<void>
}

/** Per level, the ts below which rows are deleted; null keeps them forever. */
export interface RetentionCutoffs {
  raw: number | null
  minute: number | null
  hour: number | null
  day: number | null
}

/** What one rollup pass did. */
export interface RollupPass {
  /** Raw minutes [from, to) were rolled up; `to` is the new watermark. */
  from: number
  to: number
  /** Dirty minutes (late data) recomputed. */
  dirtyMinutes: number
  /** The watermark reached the target and no dirty minute below it is left. */
  caughtUp: boolean
}

export interface RollupStatus {
  /** Raw readings below it are in the rollups (null: no pass ran yet). */
  watermark: number | null
  /** Minutes waiting to be recomputed because late readings landed in them. */
  dirtyMinutes: number
  expiredBefore: RetentionCutoffs
}

/**
 * Minute, hour and day rollups of the readings and their retention, kept by the
 * maintenance job (pipeline/maintenance.service.ts). Reads use them through
 * SeriesStore.buckets. Appends record late readings (below the announced watermark)
 * in the same transaction, so a pass recomputes their buckets.
 */
export interface RollupStore {
  /**
   * Promises that no append committing from now on is left out: readings below `upTo`
   * (floored to a minute) are recorded as late. Resolves once the appends in flight have committed.
   */
  announce(upTo: number): Promise<void>
  /** One bounded pass in one transaction (rollups, dirty buckets and watermark together). */
  rollUp(upTo: number, maxSpanMs: number): Promise<RollupPass>
  /** Deletes what is older than the cutoffs (never raw readings that are not rolled up yet). */
  expire(cutoffs: RetentionCutoffs): Promise<RetentionCutoffs>
  status(): Promise<RollupStatus>
}

/** A read of stored feature rows. */
export interface FeatureQuery {
  series: readonly number[]
  /** Windows to return; all when absent. */
  windowsSec?: readonly number[]
  /** [from, to) in epoch ms, on the rows' `ts`. */
  from: number
  to: number
  /**
   * At most this many rows per (series, window). When the range holds more, it is cut
   * into `maxPoints` equal time buckets and the newest row of each bucket is returned.
   */
  maxPoints: number
}

/**
 * Stored feature snapshots (see FeatureRow), keyed like readings by series key. Written
 * in bulk by the features stage; derived data, so a crash may lose the rows of the last
 * moments (they are recomputed from the readings as they arrive again), never readings.
 */
export interface FeatureStore {
  /** Appends the batch's rows; resolves once they are committed (the batch may then be reused). A failed append stores none of them. */
  append(batch: FeatureBatch): Promise<void>
  /** Rows of the query, ordered by series, window and ts. */
  range(q: FeatureQuery): Promise<FeatureRow[]>
  /** The newest row of each (series, window) asked for; pairs with none are absent. */
  latest(series: readonly number[], windowsSec?: readonly number[]): Promise<FeatureRow[]>
  /** Deletes the rows (and their FFT bands) older than `before` (epoch ms); returns how many feature rows went. */
  expire(before: number): Promise<number>
}

/** Outcome of running migrations. */
export interface MigrationReport {
  applied: { version: number; name: string }[]
  current: number
}

export interface MigrationStatus {
  current: number
  latest: number
  pending: { version: number; name: string }[]
}

export interface SiteInput {
  id?: string
  name: string
  latitude: number
  longitude: number
  timezone: string
}

export interface AssetInput {
  id?: string
  siteId?: string | null
  parentId?: string | null
  type: string
  name?: string
  metadata?: Record<string, unknown>
}

export interface AssetFilter {
  siteId?: string
  type?: string
  parentId?: string
  limit?: number
  offset?: number
}

/**
 * Metadata scoped to one tenant. Every query an implementation runs carries the
 * tenant id it was created with: isolation lives here, not in the routes.
 */
export interface TenantMeta {
  readonly tenantId: string
  listSites(): Promise<Site[]>
  getSite(id: string): Promise<Site | null>
  createSite(input: SiteInput): Promise<Site>
  updateSite(id: string, patch: Partial<SiteInput>): Promise<Site | null>
  /** False when absent. Refuses (MetaConflictError) while assets still reference it. */
  deleteSite(id: string): Promise<boolean>

  listAssets(filter?: AssetFilter): Promise<Asset[]>
  getAsset(id: string): Promise<Asset | null>
  createAsset(input: AssetInput): Promise<Asset>
  /**
   * Creates many assets with their channels in one transaction: all of them or none.
   * Parents may be earlier or later items of the same batch. Refuses the whole batch with
   * MetaConflictError when an id exists or repeats, and MetaReferenceError (its field naming
   * the item, `assets.<i>.siteId`) for a missing site or parent or a loop among parents.
   */
  createAssets(inputs: readonly (AssetInput & { channels?: readonly ChannelSpec[] })[]): Promise<Array<Asset & { channels: Channel[] }>>
  updateAsset(id: string, patch: Partial<AssetInput>): Promise<Asset | null>
  /** Deletes the asset and its channels (their readings become unreachable). */
  deleteAsset(id: string): Promise<boolean>

  listChannels(assetId: string): Promise<Channel[]>
  /** All channels of the tenant's assets (for fleet-wide views). */
  listAllChannels(): Promise<Channel[]>
  /** Creates the channels that do not exist yet and returns all of them, in spec order. */
  ensureChannels(assetId: string, specs: readonly ChannelSpec[]): Promise<Channel[]>
  updateChannel(assetId: string, name: string, patch: Partial<ChannelSpec>): Promise<Channel | null>
  deleteChannel(assetId: string, name: string): Promise<boolean>
}

export interface UserRecord {
  id: string
  tenantId: string
  username: string
  passwordHash: string
  role: Role
  /** May manage tenants across the platform. */
  platformAdmin: boolean
  createdAt: number
}

export interface ApiKeyRecord {
  id: string
  tenantId: string
  name: string
  role: Role
  /** Hex SHA-256 of the secret part of the key. */
  secretHash: string
  createdAt: number
  revokedAt: number | null
}

export interface RefreshTokenRecord {
  /** Hex SHA-256 of the token. */
  tokenHash: string
  userId: string
  expiresAt: number
  revokedAt: number | null
}

/** Platform-wide metadata: tenants, credentials, settings, migrations. */
export interface MetaStore {
  migrate(): Promise<MigrationReport>
  migrationStatus(): Promise<MigrationStatus>
  /** Cheap round trip to the database. */
  ping(): Promise<void>

  createTenant(input: { id?: string; name: string }): Promise<Tenant>
  getTenant(id: string): Promise<Tenant | null>
  listTenants(): Promise<Tenant[]>
  updateTenant(id: string, patch: { name?: string }): Promise<Tenant | null>
  /**
   * Deletes an empty tenant (with its revoked keys). Refuses (MetaConflictError) while it
   * still holds sites, assets, users or active API keys; false when absent.
   */
  deleteTenant(id: string): Promise<boolean>
  /** The tenant-scoped view. */
  tenant(tenantId: string): TenantMeta

  createUser(user: Omit<UserRecord, 'createdAt'>): Promise<UserRecord>
  getUserByName(username: string): Promise<UserRecord | null>
  getUser(id: string): Promise<UserRecord | null>
  listUsers(tenantId?: string): Promise<UserRecord[]>
  updateUser(id: string, patch: { passwordHash?: string; role?: Role }): Promise<UserRecord | null>
  deleteUser(id: string): Promise<boolean>
  countUsers(): Promise<number>

  createApiKey(key: Omit<ApiKeyRecord, 'createdAt' | 'revokedAt'>): Promise<ApiKeyRecord>
  getApiKey(id: string): Promise<ApiKeyRecord | null>
  listApiKeys(tenantId?: string): Promise<ApiKeyRecord[]>
  revokeApiKey(id: string, tenantId?: string): Promise<boolean>

  saveRefreshToken(token: Omit<RefreshTokenRecord, 'revokedAt'>): Promise<void>
  getRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | null>
  /** True only for the one caller that revoked it: a refresh token can be spent once, even by racing requests. */
  revokeRefreshToken(tokenHash: string): Promise<boolean>

  getSetting(key: string): Promise<string | null>
  /** Sets the value only if none exists; returns the value that is stored afterwards. */
  setSettingIfAbsent(key: string, value: string): Promise<string>

  close(): Promise<void>
}

/** The stores the platform runs on, as opened by one adapter. */
export interface Stores {
  kind: 'duckdb' | 'postgres'
  meta: MetaStore
  series: SeriesStore
  rollups: RollupStore
  features: FeatureStore
  /** Stored predictions and the model registry (issue 5). */
  predictions: PredictionStore
  registry: RegistryStore
  /** Alert rules, alerts, silences, notification channels and the delivery outbox. */
  alerts: AlertStore
  /** Learned state of the anomaly detectors (issue 4). */
  detectorState: DetectorStateStore
  /** The store's own memory accounting in this process (embedded stores only; absent for a server database). */
  memory?(): Promise<StoreMemory>
  close(): Promise<void>
}

/** Memory an embedded store holds in this process, by its own accounting. */
export interface StoreMemory {
  /** Bytes in use now (for DuckDB: its buffer pool and operator memory, `duckdb_memory()`). */
  usedBytes: number
  /** The bound the store keeps `usedBytes` under. */
  limitBytes: number
  /** Bytes spilled to temporary files. */
  temporaryBytes: number
}

/** The latest output of one detector of one asset, without its state. */
export interface DetectorStateSummary {
  tenantId: string
  assetId: string
  /** Which detector (model family or stage name). */
  detector: string
  /** Data time of the last input the state has learned from. */
  ts: number
  /** JSON text: what the detector last said (score, health …), for the API. */
  summary: string
  updatedAt: number
}

/** A detector's state as checkpointed. */
export interface DetectorStateRecord extends DetectorStateSummary {
  /** JSON text of the serialised model (`Model.toJSON`). */
  state: string
}

/**
 * Checkpoints of the anomaly detectors' learned state, so a restart resumes learning
 * instead of starting a new probation. Derived data: a crash loses what was learned since
 * the last checkpoint, never readings. Every call is scoped to one tenant.
 */
export interface DetectorStateStore {
  /** Upserts records (one per tenant, asset and detector) in one transaction. */
  save(records: readonly DetectorStateRecord[]): Promise<void>
  load(tenantId: string, assetId: string, detector: string): Promise<DetectorStateRecord | null>
  /** The tenant's summaries for one detector, ordered by asset. */
  summaries(tenantId: string, detector: string): Promise<DetectorStateSummary[]>
  /** Deletes the tenant's records (of one asset when given); returns how many. */
  delete(tenantId: string, assetId?: string): Promise<number>
}
