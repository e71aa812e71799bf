import { readFileSync } from 'node:fs'
import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { parse as parseYaml } from 'yaml'
import { CodedError } from './domain/errors.js'

export const DEFAULT_HTTP_PORT = 8080
export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024 * 1024
export const DEFAULT_MAX_BATCH_RECORDS = 10_000
export const DEFAULT_ACCESS_TOKEN_TTL_SEC = 15 * 60
export const DEFAULT_REFRESH_TOKEN_TTL_SEC = 7 * 24 * 3600
export const DEFAULT_MAX_PAST_DAYS = 3650
export const DEFAULT_MAX_FUTURE_SEC = 300
export const DEFAULT_DEMO_INTERVAL_MS = 1000
export const DEFAULT_MQTT_PORT = 1883
/** Raw readings feed model training, so a year of them is kept; rollups much longer (0 = forever). */
export const DEFAULT_RETENTION_RAW_DAYS = 365
export const DEFAULT_RETENTION_MINUTE_DAYS = 730
export const DEFAULT_RETENTION_HOUR_DAYS = 1825
export const DEFAULT_RETENTION_DAY_DAYS = 0
/** Feature rows are derived (a replay of the raw readings recomputes them), so they are kept a season, not a year. */
export const DEFAULT_RETENTION_FEATURE_DAYS = 90
export const DEFAULT_ROLLUP_INTERVAL_SEC = 60
export const DEFAULT_ROLLUP_LAG_SEC = 60
export const DEFAULT_FEATURE_WINDOWS_SEC = [10, 30, 60]
export const DEFAULT_FEATURE_MAX_SERIES = 100_000
export const DEFAULT_ALERTS_TICK_MS = 1000
export const DEFAULT_ALERTS_MAX_ATTEMPTS = 10
export const DEFAULT_ALERTS_RETRY_BASE_MS = 2000
export const DEFAULT_ALERTS_RETRY_MAX_MS = 10 * 60_000
export const DEFAULT_ALERTS_LEASE_SEC = 60
export const DEFAULT_ALERTS_POLL_MS = 1000
export const DEFAULT_ALERTS_SEND_TIMEOUT_MS = 10_000
export const DEFAULT_ALERTS_OUTBOX_RETENTION_DAYS = 7
export const DEFAULT_ALERTS_DEAD_LETTER_RETENTION_DAYS = 30
/** Readings published to the features stage and not yet handled, at most (about two seconds of full-speed ingest). */
export const DEFAULT_PIPELINE_QUEUE_READINGS = 4_000_000
/** Asset vector values waiting for scoring: a few seconds of a large fleet (~2,400 vectors of 10 channels). */
export const DEFAULT_PIPELINE_QUEUE_FEATURES = 500_000
/** Predictions waiting for storage and alerting. */
export const DEFAULT_PIPELINE_QUEUE_PREDICTIONS = 500_000
/** Model registry (issue 5): how often a serving instance polls for deployment changes. */
export const DEFAULT_REGISTRY_REFRESH_INTERVAL_MS = 5000
export const DEFAULT_REGISTRY_DRIFT_WINDOW = 1000

/**
 * DuckDB buffer-pool limit. The 10,000-asset soak (bench/ingest) fills whatever it is given
 * (254 MB of 256 by minute 10), and with 128 MB ran its 10 minutes at 117 MB, storing every
 * reading; the query bench's p95s (10 M readings, 88 MB on disk) were the same at 128 and 256
 * MB in three alternated pairs, all under 30 ms (docs/benchmarks.md, session 10).
 */
export const DEFAULT_DUCKDB_MEMORY_LIMIT = '128MB'
/** JS heap growth over the live data between full collections (see cli/heap.ts). */
export const DEFAULT_HEAP_GROWING_PERCENT = 50
/** JS heap in use that a small live heap may grow to before a full collection (see cli/heap.ts). */
export const DEFAULT_HEAP_TARGET_MB = 256

// Anomaly detection and health (issue 4).
export const DEFAULT_ANOMALY_PROBATION_VECTORS = 60
/**
 * Detector state is derived (a crash costs at most this much learning, never readings), and
 * a 10,000-asset fleet's states are ~0.2–1 GB: written every minute, they held the pipeline
 * up (bench/ingest's soak answered 503); every 5 minutes, spread over the interval, they do not.
 */
export const DEFAULT_ANOMALY_CHECKPOINT_SEC = 300
export const DEFAULT_ANOMALY_ALARM_SCORE = 0.7
/** Ensembles held in memory at most (~90 KB each at 10 channels once every buffer is full, a week in: ~900 MB). */
export const DEFAULT_ANOMALY_MAX_ASSETS = 10_000
/** An asset silent this long is checkpointed and dropped from memory (reloaded on its next vector). */
export const DEFAULT_ANOMALY_IDLE_EVICT_SEC = 600
export const DEFAULT_HEALTH_WARNING = 0.7
export const DEFAULT_HEALTH_CRITICAL = 0.4
const DETECTOR_NAMES = ['threshold', 'mad', 'changepoint', 'seasonal', 'mahalanobis', 'isolation-forest'] as const

const LogLevel = Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)))

/** The one schema every setting passes through, whether it came from YAML or the environment. */
export const ConfigSchema = Type.Object(
  {
    dataDir: Type.String({ minLength: 1, default: './data', description: 'Directory of the embedded DuckDB file and other local state' }),
    heapGrowingPercent: Type.Integer({
      minimum: 0,
      maximum: 1000,
      default: DEFAULT_HEAP_GROWING_PERCENT,
      description: "`prognos start`: the JS heap may grow at least this many percent over its live data before a full collection (0: V8's own policy, which lets it reach 4 times the live data under load)",
    }),
    heapTargetMb: Type.Integer({
      minimum: 0,
      maximum: 1_000_000,
      default: DEFAULT_HEAP_TARGET_MB,
      description: '`prognos start`: a live heap well under this many MB may grow up to it between full collections (fewer collections while the heap is small); 0 = always heapGrowingPercent',
    }),
    http: Type.Object(
      {
        host: Type.String({ default: '127.0.0.1', description: 'Interface to listen on (0.0.0.0 for all)' }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: DEFAULT_HTTP_PORT }),
        bodyLimitBytes: Type.Integer({ minimum: 1024, default: DEFAULT_BODY_LIMIT_BYTES }),
      },
      { default: {}, additionalProperties: false },
    ),
    database: Type.Object(
      {
        url: Type.Optional(Type.String({ pattern: '^postgres(ql)?://', description: 'PostgreSQL URL; absent = embedded DuckDB' })),
        poolSize: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
        autoMigrate: Type.Boolean({ default: true, description: 'Apply pending migrations at start' }),
        duckdbMemoryLimit: Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?\\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$', default: DEFAULT_DUCKDB_MEMORY_LIMIT, description: 'DuckDB buffer-pool limit (e.g. 256MB, 2GB); larger queries spill to disk' }),
      },
      { default: {}, additionalProperties: false },
    ),
    auth: Type.Object(
      {
        adminUsername: Type.String({ minLength: 1, default: 'admin' }),
        adminPassword: Type.Optional(Type.String({ minLength: 8, description: 'Password of the first admin; generated and printed once when absent' })),
        jwtSecret: Type.Optional(Type.String({ minLength: 32, description: 'HMAC key for access tokens; generated and stored when absent' })),
        accessTokenTtlSec: Type.Integer({ minimum: 10, default: DEFAULT_ACCESS_TOKEN_TTL_SEC }),
        refreshTokenTtlSec: Type.Integer({ minimum: 60, default: DEFAULT_REFRESH_TOKEN_TTL_SEC }),
        loginRateLimitPerMin: Type.Integer({ minimum: 1, default: 60 }),
      },
      { default: {}, additionalProperties: false },
    ),
    ingest: Type.Object(
      {
        maxBatchRecords: Type.Integer({ minimum: 1, maximum: 1_000_000, default: DEFAULT_MAX_BATCH_RECORDS }),
        unknownChannels: Type.Union([Type.Literal('create'), Type.Literal('refuse')], { default: 'create' }),
        maxPastDays: Type.Integer({ minimum: 0, default: DEFAULT_MAX_PAST_DAYS }),
        maxFutureSec: Type.Integer({ minimum: 0, default: DEFAULT_MAX_FUTURE_SEC }),
        maxInflightBytes: Type.Integer({
          minimum: 1024,
          default: 256 * 1024 * 1024,
          description: 'Ingest request bytes accepted but not yet committed; beyond it requests get 503 with Retry-After',
        }),
        parseWorkers: Type.Integer({
          minimum: -1,
          maximum: 64,
          default: -1,
          description: 'Worker threads that parse ingest bodies: -1 = one per core beyond the first (at most 4), 0 = parse on the event loop',
        }),
      },
      { default: {}, additionalProperties: false },
    ),
    demo: Type.Object(
      {
        mode: Type.Union([Type.Literal('auto'), Type.Literal('on'), Type.Literal('off')], {
          default: 'auto',
          description: 'auto: run the simulated fleet when the store is empty',
        }),
        intervalMs: Type.Integer({ minimum: 50, default: DEFAULT_DEMO_INTERVAL_MS }),
        models: Type.Boolean({ default: true, description: 'train, register and promote small prognostic models for the demo fleet in the background when no production version exists' }),
        referenceData: Type.Optional(Type.String({ minLength: 1, description: 'directory of the shared reference data sets the demo models train on; default ../shared/data beside the installation' })),
        turbofans: Type.Integer({ minimum: 0, default: 6 }),
        batteryStrings: Type.Integer({ minimum: 0, default: 3 }),
        cellsPerString: Type.Integer({ minimum: 1, default: 12 }),
        liIonPacks: Type.Integer({ minimum: 0, default: 3 }),
        meters: Type.Integer({ minimum: 0, default: 6 }),
        seed: Type.Integer({ default: 42 }),
      },
      { default: {}, additionalProperties: false },
    ),
    mqtt: Type.Object(
      {
        mode: Type.Union([Type.Literal('auto'), Type.Literal('off')], { default: 'auto', description: 'auto: an external broker when url is set, else the embedded one' }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: DEFAULT_MQTT_PORT }),
        host: Type.Optional(Type.String({ minLength: 1, description: 'interface of the embedded broker; default http.host' })),
        url: Type.Optional(Type.String({ pattern: '^mqtts?://', description: 'external broker to subscribe to instead of the embedded one' })),
        username: Type.Optional(Type.String()),
        password: Type.Optional(Type.String()),
        caFile: Type.Optional(Type.String()),
        certFile: Type.Optional(Type.String()),
        keyFile: Type.Optional(Type.String()),
        tlsRejectUnauthorized: Type.Boolean({ default: true }),
        tenant: Type.String({ minLength: 1, default: 'default', description: 'tenant of what arrives through an external broker' }),
        maxInFlight: Type.Integer({ minimum: 1, maximum: 100_000, default: 8192 }),
        maxInFlightBytes: Type.Integer({ minimum: 1024, default: 64 * 1024 * 1024, description: 'payload bytes of the MQTT messages in flight, at most' }),
        maxPayloadBytes: Type.Integer({ minimum: 1024, default: 4 * 1024 * 1024 }),
      },
      { default: {}, additionalProperties: false },
    ),
    retention: Type.Object(
      {
        rawDays: Type.Integer({ minimum: 0, default: DEFAULT_RETENTION_RAW_DAYS, description: 'days raw readings are kept; 0 = forever' }),
        minuteDays: Type.Integer({ minimum: 0, default: DEFAULT_RETENTION_MINUTE_DAYS, description: 'days minute rollups are kept; 0 = forever' }),
        hourDays: Type.Integer({ minimum: 0, default: DEFAULT_RETENTION_HOUR_DAYS, description: 'days hour rollups are kept; 0 = forever' }),
        dayDays: Type.Integer({ minimum: 0, default: DEFAULT_RETENTION_DAY_DAYS, description: 'days day rollups are kept; 0 = forever' }),
        featureDays: Type.Integer({ minimum: 0, default: DEFAULT_RETENTION_FEATURE_DAYS, description: 'days stored feature rows are kept; 0 = forever' }),
      },
      { default: {}, additionalProperties: false },
    ),
    rollup: Type.Object(
      {
        intervalSec: Type.Integer({ minimum: 0, default: DEFAULT_ROLLUP_INTERVAL_SEC, description: 'seconds between rollup and retention passes; 0 = none' }),
        lagSec: Type.Integer({ minimum: 0, default: DEFAULT_ROLLUP_LAG_SEC, description: 'a minute is rolled up this long after it ends; later readings are folded in as late data' }),
      },
      { default: {}, additionalProperties: false },
    ),
    features: Type.Object(
      {
        enabled: Type.Boolean({ default: true, description: 'compute rolling and FFT features on ingest' }),
        windowsSec: Type.Array(Type.Integer({ minimum: 1, maximum: 86_400 }), { minItems: 1, maxItems: 8, uniqueItems: true, default: DEFAULT_FEATURE_WINDOWS_SEC }),
        hopSec: Type.Optional(
          Type.Integer({ minimum: 1, maximum: 86_400, description: 'pane length: windows end on its multiples and live vectors refresh once per pane of data time; every window must be a multiple of it; default the windows’ greatest common divisor' }),
        ),
        storeEverySec: Type.Optional(
          Type.Integer({ minimum: 1, maximum: 86_400, description: 'store every window every this many seconds of data time (a multiple of hopSec); default each window’s own length (tumbling windows)' }),
        ),
        maxSeries: Type.Integer({ minimum: 1, maximum: 10_000_000, default: DEFAULT_FEATURE_MAX_SERIES }),
        fft: Type.Boolean({ default: true, description: 'FFT features for high-rate channels' }),
      },
      { default: {}, additionalProperties: false },
    ),
    pipeline: Type.Object(
      {
        queueReadings: Type.Integer({
          minimum: 1000,
          default: DEFAULT_PIPELINE_QUEUE_READINGS,
          description: 'readings waiting for the features stage; beyond it HTTP ingest answers 503 and MQTT acknowledgements wait',
        }),
        queueFeatures: Type.Integer({ minimum: 100, default: DEFAULT_PIPELINE_QUEUE_FEATURES, description: 'asset vector values waiting for scoring; beyond it the features stage waits, so readings queue up to queueReadings' }),
        queuePredictions: Type.Integer({ minimum: 100, default: DEFAULT_PIPELINE_QUEUE_PREDICTIONS, description: 'predictions waiting to be stored and evaluated by alerting; beyond it scoring waits' }),
      },
      { default: {}, additionalProperties: false },
    ),
    registry: Type.Object(
      {
        refreshIntervalMs: Type.Integer({ minimum: 50, maximum: 3_600_000, default: DEFAULT_REGISTRY_REFRESH_INTERVAL_MS, description: 'a deployment change made on another instance is served here within this interval' }),
        artifactDir: Type.Optional(Type.String({ minLength: 1, description: 'directory of model artifacts (a volume every instance mounts when scaled out); default <dataDir>/artifacts' })),
        artifactsUrl: Type.Optional(Type.String({ pattern: '^s3://', description: 'object storage for model artifacts instead of a directory: s3://bucket/prefix' })),
        s3: Type.Object(
          {
            endpoint: Type.Optional(Type.String({ pattern: '^https?://', description: 'an S3-compatible server (MinIO, Ceph, Garage …); AWS S3 when unset' })),
            region: Type.String({ minLength: 1, default: 'us-east-1', description: 'S3 region' }),
            accessKeyId: Type.Optional(Type.String({ minLength: 1, description: 'S3 access key id (with secretAccessKey; without both, the AWS default credential chain)' })),
            secretAccessKey: Type.Optional(Type.String({ minLength: 1, description: 'S3 secret access key; never logged' })),
            pathStyle: Type.Optional(Type.Boolean({ description: 'path-style addressing (host/bucket/key); default on when an endpoint is set' })),
          },
          { default: {}, additionalProperties: false },
        ),
        pipelineScoring: Type.Boolean({ default: true, description: 'score feature vectors with every deployed model whose inputs they hold' }),
        driftWindow: Type.Integer({ minimum: 50, maximum: 10_000_000, default: DEFAULT_REGISTRY_DRIFT_WINDOW, description: 'readings per drift evaluation window' }),
        driftPsiThreshold: Type.Number({ exclusiveMinimum: 0, default: 0.2, description: 'PSI above which a feature may drift' }),
        driftKsAlpha: Type.Number({ exclusiveMinimum: 0, maximum: 0.5, default: 0.001, description: 'significance of the KS test that must agree' }),
        retrainAfterWindows: Type.Integer({ minimum: 0, default: 0, description: 'consecutive drifting windows after which the version\'s training run is re-run; 0 = never' }),
        webhooks: Type.Array(Type.String({ pattern: '^https?://' }), { default: [], description: 'URLs that receive registry events' }),
        webhookSecret: Type.Optional(Type.String({ minLength: 16, description: 'HMAC-SHA256 key signing webhook bodies (X-Prognos-Signature)' })),
      },
      { default: {}, additionalProperties: false },
    ),
    alerts: Type.Object(
      {
        enabled: Type.Boolean({ default: true, description: 'evaluate alert rules and deliver notifications' }),
        defaultRules: Type.Boolean({ default: true, description: 'install the default rules per asset type in each tenant, once' }),
        linkBase: Type.String({ default: '', description: 'prefix of the dashboard links in alerts, e.g. https://prognos.example.com; empty = relative links' }),
        tickMs: Type.Integer({ minimum: 50, maximum: 60_000, default: DEFAULT_ALERTS_TICK_MS, description: 'how often staleness, pending, escalation and silences are evaluated' }),
        flapWindowSec: Type.Integer({ minimum: 1, default: 3600 }),
        flapMaxOpens: Type.Integer({ minimum: 2, default: 3 }),
        flapCalmSec: Type.Integer({ minimum: 0, default: 900 }),
        maxAttempts: Type.Integer({ minimum: 1, maximum: 1000, default: DEFAULT_ALERTS_MAX_ATTEMPTS }),
        retryBaseMs: Type.Integer({ minimum: 1, default: DEFAULT_ALERTS_RETRY_BASE_MS }),
        retryMaxMs: Type.Integer({ minimum: 1, default: DEFAULT_ALERTS_RETRY_MAX_MS }),
        leaseSec: Type.Integer({ minimum: 1, maximum: 3600, default: DEFAULT_ALERTS_LEASE_SEC, description: 'a delivery not confirmed within this long is sent again (by this or another instance)' }),
        pollMs: Type.Integer({ minimum: 10, maximum: 60_000, default: DEFAULT_ALERTS_POLL_MS }),
        sendTimeoutMs: Type.Integer({ minimum: 100, maximum: 600_000, default: DEFAULT_ALERTS_SEND_TIMEOUT_MS }),
        outboxRetentionDays: Type.Number({ minimum: 0, default: DEFAULT_ALERTS_OUTBOX_RETENTION_DAYS, description: 'days delivered notifications stay in the outbox; 0 = forever' }),
        deadLetterRetentionDays: Type.Number({ minimum: 0, default: DEFAULT_ALERTS_DEAD_LETTER_RETENTION_DAYS, description: 'days after a notification was created that its dead letter is deleted, unless retried before; 0 = kept until retried' }),
      },
      { default: {}, additionalProperties: false },
    ),
    anomaly: Type.Object(
      {
        enabled: Type.Boolean({ default: true, description: 'run the anomaly detectors on every asset’s feature vectors (needs features)' }),
        worker: Type.Boolean({ default: true, description: 'score on a worker thread (false: on the event loop, between ingest commits)' }),
        probationVectors: Type.Integer({ minimum: 1, maximum: 100_000, default: DEFAULT_ANOMALY_PROBATION_VECTORS, description: 'feature vectors each learned detector sees before it may alarm' }),
        alarmScore: Type.Number({ minimum: 0.01, maximum: 1, default: DEFAULT_ANOMALY_ALARM_SCORE, description: 'anomaly score at or above which a prediction is marked as an alarm' }),
        checkpointIntervalSec: Type.Integer({ minimum: 0, maximum: 86_400, default: DEFAULT_ANOMALY_CHECKPOINT_SEC, description: 'seconds between checkpoints of the detectors’ state; 0 = only on shutdown' }),
        maxAssets: Type.Integer({ minimum: 1, maximum: 10_000_000, default: DEFAULT_ANOMALY_MAX_ASSETS, description: 'detector ensembles held in memory at most; the least recently scored are checkpointed and dropped beyond it' }),
        idleEvictSec: Type.Integer({ minimum: 0, maximum: 30 * 86_400, default: DEFAULT_ANOMALY_IDLE_EVICT_SEC, description: 'an asset not scored for this long is checkpointed and dropped from memory at the next checkpoint; 0 = never' }),
        detectors: Type.Optional(
          Type.Array(Type.Union(DETECTOR_NAMES.map((d) => Type.Literal(d))), { minItems: 1, uniqueItems: true, description: 'detectors every asset runs; default per asset type' }),
        ),
      },
      { default: {}, additionalProperties: false },
    ),
    health: Type.Object(
      {
        warning: Type.Number({ minimum: 0, maximum: 1, default: DEFAULT_HEALTH_WARNING, description: 'health below this is a warning' }),
        critical: Type.Number({ minimum: 0, maximum: 1, default: DEFAULT_HEALTH_CRITICAL, description: 'health below this is critical' }),
      },
      { default: {}, additionalProperties: false },
    ),
    log: Type.Object({ level: { ...LogLevel, default: 'info' } }, { default: {}, additionalProperties: false }),
  },
  { additionalProperties: false },
)

export type Config = Static<typeof ConfigSchema>

/** Environment variables and the setting each one feeds. */
export const ENV_VARS: Record<string, string> = {
  PROGNOS_DATA_DIR: 'dataDir',
  PROGNOS_HEAP_GROWING_PERCENT: 'heapGrowingPercent',
  PROGNOS_HEAP_TARGET_MB: 'heapTargetMb',
  PROGNOS_HOST: 'http.host',
  PROGNOS_PORT: 'http.port',
  PROGNOS_BODY_LIMIT_BYTES: 'http.bodyLimitBytes',
  PROGNOS_DATABASE_URL: 'database.url',
  PROGNOS_DATABASE_POOL_SIZE: 'database.poolSize',
  PROGNOS_DATABASE_AUTO_MIGRATE: 'database.autoMigrate',
  PROGNOS_DUCKDB_MEMORY_LIMIT: 'database.duckdbMemoryLimit',
  PROGNOS_ADMIN_USERNAME: 'auth.adminUsername',
  PROGNOS_ADMIN_PASSWORD: 'auth.adminPassword',
  PROGNOS_JWT_SECRET: 'auth.jwtSecret',
  PROGNOS_ACCESS_TOKEN_TTL_SEC: 'auth.accessTokenTtlSec',
  PROGNOS_REFRESH_TOKEN_TTL_SEC: 'auth.refreshTokenTtlSec',
  PROGNOS_LOGIN_RATE_LIMIT_PER_MIN: 'auth.loginRateLimitPerMin',
  PROGNOS_INGEST_MAX_BATCH_RECORDS: 'ingest.maxBatchRecords',
  PROGNOS_INGEST_UNKNOWN_CHANNELS: 'ingest.unknownChannels',
  PROGNOS_INGEST_MAX_PAST_DAYS: 'ingest.maxPastDays',
  PROGNOS_INGEST_MAX_FUTURE_SEC: 'ingest.maxFutureSec',
  PROGNOS_INGEST_PARSE_WORKERS: 'ingest.parseWorkers',
  PROGNOS_INGEST_MAX_INFLIGHT_BYTES: 'ingest.maxInflightBytes',
  PROGNOS_DEMO: 'demo.mode',
  PROGNOS_DEMO_INTERVAL_MS: 'demo.intervalMs',
  PROGNOS_DEMO_MODELS: 'demo.models',
  PROGNOS_REFERENCE_DATA: 'demo.referenceData',
  PROGNOS_MQTT: 'mqtt.mode',
  PROGNOS_MQTT_PORT: 'mqtt.port',
  PROGNOS_MQTT_HOST: 'mqtt.host',
  PROGNOS_MQTT_URL: 'mqtt.url',
  PROGNOS_MQTT_USERNAME: 'mqtt.username',
  PROGNOS_MQTT_PASSWORD: 'mqtt.password',
  PROGNOS_MQTT_CA_FILE: 'mqtt.caFile',
  PROGNOS_MQTT_CERT_FILE: 'mqtt.certFile',
  PROGNOS_MQTT_KEY_FILE: 'mqtt.keyFile',
  PROGNOS_MQTT_TLS_REJECT_UNAUTHORIZED: 'mqtt.tlsRejectUnauthorized',
  PROGNOS_MQTT_TENANT: 'mqtt.tenant',
  PROGNOS_MQTT_MAX_IN_FLIGHT: 'mqtt.maxInFlight',
  PROGNOS_MQTT_MAX_IN_FLIGHT_BYTES: 'mqtt.maxInFlightBytes',
  PROGNOS_MQTT_MAX_PAYLOAD_BYTES: 'mqtt.maxPayloadBytes',
  PROGNOS_RETENTION_RAW_DAYS: 'retention.rawDays',
  PROGNOS_RETENTION_MINUTE_DAYS: 'retention.minuteDays',
  PROGNOS_RETENTION_HOUR_DAYS: 'retention.hourDays',
  PROGNOS_RETENTION_DAY_DAYS: 'retention.dayDays',
  PROGNOS_RETENTION_FEATURE_DAYS: 'retention.featureDays',
  PROGNOS_ROLLUP_INTERVAL_SEC: 'rollup.intervalSec',
  PROGNOS_ROLLUP_LAG_SEC: 'rollup.lagSec',
  PROGNOS_FEATURES: 'features.enabled',
  PROGNOS_FEATURES_WINDOWS_SEC: 'features.windowsSec',
  PROGNOS_FEATURES_HOP_SEC: 'features.hopSec',
  PROGNOS_FEATURES_STORE_EVERY_SEC: 'features.storeEverySec',
  PROGNOS_FEATURES_MAX_SERIES: 'features.maxSeries',
  PROGNOS_FEATURES_FFT: 'features.fft',
  PROGNOS_PIPELINE_QUEUE_READINGS: 'pipeline.queueReadings',
  PROGNOS_PIPELINE_QUEUE_FEATURES: 'pipeline.queueFeatures',
  PROGNOS_PIPELINE_QUEUE_PREDICTIONS: 'pipeline.queuePredictions',
  PROGNOS_REGISTRY_REFRESH_INTERVAL_MS: 'registry.refreshIntervalMs',
  PROGNOS_REGISTRY_ARTIFACT_DIR: 'registry.artifactDir',
  PROGNOS_REGISTRY_ARTIFACTS_URL: 'registry.artifactsUrl',
  PROGNOS_REGISTRY_S3_ENDPOINT: 'registry.s3.endpoint',
  PROGNOS_REGISTRY_S3_REGION: 'registry.s3.region',
  PROGNOS_REGISTRY_S3_ACCESS_KEY_ID: 'registry.s3.accessKeyId',
  PROGNOS_REGISTRY_S3_SECRET_ACCESS_KEY: 'registry.s3.secretAccessKey',
  PROGNOS_REGISTRY_S3_PATH_STYLE: 'registry.s3.pathStyle',
  PROGNOS_REGISTRY_PIPELINE_SCORING: 'registry.pipelineScoring',
  PROGNOS_REGISTRY_DRIFT_WINDOW: 'registry.driftWindow',
  PROGNOS_REGISTRY_DRIFT_PSI: 'registry.driftPsiThreshold',
  PROGNOS_REGISTRY_DRIFT_KS_ALPHA: 'registry.driftKsAlpha',
  PROGNOS_REGISTRY_RETRAIN_AFTER_WINDOWS: 'registry.retrainAfterWindows',
  PROGNOS_REGISTRY_WEBHOOKS: 'registry.webhooks',
  PROGNOS_REGISTRY_WEBHOOK_SECRET: 'registry.webhookSecret',
  PROGNOS_ALERTS: 'alerts.enabled',
  PROGNOS_ALERTS_DEFAULT_RULES: 'alerts.defaultRules',
  PROGNOS_ALERTS_LINK_BASE: 'alerts.linkBase',
  PROGNOS_ALERTS_TICK_MS: 'alerts.tickMs',
  PROGNOS_ALERTS_FLAP_WINDOW_SEC: 'alerts.flapWindowSec',
  PROGNOS_ALERTS_FLAP_MAX_OPENS: 'alerts.flapMaxOpens',
  PROGNOS_ALERTS_FLAP_CALM_SEC: 'alerts.flapCalmSec',
  PROGNOS_ALERTS_MAX_ATTEMPTS: 'alerts.maxAttempts',
  PROGNOS_ALERTS_RETRY_BASE_MS: 'alerts.retryBaseMs',
  PROGNOS_ALERTS_RETRY_MAX_MS: 'alerts.retryMaxMs',
  PROGNOS_ALERTS_LEASE_SEC: 'alerts.leaseSec',
  PROGNOS_ALERTS_POLL_MS: 'alerts.pollMs',
  PROGNOS_ALERTS_SEND_TIMEOUT_MS: 'alerts.sendTimeoutMs',
  PROGNOS_ALERTS_OUTBOX_RETENTION_DAYS: 'alerts.outboxRetentionDays',
  PROGNOS_ALERTS_DEAD_LETTER_RETENTION_DAYS: 'alerts.deadLetterRetentionDays',
  PROGNOS_ANOMALY: 'anomaly.enabled',
  PROGNOS_ANOMALY_WORKER: 'anomaly.worker',
  PROGNOS_ANOMALY_PROBATION_VECTORS: 'anomaly.probationVectors',
  PROGNOS_ANOMALY_ALARM_SCORE: 'anomaly.alarmScore',
  PROGNOS_ANOMALY_CHECKPOINT_SEC: 'anomaly.checkpointIntervalSec',
  PROGNOS_ANOMALY_DETECTORS: 'anomaly.detectors',
  PROGNOS_ANOMALY_MAX_ASSETS: 'anomaly.maxAssets',
  PROGNOS_ANOMALY_IDLE_EVICT_SEC: 'anomaly.idleEvictSec',
  PROGNOS_HEALTH_WARNING: 'health.warning',
  PROGNOS_HEALTH_CRITICAL: 'health.critical',
  PROGNOS_LOG_LEVEL: 'log.level',
}

/**
 * Each rollup level must outlive the finer data it summarises (0 = forever), or a
 * range would have neither raw readings nor rollups. One problem per offending field.
 */
function retentionProblems(r: Config['retention'], describe: (path: string) => string): string[] {
  const levels = [
    ['retention.rawDays', 'raw readings', r.rawDays],
    ['retention.minuteDays', 'minute rollups', r.minuteDays],
    ['retention.hourDays', 'hour rollups', r.hourDays],
    ['retention.dayDays', 'day rollups', r.dayDays],
  ] as const
  const problems: string[] = []
  const days = (d: number): number => (d === 0 ? Infinity : d)
  for (let i = 1; i < levels.length; i++) {
    const [path, what, d] = levels[i]!
    // The longest-kept finer level is what this one must not undercut.
    const finer = levels.slice(0, i).reduce((a, b) => (days(b[2]) > days(a[2]) ? b : a))
    if (days(d) < days(finer[2])) {
      const keep = finer[2] === 0 ? 'forever (0)' : `${finer[2]} days`
      problems.push(`${describe(path)}: keeps ${what} ${d} days, shorter than ${finer[1]} (${describe(finer[0])} keeps them ${keep}); use 0 (forever)${finer[2] === 0 ? '' : ` or at least ${finer[2]}`}`)
    }
  }
  return problems
}

/** Every invalid setting, reported together. */
export class ConfigError extends CodedError {
  readonly code = 'CONFIG_INVALID'
  constructor(
    readonly problems: string[],
    options?: ErrorOptions,
  ) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`, options)
  }
}

/** The JSON-schema `type` of the setting at a dotted path of ConfigSchema (undefined when it has none, e.g. a union). */
function schemaTypeAt(path: string): unknown {
  let node: { type?: unknown; properties?: Record<string, unknown> } | undefined = ConfigSchema
  for (const key of path.split('.')) node = node?.properties?.[key] as typeof node
  return node?.type
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.')
  let cur = obj
  for (const p of parts.slice(0, -1)) {
    const next = cur[p]
    if (typeof next !== 'object' || next === null || Array.isArray(next)) cur[p] = {}
    cur = cur[p] as Record<string, unknown>
  }
  cur[parts[parts.length - 1]!] = value
}

export interface LoadConfigOptions {
  env?: Record<string, string | undefined>
  /** Path of a YAML file whose keys mirror the schema (camelCase, nested). */
  file?: string
  /** Last-word settings, e.g. from CLI flags, as `path → value`. */
  overrides?: Record<string, unknown>
}

/** Where a setting came from, for error messages: the env var name if one set it. */
function describePath(path: string, fromEnv: Map<string, string>): string {
  const env = fromEnv.get(path)
  return env ? `${env} (${path})` : path
}

/**
 * Reads YAML, then the environment, then overrides, into one validated Config.
 * Throws ConfigError listing every problem at once.
 *
 * @example
 * const config = loadConfig({ env: process.env, file: opts.config })
 */
export function loadConfig(opts: LoadConfigOptions = {}): Config {
  const env = opts.env ?? {}
  const problems: string[] = []
  let raw: Record<string, unknown> = {}
  if (opts.file) {
    try {
      const parsed: unknown = parseYaml(readFileSync(opts.file, 'utf8'))
      if (parsed != null && (typeof parsed !== 'object' || Array.isArray(parsed))) problems.push(`${opts.file}: the top level must be a mapping`)
      else raw = (parsed as Record<string, unknown> | null) ?? {}
    } catch (err) {
      problems.push(`${opts.file}: ${(err as Error).message.split('\n')[0]}`)
    }
  }
  const fromEnv = new Map<string, string>()
  for (const [name, path] of Object.entries(ENV_VARS)) {
    let v = env[name]
    if (v === undefined || v === '') continue
    if (path === 'demo.mode') v = v === 'true' || v === '1' ? 'on' : v === 'false' || v === '0' ? 'off' : v
    // The setting's type in the schema decides: switches take on/off too, lists are comma-separated.
    const type = schemaTypeAt(path)
    if (type === 'boolean') v = v === 'on' ? 'true' : v === 'off' ? 'false' : v
    setPath(raw, path, type === 'array' ? v.split(',').map((w) => w.trim()).filter((w) => w !== '') : v)
    fromEnv.set(path, name)
  }
  for (const [path, v] of Object.entries(opts.overrides ?? {})) if (v !== undefined) setPath(raw, path, v)

  const withDefaults = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, raw))
  for (const e of Value.Errors(ConfigSchema, withDefaults)) {
    const path = e.path.replace(/^\//, '').replace(/\//g, '.')
    // Never echo a secret's value back.
    const secret = /password|secret|url|webhooks|accessKey/i.test(path)
    const got = secret || e.value === undefined ? '' : ` (got ${JSON.stringify(e.value)})`
    problems.push(`${describePath(path || '(root)', fromEnv)}: ${e.message}${got}`)
  }
  if (problems.length === 0) problems.push(...retentionProblems((withDefaults as Config).retention, (p) => describePath(p, fromEnv)))
  if (problems.length === 0) {
    const r = (withDefaults as Config).registry
    if (r.artifactDir !== undefined && r.artifactsUrl !== undefined) problems.push(`${describePath('registry.artifactsUrl', fromEnv)}: artifacts live in a directory or in object storage, not both: unset ${describePath('registry.artifactDir', fromEnv)}`)
    if ((r.s3.accessKeyId === undefined) !== (r.s3.secretAccessKey === undefined)) problems.push(`${describePath('registry.s3.secretAccessKey', fromEnv)}: give the S3 access key id and secret access key together, or neither`)
  }
  if (problems.length === 0) {
    const h = (withDefaults as Config).health
    if (h.critical >= h.warning) problems.push(`${describePath('health.critical', fromEnv)}: ${h.critical} must be below ${describePath('health.warning', fromEnv)} (${h.warning})`)
  }
  if (problems.length > 0) throw new ConfigError([...new Set(problems)])
  return withDefaults as Config
}
