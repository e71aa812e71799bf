import type { ModelSignature } from '../model.js'
import { ModelArtifactInvalidError, ModelRuntimeUnavailableError } from './errors.js'
import { toMatrix, type LoadedModel, type RuntimeAdapter, type ServingOutput } from './runtime.js'

/**
 * The tfjs flavour's artifact: one JSON document holding a Layers model's `modelTopology`,
 * its `weightSpecs` and the weights as base64 (`weightData`), i.e. what
 * `model.save(tf.io.withSaveHandler(…))` hands over, with the bytes encoded.
 */
interface TfjsArtifact {
  modelTopology: unknown
  weightSpecs: unknown[]
  weightData: string
}

interface TfLike {
  loadLayersModel(handler: unknown): Promise<{ predict(x: unknown): unknown; dispose(): void; inputs: { shape: (number | null)[] }[] }>
  io: { fromMemory(artifacts: unknown): unknown }
  tensor2d(values: Float32Array, shape: [number, number]): { dispose(): void }
}

/** Layers models from @tensorflow/tfjs, input [batch, features] in signature order, output [batch, k]. */
export const tfjsRuntime: RuntimeAdapter = {
  flavour: 'tfjs',
  async load(bytes: Uint8Array, meta: { signature: ModelSignature }): Promise<LoadedModel> {
    let tf: TfLike
    try {
      tf = (await import('@tensorflow/tfjs' as string)) as TfLike
    } catch (err) {
      throw new ModelRuntimeUnavailableError(`the tfjs flavour needs the '@tensorflow/tfjs' package, which cannot be loaded: ${(err as Error).message}`, { cause: err })
    }
    let art: TfjsArtifact
    try {
      art = JSON.parse(new TextDecoder().decode(bytes)) as TfjsArtifact
      if (typeof art.modelTopology !== 'object' || !Array.isArray(art.weightSpecs) || typeof art.weightData !== 'string') throw new Error('needs modelTopology, weightSpecs and base64 weightData')
    } catch (err) {
      throw new ModelArtifactInvalidError(`not a tfjs artifact: ${(err as Error).message}`, { cause: err })
    }
    const weights = Uint8Array.from(atob(art.weightData), (c) => c.charCodeAt(0)).buffer
    let model: Awaited<ReturnType<TfLike['loadLayersModel']>>
    try {
      model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: art.modelTopology, weightSpecs: art.weightSpecs, weightData: weights }))
    } catch (err) {
      throw new ModelArtifactInvalidError(`the tfjs model cannot be built: ${(err as Error).message}`, { cause: err })
    }
    const d = meta.signature.inputs.length
    const shape = model.inputs[0]?.shape ?? []
    if (model.inputs.length !== 1 || shape.length !== 2) {
      model.dispose()
      throw new ModelArtifactInvalidError(`the tfjs model must take one input [batch, features]; it takes ${model.inputs.length} of shape [${shape.join(', ')}]`)
    }
    if (typeof shape[1] === 'number' && shape[1] !== d) {
      model.dispose()
      throw new ModelArtifactInvalidError(`the tfjs model takes ${shape[1]} features but the signature names ${d} (${meta.signature.inputs.map((f) => f.name).join(', ')})`)
    }
    const outNames = meta.signature.outputs.map((f) => f.name)
    return {
      flavour: 'tfjs',
      async predictBatch(rows) {
        if (rows.length === 0) return []
        const x = tf.tensor2d(toMatrix(rows, meta.signature), [rows.length, d])
        const y = model.predict(x) as { dataSync(): Float32Array; dispose(): void }
        const data = y.dataSync()
        x.dispose()
        y.dispose()
        const k = data.length / rows.length
        const out: ServingOutput[] = []
        for (let i = 0; i < rows.length; i++) {
          const outputs: Record<string, number> = {}
          for (let j = 0; j < k; j++) outputs[outNames[j] ?? `out${j}`] = data[i * k + j]!
          out.push({ value: data[i * k]!, outputs })
        }
        return out
      },
      dispose() {
        model.dispose()
      },
    }
  },
}
