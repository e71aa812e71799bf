import '../catalogue.js'
import { families } from '../families.js'
import type { Model, ModelSignature } from '../model.js'
import { ModelArtifactInvalidError } from './errors.js'
import { normaliseOutput, type LoadedModel, type RuntimeAdapter, type ScoreRow, type ServingOutput } from './runtime.js'

/** The built-in flavour: a SerializedModel as JSON, restored through the family catalogue. */
export const builtinRuntime: RuntimeAdapter = {
  flavour: 'builtin',
  async load(bytes: Uint8Array, meta: { signature: ModelSignature }): Promise<LoadedModel> {
    let model: Model
    try {
      model = families.fromJSON(JSON.parse(new TextDecoder().decode(bytes)))
    } catch (err) {
      throw new ModelArtifactInvalidError(`the built-in artifact cannot be restored: ${(err as Error).message}`, { cause: err })
    }
    return {
      flavour: 'builtin',
      async predictBatch(rows: readonly ScoreRow[]): Promise<ServingOutput[]> {
        // Serving never learns: predict, not update, so every replica answers the same.
        // A windowed model gets the history its serving adapter kept; the others one vector.
        return rows.map((r) => normaliseOutput(model.predict(r.input !== undefined ? r.input : { ts: r.ts, values: r.values }), meta.signature))
      },
    }
  },
}
