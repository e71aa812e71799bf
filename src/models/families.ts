import { ModelFormatError, UnknownModelFamilyError } from './errors.js'
import type { Model, ModelFamily, SerializedModel } from './model.js'

/**
 * The catalogue of built-in model families. Each family module registers itself here once
 * (`families.register(madFamily)`), and the registry's built-in JSON flavour restores any
 * version through `families.fromJSON`.
 */
export class ModelFamilies {
  private readonly byName = new Map<string, ModelFamily>()

  register<In, Out>(family: ModelFamily<In, Out>): void {
    if (this.byName.has(family.family)) throw new Error(`model family '${family.family}' registered twice`)
    this.byName.set(family.family, family as unknown as ModelFamily)
  }

  get(name: string): ModelFamily {
    const f = this.byName.get(name)
    if (f === undefined) throw new UnknownModelFamilyError(name)
    return f
  }

  has(name: string): boolean {
    return this.byName.has(name)
  }

  names(): string[] {
    return [...this.byName.keys()].sort()
  }

  create(name: string, params?: Readonly<Record<string, unknown>>): Model {
    return this.get(name).create(params)
  }

  fromJSON(serialized: unknown): Model {
    if (typeof serialized !== 'object' || serialized === null) throw new ModelFormatError('a serialized model must be an object')
    const s = serialized as Partial<SerializedModel>
    if (typeof s.family !== 'string') throw new ModelFormatError('a serialized model needs a string "family"')
    if (typeof s.formatVersion !== 'number') throw new ModelFormatError('a serialized model needs a numeric "formatVersion"')
    return this.get(s.family).fromJSON(s as SerializedModel)
  }
}

/** The process-wide catalogue; family modules add themselves, the registry reads it. */
export const families = new ModelFamilies()
