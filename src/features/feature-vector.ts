/**
 * Feature names and vectors handed to models.
 *
 * A feature name is `<channel>.w<windowSec>.<stat>` for rolling statistics and
 * `<channel>.w<windowSec>.fft.<stat>` for spectral ones, e.g. `temp.w10.mean`,
 * `vib.w60.fft.dominant_hz`, `vib.w60.fft.band2`. Channel names may contain dots;
 * the suffix is what identifies the feature. These names are part of the model
 * contract (a trained model records the ordered names it was trained on), so they
 * must not change.
 */

/**
 * Rolling statistics over a window, in this order:
 * - `count`: readings in the window;
 * - `mean`, `std` (population standard deviation, divisor n), `min`, `max`: of the values;
 * - `slope`: least-squares slope of value against time, in value units per second (0 below two readings);
 * - `last`: the newest value.
 */
export const ROLLING_STATS = ['count', 'mean', 'std', 'min', 'max', 'slope', 'last'] as const
export type RollingStat = (typeof ROLLING_STATS)[number]

/**
 * Spectral statistics: `dominant_hz` (frequency of the strongest non-DC component) and
 * `band<i>` (signal variance falling in band i; the bands of one window sum to the variance).
 */
export type FftStat = 'dominant_hz' | `band${number}`

/** A stable feature name, see the module documentation. */
export type FeatureName = `${string}.w${number}.${RollingStat}` | `${string}.w${number}.fft.${FftStat}`

/** Features of one asset or channel at one time: name → value. A missing feature is absent, not NaN. */
export type FeatureVector = Readonly<Partial<Record<FeatureName, number>>>

/** `featureName('temp', 10, 'mean')` → `temp.w10.mean`. */
export function featureName(channel: string, windowSec: number, stat: RollingStat): FeatureName {
  return `${channel}.w${windowSec}.${stat}`
}

/** `fftFeatureName('vib', 60, 'dominant_hz')` → `vib.w60.fft.dominant_hz`. */
export function fftFeatureName(channel: string, windowSec: number, stat: FftStat): FeatureName {
  return `${channel}.w${windowSec}.fft.${stat}`
}

/**
 * The names of the rolling statistics of one channel and window, in `ROLLING_STATS` order,
 * the same string objects on every call. The features stage names some 200 features per
 * asset vector: building each name anew cost a string concatenation and a fresh hash per
 * feature, four times the cost of the vector itself, and every scorer then hashed the
 * names again to look them up. Fleets have few distinct channel names, so the table stays
 * small; past `NAME_TABLE_MAX` channels it starts over.
 */
export function rollingNames(channel: string, windowSec: number): readonly FeatureName[] {
  let byWindow = ROLLING_NAMES.get(channel)
  if (!byWindow) {
    if (ROLLING_NAMES.size >= NAME_TABLE_MAX) ROLLING_NAMES.clear()
    ROLLING_NAMES.set(channel, (byWindow = new Map()))
  }
  let names = byWindow.get(windowSec)
  if (!names) byWindow.set(windowSec, (names = ROLLING_STATS.map((stat) => featureName(channel, windowSec, stat))))
  return names
}

const NAME_TABLE_MAX = 10_000
const ROLLING_NAMES = new Map<string, Map<number, FeatureName[]>>()

/** What a feature name is made of. */
/** Shared between callers (parsed names are cached): read-only. */
export interface ParsedFeatureName {
  readonly channel: string
  readonly windowSec: number
  readonly kind: 'rolling' | 'fft'
  readonly stat: RollingStat | FftStat
}

const NAME_RE = /^(.+)\.w(\d+(?:\.\d+)?)\.(?:(fft)\.(dominant_hz|band\d+)|(count|mean|std|min|max|slope|last))$/

/** Splits a feature name into its parts; undefined when it is not one. */
export function parseFeatureName(name: string): ParsedFeatureName | undefined {
  // Scorers parse every name of every vector: a fleet has few distinct names, so each is parsed once.
  const hit = PARSED.get(name)
  if (hit !== undefined || PARSED.has(name)) return hit
  const parsed = parseUncached(name)
  if (PARSED.size >= PARSED_CACHE_MAX) PARSED.clear()
  PARSED.set(name, parsed)
  return parsed
}

/** Distinct feature names remembered by parseFeatureName (channels × windows × statistics of a large fleet, well within it). */
const PARSED_CACHE_MAX = 100_000
const PARSED = new Map<string, ParsedFeatureName | undefined>()

function parseUncached(name: string): ParsedFeatureName | undefined {
  const m = NAME_RE.exec(name)
  if (!m || m[1] === undefined || m[2] === undefined) return undefined
  const fftStat = m[4] as FftStat | undefined
  const rollingStat = m[5] as RollingStat | undefined
  const stat = fftStat ?? rollingStat
  if (stat === undefined) return undefined
  return { channel: m[1], windowSec: Number(m[2]), kind: fftStat === undefined ? 'rolling' : 'fft', stat }
}

/** What `featureNames` lists. */
export interface FeatureLayout {
  channels: readonly string[]
  windowsSec: readonly number[]
  /** Channels that also get FFT features (default none). */
  fftChannels?: readonly string[]
  /** Number of FFT bands (default 4). */
  fftBands?: number
}

/**
 * The ordered names of a layout: channel by channel, window by window, the rolling
 * statistics in `ROLLING_STATS` order, then (for FFT channels) `dominant_hz` and the bands.
 * Use it once to fix a model's input order, then `toArray` per prediction.
 *
 * @example
 * const names = featureNames({ channels: ['temp', 'vib'], windowsSec: [10, 60], fftChannels: ['vib'] })
 * const x = toArray(vector, names) // Float64Array, NaN where a feature is missing
 */
export function featureNames(layout: FeatureLayout): FeatureName[] {
  const fft = new Set(layout.fftChannels ?? [])
  const bands = layout.fftBands ?? 4
  const names: FeatureName[] = []
  for (const channel of layout.channels) {
    for (const w of layout.windowsSec) {
      for (const stat of ROLLING_STATS) names.push(featureName(channel, w, stat))
      if (!fft.has(channel)) continue
      names.push(fftFeatureName(channel, w, 'dominant_hz'))
      for (let b = 0; b < bands; b++) names.push(fftFeatureName(channel, w, `band${b}`))
    }
  }
  return names
}

/**
 * The values of `vector` in the order of `names`; NaN for a missing feature, so that
 * a model sees a gap rather than a plausible zero. Pass `out` to avoid an allocation.
 */
export function toArray(vector: FeatureVector, names: readonly FeatureName[], out?: Float64Array): Float64Array {
  const arr = out ?? new Float64Array(names.length)
  for (let i = 0; i < names.length; i++) {
    const v = vector[names[i] as FeatureName]
    arr[i] = v === undefined ? Number.NaN : v
  }
  return arr
}

/**
 * The ordered names of packed vectors, shared by every vector with the same features (an
 * asset type's channels and windows). Looking a name up builds the shape's index once.
 */
export class VectorShape {
  private index: Map<string, number> | null = null

  constructor(readonly names: readonly FeatureName[]) {}

  /** Position of `name` in the shape, or -1. */
  indexOf(name: string): number {
    if (!this.index) this.index = new Map(this.names.map((n, i) => [n, i]))
    return this.index.get(name) ?? -1
  }
}

/**
 * A feature vector as a shape and a Float64Array of values in the shape's order: what the
 * features stage publishes. A vector of 10 channels holds some 210 features; as an object
 * of that many properties it cost a dictionary-mode object per asset and hop, the largest
 * allocation of the pipeline (three quarters of the bytes allocated under HTTP ingest).
 * Readers that want a few features use `get`; `toObject` builds the name → value object.
 */
export class PackedVector {
  private object: FeatureVector | null = null

  constructor(
    readonly shape: VectorShape,
    readonly values: Float64Array,
  ) {}

  get(name: string): number | undefined {
    const i = this.shape.indexOf(name)
    return i < 0 ? undefined : this.values[i]
  }

  /** Name → value, built once. */
  toObject(): FeatureVector {
    if (this.object) return this.object
    const o: Record<string, number> = {}
    const names = this.shape.names
    for (let i = 0; i < names.length; i++) o[names[i]!] = this.values[i]!
    return (this.object = o as FeatureVector)
  }
}

/**
 * Builds packed vectors, giving vectors with the same names the same VectorShape: the
 * shape an asset had last time is checked first (names compared in place), then the
 * table of shapes by their names. Bounded: past `maxShapes` the table starts over.
 */
export class VectorPacker {
  private readonly byKey = new Map<string, VectorShape>()
  private readonly lastOf = new Map<string, VectorShape>()

  constructor(private readonly maxShapes = 10_000) {}

  /**
   * A vector of `names[i]` → `values[i]` for the first `n` entries; `owner` (an asset id) finds
   * its previous shape. The values are copied into `into` (n long) when given, else into an
   * array of their own.
   */
  pack(owner: string, names: readonly FeatureName[], values: ArrayLike<number>, n: number, into?: Float64Array): PackedVector {
    let shape = this.lastOf.get(owner)
    if (!shape || !sameNames(shape.names, names, n)) {
      const key = names.slice(0, n).join('\n')
      shape = this.byKey.get(key)
      if (!shape) {
        if (this.byKey.size >= this.maxShapes) this.byKey.clear()
        this.byKey.set(key, (shape = new VectorShape(names.slice(0, n))))
      }
      if (this.lastOf.size >= this.maxShapes * 100) this.lastOf.clear()
      this.lastOf.set(owner, shape)
    }
    if (into && into.length !== n) throw new RangeError(`a packed vector of ${n} values cannot go into ${into.length}`)
    const v = into ?? new Float64Array(n)
    for (let i = 0; i < n; i++) v[i] = values[i]!
    return new PackedVector(shape, v)
  }
}

function sameNames(a: readonly string[], b: readonly string[], n: number): boolean {
  if (a.length !== n) return false
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false
  return true
}
