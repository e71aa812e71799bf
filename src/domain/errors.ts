/**
 * The base of every error the platform raises on purpose: a stable `code` that the API
 * maps to a status (api/error-mapper.ts) and clients can rely on, and a `name` equal to
 * the class name. Each module declares its own subclasses in its errors.ts.
 *
 * @example
 * export class UnknownChannelError extends CodedError {
 *   readonly code = 'INGEST_UNKNOWN_CHANNEL'
 * }
 */
export abstract class CodedError extends Error {
  abstract readonly code: string

  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
  }
}
