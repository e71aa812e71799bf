import type { ModelSignature } from '../model.js'
import { ModelArtifactInvalidError, ModelRuntimeUnavailableError } from './errors.js'
import { toMatrix, type LoadedModel, type RuntimeAdapter, type ScoreRow, type ServingOutput } from './runtime.js'

type Ort = typeof import('onnxruntime-node')

let ortPromise: Promise<Ort> | null = null
/** Loaded on first use, so instances that never serve ONNX never load the native runtime. */
function ort(): Promise<Ort> {
  ortPromise ??= import('onnxruntime-node').catch((err: unknown) => {
    ortPromise = null
    throw new ModelRuntimeUnavailableError(`the onnx flavour needs the 'onnxruntime-node' package, which cannot be loaded: ${(err as Error).message}`, { cause: err })
  })
  return ortPromise
}

/**
 * ONNX models, run by onnxruntime-node. The model takes one float tensor [batch, features]
 * whose columns are the signature's inputs in order; its first output is [batch] or
 * [batch, k], its columns named by the signature's outputs (the first is the headline value).
 */
export const onnxRuntime: RuntimeAdapter = {
  flavour: 'onnx',
  async load(bytes: Uint8Array, meta: { signature: ModelSignature }): Promise<LoadedModel> {
    const o = await ort()
    let session: import('onnxruntime-node').InferenceSession
    try {
      session = await o.InferenceSession.create(bytes, { graphOptimizationLevel: 'all' })
    } catch (err) {
      throw new ModelArtifactInvalidError(`not a loadable ONNX model: ${(err as Error).message}`, { cause: err })
    }
    const [input] = session.inputMetadata
    if (session.inputNames.length !== 1 || !input) throw new ModelArtifactInvalidError(`the ONNX model must take exactly one input tensor [batch, features]; it takes ${session.inputNames.length} (${session.inputNames.join(', ')})`)
    const d = meta.signature.inputs.length
    if (input.isTensor) {
      if (input.type !== 'float32') throw new ModelArtifactInvalidError(`the ONNX model's input '${input.name}' is ${input.type}; float32 is needed`)
      const width = input.shape[input.shape.length - 1]
      if (input.shape.length !== 2) throw new ModelArtifactInvalidError(`the ONNX model's input '${input.name}' has shape [${input.shape.join(', ')}]; [batch, ${d}] is needed`)
      if (typeof width === 'number' && width !== d) throw new ModelArtifactInvalidError(`the ONNX model takes ${width} features but the signature names ${d} (${meta.signature.inputs.map((f) => f.name).join(', ')})`)
    }
    const fixedBatch = input.isTensor && input.shape[0] === 1
    const outName = session.outputNames[0]!
    const outNames = meta.signature.outputs.map((f) => f.name)
    const run = async (rows: readonly ScoreRow[]): Promise<ServingOutput[]> => {
      const feeds = { [input.name]: new o.Tensor('float32', toMatrix(rows, meta.signature), [rows.length, d]) }
      const result = await session.run(feeds)
      const t = result[outName]!
      const data = t.data as Float32Array | Float64Array
      const k = rows.length > 0 ? data.length / rows.length : 0
      const out: ServingOutput[] = []
      for (let i = 0; i < rows.length; i++) {
        const outputs: Record<string, number> = {}
        for (let j = 0; j < k; j++) outputs[outNames[j] ?? `out${j}`] = Number(data[i * k + j])
        out.push({ value: Number(data[i * k]), outputs })
      }
      return out
    }
    return {
      flavour: 'onnx',
      async predictBatch(rows) {
        if (rows.length === 0) return []
        if (!fixedBatch) return run(rows)
        const out: ServingOutput[] = []
        for (const r of rows) out.push(...(await run([r])))
        return out
      },
      async dispose() {
        await session.release()
      },
    }
  },
}
