/** A serialized model that cannot be restored: unknown family, wrong format version, or bad state. */
export class ModelFormatError extends Error {
  readonly code = 'MODEL_FORMAT_INVALID'
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'ModelFormatError'
  }
}

/** A model family name that no catalogue knows. */
export class UnknownModelFamilyError extends Error {
  readonly code = 'MODEL_FAMILY_UNKNOWN'
  constructor(readonly family: string, options?: ErrorOptions) {
    super(`unknown model family '${family}'`, options)
    this.name = 'UnknownModelFamilyError'
  }
}
