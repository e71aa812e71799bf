import type { DuckDBConnection } from '@duckdb/node-api'
import type { ReadingBatch } from '../../domain/readings.js'
import { grown } from '../../domain/typed-arrays.js'

/**
 * Series keys below this get a slot in the dense per-series arrays (keys come from a
 * sequence starting at 1, so in practice every key does). Others always take the
 * checked path, which is correct, only slower.
 */
const DENSE_KEY_LIMIT = 1 << 24

/** Rows per look-up query of the checked path, to keep the VALUES list reasonable. */
const LOOKUP_ROWS = 20_000

/**
 * Finds the readings of a commit group whose (series, ts) is already stored or appears
 * earlier in the group, for the DuckDB store's single-writer flush loop.
 *
 * The readings table has no index (an ART index would cost ingest speed and memory), so
 * the store keeps a per-series high-water mark: the newest stored ts, loaded with one
 * GROUP BY when the store opens and raised after each commit. A reading above its
 * series' mark and above every earlier reading of that series in the group is new, with
 * no look-up: that is every reading of a device streaming forward. Only the others
 * (retries, late or out-of-order data) are checked, against the group in memory and
 * against the table with one query bounded by their series and ts range.
 *
 * Correct only because one writer owns the table: the flush loop checks a group, commits
 * it, then raises the marks, before the next group is checked.
 */
export class DuckDbDedup {
  /** Newest stored ts per series key; -Infinity when none. */
  private mark = new Float64Array(0)
  /** Newest ts seen so far in the current group per series key, valid where `epoch` is the group's. */
  private groupMax = new Float64Array(0)
  private epoch = new Int32Array(0)
  private group = 0
  private loading: Promise<void> | null

  constructor(private readonly conn: DuckDBConnection) {
    this.loading = this.load()
    // Awaited by the first check; a failure there reloads.
    this.loading.catch(() => undefined)
  }

  /** Resolves once no load of the marks is running (before the connection is closed). */
  async idle(): Promise<void> {
    await this.loading?.catch(() => undefined)
  }

  /** Forgets the marks (after a failed commit, whose outcome is unknown); the next check reloads them. */
  invalidate(): void {
    this.loading = null
  }

  /** Indices (ascending) of the readings of `b` that must not be stored. */
  async duplicates(b: ReadingBatch): Promise<number[]> {
    try {
      await (this.loading ??= this.load())
    } catch (err) {
      this.loading = null
      throw err
    }
    const { series, ts } = b
    const n = b.length
    const group = ++this.group
    let candidates: number[] | null = null
    // Locals, not fields, in the loop that every reading goes through.
    let mark = this.mark
    let groupMax = this.groupMax
    let epoch = this.epoch
    for (let i = 0; i < n; i++) {
      const s = series[i]!
      const t = ts[i]!
      if (s >= mark.length) {
        if (s >= DENSE_KEY_LIMIT) {
          ;(candidates ??= []).push(i)
          continue
        }
        this.grow(s)
        ;({ mark, groupMax, epoch } = this)
      }
      if (s < 0) {
        ;(candidates ??= []).push(i)
        continue
      }
      if (epoch[s] !== group) {
        epoch[s] = group
        groupMax[s] = mark[s]!
      }
      if (t > groupMax[s]!) groupMax[s] = t
      else (candidates ??= []).push(i)
    }
    return candidates ? this.check(b, candidates) : []
  }

  /** Raises the marks with the readings a group actually committed. */
  committed(b: ReadingBatch): void {
    if (this.loading === null) return // reloads anyway
    const { series, ts } = b
    const mark = this.mark
    const n = b.length
    for (let i = 0; i < n; i++) {
      const s = series[i]!
      const t = ts[i]!
      if (s >= 0 && s < mark.length && t > mark[s]!) mark[s] = t
    }
  }

  /** The slow path: candidates are checked against the rest of the group and the table. */
  private async check(b: ReadingBatch, candidates: readonly number[]): Promise<number[]> {
    const { series, ts } = b
    // What the group itself holds for the candidates' series: its fast-path readings,
    // which never duplicate one another, then each candidate accepted in order.
    const seen = new Map<number, Set<number>>()
    for (const i of candidates) seen.set(series[i]!, new Set())
    let c = 0
    for (let i = 0; i < b.length; i++) {
      if (c < candidates.length && candidates[c] === i) {
        c++
        continue
      }
      seen.get(series[i]!)?.add(ts[i]!)
    }
    const stored = await this.lookUp(b, candidates.filter((i) => this.maybeStored(series[i]!, ts[i]!)))
    const dropped: number[] = []
    for (const i of candidates) {
      const s = series[i]!
      const t = ts[i]!
      const inGroup = seen.get(s)!
      if (inGroup.has(t) || stored.get(s)?.has(t)) dropped.push(i)
      else inGroup.add(t)
    }
    return dropped
  }

  /** Whether the table may hold (s, t): not when t is above the series' stored mark. */
  private maybeStored(s: number, t: number): boolean {
    return s < 0 || s >= this.mark.length || t <= this.mark[s]!
  }

  /** Which of the given readings' (series, ts) the table holds, by series. */
  private async lookUp(b: ReadingBatch, idx: readonly number[]): Promise<Map<number, Set<number>>> {
    const found = new Map<number, Set<number>>()
    for (let off = 0; off < idx.length; off += LOOKUP_ROWS) {
      const part = idx.slice(off, off + LOOKUP_ROWS)
      let minS = Infinity
      let maxS = -Infinity
      let minT = Infinity
      let maxT = -Infinity
      const tuples: string[] = []
      for (const i of part) {
        const s = b.series[i]!
        const t = b.ts[i]!
        if (s < minS) minS = s
        if (s > maxS) maxS = s
        if (t < minT) minT = t
        if (t > maxT) maxT = t
        tuples.push(`(${s},${t})`)
      }
      // Bounds on the table's columns let DuckDB skip row groups by their zone maps.
      const reader = await this.conn.runAndReadAll(
        `SELECT DISTINCT r.series, r.ts FROM readings r SEMI JOIN (VALUES ${tuples.join(',')}) AS v(series, ts) ON r.series = v.series AND r.ts = v.ts
         WHERE r.series BETWEEN ${minS} AND ${maxS} AND r.ts BETWEEN ${minT} AND ${maxT}`,
      )
      for (const [s, t] of reader.getRows()) {
        const key = Number(s)
        let set = found.get(key)
        if (!set) found.set(key, (set = new Set()))
        set.add(Number(t))
      }
    }
    return found
  }

  private async load(): Promise<void> {
    const reader = await this.conn.runAndReadAll('SELECT series, max(ts) AS ts FROM readings WHERE series >= 0 AND series < ' + DENSE_KEY_LIMIT + ' GROUP BY series')
    const rows = reader.getRows()
    let top = 0
    for (const [s] of rows) top = Math.max(top, Number(s))
    this.mark = new Float64Array(0)
    this.groupMax = new Float64Array(0)
    this.epoch = new Int32Array(0)
    this.grow(top)
    for (const [s, t] of rows) this.mark[Number(s)] = Number(t)
  }

  /** Makes room for series key `s` (below DENSE_KEY_LIMIT), at least doubling. */
  private grow(s: number): void {
    const size = Math.min(DENSE_KEY_LIMIT, Math.max(1024, s + 1, this.mark.length * 2))
    this.mark = grown(this.mark, size, -Infinity)
    this.groupMax = grown(this.groupMax, size)
    this.epoch = grown(this.epoch, size)
  }
}
