/**
 * The one shape every model of Prognos has: anomaly detectors, health index, RUL, state of
 * health, forecasters. Pure: no I/O. A model is fitted, then used (score or predict), may learn
 * online (update), and round-trips through JSON (the registry's built-in flavour).
 */

import type { PackedVector } from '../features/feature-vector.js'

/** What a model is for; the registry and the pipeline route on it. */
export type ModelKind = 'anomaly' | 'health' | 'rul' | 'soh' | 'forecast' | 'classifier'

/** One input or output of a model, by name (feature-vector keys such as `temp.w60.mean`). */
export interface FieldSpec {
  readonly name: string
  readonly type: 'number' | 'string' | 'number[]'
  readonly description?: string
}

/** The inputs a model reads and the outputs it writes. */
export interface ModelSignature {
  readonly inputs: readonly FieldSpec[]
  readonly outputs: readonly FieldSpec[]
}

/** Everything a person or the registry needs to know about a model without running it. */
export interface ModelDescription {
  readonly family: string
  readonly kind: ModelKind
  readonly summary: string
  readonly params: Readonly<Record<string, unknown>>
  readonly signature: ModelSignature
}

/** The built-in JSON flavour of a model: enough to rebuild it exactly. */
export interface SerializedModel {
  readonly family: string
  readonly formatVersion: number
  readonly params: Readonly<Record<string, unknown>>
  readonly state: unknown
}

/**
 * A model over inputs `In` giving outputs `Out`.
 *
 * @example
 * const m = families.create('mad', { windowSize: 500 })
 * await m.fit(history)
 * const out = m.update(next)          // scores `next`, then learns from it
 * const json = m.toJSON()             // stored as a registry artifact
 */
export interface Model<In = unknown, Out = unknown> {
  readonly family: string
  readonly kind: ModelKind
  describe(): ModelDescription
  /** Learns from a batch (offline training). Streaming detectors may accept an empty batch. */
  fit(data: readonly In[]): void | Promise<void>
  /** Output for one input, without learning from it. */
  predict(input: In): Out
  /** Online models: output for one input, then learn from it (causal: the input does not score itself). */
  update?(input: In): Out
  toJSON(): SerializedModel
}

/** How a family is created and restored; `families.ts` keeps one per family. */
export interface ModelFamily<In = unknown, Out = unknown> {
  readonly family: string
  readonly kind: ModelKind
  create(params?: Readonly<Record<string, unknown>>): Model<In, Out>
  fromJSON(serialized: SerializedModel): Model<In, Out>
}

/** A sample of a multichannel stream: what per-asset detectors read. */
export interface StreamPoint {
  readonly ts: number
  readonly values: Readonly<Record<string, number>>
  /**
   * The same values packed, when they came from the features stage: a model that can read
   * them by position (the asset ensemble) need not touch `values`, whose object is then never built.
   * Valid only during the call that is given the point: its buffer is reused for the next
   * message (the anomaly worker hands it back), so a model that keeps values copies them.
   */
  readonly packed?: PackedVector
}

/** An anomaly score in 0–1 with what drove it (channel or feature → share of the score, summing to about 1). */
export interface AnomalyOutput {
  readonly score: number
  readonly contributions: Readonly<Record<string, number>>
  /** True while the model is still in its probation period (no alarm may be raised from it). */
  readonly warmingUp: boolean
}
