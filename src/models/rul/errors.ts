/** A RUL model asked to train without a network trainer (pure code cannot pick one; the caller injects it). */
export class RulTrainerMissingError extends Error {
  readonly code = 'RUL_TRAINER_MISSING'
  constructor(options?: ErrorOptions) {
    super('this RUL model needs a network trainer to fit: pass one with withTrainer()', options)
    this.name = 'RulTrainerMissingError'
  }
}

/** A RUL model used before it was fitted or restored. */
export class RulModelNotFittedError extends Error {
  readonly code = 'RUL_MODEL_NOT_FITTED'
  constructor(options?: ErrorOptions) {
    super('the RUL model has not been fitted', options)
    this.name = 'RulModelNotFittedError'
  }
}

/** Training data a RUL model cannot learn from (no units, a unit without cycles, bad parameters). */
export class RulTrainingDataError extends Error {
  readonly code = 'RUL_TRAINING_DATA_INVALID'
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'RulTrainingDataError'
  }
}
