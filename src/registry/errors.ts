import { CodedError } from '../domain/errors.js'

/** Errors of the model registry; api/error-mapper.ts maps each code to a status. */

export class ModelNotFoundError extends CodedError {
  readonly code = 'MODEL_NOT_FOUND'
  constructor(
    readonly model: string,
    options?: ErrorOptions,
  ) {
    super(`model '${model}' not found`, options)
  }
}

export class ModelVersionNotFoundError extends CodedError {
  readonly code = 'MODEL_VERSION_NOT_FOUND'
  readonly field = 'version'
  constructor(
    readonly model: string,
    readonly version: number,
    options?: ErrorOptions,
  ) {
    super(`model '${model}' has no version ${version}`, options)
  }
}

export class DeploymentNotFoundError extends CodedError {
  readonly code = 'DEPLOYMENT_NOT_FOUND'
  readonly field = 'to'
  constructor(model: string, id: number, options?: ErrorOptions) {
    super(`model '${model}' has no deployment #${id}`, options)
  }
}

/** A deployment change that makes no sense (percent out of range, weights that sum to 0, archiving what serves…). */
export class DeploymentInvalidError extends CodedError {
  readonly code = 'DEPLOYMENT_INVALID'
  constructor(
    readonly field: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

/** A promotion refused by the model's gates. `details` names each failed gate. */
export class GateFailedError extends CodedError {
  readonly code = 'MODEL_GATE_FAILED'
  constructor(
    readonly details: { field: string; reason: string }[],
    options?: ErrorOptions,
  ) {
    super(`promotion refused by the gates: ${details.map((d) => d.reason).join('; ')}`, options)
  }
}

/** Predict on a model with nothing deployed. */
export class ModelNotDeployedError extends CodedError {
  readonly code = 'MODEL_NOT_DEPLOYED'
  constructor(model: string, options?: ErrorOptions) {
    super(`model '${model}' has no deployed version: promote one first`, options)
  }
}

/** A register/import request that cannot be accepted (bad signature, unknown flavour …). */
export class RegistrationInvalidError extends CodedError {
  readonly code = 'MODEL_REGISTRATION_INVALID'
  constructor(
    readonly field: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

/** A training spec that cannot be run. */
export class TrainingSpecError extends CodedError {
  readonly code = 'TRAINING_SPEC_INVALID'
  constructor(
    readonly field: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${field}: ${message}`, options)
  }
}
