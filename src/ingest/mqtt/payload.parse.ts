/**
 * MQTT telemetry payloads → the wide records IngestService takes. Pure.
 *
 * A payload is one record `{"ts": …, "values": {…}}` or `{"records": [ … ]}` of such
 * records. The asset comes from the topic; a record may repeat it in `asset`, but
 * may not name another one.
 */
import type { RecordRefusal } from '../errors.js'
import { MqttPayloadMalformedError, MqttPayloadNotJsonError, MqttPayloadTooLargeError } from './errors.js'

export interface TelemetryPayload {
  /** Records to ingest, each with `asset` set to the topic's asset. */
  records: unknown[]
  /** Position in the payload of `records[i]` (0 for a single-record payload). */
  index: readonly number[]
  /** Records refused before ingest (an `asset` other than the topic's). */
  refused: readonly RecordRefusal[]
  /** Records in the payload, refused or not. */
  total: number
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** What a payload of one acceptable record parses to besides the record: shared, not made per message. */
const ONLY_FIRST: readonly number[] = Object.freeze([0])
const NONE_REFUSED: readonly RecordRefusal[] = Object.freeze([])

const SHAPE = 'the payload must be one record {"ts": …, "values": {…}} or {"records": [ … ]}'

/**
 * Parses a payload published on the telemetry topic of `assetId`.
 * Throws MqttPayloadNotJsonError, MqttPayloadMalformedError or MqttPayloadTooLargeError
 * for the whole message; problems of single records are returned in `refused` or
 * left to IngestService (which refuses them per record).
 */
export function parseTelemetryPayload(text: string, assetId: string, maxRecords: number): TelemetryPayload {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (err) {
    throw new MqttPayloadNotJsonError(`the payload is not valid JSON: ${(err as Error).message}`)
  }
  if (!isPlainObject(body)) throw new MqttPayloadMalformedError(SHAPE)
  let input: unknown[]
  if ('records' in body) {
    if (!Array.isArray(body.records)) throw new MqttPayloadMalformedError(`${SHAPE}; "records" must be an array`)
    input = body.records
    if (input.length > maxRecords) throw new MqttPayloadTooLargeError(`the message holds ${input.length} records; at most ${maxRecords} are accepted per message (split it)`)
  } else {
    // One record, the usual device message: no arrays beyond the one handed to ingest.
    if (body.asset === undefined || body.asset === assetId) {
      body.asset = assetId
      return { records: [body], index: ONLY_FIRST, refused: NONE_REFUSED, total: 1 }
    }
    input = [body]
  }

  const records: unknown[] = []
  const index: number[] = []
  const refused: RecordRefusal[] = []
  for (let i = 0; i < input.length; i++) {
    const r = input[i]
    if (isPlainObject(r)) {
      if (r.asset === undefined) {
        // The object was just parsed from this payload and is ours: no copy per message.
        r.asset = assetId
        records.push(r)
      } else if (r.asset === assetId) {
        records.push(r)
      } else {
        refused.push({ index: i, field: 'asset', reason: `must be '${assetId}', the asset of the topic, or be left out` })
        continue
      }
    } else {
      // IngestService refuses it with the reason HTTP clients get too.
      records.push(r)
    }
    index.push(i)
  }
  return { records, index, refused, total: input.length }
}
