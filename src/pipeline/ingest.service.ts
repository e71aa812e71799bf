import { ReadingBatchBuilder, type ReadingBatch } from '../domain/readings.js'
import type { Channel } from '../domain/model.js'
import { BatchRefusedError, BatchTooLargeError, type RecordRefusal } from '../ingest/errors.js'
import { parseBatch, type ParsedBatch, type ParseOptions } from '../ingest/records.parse.js'
import type { SeriesStore } from '../store/ports.js'
import type { Bus, SeriesRef } from './bus.js'
import type { Catalog } from './catalog.js'
import type { LatestCache } from './latest.cache.js'

export interface IngestOptions {
  maxBatchRecords: number
  unknownChannels: 'create' | 'refuse'
  maxPastMs: number
  maxFutureMs: number
}

export interface IngestResult {
  /** Records accepted: all their readings are durable. */
  accepted: number
  /** Readings of the accepted records, durable once this resolves (stored now, or already before). */
  readings: number
  /** Of `readings`, those already stored (same asset, channel and ts): a resent reading is never stored twice. */
  duplicates: number
  refused: RecordRefusal[]
}

/**
 * What ingest emits after a commit; later stages (features, scoring, live updates) subscribe.
 * `batch` holds only the readings this commit stored: duplicates of stored ones are left out.
 */
export type IngestEvent =
  | { type: 'appended'; tenantId: string; batch: ReadingBatch; records: number; duplicates: number } | { type: 'refused'; tenantId: string; count: number }

/**
 * The write path: shape checks → asset and channel resolution → durable append →
 * latest values → event. A batch is judged per record; a refused record contributes
 * nothing to what is stored.
 */
export class IngestService {
  private readonly listeners = new Set<(e: IngestEvent) => void>()
  private bus: Bus | null = null

  constructor(
    private readonly catalog: Catalog,
    private readonly series: SeriesStore,
    private readonly latest: LatestCache,
    private readonly opts: IngestOptions,
    private readonly now: () => number = Date.now,
  ) {}

  subscribe(listener: (e: IngestEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Publishes every committed batch on the bus's `readings` topic (with the series → asset
   * and channel mapping), and makes ingest wait while that topic is saturated.
   */
  publishTo(bus: Bus): void {
    this.bus = bus
  }

  /** True while the pipeline after the store cannot take more: HTTP refuses (503) instead of waiting. */
  get saturated(): boolean {
    return this.bus?.saturated('readings') ?? false
  }

  private emit(e: IngestEvent): void {
    for (const l of this.listeners) l(e)
  }

  /** The accepted timestamp window and batch size, for parsers running elsewhere (worker threads). */
  parseOptions(): ParseOptions & { maxRecords: number } {
    const now = this.now()
    return { minTs: now - this.opts.maxPastMs, maxTs: now + this.opts.maxFutureMs, maxRecords: this.opts.maxBatchRecords }
  }

  /**
   * Ingests wide records for one tenant. Resolves once the accepted readings are durable.
   * Throws BatchTooLargeError, or BatchRefusedError when no record could be accepted.
   * `input` is read before this returns (into columns), so callers may let it go at once.
   */
  async ingest(tenantId: string, input: readonly unknown[]): Promise<IngestResult> {
    const opts = this.parseOptions()
    if (input.length > opts.maxRecords) throw new BatchTooLargeError(input.length, opts.maxRecords)
    return this.ingestParsed(tenantId, parseBatch(input, opts))
  }

  /** Ingests records that already passed shape checks (see parseBatch). */
  async ingestParsed(tenantId: string, p: ParsedBatch): Promise<IngestResult> {
    const refused = [...p.refused]
    const builder = new ReadingBatchBuilder(p.value.length + 16)
    let accepted = 0
    // Fast path: cached asset, known channels, no await. Everything else takes the slow path.
    let slow: number[] | null = null
    for (let r = 0; r < p.count; r++) {
      const channels = this.catalog.cached(tenantId, p.assets[p.asset[r]!]!)
      if (channels && pushRecord(builder, channels, p, r) === null) accepted++
      else (slow ??= []).push(r)
    }
    if (slow) accepted += await this.resolveSlow(tenantId, p, slow, builder, refused)

    refused.sort((a, b) => a.index - b.index)
    if (accepted === 0 && p.total > 0) {
      this.emit({ type: 'refused', tenantId, count: refused.length })
      throw new BatchRefusedError(refused)
    }
    const batch = builder.build()
    const bus = this.bus
    // Back-pressure: nothing more is appended while the stages after the store are behind.
    if (bus?.saturated('readings')) await bus.waitForRoom('readings')
    const { stored, duplicates } = await this.series.append(batch)
    // Only what was stored moves the latest values and goes down the pipeline: a resent duplicate must not.
    this.latest.update(stored)
    if (bus?.hasSubscribers('readings') && stored.length > 0) await bus.publish('readings', { tenantId, batch: stored, series: this.seriesOf }, stored.length)
    this.emit({ type: 'appended', tenantId, batch: stored, records: accepted, duplicates })
    if (refused.length > 0) this.emit({ type: 'refused', tenantId, count: refused.length })
    return { accepted, readings: batch.length, duplicates, refused }
  }

  /** Every key ingest just wrote is in the catalog (see Catalog.channel). */
  private readonly seriesOf = (key: number): SeriesRef | undefined => this.catalog.channel(key)

  /** Records whose asset was not cached or that named a channel the asset lacks. Returns how many went in. */
  private async resolveSlow(tenantId: string, p: ParsedBatch, recs: readonly number[], builder: ReadingBatchBuilder, refused: RecordRefusal[]): Promise<number> {
    const byAsset = new Map<string, number[]>()
    for (const r of recs) {
      const id = p.assets[p.asset[r]!]!
      const list = byAsset.get(id)
      if (list) list.push(r)
      else byAsset.set(id, [r])
    }
    let accepted = 0
    for (const [assetId, list] of byAsset) {
      const channels = await this.catalog.asset(tenantId, assetId)
      if (!channels) {
        for (const r of list) refused.push({ index: p.index[r]!, field: 'asset', reason: `unknown asset '${assetId}'; create it first with POST /v1/assets` })
        continue
      }
      if (this.opts.unknownChannels === 'create') {
        const missing = new Set<string>()
        for (const r of list) for (let k = p.start[r]!; k < p.start[r + 1]!; k++) if (!channels.has(p.names[p.name[k]!]!)) missing.add(p.names[p.name[k]!]!)
        // Only records that named a new channel pay for creating it.
        if (missing.size > 0) for (const c of await this.catalog.ensureChannels(tenantId, assetId, [...missing].map((name) => ({ name })))) channels.set(c.name, c)
      }
      for (const r of list) {
        const unknown = pushRecord(builder, channels, p, r)
        if (unknown === null) accepted++
        else refused.push({ index: p.index[r]!, field: `values.${unknown}`, reason: `unknown channel '${unknown}' on asset '${assetId}' (unknown channels are refused by configuration)` })
      }
    }
    return accepted
  }
}

/**
 * Pushes all readings of record `r`, or none: returns the first unknown channel name
 * (after taking back what the record had pushed), or null when the record went in.
 */
function pushRecord(builder: ReadingBatchBuilder, channels: Map<string, Channel>, p: ParsedBatch, r: number): string | null {
  const mark = builder.length
  const ts = p.ts[r]!
  for (let k = p.start[r]!; k < p.start[r + 1]!; k++) {
    const name = p.names[p.name[k]!]!
    const ch = channels.get(name)
    if (!ch) {
      builder.truncate(mark)
      return name
    }
    builder.push(ch.key, ts, p.value[k]!)
  }
  return null
}
