import { ReadingBatchBuilder, type ReadingBatch } from '../domain/readings.js'
import type { Channel } from '../domain/model.js'
import { BatchRefusedError, BatchTooLargeError, type RecordRefusal } from '../ingest/errors.js'
import { parseRecords, type ParsedRecord } from '../ingest/records.parse.js'
import type { SeriesStore } from '../store/ports.js'
import type { Catalog } from './catalog.js'
import type { LatestCache } from './latest.cache.js'

export interface IngestOptions {
  maxBatchRecords: number
  unknownChannels: 'create' | 'refuse'
  maxPastMs: number
  maxFutureMs: number
}

export interface IngestResult {
  accepted: number
  readings: number
  refused: RecordRefusal[]
}

/** What ingest emits after a commit; later stages (features, scoring, live updates) subscribe. */
export type IngestEvent = { type: 'appended'; tenantId: string; batch: ReadingBatch; records: number } | { type: 'refused'; tenantId: string; count: number }

/**
 * The write path: shape checks → asset and channel resolution → durable append →
 * latest values → event. A batch is judged per record; refused records contribute
 * nothing to what is stored.
 */
export class IngestService {
  private readonly listeners = new Set<(e: IngestEvent) => void>()

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

  private emit(e: IngestEvent): void {
    for (const l of this.listeners) l(e)
  }

  /**
   * Ingests wide records for one tenant. Resolves once the accepted readings are durable.
   * Throws BatchTooLargeError, or BatchRefusedError when no record could be accepted.
   */
  async ingest(tenantId: string, input: readonly unknown[]): Promise<IngestResult> {
    if (input.length > this.opts.maxBatchRecords) throw new BatchTooLargeError(input.length, this.opts.maxBatchRecords)
    const now = this.now()
    const { records, refused } = parseRecords(input, { minTs: now - this.opts.maxPastMs, maxTs: now + this.opts.maxFutureMs })

    const builder = new ReadingBatchBuilder(records.length * 8 + 16)
    let accepted = 0
    // Fast path: cached asset, known channels, no await. Everything else takes the slow path.
    let slow: ParsedRecord[] | null = null
    for (const r of records) {
      const channels = this.catalog.cached(tenantId, r.asset)
      if (channels && this.pushRecord(builder, channels, r) === null) accepted++
      else (slow ??= []).push(r)
    }
    if (slow) accepted += await this.resolveSlow(tenantId, slow, builder, refused)

    refused.sort((a, b) => a.index - b.index)
    if (accepted === 0 && input.length > 0) {
      this.emit({ type: 'refused', tenantId, count: refused.length })
      throw new BatchRefusedError(refused)
    }
    const batch = builder.build()
    await this.series.append(batch)
    this.latest.update(batch)
    this.emit({ type: 'appended', tenantId, batch, records: accepted })
    if (refused.length > 0) this.emit({ type: 'refused', tenantId, count: refused.length })
    return { accepted, readings: batch.length, refused }
  }

  /** Records whose asset was not cached or that named a channel the asset lacks. Returns how many went in. */
  private async resolveSlow(tenantId: string, recs: readonly ParsedRecord[], builder: ReadingBatchBuilder, refused: RecordRefusal[]): Promise<number> {
    const byAsset = new Map<string, ParsedRecord[]>()
    for (const r of recs) {
      const list = byAsset.get(r.asset)
      if (list) list.push(r)
      else byAsset.set(r.asset, [r])
    }
    let accepted = 0
    for (const [assetId, list] of byAsset) {
      const channels = await this.catalog.asset(tenantId, assetId)
      if (!channels) {
        for (const r of list) refused.push({ index: r.index, field: 'asset', reason: `unknown asset '${assetId}'; create it first with POST /v1/assets` })
        continue
      }
      if (this.opts.unknownChannels === 'create') {
        const missing = new Set<string>()
        for (const r of list) for (const n of r.names) if (!channels.has(n)) missing.add(n)
        // Only records that named a new channel pay for creating it.
        if (missing.size > 0) for (const c of await this.catalog.ensureChannels(tenantId, assetId, [...missing].map((name) => ({ name })))) channels.set(c.name, c)
      }
      for (const r of list) {
        const unknown = this.pushRecord(builder, channels, r)
        if (unknown === null) accepted++
        else refused.push({ index: r.index, field: `values.${unknown}`, reason: `unknown channel '${unknown}' on asset '${assetId}' (unknown channels are refused by configuration)` })
      }
    }
    return accepted
  }

  /**
   * Pushes all readings of a record, or none: returns the first unknown channel name
   * (after taking back what the record had pushed), or null when the record went in.
   */
  private pushRecord(builder: ReadingBatchBuilder, channels: Map<string, Channel>, r: ParsedRecord): string | null {
    const start = builder.length
    for (let i = 0; i < r.names.length; i++) {
      const ch = channels.get(r.names[i]!)
      if (!ch) {
        builder.truncate(start)
        return r.names[i]!
      }
      builder.push(ch.key, r.ts, r.values[i]!)
    }
    return null
  }
}
