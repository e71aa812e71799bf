/**
 * What the multivariate detectors (isolation forest, robust Mahalanobis) share: a
 * probation buffer of feature vectors, the choice of the features they are fitted on (those
 * present in at least 90 % of the buffer), and the median imputation of a missing feature.
 */
import { ModelFormatError } from '../errors.js'
import { median, packF32, unpackF32 } from './common.js'

/** Share of buffered vectors a feature must be present in to be used. */
export const MIN_PRESENCE = 0.9

/** The features a buffer supports, sorted, and each one's median (used to fill a gap). */
export function chooseFeatures(buffer: readonly Readonly<Record<string, number>>[]): { names: string[]; fill: number[] } {
  const counts = new Map<string, number>()
  for (const v of buffer) for (const [k, x] of Object.entries(v)) if (Number.isFinite(x)) counts.set(k, (counts.get(k) ?? 0) + 1)
  const names = [...counts].filter(([, c]) => c >= MIN_PRESENCE * buffer.length).map(([k]) => k).sort()
  const fill = names.map((n) => median(buffer.map((v) => v[n]).filter((x): x is number => x !== undefined && Number.isFinite(x))))
  return { names, fill }
}

/** Vectors as rows over the features they support: `chooseFeatures`, then `toRow` of each. */
export interface ChosenRows {
  names: string[]
  fill: number[]
  rows: number[][]
}

/** Vectors given as objects, chosen and laid out as rows (what VectorBuffer.choose gives of its own rows). */
export function chooseRows(buffer: readonly Readonly<Record<string, number>>[]): ChosenRows {
  const { names, fill } = chooseFeatures(buffer)
  return { names, fill, rows: buffer.map((v) => toRow(v, names, fill)) }
}

/** A vector as an array in `names` order, gaps filled from `fill`. */
export function toRow(v: Readonly<Record<string, number>>, names: readonly string[], fill: readonly number[]): number[] {
  return names.map((n, i) => {
    const x = v[n]
    return x !== undefined && Number.isFinite(x) ? x : (fill[i] as number)
  })
}

/** How a VectorBuffer is checkpointed: its feature names and its rows (oldest first, NaN for a gap) packed as float32. */
export interface VectorBufferJson {
  names: string[]
  rows: string
}

/**
 * A bounded FIFO of feature vectors held as one float32 matrix over the names seen so far
 * (4 bytes a value, where a vector as an object took ~16 a value plus its keys). Vectors
 * come back as objects (`records`) only for a fit. Float32 keeps 7 significant digits; the
 * detectors floor every feature's scale at 0.1 % of its level, far above that rounding.
 */
export class VectorBuffer {
  private names: string[] = []
  private data: Float32Array = new Float32Array(0)
  private rowsCap = 0
  private len = 0
  private head = 0

  constructor(readonly capacity: number) {}

  get length(): number {
    return this.len
  }

  push(v: Readonly<Record<string, number>>): void {
    // A vector nearly always has the buffer's names already (in the same order): checked without a search.
    let i = 0
    for (const k in v) {
      if (this.names[i] !== k && !this.names.includes(k)) this.widen(k)
      i++
    }
    if (this.len === this.capacity) this.shift()
    if (this.len === this.rowsCap) this.grow()
    const w = this.names.length
    const at = ((this.head + this.len) % this.rowsCap) * w
    for (let i = 0; i < w; i++) {
      const x = v[this.names[i]!]
      this.data[at + i] = x !== undefined && Number.isFinite(x) ? x : Number.NaN
    }
    this.len++
  }

  /** Drops the oldest vector. */
  shift(): void {
    if (this.len === 0) return
    this.head = (this.head + 1) % this.rowsCap
    this.len--
  }

  clear(): void {
    this.names = []
    this.data = new Float32Array(0)
    this.rowsCap = this.len = this.head = 0
  }

  /**
   * The rows, oldest first, over the features present in at least `minPresence` of them,
   * gaps filled with the feature's median: the same as `chooseRows(this.records())`, read
   * from the matrix without an object per vector (a refit of the Mahalanobis detector spent
   * a third of its time building and reading those objects).
   */
  choose(minPresence = MIN_PRESENCE): ChosenRows {
    const w = this.names.length
    const n = this.len
    const m = this.ordered()
    const cols: number[] = []
    for (let i = 0; i < w; i++) {
      let c = 0
      for (let r = 0; r < n; r++) if (Number.isFinite(m[r * w + i]!)) c++
      if (c > 0 && c >= minPresence * n) cols.push(i)
    }
    // Sorted by name, as chooseFeatures sorts them.
    cols.sort((a, b) => (this.names[a]! < this.names[b]! ? -1 : this.names[a]! > this.names[b]! ? 1 : 0))
    const names = cols.map((i) => this.names[i]!)
    const column: number[] = []
    const fill = cols.map((i) => {
      column.length = 0
      for (let r = 0; r < n; r++) {
        const x = m[r * w + i]!
        if (Number.isFinite(x)) column.push(x)
      }
      return median(column)
    })
    const rows: number[][] = new Array<number[]>(n)
    for (let r = 0; r < n; r++) {
      const row = new Array<number>(cols.length)
      for (let k = 0; k < cols.length; k++) {
        const x = m[r * w + cols[k]!]!
        row[k] = Number.isFinite(x) ? x : fill[k]!
      }
      rows[r] = row
    }
    return { names, fill, rows }
  }

  /** The vectors, oldest first, as objects (gaps left out): what `choose` is checked against (tests, bench/mahalanobis-fit). */
  records(): Record<string, number>[] {
    const out: Record<string, number>[] = []
    const w = this.names.length
    for (let r = 0; r < this.len; r++) {
      const at = ((this.head + r) % this.rowsCap) * w
      const o: Record<string, number> = {}
      for (let i = 0; i < w; i++) {
        const x = this.data[at + i] as number
        if (!Number.isNaN(x)) o[this.names[i]!] = x
      }
      out.push(o)
    }
    return out
  }

  toJSON(): VectorBufferJson {
    return { names: [...this.names], rows: packF32(this.ordered()) }
  }

  /** Restores a buffer from its JSON, or from format-1 state (a list of vector objects). */
  static from(raw: unknown, capacity: number): VectorBuffer {
    const b = new VectorBuffer(capacity)
    if (Array.isArray(raw)) {
      for (const v of raw as Record<string, number>[]) b.push(v)
      return b
    }
    const o = raw as Partial<VectorBufferJson> | null
    if (!Array.isArray(o?.names) || !o.names.every((n) => typeof n === 'string') || typeof o.rows !== 'string') throw new ModelFormatError('a vector buffer needs its names and packed rows')
    const rows = unpackF32(o.rows)
    const w = o.names.length
    if (w === 0 ? rows.length !== 0 : rows.length % w !== 0) throw new ModelFormatError('a vector buffer holds a whole number of rows')
    const n = w === 0 ? 0 : rows.length / w
    if (n > capacity) throw new ModelFormatError(`a vector buffer holds ${n} rows, more than its ${capacity}`)
    b.names = [...o.names]
    b.rowsCap = n
    b.data = rows
    b.len = n
    return b
  }

  /** Rows oldest first, contiguous. */
  private ordered(): Float32Array {
    const w = this.names.length
    const out = new Float32Array(this.len * w)
    for (let r = 0; r < this.len; r++) {
      const at = ((this.head + r) % this.rowsCap) * w
      out.set(this.data.subarray(at, at + w), r * w)
    }
    return out
  }

  private grow(): void {
    const w = this.names.length
    const cap = Math.min(this.capacity, Math.max(8, this.rowsCap * 2))
    const next = new Float32Array(cap * w)
    next.set(this.ordered())
    this.data = next
    this.rowsCap = cap
    this.head = 0
  }

  /** A new feature: every stored row gets a gap for it. */
  private widen(name: string): void {
    const w = this.names.length
    const old = this.ordered()
    this.names.push(name)
    const next = new Float32Array(this.rowsCap * (w + 1)).fill(Number.NaN)
    for (let r = 0; r < this.len; r++) next.set(old.subarray(r * w, (r + 1) * w), r * (w + 1))
    this.data = next
    this.head = 0
  }
}
