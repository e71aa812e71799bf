/**
 * The bus port: how the streaming pipeline hands work from one stage to the next.
 *
 *   ingest ──readings──▶ features ──features──▶ scoring ──predictions──▶ alerting ──alerts──▶
 *
 * Each topic carries whole batches (one message per committed ingest batch, per
 * feature emission, …), never one message per reading. Every consumer group of a topic
 * sees every message, in publish order, one at a time; a message is acknowledged when
 * the group's handler has resolved, and only then does it stop counting against the
 * topic's capacity. That is the contract a NATS JetStream adapter can keep as well
 * (one stream per topic, one durable consumer per group, ack after the handler).
 *
 * Capacity is counted in units the producer chooses (readings for `readings`, feature
 * rows for `features`): a topic is saturated while its unacknowledged units reach its
 * capacity. Publishing never fails for lack of room (what ingest publishes is already
 * durable); producers ask `saturated()` before taking more work, or `waitForRoom()`.
 * The in-process adapter lives in src/bus/; main.ts picks it.
 */
import type { ReadingBatch } from '../domain/readings.js'
import type { FeatureName, FeatureVector, PackedVector } from '../features/feature-vector.js'

/** Where a series' readings belong: what a stage needs to name features and route them per asset (a Channel is one). */
export interface SeriesRef {
  key: number
  assetId: string
  /** The channel's name. */
  name: string
}

/** One committed ingest batch of a tenant, and where each of its series belongs. */
export interface ReadingsMessage {
  tenantId: string
  batch: ReadingBatch
  /**
   * The asset and channel behind a series key of the batch. A lookup rather than a list
   * shipped with every batch: building and indexing one per batch cost the stages three
   * maps of every series in it.
   */
  series(key: number): SeriesRef | undefined
}

/** The feature vector of one asset at one time, covering the channels that emitted. */
export interface AssetFeatures {
  assetId: string
  ts: number
  /** Name → value. The features stage's vectors build it on first read: readers of a few features use `featureOf`. */
  readonly vector: FeatureVector
  /** The same features packed (the features stage's vectors): read through `featureOf`. */
  readonly packed?: PackedVector
}

/** One feature of an asset's vector, without building the name → value object of a packed one. */
export function featureOf(a: AssetFeatures, name: FeatureName): number | undefined {
  return a.packed ? a.packed.get(name) : a.vector[name]
}

/** What the features stage publishes: packed values, the object built only when read. */
export class PackedAssetFeatures implements AssetFeatures {
  constructor(
    readonly assetId: string,
    readonly ts: number,
    readonly packed: PackedVector,
  ) {}

  get vector(): FeatureVector {
    return this.packed.toObject()
  }

  /** As live updates and logs serialise it: `{assetId, ts, vector}`. */
  toJSON(): { assetId: string; ts: number; vector: FeatureVector } {
    return { assetId: this.assetId, ts: this.ts, vector: this.vector }
  }
}

/** Feature snapshots emitted for one tenant after one readings message. */
export interface FeaturesMessage {
  tenantId: string
  assets: readonly AssetFeatures[]
}

/** What a scoring stage says about an asset at a time (issue 4 fills in the models). */
export interface Prediction {
  assetId: string
  ts: number
  /** The stage (model) that produced it. */
  source: string
  /** E.g. `anomaly_score`, `rul_hours`, `health`. */
  kind: string
  value: number
  details?: Record<string, unknown>
  /**
   * True when `details` say materially what the last stored prediction of the same asset,
   * kind, source and model said: stores may leave them out, and their reads fill them in from
   * that one (the anomaly stage marks most of its predictions so; JSON of two details a
   * vector was most of what storing them cost).
   */
  detailsRepeat?: boolean
  /** Registry model name, when a registered model made it (issue 5). */
  model?: string
  /** Registry version of that model. */
  version?: number
  /** The deployment that routed the asset to that version: `production`, `canary`, `ab:<variant>`, `shadow`. */
  deployment?: string
}

export interface PredictionsMessage {
  tenantId: string
  predictions: readonly Prediction[]
}

/** An alert transition (issue 7 fills in the rules and the state machine). */
export interface Alert {
  assetId: string
  ts: number
  source: string
  severity: 'info' | 'warning' | 'critical'
  state: 'open' | 'resolved'
  message: string
  details?: Record<string, unknown>
}

export interface AlertsMessage {
  tenantId: string
  alerts: readonly Alert[]
}

/** Topics and their messages. */
export interface BusTopics {
  readings: ReadingsMessage
  features: FeaturesMessage
  predictions: PredictionsMessage
  alerts: AlertsMessage
}
export type Topic = keyof BusTopics
export const TOPICS: readonly Topic[] = ['readings', 'features', 'predictions', 'alerts']

/** Handles one message; the message is acknowledged when the returned promise resolves (or rejects: see BusEvent 'failed'). */
export type BusHandler<T extends Topic> = (msg: BusTopics[T]) => void | Promise<void>

/** Handles messages of one topic together; see Bus.subscribeBatch. */
export type BusBatchHandler<T extends Topic> = (msgs: readonly BusTopics[T][]) => void | Promise<void>

/** Default bound of a batch handed to a batch handler. */
export const DEFAULT_BUS_BATCH_MESSAGES = 64

export interface Subscription {
  /** Stops delivery to this group; messages it still held are acknowledged. */
  unsubscribe(): void
}

/** Queue sizes of a topic. */
export interface TopicStats {
  /** Units published and not yet acknowledged by every group. */
  pending: number
  capacity: number
  published: number
  /** Messages whose handler threw or rejected (acknowledged anyway: stages are derived work, never retried forever). */
  failed: number
  groups: number
}

/** Typed events for logs and metrics. */
export type BusEvent = { type: 'saturated'; topic: Topic; pending: number } | { type: 'failed'; topic: Topic; group: string; error: unknown }

/** The port. */
export interface Bus {
  /**
   * Queues a message for every consumer group of the topic. `units` is its weight against
   * the topic's capacity (default 1). Never refuses for lack of room; a topic without
   * groups drops the message at once.
   */
  publish<T extends Topic>(topic: T, msg: BusTopics[T], units?: number): Promise<void>
  /** Joins (or creates) consumer group `group` of a topic; one handler per group, one message at a time. */
  subscribe<T extends Topic>(topic: T, group: string, handler: BusHandler<T>): Subscription
  /**
   * Like `subscribe`, but the handler gets the messages waiting for the group together, in
   * publish order (at most `maxMessages`), and all of them are acknowledged when it resolves:
   * for stages whose per-message cost (a transaction, a downstream publish) can be shared.
   * While the stage keeps up it sees one message at a time; when behind, larger batches.
   */
  subscribeBatch<T extends Topic>(topic: T, group: string, handler: BusBatchHandler<T>, maxMessages?: number): Subscription
  /** True when anyone would receive a message on the topic (lets producers skip building it). */
  hasSubscribers(topic: Topic): boolean
  /** True while the topic's unacknowledged units are at or above its capacity. */
  saturated(topic: Topic): boolean
  /** Resolves at once when the topic has room, else as soon as it has. */
  waitForRoom(topic: Topic): Promise<void>
  /** Resolves when every message published so far has been acknowledged by every group. */
  drain(): Promise<void>
  stats(topic: Topic): TopicStats
  /** Stops delivery after the messages in progress; later publishes are dropped. */
  close(): Promise<void>
}
