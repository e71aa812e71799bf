import { describe, it, expect } from 'vitest'
import { type FeatureName, ROLLING_STATS, featureName, featureNames, fftFeatureName, parseFeatureName, rollingNames, toArray, VectorPacker } from './feature-vector.js'

describe('feature names', () => {
  it.each([
    [featureName('temp', 10, 'mean'), 'temp.w10.mean', { channel: 'temp', windowSec: 10, kind: 'rolling', stat: 'mean' }],
    [featureName('cell.3.voltage', 60, 'slope'), 'cell.3.voltage.w60.slope', { channel: 'cell.3.voltage', windowSec: 60, kind: 'rolling', stat: 'slope' }],
    [fftFeatureName('vib', 60, 'dominant_hz'), 'vib.w60.fft.dominant_hz', { channel: 'vib', windowSec: 60, kind: 'fft', stat: 'dominant_hz' }],
    [fftFeatureName('vib.x', 2.5, 'band3'), 'vib.x.w2.5.fft.band3', { channel: 'vib.x', windowSec: 2.5, kind: 'fft', stat: 'band3' }],
  ])('%s', (name, expected, parsed) => {
    expect(name).toBe(expected)
    expect(parseFeatureName(name)).toEqual(parsed)
  })

  it.each(['temp', 'temp.mean', 'temp.w10.median', 'temp.wx.mean', 'temp.w10.fft.mean', '.w10.mean', 'vib.w10.fft.band'])('rejects %s', (name) => {
    expect(parseFeatureName(name)).toBeUndefined()
  })

  it('hands out the rolling names of a channel and window in ROLLING_STATS order, the same array every time', () => {
    const names = rollingNames('bearing.temp', 30)
    expect(names).toEqual(ROLLING_STATS.map((s) => featureName('bearing.temp', 30, s)))
    expect(rollingNames('bearing.temp', 30)).toBe(names)
    expect(rollingNames('bearing.temp', 60)).not.toBe(names)
    expect(rollingNames('bearing.temp', 60)[1]).toBe('bearing.temp.w60.mean')
  })

  it('lists a layout channel by channel, window by window, stats in a fixed order', () => {
    const names = featureNames({ channels: ['temp', 'vib'], windowsSec: [10, 60], fftChannels: ['vib'], fftBands: 2 })
    expect(names).toHaveLength(2 * ROLLING_STATS.length + 2 * (ROLLING_STATS.length + 3))
    expect(names.slice(0, 7)).toEqual(['temp.w10.count', 'temp.w10.mean', 'temp.w10.std', 'temp.w10.min', 'temp.w10.max', 'temp.w10.slope', 'temp.w10.last'])
    expect(names.slice(14, 24)).toEqual([
      'vib.w10.count', 'vib.w10.mean', 'vib.w10.std', 'vib.w10.min', 'vib.w10.max', 'vib.w10.slope', 'vib.w10.last',
      'vib.w10.fft.dominant_hz', 'vib.w10.fft.band0', 'vib.w10.fft.band1',
    ])
    expect(new Set(names).size).toBe(names.length)
  })
})

describe('toArray', () => {
  const names: FeatureName[] = ['a.w10.mean', 'a.w10.std', 'b.w10.fft.band0']

  it('orders values by name and marks missing ones NaN', () => {
    const arr = toArray({ 'a.w10.std': 2, 'a.w10.mean': 1 }, names)
    expect(Array.from(arr.subarray(0, 2))).toEqual([1, 2])
    expect(arr[2]).toBeNaN()
  })

  it('writes into a given array', () => {
    const out = new Float64Array(3)
    expect(toArray({ 'a.w10.mean': 5, 'a.w10.std': 6, 'b.w10.fft.band0': 7 }, names, out)).toBe(out)
    expect(Array.from(out)).toEqual([5, 6, 7])
  })

})

describe('VectorPacker', () => {
  const names = ['a.w10.mean', 'a.w10.std', 'b.w10.mean'] as FeatureName[]

  it('gives vectors of the same names one shape, each with its own values', () => {
    const p = new VectorPacker()
    const x = p.pack('m1', names, [1, 2, 3], 3)
    const y = p.pack('m2', names, [4, 5, 6, 99], 3)
    expect(y.shape).toBe(x.shape)
    expect(Array.from(x.values)).toEqual([1, 2, 3])
    expect(Array.from(y.values)).toEqual([4, 5, 6])
    expect(y.get('b.w10.mean')).toBe(6)
  })

  it('packs into views of one block when given them, as the features stage does for a message', () => {
    const p = new VectorPacker()
    const block = new Float64Array(5)
    const x = p.pack('m1', names, [1, 2, 3], 3, block.subarray(0, 3))
    const y = p.pack('m2', names, [7, 8], 2, block.subarray(3, 5))
    expect(x.values.buffer).toBe(block.buffer)
    expect(Array.from(block)).toEqual([1, 2, 3, 7, 8])
    expect(x.toObject()).toEqual({ 'a.w10.mean': 1, 'a.w10.std': 2, 'b.w10.mean': 3 })
    expect(y.toObject()).toEqual({ 'a.w10.mean': 7, 'a.w10.std': 8 })
    expect(() => p.pack('m3', names, [1, 2, 3], 3, block.subarray(0, 2))).toThrow(RangeError)
  })
})
