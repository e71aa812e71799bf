/**
 * Shared pieces of the anomaly detectors: parameter reading, the z → score mapping that
 * makes every detector's 0–1 score comparable, contributions, and a seeded PRNG whose
 * state serialises (so a detector that draws random numbers resumes exactly).
 */
import { parseFeatureName } from '../../features/feature-vector.js'
import { ModelFormatError } from '../errors.js'
import type { AnomalyOutput, SerializedModel } from '../model.js'
import { DetectorParamsError } from './errors.js'

/** Score at or above which a detector's output counts as an alarm (when not warming up). */
export const DEFAULT_ALARM_SCORE = 0.7

/**
 * Maps a robust z (distance from normal in robust standard deviations) to a 0–1 score:
 * 0 up to `zFree`, then `1 − exp(−(z − zFree)/zScale)`. With the defaults (3, 4): z = 4 → 0.22,
 * z = 6 → 0.53, z ≈ 7.8 → 0.70 (the alarm score), z = 12 → 0.89. Every detector reports
 * through it, so one alarm threshold means the same for all of them.
 */
export function zToScore(z: number, zFree = 3, zScale = 4): number {
  if (!(z > zFree)) return 0
  return 1 - Math.exp(-(z - zFree) / zScale)
}

/** The z that `zToScore` maps to `score` (inverse, for documentation and tests). */
export function scoreToZ(score: number, zFree = 3, zScale = 4): number {
  return zFree - zScale * Math.log(1 - score)
}

/** Scales non-negative weights to shares summing to 1; zero or non-finite weights are dropped. */
export function shares(weights: Readonly<Record<string, number>>): Record<string, number> {
  // for…in, not Object.entries: no array of pairs per call (every detector's output of every vector).
  let sum = 0
  for (const k in weights) {
    const v = weights[k] as number
    if (v > 0 && Number.isFinite(v)) sum += v
  }
  const out: Record<string, number> = {}
  if (sum <= 0) return out
  for (const k in weights) {
    const v = weights[k] as number
    if (v > 0 && Number.isFinite(v)) out[k] = v / sum
  }
  return out
}

/** Folds feature-level weights into their channels (`temp.w60.mean` → `temp`); names that are not features stay as they are. */
export function byChannel(weights: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {}
  for (const name in weights) addToChannel(out, name, weights[name] as number)
  return out
}

/** Adds `w` to the channel of feature `name` in `out` (byChannel, one feature at a time). */
export function addToChannel(out: Record<string, number>, name: string, w: number): void {
  const ch = parseFeatureName(name)?.channel ?? name
  out[ch] = (out[ch] ?? 0) + w
}

/** A quiet output: used while a detector has nothing to say. */
export function quiet(warmingUp: boolean): AnomalyOutput {
  return { score: 0, contributions: {}, warmingUp }
}

/** Reads parameters with defaults and validation; a bad one throws DetectorParamsError naming it. */
export class Params {
  constructor(private readonly raw: Readonly<Record<string, unknown>> = {}) {}

  num(name: string, def: number, check: { min?: number; max?: number; integer?: boolean } = {}): number {
    const v = this.raw[name] ?? def
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new DetectorParamsError(name, `must be a finite number, got ${JSON.stringify(v)}`)
    if (check.integer && !Number.isInteger(v)) throw new DetectorParamsError(name, `must be a whole number, got ${v}`)
    if (check.min !== undefined && v < check.min) throw new DetectorParamsError(name, `must be ≥ ${check.min}, got ${v}`)
    if (check.max !== undefined && v > check.max) throw new DetectorParamsError(name, `must be ≤ ${check.max}, got ${v}`)
    return v
  }

  oneOf<T extends string>(name: string, def: T, allowed: readonly T[]): T {
    const v = this.raw[name] ?? def
    if (typeof v !== 'string' || !allowed.includes(v as T)) throw new DetectorParamsError(name, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`)
    return v as T
  }

  bool(name: string, def: boolean): boolean {
    const v = this.raw[name] ?? def
    if (typeof v !== 'boolean') throw new DetectorParamsError(name, `must be true or false, got ${JSON.stringify(v)}`)
    return v
  }
}

/** Distinct values a `sharedBy` cache keeps; past this it starts afresh. */
const SHARED_MAX = 1_000
const sharedParamSets = new Map<string, Map<string, unknown>>()

/**
 * The value `cache` holds under `key`, made by `make` the first time: one object for every
 * asset built with equal settings. Bounded: past SHARED_MAX keys the cache starts afresh
 * (values handed out stay valid; later ones are new objects).
 */
export function sharedBy<T>(cache: Map<string, T>, key: string, make: () => T): T {
  const held = cache.get(key)
  if (held !== undefined) return held
  const v = make()
  if (cache.size >= SHARED_MAX) cache.clear()
  cache.set(key, v)
  return v
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v)
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k])
  }
  return v
}

/**
 * A family's parameters read from `raw` by `read`, one frozen object for every equal `raw`:
 * a fleet's ensembles are built with the same parameters asset after asset, and each
 * detector keeping its own copy was ~1.3 KB an asset (a tenth of a young ensemble). Frozen
 * so that no detector can change what others share.
 */
export function sharedParams<P>(family: string, raw: Readonly<Record<string, unknown>> | undefined, read: (raw?: Readonly<Record<string, unknown>>) => P): P {
  let sets = sharedParamSets.get(family)
  if (!sets) sharedParamSets.set(family, (sets = new Map()))
  return sharedBy(sets, JSON.stringify(raw ?? {}), () => deepFreeze(read(raw))) as P
}

/** Checks family and format version of a serialized model before a family restores it. */
export function checkSerialized(s: SerializedModel, family: string, formatVersion: number): void {
  if (s.family !== family) throw new ModelFormatError(`expected a '${family}' model, got '${s.family}'`)
  if (s.formatVersion !== formatVersion) throw new ModelFormatError(`'${family}' format version ${s.formatVersion} is not supported (expected ${formatVersion})`)
  if (typeof s.state !== 'object' || s.state === null) throw new ModelFormatError(`'${family}' state must be an object`)
}

/** A deep copy through JSON: serialized state never aliases live state. */
export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T
}

/**
 * mulberry32: a tiny seeded PRNG whose whole state is one 32-bit integer, so a model that
 * draws from it serialises the integer and resumes the same sequence.
 */
export class SeededRandom {
  constructor(public state: number) {
    this.state = state >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }
}

/**
 * Median of a numeric array (copied, not modified). NaN for an empty one. By selection
 * (Hoare's quickselect), not a full sort: the rolling baselines take a median of a few
 * hundred values per channel every few vectors, a tenth of the scoring stage's CPU when sorted.
 */
export function median(values: ArrayLike<number>): number {
  const n = values.length
  if (n === 0) return Number.NaN
  const a = scratchOf(n)
  let nan = false
  for (let i = 0; i < n; i++) {
    const x = values[i] as number
    a[i] = x
    if (x !== x) nan = true
  }
  return medianInPlace(a, n, nan)
}

/** One buffer the selections work in, grown as needed (scoring runs on one thread: no two use it at once). */
let scratch = new Float64Array(256)

function scratchOf(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, 2 * scratch.length))
  return scratch
}

/** The median of a[0 … n), which it reorders; `nan`: some value is NaN. */
function medianInPlace(buf: Float64Array, n: number, nan: boolean): number {
  const a = buf.length === n ? buf : buf.subarray(0, n)
  const h = n >> 1
  // NaN has no place in an order: sorted, it goes last, as before.
  if (nan) {
    a.sort()
    return n % 2 === 1 ? (a[h] as number) : ((a[h - 1] as number) + (a[h] as number)) / 2
  }
  const upper = select(a, h)
  if (n % 2 === 1) return upper
  // Below position h all values are ≤ a[h]: the largest of them is the lower middle.
  let lower = a[0] as number
  for (let i = 1; i < h; i++) if ((a[i] as number) > lower) lower = a[i] as number
  return (lower + upper) / 2
}

/** Rearranges `a` so that a[k] is the value a sort would put there, smaller or equal ones before it; returns a[k]. */
function select(a: Float64Array, k: number): number {
  let lo = 0
  let hi = a.length - 1
  while (hi > lo) {
    // Median of three as the pivot: sorted or constant windows stay linear.
    const mid = (lo + hi) >> 1
    const x = a[lo] as number
    const y = a[mid] as number
    const z = a[hi] as number
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y
    let i = lo
    let j = hi
    while (i <= j) {
      while ((a[i] as number) < pivot) i++
      while ((a[j] as number) > pivot) j--
      if (i <= j) {
        const t = a[i] as number
        a[i++] = a[j] as number
        a[j--] = t
      }
    }
    if (k <= j) hi = j
    else if (k >= i) lo = i
    else return a[k] as number
  }
  return a[k] as number
}

/** Median absolute deviation around `center` (unscaled). */
export function mad(values: ArrayLike<number>, center: number): number {
  const n = values.length
  if (n === 0) return Number.NaN
  const d = scratchOf(n)
  let nan = false
  for (let i = 0; i < n; i++) {
    const x = Math.abs((values[i] as number) - center)
    d[i] = x
    if (x !== x) nan = true
  }
  return medianInPlace(d, n, nan)
}

/** 1.4826 · MAD estimates the standard deviation of normal data. */
export const MAD_TO_SD = 1.4826

/**
 * Wilson–Hilferty: a chi-square value with `dof` degrees of freedom as an approximately
 * standard-normal z, so a squared distance is scored like a one-dimensional z.
 */
export function chiSquareToZ(x: number, dof: number): number {
  if (!(x > 0)) return Number.NEGATIVE_INFINITY
  const a = 2 / (9 * dof)
  return (Math.cbrt(x / dof) - (1 - a)) / Math.sqrt(a)
}

/** Share of `values` within `radius` of `x`: how often the series has been near this value. */
export function nearFraction(values: ArrayLike<number>, x: number, radius: number): number {
  const n = values.length
  if (n === 0) return 0
  let c = 0
  for (let i = 0; i < n; i++) if (Math.abs((values[i] as number) - x) <= radius) c++
  return c / n
}

/**
 * The novelty guard: 1 for a value the series has been near (within `radius`) less than
 * `pMin` of the time (and fewer than `minCount` times), falling linearly to 0 there. It lets
 * per-channel detectors learn multimodal normal behaviour: a level the channel holds in a
 * recurring operating mode (a battery discharging) is not an anomaly, a value never seen is,
 * and so is a new level held only a few times yet (the start of a fault).
 */
export function noveltyGuard(values: ArrayLike<number>, x: number, radius: number, pMin: number, minCount = 0): number {
  if (pMin <= 0) return 1
  const n = values.length
  if (n === 0) return 1
  const need = Math.max(pMin, minCount / n)
  return Math.max(0, 1 - nearFraction(values, x, radius) / need)
}

/**
 * The radius of the novelty guard: `k` scale units, but at least `rangeFrac` of the span
 * of the history. A multimodal channel (a battery floating at 2.25 V and discharging near
 * 2.0 V) has a tiny robust scale (most values sit in one mode) but a wide span, and the
 * values it takes between its modes must count as seen.
 */
export function guardRadius(values: ArrayLike<number>, scale: number, k: number, rangeFrac: number): number {
  let lo = Infinity
  let hi = -Infinity
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  return Math.max(k * scale, hi > lo ? rangeFrac * (hi - lo) : 0)
}

/**
 * Float32 arrays as base64 text, for checkpoints: 5.3 characters a value instead of the ~18
 * of a JSON number.
 */
export function packF32(values: ArrayLike<number>): string {
  const f = values instanceof Float32Array ? values : Float32Array.from(values)
  return packBytes(new Uint8Array(f.buffer, f.byteOffset, f.byteLength))
}

/** The values of `packF32`; throws ModelFormatError on text that is not one. */
export function unpackF32(text: string): Float32Array {
  return new Float32Array(unpackBytes(text, 4).buffer)
}

/** Float64 values as base64 text (10.7 characters a value), for state that must resume exactly. */
export function packF64(values: ArrayLike<number>): string {
  return packBytes(new Uint8Array(Float64Array.from(values).buffer))
}

/** Values of `packF64`, or a plain list (an older format), as a list. */
export function readF64(v: unknown, what: string): number[] {
  if (typeof v === 'string') return Array.from(new Float64Array(unpackBytes(v, 8).buffer))
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v as number[]
  throw new ModelFormatError(`${what} must be packed values or a list of numbers`)
}

/**
 * Bytes as base64 text. Node's Buffer encodes natively (a fleet's checkpoints encode about a
 * gigabyte a minute; building a binary string for `btoa` took a fifth of the stage's CPU).
 */
export function packBytes(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

/** The bytes of `packBytes`, a multiple of `unit` long; throws ModelFormatError otherwise. */
export function unpackBytes(text: string, unit = 1): Uint8Array {
  let bin: string
  try {
    bin = atob(text)
  } catch (cause) {
    throw new ModelFormatError('packed values are not base64', { cause })
  }
  if (bin.length % unit !== 0) throw new ModelFormatError(`packed values are not a whole number of ${unit}-byte values`)
  const bytes = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
  return bytes
}

/** Values read from a checkpoint: a packed string (current format) or a plain array (format 1). */
export function readValues(v: unknown, what: string): ArrayLike<number> {
  if (typeof v === 'string') return unpackF32(v)
  if (Array.isArray(v) && v.every((x) => typeof x === 'number' || x === null)) return v.map((x) => (x === null ? Number.NaN : (x as number)))
  throw new ModelFormatError(`${what} must be packed values or a list of numbers`)
}

/**
 * Row `name` of a detector's per-channel state: its index in `names`, or −1. A vector lists
 * its channels in the same order every time, so the `hint`-th name (the position of `name`
 * in the vector) nearly always is it, and no search (nor a Map per detector) is needed.
 */
export function rowOf(names: readonly string[], name: string, hint: number): number {
  return names[hint] === name ? hint : names.indexOf(name)
}

/** How a RingMatrix is checkpointed: each row's values oldest first, concatenated (packed float32), and the rows' lengths. */
export interface RingMatrixJson {
  values: string
  lengths: number[]
}

/**
 * One fixed-size ring of float32 numbers per row (a detector's channel), all in one
 * contiguous matrix: a detector holds one typed array for all its channels, where a ring
 * object and typed array per channel cost ~0.5 KB of headers each (a fleet's assets hold
 * twenty of them). Rows grow in width on demand (doubling) up to `capacity`, so channels
 * that have seen few values hold few. Float32 keeps 7 significant digits: the detectors
 * that read the rings floor their scales at 0.1 % of the level or more, so the rounding
 * (6·10⁻⁸ of it) never moves a score.
 */
export class RingMatrix {
  private buf = new Float32Array(0)
  /** Per row: its length and the position its next value goes to (once full: its oldest). */
  private meta = new Int32Array(0)
  private width: number
  private nRows = 0

  constructor(readonly capacity: number) {
    this.width = Math.min(capacity, 8)
  }

  get rows(): number {
    return this.nRows
  }

  /** A new row holding the last `capacity` of `values` (oldest first); returns its index. */
  addRow(values: ArrayLike<number> = []): number {
    const n = Math.min(values.length, this.capacity)
    this.resize(this.nRows + 1, Math.max(this.width, n))
    const r = this.nRows - 1
    const at = r * this.width
    for (let i = 0; i < n; i++) this.buf[at + i] = values[values.length - n + i] as number
    this.meta[2 * r] = n
    this.meta[2 * r + 1] = n % this.capacity
    return r
  }

  push(r: number, v: number): void {
    const len = this.meta[2 * r] as number
    if (len < this.capacity) {
      if (len === this.width) this.resize(this.nRows, Math.min(this.capacity, 2 * this.width))
      this.buf[r * this.width + len] = v
      this.meta[2 * r] = len + 1
      this.meta[2 * r + 1] = (len + 1) % this.capacity
      return
    }
    const head = this.meta[2 * r + 1] as number
    this.buf[r * this.width + head] = v
    this.meta[2 * r + 1] = (head + 1) % this.capacity
  }

  length(r: number): number {
    return this.meta[2 * r] as number
  }

  /** Row r's stored values (order not meaningful): for order-free statistics. A view, valid until the next push. */
  values(r: number): Float32Array {
    const at = r * this.width
    return this.buf.subarray(at, at + (this.meta[2 * r] as number))
  }

  /** Row r's values, oldest first. */
  ordered(r: number): Float32Array {
    const len = this.meta[2 * r] as number
    const at = r * this.width
    if (len < this.capacity) return this.buf.slice(at, at + len)
    const head = this.meta[2 * r + 1] as number
    const out = new Float32Array(len)
    out.set(this.buf.subarray(at + head, at + len))
    out.set(this.buf.subarray(at, at + head), len - head)
    return out
  }

  toJSON(): RingMatrixJson {
    const lengths: number[] = []
    for (let r = 0; r < this.nRows; r++) lengths.push(this.length(r))
    const all = new Float32Array(lengths.reduce((a, b) => a + b, 0))
    let at = 0
    for (let r = 0; r < this.nRows; r++) {
      all.set(this.ordered(r), at)
      at += lengths[r] as number
    }
    return { values: packF32(all), lengths }
  }

  /** The rings of `toJSON`; throws ModelFormatError when the text is not one of `rows` rows. */
  static from(raw: unknown, capacity: number, rows: number, what: string): RingMatrix {
    const o = raw as Partial<RingMatrixJson> | null
    if (typeof o?.values !== 'string' || !Array.isArray(o.lengths) || o.lengths.length !== rows || !o.lengths.every((n) => Number.isInteger(n) && n >= 0)) throw new ModelFormatError(`${what} must hold packed values and a length for each of its ${rows} channels`)
    const all = unpackF32(o.values)
    if (all.length !== o.lengths.reduce((a: number, b: number) => a + b, 0)) throw new ModelFormatError(`${what}: the packed values do not add up to the channels' lengths`)
    const m = new RingMatrix(capacity)
    m.resize(0, Math.min(capacity, Math.max(m.width, ...o.lengths)))
    let at = 0
    for (const n of o.lengths) {
      m.addRow(all.subarray(at, at + n))
      at += n
    }
    return m
  }

  /** `rows` rows of `width` values each, the existing rows' values kept in place (rows only widen while none has wrapped). */
  private resize(rows: number, width: number): void {
    if (rows * width > this.buf.length || width !== this.width) {
      const buf = new Float32Array(rows * width)
      for (let r = 0; r < this.nRows; r++) buf.set(this.buf.subarray(r * this.width, r * this.width + (this.meta[2 * r] as number)), r * width)
      this.buf = buf
      this.width = width
    }
    if (2 * rows > this.meta.length) {
      const meta = new Int32Array(2 * rows)
      meta.set(this.meta)
      this.meta = meta
    }
    this.nRows = rows
  }
}

/**
 * The channels of a detector that keeps them in one block (mad, changepoint): distinct
 * `names`, `scalarsPerChannel` figures a channel in `scalars`, and their windows as the
 * ring matrix under `key` (`window` values a channel at most).
 */
export function readChannelBlock(family: string, raw: Readonly<Record<string, unknown>>, key: string, window: number, scalarsPerChannel: number): { names: string[]; rows: RingMatrix; scalars: number[] } {
  const names = raw.names
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string') || new Set(names).size !== names.length) throw new ModelFormatError(`'${family}' state needs a list of distinct channel names`)
  const scalars = readF64(raw.scalars, `'${family}' scalars`)
  if (scalars.length !== names.length * scalarsPerChannel) throw new ModelFormatError(`'${family}' scalars must hold ${scalarsPerChannel} values a channel`)
  return { names: names as string[], rows: RingMatrix.from(raw[key], window, names.length, `'${family}' ${key}`), scalars }
}
