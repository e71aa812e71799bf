/**
 * MQTT ingest failures. Each class has a stable `code`; the codes of bad input are what
 * devices read in the `code` field of the reports on `prognos/<tenant>/errors`.
 */
import type { RecordRefusal } from '../errors.js'
import { CodedError } from '../../domain/errors.js'

/** The embedded broker's port is held by another program (typically Mosquitto on 1883). */
export class MqttPortInUseError extends CodedError {
  readonly code = 'MQTT_PORT_IN_USE'
  constructor(
    readonly port: number,
    readonly host: string,
    options?: ErrorOptions,
  ) {
    const reach = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host
    super(
      `MQTT port ${port} on ${host} is already in use, probably by another MQTT broker: to ingest through that broker instead, set PROGNOS_MQTT_URL=mqtt://${reach}:${port} (or move the embedded broker to a free port with PROGNOS_MQTT_PORT)`,
      options,
    )
  }
}

/** The embedded broker could not listen for another reason (permission, bad address). */
export class MqttListenError extends CodedError {
  readonly code = 'MQTT_LISTEN_FAILED'
  constructor(
    readonly port: number,
    readonly host: string,
    options?: ErrorOptions,
  ) {
    super(`the embedded MQTT broker cannot listen on ${host}:${port}: ${String((options?.cause as Error | undefined)?.message ?? options?.cause)}`, options)
  }
}

/** The external broker could not be reached, refused us, or refused the subscription. */
export class MqttConnectError extends CodedError {
  readonly code = 'MQTT_CONNECT_FAILED'
  constructor(
    /** The broker URL with any credentials removed. */
    readonly url: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`cannot ingest from the MQTT broker at ${url}: ${reason}`, options)
  }
}

/** The tenant configured for an external broker does not exist. */
export class MqttTenantUnknownError extends CodedError {
  readonly code = 'MQTT_TENANT_UNKNOWN'
  constructor(
    readonly tenantId: string,
    options?: ErrorOptions,
  ) {
    super(`tenant '${tenantId}' does not exist: create it, or point the MQTT ingest at an existing tenant`, options)
  }
}

/** MQTT CONNACK return codes of MQTT 3.1.1 that a refusal may carry. */
export type ConnackRefusal = 4 | 5

/** A device's credentials were refused at CONNECT (or its key was revoked since). */
export class MqttAuthError extends CodedError {
  readonly code = 'MQTT_AUTH_FAILED'
  /** Read by aedes: 4 = bad user name or password, 5 = not authorised. */
  readonly returnCode: ConnackRefusal
  constructor(message: string, returnCode: ConnackRefusal = 4, options?: ErrorOptions) {
    super(message, options)
    this.returnCode = returnCode
  }
}

/** A subscription other than the device's own tenant error topic. */
export class MqttSubscribeDeniedError extends CodedError {
  readonly code = 'MQTT_SUBSCRIBE_DENIED'
  constructor(
    readonly topic: string,
    allowed: string,
    options?: ErrorOptions,
  ) {
    super(`subscribing to '${topic}' is not allowed; a device may subscribe only to '${allowed}'`, options)
  }
}

/** The topic is not `<root>/<site>/<asset>/telemetry`. */
export class MqttTopicInvalidError extends CodedError {
  readonly code = 'MQTT_TOPIC_INVALID'
  constructor(
    readonly topic: string,
    root: string,
    options?: ErrorOptions,
  ) {
    super(`topic '${topic}' is not ${root}/<site>/<asset>/telemetry (site and asset ids are 1–128 letters, digits or _ . : -; use '-' as site for an asset without one)`, options)
  }
}

/** The topic names an asset outside the publisher's tenant, or the wrong site of it. */
export class MqttTopicDeniedError extends CodedError {
  readonly code = 'MQTT_TOPIC_DENIED'
  constructor(
    readonly topic: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`publishing to '${topic}' is not allowed: ${reason}`, options)
  }
}

/** The payload is not JSON. */
export class MqttPayloadNotJsonError extends CodedError {
  readonly code = 'MQTT_PAYLOAD_NOT_JSON'
}

/** The payload is JSON but neither one record nor `{"records": [ … ]}`. */
export class MqttPayloadMalformedError extends CodedError {
  readonly code = 'MQTT_PAYLOAD_MALFORMED'
}

/** The payload exceeds the byte or record limit. */
export class MqttPayloadTooLargeError extends CodedError {
  readonly code = 'MQTT_PAYLOAD_TOO_LARGE'
}

/** Some or all records of a message were refused; the others were stored. */
export class MqttRecordsRefusedError extends CodedError {
  readonly code = 'MQTT_RECORDS_REFUSED'
  constructor(
    readonly accepted: number,
    readonly refused: RecordRefusal[],
    options?: ErrorOptions,
  ) {
    super(
      accepted === 0
        ? `every record of the message was refused (${refused.length}); nothing was stored`
        : `${refused.length} record${refused.length === 1 ? ' was' : 's were'} refused; the other ${accepted} ${accepted === 1 ? 'was' : 'were'} stored`,
      options,
    )
  }
}

/** Storing failed: the message is not acknowledged, so a QoS 1 publisher sends it again. */
export class MqttIngestFailedError extends CodedError {
  readonly code = 'MQTT_INGEST_FAILED'
  constructor(options?: ErrorOptions) {
    super(`storing the message failed, it was not acknowledged: ${String((options?.cause as Error | undefined)?.message ?? options?.cause)}`, options)
  }
}

/** Bad input from a device: acknowledged (redelivery could not fix it) and reported. */
export type MqttBadInputError = MqttPayloadNotJsonError | MqttPayloadMalformedError | MqttPayloadTooLargeError | MqttRecordsRefusedError

/** A publish the device may not make: refused (embedded broker) or dropped (external broker) and reported. */
export type MqttDeniedError = MqttTopicInvalidError | MqttTopicDeniedError

/** What a device receives on `<root>/<tenant>/errors`, as JSON. */
export interface MqttErrorReport {
  /** The topic of the offending publish. */
  topic: string
  code: (MqttBadInputError | MqttDeniedError | MqttIngestFailedError)['code']
  message: string
  /**
   * For refused records: how many were stored and refused, and the first
   * MAX_REPORTED_REFUSALS refusals `{index, field, reason}` (index = position in the message). Otherwise null.
   */
  details: { accepted: number; refusedCount: number; refused: RecordRefusal[] } | null
}

/** A report lists at most this many refusals, so that one bad batch cannot make a huge report. */
export const MAX_REPORTED_REFUSALS = 100

/** The report of an error, as published on the tenant error topic. */
export function toReport(topic: string, err: MqttBadInputError | MqttDeniedError | MqttIngestFailedError): MqttErrorReport {
  return {
    topic,
    code: err.code,
    message: err.message,
    details: err instanceof MqttRecordsRefusedError ? { accepted: err.accepted, refusedCount: err.refused.length, refused: err.refused.slice(0, MAX_REPORTED_REFUSALS) } : null,
  }
}
