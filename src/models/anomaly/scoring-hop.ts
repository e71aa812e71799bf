/**
 * Which feature vectors a scoring hop scores: an asset's first vector in each hop of data time
 * (`floor(ts / hop)`; a vector's time is its newest reading's, so not a multiple of anything,
 * and a channel reporting once a minute makes a vector a minute). One number per asset; past
 * `maxAssets` × 2 assets the memory is cleared, which costs each asset one extra vector scored.
 */
export class ScoringHop {
  private readonly last = new Map<string, number>()
  private readonly hopMs: number

  constructor(
    hopSec: number,
    private readonly maxAssets = 100_000,
  ) {
    this.hopMs = hopSec * 1000
  }

  /** The vectors of a features message to score, in order (the same array when all are). */
  pick<V extends { assetId: string; ts: number }>(tenantId: string, assets: readonly V[]): readonly V[] {
    let out: V[] | null = null
    for (let i = 0; i < assets.length; i++) {
      const a = assets[i]!
      if (this.due(tenantId, a.assetId, a.ts)) out?.push(a)
      else out ??= assets.slice(0, i)
    }
    return out ?? assets
  }

  /** True for an asset's first vector in a hop (the hop is then taken). */
  due(tenantId: string, assetId: string, ts: number): boolean {
    const key = `${tenantId}\u0000${assetId}`
    const hop = Math.floor(ts / this.hopMs)
    if (this.last.get(key) === hop) return false
    if (this.last.size >= 2 * this.maxAssets) this.last.clear()
    this.last.set(key, hop)
    return true
  }
}
