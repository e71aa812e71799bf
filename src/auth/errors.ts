import { CodedError } from '../domain/errors.js'

/** Authentication and authorisation failures. */

export class AuthRequiredError extends CodedError {
  readonly code = 'AUTH_REQUIRED'
  constructor(message = 'credentials required: send Authorization: Bearer <token> or X-API-Key: <key>', options?: ErrorOptions) {
    super(message, options)
  }
}

export class InvalidCredentialsError extends CodedError {
  readonly code = 'AUTH_INVALID_CREDENTIALS'
  constructor(message = 'invalid username or password', options?: ErrorOptions) {
    super(message, options)
  }
}

export class InvalidTokenError extends CodedError {
  readonly code = 'AUTH_INVALID_TOKEN'
  constructor(message = 'the token or API key is invalid, expired or revoked', options?: ErrorOptions) {
    super(message, options)
  }
}

export class ForbiddenError extends CodedError {
  readonly code = 'AUTH_FORBIDDEN'
}
