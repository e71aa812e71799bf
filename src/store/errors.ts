import { CodedError } from '../domain/errors.js'

/** Errors raised by store adapters. Each carries a stable code; api/ maps codes to HTTP statuses. */

export class StoreUnavailableError extends CodedError {
  readonly code = 'STORE_UNAVAILABLE'
}

/** A driver error, wrapped once with the statement that caused it. */
export class StoreQueryError extends CodedError {
  readonly code = 'STORE_QUERY_FAILED'
  constructor(
    readonly sql: string,
    options?: ErrorOptions,
  ) {
    super(`query failed: ${sql.replace(/\s+/g, ' ').slice(0, 200)}: ${String((options?.cause as Error | undefined)?.message ?? options?.cause)}`, options)
  }
}

/** A write that would break a uniqueness or reference rule. */
export class MetaConflictError extends CodedError {
  readonly code = 'CONFLICT'
}

/** A referenced object (site, parent asset) that does not exist in the tenant. */
export class MetaReferenceError extends CodedError {
  readonly code = 'INVALID_REFERENCE'
  constructor(
    readonly field: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

/** The artifact store (a directory or an object-storage bucket) cannot be reached or refuses access. */
export class ArtifactStoreUnavailableError extends CodedError {
  readonly code = 'ARTIFACT_STORE_UNAVAILABLE'
}

/** No artifact under a key. */
export class ArtifactNotFoundError extends CodedError {
  readonly code = 'ARTIFACT_NOT_FOUND'
  constructor(
    readonly key: string,
    where: string,
    options?: ErrorOptions,
  ) {
    super(`artifact ${where} does not exist`, options)
  }
}

/** An artifact whose bytes no longer match the SHA-256 recorded when it was written. */
export class ArtifactCorruptError extends CodedError {
  readonly code = 'ARTIFACT_CORRUPT'
  constructor(
    readonly key: string,
    where: string,
    readonly expectedSha256: string,
    readonly actualSha256: string,
    options?: ErrorOptions,
  ) {
    super(`artifact ${where} is corrupt: its SHA-256 is ${actualSha256.slice(0, 12)}…, ${expectedSha256.slice(0, 12)}… was registered`, options)
  }
}
