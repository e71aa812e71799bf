import type { LatestValue } from '../domain/model.js'
import type { ReadingBatch } from '../domain/readings.js'
import type { SeriesStore } from '../store/ports.js'

/**
 * A series' slot. A class of its own, not a `{ ts, value }` literal: literals of that shape
 * elsewhere (answers with ISO times, rows with nulls) share one hidden class, and once one
 * of them holds a non-number there, writing a number into a slot allocated a box for it:
 * two per reading, a third of what the event loop allocated under HTTP ingest. The fields
 * are `declare`d, so that they are first set in the constructor, to numbers: a class field
 * starts as undefined, which has the same effect.
 */
class Slot implements LatestValue {
  declare ts: number
  declare value: number
  constructor(ts: number, value: number) {
    this.ts = ts
    this.value = value
  }
}

/**
 * Newest value per series, kept in memory and updated on every append, so fleet-wide
 * "latest values" never scans the readings table. Series not seen since start are
 * looked up in the store once (`warm` does it for many at start-up).
 *
 * Each series has one slot object, updated in place: answers built on the slots (the
 * fleet view) stay current without being rebuilt, and an append allocates nothing for
 * series already known. `generation` changes only when a series gets its first slot.
 */
export class LatestCache {
  /**
   * By series key. Keys are small dense integers (the catalog's sequence), so an array
   * indexed by key: a Map look-up per reading was 5 % of the event loop under ingest.
   */
  private readonly values: (Slot | undefined)[] = []
  private readonly known = new Set<number>()
  private warming: Promise<unknown> = Promise.resolve()
  /** Bumped whenever a series gets its first value: views over the slots rebuild then. */
  generation = 0

  constructor(private readonly series: SeriesStore) {}

  update(batch: ReadingBatch): void {
    for (let i = 0; i < batch.length; i++) {
      const key = batch.series[i]!
      const ts = batch.ts[i]!
      const cur = this.values[key]
      if (!cur) {
        this.values[key] = new Slot(ts, batch.value[i]!)
        this.generation++
      } else if (ts >= cur.ts) {
        cur.ts = ts
        cur.value = batch.value[i]!
      }
    }
  }

  /** Loads the stored latest values of `keys` in the background; `get` waits for it instead of asking again. */
  warm(keys: readonly number[]): Promise<void> {
    const run = this.warming.then(() => this.load(keys))
    this.warming = run.catch(() => undefined)
    return run
  }

  /** The slots of `keys` that hold a value (live objects: they change on later appends). */
  async get(keys: readonly number[]): Promise<Map<number, LatestValue>> {
    await this.warming
    await this.load(keys)
    const out = new Map<number, LatestValue>()
    for (const k of keys) {
      const v = this.values[k]
      if (v) out.set(k, v)
    }
    return out
  }

  private async load(keys: readonly number[]): Promise<void> {
    const missing = keys.filter((k) => !this.known.has(k) && !this.values[k])
    if (missing.length === 0) return
    const stored = await this.series.latest(missing)
    for (const k of missing) {
      this.known.add(k)
      const v = stored.get(k)
      if (!v) continue
      const cur = this.values[k]
      if (!cur) {
        this.values[k] = new Slot(v.ts, v.value)
        this.generation++
      } else if (v.ts > cur.ts) {
        cur.ts = v.ts
        cur.value = v.value
      }
    }
  }
}
