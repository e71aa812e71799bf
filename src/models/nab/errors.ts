/** A NAB labels, profiles or results input that cannot be used (bad JSON shape, a window that does not fit its file). */
export class NabInputError extends Error {
  readonly code = 'NAB_INPUT_INVALID'
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'NabInputError'
  }
}
