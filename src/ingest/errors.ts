import { CodedError } from '../domain/errors.js'

/** Ingest failures. A refused record is not an error: it is reported in the result. */

export interface RecordRefusal {
  /** Position of the record in the request's `records` array. */
  index: number
  /** Path of the offending field inside the record, e.g. `ts` or `values.voltage`. */
  field: string
  reason: string
}

export class BatchTooLargeError extends CodedError {
  readonly code = 'INGEST_BATCH_TOO_LARGE'
  constructor(
    readonly count: number,
    readonly limit: number,
    options?: ErrorOptions,
  ) {
    super(`the batch holds ${count} records; at most ${limit} are accepted per request (split it, or raise PROGNOS_INGEST_MAX_BATCH_RECORDS)`, options)
  }
}

/** Every record of the batch was refused; nothing was stored. */
export class BatchRefusedError extends CodedError {
  readonly code = 'INGEST_REJECTED'
  constructor(
    readonly details: RecordRefusal[],
    options?: ErrorOptions,
  ) {
    super(`every record of the batch was refused (${details.length} refusal${details.length === 1 ? '' : 's'}); nothing was stored`, options)
  }
}

export class MalformedBatchError extends CodedError {
  readonly code = 'INGEST_MALFORMED'
}

export class MalformedJsonError extends CodedError {
  readonly code = 'MALFORMED_JSON'
}

/** Too much ingest is waiting to be committed; the client should retry after `retryAfterSec`. */
export class IngestBusyError extends CodedError {
  readonly code = 'INGEST_BUSY'
  constructor(
    readonly retryAfterSec: number,
    options?: ErrorOptions,
  ) {
    super(`the platform is busy committing earlier ingest; retry in ${retryAfterSec} s`, options)
  }
}
