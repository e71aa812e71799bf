import { describe, expect, it } from 'vitest'
import { families } from '../families.js'
import type { SerializedModel, StreamPoint } from '../model.js'
import { paramsForAsset, splitVector } from './asset-ensemble.model.js'
import { VectorPacker, type FeatureName } from '../../features/feature-vector.js'
import { unpackF32 } from './common.js'
import { channelStates, gaussian, legacyChannels, machineVector } from './testing.fixtures.js'

const CHANNELS = 10

/** `n` feature vectors of a 10-channel asset, spread over `days` of data time (every hour-of-week bucket in use). */
function vectors(n: number, seed: number, days = 8): StreamPoint[] {
  const g = gaussian(seed)
  const step = Math.floor((days * 86_400_000) / n)
  return Array.from({ length: n }, (_, i) => machineVector(g, i, 1_767_571_200_000 + i * step, CHANNELS))
}

const profile = (type: string): Parameters<typeof paramsForAsset>[0] => ({ type, channels: Array.from({ length: CHANNELS }, (_, c) => ({ name: `ch${c}`, min: -1000, max: 1000 })) })

/** Format-1 text of a member's packed state, as the detectors wrote it before packing. */
function toFormat1(m: SerializedModel): SerializedModel {
  let st = structuredClone(m.state) as Record<string, unknown>
  switch (m.family) {
    case 'mad':
      st = { channels: channelStates(m) }
      for (const c of Object.values(st.channels as Record<string, Record<string, unknown>>)) c.values = Array.from(unpackF32(c.values as string))
      break
    case 'changepoint':
      st = { channels: channelStates(m) }
      for (const c of Object.values(st.channels as Record<string, Record<string, unknown>>)) c.history = Array.from(unpackF32(c.history as string))
      break
    case 'seasonal':
      st.channels = {}
      for (const [k, { ids, stats, counts }] of Object.entries(legacyChannels(m))) {
        const buckets = Array.from({ length: 192 }, () => ({ mean: 0, v: 0, n: 0, visits: 0, lastVisit: -1 }))
        ids.forEach((b, s) => (buckets[b] = { mean: stats[2 * s]!, v: stats[2 * s + 1]!, n: counts[3 * s]!, visits: counts[3 * s + 1]!, lastVisit: counts[3 * s + 2]! }))
        ;(st.channels as Record<string, unknown>)[k] = { day: buckets.slice(0, 24), week: buckets.slice(24) }
      }
      break
    case 'mahalanobis':
    case 'isolation-forest': {
      const b = st.buffer as { names: string[]; rows: string }
      const rows = unpackF32(b.rows)
      st.buffer = Array.from({ length: b.names.length ? rows.length / b.names.length : 0 }, (_, r) => Object.fromEntries(b.names.map((n, i) => [n, rows[r * b.names.length + i]!]).filter(([, x]) => !Number.isNaN(x))))
      const f = st.fitted as { precision: unknown } | null | undefined
      if (f) f.precision = Array.from(unpackF32(f.precision as string))
      break
    }
  }
  return { ...m, formatVersion: 1, state: st }
}

describe('asset-ensemble memory', () => {
  // Before the detectors packed their state (float32 typed arrays, base64 checkpoints) an
  // ensemble of 10 channels serialised to ~380 KB and held ~300 KB of heap.
  it.each([
    ['rotating_machine', 128],
    ['battery_string', 128],
  ])('a %s of 10 channels, every buffer full, checkpoints in under %d KB', (type, maxKb) => {
    const m = families.create('asset-ensemble', paramsForAsset(profile(type), { probation: 60 }))
    for (const v of vectors(400, 1)) m.update!(v)
    const json = JSON.stringify(m.toJSON())
    expect(json.length / 1024).toBeLessThan(maxKb)
    // Past probation: the bound is about a learned ensemble, not an empty one.
    expect(m.update!(vectors(1, 9)[0]!)).toMatchObject({ warmingUp: false })
  })

  it('scores the same after a round trip through its packed checkpoint', () => {
    const vs = vectors(500, 2)
    const params = paramsForAsset(profile('rotating_machine'), { probation: 60 })
    const a = families.create('asset-ensemble', params)
    const straight = vs.map((v) => a.update!(v))
    let b = families.create('asset-ensemble', params)
    const resumed = vs.map((v, i) => {
      if (i === 250) b = families.fromJSON(JSON.parse(JSON.stringify(b.toJSON())) as SerializedModel)
      return b.update!(v)
    })
    expect(resumed).toEqual(straight)
  })

  it.each(['rotating_machine', 'battery_string'])('a %s checkpoint of format 1 (plain lists) still loads and resumes exactly', (type) => {
    const vs = vectors(400, 3)
    const params = paramsForAsset(profile(type), { probation: 60 })
    const a = families.create('asset-ensemble', params)
    for (const v of vs.slice(0, 300)) a.update!(v)
    const packed = a.toJSON()
    const st = packed.state as { members: Record<string, SerializedModel> }
    const v1 = { ...packed, state: { ...st, members: Object.fromEntries(Object.entries(st.members).map(([k, m]) => [k, toFormat1(m)])) } }
    expect(Object.values(v1.state.members).some((m) => m.formatVersion === 1)).toBe(true)
    const b = families.fromJSON(JSON.parse(JSON.stringify(v1)) as SerializedModel)
    for (const v of vs.slice(300)) expect(b.update!(v)).toEqual(a.update!(v))
  })
})

describe('splitVector', () => {
  it('gives each vector objects of its own, keys in channel order, leaving out what is absent, non-finite or too thinly read', () => {
    const full: Record<string, number> = {}
    for (const ch of ['a', 'b', 'c'])
      for (const w of [10, 60]) {
        full[`${ch}.w${w}.count`] = w
        full[`${ch}.w${w}.mean`] = w === 10 ? 1 : 2
        full[`${ch}.w${w}.std`] = 0.5
        full[`${ch}.w${w}.slope`] = 0.25
      }
    const first = splitVector(full)
    const kept = structuredClone(first)
    expect(Object.keys(first.features)).toEqual(['a.w60.mean', 'a.w60.std', 'a.w60.slope', 'b.w60.mean', 'b.w60.std', 'b.w60.slope', 'c.w60.mean', 'c.w60.std', 'c.w60.slope'])
    expect(first.levels).toEqual({ a: 1, b: 1, c: 1 })
    // a: no level (its short window's mean is not a number); b: its short window too thin (level from the long one), its spread
    // not finite; c: no count in its short window (level from the long one), too few readings there for spread and slope.
    const partial: Record<string, number> = { ...full, 'a.w10.mean': Number.NaN, 'b.w10.count': 2, 'b.w60.std': Number.POSITIVE_INFINITY, 'c.w60.count': 6 }
    delete partial['c.w10.count']
    for (const counters of [new Set<string>(), new Set(['c'])]) {
      const second = splitVector(partial, counters)
      expect(Object.entries(second.levels)).toEqual([
        ['b', 2],
        ['c', 2],
      ])
      expect(Object.entries(second.channels)).toEqual([
        ['b', 2],
        ['c', counters.has('c') ? 0.25 : 2],
      ])
      expect(Object.entries(second.features)).toEqual([
        ['a.w60.mean', 2],
        ['a.w60.std', Math.log(0.5 + 1e-6 * (1 + 2))],
        ['a.w60.slope', 0.25],
        ['b.w60.mean', 2],
        ['b.w60.slope', 0.25],
        ...(counters.has('c') ? [] : [['c.w60.mean', 2]]),
      ])
    }
    // The first vector's objects are untouched by the later ones.
    expect(first).toEqual(kept)
    expect(splitVector(full)).toEqual(kept)
  })
})

describe('asset-ensemble on packed vectors', () => {
  it('reads a packed vector (what the features stage publishes) exactly as its name → value object', () => {
    const packer = new VectorPacker()
    const pack = (p: StreamPoint): StreamPoint => {
      const names = Object.keys(p.values) as FeatureName[]
      return { ts: p.ts, values: {}, packed: packer.pack('pump', names, Object.values(p.values), names.length) }
    }
    const vs = vectors(400, 7)
    // A vector missing some figures still splits the same way (count absent, a channel with one window).
    const partial = { ...vs[0]!.values }
    delete partial['ch3.w10.count']
    for (const k of Object.keys(partial)) if (k.startsWith('ch4.') && !k.startsWith('ch4.w60.')) delete partial[k]
    for (const v of [vs[0]!, vs[199]!, { ts: 1, values: partial }]) {
      expect(splitVector(pack(v).packed!, new Set(['ch2']))).toEqual(splitVector(v.values, new Set(['ch2'])))
    }
    const byObject = families.create('asset-ensemble', paramsForAsset(profile('rotating_machine')))
    const byPacked = families.create('asset-ensemble', paramsForAsset(profile('rotating_machine')))
    const hot = (p: StreamPoint, i: number): StreamPoint => (i < 350 ? p : { ts: p.ts, values: { ...p.values, 'ch1.w10.mean': p.values['ch1.w10.mean']! + 40, 'ch1.w30.mean': p.values['ch1.w30.mean']! + 40 } })
    const outs = vs.map((p, i) => {
      const q = hot(p, i)
      // The packed point's `values` is empty: the ensemble must read the packed figures only.
      return [byObject.update!(q), byPacked.update!(pack(q))]
    })
    for (const [o, p] of outs) expect(p).toEqual(o)
    expect(Math.max(...outs.slice(350).map(([o]) => (o as { score: number }).score))).toBeGreaterThan(0.5)
  })
})
