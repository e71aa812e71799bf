/**
 * MQTT ingest: an embedded broker devices publish to, or a client of an external broker.
 * main.ts picks one; both ingest `<root>/<site>/<asset>/telemetry` through IngestService.
 */
export { startEmbeddedBroker, DEFAULT_MQTT_PORT, DEFAULT_KEY_RECHECK_MS, type EmbeddedBroker, type EmbeddedBrokerOptions, type MqttDeviceAuth } from './embedded.broker.js'
export {
  connectExternalBroker,
  externalClientOptions,
  redactUrl,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_RECONNECT_PERIOD_MS,
  type ExternalBrokerConnection,
  type ExternalBrokerOptions,
} from './external.client.js'
export { DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_IN_FLIGHT_BYTES, DEFAULT_MAX_PAYLOAD_BYTES, type MqttIngestOptions, type MqttIngestSink } from './telemetry.ingestor.js'
export { MqttIngestStats, type MqttIngestEvent, type MqttTenantStats } from './events.js'
export { DEFAULT_TOPIC_ROOT, NO_SITE, errorTopic, telemetryFilter, telemetryTopic } from './topics.js'
export * from './errors.js'
