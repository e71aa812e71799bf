/**
 * Synthetic streams for the detector tests, where the right answer is known: Gaussian
 * noise around a level, with a step, a spike or a drift injected at a known index.
 */
import { families } from '../families.js'
import type { SerializedModel, StreamPoint } from '../model.js'
import { SeededRandom, packBytes, packF32, unpackBytes, unpackF32 } from './common.js'

/** Standard normal draws from a seeded generator (Box–Muller). */
export function gaussian(seed: number): () => number {
  const r = new SeededRandom(seed)
  return () => {
    const u = Math.max(r.next(), 1e-12)
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.next())
  }
}

export interface SynthOptions {
  n: number
  seed?: number
  /** Channel → level and noise sd. */
  channels: Record<string, { level: number; sd: number }>
  stepMs?: number
  t0?: number
  /** Changes the value of channel `ch` at index i (after noise). */
  inject?: (i: number, ch: string, v: number) => number
}

export function synth(o: SynthOptions): StreamPoint[] {
  const g = gaussian(o.seed ?? 1)
  const out: StreamPoint[] = []
  for (let i = 0; i < o.n; i++) {
    const values: Record<string, number> = {}
    for (const [ch, c] of Object.entries(o.channels)) {
      const v = c.level + c.sd * g()
      values[ch] = o.inject ? o.inject(i, ch, v) : v
    }
    out.push({ ts: (o.t0 ?? 0) + i * (o.stepMs ?? 10_000), values })
  }
  return out
}

/** Runs a stream through `update` and returns the outputs. */
export function run<O>(m: { update?: (p: StreamPoint) => O }, points: readonly StreamPoint[]): O[] {
  return points.map((p) => m.update!(p))
}

/**
 * Runs `points` through a fresh model of `family`, and through a copy that is serialised
 * (through JSON text) and restored at `splitAt`: both output lists must be equal for a model
 * that resumes exactly.
 */
export function resumeOutputs(family: string, params: Record<string, unknown>, points: readonly StreamPoint[], splitAt: number): { straight: unknown[]; resumed: unknown[] } {
  const a = families.create(family, params)
  const straight = points.map((p) => a.update!(p))
  let b = families.create(family, params)
  const resumed: unknown[] = []
  points.forEach((p, i) => {
    if (i === splitAt) b = families.fromJSON(JSON.parse(JSON.stringify(b.toJSON())))
    resumed.push(b.update!(p))
  })
  return { straight, resumed }
}

/**
 * The i-th feature vector of a machine with `channels` channels, shaped like the features
 * stage's (10, 30 and 60-s windows × count, mean, std, min, max, slope, last): each channel a
 * slowly swinging level with Gaussian noise from `g`.
 */
export function machineVector(g: () => number, i: number, ts: number, channels = 10): StreamPoint {
  const values: Record<string, number> = {}
  for (let c = 0; c < channels; c++) {
    const level = 10 * (c + 1) + Math.sin(i / 50 + c)
    for (const w of [10, 30, 60]) {
      const x = level + 0.2 * g()
      values[`ch${c}.w${w}.count`] = w
      values[`ch${c}.w${w}.mean`] = x
      values[`ch${c}.w${w}.std`] = 0.5 + 0.05 * g()
      values[`ch${c}.w${w}.min`] = x - 1
      values[`ch${c}.w${w}.max`] = x + 1
      values[`ch${c}.w${w}.slope`] = 0.01 * g()
      values[`ch${c}.w${w}.last`] = x + 0.3 * g()
    }
  }
  return { ts, values }
}

/** A format-5 checkpoint's channels as formats 1–3 held them: each its own buckets, with (count, visits, last visit) per bucket. */
export function legacyChannels(m: SerializedModel): Record<string, { ids: Uint8Array; stats: Float32Array; counts: Uint16Array }> {
  const out: Record<string, { ids: Uint8Array; stats: Float32Array; counts: Uint16Array }> = {}
  const st = m.state as { buckets: string; visits: string }
  const ids = unpackBytes(st.buckets)
  const visits = new Uint16Array(unpackBytes(st.visits, 2).buffer)
  for (const [k, c] of Object.entries(seasonalV4(m).channels)) {
    const n = new Uint16Array(unpackBytes(c.n, 2).buffer)
    const counts = new Uint16Array(3 * ids.length)
    for (let s = 0; s < ids.length; s++) counts.set([n[s]!, visits[2 * s]!, visits[2 * s + 1]!], 3 * s)
    out[k] = { ids, stats: unpackF32(c.stats), counts }
  }
  return out
}

/** A format-5 `seasonal` checkpoint's state as format 4 wrote it: each channel's stats and counts apart. */
export function seasonalV4(m: SerializedModel): { buckets: string; visits: string; channels: Record<string, { stats: string; n: string }> } {
  const st = m.state as { buckets: string; visits: string; names: string[]; stats: string; n: string }
  const used = unpackBytes(st.buckets).length
  const stats = unpackF32(st.stats)
  const n = unpackBytes(st.n, 2)
  const channels: Record<string, { stats: string; n: string }> = {}
  st.names.forEach((k, r) => (channels[k] = { stats: packF32(stats.subarray(2 * r * used, 2 * (r + 1) * used)), n: packBytes(n.subarray(2 * r * used, 2 * (r + 1) * used)) }))
  return { buckets: st.buckets, visits: st.visits, channels }
}

/**
 * A format-3 `mad` or `changepoint` checkpoint's channels as format 2 wrote them: an object
 * per channel, its scalars by name and its window (`values`) or history packed.
 */
export function channelStates(m: SerializedModel): Record<string, Record<string, number | string>> {
  const fields = m.family === 'mad' ? ['seen', 'med', 'scale', 'stale'] : ['seen', 'sinceChange', 'level', 'trend', 'eVar', 'sPos', 'sNeg', 'changes']
  const ring = m.family === 'mad' ? 'values' : 'history'
  const st = m.state as { names: string[]; scalars: string } & Record<string, { values: string; lengths: number[] }>
  const scalars = new Float64Array(unpackBytes(st.scalars, 8).buffer)
  const rings = st[m.family === 'mad' ? 'rings' : 'history']!
  const values = unpackF32(rings.values)
  const out: Record<string, Record<string, number | string>> = {}
  let at = 0
  st.names.forEach((k, r) => {
    const c: Record<string, number | string> = {}
    fields.forEach((f, i) => (c[f] = scalars[r * fields.length + i]!))
    c[ring] = packF32(values.subarray(at, (at += rings.lengths[r]!)))
    out[k] = c
  })
  return out
}
