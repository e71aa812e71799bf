/**
 * Runtime adapters: how a registered version's artifact becomes something that scores rows.
 * One adapter per flavour (builtin JSON through the family catalogue, onnx, tfjs, xgboost).
 * Every adapter gets the version's signature: inputs are read by name, in signature order.
 */
import type { ModelKind, ModelSignature } from '../model.js'
import { ModelInputError } from './errors.js'

/** One row to score: a feature vector (names as in the signature) at a time. */
export interface ScoreRow {
  ts: number
  values: Readonly<Record<string, number>>
  /**
   * A structured input for models that read more than one vector (a turbofan's cycle history,
   * a cell's capacity per cycle, an hourly load series), built by a serving adapter
   * (src/pipeline/prognostics.adapters.ts). Only the built-in flavour reads it.
   */
  input?: unknown
}

/** What any model gives for one row: one headline value, every numeric output by name, and extras (e.g. contributions). */
export interface ServingOutput {
  value: number
  outputs: Record<string, number>
  details?: Record<string, unknown>
}

/** A loaded, ready version. */
export interface LoadedModel {
  readonly flavour: string
  predictBatch(rows: readonly ScoreRow[]): Promise<ServingOutput[]>
  dispose?(): Promise<void> | void
}

export interface RuntimeAdapter {
  readonly flavour: string
  /** Loads an artifact; throws ModelArtifactInvalidError when it cannot, ModelRuntimeUnavailableError when the runtime is absent. */
  load(bytes: Uint8Array, meta: { signature: ModelSignature; kind?: ModelKind }): Promise<LoadedModel>
}

/** Checks rows against a signature: every input present and a finite number. Throws with one detail per problem (at most 20). */
export function checkRows(rows: readonly ScoreRow[], signature: ModelSignature): void {
  const problems: { index: number; field: string; reason: string }[] = []
  for (let i = 0; i < rows.length && problems.length < 20; i++) {
    const v = rows[i]!.values
    for (const f of signature.inputs) {
      if (f.type !== 'number') continue
      const x = v[f.name]
      if (x === undefined) problems.push({ index: i, field: f.name, reason: 'missing: the model needs this input' })
      else if (typeof x !== 'number' || !Number.isFinite(x)) problems.push({ index: i, field: f.name, reason: 'must be a finite number' })
    }
  }
  if (problems.length > 0) throw new ModelInputError(problems)
}

/** Rows as one row-major Float32 matrix in signature order (what tensor runtimes take). */
export function toMatrix(rows: readonly ScoreRow[], signature: ModelSignature): Float32Array {
  const names = signature.inputs.map((f) => f.name)
  const m = new Float32Array(rows.length * names.length)
  for (let i = 0; i < rows.length; i++) for (let j = 0; j < names.length; j++) m[i * names.length + j] = rows[i]!.values[names[j]!] ?? Number.NaN
  return m
}

/** Turns a model's raw output (number, AnomalyOutput, or an object of numbers) into a ServingOutput. */
export function normaliseOutput(out: unknown, signature: ModelSignature): ServingOutput {
  if (typeof out === 'number') return { value: out, outputs: { [signature.outputs[0]?.name ?? 'value']: out } }
  if (typeof out === 'object' && out !== null) {
    const o = out as Record<string, unknown>
    const outputs: Record<string, number> = {}
    const details: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(o)) {
      if (typeof v === 'number') outputs[k] = v
      else details[k] = v
    }
    const preferred = [signature.outputs[0]?.name, 'score', 'value', 'rul', 'health', 'soh'].find((k) => k !== undefined && typeof outputs[k] === 'number')
    const first = Object.values(outputs)[0]
    const value = preferred !== undefined ? outputs[preferred]! : (first ?? Number.NaN)
    return Object.keys(details).length > 0 ? { value, outputs, details } : { value, outputs }
  }
  return { value: Number.NaN, outputs: {} }
}
