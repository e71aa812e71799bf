import { describe, expect, it } from 'vitest'
import { grown } from './typed-arrays.js'

describe('grown', () => {
  it('returns the array itself when it is long enough, else a copy of the same type, filled beyond', () => {
    const a = Int32Array.from([1, 2, 3])
    expect(grown(a, 3)).toBe(a)
    const b = grown(a, 5)
    expect(b).toBeInstanceOf(Int32Array)
    expect([...b]).toEqual([1, 2, 3, 0, 0])
    const c = grown(Float64Array.from([0.5]), 3, -Infinity)
    expect(c).toBeInstanceOf(Float64Array)
    expect([...c]).toEqual([0.5, -Infinity, -Infinity])
  })
})
