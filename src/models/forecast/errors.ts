/** Bad input to a forecaster: which field, and why. */
export class ForecastInputError extends Error {
  readonly code = 'FORECAST_INPUT_INVALID'
  constructor(readonly field: string, readonly reason: string, options?: ErrorOptions) {
    super(`${field}: ${reason}`, options)
    this.name = 'ForecastInputError'
  }
}

/** A forecaster used before it was fitted or restored. */
export class ForecastModelNotFittedError extends Error {
  readonly code = 'FORECAST_MODEL_NOT_FITTED'
  constructor(options?: ErrorOptions) {
    super('the forecast model has not been fitted', options)
    this.name = 'ForecastModelNotFittedError'
  }
}

/** A forecaster asked to train without a network trainer (the caller injects one). */
export class ForecastTrainerMissingError extends Error {
  readonly code = 'FORECAST_TRAINER_MISSING'
  constructor(options?: ErrorOptions) {
    super('this forecast model needs a network trainer to fit: pass one with withTrainer()', options)
    this.name = 'ForecastTrainerMissingError'
  }
}
