import { describe, expect, it } from 'vitest'
import { ModelFormatError } from '../errors.js'
import { families } from '../families.js'
import type { SerializedModel } from '../model.js'
import './catalogue.js'
import { unpackF32 } from './common.js'
import { channelStates, run, synth } from './testing.fixtures.js'

/** Detectors that hold their channels in one block: family, params, the key of their ring matrix and its capacity. */
const BLOCK_DETECTORS = [
  ['mad', { windowSize: 120, probation: 40 }, 'rings', 120],
  ['changepoint', { historySize: 60, pMin: 0.02 }, 'history', 60],
] as const

describe.each(BLOCK_DETECTORS)('%s checkpoints', (family, params, key, capacity) => {
  it('hold all channels in one block (format 3)', () => {
    const m = families.create(family, params)
    run(m, synth({ n: 200, seed: 5, channels: { a: { level: 10, sd: 1 }, b: { level: -5, sd: 0.5 } } }))
    const json = m.toJSON()
    expect(json.formatVersion).toBe(3)
    const st = json.state as { names: string[]; scalars: string } & Record<string, { values: string; lengths: number[] }>
    expect(st.names).toEqual(['a', 'b'])
    expect(st[key]!.lengths).toEqual([capacity, capacity])
    expect(unpackF32(st[key]!.values)).toHaveLength(2 * capacity)
    expect(() => families.fromJSON({ ...json, state: { ...st, names: ['a', 'a'] } })).toThrow(ModelFormatError)
    expect(() => families.fromJSON({ ...json, state: { ...st, names: ['a'] } })).toThrow(ModelFormatError)
  })

  it('of format 2 (an object per channel) still load and resume exactly', () => {
    const pts = synth({ n: 400, seed: 12, channels: { a: { level: 10, sd: 1 }, b: { level: -5, sd: 0.5 } }, inject: (i, c, v) => (i > 250 && c === 'a' ? v + 4 : i % 7 === 0 && c === 'b' ? v + 3 : v) })
    const a = families.create(family, params)
    run(a, pts.slice(0, 200))
    const s2: SerializedModel = { ...a.toJSON(), formatVersion: 2, state: { channels: channelStates(a.toJSON()) } }
    const b = families.fromJSON(JSON.parse(JSON.stringify(s2)) as SerializedModel)
    expect(b.toJSON()).toEqual(a.toJSON())
    const rest = pts.slice(200)
    expect(run(b, rest)).toEqual(run(a, rest))
  })
})
