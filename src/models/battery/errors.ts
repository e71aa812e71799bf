/** Battery data a model cannot use: which field, and why. */
export class BatteryDataError extends Error {
  readonly code = 'BATTERY_DATA_INVALID'
  constructor(readonly field: string, readonly reason: string, options?: ErrorOptions) {
    super(`${field}: ${reason}`, options)
    this.name = 'BatteryDataError'
  }
}

/** A battery model used before it was fitted or restored. */
export class BatteryModelNotFittedError extends Error {
  readonly code = 'BATTERY_MODEL_NOT_FITTED'
  constructor(options?: ErrorOptions) {
    super('the battery model has not been fitted', options)
    this.name = 'BatteryModelNotFittedError'
  }
}
