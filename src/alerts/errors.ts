import { CodedError } from '../domain/errors.js'

export interface RuleProblem {
  field: string
  reason: string
}

/** A rule (or silence, channel, preference) that cannot work as given: each problem names its field. */
export class InvalidRuleError extends CodedError {
  readonly code = 'VALIDATION_FAILED'
  constructor(
    readonly details: RuleProblem[],
    options?: ErrorOptions,
  ) {
    super(details.map((d) => `${d.field}: ${d.reason}`).join('; '), options)
  }
}

/** An alert transition that the current state does not allow (e.g. acknowledging a resolved alert). */
export class AlertStateError extends CodedError {
  readonly code = 'CONFLICT'
}

/** A rules file that is not YAML, or not a list of rules. */
export class RulesFileError extends CodedError {
  readonly code = 'VALIDATION_FAILED'
  constructor(
    readonly field: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}
