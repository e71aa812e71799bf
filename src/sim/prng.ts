/**
 * Seeded pseudo-random numbers for the simulators. Everything in src/sim draws
 * from these so a seed reproduces a fleet exactly; Math.random is never used.
 */

/**
 * Mixes a seed and a label into a 32-bit seed (FNV-1a over the label, then a
 * murmur3 finaliser). Each asset gets its own stream derived from the fleet seed
 * and its id, so adding or removing one asset leaves the others' data unchanged.
 */
export function deriveSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b) >>> 0
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35) >>> 0
  h ^= h >>> 16
  return h >>> 0
}

/** mulberry32 generator with uniform, integer and Gaussian draws. */
export class Rng {
  private state: number
  private spare = 0
  private hasSpare = false

  /** @param seed any number; only its low 32 bits matter. */
  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next()
  }

  /** Integer uniform in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p
  }

  /** Gaussian by Box–Muller; the second value of each pair is kept for the next call. */
  normal(mean = 0, sd = 1): number {
    if (this.hasSpare) {
      this.hasSpare = false
      return mean + sd * this.spare
    }
    // 1 - next() is in (0, 1], so log never sees 0.
    const u1 = 1 - this.next()
    const u2 = this.next()
    const r = Math.sqrt(-2 * Math.log(u1))
    this.spare = r * Math.sin(2 * Math.PI * u2)
    this.hasSpare = true
    return mean + sd * r * Math.cos(2 * Math.PI * u2)
  }

  /** An independent generator for a named sub-stream. */
  fork(label: string): Rng {
    return new Rng(deriveSeed(this.state, label))
  }
}
