/** Authentication and authorisation failures. */

export class AuthRequiredError extends Error {
  readonly code = 'AUTH_REQUIRED'
  constructor(message = 'credentials required: send Authorization: Bearer <token> or X-API-Key: <key>', options?: ErrorOptions) {
    super(message, options)
    this.name = 'AuthRequiredError'
  }
}

export class InvalidCredentialsError extends Error {
  readonly code = 'AUTH_INVALID_CREDENTIALS'
  constructor(message = 'invalid username or password', options?: ErrorOptions) {
    super(message, options)
    this.name = 'InvalidCredentialsError'
  }
}

export class InvalidTokenError extends Error {
  readonly code = 'AUTH_INVALID_TOKEN'
  constructor(message = 'the token or API key is invalid, expired or revoked', options?: ErrorOptions) {
    super(message, options)
    this.name = 'InvalidTokenError'
  }
}

export class ForbiddenError extends Error {
  readonly code = 'AUTH_FORBIDDEN'
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'ForbiddenError'
  }
}
