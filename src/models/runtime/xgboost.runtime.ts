import type { ModelSignature } from '../model.js'
import { ModelArtifactInvalidError, ModelRuntimeUnavailableError } from './errors.js'
import type { LoadedModel, RuntimeAdapter, ServingOutput } from './runtime.js'

interface XgbModel {
  predict(rows: number[][]): number[]
}
interface XgbModule {
  load(model: unknown): XgbModel
}

/**
 * The xgboost flavour: a model saved by `ml-xgboost` (XGBoost compiled to wasm) as JSON
 * (`model.toJSON()`), rows in signature order, one output per row. The package is loaded on
 * first use; an instance without it refuses the flavour with MODEL_RUNTIME_UNAVAILABLE.
 */
export const xgboostRuntime: RuntimeAdapter = {
  flavour: 'xgboost',
  async load(bytes: Uint8Array, meta: { signature: ModelSignature }): Promise<LoadedModel> {
    let xgb: XgbModule
    try {
      const mod = (await import('ml-xgboost' as string)) as { default: (() => Promise<XgbModule>) | XgbModule }
      xgb = typeof mod.default === 'function' ? await mod.default() : mod.default
    } catch (err) {
      throw new ModelRuntimeUnavailableError(`the xgboost flavour needs the 'ml-xgboost' package, which cannot be loaded: ${(err as Error).message}`, { cause: err })
    }
    let model: XgbModel
    try {
      model = xgb.load(JSON.parse(new TextDecoder().decode(bytes)))
    } catch (err) {
      throw new ModelArtifactInvalidError(`not an ml-xgboost model: ${(err as Error).message}`, { cause: err })
    }
    const names = meta.signature.inputs.map((f) => f.name)
    const outName = meta.signature.outputs[0]?.name ?? 'value'
    return {
      flavour: 'xgboost',
      async predictBatch(rows) {
        if (rows.length === 0) return []
        const ys = model.predict(rows.map((r) => names.map((n) => r.values[n] ?? Number.NaN)))
        return ys.map((y): ServingOutput => ({ value: y, outputs: { [outName]: y } }))
      },
    }
  },
}
