/** The typed arrays the pipeline grows as series and channels arrive. */
export type GrowableArray = Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array

/**
 * `a` with room for `n` values: `a` itself when it is long enough, else a copy whose values
 * beyond `a`'s own are `fill` (0 by default).
 */
export function grown<T extends GrowableArray>(a: T, n: number, fill = 0): T {
  if (a.length >= n) return a
  const b = new (a.constructor as new (length: number) => T)(n)
  b.set(a as ArrayLike<number> & T)
  if (fill !== 0) b.fill(fill, a.length)
  return b
}
