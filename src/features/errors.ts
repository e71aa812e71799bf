import { CodedError } from '../domain/errors.js'

/** A features option is invalid (a window length, an FFT size, a band). */
export class FeatureConfigError extends CodedError {
  readonly code = 'FEATURES_INVALID_CONFIG'
}

/** A snapshot asked for a window length the extractor was not configured with. */
export class UnknownWindowError extends CodedError {
  readonly code = 'FEATURES_UNKNOWN_WINDOW'
  constructor(windowSec: number, options?: ErrorOptions) {
    super(`no rolling window of ${windowSec} s is configured`, options)
  }
}
