import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { MqttIngestEvent } from '../ingest/mqtt/index.js'
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

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'prognos_' })
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
