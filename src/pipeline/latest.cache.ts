import type { LatestValue } from '../domain/model.js'
import type { ReadingBatch } from '../domain/readings.js'
import type { SeriesStore } from '../store/ports.js'

/**
 * Newest value per series, kept in memory and updated on every append, so fleet-wide
 * "latest values" never scans the readings table. Series not seen since start are
 * looked up in the store once.
 */
export class LatestCache {
  private readonly values = new Map<number, LatestValue>()
  private readonly known = new Set<number>()

  constructor(private readonly series: SeriesStore) {}

  update(batch: ReadingBatch): void {
    for (let i = 0; i < batch.length; i++) {
      const key = batch.series[i]!
      const ts = batch.ts[i]!
      const cur = this.values.get(key)
      if (!cur || ts >= cur.ts) this.values.set(key, { ts, value: batch.value[i]! })
    }
  }

  async get(keys: readonly number[]): Promise<Map<number, LatestValue>> {
    const missing = keys.filter((k) => !this.known.has(k) && !this.values.has(k))
    if (missing.length > 0) {
      const stored = await this.series.latest(missing)
      for (const k of missing) {
        this.known.add(k)
        const v = stored.get(k)
        const cur = this.values.get(k)
        if (v && (!cur || v.ts > cur.ts)) this.values.set(k, v)
      }
    }
    const out = new Map<number, LatestValue>()
    for (const k of keys) {
      const v = this.values.get(k)
      if (v) out.set(k, v)
    }
    return out
  }
}
