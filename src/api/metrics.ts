import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { MqttIngestEvent } from '../ingest/mqtt/index.js'
import type { TopicStats } from '../pipeline/bus.js'
import type { FeaturesStageEvent } from '../pipeline/features.stage.js'
import type { IngestEvent } from '../pipeline/ingest.service.js'

/** Prometheus metrics of one process. */
export class Metrics {
  readonly registry = new Registry()
  readonly httpDuration = new Histogram({
    name: 'prognos_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  })
  readonly readingsAccepted = new Counter({ name: 'prognos_ingest_readings_total', help: 'Readings stored', registers: [this.registry] })
  readonly recordsAccepted = new Counter({ name: 'prognos_ingest_records_total', help: 'Wide records stored', registers: [this.registry] })
  readonly readingsDuplicate = new Counter({
    name: 'prognos_ingest_duplicates_total',
    help: 'Readings dropped because the same (asset, channel, ts) was already stored (client retries)',
    registers: [this.registry],
  })
  readonly recordsRefused = new Counter({ name: 'prognos_ingest_refused_total', help: 'Records refused', registers: [this.registry] })

  readonly mqttEvents = new Counter({ name: 'prognos_mqtt_events_total', help: 'MQTT ingest events by type (ingested, rejected, denied, auth_failed, …)', labelNames: ['type'], registers: [this.registry] })
  readonly mqttMessages = new Counter({ name: 'prognos_mqtt_messages_total', help: 'MQTT telemetry messages committed', registers: [this.registry] })

  readonly featureRows = new Counter({ name: 'prognos_features_rows_total', help: 'Feature rows (one window of one channel) emitted by the features stage', registers: [this.registry] })

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'prognos_' })
  }

  /** Exposes the readings queue of the pipeline (what waits for the stages after the store) at each scrape. */
  watchPipeline(readings: () => TopicStats): void {
    const gauges: [name: string, help: string, field: 'pending' | 'capacity' | 'failed'][] = [
      ['prognos_pipeline_queue_readings', 'Readings committed and not yet handled by every pipeline stage; at capacity, ingest answers 503 and MQTT acknowledgements wait', 'pending'],
      ['prognos_pipeline_queue_capacity_readings', 'Capacity of the pipeline readings queue', 'capacity'],
      ['prognos_pipeline_stage_failures', 'Pipeline messages whose stage handler failed since start', 'failed'],
    ]
    for (const [name, help, field] of gauges) {
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(readings()[field])
        },
      })
    }
  }

  onFeatures = (e: FeaturesStageEvent): void => {
    if (e.type === 'emitted') this.featureRows.inc(e.rows)
  }

  onMqtt = (e: MqttIngestEvent): void => {
    this.mqttEvents.inc({ type: e.type })
    if (e.type === 'ingested') this.mqttMessages.inc(e.messages)
  }

  onIngest = (e: IngestEvent): void => {
    switch (e.type) {
      case 'appended':
        this.readingsAccepted.inc(e.batch.length)
        this.recordsAccepted.inc(e.records)
        if (e.duplicates > 0) this.readingsDuplicate.inc(e.duplicates)
        break
      case 'refused':
        this.recordsRefused.inc(e.count)
        break
    }
  }
}
