/**
 * Composition root: the only module that chooses adapters and wires services.
 */
import { existsSync, readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './api/app.js'
import { Metrics } from './api/metrics.js'
import { AuthService, DEFAULT_TENANT_ID, type BootstrapResult } from './auth/auth.service.js'
import type { Config } from './config.js'
import type { Logger } from './logger.js'
import { MemoryBus } from './bus/memory.bus.js'
import type { Bus } from './pipeline/bus.js'
import { AnomalyStage, type AnomalyService } from './pipeline/anomaly.stage.js'
import { AnomalyWorkerStage } from './pipeline/anomaly.worker-stage.js'
import { Catalog } from './pipeline/catalog.js'
import { FeaturesQueryService } from './pipeline/features.query.js'
import { FeaturesStage, defaultHopSec } from './pipeline/features.stage.js'
import { PipelineStages } from './pipeline/stages.js'
import { FleetFeeder, type FeedAsset, type FeedSink, type FeedSite } from './pipeline/fleet.feeder.js'
import { IngestService } from './pipeline/ingest.service.js'
import { LatestCache } from './pipeline/latest.cache.js'
import { LiveHub } from './pipeline/live.hub.js'
import { MaintenanceService } from './pipeline/maintenance.service.js'
import { QueryService } from './pipeline/query.service.js'
import { ParsePool } from './ingest/parse.pool.js'
import { MqttPortInUseError, connectExternalBroker, redactUrl, startEmbeddedBroker, type EmbeddedBroker, type ExternalBrokerConnection } from './ingest/mqtt/index.js'
import { parseIngestBody } from './ingest/records.parse.js'
import { createDemoFleet } from './sim/fleet.sim.js'
import { openDuckDbStores } from './store/duckdb/open.js'
import { MetaConflictError } from './store/errors.js'
import type { Stores } from './store/ports.js'
import { openPostgresStores } from './store/postgres/open.js'
import { CodedError } from './domain/errors.js'
import { join } from 'node:path'
import { RUNTIMES } from './models/runtime/index.js'
import { PredictionRecorder, storePublishedPredictions } from './pipeline/prediction.recorder.js'
import { ModelRouter } from './registry/model.router.js'
import { registryScoringStage } from './registry/registry.scoring.js'
import { PrognosticsStage } from './pipeline/prognostics.stage.js'
import { readHistory } from './pipeline/prognostics.history.js'
import { defaultReferenceData, trainDemoModels } from './registry/demo-models.js'
import { RegistryService } from './registry/registry.service.js'
import { ExperimentService } from './registry/experiments.service.js'
import { ServingMetrics } from './registry/serving.metrics.js'
import { WebhookNotifier } from './registry/webhooks.js'
import { FsArtifactStore } from './store/fs/artifact.store.js'
import { S3ArtifactStore } from './store/s3/artifact.store.js'
import type { ArtifactStore } from './store/registry.ports.js'
import { randomUUID } from 'node:crypto'
import { AlertingService } from './pipeline/alerting.stage.js'
import { DeliveryWorker } from './alerts/notify/delivery.worker.js'
import { WebhookSender } from './alerts/notify/webhook.channel.js'
import { SlackSender } from './alerts/notify/slack.channel.js'
import { TeamsSender } from './alerts/notify/teams.channel.js'
import { SmtpSender } from './alerts/notify/smtp.channel.js'

/** The package version, read from package.json above this file (src/ in development, dist/src/ when built). */
export const VERSION: string = (() => {
  for (const rel of ['../package.json', '../../package.json']) {
    const path = fileURLToPath(new URL(rel, import.meta.url))
    if (existsSync(path)) return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version
  }
  return '0.0.0'
})()

const DEMO_SETTING = 'demo.provisioned'
const DEMO_BACKFILL_MS = 10 * 60_000
/** On close, how long the pipeline's stages may take to finish the messages they hold. */
const BUS_DRAIN_ON_CLOSE_MS = 5000

/** Thrown when the platform cannot start, with one sentence saying what to change. */
export class StartupError extends CodedError {
  readonly code = 'STARTUP_FAILED'
}

/** Opens the store the configuration asks for. */
export async function openStores(config: Config, log?: Logger): Promise<Stores> {
  if (config.database.url) return openPostgresStores({ url: config.database.url, poolSize: config.database.poolSize, autoMigrate: config.database.autoMigrate })
  return openDuckDbStores({ dataDir: config.dataDir, memoryLimit: config.database.duckdbMemoryLimit, ...(log ? { onCheckpointError: (err) => log.warn({ err }, 'DuckDB checkpoint failed; the WAL grows until the next one succeeds') } : {}) })
}

/**
 * The artifact store the configuration asks for: an S3-compatible bucket when
 * `registry.artifactsUrl` is set, else a directory (`registry.artifactDir`, default
 * `<dataDir>/artifacts`).
 */
export function openArtifactStore(config: Config): ArtifactStore {
  const r = config.registry
  if (r.artifactsUrl !== undefined) {
    return new S3ArtifactStore({ url: r.artifactsUrl, endpoint: r.s3.endpoint, region: r.s3.region, accessKeyId: r.s3.accessKeyId, secretAccessKey: r.s3.secretAccessKey, pathStyle: r.s3.pathStyle })
  }
  return new FsArtifactStore(r.artifactDir ?? join(config.dataDir === ':memory:' ? '.' : config.dataDir, 'artifacts'))
}

export type MqttStatus =
  | { kind: 'off' }
  | { kind: 'embedded'; url: string }
  | { kind: 'external'; url: string }
  | { kind: 'unavailable'; reason: string }

export interface Platform {
  config: Config
  stores: Stores
  auth: AuthService
  ingest: IngestService
  query: QueryService
  /** Latest value per series, updated on every append. */
  latest: LatestCache
  /** Settles when the latest values and fleet answers of every tenant are loaded (started by createPlatform, awaited by listen). */
  warmed: Promise<void>
  catalog: Catalog
  /** The pipeline's bus (in-process), its features stage (null when features are off) and the scoring/alerting plug-in points. */
  bus: Bus
  features: FeaturesStage | null
  stages: PipelineStages
  /** Model registry (issue 5): versions and deployments, the serving router, the prediction recorder and webhooks. */
  registry: RegistryService
  router: ModelRouter
  recorder: PredictionRecorder
  webhooks: WebhookNotifier
  /** Alert rules, alerts and their notifications (null when alerts.enabled is false). */
  alerts: AlertingService | null
  /** Delivers the notification outbox (null when alerts are off). */
  delivery: DeliveryWorker | null
  experiments: ExperimentService
  /** Windowed prognostic models (RUL, state of health, load forecasts) in the pipeline. */
  prognostics: PrognosticsStage
  /** The anomaly scoring stage (null when anomaly detection or features are off). */
  anomaly: AnomalyService | null
  app: FastifyInstance
  bootstrap: BootstrapResult
  demo: FleetFeeder | null
  /** Rollups and retention: started by listen() when rollup.intervalSec > 0; runOnce() works either way. */
  maintenance: MaintenanceService
  /** Opens the HTTP socket and the MQTT ingest (embedded broker or external client); returns the base URL. */
  listen(): Promise<string>
  /** What MQTT ingest is doing, for people: set by listen(). */
  mqttStatus: MqttStatus
  /** Starts the simulated fleet if the configuration (or an empty store) asks for it. */
  startDemo(): Promise<boolean>
  /** Stops taking requests, flushes and closes the stores. Safe to call twice. */
  close(): Promise<void>
}

/**
 * The model registry and its serving side: registry service over the stores and the artifact
 * directory, the router that serves deployments (polling for changes made elsewhere), the
 * recorder of predictions, the consumer storing every prediction published on the bus, the
 * pipeline scoring stage (registered once a model is deployed), drift events and webhooks.
 */
function wireRegistry(config: Config, log: Logger, stores: Stores, bus: Bus, stages: PipelineStages, metrics: Metrics) {
  const rlog = log.child({ component: 'registry' })
  const artifacts = openArtifactStore(config)
  rlog.info({ artifacts: artifacts.describe('…') }, 'model artifacts')
  const recorder = new PredictionRecorder(stores.predictions, (e) => {
    if (e.type === 'failed') rlog.error({ err: e.error, count: e.count }, 'storing predictions failed')
    else if (e.type === 'dropped') rlog.warn({ count: e.count, reason: e.reason }, 'predictions dropped')
  })
  storePublishedPredictions(bus, stores.predictions, (err) => rlog.error({ err }, 'storing published predictions failed'))
  const registry = new RegistryService(stores.registry, artifacts, RUNTIMES, stores.predictions)
  const experiments = new ExperimentService(registry)
  const webhooks = new WebhookNotifier({
    urls: config.registry.webhooks,
    secret: config.registry.webhookSecret,
    onEvent: (e) => {
      if (e.type === 'failed') rlog.warn({ url: e.url, event: e.event, attempts: e.attempts, err: e.error }, 'webhook delivery failed')
    },
  })
  let scoring = false
  // Windowed models (RUL, state of health, load forecasts) keep per-asset histories from raw readings.
  const prognostics = new PrognosticsStage({
    bus,
    router: { served: (t) => router.served(t), predict: async (t, m, items, o) => router.predict(t, m, items, o) },
    async asset(tenantId, assetId) {
      const tm = stores.meta.tenant(tenantId)
      const a = await tm.getAsset(assetId)
      if (!a) return null
      return { channels: new Set((await tm.listChannels(assetId)).map((c) => c.name)), metadata: a.metadata }
    },
    // After a restart, an asset's history is read back from its stored readings.
    async history(tenantId, assetId, plan, before) {
      const keys = new Map((await stores.meta.tenant(tenantId).listChannels(assetId)).map((c) => [c.name, c.key]))
      return readHistory(stores.series, keys, plan, before)
    },
    onEvent: (e) => {
      if (e.type === 'failed') rlog.warn({ err: e.error, tenantId: e.tenantId, model: e.model, assetId: e.assetId }, 'prognostic model failed on an asset')
      else if (e.type === 'history_failed') rlog.warn({ err: e.error, tenantId: e.tenantId, assetId: e.assetId }, 'prognostics: stored history not read, the asset starts afresh')
      else if (e.type === 'refused') rlog.warn({ tenantId: e.tenantId, assetId: e.assetId, reason: e.reason }, 'prognostics: asset not tracked')
    },
  })
  const router = new ModelRouter(
    {
      store: stores.registry,
      artifacts,
      runtimes: RUNTIMES,
      record: (t, p) => recorder.record(t, p),
      observer: new ServingMetrics(metrics.registry),
      drift: { windowSize: config.registry.driftWindow, psiThreshold: config.registry.driftPsiThreshold, ksAlpha: config.registry.driftKsAlpha },
      retrainAfterWindows: config.registry.retrainAfterWindows,
      onEvent: (e) => {
        switch (e.type) {
          case 'loaded':
            rlog.info({ tenantId: e.tenantId, model: e.model, deployment: e.deploymentId, versions: e.versions }, 'deployment loaded')
            // The scoring stage subscribes only once something is deployed: until then features cost nothing downstream.
            if (!scoring && config.registry.pipelineScoring && router.served().length > 0) {
              scoring = true
              stages.registerScoring(registryScoringStage(router))
            }
            // Consumes readings only once a windowed model is deployed (or the demo asked it to track histories);
            // assets already tracked are answered at once instead of at their next step.
            if (config.registry.pipelineScoring && prognostics.hasModels()) {
              prognostics.start()
              prognostics.catchUp().catch((err: unknown) => rlog.error({ err }, 'prognostics catch-up failed'))
            }
            break
          case 'load_failed':
            rlog.error({ err: e.error, tenantId: e.tenantId, model: e.model, deployment: e.deploymentId }, 'deployment could not be loaded: the previous one keeps serving')
            break
          case 'shadow_failed':
            rlog.warn({ err: e.error, model: e.model, version: e.version }, 'shadow scoring failed')
            break
          case 'drift': {
            const ts = Date.now()
            const report = e.report as unknown as Record<string, unknown>
            registry.emit({ type: 'drift.detected', tenantId: e.tenantId, model: e.model, version: e.version, ts, report })
            const worst = Math.max(0, ...Object.values(e.report.features).map((f) => f.psi), e.report.prediction?.psi ?? 0)
            // Alerting sees drift as a prediction of kind `drift` on the model's pseudo-asset.
            void bus.publish('predictions', { tenantId: e.tenantId, predictions: [{ assetId: `model:${e.model}`, ts, source: 'registry', kind: 'drift', value: worst, model: e.model, version: e.version, details: { drifted: e.report.drifted } }] })
            stores.registry.addDriftEvent(e.tenantId, { model: e.model, version: e.version, ts, report }).catch((err: unknown) => rlog.error({ err }, 'storing a drift event failed'))
            rlog.warn({ tenantId: e.tenantId, model: e.model, version: e.version, drifted: e.report.drifted }, 'drift detected')
            break
          }
          case 'drift_persisted':
            // Retraining re-runs the version's recorded training run; the new version is registered, never promoted by itself.
            if (e.runId === null) {
              rlog.warn({ model: e.model, version: e.version }, 'drift persists but the version has no training run to re-run')
              break
            }
            experiments.rerun(e.tenantId, e.runId, 'system:drift-retrain').then(
              (r) => rlog.info({ model: e.model, run: r.run.id, version: r.version }, 'retrained after persistent drift'),
              (err: unknown) => rlog.error({ err, model: e.model }, 'retraining after drift failed'),
            )
            break
        }
      },
    },
    config.registry.refreshIntervalMs,
  )
  // A change made here is served here before the call returns; other instances poll.
  registry.setPreflight((t, m, spec) => router.preload(t, m, spec))
  registry.setChangeHook(async (t, m) => {
    await router.reload(t, m)
  })
  registry.onEvent((e) => webhooks.notify(e))
  void router.start()
  return { registry, router, recorder, webhooks, experiments, prognostics, artifacts }
}

/**
 * The anomaly scoring stage over the detector-state store, reading assets through the
 * metadata store and the catalog, on a worker thread unless `anomaly.worker` is off;
 * `rul_hours` predictions of other stages feed its health index.
 */
function createAnomalyStage(config: Config, stores: Stores, catalog: Catalog, bus: Bus, log: Logger): AnomalyService {
  const a = config.anomaly
  const stage = new (a.worker ? AnomalyWorkerStage : AnomalyStage)(
    stores.detectorState,
    // From the catalog's cache: a new fleet's first vectors cost no query per asset.
    async (tenantId, assetId) => {
      const e = await catalog.entry(tenantId, assetId)
      if (!e) return null
      const { asset, channels } = e
      return { type: asset.type, siteId: asset.siteId, metadata: asset.metadata, channels: [...channels.values()].map((c) => ({ name: c.name, min: c.min, max: c.max })) }
    },
    { probationVectors: a.probationVectors, alarmScore: a.alarmScore, checkpointIntervalMs: a.checkpointIntervalSec * 1000, maxAssets: a.maxAssets, idleEvictMs: a.idleEvictSec * 1000, ...(a.detectors ? { detectors: a.detectors } : {}), health: config.health },
    (e) => {
      if (e.type === 'checkpoint_failed') log.error({ err: e.error }, 'anomaly detector checkpoint failed')
      else if (e.type === 'restore_failed') log.warn({ err: e.error, assetId: e.assetId }, 'anomaly detector state could not be restored: the asset starts a new probation')
      else if (e.type === 'checkpointed') log.debug({ records: e.records, ms: e.ms }, 'anomaly detectors checkpointed')
      else if (e.type === 'evicted') log.debug({ assets: e.assets, reason: e.reason }, 'anomaly detectors evicted from memory')
      else if (e.type === 'worker_failed') log.error({ err: e.error }, 'anomaly scoring worker failed: its vectors in flight are unscored, a new worker resumes from the last checkpoint')
    },
  )
  bus.subscribe('predictions', 'health-rul', (m) => {
    for (const p of m.predictions) if (p.kind === 'rul_hours') stage.noteRul(m.tenantId, p.assetId, p.value)
  })
  return stage
}

/** In-process sink: provisions through the tenant's store view, ingests through the service. */
function serviceSink(p: { stores: Stores; ingest: IngestService; catalog: Catalog }, tenantId: string): FeedSink {
  const tm = p.stores.meta.tenant(tenantId)
  const ignoreExisting = async <T>(fn: () => Promise<T>): Promise<void> => {
    try {
      await fn()
    } catch (err) {
      if (!(err instanceof MetaConflictError)) throw err
    }
  }
  return {
    async provision(sites: readonly FeedSite[], assets: readonly FeedAsset[]) {
      for (const s of sites) await ignoreExisting(() => tm.createSite({ id: s.id, name: s.name, latitude: s.latitude, longitude: s.longitude, timezone: s.timezone }))
      for (const a of assets) {
        await ignoreExisting(() => tm.createAsset({ id: a.id, siteId: a.siteId, parentId: a.parentId, type: a.type, name: a.name, metadata: a.metadata }))
        await tm.ensureChannels(a.id, a.channels)
        p.catalog.invalidate(tenantId, a.id)
      }
    },
    async send(records) {
      const r = await p.ingest.ingest(tenantId, records)
      return { accepted: r.accepted, refused: r.refused.length }
    },
  }
}

/**
 * Builds the whole platform from a configuration. Nothing listens until `listen()`.
 *
 * @example
 * const platform = await createPlatform(loadConfig({ env: process.env }), log)
 * console.log(await platform.listen())
 */
export async function createPlatform(config: Config, log: Logger, opts: { webRoot?: string } = {}): Promise<Platform> {
  const stores = await openStores(config, log)
  const pools: (ParsePool | null)[] = []
  try {
    const auth = new AuthService(stores.meta, config.auth)
    const bootstrap = await auth.init()
    const catalog = new Catalog(stores.meta)
    const latest = new LatestCache(stores.series)
    const ingest = new IngestService(catalog, stores.series, latest, {
      maxBatchRecords: config.ingest.maxBatchRecords,
      unknownChannels: config.ingest.unknownChannels,
      maxPastMs: config.ingest.maxPastDays * 86_400_000,
      maxFutureMs: config.ingest.maxFutureSec * 1000,
    })
    const query = new QueryService(catalog, stores.series, latest)
    // Loaded in the background from the start, so the first fleet call does not pay for it (it waits for it if it comes first).
    const warmed = stores.meta
      .listTenants()
      .then((tenants) => query.warm(tenants.map((t) => t.id)))
      .catch((err: unknown) => log.warn({ err }, 'could not preload the latest values'))
    const maintenance = new MaintenanceService(
      stores.rollups,
      { intervalMs: config.rollup.intervalSec * 1000, lagMs: config.rollup.lagSec * 1000, retention: config.retention, features: stores.features },
      Date.now,
      (e) => {
        if (e.type === 'error') log.error({ err: e.error }, 'rollup and retention pass failed')
        else log.debug({ ...e.report }, 'rollup and retention pass')
      },
    )
    const metrics = new Metrics()
    ingest.subscribe(metrics.onIngest)
    const live = new LiveHub(catalog)
    ingest.subscribe(live.onIngest)
    const bus = new MemoryBus({
      capacity: { readings: config.pipeline.queueReadings, features: config.pipeline.queueFeatures, predictions: config.pipeline.queuePredictions },
      onEvent: (e) => {
        if (e.type === 'failed') log.error({ err: e.error, topic: e.topic, group: e.group }, 'pipeline stage failed on a message')
        else log.warn({ topic: e.topic, pending: e.pending }, 'pipeline queue saturated: ingest slows down')
      },
    })
    ingest.publishTo(bus)
    live.attach(bus)
    const f = config.features
    const windowsSec = [...f.windowsSec].sort((a, b) => a - b)
    const features = f.enabled ? new FeaturesStage(bus, stores.features, { windowsSec, hopSec: f.hopSec ?? defaultHopSec(windowsSec), ...(f.storeEverySec !== undefined ? { storeEverySec: f.storeEverySec } : {}), maxSeries: f.maxSeries, fft: f.fft }, metrics.onFeatures) : null
    metrics.watchPipeline(() => bus.stats('readings'))
    features?.start()
    const stages = new PipelineStages(bus, (stage, err) => log.error({ err, stage }, 'pipeline stage failed'))
    const reg = wireRegistry(config, log, stores, bus, stages, metrics)
    // Alerting: rules on readings, features and predictions; notifications through a durable outbox.
    const al = config.alerts
    const delivery = al.enabled
      ? new DeliveryWorker(
          stores.alerts,
          [new WebhookSender(), new SlackSender(), new TeamsSender(), new SmtpSender({ timeoutMs: al.sendTimeoutMs })],
          { maxAttempts: al.maxAttempts, retryBaseMs: al.retryBaseMs, retryMaxMs: al.retryMaxMs, leaseMs: al.leaseSec * 1000, pollMs: al.pollMs, timeoutMs: al.sendTimeoutMs, retentionMs: al.outboxRetentionDays * 86_400_000, deadLetterRetentionMs: al.deadLetterRetentionDays * 86_400_000 },
          (e) => {
            // Channel ids only: URLs and passwords never reach a log line.
            if (e.type === 'failed') log.warn({ channel: e.channelId, outbox: e.item.id, attempt: e.attempt, dead: e.dead, error: e.error }, e.dead ? 'notification dead-lettered' : 'notification delivery failed; will retry')
            else if (e.type === 'error') log.error({ err: e.error }, 'notification outbox failed')
            else if (e.type === 'pruned') log.info({ count: e.count, status: e.status, before: new Date(e.before).toISOString() }, e.status === 'dead' ? 'dead letters past their retention deleted from the outbox' : 'delivered notifications past their retention deleted from the outbox')
          },
        )
      : null
    const alerts = al.enabled
      ? new AlertingService(
          {
            store: stores.alerts,
            meta: stores.meta,
            catalog,
            bus,
            delivery,
            newId: randomUUID,
            onEvent: (e) => {
              if (e.type === 'error') log.error({ err: e.error, tenant: e.tenantId }, 'alerting failed')
              else log.debug({ tenant: e.tenantId, transitions: e.transitions.length, notifications: e.outbox }, 'alert transitions')
            },
          },
          { linkBase: al.linkBase, tickMs: al.tickMs, defaultRules: al.defaultRules, flapWindowSec: al.flapWindowSec, flapMaxOpens: al.flapMaxOpens, flapCalmSec: al.flapCalmSec },
        )
      : null
    await alerts?.start(stages)
    delivery?.start()
    const anomaly = features && config.anomaly.enabled ? createAnomalyStage(config, stores, catalog, bus, log) : null
    if (anomaly) stages.registerScoring(anomaly)
    anomaly?.start()
    const workers = config.ingest.parseWorkers === -1 ? Math.min(4, availableParallelism() - 1) : config.ingest.parseWorkers
    const pool = workers > 0 ? new ParsePool(workers) : null
    pools.push(pool)

    let demo: FleetFeeder | null = null
    let mqtt: EmbeddedBroker | ExternalBrokerConnection | null = null
    let mqttStatus: MqttStatus = { kind: 'off' }
    const startMqtt = async (): Promise<void> => {
      const m = config.mqtt
      if (m.mode === 'off') return
      const common = { ingest, meta: stores.meta, log: log.child({ component: 'mqtt' }), maxInFlight: m.maxInFlight, maxInFlightBytes: m.maxInFlightBytes, maxPayloadBytes: m.maxPayloadBytes, onEvent: metrics.onMqtt }
      if (m.url) {
        const file = (path: string | undefined): Buffer | undefined => (path ? readFileSync(path) : undefined)
        mqtt = await connectExternalBroker({
          ...common,
          url: m.url,
          tenantId: m.tenant,
          username: m.username,
          password: m.password,
          ca: file(m.caFile),
          cert: file(m.certFile),
          key: file(m.keyFile),
          rejectUnauthorized: m.tlsRejectUnauthorized,
        })
        mqttStatus = { kind: 'external', url: redactUrl(m.url) }
        return
      }
      try {
        const broker = await startEmbeddedBroker({ ...common, auth, port: m.port, host: m.host ?? config.http.host })
        mqtt = broker
        mqttStatus = { kind: 'embedded', url: `mqtt://${broker.host}:${broker.port}` }
      } catch (err) {
        // The HTTP side still comes up: the operator is told, in one line, how to use the broker that holds the port.
        if (!(err instanceof MqttPortInUseError)) throw err
        mqttStatus = { kind: 'unavailable', reason: err.message }
        log.warn({ code: err.code }, err.message)
      }
    }
    const app = await buildApp(
      {
        config,
        log,
        stores,
        auth,
        catalog,
        ingest,
        query,
        live,
        features: new FeaturesQueryService(catalog, stores.features, features, windowsSec),
        metrics,
        registry: reg.registry,
        router: reg.router,
        alerts,
        experiments: reg.experiments,
        parseIngest: pool ? (body, o) => pool.parse(body, o) : async (body, o) => parseIngestBody(body.toString('utf8'), o),
        version: VERSION,
        anomaly,
        status: () => ({ demo: demo ? { running: true, ticks: demo.ticks, recordsSent: demo.recordsSent } : { running: false }, liveSubscribers: live.subscribers, pipeline: { readingsQueue: bus.stats('readings'), features: features ? features.stats() : 'off', stages: stages.registered, anomaly: anomaly ? anomaly.stats() : 'off' } }),
      },
      opts,
    )

    // The demo's prognostic models, trained in the background (demo-models.ts); killed on close.
    const demoTraining = new AbortController()
    let demoModels: Promise<unknown> = Promise.resolve()
    const startDemoModels = (): void => {
      const dlog = log.child({ component: 'demo-models' })
      const dataDir = config.demo.referenceData ?? defaultReferenceData()
      let lastPct = -1
      demoModels = trainDemoModels({
        registry: reg.registry,
        experiments: reg.experiments,
        tenantId: DEFAULT_TENANT_ID,
        dataDir,
        signal: demoTraining.signal,
        onEvent: (e) => {
          switch (e.type) {
            case 'data_missing':
              dlog.warn({ missing: e.missing }, `demo prognostic models not trained: reference data not found in ${e.dataDir} (put the shared data sets there, or set PROGNOS_REFERENCE_DATA)`)
              break
            case 'skipped':
              dlog.debug({ model: e.model, version: e.version }, 'demo model already in production')
              break
            case 'started':
              lastPct = -1
              dlog.info({ model: e.model }, 'training a demo prognostic model in the background')
              break
            case 'progress': {
              const pct = e.progress.total > 0 ? Math.floor((10 * e.progress.done) / e.progress.total) * 10 : 0
              if (e.progress.stage === 'fit' && pct !== lastPct) {
                lastPct = pct
                dlog.info({ model: e.model, stage: e.progress.stage, done: e.progress.done, total: e.progress.total }, `training ${e.model}: ${pct} %`)
              }
              break
            }
            case 'trained':
              dlog.info({ model: e.model, version: e.result.version, run: e.result.run.id, promoted: e.result.promoted, metrics: e.result.run.metrics, seconds: Math.round(e.seconds) }, e.result.promoted ? `${e.model} version ${e.result.version} trained and promoted to production` : `${e.model} version ${e.result.version} trained, not promoted: ${e.result.promotionRefused ?? ''}`)
              break
            case 'failed':
              dlog.error({ err: e.error, model: e.model }, `training the demo model ${e.model} failed`)
              break
          }
        },
      })
    }

    let closed = false
    const platform: Platform = {
      config,
      stores,
      auth,
      ingest,
      query,
      latest,
      warmed,
      catalog,
      bus,
      features,
      stages,
      ...reg,
      alerts,
      delivery,
      anomaly,
      app,
      bootstrap,
      maintenance,
      get demo() {
        return demo
      },
      get mqttStatus() {
        return mqttStatus
      },
      async listen() {
        try {
          // The first requests find the latest values loaded and the fleet answers built.
          await warmed
          const url = await app.listen({ host: config.http.host, port: config.http.port })
          await startMqtt()
          maintenance.start()
          return url
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code
          if (code === 'EADDRINUSE') throw new StartupError(`port ${config.http.port} on ${config.http.host} is already in use: stop the program using it, or set PROGNOS_PORT to a free port`, { cause: err })
          if (code === 'EACCES') throw new StartupError(`not allowed to listen on port ${config.http.port}: choose a port above 1023 with PROGNOS_PORT`, { cause: err })
          throw err
        }
      },
      async startDemo() {
        const mode = config.demo.mode
        if (mode === 'off') return false
        const tm = stores.meta.tenant(DEFAULT_TENANT_ID)
        const provisioned = (await stores.meta.getSetting(DEMO_SETTING)) !== null
        if (mode === 'auto' && !provisioned && (await tm.listAssets({ limit: 1 })).length > 0) return false
        const firstRun = !provisioned
        // The fleet starts where the backfill starts, so the history is simulated too (faults included);
        // on the first run, the assets prognostic models read start further back (engines at cycle 1,
        // 24 pack cycles, 36 meter days), so their models answer within minutes, not hours.
        const fleet = createDemoFleet({ ...config.demo, startTs: Date.now() - (firstRun ? DEMO_BACKFILL_MS : 0), history: firstRun })
        await stores.meta.setSettingIfAbsent(DEMO_SETTING, String(Date.now()))
        if (config.registry.pipelineScoring) reg.prognostics.track()
        if (config.demo.models && config.registry.pipelineScoring) startDemoModels()
        demo = new FleetFeeder(fleet, serviceSink({ stores, ingest, catalog }, DEFAULT_TENANT_ID), {
          intervalMs: config.demo.intervalMs,
          backfillMs: firstRun ? DEMO_BACKFILL_MS : 0,
          ...(firstRun ? { historyFromTs: fleet.historyFromTs } : {}),
          maxBatchRecords: config.ingest.maxBatchRecords,
          onEvent: (e) => {
            if (e.type === 'error') log.error({ err: e.error }, 'demo fleet tick failed')
          },
        })
        await demo.start()
        log.info({ assets: fleet.assets.length, sites: fleet.sites.length, faults: fleet.faults.length }, 'demo fleet streaming')
        return true
      },
      async close() {
        if (closed) return
        closed = true
        await demo?.stop()
        demoTraining.abort()
        await demoModels
        reg.router.stop()
        await maintenance.stop()
        await warmed
        await mqtt?.close()
        await app.close()
        // Readings are durable already; the stages get a few seconds to finish what they hold (feature rows) before the stores close.
        await Promise.race([bus.drain(), new Promise((r) => setTimeout(r, BUS_DRAIN_ON_CLOSE_MS).unref())])
        await alerts?.stop()
        await delivery?.stop()
        await bus.close()
        await reg.recorder.flush()
        await Promise.race([reg.webhooks.settle(), new Promise((r) => setTimeout(r, BUS_DRAIN_ON_CLOSE_MS).unref())])
        // The detectors' last checkpoint, before the stores close: a restart resumes their learning.
        await anomaly?.stop().catch((err: unknown) => log.error({ err }, 'last anomaly checkpoint failed'))
        await Promise.all(pools.map((p) => p?.close()))
        await stores.close()
        reg.artifacts.close?.()
      },
    }
    return platform
  } catch (err) {
    await Promise.all(pools.map((p) => p?.close()))
    await stores.close().catch(() => undefined)
    throw err
  }
}
