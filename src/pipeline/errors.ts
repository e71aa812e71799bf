import { CodedError } from '../domain/errors.js'

/** Errors of the platform's services, independent of transport. */

export class NotFoundError extends CodedError {
  readonly code = 'NOT_FOUND'
  constructor(
    readonly what: string,
    readonly id: string,
    options?: ErrorOptions,
  ) {
    super(`${what} '${id}' not found`, options)
  }
}

export interface FieldProblem {
  field: string
  reason: string
}

/** Request parameters that cannot be served as given. */
export class InvalidRequestError extends CodedError {
  readonly code = 'VALIDATION_FAILED'
  constructor(
    readonly details: FieldProblem[],
    options?: ErrorOptions,
  ) {
    super(details.map((d) => `${d.field}: ${d.reason}`).join('; '), options)
  }
}
