import { CodedError } from '../../domain/errors.js'

/** An artifact that its flavour's runtime cannot load, or that does not run on its own signature. */
export class ModelArtifactInvalidError extends CodedError {
  readonly code = 'MODEL_ARTIFACT_INVALID'
  readonly field = 'artifact'
}

/** A flavour whose runtime package is not installed on this instance. */
export class ModelRuntimeUnavailableError extends CodedError {
  readonly code = 'MODEL_RUNTIME_UNAVAILABLE'
}

/** Inputs that do not fit a model's signature (a missing or non-numeric feature). */
export class ModelInputError extends CodedError {
  readonly code = 'MODEL_SIGNATURE_MISMATCH'
  constructor(
    readonly details: { index?: number; field: string; reason: string }[],
    options?: ErrorOptions,
  ) {
    super(details.map((d) => `${d.index !== undefined ? `[${d.index}] ` : ''}${d.field}: ${d.reason}`).join('; '), options)
  }
}
