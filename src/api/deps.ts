import type { AuthService } from '../auth/auth.service.js'
import type { Config } from '../config.js'
import type { Logger } from '../logger.js'
import type { AnomalyService } from '../pipeline/anomaly.stage.js'
import type { Catalog } from '../pipeline/catalog.js'
import type { FeaturesQueryService } from '../pipeline/features.query.js'
import type { IngestService } from '../pipeline/ingest.service.js'
import type { LiveHub } from '../pipeline/live.hub.js'
import type { QueryService } from '../pipeline/query.service.js'
import type { Stores } from '../store/ports.js'
import type { ModelRouter } from '../registry/model.router.js'
import type { RegistryService } from '../registry/registry.service.js'
import type { ExperimentService } from '../registry/experiments.service.js'
import type { ParsedBatch, ParseOptions } from '../ingest/records.parse.js'
import type { Metrics } from './metrics.js'
import type { AlertingService } from '../pipeline/alerting.stage.js'

/** What the HTTP layer needs; main.ts builds it. */
export interface ApiDeps {
  config: Config
  log: Logger
  stores: Stores
  auth: AuthService
  catalog: Catalog
  ingest: IngestService
  query: QueryService
  live: LiveHub
  /** Stored and current features of assets. */
  features: FeaturesQueryService
  metrics: Metrics
  /** Model registry and serving (issue 5). */
  registry: RegistryService
  router: ModelRouter
  /** Alerting (rules, alerts, silences, channels, preferences, dead letters); null when off. */
  alerts?: AlertingService | null
  experiments: ExperimentService
  /** Parses an ingest body's bytes (on a worker thread when configured). */
  parseIngest: (body: Buffer, opts: ParseOptions & { maxRecords: number }) => Promise<ParsedBatch>
  version: string
  /** Latest anomaly scores and health (null when anomaly detection is off). */
  anomaly?: AnomalyService | null
  /** Extra readiness facts (e.g. the demo fleet) shown by /health/detailed. */
  status?: () => Record<string, unknown>
}
