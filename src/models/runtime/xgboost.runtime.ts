import { createRequire } from 'node:module'
import type { ModelSignature } from '../model.js'
import { ModelArtifactInvalidError, ModelRuntimeUnavailableError } from './errors.js'
import type { LoadedModel, RuntimeAdapter, ServingOutput } from './runtime.js'

interface XgbModel {
  predict(rows: number[][]): ArrayLike<number>
  free(): void
}
interface XgbModule {
  load(model: { name: string; model: number[] }): XgbModel
}

/** The artifact: what `booster.toJSON()` of ml-xgboost gives, i.e. XGBoost's binary model as a byte array. */
interface XgbArtifact {
  name: string
  model: number[]
}

/** Size of XGBoost's LearnerModelParam, the header of its binary model: base_score (f32), num_feature (u32), … */
const LEARNER_PARAM_BYTES = 136

let xgbPromise: Promise<XgbModule> | null = null
/** Loaded on first use (the package exports a promise of the wasm module). */
function xgboost(): Promise<XgbModule> {
  // Through require: the package's CommonJS export is itself a promise, which ESM interop
  // layers (vitest's among them) mistake for a thenable namespace.
  xgbPromise ??= (async () => (await createRequire(import.meta.url)('ml-xgboost')) as XgbModule)().catch((err: unknown) => {
    xgbPromise = null
    throw new ModelRuntimeUnavailableError(`the xgboost flavour needs the 'ml-xgboost' package, which cannot be loaded: ${(err as Error).message}`, { cause: err })
  })
  return xgbPromise
}

/** Parses and checks the artifact before the wasm runtime sees it: its loader aborts on malformed bytes instead of explaining. */
function parseArtifact(bytes: Uint8Array, signature: ModelSignature): XgbArtifact {
  let art: XgbArtifact
  try {
    art = JSON.parse(new TextDecoder().decode(bytes)) as XgbArtifact
  } catch (err) {
    throw new ModelArtifactInvalidError(`not an ml-xgboost model: the artifact is not JSON (${(err as Error).message})`, { cause: err })
  }
  if (typeof art !== 'object' || art === null || art.name !== 'ml-xgboost' || !Array.isArray(art.model)) throw new ModelArtifactInvalidError("not an ml-xgboost model: it must be booster.toJSON(), {name: 'ml-xgboost', model: [bytes]}")
  // ml-xgboost writes bytes as signed (-128…127); either reading is accepted.
  if (art.model.length < LEARNER_PARAM_BYTES || !art.model.every((b) => Number.isInteger(b) && b >= -128 && b <= 255)) throw new ModelArtifactInvalidError(`not an ml-xgboost model: 'model' must hold at least ${LEARNER_PARAM_BYTES} bytes`)
  const byte = (i: number): number => art.model[i]! & 0xff
  const numFeature = (byte(4) | (byte(5) << 8) | (byte(6) << 16) | (byte(7) << 24)) >>> 0
  const d = signature.inputs.length
  // XGBoost reads rows of any width without complaint (extra columns ignored, missing ones
  // treated as absent), so a signature of the wrong width would serve wrong answers silently.
  if (numFeature !== d) throw new ModelArtifactInvalidError(`the xgboost model was trained on ${numFeature} features but the signature names ${d} (${signature.inputs.map((f) => f.name).join(', ')})`)
  return art
}

/**
 * The xgboost flavour: a gradient-boosted tree model trained with `ml-xgboost` (XGBoost
 * compiled to wasm) and saved with `booster.toJSON()`. Rows go in signature order; one output
 * per row. The package is loaded on first use.
 */
export const xgboostRuntime: RuntimeAdapter = {
  flavour: 'xgboost',
  async load(bytes: Uint8Array, meta: { signature: ModelSignature }): Promise<LoadedModel> {
    const xgb = await xgboost()
    const art = parseArtifact(bytes, meta.signature)
    let model: XgbModel
    try {
      model = xgb.load(art)
    } catch (err) {
      // The wasm loader throws a number or an abort() error; neither says more than this.
      throw new ModelArtifactInvalidError('the xgboost model cannot be loaded: its bytes are damaged or from an unsupported XGBoost version', { cause: err })
    }
    const names = meta.signature.inputs.map((f) => f.name)
    const outName = meta.signature.outputs[0]?.name ?? 'value'
    return {
      flavour: 'xgboost',
      async predictBatch(rows) {
        if (rows.length === 0) return []
        const ys = Array.from(model.predict(rows.map((r) => names.map((n) => r.values[n] ?? Number.NaN))))
        return ys.map((y): ServingOutput => ({ value: y, outputs: { [outName]: y } }))
      },
      dispose() {
        model.free()
      },
    }
  },
}
