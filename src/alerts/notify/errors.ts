import { CodedError } from '../../domain/errors.js'

/** A channel refused, failed or timed out a delivery; retried unless `permanent`. */
export class DeliveryError extends CodedError {
  readonly code = 'NOTIFY_DELIVERY_FAILED'
  constructor(
    message: string,
    readonly permanent = false,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

/** A channel's configuration lacks what its type needs (caught when the channel is saved). */
export class ChannelConfigError extends CodedError {
  readonly code = 'VALIDATION_FAILED'
  constructor(
    readonly field: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}
