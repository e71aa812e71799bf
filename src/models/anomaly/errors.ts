import { CodedError } from '../../domain/errors.js'

/** A detector was created with parameters it cannot work with (names the parameter and why). */
export class DetectorParamsError extends CodedError {
  readonly code = 'DETECTOR_PARAMS_INVALID'
  constructor(
    readonly param: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`detector parameter '${param}' ${reason}`, options)
  }
}
